"""What the history gives the reports: past scans of a site, a diff between two scans, and
the trend of a profile's score and counts. Plain pydantic models, independent of how the
history is stored (store.py: SQLAlchemy, SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from checker.results import Status


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScanRow(BaseModel):
    """One recorded scan, as `checker history SITE` lists it."""

    id: int
    site: str
    start_url: str
    evaluated_at: str
    as_of: str
    scan_status: str  # complete | partial | interrupted | unreachable
    pages: int
    profiles: dict[str, float | None] = Field(description="profile id -> score")
    result_path: str = ""  # where its result.json was written, when known


class TrendPoint(_Model):
    """A profile's standing in one past scan: a point of the scorecard's trend chart."""

    scan_id: int
    evaluated_at: str
    as_of: str
    score: float | None
    grade: str
    passed: int
    failed: int
    unknown: int
    manual: int
    scan_status: str


class Change(_Model):
    """One item whose standing changed (or did not, for still_failing) between two scans."""

    profile: str
    item: str  # item number as printed
    name: str
    lead_unit: str = ""
    old_status: Status | None  # None: the item was not in the older scan
    new_status: Status | None  # None: the item is gone from the newer scan
    # Checks of the item that fail now and did not before (by fingerprint: check + item +
    # evidence location), so a still-failing item that fails somewhere new is visible too.
    new_findings: list[str] = []  # check ids
    summary: str = ""  # the newer scan's first failing/unknown check summary, for the reader


class ProfileDiff(_Model):
    profile: str
    title: str
    old_score: float | None
    new_score: float | None
    newly_failing: list[Change] = []
    fixed: list[Change] = []  # failed before, passes (or is n/a / accepted by a waiver) now
    still_failing: list[Change] = []
    newly_unknown: list[Change] = []


class ScanDiff(_Model):
    site: str
    old_evaluated_at: str
    new_evaluated_at: str
    old_scan_id: int | None = None
    new_scan_id: int | None = None
    profiles: list[ProfileDiff] = []

    @property
    def has_new_failures(self) -> bool:
        """What makes `checker diff` exit non-zero: an item (or finding) that newly fails."""
        return any(p.newly_failing or any(c.new_findings for c in p.still_failing) for p in self.profiles)
