"""Attachment text extraction on real files made here: a CJK PDF printed by Chromium and one
written by hand, DOCX, XLSX, XLS, an encrypted PDF, a scanned-looking PDF, a zip bomb
dressed as a DOCX, truncated files, and the worker pool's time limit."""

from __future__ import annotations

import asyncio
import io
import shutil
import time
import zipfile

import pytest

from checker.crawl import attachments
from checker.crawl.attachments import Limits, extract_text, has_text_extractor, parse, sniff
from checker.engine.case_files import docx_bytes, pdf_bytes, xlsx_bytes

RULE_TEXT = "平城区城区停车管理办法\n第五条 本办法由县司法局负责解读。\n第六条 本办法自2024年3月1日起施行，有效期5年。"


@pytest.fixture(scope="module")
def chromium_pdf() -> bytes:
    """A real CJK PDF: Chromium prints an HTML page with Noto CJK (what Word/WPS exports look like
    to a text extractor: embedded subset fonts with a ToUnicode map)."""
    from checker.crawl.browser import BrowserUnavailable, launch

    html = ("<html><head><meta charset='utf-8'></head><body style=\"font-family:'Noto Sans CJK SC'\">"
            "<h1>大同市平城区人民政府关于印发停车管理办法的通知</h1>"
            + "".join(f"<p>{line}</p>" for line in RULE_TEXT.splitlines()) + "</body></html>")

    async def render() -> bytes:
        async with launch() as context:
            page = await context.new_page()
            await page.set_content(html)
            return await page.pdf()

    try:
        return asyncio.run(render())
    except BrowserUnavailable as exc:
        pytest.skip(f"no Chromium to print a CJK PDF: {exc}")


def test_chromium_cjk_pdf_reads_back_with_radicals_folded(chromium_pdf):
    got = extract_text(chromium_pdf, "http://a.gov.cn/P0201.pdf", "application/pdf")
    assert got.kind == "pdf" and got.pages == 1 and not got.problem and not got.truncated
    # Noto CJK maps 人/民 to Kangxi/CJK-radical code points (⼈ ⺠); folded back, the name matches.
    assert "大同市平城区人民政府关于印发停车管理办法的通知" in got.text
    assert "有效期5年" in got.text and "由县司法局负责解读" in got.text


def test_hand_written_pdf_docx_xlsx_give_their_text():
    pdf = extract_text(pdf_bytes(RULE_TEXT), "http://a.gov.cn/a.pdf", "application/pdf")
    assert (pdf.kind, pdf.text, pdf.problem) == ("pdf", RULE_TEXT, "")
    doc = extract_text(docx_bytes(RULE_TEXT + "\n姓名\t身份证号\n张三\t110101199003071233"), "http://a.gov.cn/a.docx", "")
    assert doc.kind == "docx" and doc.text.endswith("有效期5年。\n姓名\t身份证号\n张三\t110101199003071233")
    xlsx = extract_text(xlsx_bytes("序号\t姓名\t手机号\n1\t李四\t13912345678", sheet="公示名单"), "http://a.gov.cn/b.xlsx", "")
    assert (xlsx.kind, xlsx.pages) == ("xlsx", 1)
    assert xlsx.text == "【公示名单】\n序号\t姓名\t手机号\n1\t李四\t13912345678"


