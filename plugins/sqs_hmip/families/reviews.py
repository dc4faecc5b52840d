"""Reviews of assessments and of plans: on time, and after significant events (SPEC §5).

One implementation for the *Reviews* rules (the case's assessments of one
kind, any stage) and the *Plan reviews* rules (every creation of a plan of
some kinds and every ``plan_reviews`` row of such a plan). Both work on a
dated sequence a1 ... an per case (ordered by date, then plan before review,
then id):

* ``late``: for consecutive a(i), a(i+1), ``a(i+1) > add_months(a(i), interval)``
  (record = a(i+1));
* ``overdue``: ``add_months(an, interval)`` is before as_of and the case was open
  on that date (``start_date`` on or before it, ``end_date`` null or on or after
  it) (record = an);
* ``not_reviewed_after_event``: an event of the case whose kind is in
  ``trigger_events``, ``significant`` not false, dated strictly after a1, whose
  deadline ``wd_add(event_date, after_event)`` is before as_of, has no item of
  the sequence dated on or after the event and on or before the deadline
  (record = the event).

Relevant when n >= 2, or ``add_months(a1, interval)`` is before as_of, or the
case has an event as in the third rule (reviewed or not).

Without an ``events`` table the check judges ``late`` and ``overdue`` only and
is ``partial`` (SPEC §5, partial inputs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqs_checks.checks import CheckContext, CheckOutput, Param, SqlCheck, bind_params
from sqs_checks.codes import EVENT_KINDS
from sqs_hmip.families.messages import case_sql, message_sql, quote, sql_list

EVENT_NAMES = {
    "new_offence": "new offence",
    "arrest": "arrest",
    "breach": "breach",
    "custody_release": "release from custody",
    "change_of_address": "change of address",
    "change_of_care_status": "change of care status",
    "safeguarding_concern": "safeguarding concern",
    "missing_episode": "missing episode",
    "school_exclusion": "school exclusion",
    "victim_concern": "victim concern",
}
"""How a message names each event kind ("after the arrest on ...")."""

ASSESSMENT_SUBJECTS = {
    "reoffending": "likelihood of reoffending assessment",
    "rosh": "risk of serious harm assessment",
    "vulnerability": "safety and wellbeing (vulnerability) assessment",
}
"""How a message names the assessments of each kind."""

PLAN_SUBJECTS = {
    ("intervention", "custody"): "sentence plan",
    ("risk_management",): "risk management plan",
    ("vulnerability_management",): "vulnerability management plan",
}
"""How a message names the plans of each set of plan kinds."""

REOFFENDING_TRIGGERS = (
    "new_offence",
    "arrest",
    "breach",
    "custody_release",
    "change_of_address",
    "change_of_care_status",
    "school_exclusion",
)
"""Default trigger events of reoffending.assessment_review and reoffending.plan_review."""

ROSH_TRIGGERS = ("new_offence", "arrest", "custody_release", "victim_concern")
"""Default trigger events of public.rosh_review and public.rmp_review."""

VULNERABILITY_TRIGGERS = (
    "safeguarding_concern",
    "missing_episode",
    "change_of_address",
    "change_of_care_status",
    "custody_release",
    "school_exclusion",
)
"""Default trigger events of child.vulnerability_review and child.vmp_review."""

OVERDUE = "No review of the {subject} since {last}; the review was due by {due}."
LATE = (
    "Late review of the {subject} on {date}: the previous one was dated {previous}, "
    "so the review was due by {due}."
)
AFTER_EVENT = "No review of the {subject} after the {event} on {event_date}; review due by {due}."
"""Message templates of the three reasons (see :func:`message_sql`)."""


def review_params(trigger_events: Sequence[str]) -> tuple[Param, Param, Param]:
    """The ``interval``, ``after_event`` and ``trigger_events`` parameters."""
    return (
        Param("interval", 3, "months", "months between reviews"),
        Param("after_event", 10, "int", "working days after a significant event"),
        Param(
            "trigger_events",
            list(trigger_events),
            "list[str]",
            "event kinds that call for a review",
            EVENT_KINDS,
        ),
    )


@dataclass
class ReviewCheck(SqlCheck):
    """A review check over a dated sequence of records per case.

    ``sequence_sql`` returns ``case_id, item_date, tie, record_table,
    record_id`` for every item of the sequence (``tie`` orders items of one
    date before the id does). ``subject`` names what is reviewed in messages.
    """

    reuse_working_tables = True
    """Its ``evaluate`` only runs statements on ``ctx.con``: due soon may reuse its working
    tables (:mod:`sqs_checks.reuse`)."""

    sequence_sql: str = ""
    subject: str = ""

    def statements(self, ctx: CheckContext) -> tuple[list[str], str, str]:
        """The setup statements, relevance query and findings query for this export.

        The setup statements never read ``$as_of``: every test against the as-of date is
        in the two queries, so the due-soon evaluation reuses the working tables.
        """
        after_event = ctx.judges("not_reviewed_after_event")
        end_date = "c.end_date" if ctx.has("cases", "end_date") else "CAST(NULL AS DATE)"
        setup = [
            f"""
            CREATE OR REPLACE TEMP TABLE _t_rv AS
            SELECT s.case_id, s.item_date, s.record_table, s.record_id,
                   row_number() OVER (PARTITION BY s.case_id
                                      ORDER BY s.item_date, s.tie, s.record_id) AS i,
                   count(*) OVER (PARTITION BY s.case_id) AS n
            FROM ({self.sequence_sql}) s
            WHERE s.case_id IN (SELECT case_id FROM scope_cases)
            """
        ]
        if after_event:
            significant = (
                "e.significant IS NOT FALSE" if ctx.has("events", "significant") else "TRUE"
            )
            # every trigger event after a1 with its deadline, whether or not the deadline has
            # passed: the table does not depend on the as-of date, so due soon reuses it; the
            # test ``deadline < $as_of`` is in the relevance and findings queries
            setup.append(
                f"""
            CREATE OR REPLACE TEMP TABLE _t_rv_ev AS
            WITH ev AS (
                SELECT e.case_id, e.event_id, e.event_date, e.kind,
                       wd_add(e.event_date, $after_event) AS deadline
                FROM events e JOIN _t_rv f ON f.case_id = e.case_id AND f.i = 1
                WHERE list_contains($trigger_events, e.kind) AND {significant}
                  AND e.event_date > f.item_date)
            SELECT ev.*,
                   EXISTS (SELECT 1 FROM _t_rv r
                           WHERE r.case_id = ev.case_id AND r.item_date >= ev.event_date
                             AND r.item_date <= ev.deadline) AS reviewed
            FROM ev
            """
            )
        relevant = """
        SELECT case_id FROM _t_rv
        WHERE i = 1 AND (n >= 2 OR add_months(item_date, $interval) < $as_of)
        """
        if after_event:
            relevant += "UNION SELECT case_id FROM _t_rv_ev WHERE deadline < $as_of"
        subject = quote(self.subject)
        event = case_sql("kind", EVENT_NAMES, "event")
        findings = f"""
        SELECT cur.case_id, 'late' AS reason, cur.record_table, cur.record_id,
               {
            message_sql(
                LATE,
                subject=subject,
                date="uk(cur.item_date)",
                previous="uk(prev.item_date)",
                due="uk(add_months(prev.item_date, $interval))",
            )
        } AS message,
               json_object('dated', cur.item_date, 'previous', prev.item_date,
                           'previous_record', prev.record_id,
                           'due', add_months(prev.item_date, $interval)) AS evidence
        FROM _t_rv cur JOIN _t_rv prev ON prev.case_id = cur.case_id AND prev.i = cur.i - 1
        WHERE cur.item_date > add_months(prev.item_date, $interval)
        UNION ALL
        SELECT l.case_id, 'overdue', l.record_table, l.record_id,
               {
            message_sql(
                OVERDUE,
                subject=subject,
                last="uk(l.item_date)",
                due="uk(add_months(l.item_date, $interval))",
            )
        },
               json_object('last', l.item_date, 'due', add_months(l.item_date, $interval))
        FROM _t_rv l JOIN cases c ON c.case_id = l.case_id
        WHERE l.i = l.n AND add_months(l.item_date, $interval) < $as_of
          AND c.start_date <= add_months(l.item_date, $interval)
          AND ({end_date} IS NULL OR {end_date} >= add_months(l.item_date, $interval))
        """
        if after_event:
            findings += f"""
        UNION ALL
        SELECT case_id, 'not_reviewed_after_event', 'events', event_id,
               {
                message_sql(
                    AFTER_EVENT,
                    subject=subject,
                    event=event,
                    event_date="uk(event_date)",
                    due="uk(deadline)",
                )
            },
               json_object('event_kind', kind, 'event_date', event_date, 'due', deadline)
        FROM _t_rv_ev WHERE NOT reviewed AND deadline < $as_of
        """
        return setup, relevant, findings

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Build the sequence and events tables; answer with both queries."""
        setup, relevant, findings = self.statements(ctx)
        for statement in setup:
            ctx.con.execute(statement, bind_params(statement, ctx.params, ctx.as_of))
        return CheckOutput(relevant=relevant, findings=findings)


