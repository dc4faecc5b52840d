"""Scale benchmark: the full `sqs-checks run` against DuckDB alone loading the export.

Usage::

    python benchmarks/bench_run.py --cases 100000            # Parquet and CSV, side by side
    python benchmarks/bench_run.py --cases 1000000 --format parquet
    python benchmarks/bench_run.py --startup   # a 500-case run vs importing duckdb and pandera

It generates (once, cached under benchmarks/data/) a Parquet export of N cases with
about 7.5 assessments per case carrying 40-word narratives, 1.5 plans, 1.5 plan
reviews, 1.5 events, 0.5 court reports, 0.5 referrals per case and one offence per
child, and the same export as CSV files (UK dates), then prints for each format,
measured side by side in one run:

- floor: DuckDB alone loading every file into tables (CSV: as text);
- run: the whole `sqs-checks run` (process start to findings.json written), with
  `--timings`, so each phase's seconds and peak memory are printed too;
- their ratio, the run's peak memory (max RSS) and the export's size in Arrow.

The generator is SQL in DuckDB so that a million cases take seconds, not minutes; it
aims at realistic shapes and volumes, not at planted defects (see sqs_checks.synth).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VOCAB = (
    "child young person family school mother father carer offending behaviour risk harm "
    "victim police court order plan review contact attended missed appointment worker "
    "education training employment substance alcohol cannabis peer group friends anger "
    "violence knife weapon robbery theft burglary damage emotional mental health wellbeing "
    "safeguarding exploitation county lines housing address move care placement social "
    "services referral assessment motivation engagement supervision compliance breach "
    "progress concern improvement support mentor sport music youth club evening weekend "
    "curfew tag release custody secure estate sentence licence victim awareness letter "
    "apology restorative justice panel reparation community hours completed positive"
).split()


def generate(folder: Path, cases: int, as_of: dt.date, seed: int = 1) -> None:
    """Write a Parquet export of ``cases`` cases into ``folder`` (SQL in DuckDB)."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})")
    con.execute("CREATE MACRO h(a, b) AS CAST(hash(a, b) % 1000003 AS BIGINT)")
    con.execute("SET VARIABLE vocab = $v", {"v": VOCAB})
    con.execute("SET VARIABLE as_of = $d", {"d": as_of})
    con.execute("CREATE MACRO ago(n) AS CAST(getvariable('as_of') - CAST(n AS INTEGER) AS DATE)")
    n = cases
    staff = [f"Case Manager {i:03d}" for i in range(1, 201)]
    managers = [f"Practice Manager {i:02d}" for i in range(1, 21)]
    con.execute("SET VARIABLE staff = $s", {"s": staff})
    con.execute("SET VARIABLE managers = $m", {"m": managers})
    statements = {
        "cases": f"""
            SELECT 'C' || i AS case_id, 'K' || (i * 4 // 5) AS child_id,
                   getvariable('staff')[1 + h(i, 1) % 200] AS case_manager,
                   ['North', 'South', 'East', 'West'][1 + h(i, 2) % 4] AS team,
                   ['referral_order', 'community', 'custody', 'out_of_court', 'community']
                       [1 + h(i, 3) % 5] AS disposal_type,
                   ago(h(i, 4) % 540) AS start_date,
                   CASE WHEN h(i, 5) % 10 = 0
                        THEN CAST(getvariable('as_of') - CAST(least(h(i, 6) % 30, h(i, 4) % 540)
                                                              AS INTEGER) AS DATE)
                   END AS end_date,
                   CASE WHEN h(i, 3) % 5 = 2
                        THEN CAST(getvariable('as_of') + CAST(h(i, 7) % 200 AS INTEGER) AS DATE)
                   END AS release_date,
                   h(i, 8) % 20 = 0 AS mappa_eligible,
                   CASE WHEN h(i, 8) % 20 = 0 THEN 1 + CAST(h(i, 9) % 3 AS INTEGER) END
                       AS mappa_level,
                   h(i, 10) % 3 = 0 AS has_identified_victim
            FROM range({n}) t(i)""",
        "assessments": f"""
            SELECT 'A' || j AS assessment_id, 'C' || (j * 2 // 15) AS case_id,
                   ['reoffending', 'rosh', 'vulnerability'][1 + j % 3] AS kind,
                   CASE WHEN (j * 2) % 15 < 6 THEN 'initial' ELSE 'review' END AS stage,
                   ago(h(j, 1) % 500)
                       AS completed_date,
                   getvariable('staff')[1 + h(j // 8, 1) % 200] AS author,
                   ['low', 'medium', 'high', 'very_high', NULL][1 + h(j, 2) % 5] AS level,
                   array_to_string(list_transform(range(40),
                       lambda x: getvariable('vocab')[1 + h(j, x) % {len(VOCAB)}]), ' ')
                       AS narrative,
                   CASE WHEN h(j, 3) % 4 > 0
                        THEN getvariable('managers')[1 + h(j, 4) % 20] END AS signed_off_by,
                   CASE WHEN h(j, 3) % 4 > 0
                        THEN CAST(getvariable('as_of') - CAST(h(j, 1) % 500 AS INTEGER)
                                  + CAST(h(j, 5) % 9 AS INTEGER) AS DATE) END AS signed_off_date,
                   h(j, 6) % 5 > 0 AS diversity_assessed,
                   h(j, 7) % 5 > 0 AS child_views_recorded,
                   h(j, 8) % 4 > 0 AS parent_carer_involved
            FROM range({n * 15 // 2}) t(j)""",
        "plans": f"""
            SELECT 'P' || j AS plan_id, 'C' || (j * 2 // 3) AS case_id,
                   ['intervention', 'risk_management', 'vulnerability_management', 'custody',
                    'release', 'victim_safety'][1 + h(j, 1) % 6] AS kind,
                   ago(h(j, 2) % 500) AS created_date,
                   getvariable('staff')[1 + h(j, 3) % 200] AS author,
                   h(j, 4) % 4 > 0 AS has_contingency,
                   getvariable('managers')[1 + h(j, 5) % 20] AS signed_off_by,
                   CAST(getvariable('as_of') - CAST(h(j, 2) % 500 AS INTEGER)
                        + CAST(h(j, 6) % 9 AS INTEGER) AS DATE) AS signed_off_date
            FROM range({n * 3 // 2}) t(j)""",
        "plan_reviews": f"""
            SELECT 'R' || j AS review_id, 'P' || j AS plan_id,
                   CAST(getvariable('as_of') - CAST(h(j, 2) % 500 AS INTEGER)
                        + CAST(h(j, 7) % 120 AS INTEGER) AS DATE) AS review_date,
                   getvariable('staff')[1 + h(j, 3) % 200] AS author
            FROM range({n * 3 // 2}) t(j)
            WHERE CAST(getvariable('as_of') - CAST(h(j, 2) % 500 AS INTEGER)
                       + CAST(h(j, 7) % 120 AS INTEGER) AS DATE) <= getvariable('as_of')""",
        "events": f"""
            SELECT 'E' || j AS event_id, 'C' || (j * 2 // 3) AS case_id,
                   ago(h(j, 1) % 400) AS event_date,
                   ['new_offence', 'arrest', 'breach', 'custody_release', 'change_of_address',
                    'change_of_care_status', 'safeguarding_concern', 'missing_episode',
                    'school_exclusion', 'victim_concern', 'other'][1 + h(j, 2) % 11] AS kind,
                   h(j, 3) % 10 > 0 AS significant
            FROM range({n * 3 // 2}) t(j)""",
        "court_reports": f"""
            SELECT 'CR' || j AS report_id, 'C' || (j * 2) AS case_id,
                   ['psr', 'other'][1 + h(j, 1) % 2] AS kind,
                   ago(h(j, 2) % 500) AS court_date,
                   CAST(getvariable('as_of') - CAST(h(j, 2) % 500 AS INTEGER)
                        - CAST(h(j, 3) % 5 AS INTEGER) AS DATE) AS submitted_date,
                   getvariable('staff')[1 + h(j, 4) % 200] AS author,
                   getvariable('managers')[1 + h(j, 5) % 20] AS quality_assured_by,
                   CAST(getvariable('as_of') - CAST(h(j, 2) % 500 AS INTEGER)
                        - CAST(h(j, 3) % 5 AS INTEGER) - 1 AS DATE) AS quality_assured_date,
                   'A' || (j * 15) AS assessment_id,
                   h(j, 6) % 5 > 0 AS rosh_addressed
            FROM range({n // 2}) t(j)""",
        "offences": f"""
            SELECT 'O' || j AS offence_id, 'K' || (j * 4 // 5) AS child_id,
                   ago(h(j, 1) % 1500)
                       AS offence_date,
                   ['violence', 'sexual', 'robbery', 'weapons', 'arson', 'burglary', 'drugs',
                    'motoring', 'theft', 'public_order', 'criminal_damage', 'other']
                       [1 + h(j, 2) % 12] AS category
            FROM range({n}) t(j)""",
        "referrals": f"""
            SELECT 'RF' || j AS referral_id, 'C' || (j * 2) AS case_id,
                   ['mappa', 'victim_liaison', 'substance_misuse', 'mental_health', 'education',
                    'other'][1 + h(j, 1) % 6] AS kind,
                   ago(h(j, 2) % 400)
                       AS referral_date
            FROM range({n // 2}) t(j)""",
    }
    for name, sql in statements.items():
        target = folder / f"{name}.parquet"
        con.execute(f"COPY ({sql}) TO '{target.as_posix()}' (FORMAT PARQUET)")
    rows = [(m, "practice_manager", "North") for m in managers]
    rows += [(s, "case_manager", "North") for s in staff]
    con.execute("CREATE TABLE staff(name VARCHAR, role VARCHAR, team VARCHAR)")
    con.executemany("INSERT INTO staff VALUES (?, ?, ?)", rows)
    con.execute(f"COPY staff TO '{(folder / 'staff.parquet').as_posix()}' (FORMAT PARQUET)")
    (folder / "DONE").write_text(json.dumps({"cases": n, "as_of": as_of.isoformat()}))


