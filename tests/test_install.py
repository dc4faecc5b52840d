"""The built wheel works from any directory: help, demo, run (suites and plugins ship inside)."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_and_runs_from_another_directory(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    py = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # the dependencies come from this environment, the project itself only from the wheel
    deps = [
        p for p in {sysconfig.get_paths()["purelib"], *site.getsitepackages()} if Path(p).is_dir()
    ]
    (Path(purelib) / "deps.pth").write_text("\n".join(deps) + "\n")
    [wheel] = list(wheels.glob("*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    exe = venv / "bin" / "sqs-checks"
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}

    def sqs(*args):
        return subprocess.run(
            [str(exe), *args], cwd=work, capture_output=True, text=True, env=env, timeout=300
        )

    assert "Pre-inspection data-quality checks" in sqs("--help").stdout
    demo = sqs("demo", "export", "--as-of", "2013-03-18", "--cases", "60")
    assert demo.returncode == 0, demo.stderr
    run = sqs(
        "run",
        "export",
        "--as-of",
        "2013-03-18",
        "-o",
        "out",
        "--format",
        "json",
        "--suite",
        "sqs-2013",
    )
    assert run.returncode == 0, run.stderr
    data = json.loads((work / "out" / "findings.json").read_text())
    assert data["run"]["suite"] == "sqs-2013"
    located = subprocess.run(
        [
            str(py),
            "-c",
            "import sqs_checks, sqs_hmip; print(sqs_checks.__file__); print(sqs_hmip.__file__)",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
    ).stdout
    assert str(ROOT) not in located
    assert {c["id"] for c in data["checks"]} >= {
        "reoffending.initial_assessment",
        "oversight.sign_off",
    }
