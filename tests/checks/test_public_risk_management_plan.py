"""public.risk_management_plan: an RMP where rosh calls for one, on time, with contingency."""

CHECK = "public.risk_management_plan"


def case(case_id, **extra):
    """A case started on 07/01/2013."""
    return {"case_id": case_id, "start_date": "2013-01-07", **extra}


def rosh(case_id, completed, level, stage="initial", **extra):
    """A rosh assessment."""
    return {
        "case_id": case_id,
        "kind": "rosh",
        "stage": stage,
        "completed_date": completed,
        "level": level,
        **extra,
    }


def rmp(case_id, created, contingency=True, kind="risk_management", **extra):
    """A risk management plan."""
    return {
        "case_id": case_id,
        "kind": kind,
        "created_date": created,
        "has_contingency": contingency,
        **extra,
    }


def test_missing_message_as_in_the_spec(sqs_run_check):
    # Assessed HIGH on Monday 04/02/2013: 10 working days later is 18/02/2013.
    tables = {
        "cases": [case("C1")],
        "assessments": [rosh("C1", "2013-02-04", "high")],
        "plans": [],
    }
    assert sqs_run_check(CHECK, tables, as_of="2013-02-18").relevant == set()
    report = sqs_run_check(CHECK, tables, as_of="2013-02-19")
    assert report.records() == {("C1", "missing", "C1")}
    assert report.findings[0]["message"] == (
        "No risk management plan: risk of serious harm assessed HIGH on 04/02/2013, "
        "plan due by 18/02/2013."
    )


def test_on_the_deadline_day_passes_and_the_day_after_is_late(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [
                rosh("C1", "2013-02-04", "high"),
                rosh("C2", "2013-02-04", "very_high"),
            ],
            "plans": [
                rmp("C1", "2013-02-18", plan_id="ON_TIME"),
                rmp("C2", "2013-02-19", plan_id="LATE"),
            ],
        },
        as_of="2013-03-18",
    )
    assert report.relevant == {"C1", "C2"}
    assert report.records() == {("C2", "late", "LATE")}
    assert report.findings[0]["message"] == (
        "Risk management plan created late on 19/02/2013: risk of serious harm assessed "
        "VERY HIGH on 04/02/2013, plan due by 18/02/2013."
    )


def test_no_contingency_on_the_latest_plan(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2"), case("C3")],
            "assessments": [rosh(c, "2013-02-04", "high") for c in ("C1", "C2", "C3")],
            "plans": [
                rmp("C1", "2013-02-10", False, plan_id="C1_OLD"),
                rmp("C1", "2013-03-01", True, plan_id="C1_NEW"),
                rmp("C2", "2013-02-10", True, plan_id="C2_OLD"),
                rmp("C2", "2013-03-01", None, plan_id="C2_NEW"),
                rmp("C3", "2013-02-10", True, plan_id="C3_OLD"),
                rmp("C3", "2013-03-20", False, plan_id="C3_FUTURE"),
            ],
        },
        as_of="2013-03-18",
    )
    assert report.records() == {("C2", "no_contingency", "C2_NEW")}
    assert report.findings[0]["message"] == (
        "The latest risk management plan (created 01/03/2013) records no contingency "
        "arrangements; add them."
    )


def test_latest_level_decides_relevance_and_first_qualifying_level_the_deadline(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("NOW_LOW"), case("ESCALATED"), case("LOW_ONLY"), case("BLANK_LATEST")],
            "assessments": [
                rosh("NOW_LOW", "2013-01-20", "high"),
                rosh("NOW_LOW", "2013-02-20", "low", stage="review"),
                rosh("ESCALATED", "2013-01-14", "medium"),
                rosh("ESCALATED", "2013-02-20", "high", stage="review"),
                rosh("LOW_ONLY", "2013-01-20", "low"),
                rosh("BLANK_LATEST", "2013-01-14", "medium"),
                rosh("BLANK_LATEST", "2013-02-20", None, stage="review"),
            ],
            # The deadline counts from the first medium-or-above assessment:
            # 14/01/2013 + 10 working days = 28/01/2013.
            "plans": [rmp("ESCALATED", "2013-02-01"), rmp("BLANK_LATEST", "2013-01-28")],
        },
        as_of="2013-03-18",
    )
    assert report.relevant == {"ESCALATED", "BLANK_LATEST"}
    assert report.reasons() == {("ESCALATED", "late")}


def test_min_level_parameter_and_other_plan_kinds(sqs_run_check):
    tables = {
        "cases": [case("C1")],
        "assessments": [rosh("C1", "2013-02-04", "medium")],
        "plans": [rmp("C1", "2013-02-05", kind="vulnerability_management")],
    }
    assert sqs_run_check(CHECK, tables, as_of="2013-03-18").reasons() == {("C1", "missing")}
    high = sqs_run_check(CHECK, tables, as_of="2013-03-18", params={"min_level": "high"})
    assert high.relevant == set()


def test_deadline_across_easter(sqs_run_check):
    # Thursday 28/03/2013 + 10 working days is 15/04/2013.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [rosh("C1", "2013-03-28", "high"), rosh("C2", "2013-03-28", "high")],
            "plans": [rmp("C1", "2013-04-15"), rmp("C2", "2013-04-16")],
        },
        as_of="2013-05-01",
    )
    assert report.reasons() == {("C2", "late")}
