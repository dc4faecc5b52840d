"""The history store's tables (the schema at the newest migration).

The migrations in ``migrations/versions`` create and change these tables; this
module only describes them for queries. Findings are stored per run, keyed by
(run, check, case, reason, record table, record id), with the case manager
and team (for digests and per-team views) but never a narrative, a message
or evidence.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()
"""All history tables."""

runs = sa.Table(
    "history_runs",
    metadata,
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
"""One row per recorded run. ``scope`` is the suite plus any case-manager/team filter:
runs are compared with the previous run of the same scope."""

checks = sa.Table(
    "history_checks",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("history_runs.id"), primary_key=True),
    sa.Column("check_id", sa.String(200), primary_key=True),
    sa.Column("area", sa.String(40), nullable=False),
    sa.Column("severity", sa.String(10), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("relevant", sa.Integer, nullable=False),
    sa.Column("flagged", sa.Integer, nullable=False),
)
"""Per run and check: status and relevant/flagged case counts (the check series)."""

areas = sa.Table(
    "history_areas",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("history_runs.id"), primary_key=True),
    sa.Column("area", sa.String(40), primary_key=True),
    sa.Column("relevant", sa.Integer, nullable=False),
    sa.Column("flagged", sa.Integer, nullable=False),
)
"""Per run and area: relevant/flagged case counts (the trend chart's series)."""

findings = sa.Table(
    "history_findings",
    metadata,
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
"""A run's findings. ``status`` is ``new``, ``persisting`` or ``held`` (first seen on an
export identical to the previous run's: recorded, not flagged as new); ``first_seen``
is the as-of date of the run where the finding was first seen (null when held)."""

FINDING_COLUMNS = [c.name for c in findings.columns]
"""Column order used for bulk inserts."""

KEY = ("check_id", "case_id", "reason", "record_table", "record_id")
"""What identifies a finding from one night to the next."""
