"""oversight.sign_off - documents needing sign-off are signed off by a manager, on time.

Operational management: management oversight had not been effective.

Documents needing sign-off (suite-configurable through the parameters):
every completed assessment of a stage in ``assessment_stages`` (initial),
every completed assessment with a level in ``assessment_levels`` (high,
very_high), every plan of a kind in ``plan_kinds`` (risk_management,
vulnerability_management, release). A document's completion is its
``completed_date`` (assessments) or ``created_date`` (plans); its deadline is
``wd_add(completion, due)``, due 5 working days.

Relevant when the case has such a document whose deadline is before as_of or
that is signed off. Fails, per document: ``missing`` (deadline passed, not
signed off by as_of), ``late`` (signed after the deadline), ``self_sign_off``
(signed by its own author), ``before_completion`` (signed before it was
completed) and, when a ``staff`` table exists, ``not_a_manager`` (the signer
is not listed there with a role in ``manager_roles``). Names are compared
trimmed and case-insensitively. A sign-off without a date is never ``late``
nor ``before_completion``.
"""

from __future__ import annotations

from sqs_checks.checks import CheckContext, CheckOutput, Param, SkipCheck, SqlCheck, bind_params
from sqs_checks.codes import LEVELS, PLAN_KINDS, STAFF_ROLES
from sqs_hmip.families.messages import case_sql
from sqs_hmip.sql import IN_SCOPE

ASSESSMENT_NAMES = {
    "reoffending": "likelihood of reoffending assessment",
    "rosh": "risk of serious harm assessment",
    "vulnerability": "safety and wellbeing (vulnerability) assessment",
}
"""How a message names an assessment of each kind."""


def documents_sql(ctx: CheckContext) -> str:
    """SQL for the in-scope documents needing sign-off: one row per document."""
    parts = []
    if ctx.has("assessments", "signed_off_by", "completed_date"):
        date = "signed_off_date" if ctx.has("assessments", "signed_off_date") else "NULL::DATE"
        level = "level" if ctx.has("assessments", "level") else "NULL"
        name = case_sql("kind", ASSESSMENT_NAMES, "assessment")
        parts.append(
            f"SELECT case_id, 'assessments' AS record_table, assessment_id AS record_id, "
            f"upper(stage[1]) || stage[2:] || ' ' || {name} AS label, author, "
            f"completed_date AS completed, signed_off_by, {date} AS signed_off_date "
            f"FROM assessments WHERE list_contains($assessment_stages, stage) "
            f"OR list_contains($assessment_levels, {level})"
        )
    if ctx.has("plans", "signed_off_by"):
        date = "signed_off_date" if ctx.has("plans", "signed_off_date") else "NULL::DATE"
        parts.append(
            "SELECT case_id, 'plans', plan_id, upper(kind[1]) || replace(kind[2:], '_', ' ') "
            f"|| ' plan', author, created_date, signed_off_by, {date} FROM plans "
            "WHERE list_contains($plan_kinds, kind)"
        )
    if not parts:
        raise SkipCheck("neither assessments nor plans has a signed_off_by column")
    union = " UNION ALL ".join(parts)
    return (
        f"SELECT d.*, wd_add(d.completed, $due) AS deadline FROM ({union}) d "
        f"WHERE d.case_id IN (SELECT case_id FROM ({IN_SCOPE}))"
    )


class SignOffCheck(SqlCheck):
    """Sign-off of documents: builds its SQL from the columns the export has."""

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Create ``_t_docs`` and answer with the relevance and findings queries."""
        sql = f"CREATE OR REPLACE TEMP TABLE _t_docs AS {documents_sql(ctx)}"
        ctx.con.execute(sql, bind_params(sql, ctx.params, ctx.as_of))
        findings = FINDINGS
        if "staff" in ctx.tables:
            findings += NOT_A_MANAGER
        return CheckOutput(relevant=RELEVANT, findings=findings)


RELEVANT = "SELECT case_id FROM _t_docs WHERE deadline < $as_of OR signed_off_by IS NOT NULL"
"""Relevant: a document whose deadline has passed, or that is signed off."""
FINDINGS = """
SELECT case_id, 'missing' AS reason, record_table, record_id,
       printf('%s completed on %s has not been signed off by a manager; sign-off was due by %s.',
              label, uk(completed), uk(deadline)) AS message,
       json_object('completed', completed, 'deadline', deadline) AS evidence
