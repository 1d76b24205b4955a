"""docgen new: a period's file made for the cell (its roster, the previous period, its
secretary), which ``docgen check`` passes at once or where it lists only the fields marked
to be typed; typed in, the file checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.errors import InputError, OutputError, UsageError
from docgen.newfiles import NEW_FILE_NAMES, TO_TYPE, new_period_file
from docgen.pipeline import check_workspace
from docgen.workspace import load_workspace
from docgen.yamlsource import load_source

CELL = "to-dan-pho-5"
EXEMPT = {"dv09", "dv25"}  # the sample's members exempt from party activity


def _problems(ws_root: Path) -> list[tuple[str, int | None, str]]:
    try:
        check_workspace(load_workspace(ws_root))
    except InputError as exc:
        return [(p.file, p.line, p.message) for p in exc.problems]
    return []


def _only_marked(ws_root: Path, path: Path) -> list[tuple[str, int | None, str]]:
    """The check's problems, asserting each is on a line of ``path`` marked to be typed."""
    problems = _problems(ws_root)
    lines = path.read_text(encoding="utf-8").splitlines()
    for file, line, message in problems:
        assert Path(file).resolve() == path.resolve(), (file, message)
        assert line is not None and TO_TYPE in lines[line - 1], (line, lines[line - 1], message)
    return problems


_VALUES = {
    "diem_chung": "25",
    "diem_nhiem_vu": "55",
    "tu_nhan": "tot",
    "de_xuat": "hoan_thanh",
    "thu_ky": "dv02",
}