def write_csv(parquet: Path, folder: Path) -> None:
    """The Parquet export as CSV files, dates written DD/MM/YYYY as many exports do."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for path in sorted(parquet.glob("*.parquet")):
        target = (folder / f"{path.stem}.csv").as_posix()
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{path.as_posix()}')) TO '{target}' "
            "(HEADER, DELIMITER ',', DATEFORMAT '%d/%m/%Y')"
        )
    (folder / "DONE").write_text((parquet / "DONE").read_text())


def arrow_size(folder: Path) -> int:
    """Bytes of the export held as Arrow tables."""
    import pyarrow.parquet as pq

    total = 0
    for path in sorted(folder.glob("*.parquet")):
        parquet = pq.ParquetFile(path)
        for column in parquet.schema_arrow.names:  # one column at a time: bounded memory
            total += parquet.read(columns=[column]).nbytes
    return total


def read_header(path: Path) -> dict:
    """``findings.json`` without its findings (a national run has millions of them)."""
    lines = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith('  "findings": '):
                break
            lines.append(line)
    return json.loads("".join(lines).rstrip().rstrip(",") + "}")


def measure(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (GB) of a child process."""
    code = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "print(json.dumps({'rc': p.returncode, 's': time.perf_counter() - t, "
        "'kb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *cmd], capture_output=True, text=True, check=True
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    if data["rc"] not in (0, 1):
        raise SystemExit(f"command failed ({data['rc']}): {' '.join(cmd)}")
    return data["s"], data["kb"] / 1024 / 1024


