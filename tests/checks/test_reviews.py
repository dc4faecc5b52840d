"""The six review checks: the *Reviews* and *Plan reviews* rules of SPEC §5.

``reoffending.assessment_review``, ``public.rosh_review`` and
``child.vulnerability_review`` judge a case's assessments of one kind;
``reoffending.plan_review``, ``public.rmp_review`` and ``child.vmp_review``
judge the creations of plans of some kinds and their ``plan_reviews`` rows.
Each is described once below (:data:`REVIEWS`) and every test runs over the
checks it applies to: the rules that only the wording, the trigger events or
the tables tell apart run over all six; the interval and event mechanics,
which the six share, run over one assessment review and one plan review
(:data:`MECHANICS`).

Each test builds its export from dated sequences: :meth:`Review.sequence`
turns ``("2013-01-31", "2013-04-30")`` into an initial assessment and a review
assessment, or into a plan and a review of that plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

Tables = dict[str, list[dict[str, Any]]]
Item = str | tuple[str, str]


@dataclass(frozen=True)
class Review:
    """One review check, as the tests need to know it."""

    check: str
    subject: str
    """How the check's messages name what is reviewed."""
    kind: str
    """The assessment kind, or the plan kind the tests create."""
    on_plans: bool
    """Plan reviews (plans and ``plan_reviews``) rather than assessment reviews."""
    triggers: tuple[str, ...]
    """Event kinds that call for a review; messages name the first one with ``trigger_words``."""
    trigger_words: str
    not_triggers: tuple[str, ...]
    """Event kinds of other review checks that call for no review here."""
    other_kind: str
    """An assessment or plan kind whose records are no review for this check."""

    @property
    def first_table(self) -> str:
        """The table of a sequence's first record (an initial assessment or a plan)."""
        return "plans" if self.on_plans else "assessments"

    @property
    def review_table(self) -> str:
        """The table of a sequence's later records (its reviews)."""
        return "plan_reviews" if self.on_plans else "assessments"

    def sequence(self, case_id: str, *items: Item) -> Tables:
        """The records of one case's dated sequence.

        Each item is a date or ``(date, record_id)``; the first is the initial
        assessment (or the plan), the others review it. Ids not given are
        ``<case_id>-<n>``.
        """
        dated = [
            item if isinstance(item, tuple) else (item, f"{case_id}-{n}")
            for n, item in enumerate(items, start=1)
        ]
        if not self.on_plans:
            return {
                "assessments": [
                    assessment(
                        case_id,
                        day,
                        "initial" if n == 0 else "review",
                        self.kind,
                        assessment_id=record_id,
                    )
                    for n, (day, record_id) in enumerate(dated)
                ]
            }
        (created, plan_id), reviews = dated[0], dated[1:]
        return {
            "plans": [plan(case_id, plan_id, created, self.kind)],
            "plan_reviews": [review(plan_id, review_id, day) for day, review_id in reviews],
        }

    def other_record(self, case_id: str, dated: str) -> Tables:
        """A record of :attr:`other_kind` dated ``dated`` (a plan of that kind and its review)."""
        if not self.on_plans:
            return {"assessments": [assessment(case_id, dated, "review", self.other_kind)]}
        return {
            "plans": [plan(case_id, "OTHER", "2013-01-31", self.other_kind)],
            "plan_reviews": [review("OTHER", "OTHER_RV", dated)],
        }

    def export(
        self,
        cases: list[dict[str, Any]],
        records: list[Tables],
        events: list[dict[str, Any]] | None = None,
    ) -> Tables:
        """An export of ``cases``, their records and ``events`` (None: no events table)."""
        tables: Tables = {"cases": cases}
        for name in dict.fromkeys([self.first_table, self.review_table]):
            tables[name] = []
        for part in records:
            for name, rows in part.items():
                tables[name].extend(rows)
        if events is not None:
            tables["events"] = events
        return tables


