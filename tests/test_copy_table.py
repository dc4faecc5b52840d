"""Copying a canonical table into DuckDB a part at a time (``engine.copy_table``)."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl
import pytest

from sqs_checks import engine
from sqs_checks.loading import Handover

SCHEMA = {"narrative": pl.Utf8, "completed_date": pl.Date, "level": pl.Int64}


def _chunked(rows: int, chunk: int) -> pl.DataFrame:
    """A frame whose columns are in chunks of ``chunk`` rows, but whose row numbers are
    one chunk, as a table read from Parquet is."""
    parts = [
        pl.DataFrame(
            {
                "narrative": [
                    f"text {i} " * (i % 7) for i in range(start, min(start + chunk, rows))
                ],
                "completed_date": [
                    dt.date(2025, 1, 1) + dt.timedelta(days=i % 400)
                    for i in range(start, min(start + chunk, rows))
                ],
                "level": [
                    None if i % 5 == 0 else i % 4 for i in range(start, min(start + chunk, rows))
                ],
            }
        )
        for start in range(0, rows, chunk)
    ]
    frame = pl.concat(parts, rechunk=False) if parts else pl.DataFrame(schema=SCHEMA)
    return frame.with_row_index("__row__", offset=1).with_columns(pl.col("__row__").cast(pl.Int64))


def _rows(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM {name}").fetchall()  # insertion order


@pytest.mark.parametrize("part_bytes", [1, 5_000, engine.COPY_PART_BYTES])
def test_a_table_copied_in_parts_is_the_table_copied_whole(monkeypatch, part_bytes):
    frame = _chunked(2_500, 300)
    assert frame.get_column("narrative").n_chunks() == 9
    assert frame.get_column("__row__").n_chunks() == 1
    con = duckdb.connect()
    con.register("whole", frame.to_arrow())
    con.execute("CREATE TABLE expected AS SELECT * FROM whole")
    monkeypatch.setattr(engine, "COPY_PART_BYTES", part_bytes)
    engine.copy_table(con, "assessments", Handover(frame.clone()))
    assert _rows(con, "src_assessments") == _rows(con, "expected")
    assert [r[1] for r in con.execute("DESCRIBE src_assessments").fetchall()] == [
        "BIGINT",
        "VARCHAR",
        "DATE",
        "BIGINT",
    ]


def test_an_empty_table_is_copied_with_its_columns():
    con = duckdb.connect()
    engine.copy_table(con, "events", Handover(_chunked(0, 10)))
    assert con.execute("SELECT count(*) FROM src_events").fetchone() == (0,)
    assert [r[0] for r in con.execute("DESCRIBE src_events").fetchall()] == [
        "__row__",
        "narrative",
        "completed_date",
        "level",
    ]


def test_a_frame_given_directly_is_copied_and_left_as_it_was(monkeypatch):
    frame = _chunked(1_000, 128)
    before = frame.clone()
    monkeypatch.setattr(engine, "COPY_PART_BYTES", 1)
    con = duckdb.connect()
    engine.copy_table(con, "plans", frame)
    assert frame.equals(before)
    assert con.execute("SELECT count(*), sum(__row__) FROM src_plans").fetchone() == (
        1_000,
        500_500,
    )


def test_a_handover_is_taken_once():
    handover = Handover(pl.DataFrame({"a": [1]}))
    handover.take()
    with pytest.raises(RuntimeError, match="taken already"):
        handover.take()


class Watching:
    """A connection that notes the statements it runs."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.statements: list[str] = []

    def execute(self, sql: str, *args):
        self.statements.append(sql)
        return self.con.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.con, name)


def test_a_chunked_table_goes_over_a_chunk_at_a_time_when_the_parts_are_small(monkeypatch):
    """The row numbers (one chunk) are cut to the other columns' chunks, so each chunk can
    be freed once it is copied; a part never holds less than a chunk."""
    monkeypatch.setattr(engine, "COPY_PART_BYTES", 1)
    con = Watching(duckdb.connect())
    engine.copy_table(con, "assessments", Handover(_chunked(2_500, 300)))
    verbs = [" ".join(sql.split()[:2]) for sql in con.statements]
    assert verbs == ["CREATE OR"] + ["INSERT INTO"] * 8


def test_a_table_in_one_chunk_goes_over_whole(monkeypatch):
    monkeypatch.setattr(engine, "COPY_PART_BYTES", 1)
    con = Watching(duckdb.connect())
    engine.copy_table(con, "cases", Handover(_chunked(2_500, 300).rechunk()))
    assert len(con.statements) == 1
    assert con.con.execute("SELECT count(*) FROM src_cases").fetchone() == (2_500,)
