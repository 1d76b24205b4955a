"""The ward mode's access control (issue 15): a matrix made from the application's route
table, every route x every role x the own cell / another cell, each answer asserted
(allowed, or refused with nothing changed); and crafted requests for another cell's data.

The expected answer comes from a table written here by hand from the issue's words
(EXPECTED), not from docgen.web.access: a route whose rule is missing or new fails."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import argon2
import pytest
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from docgen.accounts import Accounts
from docgen.web.access import SESSION_COOKIE, rule_of
from docgen.web.app import create_app
from tests.conftest import REPO

OWN, OTHER = "to-dan-pho-5", "co-quan-phuong"
WARD = "phuong-hoa-binh"  # overwritten from the sample's dang-bo.yaml below
PASSWORD = "mat-khau-thu-nghiem"
ROLES = ("an_danh", "dang_uy", "bi_thu", "xem")  # an_danh: not signed in

# Who may use each rule, from the issue: the ward office everything; a cell secretary their
# own cell only; a reader (ward leader) reads everything and changes nothing.
# (role, own cell?) -> allowed
EXPECTED: dict[str, dict[tuple[str, bool], bool]] = {}
for _role in ROLES:
    for _own in (True, False):
        signed = _role != "an_danh"
        EXPECTED.setdefault("cong_khai", {})[(_role, _own)] = True
        EXPECTED.setdefault("dang_nhap", {})[(_role, _own)] = signed
        EXPECTED.setdefault("xem_chi_bo", {})[(_role, _own)] = _role in ("dang_uy", "xem") or (
            _role == "bi_thu" and _own
        )
        EXPECTED.setdefault("sua_chi_bo", {})[(_role, _own)] = _role == "dang_uy" or (
            _role == "bi_thu" and _own
        )
        EXPECTED.setdefault("xem_phuong", {})[(_role, _own)] = _role in ("dang_uy", "xem")
        EXPECTED.setdefault("dang_uy", {})[(_role, _own)] = _role == "dang_uy"

# A sample value for each path parameter a route may have; a new parameter must be added.
PARAMS = {"name": "quy-1", "job": "khong-co-lo-nay", "kind": "bao-cao-quy", "number": "1", "version": "1"}
STATIC_MOUNTS = {"tinh"}


def cheap_hasher() -> argon2.PasswordHasher:
    """argon2id with the smallest cost: the tests sign in hundreds of times."""
    return argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture()
def ward(tmp_path: Path) -> Iterator[tuple[Path, Path, Accounts]]:
    ws = tmp_path / "data"
    shutil.copytree(REPO / "data", ws, ignore=shutil.ignore_patterns("so-dang-ky-van-ban.sqlite*"))
    accounts = Accounts.of_workspace(ws, hasher=cheap_hasher())
    accounts.add("vanphong", "dang_uy", PASSWORD)
    accounts.add("bithu", "bi_thu", PASSWORD, cell=OWN)
    accounts.add("lanhdao", "xem", PASSWORD)
    yield ws, tmp_path / "out", accounts


def _client(ws: Path, out: Path, accounts: Accounts) -> TestClient:
    app = create_app(ws, output_root=out, token="server-token", accounts=accounts)
    return TestClient(app, base_url="http://phuong.example", follow_redirects=False)


def _signed_in(ws: Path, out: Path, accounts: Accounts, role: str) -> tuple[TestClient, str]:
    """A client of ``role`` and the token its forms carry."""
    client = _client(ws, out, accounts)
    if role == "an_danh":
        return client, "server-token"
    name = {"dang_uy": "vanphong", "bi_thu": "bithu", "xem": "lanhdao"}[role]
    response = client.post("/dang-nhap", data={"_token": "server-token", "ten": name, "mat_khau": PASSWORD})
    assert response.status_code == 303, response.text
    session = accounts.session(client.cookies[SESSION_COOKIE])
    assert session is not None and session.account.name == name
    return client, session.csrf


def _state(*folders: Path) -> str:
    """A digest of every file under ``folders`` (names and bytes), the history and account
    files excepted (a refused request may still be logged, never change data)."""
    digest = hashlib.sha256()
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if ".docgen" in path.parts:
                continue
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _refused(response: object) -> bool:
    """The answer is the access check's refusal: the sign-in page for someone not signed
    in (a GET), "the session has ended" (a POST), or "not allowed"."""
    status, text = response.status_code, response.text  # type: ignore[attr-defined]
    location = response.headers.get("location", "")  # type: ignore[attr-defined]
    return (
        (status == 303 and location.startswith("/dang-nhap?tiep="))
        or (status == 401 and "Phiên làm việc đã hết" in text)
        or (status == 403 and "Không được phép" in text)
    )


def _ward_code(ws: Path) -> str:
    text = (ws / "dang-bo.yaml").read_text(encoding="utf-8")
    match = re.search(r"^\s*ma:\s*([\w-]+)", text, re.M)
    assert match
    return match.group(1)


def _routes(app: object) -> list[Route | Mount]:
    return list(app.app.routes)  # type: ignore[attr-defined]


def _url(made: Route, cell: str, ward_code: str) -> tuple[str, str]:
    """The URL to ask for ``made`` about ``cell``, and the rule to expect (a ``tep`` route is
    about the document's owner)."""
    rule = rule_of(made)
    assert rule is not None
    params = {}
    for name in made.param_convertors:
        if name == "cell":
            params[name] = cell
        else:
            assert name in PARAMS, f"route {made.path}: no sample value for {{{name}}} in PARAMS"
            params[name] = PARAMS[name]
    url = made.url_path_for(made.name, **params)
    if rule == "tep":
        url += f"?tep={ward_code}/{cell}/2026/bao-cao-quy-1.docx"
        rule = "xem_chi_bo"
    return url, rule


def test_every_route_has_an_access_rule(ward: tuple[Path, Path, Accounts]) -> None:
    ws, out, accounts = ward
    app = create_app(ws, output_root=out, token="t", accounts=accounts)
    missing = [
        getattr(r, "path", "?") for r in _routes(app)
        if not (isinstance(r, Mount) and r.name in STATIC_MOUNTS) and rule_of(r) not in EXPECTED | {"tep": 1}
    ]  # fmt: skip
    assert missing == []


def test_a_route_without_a_rule_is_seen(ward: tuple[Path, Path, Accounts]) -> None:
    ws, out, accounts = ward
    app = create_app(ws, output_root=out, token="t", accounts=accounts)

    async def bare(request: object) -> None:  # pragma: no cover - never called
        return None

    app.app.router.routes.append(Route("/moi", bare))  # type: ignore[attr-defined]
    assert [r.path for r in _routes(app) if isinstance(r, Route) and rule_of(r) is None] == ["/moi"]


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(ward: tuple[Path, Path, Accounts], role: str) -> None:
    ws, out, accounts = ward
    client, token = _signed_in(ws, out, accounts, role)
    code = _ward_code(ws)
    seen = 0
    # signing out last: it ends the session the other routes are asked with
    ordered = sorted(_routes(client.app), key=lambda r: getattr(r, "name", "") == "dang_xuat")  # type: ignore[arg-type]
    for made in ordered:
        if isinstance(made, Mount):
            assert made.name in STATIC_MOUNTS
            continue
        assert isinstance(made, Route)
        cells = (OWN, OTHER) if "cell" in made.param_convertors or rule_of(made) == "tep" else (OWN,)
        for cell in cells:
            url, rule = _url(made, cell, code)
            for method in sorted((made.methods or {"GET"}) - {"HEAD"}):
                allowed = EXPECTED[rule][(role, cell == OWN)]
                before = _state(ws, out)
                if method == "GET":
                    response = client.get(url)
                else:
                    # a valid token and an empty form: allowed routes answer the missing
                    # fields, refused ones must refuse before reading anything
                    response = client.request(method, url, data={"_token": token})
                where = f"{role} {method} {url} ({rule})"
                if allowed:
                    assert not _refused(response), where
                else:
                    assert _refused(response), where
                    if role != "an_danh":
                        assert response.status_code == 403, where
                    assert _state(ws, out) == before, where
                seen += 1
    assert seen > 20


def test_a_secretary_cannot_reach_another_cell_by_any_crafted_request(
    ward: tuple[Path, Path, Accounts],
) -> None:
    ws, out, accounts = ward
    client, token = _signed_in(ws, out, accounts, "bi_thu")
    code = _ward_code(ws)
    doc = out / code / OTHER / "2026" / "bao-cao-quy-1.docx"
    doc.parent.mkdir(parents=True)
    doc.write_bytes(b"PK\x03\x04 not really a document")
    theirs = _state(ws / "chi-bo" / OTHER, out / code / OTHER)
    crafted = [
        f"/chi-bo/{OTHER}",
        f"/chi-bo/{OTHER}/tep/quy-1?nam=2026",
        f"/chi-bo/{OTHER}/dang-vien/xuat",
        f"/tai-ve?tep={code}/{OTHER}/2026/bao-cao-quy-1.docx",
        f"/tai-ve?tep={code}/{OWN}/../{OTHER}/2026/bao-cao-quy-1.docx",
        f"/tai-ve?tep={code}/{OWN}/2026/../../{OTHER}/2026/bao-cao-quy-1.docx",
        f"/tai-ve?tep=./{code}/{OTHER}/2026/bao-cao-quy-1.docx",
        f"/tai-ve?tep={code}//{OTHER}/2026/bao-cao-quy-1.docx",
        f"/xem-truoc?tep={code}/{OTHER}/2026/bao-cao-quy-1.docx",
        f"/chi-bo/{OTHER.upper()}",
        "/so-dang-ky",
    ]
    for url in crafted:
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert b"not really a document" not in response.content, url
    for url, fields in [
        (f"/chi-bo/{OTHER}/tep/quy-1?nam=2026", {"_token": token, "_luu": "1"}),
        (f"/chi-bo/{OTHER}/van-ban", {"_token": token, "loai": "bao-cao-quy", "nam": "2026", "quy": "1"}),
        # the own cell in the address does not open another cell's file by a field
        (f"/chi-bo/{OWN}/van-ban", {"_token": token, "loai": "bao-cao-quy", "nam": "2026", "quy": "1",
                                    "chi_bo": OTHER, "cell": OTHER}),
    ]:
        response = client.post(url, data=fields)
        if OTHER in url:
            assert response.status_code == 403, url
    assert _state(ws / "chi-bo" / OTHER, out / code / OTHER) == theirs
    assert doc.read_bytes() == b"PK\x03\x04 not really a document"


def test_a_post_without_the_sessions_token_is_refused(ward: tuple[Path, Path, Accounts]) -> None:
    ws, out, accounts = ward
    client, _token = _signed_in(ws, out, accounts, "bi_thu")
    before = _state(ws, out)
    for token in ("server-token", "", "x" * 43):
        response = client.post(f"/chi-bo/{OWN}/tep/quy-1?nam=2026", data={"_token": token, "_luu": "1"})
        assert response.status_code == 403
        assert "Yêu cầu bị từ chối" in response.text
    assert _state(ws, out) == before


def test_cookie_is_httponly_samesite_and_logout_ends_the_session(
    ward: tuple[Path, Path, Accounts],
) -> None:
    ws, out, accounts = ward
    client = _client(ws, out, accounts)
    response = client.post("/dang-nhap", data={"_token": "server-token", "ten": "bithu", "mat_khau": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # plain http here; https sets it (next test)
    assert response.headers["location"] == f"/chi-bo/{OWN}"
    session = accounts.session(client.cookies[SESSION_COOKIE])
    assert session is not None
    assert client.post("/dang-xuat", data={"_token": session.csrf}).status_code == 303
    assert accounts.session(session.token) is None
    client.cookies.set(SESSION_COOKIE, session.token)  # a stolen cookie after logout
    assert client.get(f"/chi-bo/{OWN}").headers["location"].startswith("/dang-nhap")


def test_signing_in_again_ends_the_browsers_earlier_session(ward: tuple[Path, Path, Accounts]) -> None:
    ws, out, accounts = ward
    client, token = _signed_in(ws, out, accounts, "bi_thu")
    earlier = client.cookies[SESSION_COOKIE]
    # the login form drawn while signed in carries that session's token
    again = client.post("/dang-nhap", data={"_token": token, "ten": "lanhdao", "mat_khau": PASSWORD})
    assert again.status_code == 303
    assert accounts.session(earlier) is None
    now = accounts.session(client.cookies[SESSION_COOKIE])
    assert now is not None and now.account.name == "lanhdao"


def test_cookie_is_secure_over_https(ward: tuple[Path, Path, Accounts]) -> None:
    ws, out, accounts = ward
    app = create_app(ws, output_root=out, token="server-token", accounts=accounts)
    client = TestClient(app, base_url="https://phuong.example", follow_redirects=False)
    response = client.post("/dang-nhap", data={"_token": "server-token", "ten": "bithu", "mat_khau": PASSWORD})
    assert "secure" in response.headers["set-cookie"].lower()


def test_wrong_password_keeps_the_name_and_says_no_more(ward: tuple[Path, Path, Accounts]) -> None:
    ws, out, accounts = ward
    client = _client(ws, out, accounts)
    wrong = client.post("/dang-nhap", data={"_token": "server-token", "ten": "bithu", "mat_khau": "sai-roi-nhe"})
    unknown = client.post("/dang-nhap", data={"_token": "server-token", "ten": "khongco", "mat_khau": "sai-roi-nhe"})
    assert wrong.status_code == unknown.status_code == 401
    assert 'value="bithu"' in wrong.text
    assert SESSION_COOKIE not in wrong.headers.get("set-cookie", "")
    error = re.compile(r'role="alert"><ul><li>(.*?)</li>')
    assert error.search(wrong.text).group(1) == error.search(unknown.text).group(1)  # type: ignore[union-attr]


def test_login_goes_back_only_to_a_page_of_this_server(ward: tuple[Path, Path, Accounts]) -> None:
    ws, out, accounts = ward
    for target, expected in [
        (f"/chi-bo/{OWN}/tep/quy-1?nam=2026", f"/chi-bo/{OWN}/tep/quy-1?nam=2026"),
        ("//evil.example/", f"/chi-bo/{OWN}"),
        ("https://evil.example/", f"/chi-bo/{OWN}"),
        ("/\\evil.example", f"/chi-bo/{OWN}"),
    ]:
        client = _client(ws, out, accounts)
        response = client.post(
            "/dang-nhap", data={"_token": "server-token", "ten": "bithu", "mat_khau": PASSWORD, "tiep": target}
        )
        assert response.headers["location"] == expected, target


def test_a_post_from_another_site_is_refused_in_the_ward_mode(ward: tuple[Path, Path, Accounts]) -> None:
    ws, out, accounts = ward
    client, token = _signed_in(ws, out, accounts, "dang_uy")
    response = client.post(
        f"/chi-bo/{OWN}/van-ban", data={"_token": token}, headers={"origin": "http://evil.example"}
    )
    assert response.status_code == 403
    same = client.post(
        f"/chi-bo/{OWN}/van-ban", data={"_token": token}, headers={"origin": "http://phuong.example"}
    )
    assert same.status_code == 400  # reached the route: the form is missing its fields


def test_every_response_carries_the_safety_headers(ward: tuple[Path, Path, Accounts]) -> None:
    ws, out, accounts = ward
    client = _client(ws, out, accounts)
    response = client.get("/dang-nhap")
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