REOFFENDING = Review(
    check="reoffending.assessment_review",
    subject="likelihood of reoffending assessment",
    kind="reoffending",
    on_plans=False,
    triggers=("arrest", "school_exclusion"),
    trigger_words="arrest",
    not_triggers=("victim_concern",),
    other_kind="rosh",
)
ROSH = Review(
    check="public.rosh_review",
    subject="risk of serious harm assessment",
    kind="rosh",
    on_plans=False,
    triggers=("victim_concern", "new_offence", "arrest"),
    trigger_words="victim concern",
    not_triggers=("school_exclusion", "breach"),
    other_kind="reoffending",
)
VULNERABILITY = Review(
    check="child.vulnerability_review",
    subject="safety and wellbeing (vulnerability) assessment",
    kind="vulnerability",
    on_plans=False,
    triggers=("missing_episode", "safeguarding_concern", "change_of_care_status"),
    trigger_words="missing episode",
    not_triggers=("arrest", "new_offence"),
    other_kind="rosh",
)
SENTENCE_PLAN = Review(
    check="reoffending.plan_review",
    subject="sentence plan",
    kind="intervention",
    on_plans=True,
    triggers=("arrest", "breach"),
    trigger_words="arrest",
    not_triggers=("victim_concern",),
    other_kind="risk_management",
)
RMP = Review(
    check="public.rmp_review",
    subject="risk management plan",
    kind="risk_management",
    on_plans=True,
    triggers=("custody_release", "victim_concern", "arrest"),
    trigger_words="release from custody",
    not_triggers=("missing_episode",),
    other_kind="vulnerability_management",
)
VMP = Review(
    check="child.vmp_review",
    subject="vulnerability management plan",
    kind="vulnerability_management",
    on_plans=True,
    triggers=("safeguarding_concern", "school_exclusion", "change_of_address"),
    trigger_words="safeguarding concern",
    not_triggers=("victim_concern",),
    other_kind="risk_management",
)

REVIEWS = [REOFFENDING, ROSH, VULNERABILITY, SENTENCE_PLAN, RMP, VMP]
"""Every review check."""
MECHANICS = [REOFFENDING, SENTENCE_PLAN]
"""One assessment review and one plan review: the shared interval and event rules."""
PLAN_REVIEWS = [SENTENCE_PLAN, RMP, VMP]
"""The checks over plans and ``plan_reviews``."""


def over(reviews: list[Review]) -> pytest.MarkDecorator:
    """Parametrise a test's ``r`` over these review checks (test ids: the check ids)."""
    return pytest.mark.parametrize("r", reviews, ids=[r.check for r in reviews])


def case(case_id: str, **extra: Any) -> dict[str, Any]:
    """A case started on 07/01/2013."""
    return {"case_id": case_id, "start_date": "2013-01-07", **extra}


def assessment(case_id: str, completed: str, stage: str, kind: str, **extra: Any) -> dict:
    """A completed assessment."""
    return {"case_id": case_id, "kind": kind, "stage": stage, "completed_date": completed, **extra}


def plan(case_id: str, plan_id: str, created: str, kind: str) -> dict[str, Any]:
    """A plan."""
    return {"case_id": case_id, "plan_id": plan_id, "kind": kind, "created_date": created}


def review(plan_id: str, review_id: str, dated: str) -> dict[str, Any]:
    """A plan review."""
    return {"plan_id": plan_id, "review_id": review_id, "review_date": dated}


def event(case_id: str, dated: str, kind: str, **extra: Any) -> dict[str, Any]:
    """An event (significant unless ``significant`` says otherwise)."""
    return {"case_id": case_id, "event_date": dated, "kind": kind, **extra}


# --- what only the wording, the triggers or the tables tell apart: all six ----------------


