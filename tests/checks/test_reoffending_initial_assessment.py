"""reoffending.initial_assessment: the first initial reoffending assessment by the deadline."""

CHECK = "reoffending.initial_assessment"


def case(case_id, start="2013-01-07", **extra):
    """A case (community order unless told)."""
    return {"case_id": case_id, "start_date": start, **extra}


def assessment(case_id, completed, stage="initial", kind="reoffending", **extra):
    """An assessment."""
    return {"case_id": case_id, "kind": kind, "stage": stage, "completed_date": completed, **extra}


def test_on_the_deadline_day_passes_and_the_day_after_is_late(sqs_run_check):
    # 15 working days after Monday 07/01/2013 is Monday 28/01/2013.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [
                assessment("C1", "2013-01-28"),
                assessment("C2", "2013-01-29", assessment_id="LATE"),
            ],
        },
        as_of="2013-03-18",
    )
    assert report.relevant == {"C1", "C2"}
    assert report.records() == {("C2", "late", "LATE")}
    assert report.findings[0]["message"] == (
        "Initial assessment of the likelihood of reoffending completed late on 29/01/2013; "
        "it was due by 28/01/2013 (the case started on 07/01/2013)."
    )


def test_missing_once_the_deadline_has_passed(sqs_run_check):
    tables = {"cases": [case("C1")], "assessments": []}
    on_deadline = sqs_run_check(CHECK, tables, as_of="2013-01-28")
    assert on_deadline.relevant == set()
    report = sqs_run_check(CHECK, tables, as_of="2013-01-29")
    assert report.records() == {("C1", "missing", "C1")}
    assert report.findings[0]["record_table"] == "cases"
    assert report.findings[0]["message"] == (
        "No initial assessment of the likelihood of reoffending: the case started on "
        "07/01/2013; it was due by 28/01/2013."
    )


def test_referral_order_has_20_working_days(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                case("R1", disposal_type="referral_order"),
                case("R2", disposal_type="referral_order"),
                case("Y1"),
            ],
            "assessments": [
                assessment("R1", "2013-02-04"),
                assessment("R2", "2013-02-05"),
                assessment("Y1", "2013-02-04"),
            ],
        },
        as_of="2013-03-18",
    )
    assert report.reasons() == {("R2", "late"), ("Y1", "late")}


def test_deadline_across_easter(sqs_run_check):
    # Monday 25/03/2013 + 15 working days, skipping 29/03 and 01/04, is 17/04/2013.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1", "2013-03-25"), case("C2", "2013-03-25")],
            "assessments": [assessment("C1", "2013-04-17"), assessment("C2", "2013-04-18")],
        },
        as_of="2013-05-01",
    )
    assert report.reasons() == {("C2", "late")}


def test_drafts_reviews_other_kinds_and_later_assessments_do_not_count(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("DRAFT"), case("REVIEW"), case("ROSH"), case("FUTURE")],
            "assessments": [
                assessment("DRAFT", None),
                assessment("REVIEW", "2013-01-20", stage="review"),
                assessment("ROSH", "2013-01-20", kind="rosh"),
                assessment("FUTURE", "2013-03-20"),
            ],
        },
        as_of="2013-03-18",
    )
    assert report.reasons() == {
        ("DRAFT", "missing"),
        ("REVIEW", "missing"),
        ("ROSH", "missing"),
        ("FUTURE", "missing"),
    }


def test_the_first_initial_assessment_decides(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [
                assessment("C1", "2013-01-20"),
                assessment("C1", "2013-02-20"),
                assessment("C2", "2013-02-20", assessment_id="FIRST"),
                assessment("C2", "2013-02-25", assessment_id="SECOND"),
            ],
        },
        as_of="2013-03-18",
    )
    assert report.records() == {("C2", "late", "FIRST")}


def test_completed_early_is_relevant_before_the_deadline(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {"cases": [case("C1"), case("C2")], "assessments": [assessment("C1", "2013-01-10")]},
        as_of="2013-01-14",
    )
    assert report.relevant == {"C1"}
    assert report.findings == []


def test_no_level_unclear_for_the_reoffending_kind(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {"cases": [case("C1")], "assessments": [assessment("C1", "2013-01-20", level=None)]},
        as_of="2013-03-18",
    )
    assert report.findings == []
    assert "level_unclear" not in report.result.checks[0].check.reasons
