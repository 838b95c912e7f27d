"""Attachments through the whole pipeline: a TRS-style county site (rendered by the rule-case
harness, GBK) served by a real HTTP server on 127.0.0.1, crawled by the real crawler, and
judged by the real rule checks. The checks pass or fail on text that exists only inside
the attached PDF/XLSX: the same site whose PDF lacks the clause fails, and with a scanned
(text-less) PDF the verdict is unknown, not fail."""

from __future__ import annotations

import asyncio
import http.server
import io
import threading
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from checker.crawl.crawler import CrawlSettings, crawl
from checker.engine.case_files import pdf_bytes
from checker.engine.cases import BASE_URL, Served, SiteSpec, case_profile, render_site
from checker.engine.evaluate import evaluate, scan_info
from checker.engine.loader import DEFAULT_RULES_DIR, load_rules
from checker.results import Status
from checker.site.snapshot import Snapshot

AS_OF = date(2026, 11, 21)
GFXWJ_DOC = "/zwgk/gfxwj/202403/t20240301_4103931.html"
GFXWJ_PDF = "/zwgk/gfxwj/202403/P020240301512345678901.pdf"
REPORT_PDF = "/zwgk/zfxxgknb/202603/P020260320555666777888.pdf"
GS_XLSX = "/zwgk/gsgg/202611/P020261112398765432100.xlsx"

REGULATION = """平城区城区停车管理办法
第一条 为加强城区停车管理，规范停车秩序，根据有关规定，结合本区实际，制定本办法。
第五条 本办法由县司法局负责解读。
第六条 本办法自2024年3月1日起施行，有效期5年。"""
REPORT = """平城区人民政府2025年政府信息公开工作年度报告
一、总体情况
2025年，平城区人民政府认真贯彻落实《中华人民共和国政府信息公开条例》。
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
六、其他需要报告的事项"""
NAMES = "序号\t姓名\t身份证号\t救助金额\n1\t张某某\t110101199003071233\t650"

SITE = {
    "name": "大同市平城区人民政府",
    "pages": [
        {"url": "/", "nav": {"首页": "/", "行政规范性文件": "/zwgk/gfxwj/", "公示公告": "/zwgk/gsgg/",
                             "政府信息公开年报": "/zwgk/zfxxgknb/"},
         "footer": "主办单位：大同市平城区人民政府办公室 网站标识码：1402130001"},
        {"url": "/zwgk/gfxwj/", "crumb": ["首页", "政府信息公开", "行政规范性文件"],
         "items": [["大同市平城区人民政府关于印发平城区城区停车管理办法的通知", GFXWJ_DOC, "2024-03-01"]]},
        {"url": GFXWJ_DOC, "crumb": ["首页", "政府信息公开", "行政规范性文件"],
         "title": "大同市平城区人民政府关于印发平城区城区停车管理办法的通知",
         "meta": {"文号": "平政发〔2024〕3号", "发布机构": "大同市平城区人民政府办公室", "发布日期": "2024-03-01"},
         "body": "各乡镇人民政府（街道办事处），各有关部门：\n现将《平城区城区停车管理办法》印发给你们，请认真贯彻执行。",
         "attachments": {"平城区城区停车管理办法.pdf": GFXWJ_PDF}},
        {"url": "/zwgk/gsgg/", "crumb": ["首页", "公示公告"],
         "items": [["平城区2026年度城乡低保救助对象名单公示", "/zwgk/gsgg/202611/t20261112_1.html", "2026-11-12"]]},
        {"url": "/zwgk/gsgg/202611/t20261112_1.html", "crumb": ["首页", "公示公告"],
         "title": "平城区2026年度城乡低保救助对象名单公示",
         "body": "现将2026年度城乡低保救助对象名单予以公示（见附件），公示期7天。监督电话：0352-2046114",
         "attachments": {"低保救助对象名单.xlsx": {"href": GS_XLSX, "text": NAMES}}},
        {"url": "/zwgk/zfxxgknb/", "crumb": ["首页", "政府信息公开", "政府信息公开年报"],
         "items": [["平城区人民政府2025年政府信息公开工作年度报告", REPORT_PDF, "2026-03-20"]]},
    ],
}


class _Handler(http.server.BaseHTTPRequestHandler):
    site = None  # set per server

    def do_GET(self):  # noqa: N802 - http.server's name
        served = self.server.site.answer(BASE_URL.rstrip("/") + self.path)
        self.send_response(served.status)
        self.send_header("Content-Type", served.content_type)
        self.send_header("Content-Length", str(len(served.body)))
        self.end_headers()
        self.wfile.write(served.body)

    def log_message(self, *args):
        pass


def _scanned_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scan(tmp_path: Path, regulation_pdf: bytes, name: str, **settings) -> Path:
    site = render_site(SiteSpec.model_validate(SITE))
    site.exact[BASE_URL.rstrip("/") + GFXWJ_PDF] = Served(200, "application/pdf", regulation_pdf)
    site.exact[BASE_URL.rstrip("/") + REPORT_PDF] = Served(200, "application/pdf", pdf_bytes(REPORT))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.site = site
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        path = tmp_path / name / "snapshot.sqlite"
        start = f"http://127.0.0.1:{server.server_address[1]}/"
        summary = asyncio.run(crawl(CrawlSettings(start_url=start, as_of=AS_OF, timeout=10, retries=0, render="never",
                                                  warc=False, **settings), path))
        assert summary.status == "complete", summary.status_reason
        return path
    finally:
        server.shutdown()
        server.server_close()


