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
completed) and, when a ``staff`` table with at least one row exists,
``not_a_manager`` (the signer is not listed there with a role in
``manager_roles``; an empty staff table counts as absent). Names are compared
trimmed and case-insensitively. A sign-off without a date is never ``late``
nor ``before_completion``.

Partial inputs (SPEC §5): the documents of each table that has
``signed_off_by`` are judged, and the check names the tables it could not
judge (``partial``); ``late`` and ``before_completion`` are not judged for a
table without ``signed_off_date``. With neither table judged it is skipped.
"""

from __future__ import annotations

from sqs_checks.checks import (
    CheckContext,
    CheckOutput,
    Param,
    SkipCheck,
    SqlCheck,
    bind_params,
    missing_input,
)
from sqs_checks.codes import LEVELS, PLAN_KINDS, STAFF_ROLES
from sqs_hmip.families.messages import case_sql
from sqs_hmip.sql import IN_SCOPE

ASSESSMENT_NAMES = {
    "reoffending": "likelihood of reoffending assessment",
    "rosh": "risk of serious harm assessment",
    "vulnerability": "safety and wellbeing (vulnerability) assessment",
}
"""How a message names an assessment of each kind."""


def documents_sql(ctx: CheckContext) -> tuple[str, list[str]]:
    """SQL for the in-scope documents needing sign-off (one row per document).

    Also returns, one sentence each, what could not be judged: the documents of
    a table without ``signed_off_by`` (SPEC §5, partial inputs), and ``late``
    and ``before_completion`` where a table has no ``signed_off_date``.
    Raises :class:`SkipCheck` when no table's documents can be judged.
    """
    parts: list[str] = []
    not_judged: list[str] = []
    sources = (
        ("assessments", ["signed_off_by", "completed_date"], _assessment_documents),
        ("plans", ["signed_off_by"], _plan_documents),
    )
    for table, columns, build in sources:
        why = missing_input({table: columns}, ctx.tables)
        if why is not None:
            not_judged.append(f"{table} not judged: {why}")
            continue
        if not ctx.has(table, "signed_off_date"):
            not_judged.append(
                f"late and before_completion not judged for {table}: "
                f"the {table} table has no signed_off_date column"
            )
        parts.append(build(ctx))
    if not parts:
        raise SkipCheck("; ".join(not_judged))
    union = " UNION ALL ".join(parts)
    sql = (
        f"SELECT d.*, wd_add(d.completed, $due) AS deadline FROM ({union}) d "
        f"WHERE d.case_id IN (SELECT case_id FROM ({IN_SCOPE}))"
    )
    return sql, not_judged


def _signed_date(ctx: CheckContext, table: str) -> str:
    """The table's ``signed_off_date``, or a typed null when it has none."""
    return "signed_off_date" if ctx.has(table, "signed_off_date") else "NULL::DATE"


def _assessment_documents(ctx: CheckContext) -> str:
    """Completed assessments of a stage or level needing sign-off."""
    level = "level" if ctx.has("assessments", "level") else "NULL"
    name = case_sql("kind", ASSESSMENT_NAMES, "assessment")
    return (
        f"SELECT case_id, 'assessments' AS record_table, assessment_id AS record_id, "
        f"upper(stage[1]) || stage[2:] || ' ' || {name} AS label, author, "
        f"completed_date AS completed, signed_off_by, "
        f"{_signed_date(ctx, 'assessments')} AS signed_off_date "
        f"FROM assessments WHERE list_contains($assessment_stages, stage) "
        f"OR list_contains($assessment_levels, {level})"
    )


def _plan_documents(ctx: CheckContext) -> str:
    """Plans of a kind needing sign-off (columns named as the assessments', to stand alone)."""
    return (
        "SELECT case_id, 'plans' AS record_table, plan_id AS record_id, "
        "upper(kind[1]) || replace(kind[2:], '_', ' ') || ' plan' AS label, author, "
        f"created_date AS completed, signed_off_by, {_signed_date(ctx, 'plans')} "
        "AS signed_off_date FROM plans WHERE list_contains($plan_kinds, kind)"
    )


def has_staff(ctx: CheckContext) -> bool:
    """Whether the export has a staff table with at least one row (an empty one is absent)."""
    if "staff" not in ctx.tables:
        return False
    return bool(ctx.con.execute("SELECT EXISTS (SELECT 1 FROM staff)").fetchone()[0])


class SignOffCheck(SqlCheck):
    """Sign-off of documents: builds its SQL from the columns the export has."""

    reuse_working_tables = True
    """Its ``evaluate`` only runs statements on ``ctx.con``: due soon may reuse its working
    tables (:mod:`sqs_checks.reuse`)."""

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Create ``_t_docs`` and answer with the relevance and findings queries."""
        documents, not_judged = documents_sql(ctx)
        sql = f"CREATE OR REPLACE TEMP TABLE _t_docs AS {documents}"
        ctx.con.execute(sql, bind_params(sql, ctx.params, ctx.as_of))
        findings = FINDINGS
        if has_staff(ctx):
            findings += NOT_A_MANAGER
        return CheckOutput(relevant=RELEVANT, findings=findings, not_judged=not_judged)


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
    upcoming={"missing": "Manager sign-off of {record} (completed on {completed})"},
)
