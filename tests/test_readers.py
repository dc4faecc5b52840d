"""Every reader gives the same canonical tables and findings: CSV, XLSX, Parquet, SQL."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from sqs_checks.testing import make_export, run_export

AS_OF = dt.date(2013, 3, 18)
TABLES = {
    "cases": [
        {
            "case_id": "C1",
            "child_id": "K1",
            "case_manager": "Ann",
            "team": "North",
            "disposal_type": "community",
            "start_date": dt.date(2013, 1, 7),
            "mappa_eligible": True,
        },
        {
            "case_id": "C2",
            "child_id": "K2",
            "case_manager": "Bob",
            "team": "South",
            "disposal_type": "referral_order",
            "start_date": dt.date(2013, 1, 14),
        },
    ],
    "assessments": [
        {
            "assessment_id": "A1",
            "case_id": "C1",
            "kind": "reoffending",
            "stage": "initial",
            "completed_date": dt.date(2013, 2, 20),
            "author": "Ann",
            "level": "high",
        },
        {
            "assessment_id": "A2",
            "case_id": "C2",
            "kind": "rosh",
            "stage": "initial",
            "completed_date": dt.date(2013, 1, 20),
            "author": "Bob",
            "level": "high",
            "signed_off_by": "Bob",
            "signed_off_date": dt.date(2013, 1, 21),
        },
    ],
}


def _key(result):
    return sorted(
        (f["check_id"], f["case_id"], f["reason"], f["record_id"]) for f in result.findings()
    )


@pytest.fixture
def csv_export(tmp_path):
    return make_export(tmp_path / "csv", TABLES)


def test_csv_baseline_finds_the_expected(csv_export):
    found = _key(run_export(csv_export, as_of=AS_OF))
    assert ("reoffending.initial_assessment", "C1", "late", "A1") in found
    assert ("reoffending.initial_assessment", "C2", "missing", "C2") in found
    assert ("oversight.sign_off", "C2", "self_sign_off", "A2") in found
    assert ("public.risk_management_plan", "C2", "missing", "C2") not in found  # no plans table


def test_xlsx_workbook_with_native_dates(tmp_path, csv_export):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in TABLES.items():
        sheet = book.create_sheet(name)
        columns = list(dict.fromkeys(k for r in rows for k in r))
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(c) for c in columns])
    path = tmp_path / "export.xlsx"
    book.save(path)
    assert _key(run_export(path, as_of=AS_OF)) == _key(run_export(csv_export, as_of=AS_OF))


def test_parquet_folder_with_typed_columns(tmp_path, csv_export):
    folder = tmp_path / "parquet"
    folder.mkdir()
    for name, rows in TABLES.items():
        pl.DataFrame(rows).write_parquet(folder / f"{name}.parquet")
    assert _key(run_export(folder, as_of=AS_OF)) == _key(run_export(csv_export, as_of=AS_OF))


def test_sqlite_database_by_url(tmp_path, csv_export):
    path = tmp_path / "export.db"
    with sqlite3.connect(path) as con:
        for name, rows in TABLES.items():
            columns = list(dict.fromkeys(k for r in rows for k in r))
            con.execute(f"CREATE TABLE {name} ({', '.join(columns)})")
            con.executemany(
                f"INSERT INTO {name} VALUES ({', '.join('?' for _ in columns)})",
                [
                    [(v.isoformat() if isinstance(v, dt.date) else v) for v in map(r.get, columns)]
                    for r in rows
                ],
            )
    url = f"sqlite:///{path}"
    assert _key(run_export(url, as_of=AS_OF)) == _key(run_export(csv_export, as_of=AS_OF))


def test_mapping_profile_for_a_local_export():
    root = Path(__file__).resolve().parents[1] / "examples"
    result = run_export(
        root / "local-export", as_of=AS_OF, mapping=str(root / "example-cms-profile.yml")
    )
    assert result.input_problems() == []
    slice_ = {"reoffending.initial_assessment", "public.risk_management_plan", "oversight.sign_off"}
    found = {
        (f["check_id"], f["case_id"], f["reason"])
        for f in result.findings()
        if f["check_id"] in slice_
    }
    assert found == {
        ("reoffending.initial_assessment", "YOT-002", "late"),
        ("reoffending.initial_assessment", "YOT-003", "missing"),
        ("public.risk_management_plan", "YOT-003", "missing"),
    }
