"""The history's tables, as SQLAlchemy Core metadata.

This is the schema the newest migration produces; the migrations under `migrations/versions/`
are what create and upgrade a database (`store.upgrade`), never `metadata.create_all`. A test
compares the two. Types are portable (no SQLite- or PostgreSQL-only features): text columns
holding ISO timestamps sort correctly as strings, the whole result is kept as text.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

# Names for constraints, so every backend (and every migration) agrees on them.
metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

scans = Table(
    "scans", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("site", String(255), nullable=False),
    Column("start_url", Text, nullable=False),
    Column("evaluated_at", String(40), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("scan_status", String(20), nullable=False),
    Column("pages", Integer, nullable=False),
    Column("attachments", Integer, nullable=False),
    Column("fetch_errors", Integer, nullable=False),
    Column("blocked", Integer, nullable=False),
    Column("budget_exhausted", Boolean, nullable=False),
    Column("tool_version", String(40), nullable=False),
    Column("schema_version", String(10), nullable=False),
    # sha256 of the result JSON: recording the same result twice returns the first row.
    Column("digest", String(64), nullable=False),
    Column("result_path", Text, nullable=False),
    Column("result_json", Text, nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Index("ix_scans_site_evaluated_at", "site", "evaluated_at"),
    Index("ix_scans_digest", "digest"),
)

profile_results = Table(
    "profile_results", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scans.id", ondelete="CASCADE"), nullable=False),
    Column("profile_id", String(100), nullable=False),
    Column("title", Text, nullable=False),
    Column("score", Float, nullable=True),
    Column("grade", String(20), nullable=False),
    Column("passed", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("unknown", Integer, nullable=False),
    Column("manual", Integer, nullable=False),
    Column("not_applicable", Integer, nullable=False),
    Column("veto_hits", Text, nullable=False),  # JSON list of item numbers
    UniqueConstraint("scan_id", "profile_id", name="uq_profile_results_scan_profile"),
    Index("ix_profile_results_profile_id", "profile_id"),
)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scan_id", Integer, ForeignKey("scans.id", ondelete="CASCADE"), nullable=False),
    Column("profile_id", String(100), nullable=False),
    Column("item_number", String(40), nullable=False),
    Column("check_id", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Index("ix_findings_scan_id", "scan_id"),
    Index("ix_findings_fingerprint", "fingerprint"),
)
