"""reoffending.plan_review: the *Plan reviews* rules over intervention and custody plans."""

CHECK = "reoffending.plan_review"


def case(case_id, **extra):
    """A case started on 07/01/2013."""
    return {"case_id": case_id, "start_date": "2013-01-07", **extra}


def plan(case_id, plan_id, created, kind="intervention"):
    """A plan."""
    return {"case_id": case_id, "plan_id": plan_id, "kind": kind, "created_date": created}


def review(plan_id, review_id, dated):
    """A plan review."""
    return {"plan_id": plan_id, "review_id": review_id, "review_date": dated}


def event(case_id, dated, kind="arrest", **extra):
    """An event."""
    return {"case_id": case_id, "event_date": dated, "kind": kind, **extra}


def test_overdue_from_the_last_review(sqs_run_check):
    tables = {
        "cases": [case("C1")],
        "plans": [plan("C1", "IP", "2013-01-31")],
        "plan_reviews": [review("IP", "RV1", "2013-04-30")],
        "events": [],
    }
    # 30/04/2013 + 3 months = 30/07/2013.
    assert sqs_run_check(CHECK, tables, as_of="2013-07-30").findings == []
    report = sqs_run_check(CHECK, tables, as_of="2013-07-31")
    assert report.records() == {("C1", "overdue", "RV1")}
    finding = report.findings[0]
    assert finding["record_table"] == "plan_reviews"
    assert finding["message"] == (
        "No review of the sentence plan since 30/04/2013; the review was due by 30/07/2013."
    )


def test_plan_without_reviews_is_overdue_on_the_plan(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "plans": [plan("C1", "IP", "2013-01-31")],
            "plan_reviews": [],
            "events": [],
        },
        as_of="2013-05-01",
    )
    assert report.records() == {("C1", "overdue", "IP")}
    assert report.findings[0]["record_table"] == "plans"


def test_late_review_record_is_the_review(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "plans": [plan("C1", "IP1", "2013-01-31"), plan("C2", "IP2", "2013-01-31")],
            "plan_reviews": [
                review("IP1", "ON_TIME", "2013-04-30"),
                review("IP2", "LATE", "2013-05-01"),
            ],
            "events": [],
        },
        as_of="2013-06-01",
    )
    assert report.records() == {("C2", "late", "LATE")}
    assert report.findings[0]["message"] == (
        "Late review of the sentence plan on 01/05/2013: the previous one was dated 31/01/2013, "
        "so the review was due by 30/04/2013."
    )


def test_custody_plans_count_and_other_kinds_do_not(sqs_run_check):
    report = sqs_run_check(
        CHECK,
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


def test_a_new_plan_after_an_event_counts_as_its_review(sqs_run_check):
    # Arrest on 04/02/2013: a plan or review is due by 18/02/2013.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("NEW_PLAN"), case("REVIEWED"), case("LATE_REVIEW"), case("NOT_SIG")],
            "plans": [
                plan("NEW_PLAN", "NP1", "2013-01-31"),
                plan("NEW_PLAN", "NP2", "2013-02-18"),
                plan("REVIEWED", "RP", "2013-01-31"),
                plan("LATE_REVIEW", "LP", "2013-01-31"),
                plan("NOT_SIG", "SP", "2013-01-31"),
            ],
            "plan_reviews": [
                review("RP", "RV_OK", "2013-02-04"),
                review("LP", "RV_LATE", "2013-02-19"),
            ],
            "events": [
                event("NEW_PLAN", "2013-02-04"),
                event("REVIEWED", "2013-02-04"),
                event("LATE_REVIEW", "2013-02-04", event_id="EV_LATE"),
                event("NOT_SIG", "2013-02-04", significant=False),
            ],
        },
        as_of="2013-03-01",
    )
    assert report.relevant == {"NEW_PLAN", "REVIEWED", "LATE_REVIEW"}
    assert report.records() == {("LATE_REVIEW", "not_reviewed_after_event", "EV_LATE")}
    assert report.findings[0]["message"] == (
        "No review of the sentence plan after the arrest on 04/02/2013; review due by 18/02/2013."
    )


def test_breach_triggers_a_sentence_plan_review_but_victim_concern_does_not(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "plans": [plan("C1", "P_C1", "2013-01-31"), plan("C2", "P_C2", "2013-01-31")],
            "plan_reviews": [],
            "events": [
                event("C1", "2013-02-04", "breach"),
                event("C2", "2013-02-04", "victim_concern"),
            ],
        },
        as_of="2013-03-01",
    )
    assert report.reasons() == {("C1", "not_reviewed_after_event")}


def test_review_after_as_of_is_ignored_and_closed_case_not_overdue(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("OPEN"), case("CLOSED", end_date="2013-04-01")],
            "plans": [plan("OPEN", "OP", "2013-01-31"), plan("CLOSED", "CP", "2013-01-31")],
            "plan_reviews": [review("OP", "FUTURE", "2013-06-03")],
            "events": [],
        },
        as_of="2013-05-15",
        scope="all",
    )
    assert report.relevant == {"OPEN", "CLOSED"}
    assert report.records() == {("OPEN", "overdue", "OP")}


def test_skipped_without_plan_reviews_table(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {"cases": [case("C1")], "plans": [plan("C1", "IP", "2013-01-31")], "events": []},
        as_of="2013-05-15",
    )
    assert report.status == "skipped"
    assert "plan_reviews" in report.reason
