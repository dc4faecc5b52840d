"""``report.xlsx``: the workbook managers and case managers work from.

Sheets, in order (a filtered run - ``--case-manager``, ``--team`` - opens with
its case managers' sheets instead, so a self-check starts with what to do):

* **Summary** - *Areas for improvement* and *Strengths* in the inspection
  report's voice, the run (as-of date, suite, export and its fingerprint, tool
  version, start time, filters, redaction) and the scorecard by area or
  heading, by check (with the inspection phrase "X of Y relevant cases"), by
  team and by case manager;
* **Due soon** - the deadlines of the next working days not yet met, by date;
* **All findings** - every shown finding, one row each: the ones to act on
  first, then those whose reason to record, each by due date and severity;
  with an autofilter and a frozen header;
* **Input problems** - the quarantined rows and dropped values;
* one sheet per **case manager** - their findings in the same order (a case
  manager with nothing flagged gets a sheet saying so).

Dates are real Excel dates shown as DD/MM/YYYY and the start time a real
date-time; percentages are numbers shown as percentages. Long text wraps;
severities are coloured; every sheet prints on A4 landscape, one page wide,
with its header row repeated on each page.

Text is always stored as text, never as a formula: every string is written as
a string, and one starting with ``=``, ``+``, ``-`` or ``@`` is also marked as
literal text (Excel's quote prefix), so editing the cell cannot turn it into a
formula either. The workbook is written by XlsxWriter in constant-memory mode
(each row goes to disk as the next starts; its temporary files live in a
private folder removed afterwards) and replaced atomically.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqs_checks.atomic import atomic_path
from sqs_checks.checks import AREAS
from sqs_checks.headings import scorecard_groups
from sqs_checks.reporters.base import Reporter
from sqs_checks.reporters.common import (
    ACTION_LABELS,
    FORMULA_START,
    ReportData,
    as_date,
    clean_text,
    evidence_text,
    filters_text,
    uk_date,
)
from sqs_checks.reporters.summary import inspection_summary

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM:SS"
PERCENT_FORMAT = "0%"
MAX_ROWS = 1_048_576
"""Excel's row limit per sheet."""
MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters of one cell."""
MAX_MANAGER_SHEETS = 250
"""Case managers who get a sheet each, at most; beyond, All findings filters by case manager."""

SEVERITY_COLOURS = {"high": "#B3261E", "medium": "#A35F00", "low": "#3F6F8F"}
"""Fill of a severity cell (white bold text), as the HTML report colours them."""

HEAD_FILL = "#DDE3E8"

NUMBER_FORMATS = {"date": DATE_FORMAT, "datetime": DATETIME_FORMAT, "percent": PERCENT_FORMAT}
"""Number format of each kind of numeric column."""

_MISSING = object()

FINDING_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Case", 12),
    ("Child", 12),
    ("Case manager", 20),
    ("Team", 14),
    ("Action", 17),
    ("Due by", 12),
    ("Severity", 9),
    ("Message", 60),
    ("What to do", 45),
    ("Check", 34),
    ("Reason", 18),
    ("Area", 16),
    ("Case start", 12),
    ("Record", 22),
    ("Check id", 30),
    ("Evidence", 40),
)
"""Header and width of the columns of the All findings sheet."""

WRAPPED = {"Message", "What to do", "Check", "Evidence", "What is due", "Problem"}
"""Columns whose long text wraps."""

MANAGER_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Case", 12),
    ("Child", 12),
    ("Action", 17),
    ("Due by", 12),
    ("Severity", 9),
    ("Message", 60),
    ("What to do", 45),
    ("Check", 34),
    ("Record", 22),
    ("Check id", 30),
)
"""The columns of a case manager's sheet: their to-do list (the rest is in All findings)."""

DUE_SOON_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Due by", 12),
    ("Working days left", 10),
    ("Case", 12),
    ("Case manager", 20),
    ("Team", 14),
    ("What is due", 60),
    ("Check", 34),
    ("Record", 22),
    ("Check id", 30),
)
"""Header and width of the columns of the Due soon sheet."""

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


