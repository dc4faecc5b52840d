"""public.court_report_rosh: submitted pre-sentence reports address the risk of harm to others."""

from __future__ import annotations

CHECK = "public.court_report_rosh"
AS_OF = "2013-03-18"


def psr(case_id, submitted, rosh_addressed, kind="psr", court="2013-03-01"):
    """A court report."""
    return {
        "report_id": f"R_{case_id}",
        "case_id": case_id,
        "kind": kind,
        "court_date": court,
        "submitted_date": submitted,
        "rosh_addressed": rosh_addressed,
    }


def test_submitted_reports_must_address_rosh(sqs_run_check):
    cases = ["YES", "NO", "BLANK", "UNSUBMITTED", "LATER", "OTHER_KIND"]
    report = sqs_run_check(
        CHECK,
        {
            "cases": [{"case_id": c, "start_date": "2013-01-07"} for c in cases],
            "court_reports": [
                psr("YES", "2013-02-05", True),
                psr("NO", "2013-02-05", False),
                psr("BLANK", "2013-02-05", None),
                psr("UNSUBMITTED", None, False),
                psr("LATER", "2013-03-25", False, court="2013-04-01"),
                psr("OTHER_KIND", "2013-02-05", False, kind="other"),
            ],
        },
        as_of=AS_OF,
    )
    assert report.status == "ran"
    assert report.relevant == {"YES", "NO", "BLANK"}
    assert report.records() == {
        ("NO", "rosh_not_addressed", "R_NO"),
        ("BLANK", "rosh_not_addressed", "R_BLANK"),
    }
    messages = {f["case_id"]: f["message"] for f in report.findings}
    assert messages["NO"] == (
        "Pre-sentence report submitted on 05/02/2013 does not address the risk of harm to "
        "others; a report must assess the risk of serious harm the child poses to others."
    )
    assert "does not record whether" in messages["BLANK"]


def test_skipped_without_rosh_addressed(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [{"case_id": "C1", "start_date": "2013-01-07"}],
            "court_reports": [{"case_id": "C1", "submitted_date": "2013-02-05"}],
        },
        as_of=AS_OF,
    )
    assert report.status == "skipped"
    assert report.reason == "the court_reports table has no rosh_addressed column"
