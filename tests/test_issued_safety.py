"""Issued documents are never lost (issue 20, findings 5 and 6): a kill at any point of a
re-issue, two runs writing the same document into one output folder, stale temporary
files. Kills are real (SIGKILL of a child process at a chosen point: the child patches
docgen before running the command, so docgen itself has no test hook)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import time
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.register import REGISTER_FILE
from tests.conftest import REPO

OUT = Path("out")
CELL = "to-dan-pho-5"
RENDER = ["render", "ke-hoach", "phan-cong", "--chi-bo", CELL, "--nam", "2026"]

# Run docgen in a child that kills itself (SIGKILL: nothing runs after) at ``point``.
KILLER = """
import os, signal, sys
from docgen import issue, output

point = sys.argv[1]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "before-stage":
    output._FileSet.stage = die
elif point == "after-stage":
    output._FileSet.commit = die
elif point == "journal":  # the journal written, not yet under its name
    real_rename = os.rename
    def rename(a, b):
        if str(b).endswith(".docgen-journal.json"):
            die()
        return real_rename(a, b)
    os.rename = rename
elif point == "mid-rename":  # the first document renamed into place, not the second
    real, seen = os.replace, []
    def replace(a, b):
        if str(b).endswith(".docx"):
            seen.append(b)
            if len(seen) == 2:
                die()
        return real(a, b)
    os.replace = replace
elif point == "before-record":
    issue.record_issue = die
elif point == "after-record":
    output._FileSet.finish = die
from docgen.cli import main
main(sys.argv[2:])
"""

# Run docgen in a child that stops after putting its files in place, before recording
# them, until the file ``go`` exists (it says so by making ``paused``).
PAUSER = """
import sys, time
from pathlib import Path
from docgen import issue

real = issue.record_issue

def paused(*args, **kwargs):
    Path("paused").touch()
    deadline = time.monotonic() + 60
    while not Path("go").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    return real(*args, **kwargs)

