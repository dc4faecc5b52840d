"""``report.xlsx``: the workbook managers and case managers work from.

Sheets, in order:

* **Summary** - the run (as-of date, suite, export and its fingerprint, tool
  version, filters, redaction) and the scorecard by area, by check (with the
  inspection phrase "X of Y relevant cases"), by team and by case manager;
* **All findings** - every shown finding, one row each, grouped by case, with
  an autofilter and a frozen header;
* **Input problems** - the quarantined rows and what is wrong with them;
* one sheet per **case manager** - their flagged cases, what was found and
  what to do (a case manager with nothing flagged gets a sheet saying so).

Dates are real Excel dates shown as DD/MM/YYYY; percentages are numbers shown
as percentages. Text is always stored as text (never a formula), and a value
starting with ``=``, ``+``, ``-`` or ``@`` is also marked as literal text
(Excel's quote prefix), so editing the cell cannot turn it into one either.
The workbook is written in openpyxl's streaming mode and replaced atomically.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqs_checks.atomic import atomic_path
from sqs_checks.checks import AREAS
from sqs_checks.headings import scorecard_groups
from sqs_checks.reporters.base import Reporter
from sqs_checks.reporters.common import (
    FORMULA_START,
    ReportData,
    as_date,
    clean_text,
    evidence_text,
    filters_text,
    uk_date,
)

DATE_FORMAT = "DD/MM/YYYY"
PERCENT_FORMAT = "0%"
MAX_ROWS = 1_048_576
"""Excel's row limit per sheet."""
MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters of one cell."""

FINDING_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Case", 12),
    ("Child", 12),
    ("Case manager", 20),
    ("Team", 14),
    ("Case start", 12),
    ("Severity", 9),
    ("Area", 16),
    ("Check", 40),
    ("Reason", 18),
    ("Message", 70),
    ("What to do", 50),
    ("Due by", 12),
    ("Record", 22),
    ("Check id", 30),
    ("Evidence", 40),
)
"""Header and width of the columns of the All findings sheet."""

MANAGER_COLUMNS: tuple[tuple[str, int], ...] = tuple(
    (name, width) for name, width in FINDING_COLUMNS if name != "Case manager"
)
"""The per-case-manager sheets show the same columns without the case manager."""

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name for ``name`` (31 characters, no ``[]:*?/\\``)."""
    base = _BAD_SHEET_CHARS.sub(" ", clean_text(name)).strip().strip("'").strip() or "(no name)"
    if base.casefold() == "history":
        base = "History (staff)"
    base = base[:31].strip()
    title, n = base, 1
    while title.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)].rstrip() + suffix
    taken.add(title.casefold())
    return title


class _Sheet:
    """A streaming worksheet with typed, formula-safe cells."""

    def __init__(
        self, wb: Any, title: str, widths: Iterable[int] = (), freeze: str | None = None
    ) -> None:
        from openpyxl.styles import Font, PatternFill

        self.ws = wb.create_sheet(title)
        if freeze:
            self.ws.freeze_panes = freeze  # streaming mode: must be set before the first row
        self.rows = 0
        self.bold = Font(bold=True)
        self.title_font = Font(bold=True, size=14)
        self.fill = PatternFill("solid", fgColor="DDE3E8")
        from openpyxl.utils import get_column_letter

        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width

    def cell(self, value: Any, *, fmt: str | None = None, style: str = "") -> Any:
        """One cell: dates as dates, text as literal text, numbers as numbers.

        Plain text and numbers are handed to openpyxl as values (its fast path);
        only dates, formats, styles and formula-like text need a cell object.
        """
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            value = clean_text(value)[:MAX_CELL_TEXT]
        formula_like = isinstance(value, str) and value.startswith(FORMULA_START)
        is_date = isinstance(value, dt.date)
        if not (formula_like or is_date or fmt or style):
            return value
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
            if formula_like:
                cell.quotePrefix = True
        if is_date:
            cell.number_format = DATE_FORMAT
        if fmt and value is not None:
            cell.number_format = fmt
        if style == "head":
            cell.font = self.bold
            cell.fill = self.fill
        elif style == "bold":
            cell.font = self.bold
        elif style == "title":
            cell.font = self.title_font
        return cell

    def row(
        self, values: Iterable[Any], style: str = "", fmts: dict[int, str] | None = None
    ) -> None:
        """Append a row (``fmts``: column index -> number format)."""
        fmts = fmts or {}
        cells = [self.cell(v, fmt=fmts.get(i), style=style) for i, v in enumerate(values)]
        self.ws.append(cells)
        self.rows += 1

    def blank(self) -> None:
        """Append an empty row."""
        self.ws.append([])
        self.rows += 1

    def table_frame(self, header_row: int, columns: int, last_row: int) -> None:
        """Put an autofilter on the table whose header is ``header_row``."""
        from openpyxl.utils import get_column_letter

        end = get_column_letter(columns)
        self.ws.auto_filter.ref = f"A{header_row}:{end}{max(last_row, header_row)}"


