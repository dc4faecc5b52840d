"""SQL snippets shared by the catalog's checks.

Every snippet reads the as-of views the engine provides (``cases``,
``assessments``, ``plans`` ...) and ``scope_cases``.
"""

from __future__ import annotations

IN_SCOPE = "SELECT * FROM cases WHERE case_id IN (SELECT case_id FROM scope_cases)"
"""The in-scope cases with all their columns."""

DUE = "CASE WHEN c.disposal_type = 'referral_order' THEN $due_referral_order ELSE $due END"
"""due(case): the ``due`` parameter, or ``due_referral_order`` for a referral order."""

LEVEL_RANK = (
    "CASE {col} WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 "
    "WHEN 'very_high' THEN 4 END"
)
"""Rank of a level (format with ``col=``): low 1 ... very_high 4."""


def level_rank(col: str) -> str:
    """SQL ranking the level in ``col`` (low 1 ... very_high 4; null stays null)."""
    return LEVEL_RANK.format(col=col)


KIND_NAMES = {
    "reoffending": "initial assessment of the likelihood of reoffending",
    "rosh": "initial assessment of risk of serious harm to others",
    "vulnerability": "initial assessment of safety and wellbeing (vulnerability)",
}
"""How a message names each assessment kind's initial assessment."""
