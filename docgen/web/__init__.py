"""``docgen serve``: a local web application over the library, for a cell secretary.

The secretary enters the cell's data in Vietnamese forms (made from the models:
forms.py), sees each problem ``docgen check`` would report at its field, and makes,
previews and downloads the documents. The YAML workspace stays the one source of truth:
the forms read and write its files (docgen.editing), so the CLI, ``docgen batch`` and
git keep working on the same data. HTML is drawn on the server (templates/); the pages
need no JavaScript and nothing from the internet.

Modules: ``server`` (bind and serve), ``app`` (the routes), ``forms``, ``security``.
Only this computer may use it (security.py): it binds 127.0.0.1 and refuses any other
address until the ward mode brings accounts.
"""
