"""Report-writing benchmark: seconds per output format, against the targets.

Usage::

    python benchmarks/bench_reports.py                      # 30,000 cases, every format
    python benchmarks/bench_reports.py --cases 30000 --html-sizes 7500 30000
    python benchmarks/bench_reports.py --baseline /tmp/sqs-main   # side by side with a
                                                                  # source tree of another version
    python benchmarks/bench_reports.py --as-of 2026-12-01          # a demo export as of that date

It generates (once, cached under benchmarks/data/) the demo export of N cases
(``sqs-checks demo DIR --cases N --as-of 2013-03-18``), runs the checks once, and
then times each reporter writing its file from that one run:

- ``report.xlsx`` against its target of 5 seconds for 30,000 cases (the ratio
  printed is seconds / target: under 1 meets it);
- ``report.html`` at two sizes, with its cost per 1,000 findings at each: equal
  costs mean the page's cost is linear in the findings;
- ``findings.json`` and ``findings.csv`` for comparison.

With ``--baseline SRC`` the same measurements run a second time, in a child
process importing the package from the source tree ``SRC`` (for example an
earlier version unpacked with ``git archive``), and both are printed side by
side with the speed-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = dt.date(2013, 3, 18)
XLSX_TARGET = 5.0
"""Seconds ``report.xlsx`` may take for 30,000 cases."""


def export_of(cases: int, data: Path, as_of: dt.date = AS_OF) -> Path:
    """The cached demo export of ``cases`` cases as of ``as_of`` (generated on first use)."""
    folder = data / (f"demo-{cases}" if as_of == AS_OF else f"demo-{cases}-{as_of.isoformat()}")
    if not (folder / "cases.csv").exists():
        from sqs_checks.synth import generate_export

        generate_export(folder, as_of=as_of, cases=cases, seed=1)
    return folder


def run_once(export: Path, as_of: dt.date = AS_OF):
    """The checks of the default suite over ``export`` (no report written)."""
    from sqs_checks.pipeline import RunSettings, run_pipeline

    settings = RunSettings(export=str(export), as_of=as_of, formats=[])
    result = run_pipeline(settings)
    result.header()  # the run's scorecard, computed once for every format
    return result


def time_format(result, fmt: str) -> float:
    """Seconds the reporter of ``fmt`` takes to write its file from ``result``."""
    from sqs_checks.plugins import get_plugin_manager

    reporters = {r.format: r for r in get_plugin_manager(()).collect("sqs_checks_reporters")}
    with tempfile.TemporaryDirectory(prefix="sqs-bench-") as out:
        t0 = time.perf_counter()
        reporters[fmt].write(result, Path(out), {})
        return time.perf_counter() - t0


def measure(cases: int, html_sizes: list[int], data: Path, as_of: dt.date = AS_OF) -> dict:
    """Every measurement of one source tree, as plain data."""
    out: dict = {"cases": cases, "formats": {}, "html": []}
    result = run_once(export_of(cases, data, as_of), as_of)
    out["findings"] = result.finding_count()
    for fmt in ("xlsx", "html", "json", "csv"):
        out["formats"][fmt] = time_format(result, fmt)
    for size in html_sizes:
        sized = result if size == cases else run_once(export_of(size, data, as_of), as_of)
        seconds = out["formats"]["html"] if size == cases else time_format(sized, "html")
        out["html"].append({"cases": size, "findings": sized.finding_count(), "seconds": seconds})
    return out


def baseline(src: Path, args: argparse.Namespace) -> dict:
    """The same measurements with the package imported from the source tree ``src``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(src), str(src / "plugins")])
    cmd = [sys.executable, str(Path(__file__).resolve()), "--json", "--cases", str(args.cases)]
    cmd += ["--data", str(args.data), "--html-sizes", *map(str, args.html_sizes)]
    cmd += ["--as-of", args.as_of.isoformat()]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def show(now: dict, before: dict | None) -> None:
    """Print the measurements (and the baseline's beside them)."""
    print(f"{now['cases']:,} cases, {now['findings']:,} findings")
    head = f"{'format':<8} {'seconds':>8}"
    if before:
        head += f" {'baseline':>9} {'speed-up':>9}"
    print(head)
    for fmt, seconds in now["formats"].items():
        line = f"{fmt:<8} {seconds:>8.2f}"
        if before:
            old = before["formats"][fmt]
            line += f" {old:>9.2f} {old / seconds:>8.1f}x"
        if fmt == "xlsx":
            target = XLSX_TARGET * now["cases"] / 30_000
            line += f"   target {target:.1f} s: ratio {seconds / target:.2f}"
        print(line)
    print("report.html, cost per 1,000 findings (linear when equal):")
    for item in now["html"]:
        per = 1000 * item["seconds"] / max(item["findings"], 1)
        print(
            f"  {item['cases']:>7,} cases {item['findings']:>7,} findings "
            f"{item['seconds']:>6.2f} s  {per:.3f} s per 1,000"
        )
    if len(now["html"]) >= 2:
        first, last = now["html"][0], now["html"][-1]
        growth = (last["seconds"] / first["seconds"]) / (
            max(last["findings"], 1) / max(first["findings"], 1)
        )
        print(f"  time grows {growth:.2f}x as fast as the findings (1.00 = linear)")


def main() -> None:
    """Parse the arguments, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=30_000)
    parser.add_argument("--html-sizes", type=int, nargs="+", default=None)
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--baseline", type=Path, default=None, help="source tree to compare")
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=AS_OF,
        help="as-of date of the demo export and the run (default 2013-03-18)",
    )
    args = parser.parse_args()
    args.html_sizes = args.html_sizes or [args.cases // 4, args.cases]
    now = measure(args.cases, args.html_sizes, args.data, args.as_of)
    if args.json:
        print(json.dumps(now))
        return
    before = baseline(args.baseline, args) if args.baseline else None
    show(now, before)


if __name__ == "__main__":
    main()