def _pct(met: int, relevant: int) -> float | None:
    return met / relevant if relevant else None


def _finding_cells(f: dict[str, Any], starts: dict[str, dt.date], manager: bool) -> list[Any]:
    record = f"{f['record_table']} {f['record_id']}" if f.get("record_id") else f["record_table"]
    values = [
        f["case_id"],
        f["child_id"],
        f["case_manager"],
        f["team"],
        starts.get(f["case_id"]),
        f["severity"],
        AREAS.get(f["area"], f["area"]),
        f["title"],
        f["reason"],
        f["message"],
        f["advice"],
        as_date((f.get("evidence") or {}).get("deadline")),
        record,
        f["check_id"],
        evidence_text(f.get("evidence") or {}),
    ]
    if manager:
        del values[2]
    return values


def _write_summary(wb: Any, data: ReportData, counts: dict[str, int]) -> None:
    run = data.run
    card = data.scorecard()
    sheet = _Sheet(wb, "Summary", (34, 44, 30, 10, 10, 10, 10, 10, 10, 70))
    title = f"Pre-inspection checks: {run['suite']} as of {uk_date(run['as_of'])}"
    sheet.row([title], style="title")
    degraded = data.degraded()
    if degraded:
        sheet.row(["This run could not judge everything it was asked to:"], style="bold")
        for line in degraded:
            sheet.row([line])
    sheet.blank()
    facts = [
        ("As of", as_date(run["as_of"])),
        ("Suite", run["suite"]),
        ("Export", run["export"]),
        ("Export fingerprint (SHA-256)", run["export_sha256"]),
        ("Tool", f"sqs-checks {data.header()['tool']['version']}"),
        ("Run started", str(run.get("started_at") or "").replace("T", " ")),
        ("Cases checked", card["cases"]),
        ("Cases with a finding", counts["cases"]),
        ("Findings", counts["findings"]),
        ("Input problems", len(data.input_problems())),
        ("Filtered", filters_text(run.get("filters")) or "No: every case in scope"),
        ("Redacted", "Yes: child ids and staff names are pseudonyms" if data.redacted else "No"),
    ]
    for label, value in facts:
        sheet.row([label, value], fmts={1: DATE_FORMAT} if isinstance(value, dt.date) else None)
    if run.get("filters"):
        sheet.row(["Every figure below counts the filtered cases only."], style="bold")
    sheet.blank()
    if card.get("headings"):
        _write_headings(sheet, card, data.checks())
        _write_by_check(sheet, data)
        return
    sheet.row(["Scorecard by area"], style="bold")
    head = ["Area", "Inspection phrase", "", "Relevant", "Met", "Flagged", "% met"]
    sheet.row(head, style="head")
    for a in card["areas"]:
        sheet.row(
            [
                a["heading"],
                a["text"],
                "",
                a["relevant"],
                a["met"],
                a["flagged"],
                _pct(a["met"], a["relevant"]),
            ],
            fmts={6: PERCENT_FORMAT},
        )
    if any(not c["scored"] for c in data.checks()):
        sheet.row([AREAS["data"], f"{card['data']['text']} (counted, not scored)"])
    sheet.blank()
    _write_by_check(sheet, data)


