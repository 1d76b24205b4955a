"""docgen.accounts: accounts, roles, passwords, login limits and sessions of the ward mode
(issue 15). Time is a fake clock; the hasher is argon2id with cheap parameters."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
import threading
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import argon2
import pytest

import docgen
from docgen.accounts import (
    ACCOUNTS_FILE,
    ROLES,
    SEEN_EVERY,
    SESSION_QUERY,
    Accounts,
    Policy,
    open_accounts,
)
from docgen.errors import AccessRefused, OutputError, UsageError

PASSWORD = "mat-khau-du-dai"
WRONG = "tên đăng nhập hoặc mật khẩu không đúng"
POLICY = Policy()


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class CountingHasher(argon2.PasswordHasher):
    """argon2id, cheap (tests only), counting verifications."""

    def __init__(self, time_cost: int = 1) -> None:
        super().__init__(time_cost=time_cost, memory_cost=8, parallelism=1)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:  # noqa: A002
        self.verified += 1
        return super().verify(hash, password)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def hasher() -> CountingHasher:
    return CountingHasher()


@pytest.fixture
def accounts(tmp_path: Path, clock: Clock, hasher: CountingHasher) -> Any:
    made = Accounts.of_workspace(tmp_path, clock=clock, hasher=hasher)
    yield made
    made.close()


def _refused(accounts: Accounts, name: str, password: str, address: str = "10.0.0.1") -> str:
    with pytest.raises(AccessRefused) as caught:
        accounts.login(name, password, address)
    return str(caught.value)


# ------------------------------------------------------------------ accounts


def test_add_list_get_disable_enable(accounts: Accounts, tmp_path: Path, clock: Clock) -> None:
    assert not accounts.exists()
    office = accounts.add("Van-Phong", "dang_uy", PASSWORD)
    assert office.name == "van-phong" and office.role == "dang_uy" and office.cell is None
    assert not office.disabled and datetime.fromisoformat(office.created).timestamp() == clock.now
    assert accounts.path == tmp_path / ACCOUNTS_FILE and accounts.exists()
    accounts.add("bt.tdp5", "bi_thu", PASSWORD, cell="to-dan-pho-5")
    accounts.add("lanh_dao", "xem", PASSWORD)
    assert [(a.name, a.role, a.cell) for a in accounts.accounts()] == [
        ("bt.tdp5", "bi_thu", "to-dan-pho-5"), ("lanh_dao", "xem", None), ("van-phong", "dang_uy", None),
    ]  # fmt: skip
    assert accounts.get(" VAN-PHONG ") == office
    assert accounts.get("khong-co") is None
    assert accounts.disable("bt.tdp5").disabled
    assert accounts.get("bt.tdp5").disabled  # type: ignore[union-attr]
    assert not accounts.enable("bt.tdp5").disabled
    with pytest.raises(UsageError, match="không có tài khoản «khong-co»"):
        accounts.disable("khong-co")
    with pytest.raises(UsageError, match="không có tài khoản"):
        accounts.enable("khong-co")
    with pytest.raises(UsageError, match="không có tài khoản"):
        accounts.reset_password("khong-co", PASSWORD)


def test_the_file_is_the_owners_only(accounts: Accounts) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    assert stat.S_IMODE(accounts.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(accounts.path.parent.stat().st_mode) == 0o700


def test_public_api_opens_a_workspaces_accounts(tmp_path: Path) -> None:
    made = docgen.open_accounts(tmp_path, hasher=CountingHasher())
    assert made.path == tmp_path / ".docgen" / "tai-khoan.sqlite"
    assert not made.exists() and not made.path.exists()  # asking makes no file
    assert open_accounts is docgen.open_accounts
    assert set(ROLES) == {"dang_uy", "bi_thu", "xem"}


@pytest.mark.parametrize(
    ("name", "role", "password", "cell", "message"),
    [
        ("ab", "dang_uy", PASSWORD, None, "tên đăng nhập «ab» không dùng được"),
        ("a" * 41, "dang_uy", PASSWORD, None, "không dùng được"),
        ("bí-thư", "dang_uy", PASSWORD, None, "không dùng được"),
        ("van phong", "dang_uy", PASSWORD, None, "không dùng được"),
        ("van/phong", "dang_uy", PASSWORD, None, "không dùng được"),
        ("van-phong", "admin", PASSWORD, None, "không có vai trò «admin»; chọn một trong: dang_uy, bi_thu, xem"),
        ("bt5", "bi_thu", PASSWORD, None, "vai trò bi_thu .* phải gắn với một chi bộ"),
        ("bt5", "bi_thu", PASSWORD, "  ", "phải gắn với một chi bộ"),
        ("van-phong", "dang_uy", PASSWORD, "to-dan-pho-5", "không gắn với chi bộ nào"),
        ("lanh-dao", "xem", PASSWORD, "to-dan-pho-5", "không gắn với chi bộ nào"),
        ("van-phong", "dang_uy", "ngan-qua", None, "mật khẩu quá ngắn: cần ít nhất 10 ký tự"),
        ("van-phong", "dang_uy", "x" * 129, None, "mật khẩu quá dài: nhiều nhất 128 ký tự"),
        ("van-phong-1", "dang_uy", "Van-Phong-1", None, "mật khẩu không được giống tên đăng nhập"),
    ],
)
def test_bad_accounts_are_refused(
    accounts: Accounts, name: str, role: str, password: str, cell: str | None, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        accounts.add(name, role, password, cell)
    assert not accounts.exists()


def test_a_name_is_taken_once(accounts: Accounts) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    with pytest.raises(UsageError, match="đã có tài khoản «van-phong»"):
        accounts.add("VAN-PHONG", "xem", PASSWORD)
    assert len(accounts.accounts()) == 1


def test_passwords_are_argon2id_hashes(accounts: Accounts) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    with sqlite3.connect(accounts.path) as db:
        (stored,) = db.execute("SELECT mat_khau FROM tai_khoan").fetchone()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_default_hasher_is_argon2id_at_owasps_cost(tmp_path: Path) -> None:
    hasher = Accounts(tmp_path / "a.sqlite").hasher
    # OWASP Password Storage Cheat Sheet: m=19 MiB (19456 KiB), t=2, p=1
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (2, 19456, 1)
    assert hasher.type is argon2.Type.ID
    stored = hasher.hash("mat-khau-du-dai")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


# ------------------------------------------------------------------ logins


def test_login_and_session(accounts: Accounts) -> None:
    accounts.add("bt.tdp5", "bi_thu", PASSWORD, cell="to-dan-pho-5")
    session = accounts.login(" BT.tdp5", PASSWORD, "10.0.0.1")
    assert session.account.name == "bt.tdp5" and session.account.cell == "to-dan-pho-5"
    assert session.csrf != session.token and len(session.token) >= 43 and len(session.csrf) >= 43
    again = accounts.session(session.token)
    assert again is not None and again.account == session.account and again.csrf == session.csrf
    other = accounts.login("bt.tdp5", PASSWORD, "10.0.0.1")
    assert other.token != session.token and other.csrf != session.csrf
    accounts.logout(session.token)
    assert accounts.session(session.token) is None
    assert accounts.session(other.token) is not None
    accounts.logout("khong-co")  # nothing to end: no error


@pytest.mark.parametrize("token", ["", "x", "a" * 10_000])
def test_unknown_tokens_have_no_session(accounts: Accounts, token: str) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    assert accounts.session(token) is None


def test_unknown_name_reads_and_costs_as_a_wrong_password(accounts: Accounts, hasher: CountingHasher) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    hasher.verified = 0
    assert _refused(accounts, "van-phong", "sai-mat-khau-roi") == WRONG
    assert hasher.verified == 1
    assert _refused(accounts, "khong-co-ai", PASSWORD) == WRONG
    assert hasher.verified == 2  # an unknown name is verified against a stand-in hash too
    assert _refused(accounts, "van-phong", "x" * 1000) == WRONG
    assert hasher.verified == 3


def test_password_is_compared_normalised(accounts: Accounts) -> None:
    composed = unicodedata.normalize("NFC", "mật-khẩu-đảng-ủy")
    accounts.add("van-phong", "dang_uy", composed)
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert accounts.login("van-phong", decomposed, "10.0.0.1").account.name == "van-phong"


def test_account_locked_after_failures_then_released(
    accounts: Accounts, clock: Clock, hasher: CountingHasher
) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    for _ in range(POLICY.account_failures):
        assert _refused(accounts, "van-phong", "sai-mat-khau-roi") == WRONG
        clock.advance(10)
    hasher.verified = 0
    # a correct password is refused too, before it is verified, from any address
    assert _refused(accounts, "van-phong", PASSWORD, "10.9.9.9") == (
        "đăng nhập sai quá nhiều lần; thử lại sau 15 phút"
    )
    assert hasher.verified == 0
    # the fifth failure was 10 s ago: it locks for `lockout` from then
    clock.advance(POLICY.lockout - 10 - 59)
    assert _refused(accounts, "van-phong", PASSWORD) == "đăng nhập sai quá nhiều lần; thử lại sau 1 phút"
    clock.advance(59)
    assert accounts.login("van-phong", PASSWORD, "10.0.0.1").account.name == "van-phong"


def test_failures_outside_the_window_do_not_add_up(accounts: Accounts, clock: Clock) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    for _ in range(POLICY.account_failures - 1):
        _refused(accounts, "van-phong", "sai-mat-khau-roi")
    clock.advance(POLICY.window)
    _refused(accounts, "van-phong", "sai-mat-khau-roi")
    assert accounts.login("van-phong", PASSWORD, "10.0.0.1")


def test_a_success_clears_the_accounts_failures(accounts: Accounts) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    for _ in range(2):
        for _ in range(POLICY.account_failures - 1):
            _refused(accounts, "van-phong", "sai-mat-khau-roi")
        assert accounts.login("van-phong", PASSWORD, "10.0.0.1")


def test_unknown_names_lock_like_known_ones(accounts: Accounts) -> None:
    for _ in range(POLICY.account_failures):
        assert _refused(accounts, "khong-co-ai", "sai-mat-khau-roi") == WRONG
    assert _refused(accounts, "khong-co-ai", "sai-mat-khau-roi").startswith("đăng nhập sai quá nhiều lần")


def test_address_locked_across_accounts(accounts: Accounts, clock: Clock) -> None:
    accounts.add("bt.tdp5", "bi_thu", PASSWORD, cell="to-dan-pho-5")
    per_name = POLICY.account_failures - 1
    for index in range(POLICY.address_failures):
        _refused(accounts, f"ten-{index // per_name}", "sai-mat-khau-roi", "203.0.113.7")
    assert _refused(accounts, "bt.tdp5", PASSWORD, "203.0.113.7").startswith("đăng nhập sai quá nhiều lần")
    assert accounts.login("bt.tdp5", PASSWORD, "198.51.100.2")  # another address
    clock.advance(POLICY.lockout)
    assert accounts.login("bt.tdp5", PASSWORD, "203.0.113.7")


def test_disabled_account(accounts: Accounts) -> None:
    accounts.add("bt.tdp5", "bi_thu", PASSWORD, cell="to-dan-pho-5")
    session = accounts.login("bt.tdp5", PASSWORD, "10.0.0.1")
    accounts.disable("bt.tdp5")
    assert accounts.session(session.token) is None
    assert _refused(accounts, "bt.tdp5", PASSWORD) == "tài khoản đã bị khóa; hỏi Văn phòng Đảng ủy"
    assert _refused(accounts, "bt.tdp5", "sai-mat-khau-roi") == WRONG  # says nothing more
    accounts.enable("bt.tdp5")
    assert accounts.session(session.token) is None  # ended, not paused
    assert accounts.login("bt.tdp5", PASSWORD, "10.0.0.1")


def test_a_session_of_an_account_disabled_meanwhile_is_none(accounts: Accounts) -> None:
    accounts.add("bt.tdp5", "bi_thu", PASSWORD, cell="to-dan-pho-5")
    session = accounts.login("bt.tdp5", PASSWORD, "10.0.0.1")
    with sqlite3.connect(accounts.path) as db:  # as another process would, sessions kept
        db.execute("UPDATE tai_khoan SET bi_khoa = 1")
    assert accounts.session(session.token) is None


def test_reset_password(accounts: Accounts) -> None:
    accounts.add("bt.tdp5", "bi_thu", PASSWORD, cell="to-dan-pho-5")
    session = accounts.login("bt.tdp5", PASSWORD, "10.0.0.1")
    for _ in range(POLICY.account_failures):
        _refused(accounts, "bt.tdp5", "sai-mat-khau-roi", "10.0.0.2")
    with pytest.raises(UsageError, match="mật khẩu quá ngắn"):
        accounts.reset_password("bt.tdp5", "ngan")
    assert accounts.reset_password("bt.tdp5", "mat-khau-moi-hon").name == "bt.tdp5"
    assert accounts.session(session.token) is None
    assert _refused(accounts, "bt.tdp5", PASSWORD) == WRONG  # lockout lifted, old password gone
    assert accounts.login("bt.tdp5", "mat-khau-moi-hon", "10.0.0.1")


def test_login_rehashes_with_the_hashers_parameters(tmp_path: Path, clock: Clock) -> None:
    old = Accounts.of_workspace(tmp_path, clock=clock, hasher=CountingHasher(time_cost=1))
    old.add("van-phong", "dang_uy", PASSWORD)
    old.close()
    new = Accounts.of_workspace(tmp_path, clock=clock, hasher=CountingHasher(time_cost=2))
    new.login("van-phong", PASSWORD, "10.0.0.1")
    with sqlite3.connect(new.path) as db:
        (stored,) = db.execute("SELECT mat_khau FROM tai_khoan").fetchone()
    assert ",t=2," in stored
    assert new.login("van-phong", PASSWORD, "10.0.0.1")
    new.close()


# ------------------------------------------------------------------ sessions


def test_idle_expiry(accounts: Accounts, clock: Clock) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    session = accounts.login("van-phong", PASSWORD, "10.0.0.1")
    clock.advance(POLICY.idle - 1)
    kept = accounts.session(session.token)
    assert kept is not None and kept.seen == clock.now  # used: idle time starts again
    clock.advance(POLICY.idle - 1)
    assert accounts.session(session.token) is not None
    clock.advance(POLICY.idle)
    assert accounts.session(session.token) is None
    clock.advance(-POLICY.idle)  # removed, not only refused
    assert accounts.session(session.token) is None


def test_absolute_expiry(accounts: Accounts, clock: Clock) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    session = accounts.login("van-phong", PASSWORD, "10.0.0.1")
    step = POLICY.idle / 2
    steps = int(POLICY.absolute // step)
    for _ in range(steps - 1):
        clock.advance(step)
        assert accounts.session(session.token) is not None
    clock.advance(POLICY.absolute - (steps - 1) * step)
    assert accounts.session(session.token) is None


def test_seen_is_written_at_most_once_a_minute(accounts: Accounts, clock: Clock) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    session = accounts.login("van-phong", PASSWORD, "10.0.0.1")
    clock.advance(SEEN_EVERY / 2)
    assert accounts.session(session.token).seen == session.created  # type: ignore[union-attr]
    clock.advance(SEEN_EVERY / 2)
    assert accounts.session(session.token).seen == clock.now  # type: ignore[union-attr]


def test_only_the_sha256_of_the_token_is_stored(accounts: Accounts) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    session = accounts.login("van-phong", PASSWORD, "10.0.0.1")
    with sqlite3.connect(accounts.path) as db:
        rows = db.execute("SELECT ma_bam, csrf FROM phien").fetchall()
    assert rows == [(hashlib.sha256(session.token.encode()).hexdigest(), session.csrf)]
    stored = b"".join(
        p.read_bytes() for p in accounts.path.parent.iterdir() if p.name.startswith(accounts.path.name)
    )
    assert session.token.encode() not in stored and session.csrf.encode() in stored


def test_the_session_query_is_one_indexed_lookup(accounts: Accounts) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    with sqlite3.connect(accounts.path) as db:
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + SESSION_QUERY, ("x",))]
    assert len(plan) == 2 and all(step.startswith("SEARCH") and "INDEX" in step for step in plan), plan


def test_expired_rows_are_pruned(accounts: Accounts, clock: Clock) -> None:
    accounts.add("van-phong", "dang_uy", PASSWORD)
    for _ in range(3):
        accounts.login("van-phong", PASSWORD, "10.0.0.1")
    _refused(accounts, "khong-co-ai", "sai-mat-khau-roi")
    clock.advance(POLICY.absolute)
    accounts.login("van-phong", PASSWORD, "10.0.0.1")
    with sqlite3.connect(accounts.path) as db:
        assert db.execute("SELECT count(*) FROM phien").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM dang_nhap_sai").fetchone() == (0,)


def test_threads_log_in_and_read_sessions_at_once(tmp_path: Path, clock: Clock) -> None:
    setup = Accounts.of_workspace(tmp_path, clock=clock, hasher=CountingHasher())
    for index in range(8):
        setup.add(f"bt-{index}", "bi_thu", PASSWORD, cell=f"chi-bo-{index}")
    setup.close()
    # two instances on one file: two server processes, or the server and a command
    shared = [Accounts.of_workspace(tmp_path, clock=clock, hasher=CountingHasher()) for _ in range(2)]
    errors: list[BaseException] = []
    seen: list[str] = []

    def work(index: int) -> None:
        accounts = shared[index % 2]
        try:
            for round_ in range(5):
                if round_ % 2:
                    with pytest.raises(AccessRefused):
                        accounts.login(f"bt-{index}", "sai-mat-khau-roi", f"10.0.0.{index}")
                session = accounts.login(f"bt-{index}", PASSWORD, f"10.0.0.{index}")
                for _ in range(20):
                    found = accounts.session(session.token)
                    assert found is not None and found.account.name == f"bt-{index}"
                accounts.logout(session.token)
            seen.append(f"bt-{index}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(seen) == [f"bt-{i}" for i in range(8)]
    for accounts in shared:
        accounts.close()


# ------------------------------------------------------------------ the file


def test_a_file_that_is_no_database_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / ACCOUNTS_FILE
    path.parent.mkdir()
    path.write_bytes(b"khong phai sqlite " * 100)
    accounts = Accounts(path, hasher=CountingHasher())
    with pytest.raises(OutputError, match="không (mở|đọc|ghi) được tệp tài khoản"):
        accounts.exists()


def test_a_folder_that_cannot_be_made_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / ".docgen").write_text("a file where the folder goes")
    accounts = Accounts.of_workspace(tmp_path, hasher=CountingHasher())
    with pytest.raises(OutputError, match="không tạo được tệp tài khoản"):
        accounts.add("van-phong", "dang_uy", PASSWORD)
