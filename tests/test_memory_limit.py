"""DuckDB's memory once the export is loaded: bounded by the export's size, or as told."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sqs_checks import engine

CLI = [sys.executable, "-m", "sqs_checks.cli"]


def _limit(con) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]


def _mib(setting: str) -> float:
    number, unit = setting.split()
    return float(number) * {"KiB": 2**-10, "MiB": 1, "GiB": 2**10, "TiB": 2**20}[unit]


def test_a_small_export_gets_the_least_limit(monkeypatch):
    monkeypatch.setattr(engine, "_machine_share", lambda: 64 * 2**30)  # a large machine
    con = engine.connect()
    con.execute("CREATE TEMP TABLE src_cases AS SELECT range AS case_id FROM range(1000)")
    assert engine.bound_memory(con) == f"{engine.MIN_MEMORY_LIMIT // 2**20}MiB"
    assert _limit(con) == "2.0 GiB"


def test_the_limit_grows_with_what_the_tables_take(monkeypatch):
    monkeypatch.setattr(engine, "MIN_MEMORY_LIMIT", 2**20)
    monkeypatch.setattr(engine, "_machine_share", lambda: 64 * 2**30)
    con = engine.connect()
    con.execute(
        "CREATE TEMP TABLE src_assessments AS SELECT range AS id, repeat('narrative ', 30) "
        "AS narrative FROM range(300000)"
    )
    [(held,)] = con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchall()
    engine.bound_memory(con)
    assert held > 50 * 2**20
    assert _mib(_limit(con)) == pytest.approx(held * engine.MEMORY_OVER_TABLES / 2**20, rel=0.02)


def test_the_limit_never_passes_the_machine_share(monkeypatch):
    monkeypatch.setattr(engine, "_machine_share", lambda: 300 * 2**20)
    con = engine.connect()
    assert engine.bound_memory(con) == "300MiB"  # less than the least limit: the machine wins
    assert _limit(con) == "300.0 MiB"


def test_a_limit_given_is_kept():
    con = engine.connect()
    assert engine.bound_memory(con, "1.5GiB") == "1.5GiB"
    assert _limit(con) == "1.5 GiB"


def _run(export: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, "run", str(export), "--as-of", "2026-11-02", "-q", "-o", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _findings(out: Path) -> dict:
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    data["run"].pop("started_at")
    return data


def test_a_run_spilling_to_disk_finds_the_same(tmp_path):
    import datetime as dt

    from sqs_checks.pipeline import RunSettings, run_pipeline

    export = tmp_path / "export"
    made = subprocess.run(
        [*CLI, "demo", str(export), "--cases", "6000", "--as-of", "2026-11-02"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    runs = {}
    for name, limit in (("free", None), ("tight", "64MB")):
        settings = RunSettings(
            export=str(export),
            as_of=dt.date(2026, 11, 2),
            out_dir=tmp_path / name,
            memory_limit=limit,
        )
        runs[name] = run_pipeline(settings)
    [(spilled,)] = (
        runs["tight"]
        .con.execute("SELECT sum(temporary_storage_bytes) FROM duckdb_memory()")
        .fetchall()
    )
    assert spilled > 0  # less than the tables and the work need at once: some went to disk
    assert _findings(tmp_path / "tight") == _findings(tmp_path / "free")


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("8XB", "'8XB' is not a memory size: give a number and a unit, such as 8GB"),
        ("101%", "'101%' is not a memory size"),
        ("100MB", "'100MB' is too little for a run: give at least 256MB."),
        ("0.0001%", "'0.0001%' is too little for a run: give at least 256MB."),
    ],
)
def test_a_memory_limit_that_is_not_a_size_is_refused(tmp_path, value, says):
    done = _run(tmp_path / "nowhere", tmp_path / "out", "--memory-limit", value)
    assert done.returncode == 2
    assert says in done.stderr
    assert "Traceback" not in done.stderr
