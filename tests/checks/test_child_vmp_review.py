"""child.vmp_review: the *Plan reviews* rules over vulnerability management plans."""

CHECK = "child.vmp_review"


def case(case_id, **extra):
    """A case started on 07/01/2013."""
    return {"case_id": case_id, "start_date": "2013-01-07", **extra}


def plan(case_id, plan_id, created, kind="vulnerability_management"):
    """A plan."""
    return {"case_id": case_id, "plan_id": plan_id, "kind": kind, "created_date": created}


def review(plan_id, review_id, dated):
    """A plan review."""
    return {"plan_id": plan_id, "review_id": review_id, "review_date": dated}


def event(case_id, dated, kind, **extra):
    """An event."""
    return {"case_id": case_id, "event_date": dated, "kind": kind, **extra}


def test_each_reason(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("LATE"), case("OVERDUE"), case("EVENT")],
            "plans": [
                plan("LATE", "LP", "2012-10-31"),
                plan("LATE", "LP2", "2013-02-01"),
                plan("OVERDUE", "OP", "2012-12-10"),
                plan("EVENT", "EP", "2013-01-31"),
            ],
            "plan_reviews": [review("EP", "TOO_EARLY", "2013-02-01")],
            "events": [event("EVENT", "2013-02-04", "safeguarding_concern", event_id="SG")],
        },
        as_of="2013-03-18",
    )
    assert report.records() == {
        ("LATE", "late", "LP2"),
        ("OVERDUE", "overdue", "OP"),
        ("EVENT", "not_reviewed_after_event", "SG"),
    }
    messages = {f["reason"]: f["message"] for f in report.findings}
    assert messages["overdue"] == (
        "No review of the vulnerability management plan since 10/12/2012; "
        "the review was due by 10/03/2013."
    )


def test_vulnerability_triggers_apply_not_the_rosh_ones(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "plans": [plan("C1", "P_C1", "2013-01-31"), plan("C2", "P_C2", "2013-01-31")],
            "plan_reviews": [],
            "events": [
                event("C1", "2013-02-04", "school_exclusion"),
                event("C2", "2013-02-04", "victim_concern"),
            ],
        },
        as_of="2013-03-01",
    )
    assert report.reasons() == {("C1", "not_reviewed_after_event")}


def test_reviewed_on_the_event_deadline_passes(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "plans": [plan("C1", "P_C1", "2013-01-31")],
            "plan_reviews": [review("P_C1", "RV", "2013-02-18")],
            "events": [event("C1", "2013-02-04", "change_of_address")],
        },
        as_of="2013-03-01",
    )
    assert report.relevant == {"C1"}
    assert report.findings == []
