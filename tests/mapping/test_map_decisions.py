"""What ``sqs-checks map`` decides on small exports: right, or left open with candidates."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from sqs_checks.cli import cli

CASES = (
    "Case Ref,YP Ref,Worker,Order Type,Order Start\n"
    "C1,Y1,Priya Shah,YRO,07/01/2013\n"
    "C2,Y2,Tom Reid,Referral Order,08/01/2013\n"
    "C3,Y3,Priya Shah,DTO,09/01/2013\n"
    "C4,Y4,Tom Reid,YRO,10/01/2013\n"
)


def _export(folder: Path, **tables: str) -> Path:
    folder.mkdir()
    (folder / "Case List.csv").write_text(CASES, encoding="utf-8")
    for name, text in tables.items():
        (folder / f"{name.replace('_', ' ')}.csv").write_text(text, encoding="utf-8")
    return folder


def _map(export: Path, tmp_path: Path) -> tuple[dict, str]:
    out = tmp_path / "proposed.yml"
    result = CliRunner().invoke(cli, ["map", str(export), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    return yaml.safe_load(text), text


def test_a_hearing_date_is_the_court_date_and_gatekeeping_is_quality_assurance(tmp_path):
    export = _export(
        tmp_path / "e",
        Court_Reports=(
            "Report Ref,Case Ref,Report Type,Hearing Date,Date Gatekept,Gatekept By,Writer\n"
            "R1,C1,PSR,12/02/2013,08/02/2013,Jo Manager,Priya Shah\n"
            "R2,C2,PSR,14/02/2013,11/02/2013,Jo Manager,Tom Reid\n"
        ),
    )
    data, _ = _map(export, tmp_path)
    columns = data["tables"]["court_reports"]["columns"]
    assert columns["Hearing Date"] == "court_date"
    assert columns["Date Gatekept"] == "quality_assured_date"
    assert columns["Gatekept By"] == "quality_assured_by"


def test_two_headers_that_read_alike_are_both_left_open(tmp_path):
    export = _export(
        tmp_path / "e",
        Court_Reports=(
            "Report Ref,Case Ref,Report Type,Court Date,Hearing Date,Writer\n"
            "R1,C1,PSR,12/02/2013,12/02/2013,Priya Shah\n"
            "R2,C2,PSR,14/02/2013,15/02/2013,Tom Reid\n"
        ),
    )
    data, text = _map(export, tmp_path)
    columns = data["tables"]["court_reports"]["columns"]
    assert "Court Date" not in columns and "Hearing Date" not in columns
    assert "# open: header 'Court Date' could be court_date" in text
    assert "# open: header 'Hearing Date' could be court_date" in text


def test_a_safety_plan_is_left_open_and_a_safety_and_wellbeing_plan_is_a_vmp(tmp_path):
    export = _export(
        tmp_path / "e",
        Plans=(
            "Plan Ref,Case Ref,Plan Type,Created,Author\n"
            "P1,C1,Safety and Wellbeing Plan,10/01/2013,Priya Shah\n"
            "P2,C2,Victim Safety Plan,11/01/2013,Tom Reid\n"
            "P3,C3,Safety Plan,12/01/2013,Priya Shah\n"
            "P4,C4,Intervention Plan,13/01/2013,Tom Reid\n"
        ),
    )
    data, text = _map(export, tmp_path)
    kinds = data["tables"]["plans"]["values"]["kind"]
    assert kinds == {
        "Safety and Wellbeing Plan": "vulnerability_management",
        "Victim Safety Plan": "victim_safety",
        "Intervention Plan": "intervention",
    }
    assert "# not matched: kind value 'Safety Plan'; it could be" in text
    assert "victim_safety" in text.split("'Safety Plan'")[1].splitlines()[0]


def test_codes_are_matched_against_their_own_column_only(tmp_path):
    export = _export(
        tmp_path / "e",
        Plans=(
            "Plan Ref,Case Ref,Plan Type,Created,Author\n"
            "P1,C1,Release,10/01/2013,Priya Shah\nP2,C2,RMP,11/01/2013,Tom Reid\n"
        ),
        Significant_Events=(
            "Event Ref,Case Ref,Event Date,Event Type\n"
            "E1,C1,10/01/2013,Release\nE2,C2,11/01/2013,Arrested\n"
        ),
    )
    data, _ = _map(export, tmp_path)
    # a release plan is the canonical plan kind `release`; a release event is a custody release
    assert data["tables"]["plans"]["values"]["kind"] == {"RMP": "risk_management"}
    assert data["tables"]["events"]["values"]["kind"]["Release"] == "custody_release"


def test_the_values_decide_between_two_readings_of_a_header(tmp_path):
    export = tmp_path / "e"
    export.mkdir()
    (export / "Case List.csv").write_text(
        "Case Ref,YP Ref,Worker,Sentence,Order Start,Sentenced\n"
        "C1,Y1,Priya Shah,YRO,07/01/2013,03/01/2013\n"
        "C2,Y2,Tom Reid,DTO,08/01/2013,04/01/2013\n"
        "C3,Y3,Priya Shah,Referral Order,09/01/2013,05/01/2013\n",
        encoding="utf-8",
    )
    data, _ = _map(export, tmp_path)
    columns = data["tables"]["cases"]["columns"]
    assert columns["Sentence"] == "disposal_type"
    assert columns["Sentenced"] == "sentence_date"


def test_a_column_whose_values_are_dates_is_never_a_text_column(tmp_path):
    export = tmp_path / "e"
    export.mkdir()
    (export / "Case List.csv").write_text(
        "Case Ref,YP Ref,Worker,Order Type,Order Start\n"
        "C1,Y1,07/01/2013,YRO,07/01/2013\nC2,Y2,08/01/2013,DTO,08/01/2013\n",
        encoding="utf-8",
    )
    data, text = _map(export, tmp_path)
    assert "Worker" not in data["tables"]["cases"]["columns"]
    assert "# MISSING required column case_manager" in text


def test_dates_in_another_form_get_a_date_format_and_the_unreadable_rows_are_named(tmp_path):
    export = _export(
        tmp_path / "e",
        Assessments=(
            "Assessment Ref,Case Ref,Type,Stage,Completed,Assessor\n"
            "A1,C1,Asset,Start,21.01.2013,Priya Shah\n"
            "A2,C2,ROSH,Start,5.2.2013,Tom Reid\n"
            "A3,C3,Asset,Start,31.02.2013,Priya Shah\n"
            "A4,C4,Asset,Start,2013-02-07,Tom Reid\n"
        ),
    )
    data, text = _map(export, tmp_path)
    assessments = data["tables"]["assessments"]
    assert assessments["date_format"] == {"completed_date": "%d.%m.%Y"}
    assert assessments["values"]["stage"] == {"Start": "initial"}
    assert (
        "# completed_date: rows 4 and 5 could not be read with %d.%m.%Y "
        "('31.02.2013', '2013-02-07')" in text
    )


def test_the_proposed_profile_loads_and_maps_nothing_it_left_open(tmp_path):
    export = _export(
        tmp_path / "e",
        Plans=(
            "Plan Ref,Case Ref,Plan Type,Created,Author,Notes\n"
            "P1,C1,Safety Plan,10/01/2013,Priya Shah,x\n"
        ),
    )
    _map(export, tmp_path)
    checked = CliRunner().invoke(
        cli, ["validate", str(export), "--mapping", str(tmp_path / "proposed.yml")]
    )
    assert checked.exit_code == 1
    assert "plans.kind: 1 row has a kind that is not a known code (value 'Safety Plan')" in (
        checked.output
    )
    assert "plans: header 'Notes' matches no column and is ignored" in checked.output


def test_headers_no_reading_decides_are_left_open_with_every_candidate(tmp_path):
    export = tmp_path / "e"
    export.mkdir()
    (export / "Case List.csv").write_text(
        "Case Ref,YP Ref,Worker,Order,Start,Date,Court\n"
        "C1,Y1,Priya Shah,YRO,07/01/2013,01/02/2013,Leeds Youth Court\n"
        "C2,Y2,Tom Reid,DTO,08/01/2013,02/02/2013,Leeds Youth Court\n",
        encoding="utf-8",
    )
    (export / "Assessments.csv").write_text(
        "Asmt Ref,Case Ref,Assessment,Stage,Assessment Date,Assessor,Manager\n"
        "A1,C1,Asset,Start,21/01/2013,Priya Shah,Jo Bloggs\n"
        "A2,C2,ROSH,Start,22/01/2013,Tom Reid,Jo Bloggs\n",
        encoding="utf-8",
    )
    data, text = _map(export, tmp_path)
    assert data["tables"]["cases"]["columns"]["Order"] == "disposal_type"  # by its values
    assert data["tables"]["assessments"]["columns"]["Assessment"] == "kind"
    assert "Date" not in data["tables"]["cases"]["columns"]
    assert "Court" not in data["tables"]["cases"]["columns"]  # court names are no date
    assert "# open: header 'Date' could be start_date (mapped from 'Start')" in text
    assert "# open: header 'Assessment Date' could be completed_date or signed_off_date" in text
    assert "# open: header 'Manager' could be signed_off_by" in text