class _Formats:
    """The workbook's cell formats, created once each (XlsxWriter formats are per workbook)."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self._cache: dict[tuple[tuple[str, Any], ...], Any] = {}

    def get(self, **props: Any) -> Any:
        """The format with these properties (None for no properties)."""
        if not props:
            return None
        key = tuple(sorted(props.items()))
        fmt = self._cache.get(key)
        if fmt is None:
            fmt = self._cache[key] = self.workbook.add_format(dict(props))
        return fmt


STYLES: dict[str, dict[str, Any]] = {
    "": {},
    "head": {"bold": True, "bg_color": HEAD_FILL, "text_wrap": True, "valign": "top"},
    "bold": {"bold": True},
    "title": {"bold": True, "font_size": 14},
}
"""Row styles: table header, bold line, sheet title."""


class _Sheet:
    """A worksheet written row by row, with typed, formula-safe cells.

    ``kinds`` names what each column holds (``wrap``, ``date``, ``percent``,
    ``severity``) so its format is chosen once per column, not per cell.
    """

    def __init__(
        self,
        book: _Formats,
        title: str,
        widths: Iterable[int] = (),
        *,
        head_row: int | None = None,
        kinds: dict[int, str] | None = None,
    ) -> None:
        self.book = book
        self.ws = book.workbook.add_worksheet(title)
        self.rows = 0
        self.kinds = kinds or {}
        self._formats: dict[tuple[Any, ...], Any] = {}
        self._plain: dict[int, Any] = {}
        for i, width in enumerate(widths):
            self.ws.set_column(i, i, width)
        self.ws.set_paper(9)  # A4
        self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)
        self.ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        self.ws.set_footer("&L&A&RPage &P of &N")
        if head_row is not None:
            self.ws.freeze_panes(head_row + 1, 0)
            self.ws.repeat_rows(head_row)

    def _format(self, kind: str, style: str, quoted: bool, value: Any) -> Any:
        """The format of a cell of this kind and row style (cached per combination)."""
        severity = value if kind == "severity" and value in SEVERITY_COLOURS else None
        numeric = not isinstance(value, str)
        key = (kind, style, quoted, severity, numeric)
        fmt = self._formats.get(key, _MISSING)
        if fmt is not _MISSING:
            return fmt
        props = dict(STYLES[style])
        if kind == "wrap":
            props.update(text_wrap=True)
        elif severity is not None and not style:
            props.update(bg_color=SEVERITY_COLOURS[severity], font_color="#FFFFFF", bold=True)
        elif kind in NUMBER_FORMATS and numeric:
            props["num_format"] = NUMBER_FORMATS[kind]
        if quoted:
            props["quote_prefix"] = True
        if props:
            props["valign"] = "top"
        fmt = self._formats[key] = self.book.get(**props)
        return fmt

    def row(
        self, values: Iterable[Any], style: str = "", kinds: dict[int, str] | None = None
    ) -> None:
        """Append a row; ``kinds`` overrides the sheet's column kinds for this row.

        Text is written as text (never a formula; a formula-like one with a quote
        prefix), dates as dates, numbers as numbers; ``None`` leaves the cell empty.
        """
        own = self.kinds if kinds is None else kinds
        for c, value in enumerate(values):
            self.cell(self.rows, c, value, own.get(c, ""), style)
        self.rows += 1

    def cell(self, r: int, c: int, value: Any, kind: str = "", style: str = "") -> None:
        """Write one cell (see :meth:`row`)."""
        ws = self.ws
        fmt_of = self._format
        if value is None:
            if style:
                ws.write_blank(r, c, None, fmt_of("", style, False, None))
        elif isinstance(value, str):
            if len(value) > MAX_CELL_TEXT:
                value = value[:MAX_CELL_TEXT]
            quoted = value.startswith(FORMULA_START)
            ws.write_string(r, c, value, fmt_of(kind, style, quoted, value))
        elif isinstance(value, bool):
            ws.write_string(r, c, "yes" if value else "no", fmt_of(kind, style, False, ""))
        elif isinstance(value, dt.datetime):
            naive = value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
            ws.write_datetime(r, c, naive, fmt_of("datetime", style, False, value))
        elif isinstance(value, dt.date):
            day = dt.datetime(value.year, value.month, value.day)
            ws.write_datetime(r, c, day, fmt_of("date", style, False, value))
        else:
            ws.write_number(r, c, value, fmt_of(kind, style, False, value))

    def table_row(self, values: list[Any]) -> None:
        """Append a row of a findings table (the fast path for the large sheets).

        Plain text takes its column's format, looked up once per sheet; anything
        else - a date, formula-like or over-long text, a severity - goes through
        :meth:`cell`.
        """
        ws = self.ws
        r = self.rows
        plain = self._plain
        kinds = self.kinds
        for c, value in enumerate(values):
            if value is None:
                continue
            fmt = plain.get(c, _MISSING)
            if (
                fmt is not _MISSING
                and value.__class__ is str
                and len(value) <= MAX_CELL_TEXT
                and not value.startswith(FORMULA_START)
            ):
                ws.write_string(r, c, value, fmt)
                continue
            kind = kinds.get(c, "")
            self.cell(r, c, value, kind)
            if value.__class__ is str and kind != "severity" and c not in plain:
                plain[c] = self._format(kind, "", False, "")
        self.rows += 1

    def blank(self) -> None:
        """Leave an empty row."""
        self.rows += 1

    def close(self) -> None:
        """Close the sheet's temporary file until the workbook is assembled.

        XlsxWriter keeps one open file per sheet in constant-memory mode and
        reopens each when it assembles the workbook; closing finished sheets
        keeps a run with a thousand case managers within the open-file limit.
        """
        closer = getattr(self.ws, "_opt_close", None)
        if callable(closer):
            closer()

    def table_frame(self, header_row: int, columns: int) -> None:
        """Put an autofilter on the table whose header is row ``header_row`` (0-based)."""
        self.ws.autofilter(header_row, 0, max(self.rows - 1, header_row), columns - 1)


def _kinds(columns: tuple[tuple[str, int], ...]) -> dict[int, str]:
    """The kind of each column of a findings table (see :class:`_Sheet`)."""
    kinds = {}
    for i, (name, _) in enumerate(columns):
        if name in WRAPPED:
            kinds[i] = "wrap"
        elif name == "Severity":
            kinds[i] = "severity"
        elif name in ("Due by", "Case start"):
            kinds[i] = "date"
    return kinds


def _pct(met: int, relevant: int) -> float | None:
    return met / relevant if relevant else None


def _finding_cells(f: dict[str, Any], starts: dict[str, dt.date]) -> list[Any]:
    """A finding as the cells of the All findings sheet (:data:`FINDING_COLUMNS`)."""
    record = f"{f['record_table']} {f['record_id']}" if f.get("record_id") else f["record_table"]
    return [
        f["case_id"],
        f["child_id"],
        f["case_manager"],
        f["team"],
        ACTION_LABELS.get(f["action"], f["action"]),
        f.get("due_date"),
        f["severity"],
        f["message"],
        f["advice"],
        f["title"],
        f["reason"],
        AREAS.get(f["area"], f["area"]),
        starts.get(f["case_id"]),
        record,
        f["check_id"],
        evidence_text(f.get("evidence") or {}),
    ]


def _manager_cells(f: dict[str, Any]) -> list[Any]:
    """A finding as the cells of a case manager's sheet (:data:`MANAGER_COLUMNS`)."""
    record = f"{f['record_table']} {f['record_id']}" if f.get("record_id") else f["record_table"]
    return [
        f["case_id"],
        f["child_id"],
        ACTION_LABELS.get(f["action"], f["action"]),
        f.get("due_date"),
        f["severity"],
        f["message"],
        f["advice"],
        f["title"],
        record,
        f["check_id"],
    ]


