"""public.mappa - MAPPA level recorded, and cases managed at level 2 or 3 referred to MAPPA.

Seed 2.6: "Engagement with Multi-Agency Public Protection Arrangements
(MAPPA) in the assessment and planning of all four relevant cases was not
adequate."

Relevant when the case is ``mappa_eligible``. Fails ``level_not_recorded``
when its ``mappa_level`` is empty, and ``not_referred`` when the level is 2 or
3 and the case has no ``mappa`` referral dated on or before the as-of date.
Level 1 is ordinary agency management and needs no referral. Record = the
case. Without a ``referrals`` table only ``level_not_recorded`` is judged
(``partial``).
"""

from __future__ import annotations

from sqs_checks.checks import SqlCheck

LEVEL_NOT_RECORDED = """
SELECT case_id, 'level_not_recorded' AS reason, 'cases' AS record_table, case_id AS record_id,
       'The case is eligible for MAPPA but no MAPPA level is recorded; record the level '
       || '(1, 2 or 3) agreed for it.' AS message,
       json_object('mappa_eligible', mappa_eligible, 'mappa_level', mappa_level) AS evidence
FROM cases
WHERE mappa_eligible AND mappa_level IS NULL AND case_id IN (SELECT case_id FROM scope_cases)
"""

NOT_REFERRED = """
SELECT case_id, 'not_referred' AS reason, 'cases' AS record_table, case_id AS record_id,
       printf('The case is managed at MAPPA level %d but no MAPPA referral is recorded; refer it '
              || 'to MAPPA.', mappa_level) AS message,
       json_object('mappa_eligible', mappa_eligible, 'mappa_level', mappa_level) AS evidence
FROM cases
WHERE mappa_eligible AND mappa_level IN (2, 3) AND case_id IN (SELECT case_id FROM scope_cases)
  AND case_id NOT IN (SELECT case_id FROM referrals WHERE kind = 'mappa')
"""

CHECK = SqlCheck(
    id="public.mappa",
    title="MAPPA level recorded and cases at level 2 or 3 referred to MAPPA",
    area="public",
    seed="2.6",
    severity="high",
    needs={"cases": ["mappa_eligible", "mappa_level"]},
    reason_needs={"not_referred": {"referrals": ["kind", "referral_date"]}},
    doc=__doc__,
    reasons={
        "level_not_recorded": "the case is MAPPA eligible and no MAPPA level is recorded",
        "not_referred": "MAPPA level 2 or 3 and no mappa referral",
    },
    relevance="the case is MAPPA eligible (mappa_eligible true)",
    relevant_sql=(
        "SELECT case_id FROM cases WHERE mappa_eligible "
        "AND case_id IN (SELECT case_id FROM scope_cases)"
    ),
    reason_sql={"level_not_recorded": LEVEL_NOT_RECORDED, "not_referred": NOT_REFERRED},
)
