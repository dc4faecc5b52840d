"""What a run imports: nothing it does not use (each import is paid on every run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("sqs-checks")


def test_a_run_imports_neither_holidays_nor_hypothesis(tmp_path):
    export = tmp_path / "export"
    subprocess.run(
        [str(SCRIPT), "demo", str(export), "--cases", "40", "--as-of", "2025-06-30"],
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "sqs_checks.cli", "run", str(export)]
        + ["--as-of", "2025-06-30", "-q", "--format", "json", "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "sqs_checks.bank_holiday_table" in imported
    assert "holidays" not in imported  # the bank holidays come from the table
    assert "hypothesis" not in imported  # pandera's data synthesis, never used by a run
    assert (tmp_path / "out" / "findings.json").is_file()


def test_pandera_validates_with_hypothesis_hidden_and_hypothesis_imports_afterwards():
    code = """
import sys
import pandera.polars as pa
import polars as pl
from sqs_checks.contract import register_polars_checks

class Model(pa.DataFrameModel):
    role: str = pa.Field(isin=["case_manager", "manager"])

register_polars_checks()
assert "hypothesis" not in sys.modules
try:
    Model.to_schema().validate(pl.DataFrame({"role": ["case_manager", "cook"]}))
except pa.errors.SchemaError as exc:
    print("caught", "cook" in str(exc))
import hypothesis
print("hypothesis", hypothesis.__version__ != "")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["caught", "True", "hypothesis", "True"]
