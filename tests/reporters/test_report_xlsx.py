"""report.xlsx read back with openpyxl: sheets, order, types, formats, print set-up, safety."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest
from report_helpers import FORMULA_MANAGER, HOSTILE_MANAGER, demo_result, hostile_result, write_all

from sqs_checks.reporters.common import ReportData
from sqs_checks.reporters.xlsx import (
    DUE_SOON_COLUMNS,
    FINDING_COLUMNS,
    MANAGER_COLUMNS,
    SEVERITY_COLOURS,
    XlsxReporter,
    sheet_title,
)

FIXED = ["Summary", "Due soon", "All findings", "Input problems"]


@pytest.fixture(scope="module")
def workbook(demo_run, tmp_path_factory):
    """The demo run's workbook, loaded."""
    path = write_all(demo_run, tmp_path_factory.mktemp("xlsx"), ("xlsx",))["xlsx"]
    return openpyxl.load_workbook(path)


def column(ws, name: str, header_row: int = 1) -> int:
    """The 0-based index of the column called ``name``."""
    return [c.value for c in ws[header_row]].index(name)


def test_sheets_in_order_with_one_per_case_manager(workbook, demo_run):
    """Summary, Due soon, All findings, Input problems, then one sheet per case manager."""
    managers = sorted(m["case_manager"] for m in demo_run.scorecard()["case_managers"])
    assert workbook.sheetnames[:4] == FIXED
    assert workbook.sheetnames[4:] == sorted(managers, key=str.casefold)


def test_all_findings_in_the_order_of_what_to_do(workbook, demo_run):
    """Every finding once: act now first, then record the reason, each by due date (undated
    last) and severity; dates are real dates shown DD/MM/YYYY."""
    ws = workbook["All findings"]
    assert [c.value for c in ws[1]] == [name for name, _ in FINDING_COLUMNS]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:P{ws.max_row}"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(demo_run.findings())
    action, due, sev = (column(ws, n) for n in ("Action", "Due by", "Severity"))
    start = column(ws, "Case start")
    labels = [r[action] for r in rows]
    assert labels == sorted(labels)  # "Act now" < "Record the reason"
    rank = {"high": 0, "medium": 1, "low": 2}
    for label in ("Act now", "Record the reason"):
        keys = [
            (r[due] is None, r[due] or dt.datetime.min, rank[r[sev]])
            for r in rows
            if r[action] == label
        ]
        assert keys == sorted(keys)
    for cells in ws.iter_rows(min_row=2):
        assert isinstance(cells[start].value, dt.datetime)
        assert cells[start].number_format == "DD/MM/YYYY"
        if cells[due].value is not None:
            assert isinstance(cells[due].value, dt.datetime)
            assert cells[due].number_format == "DD/MM/YYYY"


def test_every_finding_with_a_deadline_has_a_due_date(workbook, demo_run):
    """The "Due by" column is the finding's due date: filled for every missing or late work."""
    ws = workbook["All findings"]
    due, reason = column(ws, "Due by"), column(ws, "Reason")
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    dated = {"missing", "late", "overdue", "not_reviewed_after_event"}
    assert all(r[due] is not None for r in rows if r[reason] in dated)
    expected = sorted(str(f["due_date"]) for f in demo_run.findings() if f["due_date"])
    assert sorted(str(r[due].date()) for r in rows if r[due]) == expected


def test_long_text_wraps_and_severity_is_coloured(workbook):
    """Message, what to do and evidence wrap; a severity cell is filled with its colour."""
    ws = workbook["All findings"]
    cells = next(ws.iter_rows(min_row=2, max_row=2))
    for name in ("Message", "What to do", "Evidence", "Check"):
        assert cells[column(ws, name)].alignment.wrap_text, name
    severities = {}
    for row in ws.iter_rows(min_row=2):
        cell = row[column(ws, "Severity")]
        severities[cell.value] = cell.fill.fgColor.rgb
        assert cell.font.b
    assert severities
    for severity, rgb in severities.items():
        assert rgb.endswith(SEVERITY_COLOURS[severity].lstrip("#").upper())


