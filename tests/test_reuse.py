"""Working tables a due-soon evaluation reuses: only when the main evaluation built them as is."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from sqs_checks.reuse import RecordingConnection, ReusingConnection, reusable

A = "CREATE OR REPLACE TEMP TABLE _t_a AS SELECT range AS x FROM range($n)"
B = "CREATE OR REPLACE TEMP TABLE _t_b AS SELECT x FROM _t_a WHERE x < $as_of_n"


@pytest.fixture
def con():
    return duckdb.connect()


def record(con, statements):
    recorder = RecordingConnection(con)
    for sql, params in statements:
        recorder.execute(sql, params)
    return recorder


def test_creations_and_reads_are_reusable(con):
    recorder = record(
        con, [(A, {"n": 5}), ("SELECT count(*) FROM _t_a", None), (B, {"as_of_n": 3})]
    )
    assert reusable(recorder) == [(A, {"n": 5}), (B, {"as_of_n": 3})]


@pytest.mark.parametrize(
    "extra",
    [
        ("INSERT INTO _t_a VALUES (99)", None),  # changed after it was made
        (A, {"n": 5}),  # made twice: the first is not what is left
        ("DROP TABLE _t_a", None),
        ("CREATE OR REPLACE TEMP TABLE other AS SELECT 1", None),
    ],
)
def test_anything_else_reuses_nothing(con, extra):
    recorder = record(con, [(A, {"n": 5}), extra])
    assert reusable(recorder) == []


def test_another_use_of_the_connection_reuses_nothing(con):
    recorder = record(con, [(A, {"n": 5})])
    import pyarrow as pa

    recorder.fetchall()  # the last statement's result, read through the connection
    recorder.register("_frame", pa.table({"x": [1]}))
    assert reusable(recorder) == []


def test_the_same_creation_is_skipped_until_one_differs(con):
    recorder = record(con, [(A, {"n": 5}), (B, {"as_of_n": 3})])
    again = ReusingConnection(con, reusable(recorder))
    con.execute("INSERT INTO _t_a VALUES (100)")  # a marker: a skipped creation keeps it
    again.execute(A, {"n": 5})
    assert again.skipped == 1
    assert con.execute("SELECT max(x) FROM _t_a").fetchone()[0] == 100
    again.execute(B, {"as_of_n": 4})  # another date: it runs
    assert again.skipped == 1
    assert con.execute("SELECT max(x) FROM _t_b").fetchone()[0] == 3
    again.execute(A, {"n": 5})  # after a difference nothing is skipped
    assert again.skipped == 1
    assert con.execute("SELECT max(x) FROM _t_a").fetchone()[0] == 4


def test_a_write_before_a_creation_stops_the_skipping(con):
    recorder = record(con, [(A, {"n": 5})])
    again = ReusingConnection(con, reusable(recorder))
    again.execute("CREATE OR REPLACE TEMP TABLE _out_x AS SELECT 1 AS y")
    again.execute(A, {"n": 5})
    assert again.skipped == 0


def test_due_soon_is_the_same_with_and_without_reuse(tmp_path):
    """The listed deadlines of a demo export are the same whether tables are reused or rebuilt."""
    from sqs_checks.calendar import Calendar
    from sqs_checks.due_soon import collect_due_soon
    from sqs_checks.synth import generate_export
    from sqs_checks.testing import run_export

    as_of = dt.date(2013, 3, 18)
    generate_export(tmp_path, as_of=as_of, cases=300, seed=3)
    reused = run_export(tmp_path, as_of=as_of)  # listed check by check, tables reused
    listed = reused.due_soon()
    assert len(listed) > 10
    collect_due_soon(reused, 10, Calendar("england-and-wales", last_year=as_of.year + 6))
    assert reused.due_soon() == listed  # rebuilt from nothing afterwards


def test_only_code_that_says_so_gets_the_recording_connection():
    """A check's class that defines evaluate must say it only runs statements on ctx.con."""
    from dataclasses import dataclass

    from sqs_checks.checks import Check, SqlCheck
    from sqs_checks.reuse import takes_part

    @dataclass
    class Own(SqlCheck):
        def evaluate(self, ctx):  # may hand ctx.con to other libraries: not wrapped
            return super().evaluate(ctx)

    @dataclass
    class Declared(SqlCheck):
        reuse_working_tables = True

        def evaluate(self, ctx):
            return super().evaluate(ctx)

    meta = {"id": "x.y", "title": "t", "area": "data", "seed": "-", "severity": "low"}
    assert takes_part(SqlCheck(**meta))
    assert not takes_part(Own(**meta))
    assert takes_part(Declared(**meta))
    assert not takes_part(Check(**meta))


def test_due_soon_rebuilds_no_working_table_of_the_built_in_checks(tmp_path, monkeypatch):
    """Every working table of the built-in checks is independent of the as-of date, so the
    due-soon evaluation skips them all (the date tests are in the queries that are run)."""
    import sqs_checks.due_soon as due_soon
    from sqs_checks.reuse import WORKING_TABLE
    from sqs_checks.synth import generate_export
    from sqs_checks.testing import run_export

    rebuilt: list[str] = []
    reused: list[str] = []

    class Watching(ReusingConnection):
        def execute(self, query, parameters=None, *args, **kwargs):
            before = self.skipped
            out = super().execute(query, parameters, *args, **kwargs)
            created = WORKING_TABLE.match(query)
            if created:
                (reused if self.skipped > before else rebuilt).append(created.group(1))
            return out

    monkeypatch.setattr(due_soon, "ReusingConnection", Watching)
    as_of = dt.date(2013, 3, 18)
    generate_export(tmp_path, as_of=as_of, cases=300, seed=3)
    run_export(tmp_path, as_of=as_of)
    assert rebuilt == []
    assert {"_t_rv", "_t_rv_ev", "_t_mp", "_t_psr", "_t_fp", "_t_ia", "_t_docs"} <= set(reused)
