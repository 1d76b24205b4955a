"""The template authoring guide for the ward office, generated from the contracts
(each kind's ``CONTRACTS``, found through docgen/contract.py's ``CONTRACTS``).

The same text is ``docs/templates.md`` in the repository (written by
``python tools/gen_template_docs.py``; a test fails if it drifts) and the
``HUONG-DAN-MAU.md`` that ``docgen templates export`` puts next to the exported
templates. It is for people who edit templates in Word, so it is Vietnamese.
"""

from __future__ import annotations

from docgen.contract import CONTRACTS, FILTERS, SHAPE_NAMES, TemplateContract, Var

__all__ = ["GUIDE_FILE", "guide_markdown"]

GUIDE_FILE = "HUONG-DAN-MAU.md"

_INTRO = """\
# Hướng dẫn sửa mẫu văn bản

<!-- Tệp này được sinh từ hợp đồng mẫu (docgen/documents/*.py) bằng: python tools/gen_template_docs.py
     Đừng sửa tay; sửa hợp đồng mẫu rồi chạy lại lệnh trên. -->

Dành cho văn phòng Đảng ủy phường: sửa lời văn, bố cục của mẫu Word mà docgen dùng để
tạo văn bản, mà không cần lập trình. Dữ liệu (tên, ngày, danh sách nhiệm vụ...) do
docgen điền vào chỗ các **thẻ** như `{{ so_ky_hieu }}`; mọi chữ khác trong mẫu là lời
văn của đơn vị, sửa thoải mái.

## Các bước

1. Chép mẫu có sẵn ra một thư mục để sửa:
   `docgen templates export data/mau`
2. Mở tệp `.docx` bằng Word, sửa lời văn, chuyển đoạn, thêm đoạn. Giữ nguyên các thẻ
   `{{ ... }}` và `{%p ... %}`; muốn dùng thêm dữ liệu thì chỉ dùng các biến liệt kê
   dưới đây. Lưu lại dạng `.docx`, giữ nguyên tên tệp.
3. Kiểm tra mẫu: `docgen templates check data/mau`
   Lệnh báo mọi lỗi một lượt, mỗi lỗi chỉ rõ tệp, đoạn («đoạn 12 «Trên đây là…»») hoặc
   ô bảng («bảng 2, hàng 3, ô 1») và thẻ bị lỗi. Cảnh báo về thể thức (lề, phông, cỡ
   chữ) không chặn việc tạo văn bản nhưng nên sửa.
4. Dùng mẫu đã sửa: ghi vào `dang-bo.yaml`
   ```yaml
   cai_dat:
     thu_muc_mau: mau        # tính từ thư mục dữ liệu
   ```
   hoặc thêm `--templates data/mau` vào lệnh `docgen render`. Loại văn bản nào không có
   tệp trong thư mục đó thì docgen dùng mẫu có sẵn.
5. `docgen templates list` cho biết mỗi loại văn bản đang dùng tệp mẫu nào và mã
   sha256 của tệp. Mỗi văn bản tạo ra ghi lại mã này, phiên bản docgen và loại văn bản
   trong thuộc tính tệp (Word: Tệp › Thông tin › Thuộc tính, mục “Chú thích”), nên luôn
   biết văn bản được tạo từ mẫu nào.

Mẫu có lỗi thì `docgen render` từ chối, báo đúng lỗi như `docgen templates check`,
và không ghi tệp nào.

## Cách viết thẻ

- `{{ ten_bien }}`: in giá trị của biến. Thẻ phải nằm trọn trong **một đoạn**.
- Danh sách đoạn (ví dụ `can_cu`): mỗi mục thành một đoạn, viết ba đoạn riêng:
  ```
  {%p for cc in can_cu %}
  - {{ cc }}
  {%p endfor %}
  ```
  Đoạn chứa `{%p ... %}` chỉ được có thẻ đó (chữ khác trong đoạn sẽ mất); đoạn mở và
  đoạn đóng phải là hai đoạn khác nhau.
- Danh sách mục trong bảng (ví dụ `bang`): hàng chứa `{%tr for r in bang %}` và hàng
  chứa `{%tr endfor %}` là hai hàng riêng, hàng ở giữa lặp lại cho mỗi mục, với
  `{{ r.ho_ten }}`, `{{ r.thoi_han }}`... trong các ô.
- Trường của một mục viết sau dấu chấm: `{{ tc.ten }}`, `{{ r.ho_ten }}`.
- Bộ lọc viết sau dấu `|`: `{{ ten_chi_bo|upper }}`; chỉ dùng các bộ lọc ở bảng dưới.

Word hay tự tách một thẻ thành nhiều đoạn chữ nhỏ (do kiểm tra chính tả, theo dõi
sửa đổi, đánh dấu); docgen tự ghép lại. Những trường hợp không ghép được thì
`docgen templates check` báo lỗi tại đoạn đó:

- thẻ bị ngắt sang đoạn khác (lỡ nhấn Enter giữa `{{` và `}}`);
- thẻ nằm trong phần “theo dõi sửa đổi” (Track Changes) chưa chấp nhận: hãy chọn
  Xem lại › Chấp nhận tất cả thay đổi trước khi lưu;
- `{%p ... %}` có chữ khác cùng đoạn, hoặc `{%tr %}` mở và đóng trên cùng một hàng.

Mẫu là tệp không tin cậy: docgen chạy mẫu trong môi trường cách ly, tự thoát ký tự
đặc biệt của dữ liệu (`&`, `<`), và báo lỗi (không in chỗ trống) khi mẫu dùng biến
không có.
"""

