"""public.rmp_review: the *Plan reviews* rules over risk management plans."""

CHECK = "public.rmp_review"


def case(case_id, **extra):
    """A case started on 07/01/2013."""
    return {"case_id": case_id, "start_date": "2013-01-07", **extra}


def plan(case_id, plan_id, created, kind="risk_management"):
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
            "cases": [case("LATE"), case("OVERDUE"), case("EVENT"), case("OK")],
            "plans": [
                plan("LATE", "LP", "2012-11-30"),
                plan("OVERDUE", "OP", "2012-11-30"),
                plan("EVENT", "EP", "2013-02-01"),
                plan("OK", "KP", "2012-12-15"),
                plan("OK", "SENTENCE", "2013-01-10", "intervention"),
            ],
            "plan_reviews": [
                review("LP", "LATE_RV", "2013-03-01"),
                review("OP", "OLD_RV", "2012-12-20"),
                review("KP", "KP_RV", "2013-03-01"),
            ],
            "events": [event("EVENT", "2013-02-05", "custody_release", event_id="REL")],
        },
        as_of="2013-03-25",
    )
    assert report.relevant == {"LATE", "OVERDUE", "EVENT", "OK"}
    assert report.records() == {
        ("LATE", "late", "LATE_RV"),
        ("OVERDUE", "overdue", "OLD_RV"),
        ("EVENT", "not_reviewed_after_event", "REL"),
    }
    messages = {f["reason"]: f["message"] for f in report.findings}
    assert messages["not_reviewed_after_event"] == (
        "No review of the risk management plan after the release from custody on 05/02/2013; "
        "review due by 19/02/2013."
    )


def test_rosh_triggers_apply_not_the_vulnerability_ones(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "plans": [plan("C1", "P_C1", "2013-01-31"), plan("C2", "P_C2", "2013-01-31")],
            "plan_reviews": [],
            "events": [
                event("C1", "2013-02-04", "victim_concern"),
                event("C2", "2013-02-04", "missing_episode"),
            ],
        },
        as_of="2013-03-01",
    )
    assert report.reasons() == {("C1", "not_reviewed_after_event")}


def test_a_review_of_another_plan_kind_does_not_count(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "plans": [
                plan("C1", "RMP", "2013-01-31"),
                plan("C1", "VMP", "2013-01-31", "vulnerability_management"),
            ],
            "plan_reviews": [review("VMP", "VMP_RV", "2013-02-06")],
            "events": [event("C1", "2013-02-04", "arrest")],
        },
        as_of="2013-03-01",
    )
    assert report.reasons() == {("C1", "not_reviewed_after_event")}
