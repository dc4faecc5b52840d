"""Local checks written in SQL: listed, explained, run, reported, parameters bound safely."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sqs_checks.cli import cli
from sqs_checks.sql_checks import LocalSqlCheck, load_sql_check
from sqs_checks.testing import assert_report, make_export, run_check

STALE = """/*
id: reoffending.local_stale
title: Latest assessment no older than max_age months
severity: low
params:
  max_age: 6
  label: {default: "x", type: str, doc: a text parameter}
needs:
  assessments: [completed_date]
reasons:
  stale: the latest completed assessment is older than max_age months
*/
-- setup:
CREATE TEMP TABLE _t_latest AS
SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY case_id
                ORDER BY completed_date DESC, assessment_id DESC) AS rn FROM assessments)
WHERE rn = 1;
-- relevant:
SELECT case_id FROM _t_latest WHERE $label = $label;
-- findings:
SELECT case_id, 'stale' AS reason, 'assessments' AS record_table, assessment_id AS record_id,
       printf('Latest assessment %s is stale (%s).', uk(completed_date), $label) AS message
FROM _t_latest WHERE completed_date < add_months($as_of, -$max_age);
"""

TABLES = {
    "cases": [
        {"case_id": "C1", "start_date": "2012-01-09"},
        {"case_id": "C2", "start_date": "2012-01-09"},
        {"case_id": "C3", "start_date": "2012-01-09"},
    ],
    "assessments": [
        {"case_id": "C1", "kind": "reoffending", "stage": "review", "completed_date": "2013-01-14"},
        {
            "case_id": "C2",
            "kind": "reoffending",
            "stage": "initial",
            "completed_date": "2012-02-01",
        },
    ],
}


def plugins(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_header_becomes_check_metadata(tmp_path):
    check = load_sql_check(plugins(tmp_path, **{"stale.sql": STALE}) / "stale.sql")
    assert isinstance(check, LocalSqlCheck)
    assert (check.id, check.area, check.severity) == (
        "reoffending.local_stale",
        "reoffending",
        "low",
    )
    assert check.defaults == {"max_age": 6, "label": "x"}
    assert check.needs == {"assessments": ["completed_date"]}
    assert len(check.setup_sql) == 1 and "$max_age" in check.findings_sql


def test_sql_check_runs_with_bound_parameters(tmp_path):
    folder = plugins(tmp_path, **{"stale.sql": STALE})
    report = run_check(
        "reoffending.local_stale",
        TABLES,
        as_of="2013-03-18",
        plugins_dirs=[folder],
        folder=tmp_path / "e1",
    )
    assert_report(
        report,
        relevant={"C1", "C2"},
        findings=[{"case_id": "C2", "reason": "stale", "record_id": "A2"}],
    )
    assert report.findings[0]["message"] == "Latest assessment 01/02/2012 is stale (x)."
    hostile = "x'); DROP TABLE findings; --"
    report = run_check(
        "reoffending.local_stale",
        TABLES,
        as_of="2013-03-18",
        params={"max_age": 18, "label": hostile},
        plugins_dirs=[folder],
        folder=tmp_path / "e2",
    )
    assert_report(report, relevant={"C1", "C2"}, findings=[])


def test_minimal_file_gets_defaults(tmp_path):
    folder = plugins(
        tmp_path,
        **{
            "bare.sql": (
                "/*\nid: data.no_team\ntitle: Team recorded\n"
                "reasons: {no_team: no team is recorded}\n*/\n"
                "SELECT case_id FROM cases WHERE team IS NULL;\n"
            )
        },
    )
    tables = {
        "cases": [
            {"case_id": "C1", "start_date": "2013-01-07", "team": ""},
            {"case_id": "C2", "start_date": "2013-01-07"},
        ]
    }
    report = run_check(
        "data.no_team", tables, as_of="2013-03-18", plugins_dirs=[folder], folder=tmp_path / "e"
    )
    assert_report(
        report,
        relevant={"C1", "C2"},
        findings=[
            {
                "case_id": "C1",
                "reason": "no_team",
                "record_table": "cases",
                "record_id": "C1",
                "message": "no team is recorded",
            }
        ],
    )


def test_listed_explained_and_reported_by_the_cli(tmp_path):
    folder = plugins(tmp_path, **{"stale.sql": STALE})
    export = make_export(tmp_path / "export", TABLES)
    runner = CliRunner()
    listed = runner.invoke(cli, ["checks", "--plugins-dir", str(folder)])
    assert listed.exit_code == 0 and "reoffending.local_stale" in listed.output
    explained = runner.invoke(
        cli, ["explain", "reoffending.local_stale", "--plugins-dir", str(folder)]
    )
    assert explained.exit_code == 0
    assert "max_age = 6" in explained.output and "stale:" in explained.output
    out = tmp_path / "out"
    ran = runner.invoke(
        cli,
        [
            "run",
            str(export),
            "--as-of",
            "2013-03-18",
            "--plugins-dir",
            str(folder),
            "-o",
            str(out),
            "-q",
        ],
    )
    assert ran.exit_code == 0, ran.output
    data = json.loads((out / "findings.json").read_text())
    entry = next(c for c in data["checks"] if c["id"] == "reoffending.local_stale")
    assert (entry["status"], entry["relevant"], entry["flagged"]) == ("ran", 2, 1)
    assert any(
        f["check_id"] == "reoffending.local_stale" and f["case_id"] == "C2"
        for f in data["findings"]
    )


def test_unreadable_file_is_a_named_plugin_failure(tmp_path):
    folder = plugins(tmp_path, **{"nohead.sql": "SELECT 1;\n", "stale.sql": STALE})
    result = CliRunner().invoke(cli, ["checks", "--plugins-dir", str(folder)])
    assert result.exit_code == 0
    assert "reoffending.local_stale" in result.output
    assert "nohead" in result.output and "header" in result.output