def _write_summary(book: _Formats, data: ReportData, counts: dict[str, int]) -> None:
    run = data.run
    card = data.scorecard()
    checks = data.checks()
    sheet = _Sheet(book, "Summary", (34, 44, 30, 10, 10, 10, 10, 10, 10, 70))
    title = f"Pre-inspection checks: {run['suite']} as of {uk_date(run['as_of'])}"
    sheet.row([title], style="title")
    degraded = data.degraded()
    if degraded:
        sheet.row(["This run could not judge everything it was asked to:"], style="bold")
        for line in degraded:
            sheet.row([line])
    sheet.blank()
    summary = inspection_summary(checks)
    sheet.row(["Areas for improvement"], style="bold")
    for item in summary["improve"]:
        sheet.row([item["text"]])
    if summary["more_improve"]:
        sheet.row([f"... and {summary['more_improve']} more below 80% (see the scorecard)."])
    if not summary["improve"]:
        sheet.row(["None: every check with a relevant case met 80% or more."])
    sheet.row(["Strengths"], style="bold")
    for item in summary["strengths"]:
        sheet.row([item["text"]])
    if not summary["strengths"]:
        sheet.row(["None: no check with a relevant case met 80% or more."])
    sheet.blank()
    started = run.get("started_at")
    started_at = dt.datetime.fromisoformat(started) if started else None
    facts = [
        ("As of", as_date(run["as_of"])),
        ("Suite", run["suite"]),
        ("Export", run["export"]),
        ("Export fingerprint (SHA-256)", run["export_sha256"]),
        ("Tool", f"sqs-checks {data.header()['tool']['version']}"),
        ("Run started (UTC)", started_at),
        ("Cases checked", card["cases"]),
        ("Cases with a finding", counts["cases"]),
        ("Findings", counts["findings"]),
        ("Input problems", len(data.input_problems())),
        ("Due soon", f"{len(data.due_soon())} deadlines in {data.due_window() or '-'}"),
        ("Filtered", filters_text(run.get("filters")) or "No: every case in scope"),
        ("Redacted", "Yes: child ids and staff names are pseudonyms" if data.redacted else "No"),
    ]
    for label, value in facts:
        sheet.row([label, value])
    if run.get("filters"):
        sheet.row(["Every figure below counts the filtered cases only."], style="bold")
    if not counts.get("manager_sheets", True):
        sheet.row(
            [
                f"{counts['managers']:,} case managers: too many for a sheet each. Filter All "
                "findings by case manager, or run with --case-manager NAME for one's own workbook."
            ],
            style="bold",
        )
    sheet.blank()
    if card.get("headings"):
        _write_headings(sheet, card, checks)
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
            kinds={6: "percent"},
        )
    if any(not c["scored"] for c in checks):
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
            kinds={6: "percent"},
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
            sheet.row(values, kinds={6: "percent"})
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
        if c["reference"]:
            note = f"{note} ({c['reference']})"
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
            kinds={3: "severity", 8: "percent"},
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
                kinds={7: "percent"},
            )
    sheet.blank()
    sheet.row(
        [
            "A mechanical check counts what the records show; it cannot judge quality as an "
            "inspector does."
        ]
    )


