"""No network traffic, ever: a full run with every socket connection refused and recorded.

The run uses the sqs-2013 suite (so Great Expectations runs too) and writes every format.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqs_checks.testing import make_export

GUARD = """
import socket, sys

LOG = {log!r}

def _record(what):
    with open(LOG, "a") as fh:
        fh.write(what + "\\n")

def _audit(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto",
                 "urllib.Request", "http.client.connect"):
        _record(f"{{event}} {{args!r}}")
        raise OSError(f"network blocked by the test: {{event}}")

sys.addaudithook(_audit)
"""


def test_full_run_attempts_no_connection(tmp_path):
    export = make_export(
        tmp_path / "export",
        {
            "cases": [{"case_id": "C1", "start_date": "2013-01-07"}],
            "assessments": [
                {
                    "case_id": "C1",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "2013-02-01",
                    "narrative": "text " * 30,
                }
            ],
            "plans": [
                {
                    "case_id": "C1",
                    "kind": "risk_management",
                    "created_date": "2013-02-02",
                    "has_contingency": True,
                }
            ],
        },
    )
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    log = tmp_path / "network.log"
    (guard_dir / "sitecustomize.py").write_text(GUARD.format(log=str(log)))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(guard_dir), os.environ.get("PYTHONPATH", "")]),
    }
    formats = [a for f in ("json", "html", "xlsx", "csv", "junit") for a in ("--format", f)]
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sqs_checks.cli",
            "run",
            str(export),
            "--as-of",
            "2013-03-18",
            *formats,
            "-o",
            str(tmp_path / "out"),
            "--suite",
            "sqs-2013",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("findings.json", "report.html", "report.xlsx", "findings.csv", "junit.xml"):
        assert (tmp_path / "out" / name).exists(), name
    attempts = log.read_text() if log.exists() else ""
    assert attempts == "", f"network attempted:\n{attempts}"
    # the guard really is active in that interpreter
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9), 1)"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert probe.returncode != 0 and "network blocked by the test" in probe.stderr
    assert Path(log).read_text().startswith("socket.")