REASONS = {
    "late": "a review (or the next assessment or plan) came more than interval months "
    "after the one before it",
    "overdue": "the last one is more than interval months old and the case was open "
    "when the next review fell due",
    "not_reviewed_after_event": "no review within after_event working days of a "
    "significant trigger event",
}
"""The reason codes of every review check."""

RELEVANCE = (
    "the case has at least two {items}, or its first is more than interval months before the "
    "as-of date, or it has a significant trigger event dated after its first {item} whose "
    "review deadline wd_add(event_date, after_event) is before the as-of date"
)
"""The relevance line ``explain`` shows (format with ``items`` and ``item``)."""

EVENT_NEEDS = ["kind", "event_date"]
"""The events columns a review check reads."""


def upcoming(subject: str) -> dict[str, str]:
    """What falls due for a review check: the next review, and a review after an event."""
    return {
        "overdue": f"Review of the {subject}",
        "not_reviewed_after_event": f"Review of the {subject} after the {{event_kind}} on "
        "{event_date}",
    }


def assessment_review_check(
    *,
    id: str,
    title: str,
    area: str,
    seed: str,
    kind: str,
    trigger_events: Sequence[str],
    doc: str,
    severity: str = "high",
) -> ReviewCheck:
    """The *Reviews* rules over the case's completed assessments of ``kind`` (any stage)."""
    sequence = (
        "SELECT case_id, completed_date AS item_date, 0 AS tie, 'assessments' AS record_table, "
        f"assessment_id AS record_id FROM assessments WHERE kind = {quote(kind)}"
    )
    return ReviewCheck(
        id=id,
        title=title,
        area=area,
        seed=seed,
        severity=severity,
        params=review_params(trigger_events),
        needs={"assessments": ["kind", "completed_date"]},
        reason_needs={"not_reviewed_after_event": {"events": EVENT_NEEDS}},
        doc=doc,
        reasons=REASONS,
        relevance=RELEVANCE.format(items=f"{kind} assessments", item="one"),
        sequence_sql=sequence,
        subject=ASSESSMENT_SUBJECTS[kind],
        upcoming=upcoming(ASSESSMENT_SUBJECTS[kind]),
    )


