"""Before/after: the whole run of an earlier commit against this one, interleaved.

Usage::

    git worktree add /tmp/base <commit>
    python benchmarks/bench_ab.py --base /tmp/base benchmarks/data/cases-100000 --repeat 3

Each round runs the earlier commit (its checkout put first on ``PYTHONPATH``, with
its plugins) and then this one, on the same export, so both sides see the same
noise. It prints each side's wall time, the best of each phase from
``--timings`` side by side, and whether ``findings.json`` is the same on both
sides (its findings, input problems, checks, scorecard and due soon; the run's
times and dates left out).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RUN_KEYS = ("cases_in_scope", "degraded", "input_counts", "cases_out_of_scope_by_disposal")
"""The run fields compared (the others are times, dates and versions)."""


FINDINGS = b'\n  "findings": '
"""Where findings.json's findings array starts (it is the file's last key)."""


def read_output(path: Path) -> dict[str, Any]:
    """findings.json's header parsed, and its findings as a SHA-256 of their bytes.

    A national run's findings are gigabytes: they are hashed as they are read,
    never parsed.
    """
    digest = hashlib.sha256()
    head = bytearray()
    found = False
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 24):
            if found:
                digest.update(chunk)
                continue
            head += chunk
            cut = head.find(FINDINGS)
            if cut >= 0:
                digest.update(bytes(head[cut:]))
                del head[cut:]
                found = True
    data = json.loads(bytes(head).decode("utf-8").rstrip().rstrip(",") + "}")
    data["findings_sha256"] = digest.hexdigest()
    return data


def run_once(exe: str, export: str, as_of: str, env: dict[str, str]) -> tuple[float, dict]:
    """Wall seconds and the findings.json (see :func:`read_output`) of one run."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [exe, "run", export, "--as-of", as_of, "-q", "--format", "json", "--timings"]
        started = time.perf_counter()
        done = subprocess.run([*cmd, "-o", tmp], env=env, cwd=tmp, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if done.returncode not in (0, 1):
            raise SystemExit(f"run failed ({done.returncode}): {done.stderr.strip()[-400:]}")
        return seconds, read_output(Path(tmp) / "findings.json")


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """findings.json without what changes from run to run (times, dates, phases)."""
    out = {k: v for k, v in data.items() if k != "run"}
    out["run"] = {k: data["run"].get(k) for k in RUN_KEYS}
    out["checks"] = [{k: v for k, v in c.items() if k != "seconds"} for c in data["checks"]]
    return out


def main() -> None:
    """Run both sides in turn and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export")
    parser.add_argument("--base", type=Path, required=True, help="checkout of the earlier commit")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--as-of", default="2026-11-02")
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("sqs-checks"))
    base = args.base.resolve()
    sides = {
        "before": dict(os.environ, PYTHONPATH=f"{base}{os.pathsep}{base / 'plugins'}"),
        "after": dict(os.environ),
    }
    walls: dict[str, list[float]] = {side: [] for side in sides}
    phases: dict[str, dict[str, list[float]]] = {side: {} for side in sides}
    outputs: dict[str, dict[str, Any]] = {}
    for _ in range(args.repeat):
        for side, env in sides.items():
            seconds, data = run_once(exe, args.export, args.as_of, env)
            walls[side].append(seconds)
            outputs[side] = comparable(data)
            for phase in data["run"].get("timings") or []:
                phases[side].setdefault(phase["phase"], []).append(phase["seconds"])
            print(f"{side}: {seconds:.1f} s", flush=True)
    print(f"\nbest wall: before {min(walls['before']):.2f} s, after {min(walls['after']):.2f} s")
    print(f"{'phase (best of each)':<46} {'before':>8} {'after':>8}")
    for name in phases["after"]:
        before = min(phases["before"].get(name, [float("nan")]))
        print(f"{name:<46} {before:>8.2f} {min(phases['after'][name]):>8.2f}")
    checks = {
        side: sum(min(v) for k, v in phases[side].items() if k.startswith("check "))
        for side in sides
    }
    print(f"{'all checks':<46} {checks['before']:>8.2f} {checks['after']:>8.2f}")
    same = outputs["before"] == outputs["after"]
    print(f"findings.json the same on both sides: {'yes' if same else 'NO'}")
    if not same:
        for key in outputs["after"]:
            if outputs["before"].get(key) != outputs["after"][key]:
                print(f"  differs: {key}")


if __name__ == "__main__":
    main()
