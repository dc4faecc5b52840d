"""report.xlsx read back with openpyxl: sheets, headers, frames, date types, per-manager rows."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from report_helpers import FORMULA_MANAGER, HOSTILE_MANAGER, demo_result, hostile_result, write_all

from sqs_checks.reporters.xlsx import FINDING_COLUMNS, MANAGER_COLUMNS, sheet_title


@pytest.fixture(scope="module")
def workbook(demo_run, tmp_path_factory):
    """The demo run's workbook, loaded."""
    path = write_all(demo_run, tmp_path_factory.mktemp("xlsx"), ("xlsx",))["xlsx"]
    return openpyxl.load_workbook(path)


def test_sheets_in_order_with_one_per_case_manager(workbook, demo_run):
    """Summary, All findings, Input problems, then one sheet per case manager (by name)."""
    managers = sorted(m["case_manager"] for m in demo_run.scorecard()["case_managers"])
    assert workbook.sheetnames[:3] == ["Summary", "All findings", "Input problems"]
    assert workbook.sheetnames[3:] == sorted(managers, key=str.casefold)


def test_all_findings_sheet_has_header_autofilter_frozen_row_and_dates(workbook, demo_run):
    """Every finding is a row; dates are real dates shown DD/MM/YYYY."""
    ws = workbook["All findings"]
    header = [c.value for c in ws[1]]
    assert header == [name for name, _ in FINDING_COLUMNS]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:O{ws.max_row}"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(demo_run.findings())
    start = header.index("Case start")
    due = header.index("Due by")
    for row in rows:
        assert isinstance(row[start], dt.datetime)
    dated = [r for r in ws.iter_rows(min_row=2) if r[due].value is not None]
    assert dated, "some findings carry a deadline"
    for cells in dated:
        assert isinstance(cells[due].value, dt.datetime)
        assert cells[due].number_format == "DD/MM/YYYY"
        assert cells[start].number_format == "DD/MM/YYYY"


def test_case_manager_sheets_hold_exactly_their_findings(workbook, demo_run):
    """Each case manager's sheet lists their findings and no one else's."""
    findings = demo_run.findings()
    header_names = [name for name, _ in MANAGER_COLUMNS]
    for manager in workbook.sheetnames[3:]:
        ws = workbook[manager]
        assert ws["A1"].value.startswith(f"Flagged cases of {manager}")
        assert [c.value for c in ws[3]] == header_names
        assert ws.freeze_panes == "A4"
        got = sorted(
            (r[0], r[header_names.index("Check id")], r[header_names.index("Reason")])
            for r in ws.iter_rows(min_row=4, values_only=True)
            if r[0] != "No flagged cases."
        )
        want = sorted(
            (f["case_id"], f["check_id"], f["reason"])
            for f in findings
            if f["case_manager"] == manager
        )
        assert got == want, manager


def test_summary_has_run_facts_and_scorecard(workbook, demo_run):
    """The as-of date is a real date; every check has its inspection phrase."""
    ws = workbook["Summary"]
    facts = {r[0]: r[1] for r in ws.iter_rows(min_row=3, max_row=14, values_only=True)}
    assert facts["As of"] == dt.datetime(2013, 3, 18)
    assert ws["B3"].number_format == "DD/MM/YYYY"
    assert facts["Suite"] == "open-cases"
    assert facts["Export fingerprint (SHA-256)"] == demo_run.loaded.fingerprint
    assert facts["Filtered"] == "No: every case in scope"
    texts = [r[9] for r in ws.iter_rows(values_only=True) if len(r) > 9 and r[9]]
    for check in demo_run.scorecard()["checks"]:
        assert check["text"] in texts


def test_filtered_workbook_says_so_and_keeps_one_manager(demo_export, tmp_path):
    """--case-manager: one manager sheet, findings of that manager only, summary says filtered."""
    manager = demo_result(demo_export).scorecard()["case_managers"][0]["case_manager"]
    result = demo_result(demo_export, case_manager=manager.upper())
    wb = openpyxl.load_workbook(write_all(result, tmp_path, ("xlsx",))["xlsx"])
    assert wb.sheetnames[3:] == [manager]
    facts = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r}
    assert facts["Filtered"] == f"case manager {manager.upper()}"
    managers = {r[2] for r in wb["All findings"].iter_rows(min_row=2, values_only=True)}
    assert managers <= {manager}


def test_formulas_stay_text(hostile_export, tmp_path):
    """A name starting with = is stored as text with a quote prefix, never as a formula."""
    path = write_all(hostile_result(hostile_export), tmp_path, ("xlsx",))["xlsx"]
    wb = openpyxl.load_workbook(path)
    ws = wb["All findings"]
    cells = [r[2] for r in ws.iter_rows(min_row=2) if r[2].value == FORMULA_MANAGER]
    assert cells
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.quotePrefix
    import zipfile

    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any("<f>" in z.read(n).decode() for n in sheets)
    assert any(name.startswith("Bea ") for name in wb.sheetnames)
    assert HOSTILE_MANAGER.startswith("Bea ")


def test_sheet_titles_are_valid_and_unique():
    """Forbidden characters go, 31 characters at most, duplicates numbered."""
    taken = {"summary"}
    assert sheet_title("Summary", taken) == "Summary (2)"
    assert sheet_title("a/b:c*d?[e]", taken) == "a b c d  e"
    long = sheet_title("x" * 40, taken)
    assert len(long) == 31
    assert sheet_title("x" * 40, taken) == "x" * 27 + " (2)"
    assert sheet_title("'", taken) == "(no name)"
