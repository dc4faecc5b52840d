"""What a run cannot go below: two parts that any run of the exact rules must do, timed alone.

Usage::

    python benchmarks/bench_bounds.py --cases 100000 --repeat 3

The speed goal is the whole ``open-cases`` run within 5x the time DuckDB alone
needs to load the export. Two parts of a run do not shrink with cleverer
checks, so they bound how close a run can come. On the export ``bench_run.py``
generates (cached under ``benchmarks/data/``), measured side by side in one
run, best of ``--repeat``:

- **floor**: DuckDB alone loading every Parquet file into tables (a child
  process, as ``bench_run.py`` measures it);
- **findings**: DuckDB alone writing the findings array of ``findings.json``
  from the findings a run left: the faster of ``COPY ... (FORMAT JSON, ARRAY
  true)`` of the shown findings in the contract's order and the report's own
  way (the same bytes, DuckDB's JSON a few checks at a time);
- **copies**: ``reoffending.copied_assessment``'s own evaluation (each
  compared narrative's distinct word 3-grams, then each pair's Jaccard index),
  the fastest of the shapes measured in DuckDB and polars (docs/design.md).
  The rule is exact, so every narrative of a pair is read, split and hashed.

It prints each, their sum as a multiple of the floor, and the goal's budget.
When the sum alone is above the budget, no run of these rules on this machine
can meet the goal, whatever the other 24 checks, the scorecard and the due-soon
list cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_run import floor_cmd, generate, measure  # noqa: E402

GOAL = 5.0
"""The whole run's goal, as a multiple of the floor."""


def copy_check(result: object) -> float:
    """Seconds for the copy check's own evaluation (pairs, 3-grams, similarities) on the
    run's connection, its tables in place."""
    from sqs_hmip.reoffending import copied_assessment as copied

    from sqs_checks.calendar import Calendar
    from sqs_checks.checks import CheckContext

    ctx = CheckContext(
        con=result.con,
        as_of=result.as_of,
        params=copied.CHECK.resolve_params(None),
        calendar=Calendar(),
        tables=result.loaded.columns,
    )
    started = time.perf_counter()
    copied.CHECK.evaluate(ctx)
    return time.perf_counter() - started


def findings_array(result: object, target: Path) -> float:
    """Seconds for DuckDB alone to write the shown findings as findings.json's array: the
    faster of its own ``COPY`` and the report's way (DuckDB's JSON lines, a few checks
    sorted at a time, their bytes written as they come)."""
    from sqs_checks.reporters.common import ReportData
    from sqs_checks.reporters.json_reporter import (
        FINDINGS_PER_QUERY,
        LINES_PER_BATCH,
        write_text_column,
    )

    data = ReportData(result, {})
    query = data.findings_query("check")
    started = time.perf_counter()
    result.con.execute(f"COPY ({query}) TO '{target.as_posix()}' (FORMAT JSON, ARRAY true)")
    copied = time.perf_counter() - started
    started = time.perf_counter()
    with target.open("wb") as out:
        for lines in data.json_lines_queries(FINDINGS_PER_QUERY):
            for batch in result.con.sql(lines).to_arrow_reader(LINES_PER_BATCH):
                write_text_column(out, batch.column(0))
    return min(copied, time.perf_counter() - started)


def main() -> None:
    """Generate (or reuse) the export, run it once in process, then time the parts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--as-of", default="2026-11-02")
    args = parser.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    folder = HERE / "data" / f"cases-{args.cases}"
    if not (folder / "DONE").exists():
        generate(folder, args.cases, as_of)

    from sqs_checks.pipeline import RunSettings, run_pipeline

    result = run_pipeline(RunSettings(export=folder, as_of=as_of, formats=[]))
    [(findings,)] = result.con.execute("SELECT count(*) FROM findings").fetchall()
    floor, array, copies = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            floor.append(measure(floor_cmd(folder))[0])
            array.append(findings_array(result, Path(tmp) / "findings.json"))
            copies.append(copy_check(result))
    f, a, c = min(floor), min(array), min(copies)
    print(f"{args.cases:,} cases, Parquet, {findings:,} findings (best of {args.repeat})")
    print(f"{'part':<44}{'seconds':>8}{'x floor':>9}")
    for label, seconds in (
        ("floor: DuckDB loading the export", f),
        ("findings: DuckDB writing the findings array", a),
        ("copies: the copy check's evaluation", c),
        ("floor + findings + copies", f + a + c),
        (f"goal: the whole run within {GOAL:g}x the floor", GOAL * f),
    ):
        print(f"{label:<44}{seconds:>8.2f}{seconds / f:>8.1f}x")
    left = GOAL * f - (f + a + c)
    if left <= 0:
        print(f"the three parts alone are {-left:.2f} s over the goal's budget")
    else:
        print(f"{left:.2f} s of the budget left for the other checks, parsing and reports")


if __name__ == "__main__":
    main()
