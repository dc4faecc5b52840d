"""The command line as a user meets it: help, run, outputs, exit codes, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sqs_checks.testing import make_export

PY = sys.executable
CLI = [PY, "-m", "sqs_checks.cli"]


def sqs(
    *args: str, cwd: Path | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_help_imports_nothing_heavy():
    code = (
        "import sys\nfrom sqs_checks import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('duckdb', 'polars', 'pandera', 'pandas', 'great_expectations', "
        "'pyarrow', 'openpyxl') if m in sys.modules]\nprint('HEAVY', heavy)\n"
    )
    out = subprocess.run([PY, "-c", code], capture_output=True, text=True, timeout=120).stdout
    assert "HEAVY []" in out
    assert "run" in out and "demo" in out


@pytest.fixture
def export(tmp_path):
    return make_export(
        tmp_path / "export",
        {
            "cases": [
                {
                    "case_id": "C1",
                    "start_date": "2013-01-07",
                    "case_manager": "Ann",
                    "team": "North",
                },
                {
                    "case_id": "C2",
                    "start_date": "2013-01-07",
                    "case_manager": "Bob",
                    "team": "South",
                },
                {
                    "case_id": "C3",
                    "start_date": "2013-03-11",
                    "case_manager": "Bob",
                    "team": "South",
                },
            ],
            "assessments": [
                {
                    "case_id": "C1",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "2013-01-15",
                    "signed_off_by": "Mo",
                    "signed_off_date": "2013-01-16",
                },
                {
                    "case_id": "C9",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "2013-01-15",
                },
                {
                    "case_id": "C2",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "31/02/2013",
                },
            ],
        },
    )


def test_run_writes_findings_json_per_the_contract(tmp_path, export):
    out = tmp_path / "out"
    proc = sqs("run", str(export), "--as-of", "18/03/2013", "--format", "json", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    data = json.loads((out / "findings.json").read_text())
    assert set(data) >= {"tool", "run", "input_problems", "checks", "findings"}
    assert data["tool"]["name"] == "sqs-checks"
    run = data["run"]
    assert run["as_of"] == "2013-03-18" and run["suite"] == "open-cases"
    assert run["cases_in_scope"] == 3 and len(run["export_sha256"]) == 64
    assert {(p["table"], p["row"], p["column"]) for p in data["input_problems"]} == {
        ("assessments", 3, "case_id"),
        ("assessments", 4, "completed_date"),
    }
    checks = {c["id"]: c for c in data["checks"]}
    ia = checks["reoffending.initial_assessment"]
    assert set(ia) == {
        "id",
        "area",
        "headings",
        "title",
        "severity",
        "relevant",
        "flagged",
        "status",
        "skipped_reason",
    }
    assert (ia["relevant"], ia["flagged"], ia["status"]) == (2, 1, "ran")
    assert ia["headings"] == ["reoffending"]  # a suite without a framework: the area
    keys = {
        (f["check_id"], f["case_id"], f["reason"], f["record_table"], f["record_id"])
        for f in data["findings"]
    }
    assert ("reoffending.initial_assessment", "C2", "missing", "cases", "C2") in keys
    assert ("data.record_excluded", "C2", "record_excluded", "assessments", "4") in keys
    finding = data["findings"][0]
    assert set(finding) == {
        "check_id",
        "case_id",
        "child_id",
        "case_manager",
        "team",
        "severity",
        "reason",
        "record_table",
        "record_id",
        "message",
        "evidence",
        "due_date",
        "action",
    }
    assert isinstance(finding["evidence"], dict)
    assert "Initial assessment" in proc.stdout or "initial assessment" in proc.stdout.lower()


def test_fail_on_sets_exit_code_1_only_at_or_above_the_severity(tmp_path, export):
    base = ["run", str(export), "--as-of", "2013-03-18", "-o", str(tmp_path / "o"), "-q"]
    assert sqs(*base, "--fail-on", "high").returncode == 1
    assert sqs(*base).returncode == 0
    clean = make_export(
        tmp_path / "clean",
        {"cases": [{"case_id": "C1", "start_date": "2013-03-11"}], "assessments": []},
    )
    assert (
        sqs(
            "run",
            str(clean),
            "--as-of",
            "2013-03-18",
            "-o",
            str(tmp_path / "c"),
            "-q",
            "--fail-on",
            "low",
        ).returncode
        == 0
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "/no/such/export", "-o", "x"], "does not exist"),
        (["run", "{export}", "--suite", "nope", "-o", "x"], "There is no suite called 'nope'"),
        (["run", "{export}", "--format", "pdf", "-o", "x"], "Unknown output format 'pdf'"),
        (["run", "{export}", "--as-of", "12/25/2013"], "is not a date"),
        (
            ["explain", "reoffending.initial_assesment"],
            "Did you mean reoffending.initial_assessment",
        ),
    ],
)
def test_user_errors_are_one_sentence_and_exit_2(tmp_path, export, args, message):
    proc = sqs(*[a.replace("{export}", str(export)) for a in args], cwd=tmp_path)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_missing_cases_table_names_the_fix(tmp_path):
    folder = make_export(
        tmp_path / "e", {"assessments": [{"case_id": "C1", "kind": "rosh", "stage": "initial"}]}
    )
    proc = sqs("run", str(folder), "-o", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "has no cases table" in proc.stderr and "add cases.csv" in proc.stderr


def test_listing_commands(tmp_path):
    checks = sqs("checks")
    assert checks.returncode == 0 and "reoffending.initial_assessment" in checks.stdout
    plugins = sqs("plugins")
    assert "sqs_hmip" in plugins.stdout and "sqs_checks_checks" in plugins.stdout
    suites = sqs("suites")
    assert "open-cases" in suites.stdout and "sqs-2013" in suites.stdout


def test_a_plugin_that_fails_to_import_is_named_and_skipped(tmp_path, export):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "broken.py").write_text("import not_a_module_anywhere\n")
    proc = sqs("plugins", "--plugins-dir", str(plugins))
    assert proc.returncode == 0
    assert "the plugin broken" in proc.stderr and "ModuleNotFoundError" in proc.stderr
    run = sqs(
        "run",
        str(export),
        "--as-of",
        "2013-03-18",
        "-o",
        str(tmp_path / "o"),
        "-q",
        "--plugins-dir",
        str(plugins),
    )
    assert run.returncode == 0


def test_plugins_are_never_loaded_from_the_current_directory(tmp_path, export):
    (tmp_path / "evil.py").write_text(
        "from sqs_checks.hookspecs import hookimpl\n"
        "raise SystemExit('loaded from the current directory')\n"
    )
    proc = sqs("plugins", cwd=tmp_path)
    assert proc.returncode == 0 and "evil" not in proc.stdout + proc.stderr


def test_demo_leaves_out_what_is_dropped_and_refuses_what_cannot_be(tmp_path):
    done = sqs(
        "demo",
        str(tmp_path / "d"),
        "--as-of",
        "2013-03-18",
        "--cases",
        "60",
        "--drop",
        "events",
        "--drop",
        "plans.has_contingency",
        "--empty-staff",
    )
    assert done.returncode == 0, done.stderr
    assert "checks not fully judged" in done.stdout
    assert not (tmp_path / "d" / "events.csv").exists()
    assert "has_contingency" not in (tmp_path / "d" / "plans.csv").read_text().split("\n")[0]
    assert (tmp_path / "d" / "staff.csv").read_text() == "name,role,team\n"
    truth = json.loads((tmp_path / "d" / "ground_truth.json").read_text())
    assert truth["checks"]["reoffending.assessment_review"] == "partial"
    refused = sqs("demo", str(tmp_path / "e"), "--drop", "cases.case_id")
    assert refused.returncode == 2
    assert "required column" in refused.stderr and "Traceback" not in refused.stderr