@over(REVIEWS)
def test_each_reason_with_its_message(sqs_run_check, r: Review):
    report = sqs_run_check(
        r.check,
        r.export(
            [case("LATE"), case("OVERDUE"), case("EVENT"), case("OK")],
            [
                r.sequence("LATE", "2012-11-30", ("2013-03-01", "LATE_REVIEW")),
                r.sequence("OVERDUE", ("2012-12-31", "OLD")),
                r.sequence("EVENT", "2013-01-31"),
                r.sequence("OK", "2012-11-30", "2013-02-28", "2013-03-10"),
            ],
            [
                event("EVENT", "2013-02-04", r.triggers[0], event_id="EV"),
                event("OK", "2013-03-01", r.triggers[1]),
            ],
        ),
        as_of="2013-04-01",
    )
    assert report.relevant == {"LATE", "OVERDUE", "EVENT", "OK"}
    assert report.records() == {
        ("LATE", "late", "LATE_REVIEW"),
        ("OVERDUE", "overdue", "OLD"),
        ("EVENT", "not_reviewed_after_event", "EV"),
    }
    messages = {f["reason"]: f["message"] for f in report.findings}
    assert messages["late"] == (
        f"Late review of the {r.subject} on 01/03/2013: the previous one was dated 30/11/2012, "
        "so the review was due by 28/02/2013."
    )
    assert messages["overdue"] == (
        f"No review of the {r.subject} since 31/12/2012; the review was due by 31/03/2013."
    )
    assert messages["not_reviewed_after_event"] == (
        f"No review of the {r.subject} after the {r.trigger_words} on 04/02/2013; "
        "review due by 18/02/2013."
    )


@over(REVIEWS)
def test_trigger_events_are_this_checks_own(sqs_run_check, r: Review):
    kinds = [*r.triggers, *r.not_triggers]
    report = sqs_run_check(
        r.check,
        r.export(
            [case(kind.upper()) for kind in kinds],
            [r.sequence(kind.upper(), "2013-01-31") for kind in kinds],
            [event(kind.upper(), "2013-02-04", kind) for kind in kinds],
        ),
        as_of="2013-03-01",
    )
    assert report.relevant == {kind.upper() for kind in r.triggers}
    assert report.reasons() == {(kind.upper(), "not_reviewed_after_event") for kind in r.triggers}
    # A suite can make another kind a trigger, with its own deadline.
    other = r.not_triggers[0]
    overridden = sqs_run_check(
        r.check,
        r.export(
            [case("C1")], [r.sequence("C1", "2013-01-31")], [event("C1", "2013-02-04", other)]
        ),
        as_of="2013-03-05",
        params={"trigger_events": [other], "after_event": 20},
    )
    assert overridden.reasons() == {("C1", "not_reviewed_after_event")}
    assert overridden.findings[0]["evidence"]["due"] == "2013-03-04"


@over(REVIEWS)
def test_partial_without_events_table(sqs_run_check, r: Review):
    # SPEC §5 (v2): review checks without events judge overdue and late
    report = sqs_run_check(
        r.check, r.export([case("C1")], [r.sequence("C1", "2013-01-31")]), as_of="2013-06-01"
    )
    assert report.status == "partial"
    assert report.reason == "not_reviewed_after_event not judged: the export has no events table"
    assert report.reasons() == {("C1", "overdue")}


@over(PLAN_REVIEWS)
def test_skipped_without_plan_reviews_table(sqs_run_check, r: Review):
    tables = r.export([case("C1")], [r.sequence("C1", ("2013-01-31", "IP"))], [])
    del tables["plan_reviews"]
    report = sqs_run_check(r.check, tables, as_of="2013-05-15")
    assert report.status == "skipped"
    assert "plan_reviews" in report.reason


@over([REOFFENDING, ROSH, SENTENCE_PLAN, RMP])
def test_a_record_of_another_kind_is_no_review(sqs_run_check, r: Review):
    report = sqs_run_check(
        r.check,
        r.export(
            [case("C1")],
            [r.sequence("C1", "2013-01-31"), r.other_record("C1", "2013-02-06")],
            [event("C1", "2013-02-04", r.triggers[0])],
        ),
        as_of="2013-03-01",
    )
    assert report.reasons() == {("C1", "not_reviewed_after_event")}


@over([VULNERABILITY, VMP])
def test_reviewed_on_the_event_deadline_passes(sqs_run_check, r: Review):
    report = sqs_run_check(
        r.check,
        r.export(
            [case("C1")],
            [r.sequence("C1", "2013-01-31", "2013-02-18")],
            [event("C1", "2013-02-04", r.triggers[-1])],
        ),
        as_of="2013-03-01",
    )
    assert report.relevant == {"C1"}
    assert report.findings == []


