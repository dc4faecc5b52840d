"""Safety under faults: a lock between runs, SIGKILL mid-run and mid-write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from nightly_helpers import cli
from test_history import _export

from sqs_checks.history import HistoryStore
from sqs_checks.workspace import WorkspaceLock

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL and flock are POSIX")

SLOW_CHECK = '''"""A local check that announces itself and then takes a minute (fault tests)."""
import time
from pathlib import Path

from sqs_checks.checks import Check, CheckOutput
from sqs_checks.hookspecs import hookimpl


class Slow(Check):
    """Sleeps, so the run can be killed while the checks run."""

    def evaluate(self, ctx):
        Path({marker!r}).write_text("started")
        time.sleep(60)
        return CheckOutput(relevant=[], findings=[])


@hookimpl
def sqs_checks_checks():
    return [Slow(id="data.slow_for_tests", title="Slow", area="data", seed="-",
                 severity="low")]
'''


def _wait_for(path: Path, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            pytest.fail(f"the run ended before reaching the kill point: {out}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the run never reached the kill point")
        time.sleep(0.05)


def _snapshot(store_url: str) -> tuple[list, list]:
    store = HistoryStore(store_url)
    try:
        runs = store.runs()
        return [(r["id"], r["findings"]) for r in runs], [
            sorted((f["check_id"], f["case_id"], f["reason"]) for f in store.findings(r["id"]))
            for r in runs
        ]
    finally:
        store.close()


def test_run_killed_mid_way_leaves_report_and_history(workspace: Path, history_url: str) -> None:
    """SIGKILL while the checks run: last report byte-identical, history unchanged, no lock."""
    _export(workspace / "exports" / "latest")
    first = cli(["run", "--as-of", "2013-03-18", "-q"], cwd=workspace)
    assert first.exit_code == 0, first.output
    report = workspace / "reports" / "findings.json"
    before_report = report.read_bytes()
    before_history = _snapshot(history_url)

    _export(workspace / "exports" / "latest", with_c3=True)
    marker = workspace / "slow-started"
    (workspace / "plugins" / "slow_check.py").write_text(
        SLOW_CHECK.format(marker=str(marker)), encoding="utf-8"
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "sqs_checks.cli", "run", "--as-of", "2013-03-19", "-q"],
        cwd=workspace,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _wait_for(marker, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    assert report.read_bytes() == before_report
    assert not list((workspace / "reports").glob("*.part"))
    assert _snapshot(history_url) == before_history
    with WorkspaceLock(workspace):  # the killed run's lock went with it
        pass


RECORD_SCRIPT = """
import datetime as dt, sys, time
from pathlib import Path
from sqs_checks.history import HistoryStore

store = HistoryStore(sys.argv[1])
marker = Path(sys.argv[2])

def batches():
    for b in range(3):
        yield [("c.check", f"C{b}-{i}", "missing", "cases", f"C{b}-{i}", "high", "Alex", "North",
                "new", dt.date(2013, 3, 19), None) for i in range(500)]
        marker.write_text(str(b))
        time.sleep(60)

now = dt.datetime(2013, 3, 19, 2, 0)
store.record(
    {"recorded_at": now, "started_at": now, "as_of": dt.date(2013, 3, 19), "scope": "open-cases",
     "suite": "open-cases", "export": "x", "export_sha256": "f" * 64, "tool_version": "t",
     "cases_in_scope": 1500, "findings": 1500, "flagged_cases": 1500, "new": 1500,
     "persisting": 0, "resolved": 0, "held": 0, "previous_run_id": None, "same_export": False},
    [{"check_id": "c.check", "area": "data", "severity": "high", "status": "ran",
      "relevant": 1500, "flagged": 1500}],
    [{"area": "data", "relevant": 1500, "flagged": 1500}],
    batches(),
)
"""


def test_history_write_killed_mid_transaction(tmp_path: Path, history_url: str) -> None:
    """SIGKILL after the first batch of findings went in: no partial run is ever visible."""
    store = HistoryStore(history_url)
    store.close()
    before = _snapshot(history_url)
    script = tmp_path / "record.py"
    script.write_text(textwrap.dedent(RECORD_SCRIPT), encoding="utf-8")
    marker = tmp_path / "batch-sent"
    proc = subprocess.Popen(
        [sys.executable, str(script), history_url, str(marker)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    _wait_for(marker, proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 20
    while True:  # PostgreSQL notices the dropped connection within moments
        try:
            assert _snapshot(history_url) == before
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    store = HistoryStore(history_url)
    try:
        import sqlalchemy as sa

        from sqs_checks.history import models

        with store.engine.connect() as conn:
            leftovers = conn.execute(sa.select(sa.func.count()).select_from(models.findings))
            assert leftovers.scalar() == 0
    finally:
        store.close()


def test_second_run_stops_with_a_clear_message(workspace: Path) -> None:
    """Two runs on one workspace: the second stops (exit 2) naming the holder."""
    _export(workspace / "exports" / "latest")
    with WorkspaceLock(workspace):
        result = cli(["run", "--as-of", "2013-03-18", "-q"], cwd=workspace)
    assert result.exit_code == 2
    assert "Another sqs-checks run is using the workspace" in result.output
    assert f"pid {os.getpid()}" in result.output and "--wait" in result.output
    assert "Traceback" not in result.output


HOLDER = """
import sys
from sqs_checks.workspace import WorkspaceLock

lock = WorkspaceLock(sys.argv[1]).acquire()
print("held", flush=True)
sys.stdin.readline()
lock.release()
"""
"""Another process that holds a workspace until told (a line on its standard input)."""


@pytest.mark.parametrize("history_url", ["sqlite"], indirect=True)
def test_second_run_waits_with_wait(workspace: Path, history_url: str) -> None:
    """With --wait the second run queues behind the first (another process), then runs."""
    _export(workspace / "exports" / "latest")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(workspace)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    timer = threading.Timer(1.0, holder.communicate, kwargs={"input": "release\n"})
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        timer.start()
        result = cli(["run", "--as-of", "2013-03-18", "-q", "--wait"], cwd=workspace)
        waited = time.monotonic() - started
    finally:
        timer.join()
        holder.wait(timeout=60)
    assert holder.returncode == 0
    assert result.exit_code == 0, result.output
    assert waited >= 0.9
    assert len(_snapshot(history_url)[0]) == 1