def floor_cmd(folder: Path, fmt: str = "parquet") -> list[str]:
    """DuckDB alone loading every file of the export into tables (CSV files as text)."""
    reader = (
        "read_parquet('{path}')"
        if fmt == "parquet"
        else "read_csv('{path}', all_varchar=true, header=true)"
    )
    code = (
        "import duckdb, pathlib, sys\n"
        "con = duckdb.connect()\n"
        f"for p in sorted(pathlib.Path(sys.argv[1]).glob('*.{fmt}')):\n"
        f'    src = "{reader}".format(path=p.as_posix())\n'
        "    con.execute(f'CREATE TABLE {p.stem} AS SELECT * FROM {src}')\n"
    )
    return [sys.executable, "-c", code, str(folder)]


def main() -> None:
    """Generate (or reuse) the export and print the measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--suite", default="open-cases")
    parser.add_argument("--as-of", default="2026-11-02")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument(
        "--format", action="append", choices=["parquet", "csv"], help="default: both"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per side; the best counts")
    parser.add_argument(
        "--startup",
        action="store_true",
        help="compare a 500-case run with `python -c 'import duckdb, pandera'`",
    )
    parser.add_argument(
        "--export",
        type=Path,
        help="measure this export folder (CSV or Parquet files, e.g. one written by "
        "`sqs-checks demo DIR --cases 100000`) instead of the generated one",
    )
    args = parser.parse_args()
    args.format = args.format or ["parquet", "csv"]
    as_of = dt.date.fromisoformat(args.as_of)
    exe = str(Path(sys.executable).with_name("sqs-checks"))
    if args.startup:
        with tempfile.TemporaryDirectory() as tmp:
            export = Path(tmp) / "export"
            subprocess.run(
                [exe, "demo", str(export), "--cases", "500", "--as-of", args.as_of],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            base, run = [], []
            for _ in range(3):
                base.append(measure([sys.executable, "-c", "import duckdb, pandera"])[0])
                run.append(
                    measure(
                        [
                            exe,
                            "run",
                            str(export),
                            "--as-of",
                            args.as_of,
                            "-q",
                            "--format",
                            "json",
                            "-o",
                            str(Path(tmp) / "out"),
                        ]
                    )[0]
                )
            b, r = min(base), min(run)
            print(f"import duckdb, pandera: {b:.2f} s; 500-case run: {r:.2f} s; ratio {r / b:.2f}x")
        return
    if args.export is not None:
        fmt = "parquet" if any(args.export.glob("*.parquet")) else "csv"
        measure_export(args, args.export, fmt, size=None)
        return
    folder = args.data / f"cases-{args.cases}"
    if not (folder / "DONE").exists():
        t = time.perf_counter()
        generate(folder, args.cases, as_of)
        print(f"generated {args.cases} cases in {time.perf_counter() - t:.1f} s into {folder}")
    folders = {"parquet": folder, "csv": args.data / f"cases-{args.cases}-csv"}
    if "csv" in args.format and not (folders["csv"] / "DONE").exists():
        write_csv(folder, folders["csv"])
    size = arrow_size(folder) / 1e9
    print(f"cases: {args.cases}; export in Arrow: {size:.2f} GB; suite {args.suite}")
    for fmt in args.format:
        measure_export(args, folders[fmt], fmt, size)


def measure_export(args: argparse.Namespace, export: Path, fmt: str, size: float | None) -> None:
    """Print the floor, the whole run and their ratio for one export folder (``size``: its
    Arrow size in GB, when known, for the memory ratio)."""
    exe = str(Path(sys.executable).with_name("sqs-checks"))
    floor_s, floor_gb = min(measure(floor_cmd(export, fmt)) for _ in range(args.repeat))
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [exe, "run", str(export), "--as-of", args.as_of, "--suite", args.suite]
        cmd += ["-q", "--format", "json", "--timings", "-o", tmp]
        best = None
        for _ in range(args.repeat):
            run_s, run_gb = measure(cmd)
            if best is None or run_s < best[0]:
                best = (run_s, run_gb, read_header(Path(tmp) / "findings.json"))
        run_s, run_gb, header = best
    print(f"\n== {fmt}")
    print(f"floor (DuckDB loads the export): {floor_s:.1f} s, peak {floor_gb:.2f} GB")
    print(f"sqs-checks run: {run_s:.1f} s, peak {run_gb:.2f} GB")
    print(f"time ratio run/floor: {run_s / floor_s:.2f}x (goal 5x, then 3x)")
    if size:
        print(f"memory ratio peak/Arrow: {run_gb / size:.2f}x (goal 2x)")
    print("phases (seconds, peak MB):")
    for phase in header["run"].get("timings") or []:
        print(f"  {phase['phase']:<44} {phase['seconds']:>8.3f} {phase['peak_mb']:>8.0f}")
    statuses = {}
    for check in header["checks"]:
        statuses[check["status"]] = statuses.get(check["status"], 0) + 1
    print(f"checks: {statuses}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    _ = resource  # imported for the child measurement
    main()
