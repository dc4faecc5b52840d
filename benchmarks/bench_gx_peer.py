"""The peer: five of the catalog's questions written the way a Great Expectations user would.

Usage::

    python benchmarks/bench_gx_peer.py --cases 100000

A Great Expectations 1.x user who wanted these checks would load the export
into a database and write ``UnexpectedRowsExpectation`` SQL, one per question,
with calendar days instead of working days and exact equality instead of
3-gram similarity. This script does that over a SQLite file built beforehand
from the benchmark export (``bench_run.py`` generates it; building the file is
not timed), then measures, side by side in one run:

- the peer: a process that imports GX (analytics off), builds an ephemeral
  context with a SQLite data source and validates the five expectations;
- ``sqs-checks run`` with the whole ``open-cases`` suite (25 checks) on the
  same export;

and prints both times and their ratio (the goal: the whole run in less than
half the peer's time).

The five questions: initial assessment late (first initial reoffending
assessment more than 21 days after the start), risk management plan missing
(latest risk of serious harm level high or very high, no plan), no review after
an event (a trigger event with no assessment within 14 days), sign-off missing
(an initial assessment more than 7 days old, not signed off), and a narrative
copied word for word from the previous assessment of the same child and kind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_run import generate, measure  # noqa: E402

QUERIES = {
    "initial_assessment_late": """
        SELECT c.case_id FROM {batch} c
        JOIN (SELECT case_id, min(completed_date) AS first_done FROM assessments
              WHERE kind = 'reoffending' AND stage = 'initial' GROUP BY case_id) a
          ON a.case_id = c.case_id
        WHERE a.first_done > date(c.start_date, '+21 days')""",
    "risk_management_plan_missing": """
        SELECT c.case_id FROM {batch} c
        JOIN (SELECT case_id, level,
                     row_number() OVER (PARTITION BY case_id ORDER BY completed_date DESC) AS rn
              FROM assessments WHERE kind = 'rosh' AND level IS NOT NULL) a
          ON a.case_id = c.case_id AND a.rn = 1
        WHERE a.level IN ('high', 'very_high')
          AND NOT EXISTS (SELECT 1 FROM plans p WHERE p.case_id = c.case_id
                          AND p.kind = 'risk_management')""",
    "no_review_after_event": """
        SELECT e.event_id FROM events e JOIN {batch} c ON c.case_id = e.case_id
        WHERE e.kind IN ('new_offence', 'arrest', 'breach', 'custody_release')
          AND e.event_date < date('now', '-14 days')
          AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.case_id = e.case_id
                          AND a.completed_date BETWEEN e.event_date
                                                   AND date(e.event_date, '+14 days'))""",
    "sign_off_missing": """
        SELECT a.assessment_id FROM assessments a JOIN {batch} c ON c.case_id = a.case_id
        WHERE a.stage = 'initial' AND a.signed_off_by IS NULL
          AND a.completed_date < date('now', '-7 days')""",
    "narrative_copied": """
        SELECT assessment_id FROM (
            SELECT a.assessment_id, a.narrative,
                   lag(a.narrative) OVER (PARTITION BY c.child_id, a.kind
                                          ORDER BY a.completed_date, a.assessment_id) AS previous
            FROM assessments a JOIN {batch} c ON c.case_id = a.case_id)
        WHERE narrative = previous""",
}
"""The five questions as ``UnexpectedRowsExpectation`` SQL (``{batch}`` is the cases table)."""

PEER = """
import os, sys
os.environ["GX_ANALYTICS_ENABLED"] = "False"
import great_expectations as gx
import json
queries = json.loads(sys.argv[2])
context = gx.get_context(mode="ephemeral")
url = "sqlite:///" + sys.argv[1]
source = context.data_sources.add_sqlite(name="export", connection_string=url)
asset = source.add_table_asset(name="cases", table_name="cases")
batch = asset.add_batch_definition_whole_table("all").get_batch()
for name, query in queries.items():
    result = batch.validate(gx.expectations.UnexpectedRowsExpectation(unexpected_rows_query=query))
    print(name, result.success, result.result.get("observed_value"))
"""


def build_sqlite(export: Path, target: Path) -> None:
    """Copy the benchmark's Parquet export into a SQLite file (dates as ISO text)."""
    import duckdb

    con = duckdb.connect()
    db = sqlite3.connect(target)
    for path in sorted(export.glob("*.parquet")):
        rel = con.sql(f"SELECT * FROM read_parquet('{path.as_posix()}')")
        columns = rel.columns
        db.execute(f"CREATE TABLE {path.stem} ({', '.join(columns)})")
        marks = ", ".join("?" for _ in columns)
        cursor = con.execute(f"SELECT * FROM read_parquet('{path.as_posix()}')")
        while rows := cursor.fetchmany(50_000):
            db.executemany(
                f"INSERT INTO {path.stem} VALUES ({marks})",
                [[v.isoformat() if isinstance(v, dt.date) else v for v in r] for r in rows],
            )
    for table, column in (("assessments", "case_id"), ("plans", "case_id"), ("events", "case_id")):
        db.execute(f"CREATE INDEX {table}_{column} ON {table} ({column})")
    db.commit()
    db.close()


def main() -> None:
    """Build (once) the SQLite copy, then time the peer and the run side by side."""
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--as-of", default="2026-11-02")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    folder = args.data / f"cases-{args.cases}"
    if not (folder / "DONE").exists():
        generate(folder, args.cases, dt.date.fromisoformat(args.as_of))
    sqlite_file = args.data / f"cases-{args.cases}.sqlite"
    if not sqlite_file.exists():
        build_sqlite(folder, sqlite_file)
    exe = str(Path(sys.executable).with_name("sqs-checks"))
    peer_cmd = [sys.executable, "-c", PEER, str(sqlite_file), json.dumps(QUERIES)]
    peer, run = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            peer.append(measure(peer_cmd)[0])
            cmd = [exe, "run", str(folder), "--as-of", args.as_of, "-q", "-o", tmp]
            run.append(measure(cmd)[0])
    p, r = min(peer), min(run)
    print(f"cases: {args.cases}")
    print(f"Great Expectations, 5 checks over SQLite: {p:.1f} s")
    print(f"sqs-checks run, 25 checks (open-cases): {r:.1f} s")
    print(f"ratio run/peer: {r / p:.2f}x (goal: under 0.5x)")


if __name__ == "__main__":
    main()
