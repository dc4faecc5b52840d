"""SPEC §5 (v2) partial inputs: a check judges what the export lets it judge, and says so.

Each test shows the check on an export lacking some input: the reasons it can
still judge give their findings, and its status (``partial`` or ``skipped``)
names what it could not judge.
"""

from __future__ import annotations

AS_OF = "2013-03-18"
MANAGER = "Pat Manager"


def case(case_id: str, **extra):
    return {"case_id": case_id, "start_date": "2013-01-07", **extra}


def initial(case_id: str, **extra):
    return {
        "case_id": case_id,
        "kind": "reoffending",
        "stage": "initial",
        "completed_date": "2013-01-31",
        "author": "Alex Smith",
        **extra,
    }


def plan(case_id: str, kind: str = "risk_management", **extra):
    return {
        "case_id": case_id,
        "kind": kind,
        "created_date": "2013-01-31",
        "author": "Alex Smith",
        **extra,
    }


# --- oversight.sign_off -------------------------------------------------------------------


def test_sign_off_when_only_plans_carry_the_sign_off_columns(sqs_run_check):
    """The v1 binder error: assessments without signed_off_by, plans with it."""
    report = sqs_run_check(
        "oversight.sign_off",
        {
            "cases": [case("C1"), case("C2"), case("C3")],
            "assessments": [initial("C1")],
            "plans": [
                plan("C1", signed_off_by="", signed_off_date=""),
                plan("C2", signed_off_by="Alex Smith", signed_off_date="2013-02-01"),
                plan("C3", signed_off_by=MANAGER, signed_off_date="2013-02-20"),
            ],
        },
        as_of=AS_OF,
    )
    assert report.status == "partial"
    assert (
        report.reason == "assessments not judged: the assessments table has no signed_off_by column"
    )
    assert report.reasons() == {("C1", "missing"), ("C2", "self_sign_off"), ("C3", "late")}
    assert all(f["record_table"] == "plans" for f in report.findings)


def test_sign_off_names_a_table_without_signed_off_by_and_one_without_dates(sqs_run_check):
    report = sqs_run_check(
        "oversight.sign_off",
        {
            "cases": [case("C1"), case("C2")],
            "assessments": [
                initial("C1", signed_off_by=""),
                initial("C2", signed_off_by="Alex Smith"),
            ],
            "plans": [plan("C1")],
        },
        as_of=AS_OF,
    )
    assert report.status == "partial"
    assert report.reason == (
        "late and before_completion not judged for assessments: the assessments table has no "
        "signed_off_date column; plans not judged: the plans table has no signed_off_by column"
    )
    assert report.reasons() == {("C1", "missing"), ("C2", "self_sign_off")}


def test_sign_off_without_any_sign_off_column_is_skipped(sqs_run_check):
    report = sqs_run_check(
        "oversight.sign_off",
        {"cases": [case("C1")], "assessments": [initial("C1")], "plans": [plan("C1")]},
        as_of=AS_OF,
    )
    assert report.status == "skipped"
    assert "assessments not judged" in report.reason and "plans not judged" in report.reason


def test_an_empty_staff_table_counts_as_absent(sqs_run_check):
    tables = {
        "cases": [case("C1")],
        "assessments": [
            initial("C1", signed_off_by="Someone Else", signed_off_date="2013-02-01"),
        ],
        "plans": [plan("C1", signed_off_by=MANAGER, signed_off_date="2013-02-01")],
    }
    empty = sqs_run_check("oversight.sign_off", {**tables, "staff": []}, as_of=AS_OF)
    assert empty.status == "ran" and empty.findings == []
    listed = sqs_run_check(
        "oversight.sign_off",
        {**tables, "staff": [{"name": MANAGER, "role": "practice_manager"}]},
        as_of=AS_OF,
    )
    assert listed.reasons() == {("C1", "not_a_manager")}


# --- oversight.ineffective_sign_off ----------------------------------------------------------


