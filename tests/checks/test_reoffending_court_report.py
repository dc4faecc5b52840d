"""reoffending.court_report: pre-sentence reports late, not quality assured, on old assessments."""

from __future__ import annotations

import pytest

CHECK = "reoffending.court_report"
AS_OF = "2013-03-18"


def case(case_id: str, child: str | None = None):
    """An open community case (child K-<case_id> unless told)."""
    row = {"case_id": case_id, "start_date": "2012-06-04"}
    if child:
        row["child_id"] = child
    return row


def psr(
    case_id,
    *,
    court="2013-02-10",
    submitted="2013-02-05",
    qa_by="Pat Jones",
    qa_date="2013-02-04",
    basis=None,
    kind="psr",
):
    """A court report, by default on time and quality assured the day before submission."""
    return {
        "report_id": f"R_{case_id}",
        "case_id": case_id,
        "kind": kind,
        "court_date": court,
        "submitted_date": submitted,
        "quality_assured_by": qa_by,
        "quality_assured_date": qa_date,
        "assessment_id": basis,
    }


def reoffending(case_id, completed, assessment_id=None, kind="reoffending"):
    """A completed assessment (reoffending unless told)."""
    return {
        "assessment_id": assessment_id or f"A_{case_id}",
        "case_id": case_id,
        "kind": kind,
        "stage": "review",
        "completed_date": completed,
    }


RECENT = "2013-01-20"  # within 3 months of the default submission, 05/02/2013