# --- the interval rules, shared by the six -----------------------------------------------


@over(MECHANICS)
def test_overdue_only_once_the_interval_has_passed_with_month_end_clamping(sqs_run_check, r):
    # 31/01/2013 + 3 months is 30/04/2013 (clamped to the month's end).
    tables = r.export([case("C1")], [r.sequence("C1", ("2013-01-31", "FIRST"))], [])
    on_due_day = sqs_run_check(r.check, tables, as_of="2013-04-30")
    assert on_due_day.relevant == set()
    assert on_due_day.findings == []
    report = sqs_run_check(r.check, tables, as_of="2013-05-01")
    assert report.relevant == {"C1"}
    assert report.records() == {("C1", "overdue", "FIRST")}
    assert report.findings[0]["record_table"] == r.first_table
    assert report.findings[0]["message"] == (
        f"No review of the {r.subject} since 31/01/2013; the review was due by 30/04/2013."
    )


@over(MECHANICS)
def test_overdue_from_the_last_review(sqs_run_check, r: Review):
    tables = r.export([case("C1")], [r.sequence("C1", "2013-01-31", ("2013-04-30", "RV1"))], [])
    # 30/04/2013 + 3 months = 30/07/2013.
    assert sqs_run_check(r.check, tables, as_of="2013-07-30").findings == []
    report = sqs_run_check(r.check, tables, as_of="2013-07-31")
    assert report.records() == {("C1", "overdue", "RV1")}
    finding = report.findings[0]
    assert finding["record_table"] == r.review_table
    assert finding["message"] == (
        f"No review of the {r.subject} since 30/04/2013; the review was due by 30/07/2013."
    )


@over(MECHANICS)
def test_late_review_and_the_due_day_itself(sqs_run_check, r: Review):
    report = sqs_run_check(
        r.check,
        r.export(
            [case("C1"), case("C2")],
            [
                r.sequence("C1", "2013-01-31", ("2013-04-30", "ON_TIME")),
                r.sequence("C2", "2013-01-31", ("2013-05-01", "LATE")),
            ],
            [],
        ),
        as_of="2013-06-01",
    )
    assert report.relevant == {"C1", "C2"}
    assert report.records() == {("C2", "late", "LATE")}
    assert report.findings[0]["record_table"] == r.review_table
    assert report.findings[0]["message"] == (
        f"Late review of the {r.subject} on 01/05/2013: the previous one was dated 31/01/2013, "
        "so the review was due by 30/04/2013."
    )


@over(MECHANICS)
def test_one_month_interval_clamps_31_january_to_28_february(sqs_run_check, r: Review):
    report = sqs_run_check(
        r.check,
        r.export(
            [case("C1"), case("C2")],
            [
                r.sequence("C1", "2013-01-31", "2013-02-28"),
                r.sequence("C2", "2013-01-31", ("2013-03-01", "LATE")),
            ],
            [],
        ),
        as_of="2013-03-20",
        params={"interval": 1},
    )
    assert report.records() == {("C2", "late", "LATE")}


@over(MECHANICS)
def test_two_records_make_the_case_relevant_before_the_interval(sqs_run_check, r: Review):
    report = sqs_run_check(
        r.check,
        r.export([case("C1")], [r.sequence("C1", "2013-01-31", "2013-02-15")], []),
        as_of="2013-03-01",
    )
    assert report.relevant == {"C1"}
    assert report.findings == []


@over(MECHANICS)
def test_record_after_as_of_is_ignored_and_closed_case_not_overdue(sqs_run_check, r: Review):
    report = sqs_run_check(
        r.check,
        r.export(
            [case("OPEN"), case("CLOSED", end_date="2013-04-01")],
            [
                r.sequence("OPEN", ("2013-01-31", "FIRST"), ("2013-06-03", "FUTURE")),
                r.sequence("CLOSED", "2013-01-31"),
            ],
            [],
        ),
        as_of="2013-05-15",
        scope="all",
    )
    assert report.relevant == {"OPEN", "CLOSED"}
    assert report.records() == {("OPEN", "overdue", "FIRST")}


