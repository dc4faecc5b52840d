"""public.rosh_assessment: initial rosh assessment on time, and with a level."""

CHECK = "public.rosh_assessment"


def case(case_id, start="2013-01-07", **extra):
    """A case (community order unless told)."""
    return {"case_id": case_id, "start_date": start, **extra}


def rosh(case_id, completed, stage="initial", level="medium", **extra):
    """A rosh assessment."""
    return {
        "case_id": case_id,
        "kind": "rosh",
        "stage": stage,
        "completed_date": completed,
        "level": level,
        **extra,
    }


def test_missing_and_late_as_initial_assessment(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                case("OK"),
                case("LATE"),
                case("MISSING"),
                case("RO", disposal_type="referral_order"),
            ],
            "assessments": [
                rosh("OK", "2013-01-28"),
                rosh("LATE", "2013-01-29", assessment_id="LATE_A"),
                rosh("RO", "2013-02-04"),
                {
                    "case_id": "MISSING",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "2013-01-10",
                    "level": "low",
                },
            ],
        },
        as_of="2013-03-18",
    )
    assert report.relevant == {"OK", "LATE", "MISSING", "RO"}
    assert report.records() == {("LATE", "late", "LATE_A"), ("MISSING", "missing", "MISSING")}
    messages = {f["reason"]: f["message"] for f in report.findings}
    assert messages["missing"] == (
        "No initial assessment of risk of serious harm to others: the case started on "
        "07/01/2013; it was due by 28/01/2013."
    )


def test_level_unclear_when_every_rosh_assessment_lacks_a_level(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("NONE"), case("ONE_LEVEL"), case("LATEST_BLANK")],
            "assessments": [
                rosh("NONE", "2013-01-20", level=None),
                rosh("NONE", "2013-02-20", stage="review", level=None, assessment_id="LAST"),
                rosh("ONE_LEVEL", "2013-01-20", level="high"),
                rosh("ONE_LEVEL", "2013-02-20", stage="review", level=None),
                rosh("LATEST_BLANK", "2013-01-20", level=None),
                rosh("LATEST_BLANK", "2013-02-20", stage="review", level="low"),
            ],
        },
        as_of="2013-03-18",
    )
    assert report.records() == {("NONE", "level_unclear", "LAST")}
    assert report.findings[0]["message"] == (
        "Risk of serious harm level not recorded: no rosh assessment of this case records a "
        "level (the latest was completed on 20/02/2013); record the level."
    )


def test_level_unclear_with_missing_initial_assessment(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "assessments": [
                rosh("C1", "2013-02-20", stage="review", level=None, assessment_id="REV")
            ],
        },
        as_of="2013-03-18",
    )
    assert report.records() == {("C1", "missing", "C1"), ("C1", "level_unclear", "REV")}


def test_level_unclear_not_judged_before_the_case_is_relevant(sqs_run_check):
    # Deadline 28/01/2013 not passed and no initial assessment: not relevant yet.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "assessments": [rosh("C1", "2013-01-10", stage="review", level=None)],
        },
        as_of="2013-01-20",
    )
    assert report.relevant == set()
    assert report.findings == []


def test_level_recorded_after_as_of_does_not_count(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "assessments": [
                rosh("C1", "2013-01-20", level=None, assessment_id="FIRST"),
                rosh("C1", "2013-03-20", stage="review", level="high"),
            ],
        },
        as_of="2013-03-18",
    )
    assert report.records() == {("C1", "level_unclear", "FIRST")}


def test_partial_without_a_level_column(sqs_run_check):
    # SPEC §5 (v2): without level, missing and late are judged, level_unclear is not
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [
                {
                    "case_id": "C1",
                    "kind": "rosh",
                    "stage": "initial",
                    "completed_date": "2013-01-20",
                }
            ],
        },
        as_of="2013-03-18",
    )
    assert report.status == "partial"
    assert report.reason == "level_unclear not judged: the assessments table has no level column"
    assert report.reasons() == {("C2", "missing")}
