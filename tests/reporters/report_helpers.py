"""Helpers shared by the reporter tests (the fixtures are in conftest.py).

* ``demo_run``: the synthetic demo export (fixed as-of date and seed) run with a
  fixed list of checks, with its volatile values (start time, export path, check
  timings) made stable - the golden files are written from it.
* ``hostile_export``: a tiny export whose names, narratives and ids carry markup and
  spreadsheet formulas, run together with a local check that quotes narratives.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqs_checks.testing import run_export

AS_OF = dt.date(2013, 3, 18)
GOLDEN_CHECKS = [
    "reoffending.initial_assessment",
    "public.risk_management_plan",
    "child.vulnerability_management_plan",
    "oversight.sign_off",
    "data.record_excluded",
]
"""The checks of the golden runs (fixed, so that a new check in the catalog does not move them)."""

PLUGINS = Path(__file__).parent / "plugins"
XSS_SCRIPT = "<script>window.__pwned = 'script'</script>"
XSS_IMG = "<img src=x onerror=\"window.__pwned = 'img'\">"
HOSTILE_MANAGER = f"Bea {XSS_SCRIPT}"
FORMULA_MANAGER = '=HYPERLINK("http://example.invalid","click")'
HOSTILE_SIGNER = "@SUM(1+1) Pat"


def stabilise(result: Any) -> Any:
    """Make a run's volatile values fixed: start time, export path, tool version, timings."""
    result.started_at = dt.datetime(2013, 3, 18, 9, 0, 0, tzinfo=dt.UTC)
    result.loaded.description = "demo-export"
    result.tool_version = "0.0.0"
    for run in result.checks:
        run.seconds = 0.0
    return result


def demo_result(export: Path, **filters: Any) -> Any:
    """A fresh stabilised run of the golden checks over the demo export."""
    redact = filters.pop("redact", False)
    result = run_export(export, as_of=AS_OF, checks=GOLDEN_CHECKS)
    result.apply_filters(**filters)
    result.redact = redact
    return stabilise(result)


def hostile_tables() -> dict[str, list[dict[str, Any]]]:
    """Cases whose names, narratives and ids carry markup and formulas."""
    return {
        "cases": [
            {
                "case_id": "C1",
                "child_id": "K-100",
                "start_date": "2013-01-07",
                "case_manager": FORMULA_MANAGER,
                "team": "North",
            },
            {
                "case_id": "C2",
                "child_id": "K-200",
                "start_date": "2013-01-07",
                "case_manager": HOSTILE_MANAGER,
                "team": "South <b>bold</b>",
            },
            {
                "case_id": "C3",
                "child_id": "K-300",
                "start_date": "2013-01-07",
                "case_manager": HOSTILE_MANAGER,
                "team": "South <b>bold</b>",
            },
            {
                "case_id": "C4",
                "child_id": "K-400",
                "start_date": "2013-01-14",
                "case_manager": "Sam Lee",
                "team": "North",
            },
            {
                "case_id": "C5",
                "child_id": "K-500",
                "start_date": "31/02/2013",
                "case_manager": "Jo Quarantined",
                "team": "North",
            },
        ],
        "assessments": [
            {
                "assessment_id": "A1",
                "case_id": "C2",
                "kind": "rosh",
                "stage": "initial",
                "completed_date": "2013-02-20",
                "level": "high",
                "narrative": XSS_IMG,
                "author": "Sam Lee",
                "signed_off_by": "Sam Lee",
                "signed_off_date": "2013-02-21",
            },
            {
                "assessment_id": "A2",
                "case_id": "C3",
                "kind": "reoffending",
                "stage": "initial",
                "completed_date": "2013-01-10",
                "level": "low",
                "narrative": XSS_SCRIPT,
                "author": "Sam Lee",
                "signed_off_by": HOSTILE_SIGNER,
                "signed_off_date": "2013-01-30",
            },
            {
                "assessment_id": "A3",
                "case_id": "C1",
                "kind": "reoffending",
                "stage": "initial",
                "completed_date": "2013-01-10",
                "level": "low",
                "narrative": "=1+1 plain words",
                "author": "Sam Lee",
                "signed_off_by": "",
                "signed_off_date": "",
            },
        ],
    }


def hostile_result(export: Path, **filters: Any) -> Any:
    """A run of every check plus the narrative-quoting local check over ``export``."""
    redact = filters.pop("redact", False)
    result = run_export(export, as_of=AS_OF, plugins_dirs=[PLUGINS])
    result.apply_filters(**filters)
    result.redact = redact
    return stabilise(result)


def write_all(
    result: Any, out: Path, formats: tuple[str, ...] = ("json", "html", "xlsx", "csv", "junit")
) -> dict[str, Path]:
    """Write ``formats`` with the registered reporters; return format -> path."""
    from sqs_checks.plugins import get_plugin_manager

    reporters = {r.format: r for r in get_plugin_manager(()).collect("sqs_checks_reporters")}
    out.mkdir(parents=True, exist_ok=True)
    return {fmt: reporters[fmt].write(result, out, {}) for fmt in formats}