issue.record_issue = paused
from docgen.cli import main
main(sys.argv[1:])
"""


@pytest.fixture
def ws(sample_ws: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(sample_ws.parent)
    return sample_ws


def child(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def recorded(ws: Path) -> dict[str, str | None]:
    """identity -> sha256 of every row of the register, read without docgen."""
    import sqlite3

    path = ws / REGISTER_FILE
    if not path.exists():
        return {}
    with closing(sqlite3.connect(path)) as db:
        return dict(db.execute("SELECT danh_tinh, sha256 FROM van_ban_di").fetchall())


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def documents(out: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(out.rglob("*.docx"))}


def leftovers(out: Path) -> list[str]:
    """Temporaries, the journal, the lock: nothing of a run once it is over."""
    return sorted(
        p.name for p in out.rglob("*")
        if p.name.endswith(".tmp") or p.name.startswith((".docgen-journal", ".docgen.lock"))
    )  # fmt: skip


def agree(ws: Path, out: Path) -> None:
    """Each issued document at its place is whole and is what the register recorded."""
    issued = recorded(ws)
    for identity, digest in issued.items():
        path = out / f"{identity}.docx"
        assert digest is not None and path.is_file(), identity
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
        assert sha(path) == digest, identity


def rename_cell(ws: Path) -> None:
    data = ws / "chi-bo" / CELL / "chi-bo.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("ten: Chi bộ Tổ dân phố số 5", "ten: Chi bộ Tổ dân phố số 05"), encoding="utf-8")


def kept(path: Path, n: int = 1) -> Path:
    return path.with_name(f"{path.stem}-ban-hanh-lan-{n}.docx")


# ------------------------------------------------------------------ a re-issue, killed


@pytest.mark.parametrize(
    "point", ["before-stage", "after-stage", "journal", "mid-rename", "before-record", "after-record"]
)
def test_a_reissue_killed_anywhere_loses_no_issued_version(runner: CliRunner, ws: Path, point: str) -> None:
    first = runner.invoke(cli, [*RENDER, "-o", "out"])
    assert first.exit_code == 0, first.output
    issued = documents(OUT)
    assert len(issued) >= 2  # the plan and the assignment notice(s): a rename between them
    rename_cell(ws)

    killed = child(KILLER, point, *RENDER, "--reissue", "-w", "data", "-o", "out")
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL

    # The next command, about another document, finds what the killed run left.
    after = runner.invoke(cli, ["render", "ke-hoach", "--chi-bo", "co-quan-phuong", "--nam", "2026", "-o", "out"])
    assert after.exit_code == 0, after.output
    assert "Traceback" not in after.output
    assert leftovers(OUT) == []
    agree(ws, OUT)
    finished = point == "after-record"
    for path, old in issued.items():
        if finished:  # recorded: the new version stands, the issued one kept beside it
            assert path.read_bytes() != old
            assert kept(path).read_bytes() == old
        else:  # not recorded: put back as it was
            assert path.read_bytes() == old, path
            assert not kept(path).exists()
    if point in ("mid-rename", "before-record"):
        assert (
            "Cảnh báo: out: một lần chạy docgen trước bị dừng đột ngột khi đang ghi "
        ) in after.stderr
    if point == "after-stage":
        assert "tệp tạm do một lần chạy docgen bị dừng đột ngột để lại" in after.stderr
    if finished:
        assert "ngay sau khi ghi sổ đăng ký; đã đặt xong" in after.stderr

    # Re-issued again: done, each issued version kept, visible, under its issue's name.
    again = runner.invoke(cli, [*RENDER, "--reissue", "-o", "out"])
    assert again.exit_code == 0, again.output
    assert leftovers(OUT) == []
    agree(ws, OUT)
    for path, old in issued.items():
        assert kept(path).read_bytes() == old
        assert sha(path) == recorded(ws)[path.relative_to(OUT).with_suffix("").as_posix()]


def test_a_reissue_keeps_the_issued_version_visible(runner: CliRunner, ws: Path) -> None:
    assert runner.invoke(cli, [*RENDER, "-o", "out"]).exit_code == 0
    plan = OUT / f"ngoc-ha/{CELL}/2026/ke-hoach.docx"
    first = plan.read_bytes()
    rename_cell(ws)
    result = runner.invoke(cli, [*RENDER, "--reissue", "-o", "out"])
    assert result.exit_code == 0, result.output
    assert (
        f"Cảnh báo: out/ngoc-ha/{CELL}/2026/ke-hoach.docx: bản ban hành lần 1 được giữ lại "
        "thành ke-hoach-ban-hanh-lan-1.docx"
    ) in result.stderr.splitlines()
    assert kept(plan).read_bytes() == first
    second = plan.read_bytes()
    (ws / "chi-bo" / CELL / "chi-bo.yaml").write_text(
        (ws / "chi-bo" / CELL / "chi-bo.yaml").read_text(encoding="utf-8").replace("số 05", "số 005"),
        encoding="utf-8",
    )
    assert runner.invoke(cli, [*RENDER, "--reissue", "-o", "out"]).exit_code == 0
    assert kept(plan).read_bytes() == first and kept(plan, 2).read_bytes() == second
    assert leftovers(OUT) == []
    agree(ws, OUT)


def test_a_kept_file_is_never_labelled_with_an_issue_it_is_not(runner: CliRunner, ws: Path) -> None:
    """Outside review: issue 1 into out1, re-issue (2) into out2, re-issue (3) into out1: the
    file out1 holds is issue 1, not the issue 2 the register last recorded."""
    assert runner.invoke(cli, [*RENDER, "-o", "out1"]).exit_code == 0
    plan = Path("out1") / f"ngoc-ha/{CELL}/2026/ke-hoach.docx"
    first = plan.read_bytes()
    rename_cell(ws)
    assert runner.invoke(cli, [*RENDER, "--reissue", "-o", "out2"]).exit_code == 0
    (ws / "chi-bo" / CELL / "chi-bo.yaml").write_text(
        (ws / "chi-bo" / CELL / "chi-bo.yaml").read_text(encoding="utf-8").replace("số 05", "số 005"),
        encoding="utf-8",
    )
    result = runner.invoke(cli, [*RENDER, "--reissue", "-o", "out1"])
    assert result.exit_code == 0, result.output
    assert not kept(plan, 2).exists()
    assert plan.with_name("ke-hoach-ban-cu.docx").read_bytes() == first
    assert (
        f"Cảnh báo: out1/ngoc-ha/{CELL}/2026/ke-hoach.docx: tệp đang có không phải bản ban hành lần 2 mà sổ "
        "đăng ký ghi (bản đó có thể ở thư mục kết quả khác); tệp cũ được giữ lại thành ke-hoach-ban-cu.docx"
    ) in result.stderr.splitlines()


# ------------------------------------------------------------------ two runs, one folder


def other_template(ws: Path) -> Path:
    """The built-in plan template, its zip comment changed: another template (another
    digest in the document's properties), the same layout."""
    folder = ws.parent / "mau"
    folder.mkdir()
    with zipfile.ZipFile(REPO / "templates/docx/ke-hoach.docx") as source, zipfile.ZipFile(
        folder / "ke-hoach.docx", "w", zipfile.ZIP_DEFLATED
    ) as copy:
        for info in source.infolist():
            copy.writestr(info, source.read(info))
        copy.comment = b"mau cua phuong"
    return folder


def test_a_run_cannot_undo_what_another_issued(ws: Path) -> None:
    """One run has put the plan in place and not recorded it yet; another run, with
    another template, issues the same plan meanwhile. On main the second ran through
    (cấp số mới, recorded), then the first, refused, undid its write by removing the file:
    the issued document was gone. Now the second waits for the folder's lock."""
    templates = other_template(ws)
    plan_args = ["render", "ke-hoach", "--chi-bo", CELL, "--nam", "2026", "-w", "data", "-o", "out"]
    first = child(PAUSER, *plan_args)
    deadline = time.monotonic() + 60
    while not Path("paused").exists() and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.02)
    assert Path("paused").exists(), first.communicate()
    second = child(KILLER, "none", *plan_args, "--templates", str(templates))
    deadline = time.monotonic() + 8  # enough for it to finish, were it not held back
    while second.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    Path("go").touch()
    out1, err1 = first.communicate(timeout=120)
    out2, err2 = second.communicate(timeout=180)
    assert "Traceback" not in err1 + err2
    plan = OUT / f"ngoc-ha/{CELL}/2026/ke-hoach.docx"
    assert plan.is_file(), (out1, err1, out2, err2)
    agree(ws, OUT)
    winners = [out for out in (out1, out2) if "cấp số mới" in out]
    assert len(winners) == 1, (out1, out2)
    assert leftovers(OUT) == []


