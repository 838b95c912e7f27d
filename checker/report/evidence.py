"""`checker evidence show`: an item's findings with their proof, read back from the archive.

Given a result.json, the snapshot it names (`scan.snapshot`) and `crawl.warc.gz` beside
it, print an item's checks with every evidence entry (URL, HTTP status, time, what was
found) and the WARC record holding the response it rests on; optionally extract those
archived responses (body bytes as the server sent them, and headers) into a folder so a
reviewer can open exactly what the checker saw.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from checker.crawl.archive import WARC_NAME, ArchivedResponse, find_response
from checker.report.html import format_time, status_label
from checker.report.json_report import read_json
from checker.results import CheckResult, ItemResult, ProfileResult, ScanResult

# Content types → file extension of an extracted body; else the URL's own suffix, else .bin.
_EXTENSIONS = {
    "text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt", "application/json": ".json",
    "text/xml": ".xml", "application/xml": ".xml", "text/css": ".css", "application/javascript": ".js",
    "text/javascript": ".js", "application/pdf": ".pdf", "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
}
_SAFE_SUFFIX = frozenset({".html", ".htm", ".shtml", ".txt", ".json", ".xml", ".pdf", ".doc", ".docx", ".xls",
                          ".xlsx", ".wps", ".et", ".ofd", ".png", ".jpg", ".jpeg", ".gif", ".zip", ".rar"})


class EvidenceError(ValueError):
    """Bad input: no such item or check, an ambiguous item number, missing files."""


@dataclass
class Selection:
    profile: ProfileResult
    item: ItemResult
    checks: list[CheckResult]


@dataclass
class Scan:
    result: ScanResult
    result_path: Path
    snapshot_path: Path | None
    warc_path: Path | None
    offsets: dict[str, int]  # WARC-Record-ID → offset, from the snapshot

    def archived(self, record_id: str) -> ArchivedResponse | None:
        if self.warc_path is None:
            return None
        return find_response(self.warc_path, record_id, self.offsets.get(record_id))


def _offsets(snapshot: Path) -> dict[str, int]:
    """Record offsets the snapshot knows (pages and every archived response)."""
    out: dict[str, int] = {}
    db = sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "warc_records" in tables:
            out.update(db.execute("SELECT record_id, offset FROM warc_records"))
        if "warc_offset" in {r[1] for r in db.execute("PRAGMA table_info(pages)")}:
            out.update(db.execute(
                "SELECT warc_record, warc_offset FROM pages WHERE warc_record != '' AND warc_offset IS NOT NULL"))
    finally:
        db.close()
    return out


def open_scan(result_path: Path) -> Scan:
    """result.json with its snapshot and WARC, found beside it."""
    result_path = Path(result_path)
    result = read_json(result_path)
    folder = result_path.parent
    snapshot = folder / Path(result.scan.snapshot).name if result.scan.snapshot else None
    if snapshot is not None and not snapshot.is_file():
        snapshot = None
    warc = folder / WARC_NAME
    return Scan(result, result_path, snapshot, warc if warc.is_file() else None,
                _offsets(snapshot) if snapshot else {})


def select(result: ScanResult, item: str, profile: str | None = None) -> list[Selection]:
    """The item numbered `item` (in `profile` when given), or every item with the check `item`."""
    profiles = [p for p in result.profiles if profile is None or p.id == profile]
    if profile is not None and not profiles:
        raise EvidenceError(f"result has no profile {profile!r} (has: {', '.join(p.id for p in result.profiles)})")
    by_number = [(p, it) for p in profiles for it in p.items if it.number == item]
    if by_number:
        if len({p.id for p, _ in by_number}) > 1:
            ids = ", ".join(p.id for p, _ in by_number)
            raise EvidenceError(f"item {item} exists in several profiles ({ids}): add --profile")
        return [Selection(p, it, list(it.checks)) for p, it in by_number]
    by_check = [Selection(p, it, [c for c in it.checks if c.check_id == item])
                for p in profiles for it in p.items if any(c.check_id == item for c in it.checks)]
    if not by_check:
        raise EvidenceError(f"no item numbered {item!r} and no check with that id"
                            + (f" in profile {profile}" if profile else ""))
    return by_check


def _lines(label: str, value: object, indent: str) -> list[str]:
    if value is None or value == "":
        return []
    return [f"{indent}{label}：{' '.join(str(value).split())}"]


def render(scan: Scan, selections: list[Selection]) -> str:
    """Plain text, one block per item, Chinese labels."""
    out: list[str] = []
    for sel in selections:
        it = sel.item
        out.append(f"事项 {it.number}　{it.name}　[{sel.profile.id}]")
        out.append(f"  状态：{status_label(it.status)}")
        out += _lines("内容", it.content, "  ")
        out += _lines("人工核查", it.manual_reason, "  ")
        for c in sel.checks:
            out.append("")
            out.append(f"  检查 {c.check_id}（{c.kind}）：{status_label(c.status)}")
            out += _lines("结论", c.summary, "    ")
            out += _lines("原因", c.reason, "    ")
            if not c.evidence:
                out.append("    （无证据条目）")
            for n, ev in enumerate(c.evidence, 1):
                out.append(f"    证据 {n}")
                out += _lines("网址", ev.url, "      ")
                out += _lines("HTTP 状态", ev.http_status, "      ")
                out += _lines("抓取时间", format_time(ev.fetched_at) if ev.fetched_at else None, "      ")
                out += _lines("找到", ev.found, "      ")
                out += _lines("上下文", ev.context, "      ")
                out += _lines("查找", ev.looked_for, "      ")
                out += _lines("查找位置", ev.where, "      ")
                out += _lines("说明", ev.note, "      ")
                if ev.warc_record:
                    offset = scan.offsets.get(ev.warc_record)
                    where = WARC_NAME + (f"，偏移 {offset}" if offset is not None else "")
                    out.append(f"      存档：{ev.warc_record}（{where}）")
                elif ev.url:
                    out.append("      存档：无（该网址的响应未存档）")
        out.append("")
    if scan.warc_path is None:
        out.append(f"注意：{scan.result_path.parent / WARC_NAME} 不存在，无法核对存档。")
    return "\n".join(out).rstrip() + "\n"


def _extension(resp: ArchivedResponse) -> str:
    mime = resp.header("content-type").split(";", 1)[0].strip().lower()
    if mime in _EXTENSIONS:
        return _EXTENSIONS[mime]
    suffix = Path(urlsplit(resp.url).path).suffix.lower()
    return suffix if suffix in _SAFE_SUFFIX else ".bin"


def extract(scan: Scan, selections: list[Selection], folder: Path) -> list[tuple[str, Path, Path]]:
    """Write each evidence response's archived body and headers into `folder`.

    Returns (record id, body path, headers path) per distinct record, in evidence order.
    File names come from the record, never from scraped text: `<sha1(record id)[:16]>.<ext>`.
    """
    if scan.warc_path is None:
        raise EvidenceError(f"no archive: {scan.result_path.parent / WARC_NAME} not found")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[tuple[str, Path, Path]] = []
    done: set[str] = set()
    for sel in selections:
        for c in sel.checks:
            for ev in c.evidence:
                rid = ev.warc_record
                if not rid or rid in done:
                    continue
                done.add(rid)
                resp = scan.archived(rid)
                if resp is None:
                    continue
                stem = hashlib.sha1(rid.encode()).hexdigest()[:16]
                body = folder / f"{stem}{_extension(resp)}"
                body.write_bytes(resp.body)
                head = folder / f"{stem}.headers.txt"
                lines = [resp.status_line, *(f"{k}: {v}" for k, v in resp.headers), "",
                         f"WARC-Record-ID: {resp.record_id}", f"WARC-Target-URI: {resp.url}",
                         f"WARC-Date: {resp.date}"]
                if resp.truncated:
                    lines.append("WARC-Truncated: 正文未读取（仅探测了响应头）")
                if resp.note:
                    lines.append(f"Note: {resp.note}")
                head.write_text("\n".join(lines) + "\n", encoding="utf-8")
                written.append((rid, body, head))
    return written
