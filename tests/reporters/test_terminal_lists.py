"""The terminal's counts and short lists, read from SQL, equal those read from every finding."""

from __future__ import annotations

import io
from typing import Any

import pytest
from report_helpers import AS_OF

from sqs_checks.reporters.common import ACT_NOW, ReportData, severity_order
from sqs_checks.testing import run_export


@pytest.fixture(scope="module")
def large_run(tmp_path_factory) -> Any:
    """A 300-case demo run: far more than 20 flagged cases and 30 findings per manager."""
    from sqs_checks.synth import generate_export

    folder = tmp_path_factory.mktemp("demo300")
    generate_export(folder, as_of=AS_OF, cases=300, seed=11)
    return run_export(folder, as_of=AS_OF)


def _by_hand(data: ReportData) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The tally and the flagged cases computed from every finding, in Python."""
    findings = list(data.findings(order="action"))
    severity: dict[str, int] = {}
    for f in findings:
        severity[f["severity"]] = severity.get(f["severity"], 0) + 1
    tally = {
        "findings": len(findings),
        "cases": len({f["case_id"] for f in findings}),
        "severity": severity,
        "act_now": sum(1 for f in findings if f["action"] == ACT_NOW),
    }
    cases: dict[str, list[dict[str, Any]]] = {}
    for f in findings:
        cases.setdefault(f["case_id"], []).append(f)
    flagged = [
        {
            "case_id": case_id,
            "first": {k: rows[0][k] for k in ("check_id", "reason", "due_date")},
            "worst": min((f["severity"] for f in rows), key=severity_order),
            "count": len(rows),
        }
        for case_id, rows in cases.items()
    ]
    return tally, flagged


@pytest.mark.parametrize("manager", [None, "first"])
def test_tally_and_flagged_cases_equal_a_pass_over_every_finding(large_run, manager):
    if manager == "first":
        name = large_run.con.execute(
            "SELECT case_manager FROM src_cases WHERE case_manager IS NOT NULL "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        ).fetchone()[0]
        large_run.apply_filters(case_manager=name)
    try:
        data = ReportData(large_run, {})
        tally, flagged = _by_hand(data)
        assert tally["cases"] > (20 if manager is None else 1)
        assert data.finding_tally() == tally
        for limit in (1, 20, len(flagged) + 5):
            assert data.flagged_cases(limit) == flagged[:limit]
    finally:
        large_run.apply_filters(None, None)


def test_the_terminal_names_20_flagged_cases_and_counts_the_rest(large_run):
    from rich.console import Console

    from sqs_checks.reporters.terminal import MAX_FLAGGED, print_summary

    console = Console(file=io.StringIO(), width=120, color_system=None, force_terminal=False)
    print_summary(large_run, console=console)
    out = console.file.getvalue()
    tally, flagged = _by_hand(ReportData(large_run, {}))
    lines = [line for line in out.splitlines() if line.startswith("FLAGGED ")]
    assert [line.split()[1] for line in lines] == [c["case_id"] for c in flagged[:MAX_FLAGGED]]
    assert f"... and {tally['cases'] - MAX_FLAGGED} more flagged cases in the reports." in out
    assert f"{tally['findings']} findings (" in out


def test_a_filtered_run_lists_its_first_30_findings_in_the_order_to_act(large_run):
    from rich.console import Console

    from sqs_checks.reporters.terminal import MAX_TODO, print_summary

    team = large_run.con.execute(
        "SELECT team FROM src_cases WHERE team IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1"
    ).fetchone()[0]
    large_run.apply_filters(team=team)
    try:
        findings = list(ReportData(large_run, {}).findings(order="action"))
        assert len(findings) > MAX_TODO
        console = Console(file=io.StringIO(), width=300, color_system=None, force_terminal=False)
        print_summary(large_run, console=console)
        out = console.file.getvalue()
    finally:
        large_run.apply_filters(None, None)
    todo = out.split("Cases to act on")[1].split("  ... and")[0]
    heads = [line.split() for line in todo.splitlines() if line[:2] == "  " and line[2] != " "]
    listed = [(words[0], words[-2], words[-1]) for words in heads]
    expected = [(f["case_id"], f["check_id"], f["reason"]) for f in findings[:MAX_TODO]]
    assert listed == expected
    act = sum(1 for f in findings if f["action"] == ACT_NOW)
    assert f"{act} findings to act on, {len(findings) - act} whose reason to record." in out
    assert f"... and {len(findings) - MAX_TODO} more in the reports." in out
