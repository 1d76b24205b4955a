"""The ward office's template versions (docgen/templatestore.py): upload within limits,
hostile packages refused, the check, a draft preview made with a cell's data, activation,
restoring an earlier version, back to the built-in."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import cli
from docgen.docxread import text_dump
from docgen.errors import TemplateCheckError, TemplateError, UsageError
from docgen.register import REGISTER_FILE
from docgen.templates import BUILTIN_DIR, list_templates
from docgen.templatestore import STORE_DIR, UPLOAD_LIMIT, TemplateStore
from docgen.workspace import load_workspace
from tests.test_untrusted_docx import with_linked_image
from tests.wordedit import edit_part, replace

ICT = timezone(timedelta(hours=7))


class Clock:
    """A clock the test moves: one minute per reading."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 30, 8, 0, tzinfo=ICT)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def store(sample_ws: Path) -> TemplateStore:
    return TemplateStore.of_workspace(sample_ws, clock=Clock())


def builtin(name: str) -> bytes:
    return (BUILTIN_DIR / f"{name}.docx").read_bytes()


def reworded(name: str = "ke-hoach") -> bytes:
    """The built-in template with a sentence reworded, as a ward office would."""
    return edit_part(builtin(name), "word/document.xml", replace("cụ thể như sau:", "với các nội dung sau đây:"))


def broken() -> bytes:
    """A template naming a variable its contract does not have."""
    return edit_part(builtin("phan-cong-thong-bao"), "word/document.xml", replace("{{ r.ho_ten }}", "{{ r.hoten }}"))


def in_use(ws: Path, file: str) -> tuple[bool, str]:
    info = next(i for i in list_templates(load_workspace(ws).templates_dir) if i.file == file)
    return info.own, info.sha256