SCENARIOS = {
    # case id: (reports, assessments, extra cases)
    "OK": ([psr("OK", basis="A_OK")], [reoffending("OK", RECENT)]),
    "LATE": ([psr("LATE", submitted="2013-02-12")], [reoffending("LATE", RECENT)]),
    "UNSUBMITTED": (
        [psr("UNSUBMITTED", court="2013-03-01", submitted=None, qa_by=None, qa_date=None)],
        [],
    ),
    "NOT_DUE": ([psr("NOT_DUE", court="2013-04-01", submitted=None, qa_by=None, qa_date=None)], []),
    "SUBMITTED_LATER": (
        [psr("SUBMITTED_LATER", court="2013-04-01", submitted="2013-03-25", qa_date="2013-03-22")],
        [],
    ),
    "ON_COURT_DAY": (
        [psr("ON_COURT_DAY", submitted="2013-02-10")],
        [reoffending("ON_COURT_DAY", RECENT)],
    ),
    "OTHER_KIND": ([psr("OTHER_KIND", kind="other", submitted="2013-02-12", qa_by=None)], []),
    "NO_QA": ([psr("NO_QA", qa_by=None, qa_date=None)], [reoffending("NO_QA", RECENT)]),
    "QA_AFTER_SUBMISSION": (
        [psr("QA_AFTER_SUBMISSION", qa_date="2013-02-06")],
        [reoffending("QA_AFTER_SUBMISSION", RECENT)],
    ),
    "QA_AFTER_AS_OF": (
        [psr("QA_AFTER_AS_OF", court="2013-03-25", submitted="2013-03-10", qa_date="2013-03-20")],
        [reoffending("QA_AFTER_AS_OF", "2013-03-01")],
    ),
    "QA_UNDATED": ([psr("QA_UNDATED", qa_date=None)], [reoffending("QA_UNDATED", RECENT)]),
    "EXACTLY_3_MONTHS": (
        [psr("EXACTLY_3_MONTHS", basis="A_EXACTLY_3_MONTHS")],
        [reoffending("EXACTLY_3_MONTHS", "2012-11-05")],
    ),
    "ONE_DAY_OLDER": (
        [psr("ONE_DAY_OLDER", basis="A_ONE_DAY_OLDER")],
        [reoffending("ONE_DAY_OLDER", "2012-11-04")],
    ),
    "MONTH_END": (
        [psr("MONTH_END", court="2013-01-02", submitted="2012-12-31", qa_date="2012-12-31")],
        [reoffending("MONTH_END", "2012-09-30")],
    ),
    "MONTH_END_OLD": (
        [psr("MONTH_END_OLD", court="2013-01-02", submitted="2012-12-31", qa_date="2012-12-31")],
        [reoffending("MONTH_END_OLD", "2012-09-29")],
    ),
    "NAMED_NOTHING": (
        [psr("NAMED_NOTHING", basis="NO_SUCH_ASSESSMENT")],
        [reoffending("NAMED_NOTHING", RECENT)],
    ),
    "NAMED_OLD": (
        [psr("NAMED_OLD", basis="NAMED_OLD_1")],
        [
            reoffending("NAMED_OLD", "2012-08-01", "NAMED_OLD_1"),
            reoffending("NAMED_OLD", RECENT, "NAMED_OLD_2"),
        ],
    ),
    "NAMED_OTHER_CHILD": (
        [psr("NAMED_OTHER_CHILD", basis="A_OK")],
        [reoffending("NAMED_OTHER_CHILD", "2012-08-01")],
    ),
    "NAMED_ROSH": (
        [psr("NAMED_ROSH", basis="NAMED_ROSH_R")],
        [
            reoffending("NAMED_ROSH", RECENT, "NAMED_ROSH_R", kind="rosh"),
            reoffending("NAMED_ROSH", "2012-08-01"),
        ],
    ),
    "NAMED_AFTER": (
        [psr("NAMED_AFTER", basis="NAMED_AFTER_2")],
        [
            reoffending("NAMED_AFTER", "2012-08-01", "NAMED_AFTER_1"),
            reoffending("NAMED_AFTER", "2013-02-07", "NAMED_AFTER_2"),
        ],
    ),
    "NO_BASIS": ([psr("NO_BASIS")], []),
    "SIBLING_CASE": ([psr("SIBLING_CASE")], [reoffending("SIBLING_EARLIER", RECENT)]),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from sqs_checks.testing import run_check

    cases = [case(cid) for cid in SCENARIOS]
    cases.append(case("SIBLING_EARLIER", child="K-SIBLING_CASE"))
    reports = [r for rs, _ in SCENARIOS.values() for r in rs]
    assessments = [a for _, assess in SCENARIOS.values() for a in assess]
    return run_check(
        CHECK,
        {"cases": cases, "court_reports": reports, "assessments": assessments},
        as_of=AS_OF,
        folder=tmp_path_factory.mktemp("court_report"),
    )


def reasons_of(report, case_id):
    """The reason codes raised on one case."""
    return {reason for cid, reason in report.reasons() if cid == case_id}


def test_relevant_when_submitted_or_court_date_passed(report):
    assert report.status == "ran"
    assert report.relevant == set(SCENARIOS) - {"NOT_DUE", "SUBMITTED_LATER", "OTHER_KIND"}


def test_a_report_on_time_with_qa_and_a_recent_basis_passes(report):
    for case_id in ("OK", "ON_COURT_DAY", "QA_UNDATED", "SIBLING_CASE", "NAMED_NOTHING"):
        assert reasons_of(report, case_id) == set(), case_id


def test_late_when_submitted_after_court_or_never(report):
    assert reasons_of(report, "LATE") == {"late"}
    assert reasons_of(report, "UNSUBMITTED") == {"late"}  # unsubmitted: only late is judged
    messages = {f["case_id"]: f["message"] for f in report.findings}
    assert messages["UNSUBMITTED"] == (
        "Pre-sentence report for the court date of 01/03/2013 has not been submitted."
    )
    assert messages["LATE"].startswith(
        "Pre-sentence report submitted on 12/02/2013, after the court date of 10/02/2013"
    )


def test_no_quality_assurance(report):
    assert reasons_of(report, "NO_QA") == {"no_quality_assurance"}
    assert reasons_of(report, "QA_AFTER_SUBMISSION") == {"no_quality_assurance"}


def test_quality_assurance_dated_after_as_of_has_not_happened(report):
    assert reasons_of(report, "QA_AFTER_AS_OF") == {"no_quality_assurance"}
    finding = next(f for f in report.findings if f["case_id"] == "QA_AFTER_AS_OF")
    assert "without quality assurance" in finding["message"]


def test_basis_exactly_max_age_months_old_is_not_old(report):
    assert reasons_of(report, "EXACTLY_3_MONTHS") == set()
    assert reasons_of(report, "MONTH_END") == set()  # 31/12 less 3 months is 30/09


def test_basis_one_day_older_is_old(report):
    assert report.records() >= {
        ("ONE_DAY_OLDER", "old_assessment", "R_ONE_DAY_OLDER"),
        ("MONTH_END_OLD", "old_assessment", "R_MONTH_END_OLD"),
    }
    finding = next(f for f in report.findings if f["case_id"] == "ONE_DAY_OLDER")
    assert finding["message"] == (
        "Pre-sentence report submitted on 05/02/2013 was based on an assessment of the "
        "likelihood of reoffending completed on 04/11/2012 (A_ONE_DAY_OLDER), more than 3 "
        "months earlier; update the assessment before writing the report."
    )


def test_named_assessment_wins_when_valid(report):
    assert reasons_of(report, "NAMED_OLD") == {"old_assessment"}
    finding = next(f for f in report.findings if f["case_id"] == "NAMED_OLD")
    assert finding["evidence"]["basis_id"] == "NAMED_OLD_1"
    assert finding["evidence"]["basis_named_by_report"] is True


def test_basis_falls_back_to_the_childs_latest(report):
    # an id naming no assessment, another child's, a rosh one, one completed after submission
    assert reasons_of(report, "NAMED_NOTHING") == set()
    for case_id in ("NAMED_OTHER_CHILD", "NAMED_ROSH", "NAMED_AFTER"):
        assert reasons_of(report, case_id) == {"old_assessment"}, case_id
        finding = next(f for f in report.findings if f["case_id"] == case_id)
        assert finding["evidence"]["basis_named_by_report"] is False
        assert finding["evidence"]["basis_completed"] == "2012-08-01"


def test_no_assessment_at_all_is_no_assessment(report):
    # SPEC §5 (v2): no reoffending assessment before submission is no_assessment
    assert reasons_of(report, "NO_BASIS") == {"no_assessment"}
    finding = next(f for f in report.findings if f["case_id"] == "NO_BASIS")
    assert "not based on any assessment" in finding["message"]


def test_max_age_parameter(sqs_run_check):
    tables = {
        "cases": [case("C1")],
        "court_reports": [psr("C1")],
        "assessments": [reoffending("C1", "2012-11-04")],
    }
    assert sqs_run_check(CHECK, tables, as_of=AS_OF).reasons() == {("C1", "old_assessment")}
    assert sqs_run_check(CHECK, tables, as_of=AS_OF, params={"max_age": 4}).reasons() == set()


def test_runs_without_the_optional_qa_date_and_assessment_id(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "court_reports": [
                {
                    "case_id": "C1",
                    "court_date": "2013-02-10",
                    "submitted_date": "2013-02-05",
                    "quality_assured_by": "Pat Jones",
                }
            ],
            "assessments": [reoffending("C1", RECENT)],
        },
        as_of=AS_OF,
    )
    assert report.status == "ran"
    assert report.relevant == {"C1"} and report.findings == []