@over(MECHANICS)
def test_closed_case_is_not_overdue_when_it_closed_before_the_review_fell_due(sqs_run_check, r):
    # Closed cases are judged by a suite whose scope includes them.
    names = ("CLOSED", "OPEN_ON_DUE_DAY", "OPEN_LATER")
    report = sqs_run_check(
        r.check,
        r.export(
            [
                case("CLOSED", end_date="2013-04-29"),
                case("OPEN_ON_DUE_DAY", end_date="2013-04-30"),
                case("OPEN_LATER", end_date="2013-09-01"),
            ],
            [r.sequence(name, "2013-01-31") for name in names],
            [],
        ),
        as_of="2013-06-01",
        scope="all",
    )
    assert report.relevant == set(names)
    assert report.reasons() == {("OPEN_ON_DUE_DAY", "overdue"), ("OPEN_LATER", "overdue")}


# --- the event rules, shared by the six --------------------------------------------------


@over(MECHANICS)
def test_not_reviewed_after_an_event_and_the_deadline_day(sqs_run_check, r: Review):
    # Event on Monday 04/02/2013: review due within 10 working days, by 18/02/2013.
    trigger = r.triggers[0]
    report = sqs_run_check(
        r.check,
        r.export(
            [case("C1"), case("C2"), case("C3")],
            [
                r.sequence("C1", "2013-01-31", "2013-02-18"),
                r.sequence("C2", "2013-01-31", "2013-02-19"),
                r.sequence("C3", "2013-01-31", "2013-02-04"),  # on the event date itself
            ],
            [
                event("C1", "2013-02-04", trigger),
                event("C2", "2013-02-04", trigger, event_id="E_C2"),
                event("C3", "2013-02-04", trigger),
            ],
        ),
        as_of="2013-03-01",
    )
    assert report.relevant == {"C1", "C2", "C3"}
    assert report.records() == {("C2", "not_reviewed_after_event", "E_C2")}
    finding = report.findings[0]
    assert finding["record_table"] == "events"
    assert finding["message"] == (
        f"No review of the {r.subject} after the {r.trigger_words} on 04/02/2013; "
        "review due by 18/02/2013."
    )


@over(MECHANICS)
def test_event_deadline_not_yet_passed(sqs_run_check, r: Review):
    tables = r.export(
        [case("C1")],
        [r.sequence("C1", "2013-01-31")],
        [event("C1", "2013-02-04", r.triggers[0])],
    )
    assert sqs_run_check(r.check, tables, as_of="2013-02-18").relevant == set()
    assert sqs_run_check(r.check, tables, as_of="2013-02-19").reasons() == {
        ("C1", "not_reviewed_after_event")
    }


@over(MECHANICS)
def test_event_deadline_across_easter(sqs_run_check, r: Review):
    # Friday 22/03/2013 + 10 working days, skipping 29/03 and 01/04, is 09/04/2013.
    report = sqs_run_check(
        r.check,
        r.export(
            [case("C1"), case("C2")],
            [
                r.sequence("C1", "2013-02-01", "2013-04-09"),
                r.sequence("C2", "2013-02-01", "2013-04-10"),
            ],
            [
                event("C1", "2013-03-22", r.triggers[0]),
                event("C2", "2013-03-22", r.triggers[0]),
            ],
        ),
        as_of="2013-04-20",
    )
    assert report.reasons() == {("C2", "not_reviewed_after_event")}
    assert report.findings[0]["evidence"]["due"] == "2013-04-09"


