"""Real attachment files made from text, for rule cases and tests: PDF, DOCX, XLSX.

The PDF is written by hand (no PDF library can write CJK text without a font file): one
Type0 font with Identity-H encoding whose character codes are the Unicode code points,
and a ToUnicode map saying so, so any PDF text extractor reads the text back exactly.
The font is not embedded (a viewer substitutes one); the text layer is what matters here.
Output is deterministic: the same text gives the same bytes.
"""

from __future__ import annotations

import io
from datetime import datetime

LINES_PER_PAGE = 45


def _tounicode(codes: set[int]) -> bytes:
    highs = sorted({c >> 8 for c in codes})
    ranges = [f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>" for h in highs]
    blocks = []
    for i in range(0, len(ranges), 100):  # at most 100 entries per bfrange block
        chunk = ranges[i : i + 100]
        blocks.append(f"{len(chunk)} beginbfrange\n" + "\n".join(chunk) + "\nendbfrange")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def _stream(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream"


def pdf_bytes(text: str, *, lines_per_page: int = LINES_PER_PAGE) -> bytes:
    """A PDF whose text layer is `text` (lines kept; characters outside the BMP become ?)."""
    lines = [ln.strip() for ln in text.splitlines()] or [""]
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)]
    codes = {ord(c) if ord(c) <= 0xFFFF else ord("?") for c in text} | {ord("?")}
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # pages, filled below
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 6 0 R /DW 1000 >>",
        _stream(_tounicode(codes)),
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 "
        b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    kids = []
    for page_lines in pages:
        ops = ["BT", "/F1 11 Tf", "16 TL", "50 800 Td"]
        for line in page_lines:
            hexed = "".join(f"{ord(c) if ord(c) <= 0xFFFF else ord('?'):04X}" for c in line)
            ops.append(f"<{hexed}> Tj T*")
        ops.append("ET")
        content = "\n".join(ops).encode("ascii")
        objects.append(_stream(content))
        content_id = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_id} 0 R "
                       f"/Resources << /Font << /F1 3 0 R >> >> >>".encode())
        kids.append(len(objects))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def docx_bytes(text: str) -> bytes:
    """A DOCX with one paragraph per line; tab-separated lines become a table row each."""
    import docx

    document = docx.Document()
    document.core_properties.created = datetime(2024, 1, 1)  # not the time of the run
    table = None
    for line in text.splitlines():
        if "\t" in line:
            cells = line.split("\t")
            if table is None or len(table.columns) != len(cells):
                table = document.add_table(rows=0, cols=len(cells))
            row = table.add_row()
            for cell, value in zip(row.cells, cells, strict=True):
                cell.text = value
        else:
            table = None
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(text: str, sheet: str = "Sheet1") -> bytes:
    """An XLSX with one row per line, cells split at tabs (text cells, as 公示 lists keep ID numbers)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for line in text.splitlines():
        ws.append(line.split("\t"))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


MAKERS = {"pdf": pdf_bytes, "docx": docx_bytes, "xlsx": xlsx_bytes}