_DEVELOPER = """\
## Cho người lập trình

Danh sách biến ở trên sinh từ hợp đồng mẫu (`CONTRACTS`) trong tệp của từng loại văn
bản (`docgen/documents/<loại>.py`), tìm qua bảng các loại văn bản
(`docgen/documents/kinds.py`); cơ chế chung ở `docgen/contract.py`. Thêm một loại văn
bản: thêm một dòng vào bảng, và trong tệp của loại đó một `TemplateContract` cho mỗi
tệp mẫu (dùng lại `header(...)` và `SIGNATURE`), cho hàm dựng dữ liệu trả về đúng các
biến ấy, rồi chạy `python tools/gen_template_docs.py`. Các bài kiểm thử đối chiếu hợp
đồng với mẫu có sẵn, với dữ liệu mẫu và với tệp này.
"""


def _example(var: Var) -> str:
    if var.shape in ("muc", "ban"):
        return ""
    if isinstance(var.example, tuple):
        return " / ".join(f"«{e}»" for e in var.example[:2]) + (" …" if len(var.example) > 2 else "")
    if var.example == "":
        return ""
    return f"«{var.example}»" if var.shape == "chu" else str(var.example)


def _rows(variables: tuple[Var, ...], prefix: str = "") -> list[str]:
    rows = []
    for var in variables:
        required = "bắt buộc" if var.required else "không bắt buộc"
        if var.required and var.alternative:
            required += f" (hoặc dùng `{var.alternative}`)"
        rows.append(
            f"| `{prefix}{var.name}` | {SHAPE_NAMES[var.shape]} | {required} | "
            f"{var.meaning} | {_example(var)} |"
        )
        sep = "." if var.shape == "ban" else "[]."
        for sub in var.fields:
            sub_required = "bắt buộc" if sub.required else "không bắt buộc"
            rows.append(
                f"| `{prefix}{var.name}{sep}{sub.name}` | {SHAPE_NAMES[sub.shape]} | {sub_required} | "
                f"{sub.meaning} | {_example(sub)} |"
            )
    return rows


def _template_section(contract: TemplateContract) -> str:
    lines = [
        f"### `{contract.file}`: {contract.title}",
        "",
        f"Dùng cho `docgen render {contract.kind}`.",
        "",
        "| biến | dạng | | nghĩa | ví dụ |",
        "|---|---|---|---|---|",
        *_rows(contract.variables),
        "",
    ]
    loops = [v for v in contract.variables if v.shape == "muc"]
    if loops:
        first, sub = loops[0], loops[0].fields[0]
        lines.append(
            f"Với danh sách mục, `{first.name}[].{sub.name}` là trường `{sub.name}` của mỗi "
            f"mục: trong vòng lặp `{{%p for x in {first.name} %}}` (hay `{{%tr ... %}}` trong "
            f"bảng) viết `{{{{ x.{sub.name} }}}}`."
        )
        lines.append("")
    return "\n".join(lines)


def guide_markdown() -> str:
    """The whole guide (Markdown, Vietnamese)."""
    filters = "\n".join(f"| `{name}` | {meaning} |" for name, meaning in FILTERS.items())
    sections = "\n".join(_template_section(c) for c in CONTRACTS.values())
    return (
        f"{_INTRO}\n"
        "## Bộ lọc được dùng\n\n"
        "| bộ lọc | tác dụng |\n|---|---|\n"
        f"{filters}\n\n"
        "Không dùng `safe` (dữ liệu có thể làm hỏng tệp Word) hay các bộ lọc khác của Jinja.\n\n"
        "Vì an toàn, mẫu không chèn được tệp hay mẫu khác (`{% include %}`, `{% import %}`,\n"
        "`{% extends %}`), không định dạng chuỗi bằng `%` hay `.format`, không truy cập\n"
        "thuộc tính bắt đầu bằng `_`, chỉ in ra chữ và số; mẫu chạy quá 60 giây bị dừng. Mẫu vi\n"
        "phạm bị từ chối khi kiểm tra và khi tạo văn bản, lỗi chỉ rõ đoạn chứa thẻ.\n\n"
        "## Biến của từng mẫu\n\n"
        "*Bắt buộc*: văn bản thiếu biến này là không đủ thể thức hoặc mất dữ liệu chi bộ đã\n"
        "nhập, nên mẫu bỏ biến này sẽ không qua kiểm tra. Các biến khác dùng hay không tùy\n"
        "đơn vị. Danh sách đoạn đã có dấu câu cuối (`;` giữa các mục, `.` ở mục cuối).\n\n"
        f"{sections}\n"
        f"{_DEVELOPER}"
    )
