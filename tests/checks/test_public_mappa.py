"""public.mappa: MAPPA level recorded, and level 2 or 3 cases referred to MAPPA."""

from __future__ import annotations

CHECK = "public.mappa"
AS_OF = "2013-03-18"


def case(case_id, eligible, level):
    """An open case with its MAPPA fields."""
    return {
        "case_id": case_id,
        "start_date": "2013-01-07",
        "mappa_eligible": eligible,
        "mappa_level": level,
    }


def referral(case_id, kind="mappa", date="2013-01-20"):
    """A referral of a case."""
    return {"case_id": case_id, "kind": kind, "referral_date": date}


def test_mappa_levels_and_referrals(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [
                case("L1", True, 1),
                case("L2", True, 2),
                case("L2_REFERRED", True, 2),
                case("L3", True, 3),
                case("L3_OTHER_REFERRAL", True, 3),
                case("L3_FUTURE_REFERRAL", True, 3),
                case("UNRECORDED", True, None),
                case("NOT_ELIGIBLE", False, 2),
                case("UNKNOWN", None, None),
            ],
            "referrals": [
                referral("L2_REFERRED"),
                referral("L3_OTHER_REFERRAL", kind="victim_liaison"),
                referral("L3_FUTURE_REFERRAL", date="2013-03-20"),
            ],
        },
        as_of=AS_OF,
    )
    assert report.status == "ran"
    assert report.relevant == {
        "L1",
        "L2",
        "L2_REFERRED",
        "L3",
        "L3_OTHER_REFERRAL",
        "L3_FUTURE_REFERRAL",
        "UNRECORDED",
    }
    assert report.records() == {
        ("L2", "not_referred", "L2"),
        ("L3", "not_referred", "L3"),
        ("L3_OTHER_REFERRAL", "not_referred", "L3_OTHER_REFERRAL"),
        ("L3_FUTURE_REFERRAL", "not_referred", "L3_FUTURE_REFERRAL"),
        ("UNRECORDED", "level_not_recorded", "UNRECORDED"),
    }
    messages = {f["case_id"]: f["message"] for f in report.findings}
    assert messages["L2"] == (
        "The case is managed at MAPPA level 2 but no MAPPA referral is recorded; refer it to MAPPA."
    )
    assert messages["UNRECORDED"].startswith(
        "The case is eligible for MAPPA but no MAPPA level is recorded"
    )


def test_level_one_needs_no_referral(sqs_run_check):
    report = sqs_run_check(CHECK, {"cases": [case("L1", True, 1)], "referrals": []}, as_of=AS_OF)
    assert report.relevant == {"L1"} and report.findings == []


def test_skipped_without_mappa_columns_partial_without_referrals(sqs_run_check):
    no_columns = sqs_run_check(
        CHECK,
        {"cases": [{"case_id": "C1", "start_date": "2013-01-07"}], "referrals": []},
        as_of=AS_OF,
    )
    assert no_columns.status == "skipped"
    assert no_columns.reason == "the cases table has no mappa_eligible column"
    # SPEC §5 (v2): without referrals, level_not_recorded is still judged
    no_referrals = sqs_run_check(
        CHECK, {"cases": [case("L2", True, 2), case("NOLEVEL", True, None)]}, as_of=AS_OF
    )
    assert no_referrals.status == "partial"
    assert no_referrals.reason == "not_referred not judged: the export has no referrals table"
    assert no_referrals.reasons() == {("NOLEVEL", "level_not_recorded")}
    assert no_referrals.relevant == {"L2", "NOLEVEL"}
