"""The first history schema: scans, profile results, findings.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("site", sa.String(255), nullable=False),
        sa.Column("start_url", sa.Text, nullable=False),
        sa.Column("evaluated_at", sa.String(40), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("scan_status", sa.String(20), nullable=False),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("attachments", sa.Integer, nullable=False),
        sa.Column("fetch_errors", sa.Integer, nullable=False),
        sa.Column("blocked", sa.Integer, nullable=False),
        sa.Column("budget_exhausted", sa.Boolean, nullable=False),
        sa.Column("tool_version", sa.String(40), nullable=False),
        sa.Column("schema_version", sa.String(10), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("result_path", sa.Text, nullable=False),
        sa.Column("result_json", sa.Text, nullable=False),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_scans"),
    )
    op.create_index("ix_scans_site_evaluated_at", "scans", ["site", "evaluated_at"])
    op.create_index("ix_scans_digest", "scans", ["digest"])

    op.create_table(
        "profile_results",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scan_id", sa.Integer, nullable=False),
        sa.Column("profile_id", sa.String(100), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("grade", sa.String(20), nullable=False),
        sa.Column("passed", sa.Integer, nullable=False),
        sa.Column("failed", sa.Integer, nullable=False),
        sa.Column("unknown", sa.Integer, nullable=False),
        sa.Column("manual", sa.Integer, nullable=False),
        sa.Column("not_applicable", sa.Integer, nullable=False),
        sa.Column("veto_hits", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_profile_results"),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], ondelete="CASCADE",
                                name="fk_profile_results_scan_id_scans"),
        sa.UniqueConstraint("scan_id", "profile_id", name="uq_profile_results_scan_profile"),
    )
    op.create_index("ix_profile_results_profile_id", "profile_results", ["profile_id"])

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scan_id", sa.Integer, nullable=False),
        sa.Column("profile_id", sa.String(100), nullable=False),
        sa.Column("item_number", sa.String(40), nullable=False),
        sa.Column("check_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
        sa.ForeignKeyConstraint(["scan_id"], ["scans.id"], ondelete="CASCADE", name="fk_findings_scan_id_scans"),
    )
    op.create_index("ix_findings_scan_id", "findings", ["scan_id"])
    op.create_index("ix_findings_fingerprint", "findings", ["fingerprint"])


def downgrade() -> None:
    op.drop_table("findings")
    op.drop_table("profile_results")
    op.drop_table("scans")
