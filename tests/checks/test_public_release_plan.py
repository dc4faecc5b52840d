"""public.release_plan: a release plan by wd_sub(release_date, lead)."""

CHECK = "public.release_plan"


def custody(case_id, release, **extra):
    """A custody case released (or to be released) on ``release``."""
    return {
        "case_id": case_id,
        "start_date": "2013-01-07",
        "disposal_type": "custody",
        "release_date": release,
        **extra,
    }


def plan(case_id, created, kind="release", **extra):
    """A release plan row."""
    return {"case_id": case_id, "kind": kind, "created_date": created, **extra}


def test_deadline_counts_back_across_easter(sqs_run_check):
    # 10 working days before Monday 15/04/2013, skipping Easter Monday 01/04 and
    # Good Friday 29/03, is Thursday 28/03/2013.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [custody("C1", "2013-04-15"), custody("C2", "2013-04-15")],
            "plans": [plan("C1", "2013-03-28"), plan("C2", "2013-04-02", plan_id="P_C2")],
        },
        as_of="2013-05-01",
    )
    assert report.relevant == {"C1", "C2"}
    assert report.records() == {("C2", "late", "P_C2")}
    assert report.findings[0]["message"] == (
        "Release plan created late on 02/04/2013; it was due by 28/03/2013 "
        "(release from custody on 15/04/2013)."
    )


def test_missing_once_the_deadline_has_passed(sqs_run_check):
    tables = {"cases": [custody("C1", "2013-04-15")], "plans": []}
    on_deadline = sqs_run_check(CHECK, tables, as_of="2013-03-28")
    assert on_deadline.relevant == set()
    report = sqs_run_check(CHECK, tables, as_of="2013-03-29")
    assert report.records() == {("C1", "missing", "C1")}
    assert report.findings[0]["message"] == (
        "No release plan: release from custody on 15/04/2013; the plan was due by 28/03/2013."
    )


def test_future_release_with_an_early_plan_is_relevant_and_passes(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [custody("C1", "2013-09-02"), custody("C2", "2013-09-02")],
            "plans": [plan("C1", "2013-03-01")],
        },
        as_of="2013-03-18",
    )
    assert report.relevant == {"C1"}
    assert report.findings == []


def test_needs_a_custody_case_with_a_release_date(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                custody("C1", None),
                custody("Y1", "2013-02-01", disposal_type="community"),
            ],
            "plans": [],
        },
        as_of="2013-03-18",
    )
    assert report.relevant == set()
    assert report.findings == []


def test_other_plan_kinds_do_not_count(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {"cases": [custody("C1", "2013-02-15")], "plans": [plan("C1", "2013-01-20", "custody")]},
        as_of="2013-03-18",
    )
    assert report.reasons() == {("C1", "missing")}


def test_lead_parameter(sqs_run_check):
    # 5 working days before Monday 15/04/2013 is Monday 08/04/2013.
    report = sqs_run_check(
        CHECK,
        {"cases": [custody("C1", "2013-04-15")], "plans": [plan("C1", "2013-04-02")]},
        as_of="2013-05-01",
        params={"lead": 5},
    )
    assert report.findings == []


def test_skipped_without_release_date_column(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {"cases": [{"case_id": "C1", "start_date": "2013-01-07"}], "plans": []},
        as_of="2013-03-18",
    )
    assert report.status == "skipped"
    assert "release_date" in report.reason
