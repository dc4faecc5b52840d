"""reoffending.custody_plan: the first custody plan by wd_add(start_date, due)."""

CHECK = "reoffending.custody_plan"


def custody(case_id, start="2013-01-07", **extra):
    """A custody case."""
    return {"case_id": case_id, "start_date": start, "disposal_type": "custody", **extra}


def plan(case_id, created, kind="custody", **extra):
    """A custody plan row."""
    return {"case_id": case_id, "kind": kind, "created_date": created, **extra}


def test_on_the_deadline_day_passes_and_the_day_after_is_late(sqs_run_check):
    # 10 working days after Monday 07/01/2013 is Monday 21/01/2013.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [custody("C1"), custody("C2")],
            "plans": [plan("C1", "2013-01-21"), plan("C2", "2013-01-22", plan_id="P_C2")],
        },
        as_of="2013-03-18",
    )
    assert report.relevant == {"C1", "C2"}
    assert report.records() == {("C2", "late", "P_C2")}
    assert report.findings[0]["message"] == (
        "Custodial sentence plan created late on 22/01/2013; it was due by 21/01/2013 "
        "(the sentence started on 07/01/2013)."
    )


def test_missing_only_after_the_deadline(sqs_run_check):
    tables = {"cases": [custody("C1")], "plans": []}
    assert sqs_run_check(CHECK, tables, as_of="2013-01-21").relevant == set()
    report = sqs_run_check(CHECK, tables, as_of="2013-01-22")
    assert report.records() == {("C1", "missing", "C1")}
    assert report.findings[0]["message"] == (
        "No custodial sentence plan: the sentence started on 07/01/2013; "
        "the plan was due by 21/01/2013."
    )


def test_deadline_across_easter(sqs_run_check):
    # Thursday 28/03/2013 + 10 working days, skipping 29/03 and 01/04, is 15/04/2013.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [custody("C1", "2013-03-28"), custody("C2", "2013-03-28")],
            "plans": [plan("C1", "2013-04-15"), plan("C2", "2013-04-16")],
        },
        as_of="2013-05-01",
    )
    assert report.reasons() == {("C2", "late")}


def test_only_custody_cases_and_custody_plans_count(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                {"case_id": "Y1", "start_date": "2013-01-07", "disposal_type": "community"},
                custody("C1"),
            ],
            "plans": [plan("C1", "2013-01-10", kind="intervention"), plan("Y1", "2013-03-01")],
        },
        as_of="2013-03-18",
    )
    assert report.relevant == {"C1"}
    assert report.reasons() == {("C1", "missing")}


def test_referral_order_due_does_not_apply(sqs_run_check):
    check_params = (
        sqs_run_check(CHECK, {"cases": [custody("C1")], "plans": []}, as_of="2013-03-18")
        .result.checks[0]
        .params
    )
    assert check_params == {"due": 10}


def test_plan_after_as_of_is_ignored(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {"cases": [custody("C1")], "plans": [plan("C1", "2013-02-01")]},
        as_of="2013-01-25",
    )
    assert report.reasons() == {("C1", "missing")}
