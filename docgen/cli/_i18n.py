"""click in Vietnamese: help headings, option extras, ranges and click's usage messages."""

from __future__ import annotations

import functools
import re
from typing import Any

import click

__all__ = ["Quarter", "Range", "VCommand", "VGroup", "blank_argument", "translate_usage"]

_HELP_TEXT = "Hiện hướng dẫn này rồi thoát."


class _VietnameseHelp:
    """Mixin: Vietnamese headings in --help."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _HELP_TEXT
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Cách dùng: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is not None:
                rows.append((record[0], _translate_help_extra(record[1])))
        if rows:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = []
            for name in self.list_commands(ctx):
                cmd = self.get_command(ctx, name)
                if cmd is not None and not cmd.hidden:
                    commands.append((name, cmd.get_short_help_str(limit=70)))
            if commands:
                with formatter.section("Lệnh"):
                    formatter.write_dl(commands)


# click's own words in an option's help line ("[default: x; required]").
_HELP_EXTRA = [("default: ", "mặc định: "), ("required", "bắt buộc"), ("env var: ", "biến môi trường: ")]


def _translate_help_extra(text: str) -> str:
    """Translate the bracketed extra click appends to an option's help."""
    head, bracket, extra = text.rpartition("  [")
    if not bracket:
        return text
    for english, vietnamese in _HELP_EXTRA:
        extra = extra.replace(english, vietnamese)
    return f"{head}{bracket}{extra}"


class VCommand(_VietnameseHelp, click.Command):
    """A command with Vietnamese help headings."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        super().__init__(*args, **kwargs)


class VGroup(_VietnameseHelp, click.Group):
    """A group with Vietnamese help headings; its subcommands are VCommands."""

    command_class = VCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM SỐ]...")
        super().__init__(*args, **kwargs)


class Range(click.IntRange):
    """An integer range described in Vietnamese ("1 đến 4")."""

    def _describe_range(self) -> str:
        return f"{self.min} đến {self.max}"


class Quarter(Range):
    """A quarter: 1 to 4, or in roman numerals as documents write it (``III``, ``iii``)."""

    _ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}

    def __init__(self) -> None:
        super().__init__(1, 4)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            text = value.strip().upper()
            if text in self._ROMAN:
                value = self._ROMAN[text]
            elif not text.lstrip("+-").isdigit():
                self.fail(f"'{value}' không phải một quý; ghi số 1 đến 4 (hoặc I, II, III, IV), ví dụ --quy 3", param, ctx)
        return super().convert(value, param, ctx)


# click's own usage messages, in the user's language (click 8.1 to 8.4 wordings).
_CLICK_MESSAGES: list[tuple[str, str]] = [
    (r"No such option: (\S+)", "không có tùy chọn {0}"),
    (r"No such option '(.+?)'\.", "không có tùy chọn {0}"),
    (r"No such command '(.+?)'\.", "không có lệnh '{0}'"),
    (r"Missing argument '(.+?)'\.", "thiếu tham số {0}"),
    (r"Missing option '(.+?)'\.", "thiếu tùy chọn {0}"),
    (r"Option '(.+?)' requires an argument\.", "tùy chọn {0} cần một giá trị"),
    (r"Option '(.+?)' does not take a value\.", "tùy chọn {0} không nhận giá trị"),
    (r"Got unexpected extra arguments? \((.+)\)", "thừa tham số ({0})"),
    (
        r"Invalid value for '(.+?)': '(.+)' is not one of (.+)\.",
        "giá trị '{1}' không hợp lệ cho {0}; chọn một trong: {2}",
    ),
    (
        r"Invalid value for '(.+?)': '(.+)' is not '(.+)'\.",
        "giá trị '{1}' không hợp lệ cho {0}; chỉ được là: '{2}'",
    ),
    (
        r"Invalid value for '(.+?)': '(.+)' is not a valid integer(?: range)?\.",
        "{0}: '{1}' không phải số nguyên",
    ),
    (
        r"Invalid value for '(.+?)': (.+) is not in the range (.+)\.",
        "{0}: {1} nằm ngoài khoảng cho phép ({2})",
    ),
    (r"(?:Directory|File|Path) '(.+)' is a file\.", "'{0}' là một tệp, không phải thư mục"),
    (r"(?:Directory|File|Path) '(.+)' is a directory\.", "'{0}' là một thư mục, không phải tệp"),
    (r"(?:Directory|File|Path) '(.+)' does not exist\.", "không có '{0}'"),
    (r"(?:Directory|File|Path) '(.+)' is not readable\.", "không đọc được '{0}'"),
    (r"(?:Directory|File|Path) '(.+)' is not writable\.", "không ghi được vào '{0}'"),
    (r"Invalid value for '(.+?)': (.+)", "{0}: {1}"),
    (r"^'(.+)' is not a valid integer(?: range)?\.$", "'{0}' không phải số nguyên"),
    (r"^(\S+) is not in the range (.+)\.$", "{0} nằm ngoài khoảng cho phép ({1})"),
    (r"\s*Did you mean (.+)\?", " (có phải ý là {0}?)"),
]


def translate_usage(message: str) -> str:
    """click's English usage message (or a ParamType's) in Vietnamese."""
    # "'-w' / '--workspace'" (click 8.2+) reads "-w/--workspace"; a choice list on
    # tab-indented lines ("Choose from:\n\ta,\n\tb") goes on one line.
    message = re.sub(r"'(-[^'\s]*)' / '(--[^'\s]*)'", r"'\1/\2'", message)
    message = re.sub(
        r"\s*Choose from:\s*(.+)",
        lambda m: "; chọn một trong: " + ", ".join(x.strip() for x in m.group(1).split(",")),
        message,
        flags=re.S,
    )
    for pattern, vietnamese in _CLICK_MESSAGES:
        message = re.sub(pattern, functools.partial(_fill, vietnamese), message)
    return message


def _fill(vietnamese: str, match: re.Match[str]) -> str:
    return vietnamese.format(*match.groups())


def blank_argument(argv: list[str]) -> str | None:
    """Say which argument is blank (``--chi-bo ""``): a blank value would otherwise mean
    "every cell" or "this folder" without a word."""
    for i, arg in enumerate(argv):
        if not arg.strip():
            before = argv[i - 1] if i else ""
            return f"giá trị của {before} để trống" if before.startswith("-") else "có tham số để trống"
    return None
