"""reoffending.assessment_review: the *Reviews* rules over reoffending assessments."""

CHECK = "reoffending.assessment_review"


def case(case_id="C1", **extra):
    """A case started on 07/01/2013."""
    return {"case_id": case_id, "start_date": "2013-01-07", **extra}


def assessment(case_id, completed, stage="review", kind="reoffending", **extra):
    """A completed assessment."""
    return {"case_id": case_id, "kind": kind, "stage": stage, "completed_date": completed, **extra}


def event(case_id, dated, kind="arrest", **extra):
    """A significant event."""
    return {"case_id": case_id, "event_date": dated, "kind": kind, **extra}


def test_overdue_only_once_the_interval_has_passed_with_month_end_clamping(sqs_run_check):
    # 31/01/2013 + 3 months is 30/04/2013 (clamped to the month's end).
    tables = {
        "cases": [case()],
        "assessments": [assessment("C1", "2013-01-31", "initial", assessment_id="A_FIRST")],
        "events": [],
    }
    on_due_day = sqs_run_check(CHECK, tables, as_of="2013-04-30")
    assert on_due_day.relevant == set()
    assert on_due_day.findings == []
    report = sqs_run_check(CHECK, tables, as_of="2013-05-01")
    assert report.relevant == {"C1"}
    assert report.records() == {("C1", "overdue", "A_FIRST")}
    assert report.findings[0]["message"] == (
        "No review of the likelihood of reoffending assessment since 31/01/2013; "
        "the review was due by 30/04/2013."
    )


def test_late_review_and_the_due_day_itself(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [
                assessment("C1", "2013-01-31", "initial"),
                assessment("C1", "2013-04-30", assessment_id="ON_TIME"),
                assessment("C2", "2013-01-31", "initial"),
                assessment("C2", "2013-05-01", assessment_id="LATE"),
            ],
            "events": [],
        },
        as_of="2013-06-01",
    )
    assert report.relevant == {"C1", "C2"}
    assert report.records() == {("C2", "late", "LATE")}
    assert report.findings[0]["message"] == (
        "Late review of the likelihood of reoffending assessment on 01/05/2013: the previous "
        "one was dated 31/01/2013, so the review was due by 30/04/2013."
    )


def test_one_month_interval_clamps_31_january_to_28_february(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [
                assessment("C1", "2013-01-31", "initial"),
                assessment("C1", "2013-02-28"),
                assessment("C2", "2013-01-31", "initial"),
                assessment("C2", "2013-03-01", assessment_id="LATE"),
            ],
            "events": [],
        },
        as_of="2013-03-20",
        params={"interval": 1},
    )
    assert report.records() == {("C2", "late", "LATE")}


def test_two_assessments_make_the_case_relevant_before_the_interval(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case()],
            "assessments": [
                assessment("C1", "2013-01-31", "initial"),
                assessment("C1", "2013-02-15"),
            ],
            "events": [],
        },
        as_of="2013-03-01",
    )
    assert report.relevant == {"C1"}
    assert report.findings == []


def test_any_stage_counts_and_other_kinds_do_not(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [
                assessment("C1", "2013-01-31", "initial"),
                assessment("C1", "2013-04-15", "closure"),
                assessment("C2", "2013-01-31", "initial", assessment_id="A_C2"),
                assessment("C2", "2013-04-15", kind="rosh"),
            ],
            "events": [],
        },
        as_of="2013-05-01",
    )
    assert report.records() == {("C2", "overdue", "A_C2")}


def test_assessment_after_as_of_is_ignored(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case()],
            "assessments": [
                assessment("C1", "2013-01-31", "initial", assessment_id="A_FIRST"),
                assessment("C1", "2013-05-20"),
            ],
            "events": [],
        },
        as_of="2013-05-10",
    )
    assert report.records() == {("C1", "overdue", "A_FIRST")}


def test_closed_case_is_not_overdue_when_it_closed_before_the_review_fell_due(sqs_run_check):
    # Closed cases are judged by a suite whose scope includes them.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                case("CLOSED", end_date="2013-04-29"),
                case("OPEN_ON_DUE_DAY", end_date="2013-04-30"),
                case("OPEN_LATER", end_date="2013-09-01"),
            ],
            "assessments": [
                assessment("CLOSED", "2013-01-31", "initial"),
                assessment("OPEN_ON_DUE_DAY", "2013-01-31", "initial"),
                assessment("OPEN_LATER", "2013-01-31", "initial"),
            ],
            "events": [],
        },
        as_of="2013-06-01",
        scope="all",
    )
    assert report.relevant == {"CLOSED", "OPEN_ON_DUE_DAY", "OPEN_LATER"}
    assert report.reasons() == {("OPEN_ON_DUE_DAY", "overdue"), ("OPEN_LATER", "overdue")}


