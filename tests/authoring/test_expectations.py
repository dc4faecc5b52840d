"""Great Expectations in suites: entries, findings on cases, nothing written to $HOME."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from sqs_checks.errors import ConfigError
from sqs_checks.expectations import parse_expectations

pytest.importorskip("great_expectations")

SUITE = """name: gx-test
extend: open-cases
checks: ["data.record_excluded"]
expectations:
  cases:
    - expect_column_values_to_not_be_null: {column: team, meta: {severity: high}}
    - expect_column_values_to_not_be_null: {column: date_of_birth, mostly: 0.5}
    - expect_column_values_to_not_be_null: {column: no_such_column}
    - expect_table_row_count_to_be_between: {min_value: 10}
  offences:
    - expect_column_values_to_be_in_set: {column: category, value_set: [violence]}
  plans:
    - expect_column_values_to_not_be_null: {column: author}
"""


def test_expectation_ids_and_config_errors():
    found = parse_expectations(
        {
            "cases": [
                {"expect_column_values_to_not_be_null": {"column": "team"}},
                {"expect_column_values_to_not_be_null": {"column": "team", "mostly": 0.5}},
            ]
        }
    )
    assert [e.check_id for e in found] == [
        "data.expectation.expect_column_values_to_not_be_null.cases.team",
        "data.expectation.expect_column_values_to_not_be_null.cases.team_2",
    ]
    single = parse_expectations(
        {"cases": [{"expect_column_values_to_not_be_null": {"column": "case_manager"}}]}
    )
    assert [e.check_id for e in single] == ["data.expectation.expect_column_values_to_not_be_null"]
    with pytest.raises(ConfigError, match="not a Great Expectations expectation"):
        parse_expectations({"cases": [{"check_team": {}}]})


def test_suite_expectations_in_a_run_without_writing_home(tmp_path):
    """One subprocess run: HOME is an empty folder before and after."""
    home = tmp_path / "home"
    home.mkdir()
    export = tmp_path / "export"
    from sqs_checks.testing import make_export

    make_export(
        export,
        {
            "cases": [
                {
                    "case_id": "C1",
                    "start_date": "2013-01-07",
                    "child_id": "K1",
                    "team": "",
                    "date_of_birth": "1997-05-01",
                },
                {
                    "case_id": "C2",
                    "start_date": "2013-01-07",
                    "child_id": "K2",
                    "team": "North",
                    "date_of_birth": "",
                },
                {
                    "case_id": "C3",
                    "start_date": "2013-01-07",
                    "child_id": "K2",
                    "team": "North",
                    "date_of_birth": "",
                },
            ],
            "offences": [
                {"child_id": "K2", "offence_date": "2012-06-01", "category": "theft"},
                {"child_id": "K1", "offence_date": "2012-06-01", "category": "violence"},
            ],
        },
    )
    suite = tmp_path / "gx-test.yml"
    suite.write_text(SUITE)
    out = tmp_path / "out"
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": ""}
    env.pop("GX_ANALYTICS_ENABLED", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sqs_checks.cli",
            "run",
            str(export),
            "--as-of",
            "2013-03-18",
            "--suite",
            str(suite),
            "-o",
            str(out),
            "-q",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert list(home.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export", "gx-test.yml", "home", "out"]
    data = json.loads((out / "findings.json").read_text())
    checks = {c["id"]: c for c in data["checks"]}
    team = checks["data.expectation.expect_column_values_to_not_be_null.cases.team"]
    assert (team["status"], team["relevant"], team["flagged"], team["severity"]) == (
        "ran",
        3,
        1,
        "high",
    )
    dob = checks["data.expectation.expect_column_values_to_not_be_null.cases.date_of_birth"]
    assert (dob["relevant"], dob["flagged"]) == (3, 2)
    missing = checks["data.expectation.expect_column_values_to_not_be_null.cases.no_such_column"]
    assert missing["status"] == "skipped"
    assert missing["skipped_reason"] == "the cases table has no no_such_column column"
    rows = checks["data.expectation.expect_table_row_count_to_be_between"]
    assert (rows["status"], rows["flagged"]) == ("ran", 0)
    assert "names no rows" in rows["skipped_reason"]
    offences = checks["data.expectation.expect_column_values_to_be_in_set"]
    assert (offences["relevant"], offences["flagged"]) == (3, 2)
    author = checks["data.expectation.expect_column_values_to_not_be_null.plans.author"]
    assert author["status"] == "skipped"
    found = {
        (f["check_id"].removeprefix("data.expectation."), f["case_id"], f["record_table"])
        for f in data["findings"]
        if f["check_id"].startswith("data.expectation")
    }
    not_null = "expect_column_values_to_not_be_null.cases."
    in_set = "expect_column_values_to_be_in_set"
    assert found == {
        (not_null + "team", "C1", "cases"),
        (not_null + "date_of_birth", "C2", "cases"),
        (not_null + "date_of_birth", "C3", "cases"),
        (in_set, "C2", "offences"),
        (in_set, "C3", "offences"),
    }


def test_sqs_2013_expectations_pass_on_the_demo(tmp_path):
    synth = pytest.importorskip("sqs_checks.synth")
    from sqs_checks.testing import run_export

    as_of = dt.date(2013, 3, 18)
    synth.generate_export(tmp_path / "demo", as_of=as_of, cases=120, seed=3)
    result = run_export(tmp_path / "demo", as_of=as_of, suite="sqs-2013")
    entries = [r for r in result.checks if r.check.id.startswith("data.expectation.")]
    assert len(entries) == 7
    assert {
        (r.check.id, r.status, r.flagged) for r in entries if r.status != "ran" or r.flagged
    } == set()