@over([*MECHANICS, ROSH])
def test_event_not_significant_or_before_the_first_record_is_no_trigger(sqs_run_check, r):
    trigger = r.triggers[0]
    names = ("NOT_SIG", "NOT_SIG_TEXT", "BLANK_SIG", "SAME_DAY", "BEFORE")
    report = sqs_run_check(
        r.check,
        r.export(
            [case(name) for name in names],
            [r.sequence(name, "2013-01-31") for name in names],
            [
                event("NOT_SIG", "2013-02-04", trigger, significant=False),
                event("NOT_SIG_TEXT", "2013-02-04", trigger, significant="no"),
                event("BLANK_SIG", "2013-02-04", trigger, significant=None),
                event("SAME_DAY", "2013-01-31", trigger, significant=True),
                event("BEFORE", "2013-01-20", trigger, significant=True),
            ],
        ),
        as_of="2013-03-01",
    )
    assert report.relevant == {"BLANK_SIG"}
    assert report.reasons() == {("BLANK_SIG", "not_reviewed_after_event")}


@over(MECHANICS)
def test_event_after_as_of_is_ignored(sqs_run_check, r: Review):
    report = sqs_run_check(
        r.check,
        r.export(
            [case("C1")],
            [r.sequence("C1", "2013-01-31")],
            [event("C1", "2013-03-05", r.triggers[0])],
        ),
        as_of="2013-03-01",
    )
    assert report.relevant == set()


# --- what one check alone has --------------------------------------------------------------


def test_assessment_review_counts_any_stage_and_no_other_kind(sqs_run_check):
    report = sqs_run_check(
        REOFFENDING.check,
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [
                assessment("C1", "2013-01-31", "initial", "reoffending"),
                assessment("C1", "2013-04-15", "closure", "reoffending"),
                assessment("C2", "2013-01-31", "initial", "reoffending", assessment_id="A_C2"),
                assessment("C2", "2013-04-15", "review", "rosh"),
            ],
            "events": [],
        },
        as_of="2013-05-01",
    )
    assert report.records() == {("C2", "overdue", "A_C2")}


def test_sentence_plan_review_counts_custody_plans_and_no_other_kind(sqs_run_check):
    report = sqs_run_check(
        SENTENCE_PLAN.check,
        {
            "cases": [case("CUSTODY", disposal_type="custody"), case("RMP_ONLY")],
            "plans": [
                plan("CUSTODY", "CP", "2013-01-31", "custody"),
                plan("CUSTODY", "CP2", "2013-04-15", "custody"),
                plan("RMP_ONLY", "RMP", "2012-12-03", "risk_management"),
            ],
            "plan_reviews": [review("RMP", "RMP_RV", "2013-02-01")],
            "events": [],
        },
        as_of="2013-05-01",
    )
    assert report.relevant == {"CUSTODY"}
    assert report.findings == []


def test_sentence_plan_review_a_new_plan_after_an_event_counts_as_its_review(sqs_run_check):
    # Arrest on 04/02/2013: a plan or review is due by 18/02/2013.
    report = sqs_run_check(
        SENTENCE_PLAN.check,
        {
            "cases": [case("NEW_PLAN"), case("REVIEWED"), case("LATE_REVIEW"), case("NOT_SIG")],
            "plans": [
                plan("NEW_PLAN", "NP1", "2013-01-31", "intervention"),
                plan("NEW_PLAN", "NP2", "2013-02-18", "intervention"),
                plan("REVIEWED", "RP", "2013-01-31", "intervention"),
                plan("LATE_REVIEW", "LP", "2013-01-31", "intervention"),
                plan("NOT_SIG", "SP", "2013-01-31", "intervention"),
            ],
            "plan_reviews": [
                review("RP", "RV_OK", "2013-02-04"),
                review("LP", "RV_LATE", "2013-02-19"),
            ],
            "events": [
                event("NEW_PLAN", "2013-02-04", "arrest"),
                event("REVIEWED", "2013-02-04", "arrest"),
                event("LATE_REVIEW", "2013-02-04", "arrest", event_id="EV_LATE"),
                event("NOT_SIG", "2013-02-04", "arrest", significant=False),
            ],
        },
        as_of="2013-03-01",
    )
    assert report.relevant == {"NEW_PLAN", "REVIEWED", "LATE_REVIEW"}
    assert report.records() == {("LATE_REVIEW", "not_reviewed_after_event", "EV_LATE")}
    assert report.findings[0]["message"] == (
        "No review of the sentence plan after the arrest on 04/02/2013; review due by 18/02/2013."
    )
