"""Every reader gives the same canonical tables and findings: CSV, XLSX, Parquet, SQL."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable
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


def _sqs(*args: str) -> None:
    """Run the ``sqs-checks`` command line; fail the test with its output when it fails."""
    proc = subprocess.run(
        [sys.executable, "-m", "sqs_checks.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


LINE_COLUMN = "csv_line"
"""An extra column (ignored by the readers) that keeps each row's line in its CSV file."""


def _load_csv_into_database(folder: Path, url: str) -> dict[str, dict[int, int]]:
    """Copy every CSV file of ``folder`` into a table of text columns, as it is.

    Blank cells become NULL; each row also keeps its CSV line in :data:`LINE_COLUMN`.
    Returns, per table, each CSV line (the row number a person sees in the file)
    mapped to the row number the database reader gives it: its place, from 1,
    in the order the database returns the table's rows (PostgreSQL does not
    keep the order of insertion).
    """
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    rows_of: dict[str, dict[int, int]] = {}
    try:
        with engine.begin() as conn:
            for path in sorted(folder.glob("*.csv")):
                with open(path, newline="", encoding="utf-8-sig") as fh:
                    reader = csv.reader(fh)
                    header = next(reader)
                    named = [i for i, name in enumerate(header) if name.strip()]
                    header = [header[i] for i in named]  # a trailing comma names no column
                    records, last_line = [], reader.line_num
                    for record in reader:
                        first_line, last_line = last_line + 1, reader.line_num
                        if any(field.strip() for field in record):  # not a row (SPEC §2)
                            values = {
                                f"c{k}": (record[i] if i < len(record) else "") or None
                                for k, i in enumerate(named)
                            }
                            records.append({**values, "line": first_line})
                names = [*header, LINE_COLUMN]
                columns = ", ".join(f'"{name}" TEXT' for name in names)
                conn.execute(sa.text(f'CREATE TABLE "{path.stem}" ({columns})'))
                if records:
                    params = ", ".join([*(f":c{i}" for i in range(len(header))), ":line"])
                    quoted = ", ".join(f'"{name}"' for name in names)
                    conn.execute(
                        sa.text(f'INSERT INTO "{path.stem}" ({quoted}) VALUES ({params})'), records
                    )
        with engine.connect() as conn:  # read back as the reader reads: SELECT *, no order
            for table in sorted(p.stem for p in folder.glob("*.csv")):
                result = conn.execute(sa.text(f'SELECT * FROM "{table}"')).mappings()
                rows_of[table] = {int(r[LINE_COLUMN]): n for n, r in enumerate(result, start=1)}
    finally:
        engine.dispose()
    return rows_of


def test_postgresql_database_gives_the_findings_of_the_csv_export(tmp_path, pg_url):
    """The demo export, copied into PostgreSQL, is read and judged as its CSV files are.

    Row numbers differ by nature (SPEC: a database's rows count from 1, in the
    order it returns them), so the CSV run's are translated before comparing.
    """
    csv_export = tmp_path / "demo"
    _sqs("demo", str(csv_export), "--as-of", "2013-03-18")
    rows_of = _load_csv_into_database(csv_export, pg_url)
    runs = {}
    for name, source in (("csv", str(csv_export)), ("postgresql", pg_url)):
        out = tmp_path / name
        _sqs("run", source, "--as-of", "2013-03-18", "--format", "json", "-o", str(out), "-q")
        runs[name] = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    csv_run, pg_run = runs["csv"], runs["postgresql"]

    def finding(f: dict, table_row: Callable[[str, int], int]) -> tuple:
        record_id = f["record_id"]
        if str(f["evidence"].get("row")) == str(record_id):  # a quarantined row, by number
            record_id = table_row(f["record_table"], int(record_id))
        return (f["check_id"], f["case_id"], f["reason"], f["record_table"], str(record_id))

    def problem(p: dict, table_row: Callable[[str, int], int]) -> tuple:
        text = re.sub(
            r"of row (\d+)", lambda m: f"of row {table_row(p['table'], int(m[1]))}", p["problem"]
        )
        row = table_row(p["table"], p["row"])
        return (p["table"], row, p["column"], p["value"] or "", text, p.get("action"))

    def check(c: dict) -> tuple:
        return (c["id"], c["status"], c["relevant"], c["flagged"])

    def in_database(table: str, line: int) -> int:
        return rows_of[table][line]

    def as_is(table: str, row: int) -> int:
        return row

    assert pg_run["run"]["cases_in_scope"] == csv_run["run"]["cases_in_scope"] > 0
    assert sorted(map(check, pg_run["checks"])) == sorted(map(check, csv_run["checks"]))
    expected = sorted(finding(f, in_database) for f in csv_run["findings"])
    assert len(expected) > 100
    assert sorted(finding(f, as_is) for f in pg_run["findings"]) == expected
    expected_problems = sorted(problem(p, in_database) for p in csv_run["input_problems"])
    assert expected_problems, "the demo export plants input problems"
    assert sorted(problem(p, as_is) for p in pg_run["input_problems"]) == expected_problems


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
