"""``validate`` exits as its help says and speaks grammatically; ``run`` names near misses."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from sqs_checks.cli import cli

CASES = (
    "case_id,child_id,case_manager,disposal_type,start_date\n"
    "C1,Y1,Priya Shah,community,2013-01-07\n"
    "C2,Y2,Tom Reid,referral_order,2013-01-08\n"
)


def _export(folder: Path, cases: str = CASES, **tables: str) -> Path:
    folder.mkdir()
    (folder / "cases.csv").write_text(cases, encoding="utf-8")
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_validate_exits_0_when_everything_fits(tmp_path):
    result = _invoke("validate", str(_export(tmp_path / "e")))
    assert result.exit_code == 0, result.output
    assert "cases: 2 rows from" in result.output and "Everything fits." in result.output


def test_validate_exits_1_on_problems_and_speaks_of_one_row_and_of_many(tmp_path):
    export = _export(
        tmp_path / "e",
        plans=(
            "plan_id,case_id,kind,created_date,author\n"
            "P1,C1,intervention,2013-01-10,\n"
            "P2,C9,intervention,2013-01-11,Tom Reid\n"
            "P3,C8,intervention,2013-01-12,Tom Reid\n"
            "P4,C7,intervention,2013-01-13,Tom Reid\n"
        ),
        assessments=("assessment_id,case_id,kind,stage,author\nA1,C9,rosh,initial,Priya Shah\n"),
    )
    result = _invoke("validate", str(export))
    assert result.exit_code == 1, result.output
    out = result.output
    assert "plans: 4 rows from" in out
    assert (
        "plans.author: 1 row has a blank author; every plans row needs one: fill it in (row 2)."
        in out
    )
    assert (
        "plans.case_id: 3 rows name cases that are not in the cases table "
        "(values 'C7', 'C8', 'C9'); add the cases, or correct the case_id (rows 3, 4 and 5)."
    ) in out
    assert (
        "assessments.case_id: 1 row names a case that is not in the cases table (value 'C9')"
    ) in out
    assert "1 rows" not in out and "a author" not in out


def test_validate_suggests_a_date_format_when_the_unread_dates_share_one_form(tmp_path):
    export = _export(
        tmp_path / "e",
        cases=CASES.replace("2013-01-07", "07.01.2013").replace("2013-01-08", "08.01.2013"),
    )
    result = _invoke("validate", str(export))
    assert result.exit_code == 1
    assert (
        "cases.start_date: 2 rows have start_date values that are not dates "
        "(values '07.01.2013', '08.01.2013'); they are written like 05.03.2013: set "
        'date_format: {start_date: "%d.%m.%Y"} under tables.cases in the profile (rows 2 and 3).'
    ) in result.output


def test_validate_exits_2_when_the_export_or_the_profile_cannot_be_read(tmp_path):
    missing = _invoke("validate", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "does not exist" in missing.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    unreadable = _invoke("validate", str(broken))
    assert unreadable.exit_code == 2 and "Cannot open the workbook" in unreadable.output
    profile = tmp_path / "profile.yml"
    profile.write_text("tables: [unclosed\n", encoding="utf-8")
    bad_profile = _invoke("validate", str(_export(tmp_path / "e")), "--mapping", str(profile))
    assert bad_profile.exit_code == 2 and "is not valid YAML" in bad_profile.output
    assert "Traceback" not in missing.output + unreadable.output + bad_profile.output


def test_validate_exits_1_when_a_required_column_is_missing_and_names_the_near_miss(tmp_path):
    export = _export(tmp_path / "e", cases=CASES.replace("case_manager", "case_manger"))
    result = _invoke("validate", str(export))
    assert result.exit_code == 1
    assert (
        "has no case_manager column, which the cases table needs; `case_manger` looks like "
        "`case_manager`; map it in a profile (tables.cases.columns: {'case_manger': case_manager})."
    ) in result.output


def test_run_names_a_header_that_looks_like_an_absent_optional_column(tmp_path):
    export = _export(
        tmp_path / "e",
        assessments=(
            "assessment_id,case_id,kind,stage,author,completion_date\n"
            "A1,C1,reoffending,initial,Priya Shah,2013-01-20\n"
        ),
    )
    result = _invoke("run", str(export), "--as-of", "2013-03-18", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    hint = (
        "`completion_date` looks like `completed_date`; map it in a profile "
        "(tables.assessments.columns: {'completion_date': completed_date})."
    )
    # the hint is the first line of the degraded run's warnings, printed first
    assert " ".join(result.output.split()).startswith(f"Degraded run: {hint}")
    data = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert data["run"]["degraded"][0] == hint


def test_run_stops_on_a_missing_required_column_and_names_the_near_miss(tmp_path):
    export = _export(tmp_path / "e", cases=CASES.replace("start_date", "start_dt"))
    result = _invoke("run", str(export), "--as-of", "2013-03-18", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "`start_dt` looks like `start_date`; map it in a profile" in result.output
    assert "Traceback" not in result.output


def test_run_names_a_file_that_looks_like_an_absent_table(tmp_path):
    export = _export(
        tmp_path / "e",
        assessment=(
            "assessment_id,case_id,kind,stage,author\nA1,C1,reoffending,initial,Priya Shah\n"
        ),
    )
    result = _invoke("run", str(export), "--as-of", "2013-03-18", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())  # the terminal wraps long lines
    assert "`assessment` looks like the `assessments` table; name it in a profile" in output


def test_no_hint_when_nothing_looks_like_the_absent_column(tmp_path):
    export = _export(
        tmp_path / "e",
        assessments=(
            "assessment_id,case_id,kind,stage,author,colour\n"
            "A1,C1,reoffending,initial,Priya Shah,blue\n"
        ),
    )
    result = _invoke("run", str(export), "--as-of", "2013-03-18", "-o", str(tmp_path / "out"))
    assert "looks like" not in result.output


def test_no_hint_when_the_values_cannot_be_the_column(tmp_path):
    export = _export(
        tmp_path / "e",
        assessments=(
            "assessment_id,case_id,kind,stage,author,completion_date\n"
            "A1,C1,reoffending,initial,Priya Shah,not yet\n"
            "A2,C2,reoffending,initial,Tom Reid,pending review\n"
        ),
    )
    result = _invoke("run", str(export), "--as-of", "2013-03-18", "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "looks like" not in result.output


def test_validate_suggests_no_date_format_that_would_not_read_the_dates(tmp_path):
    export = _export(
        tmp_path / "e",
        cases=CASES.replace("2013-01-07", "31.02.2013").replace("2013-01-08", "08.01.2013"),
    )
    result = _invoke("validate", str(export))
    assert result.exit_code == 1
    assert "cases.start_date: 2 rows have start_date values that are not dates" in result.output
    assert "date_format" not in result.output
    assert "write dates as YYYY-MM-DD or DD/MM/YYYY (rows 2 and 3)." in result.output
