"""Questions about the case's first initial assessment of the likelihood of reoffending.

Shared by sentence.diversity and sentence.involvement. Relevant when the case
has a completed ``initial`` reoffending assessment; the first one (by
``completed_date`` then ``assessment_id``) is judged. Each *flag* is a boolean
column of that assessment: when it is not true (false or not recorded) the
case fails with the flag's reason code; record = that assessment. A flag whose
column the export lacks is not judged (``partial``; ``skipped`` when none can be).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqs_checks.checks import SqlCheck
from sqs_hmip.families.messages import quote

FIRST_INITIAL = """
CREATE OR REPLACE TEMP TABLE _t_first_ia AS
SELECT a.*, 1 AS seq FROM assessments a
WHERE a.kind = 'reoffending' AND a.stage = 'initial' AND a.assessment_id IN (
    SELECT assessment_id FROM (
        SELECT assessment_id, row_number() OVER (
            PARTITION BY case_id ORDER BY completed_date, assessment_id) AS seq
        FROM assessments
        WHERE kind = 'reoffending' AND stage = 'initial'
          AND case_id IN (SELECT case_id FROM scope_cases))
    WHERE seq = 1)
"""
"""The first completed initial reoffending assessment of each in-scope case.

The order is found on the ids and dates alone, then the rows are read: the
narratives never go through the sort (assessment ids are unique in an export).
"""


@dataclass(frozen=True)
class Flag:
    """A boolean column of the first initial assessment that must be true.

    ``missing`` and ``unrecorded`` complete the message "The initial assessment
    of the likelihood of reoffending completed on DD/MM/YYYY ..." when the
    column is false and when it is empty.
    """

    column: str
    reason: str
    meaning: str
    missing: str
    unrecorded: str


def first_initial_assessment_check(
    *,
    id: str,
    title: str,
    area: str,
    seed: str,
    severity: str,
    flags: tuple[Flag, ...],
    doc: str,
) -> SqlCheck:
    """A check that the first initial reoffending assessment has every one of ``flags`` true."""
    parts: dict[str, str] = {}
    for flag in flags:
        parts[flag.reason] = f"""
    SELECT case_id, {quote(flag.reason)} AS reason, 'assessments' AS record_table,
           assessment_id AS record_id,
           'The initial assessment of the likelihood of reoffending completed on '
           || uk(completed_date) || ' '
           || CASE WHEN {flag.column} IS NULL THEN {quote(flag.unrecorded)}
                   ELSE {quote(flag.missing)} END AS message,
           json_object('completed_date', completed_date, {quote(flag.column)}, {flag.column})
             AS evidence
    FROM _t_first_ia WHERE {flag.column} IS NOT TRUE"""
    return SqlCheck(
        id=id,
        title=title,
        area=area,
        seed=seed,
        severity=severity,
        needs={"assessments": ["kind", "stage", "completed_date"]},
        reason_needs={f.reason: {"assessments": [f.column]} for f in flags},
        doc=doc,
        reasons={f.reason: f.meaning for f in flags},
        relevance="the case has a completed initial reoffending assessment",
        setup_sql=[FIRST_INITIAL],
        relevant_sql="SELECT case_id FROM _t_first_ia",
        reason_sql=parts,
    )