def test_ineffective_sign_off_partial_when_contingency_cannot_be_judged(sqs_run_check):
    report = sqs_run_check(
        "oversight.ineffective_sign_off",
        {
            "cases": [case("C1")],
            "assessments": [
                {
                    "case_id": "C1",
                    "kind": "rosh",
                    "stage": "initial",
                    "completed_date": "2013-01-31",
                    "level": "",
                    "author": "Alex Smith",
                    "narrative": "short",
                    "signed_off_by": MANAGER,
                    "signed_off_date": "2013-02-01",
                }
            ],
            "plans": [plan("C1", signed_off_by=MANAGER, signed_off_date="2013-02-01")],
        },
        as_of=AS_OF,
    )
    assert report.status == "partial"
    assert (
        "sign-offs of public.risk_management_plan (no_contingency) not judged: "
        "public.risk_management_plan could not judge no_contingency"
    ) in report.reason
    assert report.reasons() == {("C1", "signed_off_deficient")}
    assert report.findings[0]["evidence"]["checks"] == ["public.rosh_assessment"]


# --- the review families -----------------------------------------------------------------


def test_plan_review_without_events_judges_overdue_and_late(sqs_run_check):
    report = sqs_run_check(
        "reoffending.plan_review",
        {
            "cases": [case("C1")],
            "plans": [plan("C1", kind="intervention", created_date="2012-11-01")],
            "plan_reviews": [],
        },
        as_of=AS_OF,
    )
    assert report.status == "partial"
    assert report.reason == "not_reviewed_after_event not judged: the export has no events table"
    assert report.reasons() == {("C1", "overdue")}


def test_plan_review_without_plan_reviews_is_skipped(sqs_run_check):
    report = sqs_run_check(
        "public.rmp_review",
        {"cases": [case("C1")], "plans": [plan("C1")], "events": []},
        as_of=AS_OF,
    )
    assert report.status == "skipped"
    assert report.reason == "the export has no plan_reviews table"


def test_vulnerability_review_without_events_is_partial(sqs_run_check):
    report = sqs_run_check(
        "child.vulnerability_review",
        {
            "cases": [case("C1")],
            "assessments": [
                {
                    "case_id": "C1",
                    "kind": "vulnerability",
                    "stage": "initial",
                    "completed_date": "2012-10-01",
                },
                {
                    "case_id": "C1",
                    "kind": "vulnerability",
                    "stage": "review",
                    "completed_date": "2013-02-01",
                },
            ],
        },
        as_of=AS_OF,
    )
    assert report.status == "partial"
    assert report.reasons() == {("C1", "late")}


# --- sentence.involvement ----------------------------------------------------------------


def test_involvement_with_one_of_its_two_columns_judges_that_one(sqs_run_check):
    tables = {
        "cases": [case("C1"), case("C2")],
        "assessments": [
            initial("C1", child_views_recorded="no"),
            initial("C2", child_views_recorded="yes"),
        ],
    }
    report = sqs_run_check("sentence.involvement", tables, as_of=AS_OF)
    assert report.status == "partial"
    assert report.reason == (
        "carer_not_involved not judged: the assessments table has no parent_carer_involved column"
    )
    assert report.reasons() == {("C1", "child_not_involved")}
    assert report.relevant == {"C1", "C2"}
    other = sqs_run_check(
        "sentence.involvement",
        {
            "cases": [case("C1")],
            "assessments": [initial("C1", parent_carer_involved="n")],
        },
        as_of=AS_OF,
    )
    assert other.status == "partial" and other.reasons() == {("C1", "carer_not_involved")}
    neither = sqs_run_check(
        "sentence.involvement",
        {"cases": [case("C1")], "assessments": [initial("C1")]},
        as_of=AS_OF,
    )
    assert neither.status == "skipped"


# --- public.victims ----------------------------------------------------------------------


def test_victims_without_referrals_is_skipped_not_flagged(sqs_run_check):
    report = sqs_run_check(
        "public.victims",
        {"cases": [case("C1", has_identified_victim="yes")], "plans": []},
        as_of=AS_OF,
    )
    assert report.status == "skipped" and report.findings == []
    assert report.reason == "the export has no referrals table"
