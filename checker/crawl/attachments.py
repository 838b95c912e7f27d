"""Text of attachments (PDF, DOCX, DOC, XLS, XLSX, WPS, ET): what checks search like page text.

Attachment bytes come from strangers and parsers of these formats are large and slow on
hostile input, so parsing never happens in the crawler's process:

- a small reusable pool of worker processes (`workers.py`) parses one file at a time; a file that takes longer
  than `timeout` seconds gets its worker killed and a problem string, and the next file
  gets a fresh worker;
- each worker runs under an address-space limit (`memory_bytes`), so a parser that
  balloons fails with MemoryError in the worker, not in the crawler;
- zip-based formats (DOCX, XLSX) are checked before parsing: the total uncompressed size
  the zip declares, and its ratio to the file size, must stay under the caps (Python's
  zipfile never inflates a member past its declared size, so the declaration binds);
- at most `max_pages` PDF pages are read and at most `max_chars` characters kept.

`extract_text` never raises: whatever goes wrong is an `AttachmentText` with empty (or
partial) text and a `problem` saying why.

Library choice for PDF: pypdf. On a CJK PDF printed by Chromium (the test fixture) pypdf
and pdfminer.six give the same text, characters and line breaks, pypdf in less than half
the time (0.56 s against 1.29 s for 4 pages) and without pdfminer's flood of font
warnings. Both pass through the font's ToUnicode map as is, so the Kangxi/CJK radical
code points some fonts map common characters to (⼈ for 人, ⺠ for 民) are folded back
here (`_fold_radicals`); otherwise 人民政府 would not match in a PDF.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from urllib.parse import unquote, urlsplit

from .workers import WorkerDied, WorkerPool, WorkerTimeout

# Extensions whose text is extracted; links to them are downloaded, not probed.
TEXT_EXTENSIONS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "wps", "et"})

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20_000_000  # larger files are not parsed
    max_pages: int = 200  # PDF pages read
    max_chars: int = 500_000  # text kept
    timeout: float = 30.0  # wall-clock seconds per file, in the worker
    max_unzipped: int = 200_000_000  # total uncompressed size a DOCX/XLSX may declare
    max_ratio: float = 100.0  # uncompressed / compressed, above `ratio_floor` uncompressed bytes
    ratio_floor: int = 20_000_000
    memory_bytes: int = 2_000_000_000  # address-space limit of a worker


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class AttachmentText:
    text: str
    kind: str  # pdf | docx | xlsx | doc | xls | html | '' (not recognised)
    pages: int = 0  # PDF pages or spreadsheet sheets in the file (0 when unknown)
    problem: str = ""  # why the text is empty or partial
    truncated: bool = False  # page or character cap reached


def extension(url: str) -> str:
    last = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""


def has_text_extractor(url: str) -> bool:
    return extension(url) in TEXT_EXTENSIONS


def sniff(data: bytes, url: str = "", content_type: str = "") -> str:
    """The format by its magic bytes; the extension only decides between formats that share
    a container (an OLE2 file is a Word or an Excel file)."""
    ext = extension(url)
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"  # DOCX or XLSX: told apart by the members, after the bomb check
    if data.startswith(OLE2_MAGIC):
        if ext in ("xls", "et") or "excel" in content_type.lower():
            return "xls"
        return "doc"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in lowered or b"<table" in lowered:
        return "html"  # a 'Word' or 'Excel' file saved as a web page: common on portals
    if lowered.startswith(b"{\\rtf"):
        return "rtf"
    return ""


# -- text clean-up ------------------------------------------------------------------------------------
# Kangxi radicals and CJK compatibility ideographs have NFKC forms; the CJK Radicals
# Supplement has none, so the characters fonts map there are listed (EquivalentUnifiedIdeograph).
_SUPPLEMENT = dict(zip(
    "⺁⺄⺆⺇⺈⺊⺌⺍⺎⺏⺐⺑⺒⺓⺔⺖⺗⺘⺙⺛⺜⺝⺞⺟⺠⺡⺢⺣⺤⺥⺦⺧⺨⺩⺪⺫⺬⺭⺮⺯⺰⺱⺲⺳⺴⺵⺶⺷⺸⺹⺺⺻⺼⺽⺾⺿⻀⻁⻂⻃⻄⻅⻆⻇⻈⻉⻊⻋⻌⻍⻎⻏⻐⻑⻒⻓⻔⻕⻖⻗⻘⻙⻚⻛⻜⻝⻞⻟⻠⻡⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳",
    "厂乙冂几刀卜小小兀尢尣尣巳幺彐忄心扌攵旡日月歺母民氵氺灬爫爫丬牛犭王疋罒示礻竹糸纟罓罒网网网羊羊羊耂肀聿月臼艹艹艹虎衤覀西见角角讠贝足车辶辶辶阝钅長镸长门门阝雨青韦页风飞食飠飠饣首马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟",
    strict=True,
))
_FOLD = {**{cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)},
         **{cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0xF900, 0xFADA)},
         **{ord(k): v for k, v in _SUPPLEMENT.items()}}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING = re.compile(r"[ \t\u3000]+\n")


def _fold_radicals(text: str) -> str:
    return text.translate(_FOLD)


def clean(text: str) -> str:
    text = _CONTROL.sub(" ", _fold_radicals(text.replace("\r\n", "\n").replace("\r", "\n")))
    return _BLANK_LINES.sub("\n\n", _TRAILING.sub("\n", text)).strip()


class _Collector:
    """Text pieces up to a character cap."""

    def __init__(self, max_chars: int):
        self.parts: list[str] = []
        self.size = 0
        self.max_chars = max_chars
        self.full = False

    def add(self, piece: str) -> bool:
        """False once the cap is reached (the caller stops reading)."""
        if self.full:
            return False
        room = self.max_chars - self.size
        if len(piece) + 1 > room:
            self.parts.append(piece[: max(0, room)])
            self.size = self.max_chars
            self.full = True
            return False
        self.parts.append(piece)
        self.size += len(piece) + 1
        return True

    def text(self) -> str:
        return "\n".join(self.parts)


# -- parsers (run in a worker process) -------------------------------------------------------------------
def _pdf(data: bytes, lim: Limits) -> AttachmentText:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-but-readable files warn per object
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")  # an owner password alone still lets anyone read the text
        except Exception as exc:
            return AttachmentText("", "pdf", 0, f"encrypted PDF that cannot be opened: {type(exc).__name__}")
        if not opened:
            return AttachmentText("", "pdf", 0, "encrypted PDF: a password is needed to open it")
    total = len(reader.pages)
    out = _Collector(lim.max_chars)
    read = 0
    for page in reader.pages:
        if read >= lim.max_pages:
            break
        read += 1
        if not out.add(page.extract_text() or ""):
            break
    text = clean(out.text())
    problems = []
    truncated = out.full or read < total
    if read < total and not out.full:
        problems.append(f"only the first {read} of {total} PDF pages read")
    if out.full:
        problems.append(f"text capped at {lim.max_chars} characters")
    if not text:
        problems.insert(0, "PDF has no text layer (scanned images?)")
    return AttachmentText(text, "pdf", total, "; ".join(problems), truncated)


def _zip_check(data: bytes, lim: Limits) -> tuple[zipfile.ZipFile | None, str]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return None, f"not a readable zip (DOCX/XLSX) file: {exc}"[:200]
    total = sum(max(0, i.file_size) for i in infos)
    if total > lim.max_unzipped:
        return None, f"rejected: the zip unpacks to {total} bytes (limit {lim.max_unzipped}; decompression bomb?)"
    ratio = total / max(1, len(data))
    if total > lim.ratio_floor and ratio > lim.max_ratio:
        return None, f"rejected: compression ratio {ratio:.0f}:1 over {lim.max_ratio:.0f}:1 (decompression bomb?)"
    return zf, ""


def _docx(data: bytes, lim: Limits) -> AttachmentText:
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    out = _Collector(lim.max_chars)
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells, seen = [], set()
                for cell in row.cells:  # a merged cell repeats once per grid column
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(" ".join(cell.text.split()))
                if not out.add("\t".join(cells)):
                    break
        elif not out.add(block.text):
            break
        if out.full:
            break
    return _finish(out, "docx", 0, lim)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return " ".join(str(value).split())


def _xlsx(data: bytes, lim: Limits) -> AttachmentText:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    out = _Collector(lim.max_chars)
    try:
        sheets = wb.worksheets
        for ws in sheets:
            if not out.add(f"【{ws.title}】"):
                break
            for row in ws.iter_rows(values_only=True):
                cells = [c for c in (_cell(v) for v in row) if c]
                if cells and not out.add("\t".join(cells)):
                    break
            if out.full:
                break
    finally:
        wb.close()
    return _finish(out, "xlsx", len(sheets), lim)


def _xls(data: bytes, lim: Limits, deadline: float) -> AttachmentText:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception as exc:  # WPS ET or an odd BIFF: the command-line reader may still cope
        fallback = _command(["xls2csv", "-q0", "-d", "utf-8"], data, ".xls", deadline)
        if isinstance(fallback, str):
            return AttachmentText("", "xls", 0, f"xlrd: {type(exc).__name__}: {exc}"[:150] + f"; {fallback}")
        return _finish(_collect(fallback, lim), "xls", 0, lim)
    out = _Collector(lim.max_chars)
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if not out.add(f"【{sheet.name}】"):
                break
            for r in range(sheet.nrows):
                cells = []
                for cell in sheet.row(r):
                    value = cell.value
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        with contextlib.suppress(ValueError, OverflowError, xlrd.xldate.XLDateError):
                            value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                    text = _cell(value)
                    if text:
                        cells.append(text)
                if cells and not out.add("\t".join(cells)):
                    break
            book.unload_sheet(index)
            if out.full:
                break
    finally:
        book.release_resources()
    return _finish(out, "xls", book.nsheets, lim)


def _doc(data: bytes, lim: Limits, deadline: float) -> AttachmentText:
    text = _command(["catdoc", "-w", "-d", "utf-8"], data, ".doc", deadline)
    if isinstance(text, str):
        return AttachmentText("", "doc", 0, text)
    return _finish(_collect(text, lim), "doc", 0, lim)


def _command(argv: list[str], data: bytes, suffix: str, deadline: float) -> bytes | str:
    """stdout of a Debian tool run on `data`, or why it could not be run (a str)."""
    if shutil.which(argv[0]) is None:
        return f"{argv[0]} is not installed (Debian package catdoc): cannot read this format"
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            done = subprocess.run([*argv, tmp.name], capture_output=True, timeout=max(1.0, deadline - time.monotonic()),
                                  check=False)
        except subprocess.TimeoutExpired:
            return f"{argv[0]} took too long"
    if done.returncode != 0 and not done.stdout:
        return f"{argv[0]} failed: {done.stderr.decode('utf-8', 'replace').strip()[:150]}"
    return done.stdout


def _collect(raw: bytes, lim: Limits) -> _Collector:
    out = _Collector(lim.max_chars)
    out.add(raw[: lim.max_chars * 4].decode("utf-8", "replace"))
    return out


def _html(data: bytes, lim: Limits) -> AttachmentText:
    from selectolax.lexbor import LexborHTMLParser

    from .decode import decode

    decoded = decode(data, None)
    tree = LexborHTMLParser(decoded.text)
    for node in tree.css("script, style"):
        node.decompose()
    root = tree.body or tree.root
    out = _Collector(lim.max_chars)
    out.add(root.text(separator="\n") if root is not None else "")
    return _finish(out, "html", 0, lim)


def _finish(out: _Collector, kind: str, pages: int, lim: Limits) -> AttachmentText:
    text = clean(out.text())
    problem = f"text capped at {lim.max_chars} characters" if out.full else ""
    if not text:
        problem = "no text found in the file"
    return AttachmentText(text, kind, pages, problem, out.full)


def parse(data: bytes, url: str, content_type: str, lim: Limits = DEFAULT_LIMITS) -> AttachmentText:
    """Parse in this process (the worker's entry point; tests call it directly)."""
    deadline = time.monotonic() + lim.timeout
    kind = sniff(data, url, content_type)
    if kind == "pdf":
        return _pdf(data, lim)
    if kind == "zip":
        zf, problem = _zip_check(data, lim)
        if zf is None:
            return AttachmentText("", "zip", 0, problem)
        names = set(zf.namelist())
        if "word/document.xml" in names:
            return _docx(data, lim)
        if "xl/workbook.xml" in names:
            return _xlsx(data, lim)
        return AttachmentText("", "zip", 0, "a zip file that is neither DOCX nor XLSX")
    if kind == "xls":
        return _xls(data, lim, deadline)
    if kind == "doc":
        return _doc(data, lim, deadline)
    if kind == "html":
        return _html(data, lim)
    if kind == "rtf":
        return AttachmentText("", "rtf", 0, "RTF files are not read")
    return AttachmentText("", "", 0, f"not a recognised {extension(url).upper() or 'document'} file "
                                     f"(content type {content_type or 'none'})")


def safe_parse(data: bytes, url: str, content_type: str, lim: Limits) -> AttachmentText:
    try:
        return parse(data, url, content_type, lim)
    except MemoryError:
        return AttachmentText("", sniff(data, url, content_type), 0,
                              f"parsing needed more than {lim.memory_bytes} bytes of memory")
    except Exception as exc:  # a corrupt file is one problem string, whatever the parser raises
        return AttachmentText("", sniff(data, url, content_type), 0, f"cannot parse: {type(exc).__name__}: {exc}"[:300])


# -- the worker pool -----------------------------------------------------------------------------------
# Workers run `_attachment_worker` (workers.py says how they are started and spoken to);
# one pool per memory cap, since the cap is fixed when a worker starts.


def as_tuple(result: AttachmentText) -> tuple:
    return (result.text, result.kind, result.pages, result.problem, result.truncated)


_pools: dict[int, WorkerPool] = {}
_pool_lock = threading.Lock()


def pool(memory_bytes: int = DEFAULT_LIMITS.memory_bytes) -> WorkerPool:
    with _pool_lock:
        if memory_bytes not in _pools:
            _pools[memory_bytes] = WorkerPool("checker.crawl._attachment_worker", size=min(2, os.cpu_count() or 1),
                                              memory_bytes=memory_bytes)
            atexit.register(_pools[memory_bytes].close)
        return _pools[memory_bytes]


def _run_in_pool(data: bytes, url: str, content_type: str, lim: Limits) -> AttachmentText:
    try:
        answer = pool(lim.memory_bytes).run((data, url, content_type, lim), lim.timeout)
    except WorkerTimeout:
        return AttachmentText("", sniff(data, url, content_type), 0,
                              f"parsing took longer than {lim.timeout:g} s: stopped")
    except WorkerDied as exc:
        return AttachmentText("", sniff(data, url, content_type), 0, f"the parser process died ({exc})")
    return AttachmentText(*answer)


def extract_text(data: bytes, url: str, content_type: str, limits: Limits = DEFAULT_LIMITS) -> AttachmentText:
    """The text of an attachment, parsed in a worker process under `limits`. Never raises."""
    try:
        if len(data) > limits.max_bytes:
            return AttachmentText("", sniff(data, url, content_type), 0,
                                  f"file of {len(data)} bytes is over the {limits.max_bytes}-byte limit: not read")
        if not data:
            return AttachmentText("", "", 0, "empty file")
        return _run_in_pool(data, url, content_type, limits)
    except Exception as exc:  # the pool itself failed (no processes allowed?): one problem, not a crash
        return AttachmentText("", "", 0, f"attachment parser unavailable: {type(exc).__name__}: {exc}"[:300])


def with_problem(result: AttachmentText, problem: str) -> AttachmentText:
    return replace(result, problem="; ".join(p for p in (result.problem, problem) if p))