def _write_due_soon(book: _Formats, data: ReportData) -> None:
    """The deadlines of the next working days not yet met, by date."""
    sheet = _Sheet(
        book,
        "Due soon",
        (w for _, w in DUE_SOON_COLUMNS),
        head_row=2,
        kinds={0: "date", 5: "wrap", 6: "wrap"},
    )
    items = data.due_soon()
    window = data.due_window()
    heading = (
        f"Due soon: {len(items)} deadline{'' if len(items) == 1 else 's'} in {window} not yet met"
        if window
        else "Due soon: not listed in this run"
    )
    sheet.row([heading], style="title")
    sheet.row(
        ["Listed so that they are met; none of them is a finding, nor counted in the scorecard."]
    )
    sheet.row([n for n, _ in DUE_SOON_COLUMNS], style="head")
    for item in items[: MAX_ROWS - 4]:
        record = f"{item['record_table']} {item['record_id']}" if item.get("record_id") else None
        sheet.row(
            [
                item["due_date"],
                item["working_days"],
                item["case_id"],
                item["case_manager"],
                item["team"],
                item["what"],
                item["title"],
                record,
                item["check_id"],
            ]
        )
    if not items:
        sheet.row(["Nothing falls due in this window."])
    sheet.table_frame(2, len(DUE_SOON_COLUMNS))