def test_not_reviewed_after_an_event_and_the_deadline_day(sqs_run_check):
    # Arrest on Monday 04/02/2013: review due within 10 working days, by 18/02/2013.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2"), case("C3")],
            "assessments": [
                assessment("C1", "2013-01-31", "initial"),
                assessment("C1", "2013-02-18"),
                assessment("C2", "2013-01-31", "initial"),
                assessment("C2", "2013-02-19"),
                assessment("C3", "2013-01-31", "initial"),
                assessment("C3", "2013-02-04"),  # on the event date itself
            ],
            "events": [
                event("C1", "2013-02-04"),
                event("C2", "2013-02-04", event_id="E_C2"),
                event("C3", "2013-02-04"),
            ],
        },
        as_of="2013-03-01",
    )
    assert report.relevant == {"C1", "C2", "C3"}
    assert report.records() == {("C2", "not_reviewed_after_event", "E_C2")}
    finding = report.findings[0]
    assert finding["record_table"] == "events"
    assert finding["message"] == (
        "No review of the likelihood of reoffending assessment after the arrest on 04/02/2013; "
        "review due by 18/02/2013."
    )


def test_event_deadline_not_yet_passed(sqs_run_check):
    tables = {
        "cases": [case()],
        "assessments": [assessment("C1", "2013-01-31", "initial")],
        "events": [event("C1", "2013-02-04")],
    }
    assert sqs_run_check(CHECK, tables, as_of="2013-02-18").relevant == set()
    assert sqs_run_check(CHECK, tables, as_of="2013-02-19").reasons() == {
        ("C1", "not_reviewed_after_event")
    }


def test_event_deadline_across_easter(sqs_run_check):
    # Friday 22/03/2013 + 10 working days, skipping 29/03 and 01/04, is 09/04/2013.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [
                assessment("C1", "2013-02-01", "initial"),
                assessment("C1", "2013-04-09"),
                assessment("C2", "2013-02-01", "initial"),
                assessment("C2", "2013-04-10"),
            ],
            "events": [event("C1", "2013-03-22"), event("C2", "2013-03-22")],
        },
        as_of="2013-04-20",
    )
    assert report.reasons() == {("C2", "not_reviewed_after_event")}
    assert report.findings[0]["evidence"]["due"] == "2013-04-09"


def test_event_not_significant_or_before_the_first_assessment_is_no_trigger(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("NOT_SIG"), case("BLANK_SIG"), case("SAME_DAY"), case("BEFORE")],
            "assessments": [
                assessment(c, "2013-01-31", "initial")
                for c in ("NOT_SIG", "BLANK_SIG", "SAME_DAY", "BEFORE")
            ],
            "events": [
                event("NOT_SIG", "2013-02-04", significant=False),
                event("BLANK_SIG", "2013-02-04", significant=None),
                event("SAME_DAY", "2013-01-31", significant=True),
                event("BEFORE", "2013-01-20", significant=True),
            ],
        },
        as_of="2013-03-01",
    )
    assert report.relevant == {"BLANK_SIG"}
    assert report.reasons() == {("BLANK_SIG", "not_reviewed_after_event")}


def test_trigger_events_are_this_checks_own(sqs_run_check):
    # school_exclusion triggers a reoffending review; victim_concern does not.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [
                assessment("C1", "2013-01-31", "initial"),
                assessment("C2", "2013-01-31", "initial"),
            ],
            "events": [
                event("C1", "2013-02-04", "school_exclusion"),
                event("C2", "2013-02-04", "victim_concern"),
            ],
        },
        as_of="2013-03-01",
    )
    assert report.reasons() == {("C1", "not_reviewed_after_event")}
    overridden = sqs_run_check(
        CHECK,
        {
            "cases": [case("C2")],
            "assessments": [assessment("C2", "2013-01-31", "initial")],
            "events": [event("C2", "2013-02-04", "victim_concern")],
        },
        as_of="2013-03-05",
        params={"trigger_events": ["victim_concern"], "after_event": 20},
    )
    assert overridden.reasons() == {("C2", "not_reviewed_after_event")}
    assert overridden.findings[0]["evidence"]["due"] == "2013-03-04"


def test_event_after_as_of_is_ignored(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case()],
            "assessments": [assessment("C1", "2013-01-31", "initial")],
            "events": [event("C1", "2013-03-05")],
        },
        as_of="2013-03-01",
    )
    assert report.relevant == set()


def test_partial_without_events_table(sqs_run_check):
    # SPEC §5 (v2): review checks without events judge overdue and late
    report = sqs_run_check(
        CHECK,
        {"cases": [case()], "assessments": [assessment("C1", "2013-01-31", "initial")]},
        as_of="2013-06-01",
    )
    assert report.status == "partial"
    assert report.reason == ("not_reviewed_after_event not judged: the export has no events table")
    assert report.reasons() == {("C1", "overdue")}
