"""Page images of .docx files (the web app's preview), with LibreOffice kept warm.

A document is converted to PDF by LibreOffice, then to one PNG per page by ``pdftoppm``;
the pages are cached under ``<cache_dir>/<sha256 of the file's bytes>/trang-N.png``, so
the same bytes are converted once. A cache folder holds one resolution: Previewers of
different resolutions use different folders.

How LibreOffice is kept warm, and why (measured on the 2-core machine, LibreOffice 7.4,
the sample's 4-page quarterly report; ``benchmarks/preview.py``):

* A cold ``soffice --convert-to pdf`` costs about 1.1 s, nearly all of it LibreOffice
  starting; the same conversion in a running LibreOffice costs 0.1-0.25 s. A whole
  ``pages()`` call (with ``pdftoppm``, 60 dpi): 1.8-1.9 s for a new Previewer (a new
  profile, LibreOffice started), 0.32-0.34 s warm, well under a millisecond from the cache.
* Forwarding ``soffice --convert-to`` to a running instance of the same profile (its own
  single-instance pipe) does convert the first file quickly, but the instance then shuts
  down, so it is not a way to keep one warm.
* ``unoserver`` (PyPI) needs LibreOffice's UNO binding too (Debian's ``python3-uno``,
  importable only by the system ``/usr/bin/python3``, not by the Python that runs docgen),
  so the server would have to run under the system Python with the PyPI package put on
  its path by hand, and it talks XML-RPC over two TCP ports that must be free.
* Chosen: one persistent ``soffice --headless --accept=pipe,...`` with its own profile
  folder, driven by a small helper script (:data:`_HELPER`, run by a Python that can
  ``import uno``) that reads one JSON request per line on its standard input and answers
  on its standard output. No extra PyPI package, no TCP port (a named local pipe), one
  process group to kill. The helper starts LibreOffice itself, so when docgen dies the
  helper sees its input close and takes LibreOffice down with it.

Every conversion has a time limit: past it the helper's process group (helper,
``oosplash``, ``soffice.bin``) is killed, the call raises :class:`PreviewError`, and the
next call starts a new LibreOffice. When no Python with ``uno`` is found or the warm
LibreOffice cannot start, each conversion runs a cold ``soffice --convert-to`` (also time
limited, also killed as a group). Documents open read-only and hidden, with macros never
run and links never updated. :meth:`Previewer.close` (and the interpreter's exit, and
garbage collection) stops LibreOffice and removes the profile folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
import weakref
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from docgen.errors import FileRefused, PackageError, PreviewError, display_path, os_reason
from docgen.packagecheck import DOCX_FILE_LIMIT, package_problems
from docgen.pdf import find_soffice, prepare_profile
from docgen.safezip import DOCX_LIMITS, read_package
from docgen.userfile import read_regular

__all__ = ["Previewer"]

# A warm LibreOffice is restarted after this many conversions (its memory only grows).
MAX_USES = 200
# Seconds a graceful stop may take before the processes are killed.
STOP_GRACE = 5.0
# Temporary folders older than this in the cache folder are left over by a killed process.
STALE_SECONDS = 3600

_PAGE = re.compile(r"trang-(\d+)\.png")
_PDFTOPPM_PAGE = re.compile(r"p-(\d+)\.png")

# Run by a Python that has LibreOffice's ``uno`` module (Debian: python3-uno), as
# ``python -I -c _HELPER soffice profile_url pipe_name start_limit``. Exit status 3: no
# ``uno`` here; 4: LibreOffice did not accept the connection in time. One JSON object per
# line both ways: {"docx": path, "pdf": path} -> {"ok": true} | {"error": "load"} |
# {"error": "office", "detail": ...} (then the helper exits). End of input: stop.
_HELPER = r'''
import json, os, signal, subprocess, sys, time
try:
    import uno
    from com.sun.star.beans import PropertyValue
except ImportError:
    sys.exit(3)

soffice, profile, pipe, limit = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def answer(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


office = subprocess.Popen(
    [soffice, "-env:UserInstallation=" + profile, "--headless", "--invisible", "--norestore",
     "--nolockcheck", "--nologo", "--nodefault",
     "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
)
desktop = None
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + limit
    ctx = None
    while ctx is None:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        except Exception:
            if time.monotonic() > deadline or office.poll() is not None:
                sys.exit(4)
            time.sleep(0.05)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    answer({"ready": True})
    load = (prop("Hidden", True), prop("ReadOnly", True), prop("FilterName", "MS Word 2007 XML"),
            prop("MacroExecutionMode", 0), prop("UpdateDocMode", 0))
    store = (prop("FilterName", "writer_pdf_Export"),)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            doc = desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(request["docx"]), "_blank", 0, load)
        except Exception as exc:
            if type(exc).__name__ in ("IllegalArgumentException", "IOException"):
                doc = None
            else:
                answer({"error": "office", "detail": repr(exc)})
                break
        if doc is None:
            answer({"error": "load"})
            continue
        try:
            doc.storeToURL(uno.systemPathToFileUrl(request["pdf"]), store)
            doc.close(True)
        except Exception as exc:
            answer({"error": "office", "detail": repr(exc)})
            break
        answer({"ok": True})
finally:
    if desktop is not None:
        try:
            desktop.terminate()
            office.wait(5)
        except Exception:
            pass
    if os.getpgrp() == os.getpid():  # started as a group leader: the group is ours
        os.killpg(os.getpid(), signal.SIGKILL)
    office.kill()
'''


def _kill_group(proc: subprocess.Popen[Any]) -> None:
    """Kill ``proc`` and every process of its group (it was started as a group leader)."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(STOP_GRACE)