def test_xls_and_wps_et_through_xlrd():
    xlwt = pytest.importorskip("xlwt", reason="xlwt writes the BIFF8 .xls used here")
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("救助名单")
    for r, row in enumerate([("姓名", "身份证号", "金额"), ("王五", "110101199003071233", 650)]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    for url in ("http://a.gov.cn/a.xls", "http://a.gov.cn/a.et"):  # WPS 表格 .et is BIFF8 too
        got = extract_text(data, url, "application/vnd.ms-excel")
        assert got.kind == "xls" and got.pages == 1 and not got.problem
        assert got.text == "【救助名单】\n姓名\t身份证号\t金额\n王五\t110101199003071233\t650"


def test_word_saved_as_web_page_is_read():
    html = "<html><body><p>关于公布权责清单的通知</p><script>var x=1</script><p>有效期5年</p></body></html>"
    got = extract_text(html.encode("gbk"), "http://a.gov.cn/a.doc", "application/msword")
    assert got.kind == "html" and "有效期5年" in got.text and "var x" not in got.text


@pytest.mark.skipif(shutil.which("catdoc") is None, reason="Debian's catdoc is not installed")
def test_doc_goes_through_catdoc():
    # No writer of Word 97 files is available; an OLE2 header with garbage after it shows the
    # path runs catdoc and turns its failure into a problem, not an exception.
    got = extract_text(attachments.OLE2_MAGIC + b"\x00" * 600, "http://a.gov.cn/a.doc", "application/msword")
    assert got.kind == "doc" and got.text == "" and got.problem


def test_encrypted_pdf_with_a_user_password_is_a_problem_owner_only_is_read():
    from pypdf import PdfReader, PdfWriter

    def encrypted(user: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(RULE_TEXT))))
        writer.encrypt(user_password=user, owner_password="owner-secret", algorithm="AES-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    locked = extract_text(encrypted("reader-secret"), "http://a.gov.cn/a.pdf", "application/pdf")
    assert locked.text == "" and locked.problem == "encrypted PDF: a password is needed to open it"
    # Most 'protected' government PDFs only forbid copying: anyone can open, so anyone can read.
    opened = extract_text(encrypted(""), "http://a.gov.cn/a.pdf", "application/pdf")
    assert "有效期5年" in opened.text and not opened.problem


def test_scanned_pdf_has_no_text_layer():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    got = extract_text(out.getvalue(), "http://a.gov.cn/scan.pdf", "application/pdf")
    assert got.text == "" and got.pages == 1 and got.problem == "PDF has no text layer (scanned images?)"


def test_zip_bomb_dressed_as_docx_is_rejected_before_parsing():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\x00" * 30_000_000)  # 30 MB of zeros in ~30 KB
    data = out.getvalue()
    assert len(data) < 100_000
    got = extract_text(data, "http://a.gov.cn/bomb.docx", "")
    assert got.text == "" and got.problem.startswith("rejected: compression ratio") and "decompression bomb" in got.problem
    small = Limits(max_unzipped=1_000_000)
    assert "unpacks to 30000" in parse(data, "http://a.gov.cn/bomb.docx", "", small).problem


def test_truncated_and_corrupt_files_give_a_problem_not_an_exception():
    for data, url in [
        (pdf_bytes(RULE_TEXT)[:300], "http://a.gov.cn/a.pdf"),
        (docx_bytes(RULE_TEXT)[:2000], "http://a.gov.cn/a.docx"),
        (xlsx_bytes("a\tb")[:1500], "http://a.gov.cn/a.xlsx"),
        (b"PK\x03\x04" + b"\x00" * 100, "http://a.gov.cn/a.xlsx"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "http://a.gov.cn/a.pdf"),
        (b"", "http://a.gov.cn/a.pdf"),
    ]:
        got = extract_text(data, url, "")
        assert got.text == "" and got.problem, (url, got)


def test_page_and_text_caps():
    many = "\n".join(f"第{i}行 本办法有效期5年。" for i in range(200))
    capped = parse(pdf_bytes(many, lines_per_page=20), "http://a.gov.cn/a.pdf", "", Limits(max_pages=3))
    assert capped.pages == 10 and capped.truncated and capped.problem == "only the first 3 of 10 PDF pages read"
    assert capped.text.splitlines()[-1] == "第59行 本办法有效期5年。"
    short = parse(docx_bytes(many), "http://a.gov.cn/a.docx", "", Limits(max_chars=100))
    assert short.truncated and len(short.text) <= 100 and short.problem == "text capped at 100 characters"
    over = extract_text(b"%PDF-1.4" + b" " * 2000, "http://a.gov.cn/a.pdf", "", Limits(max_bytes=1000))
    assert over.text == "" and "over the 1000-byte limit" in over.problem


def test_a_file_over_the_time_limit_is_stopped_and_the_pool_recovers():
    big = pdf_bytes("\n".join(f"第{i}行 本办法有效期5年。" * 4 for i in range(3000)))
    started = time.monotonic()
    slow = extract_text(big, "http://a.gov.cn/big.pdf", "", Limits(timeout=0.2))
    assert slow.text == "" and slow.problem == "parsing took longer than 0.2 s: stopped"
    assert time.monotonic() - started < 5
    again = extract_text(pdf_bytes(RULE_TEXT), "http://a.gov.cn/a.pdf", "")  # a fresh worker answers
    assert "有效期5年" in again.text


def test_sniffing_and_extensions():
    assert sniff(b"%PDF-1.7\n", "http://a/x.doc") == "pdf"  # bytes win over the name
    assert sniff(attachments.OLE2_MAGIC, "http://a/x.et") == "xls"
    assert sniff(attachments.OLE2_MAGIC, "http://a/x.wps") == "doc"
    assert has_text_extractor("http://a.gov.cn/files/年报.PDF") and has_text_extractor("http://a/x.et")
    assert not has_text_extractor("http://a/x.zip") and not has_text_extractor("http://a/pdf/")