@cache
def _checks():
    return load_rules(DEFAULT_RULES_DIR).checks


def _judge(path: Path, check_id: str):
    checks = _checks()
    with Snapshot(path) as snap:
        result = evaluate(snap, [case_profile(checks[check_id])], {check_id: checks[check_id]},
                          evaluated_at="2026-11-21T00:00:00Z")
    return result.profiles[0].items[0].checks[0]


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("attachment-crawl")
    without = REGULATION.replace("，有效期5年", "")
    return {"text": _scan(tmp, pdf_bytes(REGULATION), "text"), "without": _scan(tmp, pdf_bytes(without), "without"),
            "scanned": _scan(tmp, _scanned_pdf(), "scanned")}


def test_attachments_are_stored_as_pages_with_their_text(scans):
    with Snapshot(scans["text"]) as snap:
        base = snap.start_url.rstrip("/")
        pdf = snap.get(base + GFXWJ_PDF)
        assert pdf.kind == "attachment" and pdf.title == "平城区城区停车管理办法.pdf"
        assert pdf.content_type == "application/pdf" and pdf.size == len(pdf_bytes(REGULATION)) and pdf.sha256
        assert pdf.text == pdf.body == REGULATION and pdf.problem == ""
        report = snap.get(base + REPORT_PDF)
        assert report.kind == "attachment" and report.title == "平城区人民政府2025年政府信息公开工作年度报告"
        xlsx = snap.get(base + GS_XLSX)
        assert xlsx.kind == "attachment" and "110101199003071233" in xlsx.text
        # The snapshot's attachments view lists them for anyone opening the file.
        rows = dict(snap._db.execute("SELECT url, chars FROM attachments").fetchall())
        assert rows[base + GFXWJ_PDF] == len(REGULATION)
        # The scorecard's "how much was seen" counts them.
        assert scan_info(snap, AS_OF).attachments == len(rows) >= 3
    with Snapshot(scans["scanned"]) as snap:
        pdf = snap.get(snap.start_url.rstrip("/") + GFXWJ_PDF)
        assert pdf.kind == "attachment" and pdf.text == ""
        assert pdf.problem == "attachment: PDF has no text layer (scanned images?)"


def test_validity_period_passes_only_on_the_attachment_text(scans):
    passed = _judge(scans["text"], "gfxwj-validity-period-2024")
    assert passed.status == Status.PASS, passed.summary
    shown = next(ev for ev in passed.evidence if ev.found and "有效期" in ev.found)
    assert shown.url.endswith(GFXWJ_PDF) and shown.where == "附件「平城区城区停车管理办法.pdf」的文字"
    assert GFXWJ_DOC in shown.note
    # The same site and page; the PDF's text has no 有效期 clause: a finding.
    failed = _judge(scans["without"], "gfxwj-validity-period-2024")
    assert failed.status == Status.FAIL, failed.summary
    assert any(ev.found == "缺少：有效期" for ev in failed.evidence)
    # The PDF is a scan: the clause may be in the image, so the check cannot tell.
    unknown = _judge(scans["scanned"], "gfxwj-validity-period-2024")
    assert unknown.status == Status.UNKNOWN, unknown.summary
    assert any(ev.url.endswith(GFXWJ_PDF) and "PDF has no text layer" in ev.found for ev in unknown.evidence if ev.url)


def test_personal_data_in_an_xlsx_is_found_and_masked(scans):
    result = _judge(scans["text"], "no-personal-data")
    assert result.status == Status.FAIL, result.summary
    leak = next(ev for ev in result.evidence if ev.looked_for == "身份证号" and ev.url)
    assert leak.url.endswith(GS_XLSX) and leak.found == "110101********1233"
    assert "110101199003071233" not in (leak.context or "") and leak.where.startswith("附件文字（由 ")


def test_a_report_published_only_as_pdf_gets_its_sections_checked(scans):
    result = _judge(scans["text"], "zfxxgknb-sections-in-order")
    assert result.status == Status.PASS, result.summary
    assert result.evidence[0].url.endswith(REPORT_PDF)
    assert _judge(scans["text"], "zfxxgknb-on-time").status == Status.PASS  # the list date, as before


def test_an_attachment_over_the_size_cap_is_probed_not_read(tmp_path):
    path = _scan(tmp_path, pdf_bytes(REGULATION), "capped", max_attachment_bytes=500)
    with Snapshot(path) as snap:
        pdf = snap.get(snap.start_url.rstrip("/") + GFXWJ_PDF)
        assert pdf.kind == "attachment" and pdf.status == 200 and pdf.text == ""
        assert pdf.problem.startswith("attachment not read: ") and "500 bytes" in pdf.problem
        assert pdf.size == len(pdf_bytes(REGULATION))  # as the server declared it
    assert _judge(path, "gfxwj-validity-period-2024").status == Status.UNKNOWN