def _type_in(path: Path, day: str, present: int = 20) -> None:
    """Fill every empty field marked to be typed, as the secretary would (``present``:
    the members at each meeting and paying their dues)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\s*(?:- )?)(\w+):\s+# " + TO_TYPE + r": (.*)$", line)
        if match:
            lead, key, what = match.groups()
            if key in ("co_mat", "so_da_dong"):
                value = str(present)
            elif key in _VALUES:
                value = _VALUES[key]
            elif key in ("ngay_ban_hanh", "ngay", "thoi_han"):
                value = day
            elif "mỗi đoạn" in what:
                value = "Nội dung do chi bộ ghi"
            else:
                value = "Việc do chi bộ ghi"
            line = f"{lead}{key}: {value}"
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_the_names_are_the_cells_files() -> None:
    assert sorted(NEW_FILE_NAMES) == ["ke-hoach", "nam", "phan-cong", "quy"]


def test_new_quarter_lists_every_member_and_only_what_to_type(
    runner: CliRunner, sample_ws: Path
) -> None:
    target = sample_ws / "chi-bo" / CELL / "2026" / "quy-4.yaml"
    sample = load_source(target, "quy-4.yaml").data["bao_cao_quy"]
    target.unlink()
    assert _problems(sample_ws) == []  # the workspace checks without the quarter

    result = runner.invoke(cli, ["new", "quy", "--chi-bo", CELL, "--nam", "2026", "--quy", "4", "-w", str(sample_ws)])
    assert result.exit_code == 0, result.output
    assert "Đã tạo" in result.stdout and "quy-4.yaml" in result.stdout
    text = target.read_text(encoding="utf-8")

    # every current member: an evaluation entry, or a comment saying why not
    roster = load_workspace(sample_ws).load_cell(CELL).members
    listed = re.findall(r"^    - ma: (\w+)", text, re.M)
    assert listed == [m.ma for m in roster if m.ma not in EXEMPT]
    for member_id in EXEMPT:
        assert re.search(rf"^    # {member_id} .*miễn sinh hoạt đảng từ", text, re.M)
    assert "nguoi_ky: dv04" in text  # the secretary
    # the previous quarter's regular meeting day (the 5th)
    assert re.findall(r"^    - ngay: (\S+)", text, re.M) == ["2026-10-05", "2026-11-05", "2026-12-05"]
    # nothing of the sample's quarter: its number, guests, opinions, complaints
    assert not re.search(r"^\s*so:", text, re.M)
    for meeting in sample["buoi_sinh_hoat"]:
        for item in [*meeting.get("khach_moi", []), *[y["noi_dung"] for y in meeting.get("y_kien", [])]]:
            assert item not in text
    for event in sample.get("don_thu", []):
        assert event["noi_dung"] not in text
    for paragraph in sample["han_che"] + sample["phuong_huong"]:
        assert paragraph not in text

    problems = _only_marked(sample_ws, target)
    assert problems  # the facts of the quarter are the secretary's to type
    _type_in(target, "2026-12-28")
    assert _problems(sample_ws) == []


def test_new_quarter_without_a_previous_one(sample_ws: Path) -> None:
    ws = load_workspace(sample_ws)
    path = new_period_file(ws, "quy", CELL, 2028, 1)
    assert path == sample_ws / "chi-bo" / CELL / "2028" / "quy-1.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(f"- ngay:   # {TO_TYPE}") == 3  # three regular meetings, dates to type
    _only_marked(sample_ws, path)
    _type_in(path, "2028-02-05")
    assert _problems(sample_ws) == []


def test_existing_file_is_refused_unless_forced(runner: CliRunner, sample_ws: Path) -> None:
    target = sample_ws / "chi-bo" / CELL / "2026" / "quy-3.yaml"
    before = target.read_bytes()
    args = ["new", "quy", "--chi-bo", CELL, "--nam", "2026", "--quy", "3", "-w", str(sample_ws)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "quy-3.yaml: tệp đã có; không ghi đè (thêm --force" in result.stderr
    assert target.read_bytes() == before
    with pytest.raises(OutputError):
        new_period_file(load_workspace(sample_ws), "quy", CELL, 2026, 3)

    result = runner.invoke(cli, [*args, "--force"])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() != before
    _only_marked(sample_ws, target)


def test_unknown_cell_is_a_located_error(runner: CliRunner, sample_ws: Path) -> None:
    result = runner.invoke(cli, ["new", "nam", "--chi-bo", "to-dan-pho", "--nam", "2027", "-w", str(sample_ws)])
    assert result.exit_code == 2
    assert "không có chi bộ 'to-dan-pho' trong" in result.stderr
    assert "dang-bo.yaml" in result.stderr and "to-dan-pho-5" in result.stderr
    assert not (sample_ws / "chi-bo" / "to-dan-pho").exists()


def test_quarter_needs_its_number(sample_ws: Path) -> None:
    ws = load_workspace(sample_ws)
    with pytest.raises(UsageError, match="cần --quy"):
        new_period_file(ws, "quy", CELL, 2027)
    with pytest.raises(UsageError, match="không ghi --quy"):
        new_period_file(ws, "nam", CELL, 2027, 2)
    assert not (sample_ws / "chi-bo" / CELL / "2027").exists()


def test_new_year_review_lists_every_member(sample_ws: Path) -> None:
    target = sample_ws / "chi-bo" / CELL / "2026" / "nam.yaml"
    target.unlink()
    path = new_period_file(load_workspace(sample_ws), "nam", CELL, 2026)
    assert path == target
    text = path.read_text(encoding="utf-8")
    roster = load_workspace(sample_ws).load_cell(CELL).members
    assert re.findall(r"^    - ma: (\w+)", text, re.M) == [m.ma for m in roster]
    assert "nguoi_ky: dv04" in text
    _only_marked(sample_ws, path)
    _type_in(path, "2026-12-22")
    assert _problems(sample_ws) == []


def test_new_assignment_carries_the_recurring_tasks(sample_ws: Path) -> None:
    path = new_period_file(load_workspace(sample_ws), "phan-cong", CELL, 2027)
    assert path == sample_ws / "chi-bo" / CELL / "2027" / "phan-cong.yaml"
    text = path.read_text(encoding="utf-8")
    # dv01's recurring task goes on; dv04's task with a deadline does not
    assert "Vận động thanh niên tham gia nghĩa vụ quân sự, hiến máu tình nguyện" in text
    assert "Vận động ủng hộ Quỹ “Vì người nghèo”" not in text
    assert "hoan_thanh" not in text.split("nhiem_vu:", 1)[1].replace("hoan_thanh_vuot", "")
    given = set(re.findall(r"- dang_vien: (\w+)", text))
    roster = load_workspace(sample_ws).load_cell(CELL).members
    assert given == {m.ma for m in roster} - EXEMPT  # every member who can be given a task
    _only_marked(sample_ws, path)
    _type_in(path, "2027-02-05")
    assert _problems(sample_ws) == []


def test_new_plan_from_last_years(sample_ws: Path) -> None:
    path = new_period_file(load_workspace(sample_ws), "ke-hoach", CELL, 2027)
    text = path.read_text(encoding="utf-8")
    assert "thoi_gian: Tháng 01/2027" in text and "/2026" not in text
    # the shortcomings come from last year's review
    assert "Còn 02 nhiệm vụ hoàn thành chậm so với thời hạn trong quý II" in text
    assert "nguoi_ky: dv04" in text
    _only_marked(sample_ws, path)
    _type_in(path, "2027-01-05")
    assert _problems(sample_ws) == []


def test_new_plan_for_a_cell_with_no_past(sample_ws: Path) -> None:
    path = new_period_file(load_workspace(sample_ws), "ke-hoach", CELL, 2030)
    text = path.read_text(encoding="utf-8")
    assert "Tổ dân phố văn hóa" not in text  # nothing of another year's plan
    _only_marked(sample_ws, path)
    _type_in(path, "2030-01-05")
    assert _problems(sample_ws) == []


def test_from_an_empty_folder_to_the_first_quarter(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guide's path: init, then the quarter's file by docgen new; check lists only what
    to type, and passes once it is typed."""
    monkeypatch.chdir(tmp_path)
    init = runner.invoke(cli, [
        "init", "-w", "du-lieu", "--dang-bo", "Đảng bộ phường An Phú", "--cap-tren", "Đảng bộ thành phố Hà Nội",
        "--dia-danh", "An Phú", "--ten", "Chi bộ Khu phố 3", "--loai", "dia_ban_dan_cu",
        "--bi-thu", "Nguyễn Văn An", "--nam", "2026", "--gioi-tinh", "nam", "--nam-sinh", "1960",
        "--ngay-vao-dang", "19/05/1990",
    ])
    assert init.exit_code == 0, init.output
    roster = tmp_path / "du-lieu" / "chi-bo" / "khu-pho-3" / "dang-vien.yaml"
    with roster.open("a", encoding="utf-8") as f:  # a second member, as roster import adds them
        f.write(
            "  - ma: dv02\n    ho_ten: Trần Thị Bình\n    gioi_tinh: nu\n    nam_sinh: 1970\n"
            "    loai_dang_vien: chinh_thuc\n    ngay_vao_dang: 2000-03-02\n    ngay_chinh_thuc: 2001-03-02\n"
        )
    result = runner.invoke(cli, ["new", "quy", "--chi-bo", "khu-pho-3", "--nam", "2026", "--quy", "1", "-w", "du-lieu"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "du-lieu" / "chi-bo" / "khu-pho-3" / "2026" / "quy-1.yaml"
    assert _only_marked(tmp_path / "du-lieu", path)
    _type_in(path, "2026-03-28", present=1)
    check = runner.invoke(cli, ["check", "-w", "du-lieu"])
    assert check.exit_code == 0, check.output


def test_the_guide_makes_files_with_docgen_new() -> None:
    from tests.conftest import REPO

    guide = (REPO / "docs" / "huong-dan-bi-thu.md").read_text(encoding="utf-8")
    for name in NEW_FILE_NAMES:
        assert f"docgen new {name} --chi-bo" in guide, name
    assert "chép tệp quý của chi bộ mẫu trong `data/` rồi sửa" not in guide