def test_the_builtin_uploaded_is_clean_and_activation_makes_it_the_wards_copy(
    store: TemplateStore, sample_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ward_before = (sample_ws / "dang-bo.yaml").read_text(encoding="utf-8")
    assert "thu_muc_mau" not in ward_before and load_workspace(sample_ws).templates_dir is None
    candidate = store.upload("ke-hoach", builtin("ke-hoach"), filename="C:\\Mẫu\\ke-hoach.docx", who="vp")
    assert candidate.findings == [] and candidate.errors == []
    version = candidate.version
    assert (version.number, version.who, version.uploaded_name, version.active) == (1, "vp", "ke-hoach.docx", False)
    assert version.at == "2026-03-30T08:01:00+07:00"
    assert in_use(sample_ws, "ke-hoach.docx")[0] is False  # stored, not in use

    active = store.activate("ke-hoach", 1, who="vp")
    assert active.active and active.activations == (("vp", "2026-03-30T08:02:00+07:00"),)
    ward_after = (sample_ws / "dang-bo.yaml").read_text(encoding="utf-8")
    # the setting is added in cai_dat, the rest of the file (its comments) unchanged
    assert ward_after.replace("  thu_muc_mau: mau\n", "", 1) == ward_before
    assert (sample_ws / "mau" / "ke-hoach.docx").read_bytes() == builtin("ke-hoach")
    own, digest = in_use(sample_ws, "ke-hoach.docx")
    assert own and digest == version.sha256
    [kind] = [k for k in store.kinds() if k.kind == "ke-hoach"]
    assert kind.own and kind.active is not None and kind.active.number == 1
    monkeypatch.chdir(sample_ws.parent)
    listed = CliRunner().invoke(cli, ["templates", "list"])
    assert listed.exit_code == 0, listed.output
    assert "  tệp: data/mau/ke-hoach.docx (mẫu riêng)" in listed.output
    assert "  tệp: data/mau/bao-cao-quy.docx" not in listed.output  # the others stay built-in


def test_the_same_file_twice_is_one_version(store: TemplateStore) -> None:
    first = store.upload("ke-hoach", builtin("ke-hoach"), filename="a.docx", who="vp").version
    again = store.upload("ke-hoach", builtin("ke-hoach"), filename="b.docx", who="khác").version
    assert again.number == first.number == 1 and again.uploaded_name == "a.docx"
    assert len(store.versions("ke-hoach")) == 1


def test_a_broken_template_shows_its_findings_and_is_never_put_in_use(store: TemplateStore, sample_ws: Path) -> None:
    ward_before = (sample_ws / "dang-bo.yaml").read_bytes()
    candidate = store.upload("phan-cong-thong-bao", broken(), filename="phan-cong-thong-bao.docx", who="vp")
    assert [f.format() for f in candidate.errors] == [
        "mẫu phan-cong-thong-bao.docx (bản 1): bảng 2, hàng 3, ô 2, đoạn 31 «{{ r.hoten }}»: thẻ {{ r.hoten }}: "
        "mỗi mục của 'bang' không có trường 'hoten' (có phải ý là 'ho_ten'?)"
    ]
    assert store.check("phan-cong-thong-bao", 1) == candidate.findings
    with pytest.raises(TemplateCheckError) as refused:
        store.activate("phan-cong-thong-bao", 1, who="vp")
    assert refused.value.lines() == [candidate.errors[0].format()]
    with pytest.raises(TemplateCheckError):
        store.preview("phan-cong-thong-bao", 1, sample_ws.parent / "xem")
    assert (sample_ws / "dang-bo.yaml").read_bytes() == ward_before
    assert not (sample_ws / "mau").exists()
    assert in_use(sample_ws, "phan-cong-thong-bao.docx")[0] is False
    assert store.versions("phan-cong-thong-bao")[0].activations == ()


def test_a_hostile_template_is_refused_and_not_stored(store: TemplateStore, sample_ws: Path) -> None:
    data = with_linked_image(builtin("ke-hoach"), "http://thu-thap.example/anh.png")
    with pytest.raises(TemplateCheckError) as refused:
        store.upload("ke-hoach", data, filename="ke-hoach.docx", who="vp")
    assert refused.value.lines()[0] == (
        "mẫu ke-hoach.docx: phần word/_rels/document.xml.rels: có liên kết ra ngoài tệp (image) tới "
        "«http://thu-thap.example/anh.png»: mẫu không được trỏ ra ngoài, hãy nhúng hoặc bỏ"
    )
    with pytest.raises(TemplateError, match=r"^mẫu ghi-chu\.txt: không phải tệp \.docx hợp lệ$"):
        store.upload("ke-hoach", b"not a zip", filename="ghi-chu.txt", who="vp")
    assert not (sample_ws / STORE_DIR).exists()
    assert store.versions("ke-hoach") == []


def test_an_oversized_upload_is_refused_before_it_is_read(store: TemplateStore, sample_ws: Path) -> None:
    with pytest.raises(TemplateError) as refused:
        store.upload("ke-hoach", b"PK" + b"\0" * UPLOAD_LIMIT, filename="to.docx", who="vp")
    assert str(refused.value) == "mẫu to.docx: tệp quá lớn: mẫu tải lên tối đa 4,0 MB"
    assert not (sample_ws / STORE_DIR).exists()


def test_an_unknown_template_or_version_is_a_usage_error(store: TemplateStore) -> None:
    with pytest.raises(UsageError, match="không có mẫu 'ke-hoac' \\(có phải ý là 'ke-hoach'\\?\\)"):
        store.upload("ke-hoac", builtin("ke-hoach"), filename="x.docx", who="vp")
    with pytest.raises(UsageError, match="^mẫu ke-hoach không có bản 3$"):
        store.activate("ke-hoach", 3, who="vp")
    with pytest.raises(UsageError):
        store.version("../../etc", 1)


def test_restoring_an_earlier_version_is_activating_it(store: TemplateStore, sample_ws: Path) -> None:
    store.upload("ke-hoach", builtin("ke-hoach"), filename="goc.docx", who="vp")
    store.activate("ke-hoach", 1, who="vp")
    second = store.upload("ke-hoach", reworded(), filename="sua.docx", who="chánh vp").version
    assert second.number == 2 and second.uploaded_name == "sua.docx"
    store.activate("ke-hoach", 2, who="chánh vp")
    target = sample_ws / "mau" / "ke-hoach.docx"
    assert target.read_bytes() == reworded()
    assert [v.active for v in store.kind("ke-hoach").versions] == [False, True]

    store.activate("ke-hoach", 1, who="vp")
    assert target.read_bytes() == builtin("ke-hoach")
    versions = store.kind("ke-hoach").versions
    assert [v.active for v in versions] == [True, False]
    assert [len(v.activations) for v in versions] == [2, 1]
    assert len(versions) == 2  # nothing new stored: both were versions already


def test_a_copy_placed_by_hand_is_kept_before_it_is_replaced(store: TemplateStore, sample_ws: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["templates", "export", str(sample_ws / "mau")]).exit_code == 0
    ward = sample_ws / "dang-bo.yaml"
    ward.write_text(ward.read_text(encoding="utf-8").replace("\ncai_dat:\n", "\ncai_dat:\n  thu_muc_mau: mau\n", 1),
                    encoding="utf-8")  # fmt: skip
    by_hand = reworded()
    (sample_ws / "mau" / "ke-hoach.docx").write_bytes(by_hand)
    store.upload("ke-hoach", builtin("ke-hoach"), filename="ke-hoach.docx", who="vp")
    store.activate("ke-hoach", 1, who="vp")
    kept = store.versions("ke-hoach")
    assert [(v.number, v.state, v.who) for v in kept] == [(1, "tai_len", "vp"), (2, "giu_lai", "vp")]
    assert store.data("ke-hoach", 2) == by_hand
    store.activate("ke-hoach", 2, who="vp")  # and it can be restored
    assert (sample_ws / "mau" / "ke-hoach.docx").read_bytes() == by_hand


def test_back_to_the_builtin_keeps_the_wards_copy(store: TemplateStore, sample_ws: Path) -> None:
    store.upload("ke-hoach", reworded(), filename="sua.docx", who="vp")
    store.activate("ke-hoach", 1, who="vp")
    store.use_builtin("ke-hoach", who="vp")
    own, digest = in_use(sample_ws, "ke-hoach.docx")
    assert not own and digest == store.kind("ke-hoach").sha256
    assert [v.number for v in store.versions("ke-hoach")] == [1]
    store.use_builtin("bao-cao-quy", who="vp")  # nothing of its own: nothing to do


def test_an_existing_folder_of_unused_templates_is_not_taken_over(store: TemplateStore, sample_ws: Path) -> None:
    (sample_ws / "mau").mkdir()
    shutil.copy(BUILTIN_DIR / "bao-cao-quy.docx", sample_ws / "mau" / "bao-cao-quy.docx")
    store.upload("ke-hoach", builtin("ke-hoach"), filename="ke-hoach.docx", who="vp")
    store.activate("ke-hoach", 1, who="vp")
    assert load_workspace(sample_ws).templates_dir == sample_ws / "mau-2"
    assert in_use(sample_ws, "bao-cao-quy.docx")[0] is False


def test_the_preview_is_a_draft_of_a_cell_with_data(store: TemplateStore, sample_ws: Path, tmp_path: Path) -> None:
    store.upload("ke-hoach", reworded(), filename="sua.docx", who="vp")
    made = store.preview("ke-hoach", 1, tmp_path / "xem")
    assert made == tmp_path / "xem" / "ke-hoach-ban-1.docx"
    text = text_dump(made)
    assert "DỰ THẢO" in text
    assert "với các nội dung sau đây:" in text  # made with this version
    assert "Tổ dân phố số 5" in text or "TỔ DÂN PHỐ SỐ 5" in text  # the first cell's own data
    assert not (sample_ws / REGISTER_FILE).exists()  # no number taken, nothing recorded
    assert not (sample_ws.parent / "output").exists()


def test_the_preview_without_data_uses_the_contracts_examples(store: TemplateStore, sample_ws: Path, tmp_path: Path) -> None:
    (sample_ws / "2026" / "ke-hoach-dang-uy.yaml").unlink()
    store.upload("ke-hoach-dang-uy", builtin("ke-hoach-dang-uy"), filename="x.docx", who="vp")
    made = store.preview("ke-hoach-dang-uy", 1, tmp_path)
    assert made.stat().st_size > 0 and "KẾ HOẠCH" in text_dump(made)
