"""sentence.compliance - unacceptable absences were followed up within ``due`` working days.

Seed 4.5: "The great majority of children and young people had complied with
their supervision and this was a credit to the efforts made by case managers
including visiting the home and working with parents/carers."

An *unacceptable absence* is a contact dated on or before the as-of date with
``attended`` false and ``acceptable_absence`` not true. It is *followed up*
when a ``follow_up_date`` on or after the contact and on or before the as-of
date is recorded, or - when the export has ``follow_up_action`` - an action is
recorded without a date (followed up, timing unknown: never late).

Relevant when the case has an unacceptable absence whose deadline
``wd_add(contact_date, due)`` is before the as-of date, or that was followed
up. Fails ``no_follow_up`` (deadline passed, nothing done by the as-of date)
and ``late_follow_up`` (done after the deadline); record = the contact.
"""

from __future__ import annotations

from sqs_checks.checks import Check, CheckContext, CheckOutput, Param


class ComplianceCheck(Check):
    """A Python check: it builds its SQL from the columns the export has."""

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Find the unacceptable absences and how they were followed up."""
        action = "follow_up_action" if ctx.has("contacts", "follow_up_action") else "NULL"
        ctx.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _t_absences AS
            WITH a AS (
              SELECT k.case_id, k.contact_id, k.contact_date,
                     wd_add(k.contact_date, $due) AS deadline,
                     CASE WHEN k.follow_up_date BETWEEN k.contact_date AND $as_of
                          THEN k.follow_up_date END AS done_date,
                     CAST({action} AS VARCHAR) AS action
              FROM contacts k
              WHERE k.case_id IN (SELECT case_id FROM scope_cases)
                AND k.contact_date <= $as_of
                AND k.attended = false AND k.acceptable_absence IS DISTINCT FROM true)
            SELECT *, (done_date IS NOT NULL OR (action IS NOT NULL AND follow_up_missing))
                        AS followed_up
            FROM (SELECT a.*, a.done_date IS NULL AS follow_up_missing FROM a)
            """,
            {"due": ctx.params["due"], "as_of": ctx.as_of},
        )
        relevant = "SELECT case_id FROM _t_absences WHERE deadline < $as_of OR followed_up"
        findings = """
        SELECT case_id, 'no_follow_up' AS reason, 'contacts' AS record_table,
               contact_id AS record_id,
               printf('Missed appointment on %s (absence not acceptable) with no follow-up '
                      || 'action recorded; it was due by %s.', uk(contact_date), uk(deadline))
                 AS message,
               json_object('contact_date', contact_date, 'deadline', deadline) AS evidence
        FROM _t_absences WHERE NOT followed_up AND deadline < $as_of
        UNION ALL
        SELECT case_id, 'late_follow_up', 'contacts', contact_id,
               printf('Missed appointment on %s followed up late on %s%s; it was due by %s.',
                      uk(contact_date), uk(done_date),
                      CASE WHEN action IS NULL THEN '' ELSE ' (' || replace(action, '_', ' ') || ')'
                      END, uk(deadline)),
               json_object('contact_date', contact_date, 'deadline', deadline,
                           'follow_up_date', done_date, 'follow_up_action', action)
        FROM _t_absences WHERE done_date > deadline
        """
        return CheckOutput(relevant=relevant, findings=findings)


CHECK = ComplianceCheck(
    id="sentence.compliance",
    title="Unacceptable absences followed up on time",
    area="sentence",
    seed="4.5",
    severity="medium",
    params=(Param("due", 5, "int", "working days after the missed appointment"),),
    needs={"contacts": ["contact_date", "attended", "acceptable_absence", "follow_up_date"]},
    doc=__doc__,
    reasons={
        "no_follow_up": "an unacceptable absence had no follow-up action by its deadline",
        "late_follow_up": "the follow-up action came after the deadline",
    },
    relevance=(
        "the case has an unacceptable absence whose deadline wd_add(contact_date, due) is "
        "before the as-of date, or that was followed up"
    ),
)
"""The check object the plugin registers."""
