"""public.victims: a victim safety plan or victim liaison referral by wd_add(start_date, due)."""

CHECK = "public.victims"


def case(case_id, victim=True, **extra):
    """A case started on Monday 07/01/2013 (deadline 28/01/2013)."""
    return {
        "case_id": case_id,
        "start_date": "2013-01-07",
        "has_identified_victim": victim,
        **extra,
    }


def vplan(case_id, created, kind="victim_safety", **extra):
    """A victim safety plan."""
    return {"case_id": case_id, "kind": kind, "created_date": created, **extra}


def referral(case_id, dated, kind="victim_liaison", **extra):
    """A victim liaison referral."""
    return {"case_id": case_id, "kind": kind, "referral_date": dated, **extra}


def test_plan_or_referral_on_the_deadline_day_passes(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2"), case("C3"), case("C4")],
            "plans": [vplan("C1", "2013-01-28"), vplan("C3", "2013-01-29", plan_id="P_C3")],
            "referrals": [
                referral("C2", "2013-01-28"),
                referral("C4", "2013-01-29", referral_id="F4"),
            ],
        },
        as_of="2013-03-18",
    )
    assert report.relevant == {"C1", "C2", "C3", "C4"}
    assert report.records() == {("C3", "late", "P_C3"), ("C4", "late", "F4")}
    messages = {f["record_id"]: f["message"] for f in report.findings}
    assert messages["F4"] == (
        "Victim liaison referral made late on 29/01/2013; a victim safety plan or victim "
        "liaison referral was due by 28/01/2013 (the case started on 07/01/2013)."
    )
    assert messages["P_C3"].startswith("Victim safety plan created late on 29/01/2013;")


def test_victim_not_addressed(sqs_run_check):
    tables = {
        "cases": [case("C1")],
        "plans": [vplan("C1", "2013-01-10", kind="risk_management")],
        "referrals": [referral("C1", "2013-01-10", kind="mappa")],
    }
    assert sqs_run_check(CHECK, tables, as_of="2013-01-28").relevant == set()
    report = sqs_run_check(CHECK, tables, as_of="2013-01-29")
    assert report.records() == {("C1", "victim_not_addressed", "C1")}
    assert report.findings[0]["message"] == (
        "Identified victim not addressed: no victim safety plan and no victim liaison referral; "
        "one was due by 28/01/2013 (the case started on 07/01/2013)."
    )


def test_the_first_of_plan_and_referral_decides(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "plans": [vplan("C1", "2013-02-10"), vplan("C2", "2013-01-25")],
            "referrals": [referral("C1", "2013-01-25"), referral("C2", "2013-02-10")],
        },
        as_of="2013-03-18",
    )
    assert report.relevant == {"C1", "C2"}
    assert report.findings == []


def test_only_cases_with_an_identified_victim(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {"cases": [case("C1", False), case("C2", None)], "plans": [], "referrals": []},
        as_of="2013-03-18",
    )
    assert report.relevant == set()


def test_records_after_as_of_are_ignored(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "plans": [vplan("C1", "2013-03-20")],
            "referrals": [referral("C1", "2013-03-19")],
        },
        as_of="2013-03-18",
    )
    assert report.reasons() == {("C1", "victim_not_addressed")}


def test_skipped_without_a_referrals_table(sqs_run_check):
    report = sqs_run_check(CHECK, {"cases": [case("C1")], "plans": []}, as_of="2013-03-18")
    assert report.status == "skipped"
    assert "referrals" in report.reason
