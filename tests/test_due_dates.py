"""Every finding of a rule with a deadline carries its due date (``due_date``)."""

from __future__ import annotations

import datetime as dt

import pytest

from sqs_checks.testing import make_export, run_check, run_export

DEADLINE_REASONS = {
    "missing",
    "late",
    "overdue",
    "not_reviewed_after_event",
    "victim_not_addressed",
}
"""Reasons whose rule has a deadline, in every check that raises them."""


@pytest.fixture(scope="module")
def demo_findings(tmp_path_factory):
    """Every finding of the default suite over a 120-case demo export."""
    from sqs_checks.synth import generate_export

    folder = tmp_path_factory.mktemp("demo")
    generate_export(folder, as_of=dt.date(2013, 3, 18), cases=120, seed=3)
    return run_export(folder, as_of="2013-03-18", due_within=None).findings()


def test_every_deadline_reason_has_a_due_date(demo_findings):
    """missing, late, overdue, not reviewed after an event, victim not addressed: all dated."""
    undated = [
        (f["check_id"], f["reason"])
        for f in demo_findings
        if f["reason"] in DEADLINE_REASONS and f["due_date"] is None
    ]
    assert undated == []
    reasons = {f["reason"] for f in demo_findings if f["due_date"] is not None}
    assert {"overdue", "not_reviewed_after_event", "missing", "late"} <= reasons


def test_reasons_without_a_deadline_have_none(demo_findings):
    """A copied assessment or an unrecorded MAPPA level has no due date."""
    dated = {
        f["reason"]
        for f in demo_findings
        if f["reason"] in ("copied", "level_not_recorded", "record_excluded") and f["due_date"]
    }
    assert dated == set()


def test_review_due_dates_are_the_review_deadlines(tmp_path):
    """overdue: add_months(last, interval); not reviewed after an event: wd_add(event, 10)."""
    tables = {
        "cases": [{"case_id": "C1", "start_date": "2012-06-04"}],
        "assessments": [
            {
                "case_id": "C1",
                "kind": "reoffending",
                "stage": "initial",
                "completed_date": "2012-10-15",
            },
        ],
        "events": [{"case_id": "C1", "event_date": "2012-11-01", "kind": "arrest"}],
    }
    report = run_check("reoffending.assessment_review", tables, as_of="2013-03-18", folder=tmp_path)
    due = {f["reason"]: f["due_date"] for f in report.findings}
    assert due == {
        "overdue": dt.date(2013, 1, 15),
        "not_reviewed_after_event": dt.date(2012, 11, 15),
    }


def test_court_report_due_dates(tmp_path):
    """A late report is due on its court date; its quality assurance by its submission."""
    tables = {
        "cases": [{"case_id": "C1", "start_date": "2013-01-07"}],
        "court_reports": [
            {
                "case_id": "C1",
                "report_id": "R1",
                "court_date": "2013-02-04",
                "submitted_date": "2013-02-06",
                "quality_assured_by": "",
            },
        ],
        "assessments": [],
    }
    report = run_check("reoffending.court_report", tables, as_of="2013-03-18", folder=tmp_path)
    due = {f["reason"]: f["due_date"] for f in report.findings}
    assert due["late"] == dt.date(2013, 2, 4)
    assert due["no_quality_assurance"] == dt.date(2013, 2, 6)


def test_a_check_may_return_its_own_due_date(tmp_path):
    """A local SQL check returning due_date keeps it; without one its evidence's deadline."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "own_due.sql").write_text(
        "/*\nid: local.own_due\ntitle: Own due date\narea: sentence\n"
        "reasons: {late: late}\n*/\n"
        "SELECT case_id, 'late' AS reason, 'cases' AS record_table, case_id AS record_id, "
        "'x' AS message, DATE '2013-01-02' AS due_date, "
        "json_object('deadline', DATE '2013-01-01') AS evidence FROM scope_cases",
        encoding="utf-8",
    )
    export = make_export(
        tmp_path / "export", {"cases": [{"case_id": "C1", "start_date": "2013-01-07"}]}
    )
    result = run_export(
        export,
        as_of="2013-03-18",
        checks=["local.own_due"],
        plugins_dirs=[plugins],
        due_within=None,
    )
    assert [f["due_date"] for f in result.findings()] == [dt.date(2013, 1, 2)]
