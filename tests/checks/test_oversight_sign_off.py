"""oversight.sign_off: documents needing sign-off countersigned by a manager, on time."""

CHECK = "oversight.sign_off"
MANAGER = "Pat Manager"


def case(case_id, **extra):
    """A case started on 07/01/2013."""
    return {"case_id": case_id, "start_date": "2013-01-07", **extra}


def initial(case_id, signer=MANAGER, signed="2013-02-07", completed="2013-01-31", **extra):
    """An initial assessment completed Thursday 31/01/2013 (sign-off due by 07/02/2013)."""
    return {
        "case_id": case_id,
        "kind": "reoffending",
        "stage": "initial",
        "completed_date": completed,
        "author": "Alex Smith",
        "signed_off_by": signer,
        "signed_off_date": signed,
        **extra,
    }


def test_signed_on_the_deadline_day_passes_and_the_day_after_is_late(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [initial("C1"), initial("C2", signed="2013-02-08", assessment_id="LT")],
        },
        as_of="2013-03-18",
    )
    assert report.relevant == {"C1", "C2"}
    assert report.records() == {("C2", "late", "LT")}
    assert report.findings[0]["message"] == (
        "Initial likelihood of reoffending assessment completed on 31/01/2013 was signed off "
        "late on 08/02/2013 by Pat Manager; it was due by 07/02/2013."
    )


def test_missing_once_the_deadline_has_passed(sqs_run_check):
    tables = {
        "cases": [case("C1")],
        "assessments": [initial("C1", None, None, assessment_id="UNSIGNED")],
    }
    assert sqs_run_check(CHECK, tables, as_of="2013-02-07").relevant == set()
    report = sqs_run_check(CHECK, tables, as_of="2013-02-08")
    assert report.records() == {("C1", "missing", "UNSIGNED")}
    assert report.findings[0]["message"] == (
        "Initial likelihood of reoffending assessment completed on 31/01/2013 has not been "
        "signed off by a manager; sign-off was due by 07/02/2013."
    )


def test_sign_off_dated_after_as_of_has_not_happened_yet(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "assessments": [initial("C1", signed="2013-02-20", assessment_id="DOC")],
        },
        as_of="2013-02-15",
    )
    assert report.records() == {("C1", "missing", "DOC")}


def test_sign_off_without_a_date_is_never_late_nor_before_completion(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {"cases": [case("C1")], "assessments": [initial("C1", signed=None)]},
        as_of="2013-06-01",
    )
    assert report.relevant == {"C1"}
    assert report.findings == []


def test_signed_before_the_deadline_is_relevant_early(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {"cases": [case("C1")], "assessments": [initial("C1", signed="2013-02-01")]},
        as_of="2013-02-04",
    )
    assert report.relevant == {"C1"}
    assert report.findings == []


def test_self_sign_off_compares_names_trimmed_and_case_insensitively(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "assessments": [initial("C1", signer="  alex SMITH ", assessment_id="SELF")],
        },
        as_of="2013-03-18",
    )
    assert report.records() == {("C1", "self_sign_off", "SELF")}


def test_signed_before_completion(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "assessments": [initial("C1", signed="2013-01-30", assessment_id="EARLY")],
        },
        as_of="2013-03-18",
    )
    assert report.records() == {("C1", "before_completion", "EARLY")}
    assert report.findings[0]["message"] == (
        "Initial likelihood of reoffending assessment was signed off on 30/01/2013, before it "
        "was completed on 31/01/2013; check the dates and sign it off again."
    )


def test_not_a_manager_only_with_a_staff_table(sqs_run_check):
    tables = {
        "cases": [case("PM"), case("OM"), case("CM"), case("UNLISTED")],
        "assessments": [
            initial("PM", signer="pat manager"),
            initial("OM", signer="Olu Ops"),
            initial("CM", signer="Casey Worker", assessment_id="BY_CM"),
            initial("UNLISTED", signer="Nobody Known", assessment_id="BY_NOBODY"),
        ],
    }
    without_staff = sqs_run_check(CHECK, tables, as_of="2013-03-18")
    assert without_staff.findings == []
    with_staff = sqs_run_check(
        CHECK,
        {
            **tables,
            "staff": [
                {"name": " Pat Manager ", "role": "practice_manager"},
                {"name": "Olu Ops", "role": "operational_manager"},
                {"name": "Casey Worker", "role": "case_manager"},
            ],
        },
        as_of="2013-03-18",
    )
    assert with_staff.records() == {
        ("CM", "not_a_manager", "BY_CM"),
        ("UNLISTED", "not_a_manager", "BY_NOBODY"),
    }


def test_which_documents_need_sign_off(sqs_run_check):
    unsigned = {"signed_off_by": None, "signed_off_date": None, "author": "Alex Smith"}
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "assessments": [
                {
                    "case_id": "C1",
                    "assessment_id": "HIGH_REVIEW",
                    "kind": "rosh",
                    "stage": "review",
                    "completed_date": "2013-01-31",
                    "level": "high",
                    **unsigned,
                },
                {
                    "case_id": "C1",
                    "assessment_id": "LOW_REVIEW",
                    "kind": "rosh",
                    "stage": "review",
                    "completed_date": "2013-01-31",
                    "level": "low",
                    **unsigned,
                },
                {
                    "case_id": "C1",
                    "assessment_id": "DRAFT",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": None,
                    **unsigned,
                },
            ],
            "plans": [
                {
                    "case_id": "C1",
                    "plan_id": "RMP",
                    "kind": "risk_management",
                    "created_date": "2013-01-31",
                    **unsigned,
                },
                {
                    "case_id": "C1",
                    "plan_id": "VMP",
                    "kind": "vulnerability_management",
                    "created_date": "2013-01-31",
                    **unsigned,
                },
                {
                    "case_id": "C1",
                    "plan_id": "REL",
                    "kind": "release",
                    "created_date": "2013-01-31",
                    **unsigned,
                },
                {
                    "case_id": "C1",
                    "plan_id": "IP",
                    "kind": "intervention",
                    "created_date": "2013-01-31",
                    **unsigned,
                },
            ],
        },
        as_of="2013-03-18",
    )
    assert report.records() == {
        ("C1", "missing", "HIGH_REVIEW"),
        ("C1", "missing", "RMP"),
        ("C1", "missing", "VMP"),
        ("C1", "missing", "REL"),
    }
    tables = {f["record_id"]: f["record_table"] for f in report.findings}
    assert tables["RMP"] == "plans"
    assert tables["HIGH_REVIEW"] == "assessments"
    messages = {f["record_id"]: f["message"] for f in report.findings}
    assert messages["RMP"].startswith("Risk management plan completed on 31/01/2013 has not")


def test_deadline_across_easter(sqs_run_check):
    # Wednesday 27/03/2013 + 5 working days, skipping 29/03 and 01/04, is 05/04/2013.
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [
                initial("C1", completed="2013-03-27", signed="2013-04-05"),
                initial("C2", completed="2013-03-27", signed="2013-04-08"),
            ],
        },
        as_of="2013-05-01",
    )
    assert report.reasons() == {("C2", "late")}


def test_skipped_without_any_sign_off_column(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "assessments": [
                {
                    "case_id": "C1",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "2013-01-31",
                }
            ],
        },
        as_of="2013-03-18",
    )
    assert report.status == "skipped"
    assert "signed_off_by" in report.reason
