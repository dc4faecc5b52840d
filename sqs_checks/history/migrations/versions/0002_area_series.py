"""Per-area counts for the trend charts, back-filled from the per-check counts.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``history_areas`` and the index that finds a scope's previous run."""
    op.create_table(
        "history_areas",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("history_runs.id"), primary_key=True),
        sa.Column("area", sa.String(40), primary_key=True),
        sa.Column("relevant", sa.Integer, nullable=False),
        sa.Column("flagged", sa.Integer, nullable=False),
    )
    op.create_index("history_runs_scope", "history_runs", ["scope", "id"])
    # Runs recorded before this revision: an approximation from the checks'
    # counts (a case relevant to two checks of an area is counted twice).
    op.execute(
        "INSERT INTO history_areas (run_id, area, relevant, flagged) "
        "SELECT run_id, area, SUM(relevant), SUM(flagged) FROM history_checks "
        "WHERE status = 'ran' GROUP BY run_id, area"
    )


def downgrade() -> None:
    """Drop ``history_areas`` and the index."""
    op.drop_index("history_runs_scope", "history_runs")
    op.drop_table("history_areas")
