"""reoffending.intervention_plan: the first intervention plan by wd_add(start_date, due(case))."""

CHECK = "reoffending.intervention_plan"


def plan(case_id, created, kind="intervention", **extra):
    """An intervention plan row."""
    return {"case_id": case_id, "kind": kind, "created_date": created, **extra}


def test_plan_on_the_deadline_day_passes_and_the_day_after_is_late(sqs_run_check):
    # Started Monday 07/01/2013: 15 working days later is Monday 28/01/2013.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                {"case_id": "C1", "start_date": "2013-01-07"},
                {"case_id": "C2", "start_date": "2013-01-07"},
            ],
            "plans": [
                plan("C1", "2013-01-28", plan_id="P1"),
                plan("C2", "2013-01-29", plan_id="P2"),
            ],
        },
        as_of="2013-03-18",
    )
    assert report.status == "ran"
    assert report.relevant == {"C1", "C2"}
    assert report.records() == {("C2", "late", "P2")}
    (finding,) = report.findings
    assert finding["record_table"] == "plans"
    assert finding["message"] == (
        "Intervention plan created late on 29/01/2013; it was due by 28/01/2013 "
        "(the case started on 07/01/2013)."
    )


def test_missing_once_the_deadline_has_passed(sqs_run_check):
    tables = {"cases": [{"case_id": "C1", "start_date": "2013-01-07"}], "plans": []}
    on_deadline = sqs_run_check(CHECK, tables, as_of="2013-01-28")
    assert on_deadline.relevant == set()
    assert on_deadline.findings == []
    day_after = sqs_run_check(CHECK, tables, as_of="2013-01-29")
    assert day_after.records() == {("C1", "missing", "C1")}
    assert day_after.findings[0]["message"] == (
        "No intervention plan: the case started on 07/01/2013; the plan was due by 28/01/2013."
    )


def test_plan_before_the_deadline_makes_the_case_relevant_early(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [{"case_id": "C1", "start_date": "2013-01-07"}],
            "plans": [plan("C1", "2013-01-10")],
        },
        as_of="2013-01-14",
    )
    assert report.relevant == {"C1"}
    assert report.findings == []


def test_referral_order_has_20_working_days(sqs_run_check):
    # 20 working days after 07/01/2013 is 04/02/2013.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                {"case_id": "R1", "start_date": "2013-01-07", "disposal_type": "referral_order"},
                {"case_id": "R2", "start_date": "2013-01-07", "disposal_type": "referral_order"},
                {"case_id": "Y1", "start_date": "2013-01-07", "disposal_type": "community"},
            ],
            "plans": [plan("R1", "2013-02-04"), plan("R2", "2013-02-05"), plan("Y1", "2013-02-04")],
        },
        as_of="2013-03-18",
    )
    assert report.reasons() == {("R2", "late"), ("Y1", "late")}


def test_deadline_across_easter_bank_holidays(sqs_run_check):
    # Started Monday 25/03/2013; Good Friday 29/03 and Easter Monday 01/04 do not
    # count, so 15 working days end on Wednesday 17/04/2013 (not 15/04).
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                {"case_id": "C1", "start_date": "2013-03-25"},
                {"case_id": "C2", "start_date": "2013-03-25"},
            ],
            "plans": [plan("C1", "2013-04-17"), plan("C2", "2013-04-18")],
        },
        as_of="2013-05-01",
    )
    assert report.reasons() == {("C2", "late")}


def test_custody_cases_are_not_relevant(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [{"case_id": "C1", "start_date": "2013-01-07", "disposal_type": "custody"}],
            "plans": [],
        },
        as_of="2013-03-18",
    )
    assert report.relevant == set()
    assert report.findings == []


def test_the_first_plan_decides_lateness(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                {"case_id": "C1", "start_date": "2013-01-07"},
                {"case_id": "C2", "start_date": "2013-01-07"},
            ],
            "plans": [
                plan("C1", "2013-01-20", plan_id="P1"),
                plan("C1", "2013-02-20", plan_id="P2"),
                plan("C2", "2013-02-20", plan_id="P3"),
                plan("C2", "2013-02-25", plan_id="P4"),
            ],
        },
        as_of="2013-03-18",
    )
    assert report.records() == {("C2", "late", "P3")}


def test_other_plan_kinds_and_later_plans_do_not_count(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                {"case_id": "C1", "start_date": "2013-01-07"},
                {"case_id": "C2", "start_date": "2013-01-07"},
            ],
            "plans": [
                plan("C1", "2013-01-20", kind="risk_management"),
                # Created after the as-of date: as if it did not exist yet.
                plan("C2", "2013-03-20"),
            ],
        },
        as_of="2013-03-18",
    )
    assert report.reasons() == {("C1", "missing"), ("C2", "missing")}


def test_due_parameter_override(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [{"case_id": "C1", "start_date": "2013-01-07"}],
            "plans": [plan("C1", "2013-01-28")],
        },
        as_of="2013-03-18",
        params={"due": 10},
    )
    assert report.reasons() == {("C1", "late")}


def test_skipped_without_a_plans_table(sqs_run_check):
    report = sqs_run_check(
        CHECK, {"cases": [{"case_id": "C1", "start_date": "2013-01-07"}]}, as_of="2013-03-18"
    )
    assert report.status == "skipped"
    assert "plans" in report.reason