def _write_headings(sheet: _Sheet, card: dict[str, Any], checks: list[dict[str, Any]]) -> None:
    """The scorecard by the suite's headings: each heading, then its own checks, indented."""
    framework = card["framework"]
    title = "Scorecard by heading" + (f": {framework['name']}" if framework["name"] else "")
    sheet.row([title], style="bold")
    if framework["source"]:
        sheet.row([f"Source: {framework['source']}"])
    head = ["Heading", "Inspection phrase", "Heading or check id", "Relevant", "Met", "Flagged"]
    sheet.row([*head, "% met"], style="head")
    for group in scorecard_groups(card, checks):
        indent = "  " * group["level"]
        a = group["figure"]
        figures = (
            [a["relevant"], a["met"], a["flagged"], _pct(a["met"], a["relevant"])] if a else []
        )
        sheet.row(
            [f"{indent}{group['title']}", a["text"] if a else None, group["id"], *figures],
            style="bold",
            fmts={6: PERCENT_FORMAT},
        )
        for c in group["checks"]:
            ran = c["status"] in ("ran", "partial")
            text = c["text"] if ran else f"Not run: {c['reason']}"
            if c["counts_for"]:
                text += f" (counts here for {c['counts_for']})"
            if a is None:
                text = next((o["reason"] for o in framework["outside"] if o["id"] == c["id"]), text)
            values = [f"{indent}  {c['title']}", text, c["id"]]
            if ran and a is not None:
                values += [c["relevant"], c["met"], c["flagged"], _pct(c["met"], c["relevant"])]
            sheet.row(values, fmts={6: PERCENT_FORMAT})
    sheet.blank()


def _write_by_check(sheet: _Sheet, data: ReportData) -> None:
    """The scorecard by check, then by team and by case manager."""
    card = data.scorecard()
    sheet.row(["Scorecard by check"], style="bold")
    sheet.row(
        [
            "Area",
            "Check",
            "Check id",
            "Severity",
            "Status",
            "Relevant",
            "Met",
            "Flagged",
            "% met",
            "Inspection phrase, or why the check did not run",
        ],
        style="head",
    )
    for c in data.checks():
        ran = c["counted"]
        scored = ran and c["scored"]
        note = c["text"] if ran else c["reason"]
        if c["status"] == "partial":
            note = f"{note}. Judged in part: {c['reason']}"
        sheet.row(
            [
                AREAS.get(c["area"], c["area"]),
                c["title"],
                c["id"],
                c["severity"],
                c["status"],
                c["relevant"] if ran else None,
                c["met"] if scored else None,
                c["flagged"] if ran else None,
                _pct(c["met"], c["relevant"]) if scored else None,
                note,
            ],
            fmts={8: PERCENT_FORMAT},
        )
    for key, label in (("teams", "team"), ("case_managers", "case manager")):
        sheet.blank()
        sheet.row([f"By {label}"], style="bold")
        sheet.row(
            [
                label.capitalize(),
                "Team" if key == "case_managers" else "",
                "",
                "Cases",
                "Relevant",
                "Met",
                "Flagged",
                "% met",
            ],
            style="head",
        )
        for item in card[key]:
            name = item["team"] if key == "teams" else item["case_manager"]
            sheet.row(
                [
                    name if name is not None else "(none)",
                    item.get("team") if key == "case_managers" else None,
                    None,
                    item["cases"],
                    item["relevant"],
                    item["met"],
                    item["flagged"],
                    _pct(item["met"], item["relevant"]),
                ],
                fmts={7: PERCENT_FORMAT},
            )
    sheet.blank()
    sheet.row(
        [
            "A mechanical check counts what the records show; it cannot judge quality as an "
            "inspector does."
        ]
    )


