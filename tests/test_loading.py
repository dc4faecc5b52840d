"""Reading exports: headers, quarantine with row numbers, cascades, nothing lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from sqs_checks.contract import Contract
from sqs_checks.errors import ExportError
from sqs_checks.loading import load_export
from sqs_checks.readers import sqs_checks_readers

CASES_HEADER = "case_id,child_id,case_manager,team,disposal_type,start_date,end_date,mappa_level\n"


def load(folder: Path, today: dt.date = dt.date(2013, 3, 18)):
    return load_export(str(folder), readers=sqs_checks_readers(), contract=Contract(), today=today)


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_bytes(text.encode(encoding))


def problems(loaded) -> set[tuple[str, int, str | None]]:
    return {(p["table"], p["row"], p["column"]) for p in loaded.problem_list()}


def test_every_kind_of_bad_row_is_listed_with_its_line(tmp_path):
    write(
        tmp_path,
        "cases",
        CASES_HEADER
        + "C1,K1,Ann,North,community,2013-01-07,,\n"  # line 2 ok
        + "C2,K2,Bob,North,yro,2013-01-07,,\n"  # 3 unknown enum
        + "C1,K1,Ann,North,community,2013-01-08,,\n"  # 4 duplicate id
        + "\n"  # 5 blank line
        + "C3,K3,Cat,,custody,31/02/2013,,\n"  # 6 impossible date
        + "C4,K4,Dan,,custody,2013-01-05,2012-01-01,\n"  # 7 end before start
        + "C5,,Eve,,community,2013-01-05,,\n"  # 8 null required
        + "C6,K6,Fay,,community,2013-04-01,,\n"  # 9 after today
        + '"C7",K7,"Gus\nGrey",,community,2013-01-05,,\n'  # 10-11 multi-line record, ok
        + "C8,K8,Hal,,community,2013-01-05,,9\n",
    )  # 12 mappa level 9
    write(
        tmp_path,
        "assessments",
        "assessment_id,case_id,kind,stage,completed_date,author\n"
        "A1,C1,reoffending,initial,2013-01-20,Ann\n"  # 2 ok
        "A2,C9,rosh,initial,2013-01-20,Ann\n"  # 3 unknown case
        "A3,C3,rosh,initial,2013-01-20,Cat\n"  # 4 excluded case
        "A4,C1,rosh,initial\n"  # 5 ragged
        "A5,C1,rosh,initial,not a date,Ann\n",
    )  # 6 bad date
    loaded = load(tmp_path)
    assert sorted(loaded.tables["cases"]["case_id"].to_list()) == ["C1", "C7", "C8"]
    assert (
        loaded.tables["cases"].filter(loaded.tables["cases"]["case_id"] == "C7")["__row__"][0] == 10
    )
    assert problems(loaded) == {
        ("cases", 3, "disposal_type"),
        ("cases", 4, "case_id"),
        ("cases", 6, "start_date"),
        ("cases", 7, "end_date"),
        ("cases", 8, "child_id"),
        ("cases", 9, "start_date"),
        ("cases", 12, "mappa_level"),
        ("assessments", 3, "case_id"),
        ("assessments", 4, "case_id"),
        ("assessments", 5, None),
        ("assessments", 6, "completed_date"),
    }
    by_row = {(p["table"], p["row"]): p for p in loaded.problem_list()}
    assert by_row[("cases", 6)]["value"] == "31/02/2013"
    assert by_row[("cases", 12)]["action"] == "value_dropped"
    assert loaded.tables["cases"].filter(pl.col("case_id") == "C8")["mappa_level"][0] is None
    assert {p["action"] for p in loaded.problem_list() if p["row"] != 12} == {"row_excluded"}
    assert loaded.dropped.select("table", "row", "case_id", "column").rows() == [
        ("cases", 12, "C8", "mappa_level")
    ]
    assert "not in the cases table" in by_row[("assessments", 3)]["problem"]
    assert "excluded case" in by_row[("assessments", 4)]["problem"]
    # every input row is either kept or listed
    kept = sum(len(t) for t in loaded.tables.values())
    listed = len(
        {(p["table"], p["row"]) for p in loaded.problem_list() if p["action"] == "row_excluded"}
    )
    assert kept + listed == 9 + 5
    # quarantined rows of known cases: the duplicate cases row and C1's bad assessments
    assert set(map(tuple, loaded.quarantine.rows())) == {
        ("cases", 4, "C1"),
        ("assessments", 5, "C1"),
        ("assessments", 6, "C1"),
    }


def test_encodings_utf8_bom_and_windows_1252(tmp_path):
    text = CASES_HEADER + "C1,K1,Zoë O’Neill,North,community,2013-01-07,,\n"
    for encoding, prefix in (("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")):
        folder = tmp_path / f"{encoding}{len(prefix)}"
        folder.mkdir()
        (folder / "cases.csv").write_bytes(prefix + text.encode(encoding))
        loaded = load(folder)
        assert loaded.tables["cases"]["case_manager"].to_list() == ["Zoë O’Neill"]


def test_headers_case_insensitive_spaces_extra_columns_and_order(tmp_path):
    write(
        tmp_path,
        "cases",
        " Start_Date ,CASE_ID,Child_Id,Case_Manager,Disposal_Type,Notes\n"
        "07/01/2013,C1,K1,Ann,Referral Order,anything\n",
    )
    loaded = load(tmp_path)
    row = loaded.tables["cases"].row(0, named=True)
    assert row["case_id"] == "C1" and row["disposal_type"] == "referral_order"
    assert (
        row["start_date"] == dt.date(2013, 1, 7) and "Notes" not in loaded.tables["cases"].columns
    )


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"assessments": "assessment_id,case_id\n"}, "has no cases table"),
        (
            {"cases": "case_id,child_id,case_manager,disposal_type\nC1,K1,Ann,community\n"},
            "has no start_date column",
        ),
        ({"cases": ""}, "is empty (no header row)"),
        (
            {"cases": "case_id,Case_ID,child_id,case_manager,disposal_type,start_date\n"},
            "both match case_id",
        ),
        ({"cases": CASES_HEADER, "plans": "plan_id,case_id,kind\n"}, "has no created_date column"),
    ],
)
def test_unusable_exports_are_one_sentence_errors(tmp_path, files, message):
    for name, text in files.items():
        write(tmp_path, name, text)
    with pytest.raises(ExportError) as info:
        load(tmp_path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_plan_review_of_missing_or_excluded_plan_and_offences_of_child(tmp_path):
    write(tmp_path, "cases", CASES_HEADER + "C1,K1,Ann,North,community,2013-01-07,,\n")
    write(
        tmp_path,
        "plans",
        "plan_id,case_id,kind,created_date,author\n"
        "P1,C1,intervention,2013-01-20,Ann\nP2,C1,intervention,someday,Ann\n",
    )
    write(
        tmp_path,
        "plan_reviews",
        "review_id,plan_id,review_date\nR1,P1,2013-02-20\nR2,P2,2013-02-20\nR3,P9,2013-02-20\n",
    )
    write(
        tmp_path,
        "offences",
        "offence_id,child_id,offence_date,category\n"
        "O1,K1,2012-05-01,violence\nO2,K1,2012-05-01,shoplifting\nO3,K99,2012-01-01,theft\n",
    )
    loaded = load(tmp_path)
    assert problems(loaded) == {
        ("plans", 3, "created_date"),
        ("plan_reviews", 3, "plan_id"),
        ("plan_reviews", 4, "plan_id"),
        ("offences", 3, "category"),
    }
    assert loaded.tables["offences"]["offence_id"].to_list() == ["O1", "O3"]  # K99: not a problem
    assert set(map(tuple, loaded.quarantine.rows())) == {
        ("plans", 3, "C1"),
        ("plan_reviews", 3, "C1"),
        ("offences", 3, "C1"),
    }