def _write_findings(book: _Formats, data: ReportData, starts: dict[str, dt.date]) -> int:
    sheet = _Sheet(
        book,
        "All findings",
        (w for _, w in FINDING_COLUMNS),
        head_row=0,
        kinds=_kinds(FINDING_COLUMNS),
    )
    sheet.row([name for name, _ in FINDING_COLUMNS], style="head")
    written = 0
    for f in data.findings(order="action"):
        if sheet.rows >= MAX_ROWS:
            break
        sheet.table_row(_finding_cells(f, starts))
        written += 1
    sheet.table_frame(0, len(FINDING_COLUMNS))
    return written


def _write_problems(book: _Formats, data: ReportData) -> None:
    sheet = _Sheet(book, "Input problems", (16, 8, 20, 30, 70), head_row=0, kinds={4: "wrap"})
    sheet.row(["Table", "Row", "Column", "Value", "Problem"], style="head")
    problems = data.input_problems()
    for p in problems[: MAX_ROWS - 2]:
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
    if not problems:
        sheet.row(["None: every row of the export could be checked."])
    sheet.table_frame(0, 5)


def _by_manager(data: ReportData) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(case manager, their findings in action order), one manager at a time.

    The findings come ordered by case manager (trimmed, case-insensitively, then
    exactly), so each name's findings - or each pseudonym's - arrive together.
    """
    name: str | None = None
    rows: list[dict[str, Any]] = []
    for f in data.findings(order="manager"):
        who = f["case_manager"] or NO_MANAGER
        if who != name:
            if name is not None:
                yield name, rows
            name, rows = who, []
        rows.append(f)
    if name is not None:
        yield name, rows


NO_MANAGER = "(no case manager)"


def _write_managers(book: _Formats, data: ReportData, taken: set[str], limit: int) -> int:
    """One sheet per case manager, in name (or pseudonym) order; returns how many.

    The sheets are created in name order first, then each is written when its
    case manager's findings arrive, and closed. More than ``limit`` case managers
    get no sheet each (the Summary says so): All findings filters by case manager.
    """
    card = data.scorecard()["case_managers"]
    managers = {m["case_manager"] or NO_MANAGER: m for m in card}
    if len(managers) > limit:
        return 0
    names = sorted(managers, key=lambda n: str(n).casefold())
    widths = [w for _, w in MANAGER_COLUMNS]
    kinds = _kinds(MANAGER_COLUMNS)
    # a self-check opens with these sheets: a degraded run says so on them first
    notes = data.degraded() if data.run.get("filters") else []
    head = 2 + (len(notes) + 1 if notes else 0)

    def new_sheet(name: str) -> _Sheet:
        return _Sheet(book, sheet_title(str(name), taken), widths, head_row=head, kinds=kinds)

    sheets = {name: new_sheet(name) for name in names}
    for who, rows in _by_manager(data):
        sheet = sheets.pop(who, None) or new_sheet(who)
        _fill_manager_sheet(sheet, data, who, (managers.get(who) or {}).get("team"), rows, notes)
    for who, sheet in sheets.items():
        _fill_manager_sheet(sheet, data, who, (managers.get(who) or {}).get("team"), [], notes)
    return len(names)


def _fill_manager_sheet(
    sheet: _Sheet,
    data: ReportData,
    who: str,
    team: str | None,
    rows: list[dict[str, Any]],
    notes: list[str],
) -> None:
    """Write one case manager's sheet (after the degraded-run ``notes``, if any) and close its
    temporary file."""
    as_of = uk_date(data.run["as_of"])
    cases = len({f["case_id"] for f in rows})
    act = sum(1 for f in rows if f["action"] == "act_now")
    heading = f"Flagged cases of {who}" + (f" (team {team})" if team else "")
    heading += f" as of {as_of}: {cases} case{'s' if cases != 1 else ''}, "
    heading += f"{len(rows)} finding{'s' if len(rows) != 1 else ''}"
    if rows:
        heading += f" ({act} to act on, {len(rows) - act} to record the reason)"
    if notes:
        sheet.row(["This run could not judge everything it was asked to:"], style="bold")
        for line in notes:
            sheet.row([line])
    sheet.row([heading], style="title")
    sheet.blank()
    header = sheet.rows
    sheet.row([n for n, _ in MANAGER_COLUMNS], style="head")
    for f in rows[: MAX_ROWS - 4 - len(notes)]:
        sheet.table_row(_manager_cells(f))
    if not rows:
        sheet.row(["No flagged cases."])
    sheet.table_frame(header, len(MANAGER_COLUMNS))
    sheet.close()


def write_workbook(
    data: ReportData, path: Path, max_manager_sheets: int = MAX_MANAGER_SHEETS
) -> None:
    """Write the whole workbook to ``path`` (constant memory, formula-safe).

    ``max_manager_sheets``: case managers who get a sheet each, at most.
    """
    import xlsxwriter

    starts = data.case_starts()
    flagged = data.result.con.execute(
        f"SELECT count(DISTINCT case_id), count(*) FROM ({data.result.findings_sql()})"
    ).fetchone()
    data.header()
    with tempfile.TemporaryDirectory(prefix="sqs-checks-xlsx-") as private:
        workbook = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "tmpdir": private,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        workbook.set_properties(
            {
                "title": f"Pre-inspection checks {data.run['suite']} as of {data.run['as_of']}",
                "author": "sqs-checks",
                "created": dt.datetime(2000, 1, 1),
            }
        )
        book = _Formats(workbook)
        taken = {"summary", "due soon", "all findings", "input problems"}
        managers = len(data.scorecard()["case_managers"])
        counts = {"cases": flagged[0], "findings": flagged[1], "managers": managers}
        counts["manager_sheets"] = managers <= max_manager_sheets
        if data.run.get("filters"):
            _write_managers(book, data, taken, max_manager_sheets)
            _write_due_soon(book, data)
            _write_summary(book, data, counts)
            _write_findings(book, data, starts)
            _write_problems(book, data)
        else:
            _write_summary(book, data, counts)
            _write_due_soon(book, data)
            _write_findings(book, data, starts)
            _write_problems(book, data)
            _write_managers(book, data, taken, max_manager_sheets)
        workbook.close()


class XlsxReporter(Reporter):
    """The Excel workbook: summary, due soon, all findings, input problems, one sheet per case
    manager."""

    format = "xlsx"
    filename = "report.xlsx"
    description = "report.xlsx, summary, due soon, findings and one sheet per case manager"

    def write(self, result: Any, out_dir: Path, options: dict[str, Any]) -> Path:
        """Build the workbook in a temporary file and replace ``report.xlsx`` with it."""
        data = ReportData(result, options)
        settings = options.get("settings")
        extra = getattr(settings, "extra", None) or {}
        limit = options.get("xlsx_max_manager_sheets") or extra.get("xlsx_max_manager_sheets")
        target = Path(out_dir) / self.filename
        with atomic_path(target) as tmp:
            write_workbook(data, tmp, int(limit or MAX_MANAGER_SHEETS))
        return target