def _write_findings(wb: Any, data: ReportData, starts: dict[str, dt.date]) -> int:
    sheet = _Sheet(wb, "All findings", (w for _, w in FINDING_COLUMNS), freeze="A2")
    sheet.row([name for name, _ in FINDING_COLUMNS], style="head")
    written = 0
    for f in data.findings(order="case"):
        if sheet.rows >= MAX_ROWS - 1:
            break
        sheet.row(_finding_cells(f, starts, manager=False))
        written += 1
    sheet.table_frame(1, len(FINDING_COLUMNS), sheet.rows)
    return written


def _write_problems(wb: Any, data: ReportData) -> None:
    sheet = _Sheet(wb, "Input problems", (16, 8, 20, 30, 70), freeze="A2")
    sheet.row(["Table", "Row", "Column", "Value", "Problem"], style="head")
    for p in data.input_problems()[: MAX_ROWS - 2]:
        value = p.get("value")
        sheet.row(
            [
                p.get("table"),
                p.get("row"),
                p.get("column"),
                None if value is None else str(value),
                p.get("problem"),
            ]
        )
    if not data.input_problems():
        sheet.row(["None: every row of the export could be checked."])
    sheet.table_frame(1, 5, sheet.rows)


def _write_managers(wb: Any, data: ReportData, starts: dict[str, dt.date], taken: set[str]) -> int:
    """One sheet per case manager, in name (or pseudonym) order; returns how many."""
    as_of = uk_date(data.run["as_of"])
    by_manager: dict[str, list[dict[str, Any]]] = {}
    for f in data.findings(order="case"):
        by_manager.setdefault(f["case_manager"] or "(no case manager)", []).append(f)
    card = data.scorecard()["case_managers"]
    managers = {m["case_manager"] or "(no case manager)": m for m in card}
    names = sorted(set(managers) | set(by_manager), key=lambda n: str(n).casefold())
    for name in names:
        rows = by_manager.get(name, [])
        widths = (w for _, w in MANAGER_COLUMNS)
        sheet = _Sheet(wb, sheet_title(str(name), taken), widths, freeze="A4")
        team = (managers.get(name) or {}).get("team")
        cases = len({f["case_id"] for f in rows})
        heading = f"Flagged cases of {name}" + (f" (team {team})" if team else "")
        heading += f" as of {as_of}: {cases} case{'s' if cases != 1 else ''}, "
        heading += f"{len(rows)} finding{'s' if len(rows) != 1 else ''}"
        sheet.row([heading], style="title")
        sheet.blank()
        sheet.row([n for n, _ in MANAGER_COLUMNS], style="head")
        for f in rows[: MAX_ROWS - 4]:
            sheet.row(_finding_cells(f, starts, manager=True))
        if not rows:
            sheet.row(["No flagged cases."])
        sheet.table_frame(3, len(MANAGER_COLUMNS), sheet.rows)
    return len(names)


def write_workbook(data: ReportData, path: Path) -> None:
    """Write the whole workbook to ``path``."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    wb.properties.creator = "sqs-checks"
    wb.properties.title = f"Pre-inspection checks {data.run['suite']} as of {data.run['as_of']}"
    starts = data.case_starts()
    flagged = data.result.con.execute(
        f"SELECT count(DISTINCT case_id), count(*) FROM ({data.result.findings_sql()})"
    ).fetchone()
    _write_summary(wb, data, {"cases": flagged[0], "findings": flagged[1]})
    _write_findings(wb, data, starts)
    _write_problems(wb, data)
    _write_managers(wb, data, starts, {"summary", "all findings", "input problems"})
    wb.save(path)


class XlsxReporter(Reporter):
    """The Excel workbook: summary, all findings, input problems, one sheet per case manager."""

    format = "xlsx"
    filename = "report.xlsx"
    description = "report.xlsx, summary, findings and one sheet per case manager"

    def write(self, result: Any, out_dir: Path, options: dict[str, Any]) -> Path:
        """Build the workbook in a temporary file and replace ``report.xlsx`` with it."""
        data = ReportData(result, options)
        target = Path(out_dir) / self.filename
        with atomic_path(target) as tmp:
            write_workbook(data, tmp)
        return target
