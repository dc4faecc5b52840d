"""Golden tests: every format on the demo export, stable ordering and stable output.

The demo export is generated with a fixed as-of date and seed, and run with a
fixed list of checks; the run's start time, export path and timings are fixed
before writing. When a deliberate change alters an output, regenerate the
golden files with ``SQS_UPDATE_GOLDEN=1 pytest tests/reporters`` and review the
diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from report_helpers import demo_result, write_all

GOLDEN = Path(__file__).parent.parent / "golden"
UPDATE = os.environ.get("SQS_UPDATE_GOLDEN") == "1"


def xlsx_dump(path: Path) -> dict[str, Any]:
    """A workbook as plain data: per sheet its frame and every row (dates as ISO + format)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            values = []
            for cell in row:
                value = cell.value
                if isinstance(value, dt.datetime):
                    value = {"date": value.date().isoformat(), "format": cell.number_format}
                elif isinstance(value, float) and cell.number_format == "0%":
                    value = {"percent": round(value, 4)}
                values.append(value)
            while values and values[-1] is None:
                values.pop()
            rows.append(values)
        out[ws.title] = {
            "freeze_panes": ws.freeze_panes,
            "auto_filter": ws.auto_filter.ref,
            "rows": rows,
        }
    return out


def terminal_text(result: Any) -> str:
    """The terminal summary as plain text, 100 columns wide."""
    import io

    from rich.console import Console

    from sqs_checks.reporters.terminal import print_summary

    console = Console(file=io.StringIO(), width=100, color_system=None, force_terminal=False)
    print_summary(result, console=console)
    return console.file.getvalue()


def compare(name: str, text: str) -> None:
    """Compare ``text`` with the golden file ``name`` (or rewrite it when updating)."""
    path = GOLDEN / name
    if UPDATE or not path.exists():
        if not UPDATE and os.environ.get("CI"):
            pytest.fail(f"the golden file {path} is missing; create it with SQS_UPDATE_GOLDEN=1")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    expected = path.read_bytes().decode("utf-8")
    assert text == expected, f"{name} differs from its golden file (SQS_UPDATE_GOLDEN=1 rewrites)"


@pytest.fixture(scope="module")
def written(demo_export, tmp_path_factory) -> dict[str, Path]:
    """Every format written from one stabilised run of the demo export."""
    return write_all(demo_result(demo_export), tmp_path_factory.mktemp("golden-out"))


@pytest.mark.parametrize(
    ("fmt", "golden"),
    [
        ("json", "demo.findings.json"),
        ("html", "demo.report.html"),
        ("csv", "demo.findings.csv"),
        ("junit", "demo.junit.xml"),
    ],
)
def test_text_formats_match_golden(written, fmt, golden):
    """findings.json, report.html, findings.csv and junit.xml match their golden files."""
    compare(golden, written[fmt].read_bytes().decode("utf-8"))


def test_workbook_matches_golden(written):
    """report.xlsx, read back with openpyxl, matches its golden dump."""
    dump = xlsx_dump(written["xlsx"])
    compare("demo.report.xlsx.json", json.dumps(dump, indent=1, ensure_ascii=False) + "\n")


def test_terminal_summary_matches_golden(demo_run):
    """The terminal summary matches its golden text."""
    compare("demo.terminal.txt", terminal_text(demo_run))


def test_outputs_are_stable_across_runs(demo_export, written, tmp_path):
    """A second run over the same export writes byte-identical text outputs."""
    again = write_all(demo_result(demo_export), tmp_path / "again")
    for fmt in ("json", "html", "csv", "junit"):
        assert again[fmt].read_bytes() == written[fmt].read_bytes(), fmt
    assert xlsx_dump(again["xlsx"]) == xlsx_dump(written["xlsx"])


def test_golden_demo_has_findings_of_every_golden_check(demo_run):
    """The golden run exercises each of its checks (else the goldens would prove little)."""
    flagged = {f["check_id"] for f in demo_run.findings()}
    assert {"reoffending.initial_assessment", "oversight.sign_off"} <= flagged
    assert len(demo_run.input_problems()) > 0
