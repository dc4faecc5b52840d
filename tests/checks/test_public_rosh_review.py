"""public.rosh_review: the *Reviews* rules over risk of serious harm assessments."""

CHECK = "public.rosh_review"


def case(case_id, **extra):
    """A case started on 07/01/2013."""
    return {"case_id": case_id, "start_date": "2013-01-07", **extra}


def rosh(case_id, completed, stage="review", **extra):
    """A completed rosh assessment."""
    return {
        "case_id": case_id,
        "kind": "rosh",
        "stage": stage,
        "completed_date": completed,
        **extra,
    }


def event(case_id, dated, kind, **extra):
    """An event."""
    return {"case_id": case_id, "event_date": dated, "kind": kind, **extra}


def test_each_reason(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("LATE"), case("OVERDUE"), case("EVENT"), case("OK")],
            "assessments": [
                rosh("LATE", "2012-11-30", "initial"),
                rosh("LATE", "2013-03-01", assessment_id="LATE_REVIEW"),
                rosh("OVERDUE", "2012-12-31", "initial", assessment_id="OLD"),
                rosh("EVENT", "2013-01-31", "initial"),
                rosh("OK", "2012-11-30", "initial"),
                rosh("OK", "2013-02-28"),
                rosh("OK", "2013-03-10"),
            ],
            "events": [
                event("EVENT", "2013-02-04", "victim_concern", event_id="VC"),
                event("OK", "2013-03-01", "new_offence"),
            ],
        },
        as_of="2013-04-01",
    )
    assert report.relevant == {"LATE", "OVERDUE", "EVENT", "OK"}
    assert report.records() == {
        ("LATE", "late", "LATE_REVIEW"),
        ("OVERDUE", "overdue", "OLD"),
        ("EVENT", "not_reviewed_after_event", "VC"),
    }
    messages = {f["reason"]: f["message"] for f in report.findings}
    assert messages["not_reviewed_after_event"] == (
        "No review of the risk of serious harm assessment after the victim concern on "
        "04/02/2013; review due by 18/02/2013."
    )
    assert messages["overdue"] == (
        "No review of the risk of serious harm assessment since 31/12/2012; "
        "the review was due by 31/03/2013."
    )


def test_trigger_events_differ_from_the_reoffending_review(sqs_run_check):
    # victim_concern triggers a rosh review; school_exclusion and breach do not.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2"), case("C3")],
            "assessments": [rosh(c, "2013-01-31", "initial") for c in ("C1", "C2", "C3")],
            "events": [
                event("C1", "2013-02-04", "victim_concern"),
                event("C2", "2013-02-04", "school_exclusion"),
                event("C3", "2013-02-04", "breach"),
            ],
        },
        as_of="2013-03-01",
    )
    assert report.relevant == {"C1"}
    assert report.reasons() == {("C1", "not_reviewed_after_event")}


def test_a_reoffending_assessment_is_not_a_rosh_review(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "assessments": [
                rosh("C1", "2013-01-31", "initial"),
                {
                    "case_id": "C1",
                    "kind": "reoffending",
                    "stage": "review",
                    "completed_date": "2013-02-06",
                },
            ],
            "events": [event("C1", "2013-02-04", "arrest")],
        },
        as_of="2013-03-01",
    )
    assert report.reasons() == {("C1", "not_reviewed_after_event")}


def test_not_significant_event_is_no_trigger(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "assessments": [rosh("C1", "2013-01-31", "initial")],
            "events": [event("C1", "2013-02-04", "arrest", significant="no")],
        },
        as_of="2013-03-01",
    )
    assert report.relevant == set()
    assert report.findings == []
