"""The result model: what an evaluation produces and every report renders.

`result.json` is `ScanResult.model_dump_json()`; its JSON Schema is published under
`rules/schema/result.schema.json`. Field order is fixed here and lists are built in a
deterministic order by the engine, so the same snapshot, rules and scan date give the
same bytes.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

# 1.1 (additive): ScanResult.site and .waivers, ItemResult/CheckResult.waiver, ScanInfo.attachments.
RESULT_SCHEMA_VERSION = "1.1"


class Status(StrEnum):
    """The five statuses of DESIGN.md. Only pass and fail count in a score."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"  # could not be judged: blocked, timed out, out of budget, unparseable
    MANUAL = "manual"  # needs a person
    NOT_APPLICABLE = "not_applicable"  # the site does not have what the rule is about


STATUS_LABELS = {
    Status.PASS: "通过",
    Status.FAIL: "未通过",
    Status.UNKNOWN: "无法判断",
    Status.MANUAL: "人工核查",
    Status.NOT_APPLICABLE: "不适用",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Model):
    """One thing a reviewer can open: a page we fetched (or tried to) and what we saw there."""

    url: str | None = None
    http_status: int | None = None
    fetched_at: str | None = None
    found: str | None = Field(None, description="The text that matched, or what was found instead")
    context: str | None = Field(None, description="Surrounding text of the match")
    looked_for: str | None = Field(None, description="What was searched for")
    where: str | None = Field(None, description="Where the checker looked")
    note: str | None = None
    warc_record: str | None = Field(
        None, description="WARC-Record-ID of the archived response behind this evidence (crawl.warc.gz)")


class Waiver(_Model):
    """A person's decision recorded in the site file (sites/*.yaml): an item or a check is
    not applicable, or its finding is accepted, with a reason, an author and an expiry.
    An expired waiver is listed (so nobody thinks it still holds) but no longer applied."""

    profile: str | None = Field(None, description="Profile id the waiver is limited to; None: every profile")
    item: str | None = Field(None, description="Item number the waiver is about")
    check: str | None = Field(None, description="Check id the waiver is about (within `item` when both are set)")
    status: str = Field(description="not_applicable | accepted")
    reason: str
    author: str
    expires: date
    expired: bool = Field(False, description="The expiry date is before the scan date: not applied")
    applied_to: int = Field(0, description="How many items or checks it changed in this result")


class WaiverNote(_Model):
    """On an item or check a waiver changed: what the checker found before the waiver."""

    status: str = Field(description="not_applicable | accepted")
    reason: str
    author: str
    expires: date
    original_status: Status


class CheckResult(_Model):
    check_id: str
    kind: str
    title: str
    status: Status
    summary: str = Field(description="One line, in Chinese, saying what was found")
    reason: str | None = Field(None, description="Why the check is unknown / not applicable")
    evidence: list[Evidence] = []
    fingerprint: str = Field(description="Stable id of this finding: check + item + evidence location")
    waiver: WaiverNote | None = None


class Counts(_Model):
    pass_: int = Field(0, alias="pass")
    fail: int = 0
    unknown: int = 0
    manual: int = 0
    not_applicable: int = 0

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ItemResult(_Model):
    number: str = Field(description="The item number as printed in the task list")
    name: str
    group: str = ""
    content: str
    lead_unit: str = ""
    units: str = ""
    deadline_text: str = ""
    deadline: date | None = None
    weight: float = 1.0
    veto: bool = False
    status: Status
    manual_reason: str | None = None
    manual_note: str | None = Field(None, description="What part of an automated item still needs a person")
    checks: list[CheckResult] = []
    waiver: WaiverNote | None = None


class ProfileResult(_Model):
    id: str
    title: str
    source: str = Field(description="File name of the task list the profile comes from")
    issuer: str = ""
    year: int | None = None
    score: float | None = Field(description="0–100 over pass+fail weights; None when nothing was judged")
    grade: str
    veto_hits: list[str] = Field([], description="Numbers of veto items that failed")
    counts: Counts
    items: list[ItemResult]


class ScanInfo(_Model):
    start_url: str
    hosts: list[str] = []
    started_at: str | None = None
    finished_at: str | None = None
    as_of: date = Field(description="The scan date every time-based rule is judged against")
    status: str = Field(description="complete | partial | interrupted | unreachable")
    status_reason: str | None = None
    pages: int = 0
    attachments: int = Field(0, description="Of `pages`, attachments whose text was read or tried")
    fetch_errors: int = 0
    blocked: int = 0
    budget_exhausted: bool = False
    robots: str = "obeyed"
    snapshot: str = ""


class ScanResult(_Model):
    schema_version: str = RESULT_SCHEMA_VERSION
    tool: str
    tool_version: str
    evaluated_at: str = Field(description="When the evaluation ran: an input, the only field that may differ on re-evaluation")
    site: str = Field("", description="Which site this is, for history: the site file's id, else the start URL's host")
    scan: ScanInfo
    profiles: list[ProfileResult]
    waivers: list[Waiver] = Field([], description="Every waiver of the site file, applied or expired")
