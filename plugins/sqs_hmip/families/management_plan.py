"""A management plan where the assessed level calls for one (RMP and VMP).

Relevant when the case's latest level of assessment kind K is at least
``min_level`` and (the deadline has passed or the case has a plan of kind P),
where deadline = ``wd_add(completion of the case's first K assessment with a
level >= min_level, due)``. Fails ``missing`` (no plan of kind P), ``late``
(the first one created after the deadline) and ``no_contingency`` (the latest
one's ``has_contingency`` is not true; record = that plan). Without a
``has_contingency`` column, ``no_contingency`` is not judged (``partial``).
"""

from __future__ import annotations

from sqs_checks.checks import CheckContext, CheckOutput, Param, SqlCheck, bind_params
from sqs_checks.codes import LEVELS
from sqs_hmip.families.messages import message_sql, quote
from sqs_hmip.sql import level_rank


class ManagementPlanCheck(SqlCheck):
    """A management-plan check: reads ``has_contingency`` only when the export has it."""

    reuse_working_tables = True
    """Its ``evaluate`` only runs statements on ``ctx.con``: due soon may reuse its working
    tables (:mod:`sqs_checks.reuse`)."""

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Run the setup with the contingency column (or null), then answer.

        The column is read whenever the export has it, judged or not, so the setup is the
        same text in the due-soon evaluation (which judges ``missing`` only) and is reused.
        """
        contingency = "has_contingency" if ctx.has("plans", "has_contingency") else "NULL::BOOLEAN"
        for statement in self.setup_sql:
            statement = statement.replace("{contingency}", contingency)
            ctx.con.execute(statement, bind_params(statement, ctx.params, ctx.as_of))
        return CheckOutput(relevant=self.relevant_sql, findings=self.findings_query(ctx))


RELEVANT = "SELECT case_id FROM _t_mp WHERE deadline < $as_of OR first_plan IS NOT NULL"
"""The relevant cases of ``_t_mp``: the deadline has passed, or the case has a plan."""


def management_plan_check(
    *,
    id: str,
    title: str,
    area: str,
    seed: str,
    kind: str,
    plan_kind: str,
    plan_name: str,
    assessed: str,
    doc: str,
) -> SqlCheck:
    """A check that cases assessed at ``min_level`` or above have a ``plan_kind`` plan in time."""
    # every case whose latest level calls for a plan, with its deadline, whether or not the
    # deadline has passed: the table does not depend on the as-of date, so due soon reuses
    # it; the test ``deadline < $as_of`` is in RELEVANT and the ``missing`` findings
    setup = f"""
    CREATE OR REPLACE TEMP TABLE _t_mp AS
    WITH a AS (
        SELECT case_id, assessment_id, completed_date, level,
               {level_rank("level")} AS rank_,
               row_number() OVER (PARTITION BY case_id
                                  ORDER BY completed_date, assessment_id) AS seq
        FROM assessments
        WHERE kind = {quote(kind)} AND case_id IN (SELECT case_id FROM scope_cases)),
    latest AS (
        SELECT case_id, arg_max(rank_, seq) AS latest_rank, arg_max(level, seq) AS latest_level
        FROM a WHERE level IS NOT NULL GROUP BY case_id),
    trig AS (
        SELECT case_id, arg_min(completed_date, seq) AS trigger_date,
               arg_min(level, seq) AS trigger_level, arg_min(assessment_id, seq) AS trigger_id
        FROM a WHERE rank_ >= {level_rank("$min_level")} GROUP BY case_id),
    p AS (
        SELECT case_id, plan_id, created_date, {{contingency}} AS has_contingency,
               row_number() OVER (PARTITION BY case_id
                                  ORDER BY created_date, plan_id) AS first_seq,
               row_number() OVER (PARTITION BY case_id
                                  ORDER BY created_date DESC, plan_id DESC) AS last_seq
        FROM plans WHERE kind = {quote(plan_kind)})
    SELECT l.case_id, l.latest_level, t.trigger_date, t.trigger_level, t.trigger_id,
           wd_add(t.trigger_date, $due) AS deadline,
           f.plan_id AS first_plan, f.created_date AS first_created,
           z.plan_id AS last_plan, z.created_date AS last_created,
           z.has_contingency AS last_contingency
    FROM latest l
    JOIN trig t USING (case_id)
    LEFT JOIN p f ON f.case_id = l.case_id AND f.first_seq = 1
    LEFT JOIN p z ON z.case_id = l.case_id AND z.last_seq = 1
    WHERE l.latest_rank >= {level_rank("$min_level")}
    """
    level = "upper(replace(trigger_level, '_', ' '))"
    dates = {"level": level, "assessed": "uk(trigger_date)", "deadline": "uk(deadline)"}
    missing = message_sql(
        f"No {plan_name}: {assessed} assessed {{level}} on {{assessed}}, plan due by {{deadline}}.",
        **dates,
    )
    late = message_sql(
        f"{plan_name[0].upper() + plan_name[1:]} created late on {{created}}: {assessed} "
        "assessed {level} on {assessed}, plan due by {deadline}.",
        created="uk(first_created)",
        **dates,
    )
    no_contingency = message_sql(
        f"The latest {plan_name} (created {{created}}) records no contingency arrangements; "
        "add them.",
        created="uk(last_created)",
    )
    findings = f"""
    SELECT case_id, 'missing' AS reason, 'cases' AS record_table, case_id AS record_id,
           {missing} AS message,
           json_object('assessment_id', trigger_id, 'level', trigger_level,
                       'assessed_on', trigger_date, 'deadline', deadline) AS evidence
    FROM _t_mp WHERE first_plan IS NULL AND deadline < $as_of
    UNION ALL
    SELECT case_id, 'late', 'plans', first_plan, {late},
           json_object('assessment_id', trigger_id, 'created_date', first_created,
                       'deadline', deadline)
    FROM _t_mp WHERE first_plan IS NOT NULL AND first_created > deadline
    """
    no_contingency_sql = f"""
    SELECT case_id, 'no_contingency' AS reason, 'plans' AS record_table, last_plan AS record_id,
           {no_contingency} AS message,
           json_object('created_date', last_created, 'has_contingency', last_contingency)
             AS evidence
    FROM _t_mp WHERE last_plan IS NOT NULL AND last_contingency IS NOT TRUE
    """
    return ManagementPlanCheck(
        id=id,
        title=title,
        area=area,
        seed=seed,
        severity="high",
        params=(
            Param("min_level", "medium", "str", "lowest level that needs a plan", LEVELS),
            Param("due", 10, "int", "working days after the first such assessment"),
        ),
        needs={
            "assessments": ["kind", "completed_date", "level"],
            "plans": ["kind", "created_date"],
        },
        reason_needs={"no_contingency": {"plans": ["has_contingency"]}},
        doc=doc,
        reasons={
            "missing": f"no {plan_kind} plan",
            "late": "the first one was created after the deadline",
            "no_contingency": "the latest one does not record contingency arrangements",
        },
        relevance=(
            f"the latest {kind} level is at least min_level and (the deadline - wd_add(completion "
            f"of the first {kind} assessment at min_level or above, due) - has passed, or the case "
            f"has a {plan_kind} plan)"
        ),
        setup_sql=[setup],
        upcoming={"missing": plan_name[0].upper() + plan_name[1:]},
        relevant_sql=RELEVANT,
        findings_sql=findings,
        reason_sql={"no_contingency": no_contingency_sql},
    )
