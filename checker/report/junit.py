"""JUnit XML: each item a test case, so CI dashboards (GitLab, Jenkins, GitHub checks) show a
scan like a test run.

One `<testsuite>` per profile (classname = profile id, name = "number name"). fail →
`<failure>`, unknown → `<error>` (the checker could not judge it: an error of the run, not a
verdict on the site), manual and not_applicable → `<skipped>` with the reason, pass → a plain
test case. The message is the one-line finding; the body lists every check's summary, reason
and evidence URLs so the dashboard alone tells a reader where to look.

ElementTree escapes markup but writes control characters as they are, and those are illegal
in XML 1.0 (a parser rejects the whole file), so every string is filtered first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from checker.report.html import cap
from checker.report.json_report import _write_atomic
from checker.report.tabular import FINDING_CAP, evidence_urls, finding, status_text, waiver_text
from checker.results import ItemResult, ProfileResult, ScanResult, Status

CONTENT_CAP = 500  # the requirement quoted in a failure body
URLS_PER_CHECK = 10  # evidence URLs listed per check; result.json keeps them all

# Everything XML 1.0 allows (tab, LF, CR and the ranges below); the rest is dropped.
_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_ELEMENT = {Status.FAIL: "failure", Status.UNKNOWN: "error",
            Status.MANUAL: "skipped", Status.NOT_APPLICABLE: "skipped"}


def xml_text(text: object) -> str:
    """`text` with every character XML 1.0 forbids removed."""
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))


def _set(el: ET.Element, **attrs: object) -> ET.Element:
    for key, value in attrs.items():
        el.set(key, xml_text(value))
    return el


def _body(item: ItemResult) -> str:
    lines = [f"状态：{status_text(item.status)}"]
    if item.content:
        lines.append(f"要求：{cap(item.content, CONTENT_CAP)}")
    unit = "；".join(p for p in (
        f"牵头单位：{cap(item.lead_unit, FINDING_CAP)}" if item.lead_unit else "",
        f"责任单位：{cap(item.units, FINDING_CAP)}" if item.units else "",
        f"完成时限：{cap(item.deadline_text, FINDING_CAP)}" if item.deadline_text else "",
    ) if p)
    if unit:
        lines.append(unit)
    if item.manual_reason:
        lines.append(f"人工核查：{cap(item.manual_reason, FINDING_CAP)}")
    if item.manual_note:
        lines.append(f"需人工部分：{cap(item.manual_note, FINDING_CAP)}")
    if item.waiver:
        lines.append(f"豁免：{waiver_text(item.waiver)}")
    for check in item.checks:
        lines.append(f"[{status_text(check.status)}] {cap(check.title, FINDING_CAP)}（{check.check_id}）："
                     f"{cap(check.summary, FINDING_CAP)}")
        if check.reason:
            lines.append(f"  原因：{cap(check.reason, FINDING_CAP)}")
        if check.waiver:
            lines.append(f"  豁免：{waiver_text(check.waiver)}")
        urls = list(evidence_urls(check))
        lines.extend(f"  证据：{cap(url, 2048)}" for url in urls[:URLS_PER_CHECK])
        if len(urls) > URLS_PER_CHECK:
            lines.append(f"  ……另有 {len(urls) - URLS_PER_CHECK} 条证据，见 result.json")
    return "\n".join(lines)


def _testcase(profile: ProfileResult, item: ItemResult) -> ET.Element:
    case = _set(ET.Element("testcase"), classname=profile.id,
                name=cap(f"{item.number} {item.name}", FINDING_CAP), time="0")
    tag = _ELEMENT.get(item.status)
    if tag is not None:
        outcome = _set(ET.SubElement(case, tag), message=finding(item) or status_text(item.status),
                       type=item.status.value)
        outcome.text = xml_text(_body(item))
    return case


def _counts(items: list[ItemResult]) -> dict[str, int]:
    return {
        "tests": len(items),
        "failures": sum(i.status == Status.FAIL for i in items),
        "errors": sum(i.status == Status.UNKNOWN for i in items),
        "skipped": sum(i.status in (Status.MANUAL, Status.NOT_APPLICABLE) for i in items),
    }


def _testsuite(result: ScanResult, profile: ProfileResult) -> ET.Element:
    suite = _set(ET.Element("testsuite"), name=profile.id, **_counts(profile.items), time="0",
                 timestamp=result.evaluated_at)
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("title", profile.title),
        ("site", result.site or result.scan.start_url),
        ("start_url", result.scan.start_url),
        ("scan_status", result.scan.status),
        ("as_of", result.scan.as_of.isoformat()),
        ("score", "" if profile.score is None else f"{profile.score:g}"),
        ("grade", profile.grade),
        ("veto_hits", ",".join(profile.veto_hits)),
    ):
        _set(ET.SubElement(props, "property"), name=name, value=cap(value, FINDING_CAP))
    suite.extend(_testcase(profile, item) for item in profile.items)
    return suite


def render_junit(result: ScanResult) -> str:
    """The JUnit XML document (with its XML declaration) for `result`."""
    every = [i for p in result.profiles for i in p.items]
    root = _set(ET.Element("testsuites"), name=cap(f"{result.tool} {result.site or result.scan.start_url}", 200),
                **_counts(every), time="0")
    root.extend(_testsuite(result, p) for p in result.profiles)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(result: ScanResult, path: Path) -> None:
    """Write the JUnit XML to `path` (UTF-8); replaces the file atomically."""
    _write_atomic(Path(path), render_junit(result).encode("utf-8"))
