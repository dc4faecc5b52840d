"""SPEC v2 loading rules: dropped optional values, NA sign-offs, empty fields, long fields."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from sqs_checks.contract import Contract
from sqs_checks.errors import ExportError
from sqs_checks.loading import load_export
from sqs_checks.readers import sqs_checks_readers

TODAY = dt.date(2013, 3, 18)


def load(folder: Path, today: dt.date = TODAY):
    return load_export(str(folder), readers=sqs_checks_readers(), contract=Contract(), today=today)


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")


def by_row(loaded, table: str) -> dict[tuple[int, str | None], dict]:
    return {(p["row"], p["column"]): p for p in loaded.problem_list() if p["table"] == table}


CASES = (
    "case_id,child_id,case_manager,disposal_type,start_date,end_date,sentence_date,release_date,"
    "mappa_eligible,mappa_level,has_identified_victim,date_of_birth,team\n"
)


def test_bad_optional_values_are_dropped_and_the_cases_row_stays(tmp_path):
    write(
        tmp_path,
        "cases",
        CASES
        + "C1,K1,Ann,community,2013-01-07,,,,yes,4,Unknown,2001-02-30,North\n"  # 2
        + "C2,K2,Bob,custody,2013-01-07,,2013-04-01,2013-05-01,maybe,2,yes,,North\n"  # 3
        + "C3,K3,Cat,custody,2013-01-07,2012-12-01,,,,,,,North\n"  # 4 end before start
        + "C4,K4,Dan,community,2013-01-07,someday,,,,,,,North\n",  # 5 end unreadable: dropped
    )
    loaded = load(tmp_path)
    cases = loaded.tables["cases"]
    assert sorted(cases["case_id"].to_list()) == ["C1", "C2", "C4"]
    c1 = cases.filter(pl.col("case_id") == "C1").row(0, named=True)
    assert c1["mappa_eligible"] is True
    assert c1["mappa_level"] is None and c1["has_identified_victim"] is None
    assert c1["date_of_birth"] is None
    c2 = cases.filter(pl.col("case_id") == "C2").row(0, named=True)
    # a sentence date after today cannot have happened: dropped; release_date looks forward
    assert c2["sentence_date"] is None and c2["release_date"] == dt.date(2013, 5, 1)
    assert c2["mappa_eligible"] is None and c2["mappa_level"] == 2
    assert cases.filter(pl.col("case_id") == "C4")["end_date"][0] is None
    problems = by_row(loaded, "cases")
    assert {k: p["action"] for k, p in problems.items()} == {
        (2, "mappa_level"): "value_dropped",
        (2, "has_identified_victim"): "value_dropped",
        (2, "date_of_birth"): "value_dropped",
        (3, "sentence_date"): "value_dropped",
        (3, "mappa_eligible"): "value_dropped",
        (4, "end_date"): "row_excluded",
        (5, "end_date"): "value_dropped",
    }
    assert problems[(2, "mappa_level")]["value"] == "4"
    assert problems[(2, "has_identified_victim")]["value"] == "Unknown"
    dropped = {(r["table"], r["row"], r["case_id"], r["column"]) for r in loaded.dropped.to_dicts()}
    assert ("cases", 2, "C1", "mappa_level") in dropped
    assert ("cases", 3, "C2", "sentence_date") in dropped
    assert ("cases", 5, "C4", "end_date") in dropped
    assert len(dropped) == 6
    assert loaded.quarantine.height == 0  # C3 is excluded: no finding can sit on it


def test_completed_date_still_excludes_its_row_other_optional_values_do_not(tmp_path):
    write(tmp_path, "cases", CASES + "C1,K1,Ann,community,2013-01-07,,,,,,,,North\n")
    write(
        tmp_path,
        "assessments",
        "assessment_id,case_id,kind,stage,completed_date,author,level,signed_off_date,"
        "diversity_assessed,narrative\n"
        "A1,C1,rosh,initial,31/02/2013,Ann,high,,yes,text\n"  # 2 bad completed_date: excluded
        "A2,C1,rosh,initial,2013-01-20,Ann,Hgh,2013-01-21,yes,text\n"  # 3 bad level: dropped
        "A3,C1,reoffending,initial,2013-01-20,Ann,low,2013-04-01,perhaps,text\n"  # 4 two dropped
        "A4,C1,vulnerability,initial,2013-04-02,Ann,low,,yes,text\n"  # 5 future completion
        "A5,C1,vulnerability,initial,2013-01-20,Ann,nope,,yes,\n",  # 6 bad level: dropped
    )
    loaded = load(tmp_path)
    kept = loaded.tables["assessments"]
    assert kept["assessment_id"].to_list() == ["A2", "A3", "A5"]
    assert kept["level"].to_list() == [None, "low", None]
    assert kept["signed_off_date"].to_list() == [dt.date(2013, 1, 21), None, None]
    assert kept["diversity_assessed"].to_list() == [True, None, True]
    problems = by_row(loaded, "assessments")
    assert problems[(2, "completed_date")]["action"] == "row_excluded"
    assert problems[(5, "completed_date")]["action"] == "row_excluded"
    assert problems[(3, "level")]["action"] == "value_dropped"
    assert problems[(4, "signed_off_date")]["action"] == "value_dropped"
    assert problems[(4, "diversity_assessed")]["action"] == "value_dropped"
    assert set(map(tuple, loaded.quarantine.rows())) == {
        ("assessments", 2, "C1"),
        ("assessments", 5, "C1"),
    }
    assert {(r[0], r[1]) for r in loaded.dropped.select("table", "row").rows()} == {
        ("assessments", 3),
        ("assessments", 4),
        ("assessments", 6),
    }


def test_every_problem_of_an_excluded_row_is_row_excluded(tmp_path):
    write(tmp_path, "cases", CASES + "C1,K1,Ann,community,2013-01-07,,,,,,,,North\n")
    write(
        tmp_path,
        "plans",
        "plan_id,case_id,kind,created_date,author,has_contingency\n"
        "P1,C1,intervention,someday,Ann,maybe\n"  # bad required date and bad optional bool
        "P2,C9,intervention,2013-01-20,Ann,perhaps\n",  # orphan with a bad optional bool
    )
    loaded = load(tmp_path)
    assert {(p["row"], p["column"], p["action"]) for p in loaded.problem_list()} == {
        (2, "created_date", "row_excluded"),
        (2, "has_contingency", "row_excluded"),
        (3, "case_id", "row_excluded"),
        (3, "has_contingency", "row_excluded"),
    }
    assert loaded.dropped.height == 0
    assert loaded.tables["plans"].height == 0


def test_dropped_values_of_reviews_and_offences_reach_their_cases(tmp_path):
    write(
        tmp_path,
        "cases",
        CASES
        + "C1,K1,Ann,community,2013-01-07,,,,,,,,North\n"
        + "C2,K1,Ann,custody,2012-01-07,,,,,,,,North\n",
    )
    write(
        tmp_path,
        "plans",
        "plan_id,case_id,kind,created_date,author\nP1,C1,intervention,2013-01-20,Ann\n",
    )
    write(
        tmp_path,
        "plan_reviews",
        "review_id,plan_id,review_date,author\nR1,P1,2013-02-20,Ann\n",
    )
    write(
        tmp_path,
        "events",
        "event_id,case_id,event_date,kind,significant\nE1,C1,2013-02-01,arrest,sometimes\n",
    )
    write(
        tmp_path,
        "staff",
        "name,role,team\nMo,practice_manager,North\n",
    )
    loaded = load(tmp_path)
    assert loaded.problem_list()[0]["action"] == "value_dropped"
    assert loaded.tables["events"]["significant"].to_list() == [None]
    assert loaded.dropped.select("table", "row", "case_id").rows() == [("events", 2, "C1")]


def test_na_markers_in_sign_off_and_quality_assurance_columns_are_nobody(tmp_path):
    write(tmp_path, "cases", CASES + "C1,K1,N/A,community,2013-01-07,,,,,,,,North\n")
    write(
        tmp_path,
        "assessments",
        "assessment_id,case_id,kind,stage,completed_date,author,signed_off_by,narrative\n"
        "A1,C1,rosh,initial,2013-01-20,Ann, N/A ,NA\n"
        "A2,C1,rosh,review,2013-02-20,Ann,none,None\n"
        "A3,C1,rosh,review,2013-03-01,Ann,NULL,n/a\n"
        "A4,C1,rosh,review,2013-03-02,Ann,Nadia,x\n",
    )
    write(
        tmp_path,
        "court_reports",
        "report_id,case_id,kind,author,quality_assured_by\nR1,C1,psr,Ann,na\nR2,C1,psr,Ann,Mo\n",
    )
    loaded = load(tmp_path)
    assessments = loaded.tables["assessments"]
    assert assessments["signed_off_by"].to_list() == [None, None, None, "Nadia"]
    # other text columns keep NA markers as text, trimmed
    assert assessments["narrative"].to_list() == ["NA", "None", "n/a", "x"]
    assert loaded.tables["cases"]["case_manager"].to_list() == ["N/A"]
    assert loaded.tables["court_reports"]["quality_assured_by"].to_list() == [None, "Mo"]
    assert loaded.problem_list() == []


def test_trailing_separators_all_empty_rows_and_unnamed_empty_columns(tmp_path):
    text = (
        "case_id,child_id,case_manager,disposal_type,start_date,,\n"  # 1 trailing unnamed columns
        "C1,K1,Ann,community,2013-01-07,,\n"  # 2
        ",,,,,,\n"  # 3 all empty: not a row
        "\n"  # 4 blank
        "C2,K2,Bob,community,2013-01-07,,,,\n"  # 5 more empty fields than the header: fine
        "C3,K3,Cat,community,2013-01-07\n"  # 6 lacks only the unnamed empty columns: fine
        "C4,K4,Dan,community,2013-01-07,,,x\n"  # 7 a value beyond the header: ragged
        "C5,K5,Eve,community\n"  # 8 too few fields: ragged
        ",,,,,\n"  # 9
        "C6,K6,Fay,community,2013-01-07,,\n"  # 10
    )
    write(tmp_path, "cases", text)
    loaded = load(tmp_path)
    cases = loaded.tables["cases"]
    assert cases.select("case_id", "__row__").rows() == [
        ("C1", 2),
        ("C2", 5),
        ("C3", 6),
        ("C6", 10),
    ]
    assert {(p["row"], p["action"]) for p in loaded.problem_list()} == {
        (7, "row_excluded"),
        (8, "row_excluded"),
    }
    assert "has 4 fields where the header has 5" in by_row(loaded, "cases")[(8, None)]["problem"]


def test_an_unnamed_column_holding_values_is_kept_as_an_unknown_column(tmp_path):
    write(
        tmp_path,
        "cases",
        "case_id,child_id,case_manager,,disposal_type,start_date\n"
        "C1,K1,Ann,note,community,2013-01-07\n"
        "C2,K2,Bob\n",
    )
    loaded = load(tmp_path)
    assert loaded.tables["cases"]["case_id"].to_list() == ["C1"]
    assert [(p["row"], p["action"]) for p in loaded.problem_list()] == [(3, "row_excluded")]


def test_a_field_longer_than_131072_characters_is_read(tmp_path):
    narrative = "word " * 60_000  # 300,000 characters
    write(tmp_path, "cases", CASES + "C1,K1,Ann,community,2013-01-07,,,,,,,,North\n")
    write(
        tmp_path,
        "assessments",
        "assessment_id,case_id,kind,stage,completed_date,author,narrative\n"
        f'A1,C1,rosh,initial,2013-01-20,Ann,"{narrative}"\n',
    )
    loaded = load(tmp_path)
    assert loaded.tables["assessments"]["narrative"][0] == narrative.strip()
    assert loaded.problem_list() == []


def test_an_empty_folder_says_it_has_no_files(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    with pytest.raises(ExportError) as info:
        load(folder)
    message = str(info.value)
    assert "has no files" in message and "cases" in message and "\n" not in message
    assert "Cannot tell how to read" not in message


def test_the_required_column_sentence_names_an_author(tmp_path):
    write(tmp_path, "cases", CASES + "C1,K1,Ann,community,2013-01-07,,,,,,,,North\n")
    write(
        tmp_path,
        "plans",
        "plan_id,case_id,kind,created_date,author\nP1,C1,intervention,2013-01-20,\n",
    )
    problem = load(tmp_path).problem_list()[0]
    assert problem["problem"] == "is blank, but every plans row needs an author"
    assert problem["action"] == "row_excluded"


def test_a_database_row_with_no_value_at_all_is_not_a_row(tmp_path):
    import sqlite3

    db = tmp_path / "export.db"
    con = sqlite3.connect(db)
    con.execute(
        "CREATE TABLE cases (case_id, child_id, case_manager, disposal_type, start_date, team)"
    )
    con.executemany(
        "INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("C1", "K1", "Ann", "community", "2013-01-07", "North"),
            (None, None, None, None, None, None),  # row 2: nothing at all
            ("", " ", "", None, "", ""),  # row 3: blanks only
            ("C4", "K4", "Dan", "community", "2013-01-07", None),
        ],
    )
    con.commit()
    con.close()
    loaded = load_export(
        f"sqlite:///{db}", readers=sqs_checks_readers(), contract=Contract(), today=TODAY
    )
    assert loaded.tables["cases"].select("case_id", "__row__").rows() == [("C1", 1), ("C4", 4)]
    assert loaded.problem_list() == []
