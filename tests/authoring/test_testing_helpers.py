"""The testing helpers authors use: YAML case files, assertions, plugins."""

from __future__ import annotations

import pytest

from sqs_checks.testing import (
    CheckReport,
    assert_report,
    load_case_file,
    load_cases_yaml,
    run_check,
)


def test_run_check_reads_a_yaml_case_file(tmp_path):
    path = tmp_path / "cases.yml"
    path.write_text(
        "cases:\n  - {case_id: C1, start_date: 2013-01-07, disposal_type: community}\n"
        "assessments: []\n"
    )
    assert load_cases_yaml(path)["cases"][0]["case_id"] == "C1"
    report = run_check(
        "reoffending.initial_assessment", path, as_of="2013-03-18", folder=tmp_path / "e"
    )
    assert_report(report, relevant={"C1"}, findings=[{"case_id": "C1", "reason": "missing"}])


def test_assert_report_says_what_differed():
    report = CheckReport(
        "x.y", "ran", None, {"C1"}, [{"case_id": "C1", "reason": "late", "record_id": "A1"}]
    )
    assert_report(report, relevant=["C1"], flagged=["C1"], findings=[{"reason": "late"}])
    with pytest.raises(
        AssertionError,
        match=r"findings \(case_id, reason\) are "
        r"\[\('C1', 'late'\)\], expected \[\]",
    ):
        assert_report(report, findings=[])
    with pytest.raises(AssertionError, match="status is 'ran'"):
        assert_report(report, status="skipped")


def test_case_file_errors_name_the_scenario(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text("as_of: 2013-03-18\ntables: {}\n---\nas_of: 2013-03-18\nexpected: {}\n")
    with pytest.raises(ValueError, match="bad.yml, scenario 2: unknown key 'expected'"):
        load_case_file(path)