def test_partial_without_quality_assurance_column(sqs_run_check):
    # SPEC §5 (v2): the other reasons are still judged
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1"), case("C2")],
            "court_reports": [
                {"case_id": "C1", "court_date": "2013-02-10", "submitted_date": "2013-02-05"},
                {"case_id": "C2", "court_date": "2013-02-10", "submitted_date": "2013-02-12"},
            ],
            "assessments": [reoffending("C1", RECENT)],
        },
        as_of=AS_OF,
    )
    assert report.status == "partial"
    assert report.reason == (
        "no_quality_assurance not judged: the court_reports table has no quality_assured_by column"
    )
    assert report.reasons() == {("C2", "late"), ("C2", "no_assessment")}


def test_without_court_date_only_submitted_reports_are_judged(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("SUB"), case("UNSUB")],
            "court_reports": [
                {"case_id": "SUB", "submitted_date": "2013-02-05", "quality_assured_by": "Mo"},
                {"case_id": "UNSUB", "quality_assured_by": "Mo"},
            ],
            "assessments": [reoffending("SUB", RECENT)],
        },
        as_of=AS_OF,
    )
    assert report.status == "partial"
    assert report.reason == "late not judged: the court_reports table has no court_date column"
    assert report.relevant == {"SUB"} and report.findings == []


def test_skipped_without_submitted_date(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {"cases": [case("C1")], "court_reports": [{"case_id": "C1", "court_date": "2013-02-10"}]},
        as_of=AS_OF,
    )
    assert report.status == "skipped"
    assert report.reason == "the court_reports table has no submitted_date column"


def test_partial_without_assessments(sqs_run_check):
    report = sqs_run_check(
        CHECK,
        {
            "cases": [case("C1")],
            "court_reports": [
                {
                    "case_id": "C1",
                    "court_date": "2013-02-10",
                    "submitted_date": "2013-02-05",
                    "quality_assured_by": "",
                }
            ],
        },
        as_of=AS_OF,
    )
    assert report.status == "partial"
    assert report.reason == (
        "no_assessment and old_assessment not judged: the export has no assessments table"
    )
    assert report.reasons() == {("C1", "no_quality_assurance")}
