"""Runs, per-check counts and per-run findings.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the first schema."""
    op.create_table(
        "history_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("scope", sa.String(400), nullable=False),
        sa.Column("suite", sa.String(200), nullable=False),
        sa.Column("export", sa.String(1000), nullable=False),
        sa.Column("export_sha256", sa.String(64), nullable=False),
        sa.Column("tool_version", sa.String(40), nullable=False),
        sa.Column("cases_in_scope", sa.Integer, nullable=False),
        sa.Column("findings", sa.Integer, nullable=False),
        sa.Column("flagged_cases", sa.Integer, nullable=False),
        sa.Column("new", sa.Integer, nullable=False),
        sa.Column("persisting", sa.Integer, nullable=False),
        sa.Column("resolved", sa.Integer, nullable=False),
        sa.Column("held", sa.Integer, nullable=False),
        sa.Column("previous_run_id", sa.Integer, nullable=True),
        sa.Column("same_export", sa.Boolean, nullable=False),
    )
    op.create_table(
        "history_checks",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("history_runs.id"), primary_key=True),
        sa.Column("check_id", sa.String(200), primary_key=True),
        sa.Column("area", sa.String(40), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("relevant", sa.Integer, nullable=False),
        sa.Column("flagged", sa.Integer, nullable=False),
    )
    op.create_table(
        "history_findings",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("history_runs.id"), primary_key=True),
        sa.Column("check_id", sa.String(200), primary_key=True),
        sa.Column("case_id", sa.String(200), primary_key=True),
        sa.Column("reason", sa.String(100), primary_key=True),
        sa.Column("record_table", sa.String(100), primary_key=True),
        sa.Column("record_id", sa.String(200), primary_key=True),
        sa.Column("severity", sa.String(10), nullable=True),
        sa.Column("case_manager", sa.String(200), nullable=True),
        sa.Column("team", sa.String(200), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("first_seen", sa.Date, nullable=True),
        sa.Column("first_run_id", sa.Integer, nullable=True),
    )


def downgrade() -> None:
    """Drop the first schema."""
    op.drop_table("history_findings")
    op.drop_table("history_checks")
    op.drop_table("history_runs")