def plan_review_check(
    *,
    id: str,
    title: str,
    area: str,
    seed: str,
    plan_kinds: tuple[str, ...],
    trigger_events: Sequence[str],
    doc: str,
    severity: str = "medium",
) -> ReviewCheck:
    """The *Plan reviews* rules over the plans of ``plan_kinds`` and their reviews."""
    kinds = sql_list(plan_kinds)
    sequence = (
        "SELECT case_id, created_date AS item_date, 0 AS tie, 'plans' AS record_table, "
        f"plan_id AS record_id FROM plans WHERE kind IN {kinds} "
        "UNION ALL "
        "SELECT p.case_id, r.review_date, 1, 'plan_reviews', r.review_id "
        f"FROM plan_reviews r JOIN plans p ON p.plan_id = r.plan_id WHERE p.kind IN {kinds}"
    )
    return ReviewCheck(
        id=id,
        title=title,
        area=area,
        seed=seed,
        severity=severity,
        params=review_params(trigger_events),
        needs={
            "plans": ["kind", "created_date"],
            "plan_reviews": ["plan_id", "review_date"],
        },
        reason_needs={"not_reviewed_after_event": {"events": EVENT_NEEDS}},
        doc=doc,
        reasons=REASONS,
        relevance=RELEVANCE.format(
            items=f"{' or '.join(plan_kinds)} plan creations and plan reviews", item="one"
        ),
        sequence_sql=sequence,
        subject=PLAN_SUBJECTS[tuple(plan_kinds)],
        upcoming=upcoming(PLAN_SUBJECTS[tuple(plan_kinds)]),
    )
