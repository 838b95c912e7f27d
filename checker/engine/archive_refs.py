"""Evidence → the archived response that proves it.

Kinds build evidence from pages (`page_evidence` fills `warc_record` itself) and from fetch
errors, probes and robots answers in many places; this pass, run once per check outcome,
gives every evidence entry that points at a URL the crawl archived the record id of that
response. Pure: it reads the snapshot's `warc_records` / page / error references only.
"""

from __future__ import annotations

from checker.results import Evidence
from checker.site.snapshot import Snapshot

from .kinds.base import Outcome


def record_for(snapshot: Snapshot, ev: Evidence) -> str | None:
    """The WARC-Record-ID of the response `ev` is about, or None when none was archived."""
    if not ev.url:
        return None
    err = snapshot.error_for(ev.url)
    if err is not None and err.warc_record:
        return err.warc_record
    page = snapshot.get(ev.url)
    if page is not None and page.warc_record:
        return page.warc_record
    ref = snapshot.archived(ev.url)
    return ref[0] if ref else None


def with_archive_refs(outcome: Outcome, snapshot: Snapshot) -> Outcome:
    """`outcome` with `warc_record` set on each evidence entry that has an archived response."""
    if not any(ev.url and ev.warc_record is None for ev in outcome.evidence):
        return outcome
    evidence = []
    for ev in outcome.evidence:
        if ev.url and ev.warc_record is None:
            record = record_for(snapshot, ev)
            if record:
                ev = ev.model_copy(update={"warc_record": record})
        evidence.append(ev)
    outcome.evidence = evidence
    return outcome