def _group_options() -> dict[str, Any]:
    """Popen options that start a child in a process group of its own."""
    if os.name == "posix":
        return {"start_new_session": True}
    return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}


class _Office:
    """One helper process (and the LibreOffice it started), answering line by line."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.uses = 0
        self.lines: queue.Queue[bytes | None] = queue.Queue()
        stdout = proc.stdout
        assert stdout is not None
        threading.Thread(target=self._read, args=(stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        with contextlib.suppress(OSError, ValueError):
            for line in stream:
                self.lines.put(line)
        self.lines.put(None)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def receive(self, limit: float) -> dict[str, Any] | None:
        """The next answer, None when the helper ended or broke; raises queue.Empty past
        ``limit`` seconds."""
        line = self.lines.get(timeout=limit)
        if line is None:
            return None
        try:
            answer = json.loads(line)
        except ValueError:
            return None
        return answer if isinstance(answer, dict) else None

    def send(self, request: dict[str, str]) -> bool:
        """Whether the request reached the helper."""
        stdin = self.proc.stdin
        assert stdin is not None
        try:
            stdin.write((json.dumps(request) + "\n").encode())
            stdin.flush()
        except (OSError, ValueError):
            return False
        return True

    def stop(self) -> None:
        """Let the helper close LibreOffice, then kill whatever is left of the group."""
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError, ValueError):
                self.proc.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(STOP_GRACE)
        _kill_group(self.proc)
        if self.proc.stdout is not None:
            with contextlib.suppress(OSError, ValueError):
                self.proc.stdout.close()


class _State:
    """What must be cleaned up when a Previewer goes: kept apart so a finalizer holds it
    without keeping the Previewer alive."""

    def __init__(self) -> None:
        self.office: _Office | None = None
        self.profiles: Path | None = None

    def stop(self) -> None:
        office, self.office = self.office, None
        if office is not None:
            office.stop()
        profiles, self.profiles = self.profiles, None
        if profiles is not None:
            shutil.rmtree(profiles, ignore_errors=True)


def _uno_pythons(soffice: str) -> list[str]:
    """Pythons that may import LibreOffice's ``uno``: LibreOffice's own (Windows, macOS
    builds), then the system's (Debian's python3-uno)."""
    program = Path(os.path.realpath(soffice)).parent
    found = [
        str(program / name) for name in ("python", "python.exe", "python.bin")
        if (program / name).is_file()
    ]
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and os.path.isfile(candidate):
            found.append(candidate)
    return list(dict.fromkeys(found))


def _helper_env() -> dict[str, str]:
    # The system Python must not pick up the paths of the Python running docgen.
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}


def _cached(entry: Path) -> list[Path] | None:
    """The pages of a finished cache entry (the folder appears whole, by a rename)."""
    try:
        numbered = [
            (int(m.group(1)), path)
            for path in entry.iterdir()
            if (m := _PAGE.fullmatch(path.name))
        ]
    except OSError:
        return None
    numbered.sort()
    if not numbered or [n for n, _ in numbered] != list(range(1, len(numbered) + 1)):
        return None
    return [path for _, path in numbered]


def _check_docx(data: bytes, shown: str) -> None:
    try:
        # Bounded (issue 20): a zip bomb is refused before LibreOffice sees it.
        parts = [(info.filename, body) for info, body in read_package(data, DOCX_LIMITS)]
    except PackageError:
        parts = []
    if not any(name == "word/document.xml" for name, _ in parts):
        raise PreviewError(f"{shown}: tệp không phải văn bản .docx đọc được, không tạo được ảnh trang")
    # Broken XML is LibreOffice's to refuse ("không mở được"); everything else is ours.
    refused = [f for f in package_problems(parts) if f.is_error and f.rule != "xml"]
    if refused:
        # A link out, a macro, an embedded object: LibreOffice never opens it (pdf.py's
        # settings are the second wall).
        raise PreviewError(
            f"{shown}: tệp có thành phần không an toàn ({refused[0].message}), không tạo được ảnh trang"
        )


class Previewer:
    """Page images of .docx files; one LibreOffice kept running between calls (thread-safe)."""

    def __init__(self, cache_dir: Path, *, resolution: int = 60, timeout: float = 60) -> None:
        self.cache_dir = Path(cache_dir)
        self.resolution = resolution
        self.timeout = timeout
        self._lock = threading.Lock()
        self._state = _State()
        self._warm_failed = False
        self._swept = False
        self._finalizer = weakref.finalize(self, self._state.stop)

    # -- public -----------------------------------------------------------------------

    def pages(self, docx: Path) -> list[Path]:
        """PNG files, one per page, of this document (cached under cache_dir by the file's sha256).

        Raises:
            PreviewError: the file cannot be read or is not a .docx, LibreOffice failed or
                ran past the time limit, pdftoppm is missing or failed, the cache cannot be
                written.
            LibreOfficeMissing: LibreOffice is not installed.
        """
        docx = Path(docx)
        shown = display_path(docx)
        try:
            data = read_regular(docx, DOCX_FILE_LIMIT)
        except FileRefused as exc:
            raise PreviewError(f"{shown}: không đọc tệp: {exc.reason}") from None
        except OSError as exc:
            raise PreviewError(f"{shown}: không đọc được tệp ({os_reason(exc)})") from None
        entry = self.cache_dir / hashlib.sha256(data).hexdigest()
        hit = _cached(entry)
        if hit is not None:
            return hit
        _check_docx(data, shown)
        with self._lock:
            hit = _cached(entry)  # another thread may have made it meanwhile
            if hit is not None:
                return hit
            return self._make(data, entry, shown)

    @property
    def warm(self) -> bool:
        """Whether a warm LibreOffice is running now."""
        office = self._state.office
        return office is not None and office.alive()

    def close(self) -> None:
        """Stop the warm LibreOffice and remove its profile folder (the cache stays)."""
        with self._lock:
            self._state.stop()

    def __enter__(self) -> Previewer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- making a cache entry -----------------------------------------------------------

    def _make(self, data: bytes, entry: Path, shown: str) -> list[Path]:
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            self._sweep()
            work = Path(tempfile.mkdtemp(prefix=f".{entry.name[:16]}-", dir=self.cache_dir))
        except OSError as exc:
            raise PreviewError(
                f"{display_path(self.cache_dir)}: không ghi được ảnh trang ({os_reason(exc)})"
            ) from None
        try:
            source = work / "vao.docx"
            pdf = work / "vao.pdf"
            pages = work / "trang"
            try:
                source.write_bytes(data)  # the bytes hashed, even if the file changes now
                pages.mkdir()
            except OSError as exc:
                raise PreviewError(
                    f"{display_path(self.cache_dir)}: không ghi được ảnh trang ({os_reason(exc)})"
                ) from None
            self._convert(source, pdf, shown)
            self._rasterise(pdf, pages, shown)
            try:
                os.rename(pages, entry)  # the entry appears whole or not at all
            except OSError as exc:
                if _cached(entry) is None:  # not made meanwhile by another process
                    raise PreviewError(
                        f"{display_path(entry)}: không ghi được ảnh trang ({os_reason(exc)})"
                    ) from None
        finally:
            shutil.rmtree(work, ignore_errors=True)
        made = _cached(entry)
        if made is None:
            raise PreviewError(f"{shown}: không tạo được ảnh trang")
        return made

    def _sweep(self) -> None:
        """Remove temporary folders a killed process left in the cache folder (once)."""
        if self._swept:
            return
        self._swept = True
        now = time.time()
        with contextlib.suppress(OSError):
            for path in self.cache_dir.iterdir():
                with contextlib.suppress(OSError):
                    if path.name.startswith(".") and now - path.stat().st_mtime > STALE_SECONDS:
                        shutil.rmtree(path, ignore_errors=True)

    def _rasterise(self, pdf: Path, pages: Path, shown: str) -> None:
        pdftoppm = shutil.which("pdftoppm")
        if pdftoppm is None:
            raise PreviewError(
                "không tìm thấy pdftoppm để tạo ảnh trang; hãy cài poppler-utils "
                "(Debian/Ubuntu: sudo apt-get install poppler-utils) rồi chạy lại"
            )
        try:
            subprocess.run(
                [pdftoppm, "-png", "-r", str(self.resolution), str(pdf), str(pages / "p")],
                check=True,
                capture_output=True,
                timeout=self.timeout,
            )
        except subprocess.TimeoutExpired:
            raise PreviewError(
                f"{shown}: pdftoppm chạy quá {self.timeout:g} giây khi tạo ảnh trang"
            ) from None
        except subprocess.CalledProcessError as exc:
            raise PreviewError(
                f"{shown}: pdftoppm không tạo được ảnh trang (mã lỗi {exc.returncode})"
            ) from None
        for path in pages.iterdir():
            m = _PDFTOPPM_PAGE.fullmatch(path.name)
            if m:  # p-1.png, or p-01.png from ten pages on
                path.rename(pages / f"trang-{int(m.group(1))}.png")

    # -- LibreOffice ---------------------------------------------------------------------

    def _profiles(self) -> Path:
        if self._state.profiles is None or not self._state.profiles.is_dir():
            self._state.profiles = Path(tempfile.mkdtemp(prefix="docgen-preview-"))
        return self._state.profiles

    def _convert(self, source: Path, pdf: Path, shown: str) -> None:
        """``source`` to ``pdf``, warm if possible (called with the lock held)."""
        soffice = find_soffice()
        for attempt in (1, 2):
            office = self._office(soffice)
            if office is None:
                self._convert_cold(soffice, source, pdf, shown)
                return
            answer: dict[str, Any] | None = None
            if office.send({"docx": str(source.resolve()), "pdf": str(pdf.resolve())}):
                try:
                    answer = office.receive(self.timeout)
                except queue.Empty:
                    self._state.stop()
                    raise PreviewError(
                        f"{shown}: LibreOffice chạy quá {self.timeout:g} giây khi tạo ảnh trang; "
                        "đã dừng LibreOffice, lần sau sẽ khởi động lại"
                    ) from None
            office.uses += 1
            if answer is None or answer.get("error") == "office":
                # LibreOffice died or broke: once more in a new one, then give up
                self._state.stop()
                if attempt == 1:
                    continue
                raise PreviewError(f"{shown}: LibreOffice dừng đột ngột khi tạo ảnh trang")
            if answer.get("error") == "load" or not pdf.is_file():
                raise PreviewError(f"{shown}: LibreOffice không mở được văn bản để tạo ảnh trang")
            return

    def _office(self, soffice: str) -> _Office | None:
        """The warm helper, started (again) when needed; None when it cannot run here."""
        office = self._state.office
        if office is not None and office.alive() and office.uses < MAX_USES:
            return office
        if office is not None:
            self._state.stop()
        if self._warm_failed:
            return None
        profile = self._profiles() / "am"
        prepare_profile(profile)  # no links updated, no remote content, no macros
        pipe = f"docgen-preview-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        for python in _uno_pythons(soffice):
            try:
                proc = subprocess.Popen(
                    [python, "-I", "-c", _HELPER, soffice, profile.as_uri(), pipe, str(self.timeout)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    env=_helper_env(),
                    **_group_options(),
                )
            except OSError:
                continue
            office = _Office(proc)
            self._state.office = office
            with contextlib.suppress(queue.Empty):
                ready = office.receive(self.timeout + STOP_GRACE)
                if ready is not None and ready.get("ready"):
                    return office
            self._state.stop()
            if proc.returncode != 3:  # 3: no uno in this Python, try the next
                break
        self._warm_failed = True
        return None

    def _convert_cold(self, soffice: str, source: Path, pdf: Path, shown: str) -> None:
        profile = self._profiles() / "lanh"
        prepare_profile(profile)
        proc = subprocess.Popen(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--infilter=MS Word 2007 XML",
                "--convert-to",
                "pdf",
                "--outdir",
                str(pdf.parent),
                str(source.resolve()),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **_group_options(),
        )
        try:
            proc.wait(self.timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise PreviewError(
                f"{shown}: LibreOffice chạy quá {self.timeout:g} giây khi tạo ảnh trang; "
                "đã dừng LibreOffice"
            ) from None
        finally:
            _kill_group(proc)  # soffice.bin outlives the launcher when it hangs on exit
        if not pdf.is_file() or pdf.stat().st_size == 0:
            raise PreviewError(f"{shown}: LibreOffice không mở được văn bản để tạo ảnh trang")

