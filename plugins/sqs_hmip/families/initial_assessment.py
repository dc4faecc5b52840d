"""Initial assessment on time: one implementation for the reoffending, rosh and vulnerability kinds.

Relevant when the deadline ``wd_add(start_date, due(case))`` is before as_of,
or the case already has a completed ``initial`` assessment of the kind.
Fails ``missing`` (no completed initial assessment of the kind), ``late``
(the first one, by ``completed_date`` then ``assessment_id``, completed after
the deadline) and, where ``level_unclear`` is on, ``level_unclear`` (the
relevant case's completed assessments of the kind, any stage, all lack a
level; record = the last one). Without a ``level`` column, ``level_unclear``
is not judged and the check is ``partial``.
"""

from __future__ import annotations

from sqs_checks.checks import Param, SqlCheck
from sqs_hmip.families.messages import message_sql, quote
from sqs_hmip.sql import DUE, IN_SCOPE, KIND_NAMES

LEVEL_LABELS = {
    "reoffending": "Likelihood of reoffending",
    "rosh": "Risk of serious harm",
    "vulnerability": "Vulnerability",
}
"""How a ``level_unclear`` message names each kind's level."""

RELEVANT = "SELECT case_id FROM _t_ia WHERE deadline < $as_of OR assessment_id IS NOT NULL"
"""The relevant cases: deadline passed, or an initial assessment completed."""


def due_params() -> tuple[Param, Param]:
    """The ``due`` and ``due_referral_order`` parameters (working days)."""
    return (
        Param("due", 15, "int", "working days after the start date"),
        Param(
            "due_referral_order", 20, "int", "working days after the start date, referral orders"
        ),
    )


def initial_assessment_check(
    *, id: str, title: str, area: str, seed: str, kind: str, level_unclear: bool, doc: str
) -> SqlCheck:
    """A check that the case's initial ``kind`` assessment was completed on time."""
    name = KIND_NAMES[kind]
    setup = f"""
    CREATE OR REPLACE TEMP TABLE _t_ia AS
    WITH c AS (SELECT c.case_id, c.start_date, wd_add(c.start_date, {DUE}) AS deadline
               FROM ({IN_SCOPE}) c),
         a AS (SELECT case_id, assessment_id, completed_date,
                      row_number() OVER (PARTITION BY case_id
                                         ORDER BY completed_date, assessment_id) AS seq
               FROM assessments WHERE kind = {quote(kind)} AND stage = 'initial')
    SELECT c.*, a.assessment_id, a.completed_date
    FROM c LEFT JOIN a ON a.case_id = c.case_id AND a.seq = 1
    """
    dates = {"start": "uk(start_date)", "deadline": "uk(deadline)"}
    missing = message_sql(
        f"No {name}: the case started on {{start}}; it was due by {{deadline}}.", **dates
    )
    late = message_sql(
        f"{name[0].upper() + name[1:]} completed late on {{done}}; it was due by {{deadline}} "
        "(the case started on {start}).",
        done="uk(completed_date)",
        **dates,
    )
    findings = f"""
    SELECT case_id, 'missing' AS reason, 'cases' AS record_table, case_id AS record_id,
           {missing} AS message,
           json_object('start_date', start_date, 'deadline', deadline) AS evidence
    FROM _t_ia WHERE assessment_id IS NULL AND deadline < $as_of
    UNION ALL
    SELECT case_id, 'late', 'assessments', assessment_id, {late},
           json_object('start_date', start_date, 'deadline', deadline,
                       'completed_date', completed_date)
    FROM _t_ia WHERE assessment_id IS NOT NULL AND completed_date > deadline
    """
    reason_sql: dict[str, str] = {}
    reason_needs: dict[str, dict[str, list[str]]] = {}
    reasons = {
        "missing": f"no completed initial {kind} assessment, and its deadline has passed",
        "late": "the first one was completed after the deadline",
    }
    needs = {"assessments": ["kind", "stage", "completed_date"]}
    if level_unclear:
        unclear = message_sql(
            f"{LEVEL_LABELS[kind]} level not recorded: no {kind} assessment of this case "
            "records a level (the latest was completed on {done}); record the level.",
            done="uk(completed_date)",
        )
        reason_sql["level_unclear"] = f"""
    SELECT case_id, 'level_unclear' AS reason, 'assessments' AS record_table,
           assessment_id AS record_id, {unclear} AS message,
           json_object('completed_date', completed_date, 'assessments', assessments) AS evidence
    FROM (SELECT case_id, assessment_id, completed_date,
                 row_number() OVER (PARTITION BY case_id
                                    ORDER BY completed_date DESC, assessment_id DESC) AS rn,
                 count(level) OVER (PARTITION BY case_id) AS with_level,
                 count(*) OVER (PARTITION BY case_id) AS assessments
          FROM assessments
          WHERE kind = {quote(kind)} AND case_id IN ({RELEVANT})) x
    WHERE rn = 1 AND with_level = 0
    """
        reasons["level_unclear"] = (
            "every completed assessment of the kind lacks a level (record: the last one)"
        )
        reason_needs["level_unclear"] = {"assessments": ["level"]}
    return SqlCheck(
        id=id,
        title=title,
        area=area,
        seed=seed,
        severity="high",
        params=due_params(),
        needs=needs,
        reason_needs=reason_needs,
        doc=doc,
        reasons=reasons,
        relevance=(
            "the deadline wd_add(start_date, due) - due_referral_order for referral orders - is "
            f"before the as-of date, or the case has a completed initial {kind} assessment"
        ),
        setup_sql=[setup],
        upcoming={"missing": name[0].upper() + name[1:]},
        relevant_sql=RELEVANT,
        findings_sql=findings,
        reason_sql=reason_sql,
    )