def test_a_run_waits_for_the_folder_then_says_who_holds_it(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docgen import output

    monkeypatch.setattr(output, "LOCK_WAIT", 1.0)
    OUT.mkdir()
    with open(OUT / ".docgen.lock", "w") as held:  # another run holds the folder
        fcntl.flock(held, fcntl.LOCK_EX)
        started = time.monotonic()
        result = runner.invoke(cli, [*RENDER, "-o", "out"])
        waited = time.monotonic() - started
    assert result.exit_code == 1
    assert result.stderr == (
        "Lỗi: out: một lần chạy docgen khác đang ghi vào thư mục kết quả này (đã chờ 1 giây); "
        "chờ lần chạy đó xong rồi chạy lại\n"
    )
    assert waited >= 1.0
    assert recorded(ws) == {}  # the numbers it reserved are given back
    assert documents(OUT) == {}


# ------------------------------------------------------------------ temporaries


def test_a_live_runs_temporary_is_left_alone(tmp_path: Path) -> None:
    from docgen.output import remove_stale_temporaries

    live = tmp_path / ".ke-hoach.docx.docgen-abcd1234.tmp"
    stale = tmp_path / ".phan-cong.docx.docgen-efgh5678.tmp"
    live.write_bytes(b"dang ghi")
    stale.write_bytes(b"bo lai")
    with open(live, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # the writing run holds it
        assert remove_stale_temporaries(tmp_path) == [stale]
    assert live.exists() and not stale.exists()


def test_render_tidies_what_a_killed_render_left(runner: CliRunner, ws: Path) -> None:
    killed = child(KILLER, "after-stage", *RENDER, "-w", "data", "-o", "out")
    killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert [p for p in OUT.rglob("*.tmp")] != []
    result = runner.invoke(cli, [*RENDER, "-o", "out"])
    assert result.exit_code == 0, result.output
    assert f"Cảnh báo: out/ngoc-ha: đã dọn {len(documents(OUT))} tệp tạm do một lần chạy docgen bị dừng đột ngột để lại" in result.stderr.splitlines()
    assert leftovers(OUT) == []
    agree(ws, OUT)