def test_every_sheet_prints_a4_landscape_with_repeated_headers(workbook):
    """A4 landscape, one page wide; a table's header row repeats on every printed page."""
    for ws in workbook.worksheets:
        assert ws.page_setup.paperSize == 9, ws.title
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1), ws.title  # 1 is Excel's default
        assert ws.page_setup.fitToHeight == 0, ws.title  # as many pages down as needed
    assert workbook["All findings"].print_title_rows == "$1:$1"
    assert workbook["Input problems"].print_title_rows == "$1:$1"
    assert workbook["Due soon"].print_title_rows == "$3:$3"
    assert workbook[workbook.sheetnames[4]].print_title_rows == "$3:$3"


def test_case_manager_sheets_hold_exactly_their_findings(workbook, demo_run):
    """Each case manager's sheet lists their findings, and no one else's, to act on first."""
    findings = demo_run.findings()
    names = [name for name, _ in MANAGER_COLUMNS]
    for manager in workbook.sheetnames[4:]:
        ws = workbook[manager]
        assert ws["A1"].value.startswith(f"Flagged cases of {manager}")
        assert [c.value for c in ws[3]] == names
        assert ws.freeze_panes == "A4"
        rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0] != "No flagged cases."]
        got = sorted((r[0], r[names.index("Check id")]) for r in rows)
        want = sorted(
            (f["case_id"], f["check_id"]) for f in findings if f["case_manager"] == manager
        )
        assert got == want, manager
        actions = [r[names.index("Action")] for r in rows]
        assert actions == sorted(actions)


def test_summary_opens_with_areas_for_improvement_and_has_run_facts(workbook, demo_run):
    """Areas for improvement and strengths first; the as-of date a date, the start a date-time;
    every check with its inspection phrase."""
    ws = workbook["Summary"]
    values = [r[0] for r in ws.iter_rows(values_only=True)]
    assert values[2] == "Areas for improvement"
    assert "Strengths" in values
    facts = {r[0]: (r[1] if len(r) > 1 else None) for r in ws.iter_rows(values_only=True) if r}
    assert facts["As of"] == dt.datetime(2013, 3, 18)
    assert facts["Run started (UTC)"] == dt.datetime(2013, 3, 18, 9, 0, 0)
    for row in ws.iter_rows():
        if row[0].value == "Run started (UTC)":
            assert row[1].number_format == "DD/MM/YYYY HH:MM:SS"
        if row[0].value == "As of":
            assert row[1].number_format == "DD/MM/YYYY"
    assert facts["Suite"] == "open-cases"
    assert facts["Export fingerprint (SHA-256)"] == demo_run.loaded.fingerprint
    assert facts["Filtered"] == "No: every case in scope"
    texts = " ".join(str(r[9]) for r in ws.iter_rows(values_only=True) if len(r) > 9 and r[9])
    for check in demo_run.scorecard()["checks"]:
        assert check["text"] in texts


def test_data_area_is_a_count_never_a_percentage(workbook):
    """The data checks are counted, not scored: no "0 of N (0%)" anywhere in the summary."""
    ws = workbook["Summary"]
    rows = list(ws.iter_rows(values_only=True))
    data_rows = [r for r in rows if r and r[0] == "Data quality"]
    assert data_rows and "counted, not scored" in data_rows[0][1]
    for row in rows:
        if row and len(row) > 2 and str(row[2]).startswith("data."):
            assert row[8] is None  # no % met
            assert row[6] is None  # no "met"


def test_due_soon_sheet_lists_the_window(workbook, demo_run):
    """Due soon: every item of the window, by date, with the working days left."""
    ws = workbook["Due soon"]
    assert ws["A1"].value.startswith("Due soon:")
    assert [c.value for c in ws[3]] == [name for name, _ in DUE_SOON_COLUMNS]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    items = demo_run.due_soon()
    assert items, "the demo run has deadlines due soon"
    assert [(r[0].date(), r[2]) for r in rows] == [(d["due_date"], d["case_id"]) for d in items]
    assert all(isinstance(r[1], int) for r in rows)


