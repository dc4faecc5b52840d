"""A run that cannot judge what it was asked to says so loudly (SPEC §7, v2)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sqs_checks.cli import cli
from sqs_checks.testing import make_export

AS_OF = "2013-03-18"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["run", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def full(tmp_path: Path) -> Path:
    """An export with every table a review check reads: nothing degrades."""
    return make_export(
        tmp_path / "full",
        {
            "cases": [
                {"case_id": "C1", "start_date": "2013-01-07", "case_manager": "Zoë Whitaker"},
                {"case_id": "C2", "start_date": "2013-01-07", "case_manager": "Sam Lee"},
                {
                    "case_id": "C3",
                    "start_date": "2012-01-07",
                    "end_date": "2012-06-01",
                    "case_manager": "Old Hand",
                },
            ],
            "assessments": [
                {
                    "case_id": "C1",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "2013-01-20",
                }
            ],
            "events": [],
        },
    )


def test_an_unknown_case_manager_is_a_usage_error_naming_the_nearest(full, tmp_path):
    code, out, err = run(
        str(full), "--as-of", AS_OF, "--case-manager", "Zoe Whitaker", "-o", str(tmp_path / "o")
    )
    assert code == 2
    assert "'Zoe Whitaker'" in err and "did you mean 'Zoë Whitaker'?" in err
    assert "Traceback" not in err and not (tmp_path / "o" / "findings.json").exists()
    code, _, err = run(str(full), "--as-of", AS_OF, "--team", "Nowhere", "-o", str(tmp_path / "o"))
    assert code == 2 and "team" in err
    # a name as the export writes it (any case) selects its cases
    code, _, err = run(
        str(full), "--as-of", AS_OF, "--case-manager", "zoë whitaker", "-o", str(tmp_path / "o")
    )
    assert code == 0, err


def test_a_case_manager_with_no_case_in_scope_is_a_degraded_run(full, tmp_path):
    out_dir = tmp_path / "o"
    code, _, err = run(
        str(full), "--as-of", AS_OF, "--case-manager", "Old Hand", "-o", str(out_dir), "-q"
    )
    assert code == 0
    assert "Degraded run: No case of case manager Old Hand is in scope" in err
    data = json.loads((out_dir / "findings.json").read_text())
    assert data["run"]["degraded"][0].startswith("No case of case manager Old Hand")


def test_a_whole_run_is_not_degraded(full, tmp_path):
    out_dir = tmp_path / "o"
    code, out, err = run(
        str(full), "--as-of", AS_OF, "-o", str(out_dir), "--fail-on", "degraded", "-q"
    )
    data = json.loads((out_dir / "findings.json").read_text())
    degraded = data["run"]["degraded"]
    # the full export still lacks optional columns some checks read: each is named
    assert code == (1 if degraded else 0)
    assert all("Degraded run:" in line for line in err.splitlines() if line)


def test_an_export_that_lost_a_table_is_loud_in_every_report(tmp_path):
    export = make_export(
        tmp_path / "export",
        {
            "cases": [{"case_id": "C1", "start_date": "2012-10-01"}],
            "assessments": [
                {
                    "case_id": "C1",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "2012-10-10",
                }
            ],
        },
    )
    out_dir = tmp_path / "o"
    code, out, err = run(
        str(export),
        "--as-of",
        AS_OF,
        "-o",
        str(out_dir),
        "--format",
        "json",
        "--format",
        "html",
        "--format",
        "xlsx",
        "--format",
        "junit",
    )
    assert code == 0
    sentence = (
        "reoffending.assessment_review ran in part: not_reviewed_after_event not judged: "
        "the export has no events table."
    )
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[0].startswith("Degraded run:")  # printed first
    assert sentence in " ".join(out.split())
    data = json.loads((out_dir / "findings.json").read_text())
    assert sentence in data["run"]["degraded"]
    review = next(c for c in data["checks"] if c["id"] == "reoffending.assessment_review")
    assert review["status"] == "partial"
    assert review["skipped_reason"].startswith("not_reviewed_after_event not judged")
    html = (out_dir / "report.html").read_text()
    assert html.index('id="degraded"') < html.index('id="summary"')
    assert "the export has no events table" in html
    sheet = openpyxl.load_workbook(out_dir / "report.xlsx")["Summary"]
    top = [sheet.cell(row=r, column=1).value for r in range(1, 12)]
    assert any(v and "could not judge everything" in v for v in top)
    assert sentence in top
    assert "the export has no events table" in (out_dir / "junit.xml").read_text()
    mine = tmp_path / "mine"
    manager = data["findings"][0]["case_manager"] if data["findings"] else "Alex Smith"
    code, out, _ = run(
        str(export),
        "--as-of",
        AS_OF,
        "-o",
        str(mine),
        "--case-manager",
        manager,
        "--format",
        "xlsx",
        "--format",
        "html",
    )
    assert code == 0 and out.splitlines()[0].startswith("Degraded run:")
    first = openpyxl.load_workbook(mine / "report.xlsx").worksheets[0]  # the self-check's sheet
    assert first.title == manager
    assert first["A1"].value.startswith("This run could not judge everything")
    notes = [first.cell(row=r, column=1).value for r in range(2, 12)]
    assert sentence in notes
    self_check = (mine / "report.html").read_text()
    assert self_check.index('id="degraded"') < self_check.index('id="cases"')
    code, _, _ = run(str(export), "--as-of", AS_OF, "-o", str(out_dir), "--fail-on", "degraded")
    assert code == 1
    severities = {f["severity"] for f in data["findings"]}
    code, _, _ = run(str(export), "--as-of", AS_OF, "-o", str(out_dir), "--fail-on", "high", "-q")
    assert code == (1 if "high" in severities else 0)


def test_no_case_in_scope_is_degraded_and_counts_disposals_left_out(tmp_path):
    export = make_export(
        tmp_path / "export",
        {
            "cases": [
                {"case_id": "C1", "start_date": "2013-01-07", "disposal_type": "out_of_court"},
                {"case_id": "C2", "start_date": "2013-01-07", "disposal_type": "other"},
            ]
        },
    )
    out_dir = tmp_path / "o"
    code, _, err = run(str(export), "--as-of", AS_OF, "-o", str(out_dir), "-q")
    data = json.loads((out_dir / "findings.json").read_text())
    assert data["run"]["cases_in_scope"] == 0
    assert data["run"]["cases_out_of_scope_by_disposal"] == 2
    assert data["run"]["degraded"][0] == (
        "No case is in scope of the open-cases suite on 18/03/2013, so nothing was judged; 2 "
        "cases were left out because of their disposal (a suite's scope.disposals can take "
        "them in)."
    )
    assert "No case is in scope" in err


def test_a_plugin_check_for_a_table_the_export_lacks_is_not_degradation(full, tmp_path):
    import sqs_contacts

    from sqs_checks.plugins import reset_cache
    from sqs_checks.testing import run_export

    reset_cache()
    result = run_export(full, as_of=AS_OF, plugins=[sqs_contacts])
    compliance = next(r for r in result.checks if r.check.id == "sentence.compliance")
    assert compliance.status == "skipped"
    assert not any("sentence.compliance" in line for line in result.degraded())


def test_the_workspace_can_fail_on_degraded(tmp_path):
    from sqs_checks.workspace import settings_from_workspace

    (tmp_path / "sqs-checks.toml").write_text(
        '[export]\npath = "export"\n[run]\nfail_on_degraded = true\n', encoding="utf-8"
    )
    values = settings_from_workspace(tmp_path / "sqs-checks.toml", {})
    assert values["fail_on"] == ["degraded"]