FROM _t_docs WHERE signed_off_by IS NULL AND deadline < $as_of
UNION ALL
SELECT case_id, 'late', record_table, record_id,
       printf('%s completed on %s was signed off late on %s by %s; it was due by %s.',
              label, uk(completed), uk(signed_off_date), signed_off_by, uk(deadline)),
       json_object('signed_off_date', signed_off_date, 'deadline', deadline)
FROM _t_docs WHERE signed_off_by IS NOT NULL AND signed_off_date > deadline
UNION ALL
SELECT case_id, 'self_sign_off', record_table, record_id,
       printf('%s completed on %s was signed off by its own author (%s); '
              || 'a manager must countersign it.', label, uk(completed), signed_off_by),
       json_object('author', author, 'signed_off_by', signed_off_by)
FROM _t_docs WHERE signed_off_by IS NOT NULL AND lower(trim(signed_off_by)) = lower(trim(author))
UNION ALL
SELECT case_id, 'before_completion', record_table, record_id,
       printf('%s was signed off on %s, before it was completed on %s; '
              || 'check the dates and sign it off again.',
              label, uk(signed_off_date), uk(completed)),
       json_object('signed_off_date', signed_off_date, 'completed', completed)
FROM _t_docs WHERE signed_off_by IS NOT NULL AND signed_off_date < completed
"""
"""Findings for missing, late, self_sign_off and before_completion."""
NOT_A_MANAGER = """
UNION ALL
SELECT case_id, 'not_a_manager', record_table, record_id,
       printf('%s completed on %s was signed off by %s, '
              || 'who is not listed as a manager in the staff table.',
              label, uk(completed), signed_off_by),
       json_object('signed_off_by', signed_off_by)
FROM _t_docs WHERE signed_off_by IS NOT NULL AND lower(trim(signed_off_by)) NOT IN (
    SELECT lower(trim(name)) FROM staff WHERE list_contains($manager_roles, role))
"""
"""Findings for not_a_manager (added only when the export has a staff table)."""

CHECK = SignOffCheck(
    id="oversight.sign_off",
    title="Work needing management sign-off countersigned by a manager on time",
    area="oversight",
    seed="mgmt",
    severity="high",
    params=(
        Param("due", 5, "int", "working days after completion"),
        Param(
            "assessment_stages",
            ["initial"],
            "list[str]",
            "assessment stages needing sign-off",
            ("initial", "review", "closure"),
        ),
        Param(
            "assessment_levels",
            ["high", "very_high"],
            "list[str]",
            "assessment levels needing sign-off",
            LEVELS,
        ),
        Param(
            "plan_kinds",
            ["risk_management", "vulnerability_management", "release"],
            "list[str]",
            "plan kinds needing sign-off",
            PLAN_KINDS,
        ),
        Param(
            "manager_roles",
            ["practice_manager", "operational_manager"],
            "list[str]",
            "staff roles that count as managers",
            STAFF_ROLES,
        ),
    ),
    needs={},
    doc=__doc__,
    reasons={
        "missing": "deadline passed and not signed off by the as-of date",
        "late": "signed off after the deadline",
        "self_sign_off": "signed off by its own author",
        "before_completion": "signed off before it was completed",
        "not_a_manager": "the signer is not a manager in the staff table",
    },
    relevance=(
        "the case has a document needing sign-off whose deadline wd_add(completion, due) is "
        "before the as-of date, or that is signed off"
    ),
)