def test_filtered_workbook_opens_with_the_case_managers_sheet(demo_export, tmp_path):
    """--case-manager: their sheet first, then Due soon and the Summary, which says filtered."""
    manager = demo_result(demo_export).scorecard()["case_managers"][0]["case_manager"]
    result = demo_result(demo_export, case_manager=manager.upper())
    wb = openpyxl.load_workbook(write_all(result, tmp_path, ("xlsx",))["xlsx"])
    assert wb.sheetnames == [manager, *FIXED[1:2], FIXED[0], *FIXED[2:]]
    facts = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r and len(r) > 1}
    assert facts["Filtered"] == f"case manager {manager.upper()}"
    managers = {r[2] for r in wb["All findings"].iter_rows(min_row=2, values_only=True)}
    assert managers <= {manager}
    due_cases = {r[3] for r in wb["Due soon"].iter_rows(min_row=4, values_only=True) if r[3]}
    assert due_cases <= {manager}


def test_many_case_managers_get_no_sheet_each(demo_run, tmp_path):
    """Beyond the cap the workbook says so, and All findings still lists everything."""
    path = XlsxReporter().write(demo_run, tmp_path, {"xlsx_max_manager_sheets": 2})
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == FIXED
    lines = [r[0] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]]
    assert any("too many for a sheet each" in str(line) for line in lines)
    assert wb["All findings"].max_row - 1 == len(demo_run.findings())


def test_formulas_stay_text(hostile_export, tmp_path):
    """A name starting with = is stored as text with a quote prefix, never as a formula."""
    path = write_all(hostile_result(hostile_export), tmp_path, ("xlsx",))["xlsx"]
    wb = openpyxl.load_workbook(path)
    ws = wb["All findings"]
    manager = column(ws, "Case manager")
    cells = [r[manager] for r in ws.iter_rows(min_row=2) if r[manager].value == FORMULA_MANAGER]
    assert cells
    for cell in cells:
        assert cell.data_type == "s"
        assert cell.quotePrefix
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any("<f>" in z.read(n).decode() for n in sheets)
    assert any(name.startswith("Bea ") for name in wb.sheetnames)
    assert HOSTILE_MANAGER.startswith("Bea ")


def test_no_temporary_file_is_left_behind(demo_run, tmp_path, monkeypatch):
    """The constant-memory writer's temporary files live in a private folder, removed after."""
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    XlsxReporter().write(demo_run, tmp_path / "out", {})
    assert list(scratch.iterdir()) == []
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report.xlsx"]


def test_evidence_reads_as_words(workbook):
    """Evidence is words: "has contingency: no", dates DD/MM/YYYY, never program output."""
    ws = workbook["All findings"]
    evidence = [r[column(ws, "Evidence")] for r in ws.iter_rows(min_row=2, values_only=True)]
    joined = " ".join(e for e in evidence if e)
    for program in ("True", "False", "None", '["', "{", "2013-"):
        assert program not in joined


def test_sheet_titles_are_valid_and_unique():
    """Forbidden characters go, 31 characters at most, duplicates numbered."""
    taken = {"summary"}
    assert sheet_title("Summary", taken) == "Summary (2)"
    assert sheet_title("a/b:c*d?[e]", taken) == "a b c d  e"
    long = sheet_title("x" * 40, taken)
    assert len(long) == 31
    assert sheet_title("x" * 40, taken) == "x" * 27 + " (2)"
    assert sheet_title("'", taken) == "(no name)"


def test_report_data_orders_by_case_manager_then_what_to_do(demo_run):
    """The case-manager order keeps each name together, to act on first within it."""
    rows = list(ReportData(demo_run).findings(order="manager"))
    names = [r["case_manager"] for r in rows]
    seen: list[str] = []
    for name in names:
        if not seen or seen[-1] != name:
            assert name not in seen
            seen.append(name)
