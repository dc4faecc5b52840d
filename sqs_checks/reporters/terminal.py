"""The terminal summary (rich) and the progress display of a long run.

A filtered run (a self-check) opens with its cases to act on; every run then
shows the scorecard by heading or area with one row per check id, the counts,
what falls due soon, and ends - as pytest does - with a short list of the
flagged cases, one line each, the one due first first. It reads well at 80
columns.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from sqs_checks.checks import SEVERITIES
from sqs_checks.headings import scorecard_groups
from sqs_checks.reporters.common import (
    ACT_NOW,
    ACTION_LABELS,
    RECORD_REASON,
    ReportData,
    days_text,
    uk_date,
)
from sqs_checks.result import RunResult


@contextlib.contextmanager
def progress_display(enabled: bool = True) -> Iterator[Any]:
    """Yield a ``progress(check, index, total)`` callback that draws a progress bar.

    Nothing is drawn (and ``None`` is yielded) when disabled or when standard
    error is not a terminal, so logs of scheduled runs stay clean.
    """
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("Running checks", total=None)

        def progress(check: Any, index: int, total: int) -> None:
            bar.update(task, total=total, completed=index, description=f"Checking {check.id}")

        yield progress


def _bar(percent: int | None, width: int = 12) -> str:
    if percent is None:
        return ""
    filled = round(width * percent / 100)
    colour = "green" if percent >= 80 else "yellow" if percent >= 60 else "red"
    return f"[{colour}]{'█' * filled}[/][grey50]{'░' * (width - filled)}[/]"


SEVERITY_STYLES = {"high": "bold red", "medium": "yellow", "low": "cyan"}
"""How the terminal colours each severity."""

SHORT_SEVERITY = {"medium": "med"}
"""Severities as a narrow terminal shows them."""

MAX_TODO = 30
"""Findings a filtered run lists at the top at most (the reports list them all)."""

MAX_FLAGGED = 20
"""Flagged cases the closing short list names at most."""

MAX_DUE = 15
"""Due-soon items the terminal lists at most."""


def print_summary(result: RunResult, settings: Any = None, console: Any = None) -> None:
    """Print the run: a filtered run's cases to act on first, then the scorecard by heading
    (or area) and check id, the counts, what falls due soon, and - last - a short list of
    the flagged cases, as pytest ends with its short summary."""
    from rich.console import Console

    console = console or Console()
    data = ReportData(result, {"settings": settings})
    for line in data.degraded():
        console.print(f"[bold yellow]Degraded run:[/] {escape(line)}")
    tally = data.finding_tally()
    if data.filters_text():
        _print_todo(console, data, tally)
    _print_scorecard(console, data)
    _print_counts(console, data, tally)
    _print_due_soon(console, data)
    if settings is not None and getattr(settings, "out_dir", None) and settings.formats:
        console.print(
            f"Reports written to {escape(str(settings.out_dir))}: {', '.join(settings.formats)}"
        )
    _print_flagged(console, data, tally)


def _print_todo(console: Any, data: ReportData, tally: dict[str, Any]) -> None:
    """A filtered run opens with its findings: those to act on, then those to record."""
    top = list(data.findings(order="action", limit=MAX_TODO))
    act = [f for f in top if f["action"] == ACT_NOW]
    record = [f for f in top if f["action"] != ACT_NOW]
    n_act = tally["act_now"]
    n_record = tally["findings"] - n_act
    console.rule(f"[bold]Cases to act on: {escape(data.filters_text())}[/]")
    console.print(f"{n_act} findings to act on, {n_record} whose reason to record.")
    shown = 0
    groups = (
        (ACTION_LABELS[ACT_NOW], act, n_act),
        (ACTION_LABELS[RECORD_REASON], record, n_record),
    )
    for label, rows, count in groups:
        if not count:
            continue
        console.print(f"[bold]{label}[/]")
        for f in rows:
            shown += 1
            due = f" was due {uk_date(f['due_date'])}" if f.get("due_date") else ""
            sev = SEVERITY_STYLES.get(f["severity"], "")
            head = Text.from_markup(
                f"[bold]{escape(f['case_id'])}[/]{due} [{sev}]{f['severity']}[/] "
                f"{escape(f['check_id'])} {escape(f['reason'])}"
            )
            console.print(Padding(head, (0, 0, 0, 2), expand=False))
            console.print(Padding(Text(f["message"], style="dim"), (0, 0, 0, 4), expand=False))
    if tally["findings"] > shown:
        console.print(f"  ... and {tally['findings'] - shown} more in the reports.")


def _print_scorecard(console: Any, data: ReportData) -> None:
    """The scorecard by heading (or area), one row per check id with its figures."""
    from rich.table import Table

    card = data.scorecard()
    run = data.run
    title = f"sqs-checks {run['suite']} as of {uk_date(run['as_of'])}"
    if data.filters_text():
        title += f" (filtered: {data.filters_text()})"
    narrow = (console.width or 80) < 100
    bar_width = 6 if narrow else 12
    table = Table(title=escape(title), show_lines=False, expand=False)
    table.add_column("Check", overflow="fold", ratio=3)
    table.add_column("Sev.", no_wrap=True)
    table.add_column("Met", justify="right", no_wrap=True)
    table.add_column("%", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    checks = data.checks()
    for group in scorecard_groups(card, checks):
        a = group["figure"]
        indent = " " * group["level"]
        figure = f"{a['met']} of {a['relevant']}" if a and a["relevant"] else ""
        pct = f"{a['percent']}%" if a and a["percent"] is not None else ""
        if group["checks"] and not any(c["scored"] for c in group["checks"]):
            cases = card["data"]["cases"]
            figure, pct = f"{cases} case{'' if cases == 1 else 's'}", "count"
        table.add_row(
            f"{indent}[bold]{escape(group['title'])}[/]",
            "",
            f"[bold]{figure}[/]",
            f"[bold]{pct}[/]",
            _bar(a["percent"], bar_width) if a else "",
        )
        for c in group["checks"]:
            label = f"{indent} {escape(c['id'])}"
            if c["counts_for"]:
                label += f" [dim](for {escape(c['counts_for'])})[/]"
            sev = SHORT_SEVERITY.get(c["severity"], c["severity"]) if narrow else c["severity"]
            if c["counted"] and not c["scored"]:
                table.add_row(label, sev, f"{c['flagged']} flagged", "", "")
            elif c["counted"]:
                met = f"{c['met']} of {c['relevant']}" if c["relevant"] else "none"
                pct = f"{c['percent']}%" if c["percent"] is not None else "-"
                if c["status"] == "partial":
                    pct += " [yellow](part)[/]"
                table.add_row(label, sev, met, pct, _bar(c["percent"], bar_width))
            else:
                table.add_row(label, sev, f"[yellow]{c['status']}[/]", "", "")
    console.print(table)


def _print_counts(console: Any, data: ReportData, tally: dict[str, Any]) -> None:
    """Cases, findings by severity, input problems; the data note; checks not run."""
    card = data.scorecard()
    severities = dict.fromkeys(reversed(SEVERITIES), 0)
    severities.update(tally["severity"])
    by_sev = ", ".join(f"{n} {s}" for s, n in severities.items() if n)
    problems = len(data.input_problems())
    console.print(
        f"{card['cases']} cases checked, {tally['cases']} with a finding; "
        f"{tally['findings']} findings{f' ({by_sev})' if by_sev else ''}, "
        f"{tally['act_now']} to act on; {problems} input problems."
    )
    if card["data"]["checks"]:
        console.print(f"{card['data']['text']} (see the input problems).")
    for c in data.checks():
        if c["status"] == "partial":
            console.print(f"[yellow]In part[/] {escape(c['id'])}: {escape(str(c['reason']))}")
        elif not c["counted"]:
            console.print(f"[yellow]Not run[/] {escape(c['id'])}: {escape(str(c['reason']))}")
    if data.redacted:
        console.print("Child ids and staff names are replaced by pseudonyms in the reports.")


def _print_due_soon(console: Any, data: ReportData) -> None:
    """What falls due in the window, earliest first (never findings)."""
    window = data.due_window()
    if not window:
        return
    items = data.due_soon()
    console.print(
        f"[bold]Due soon:[/] {len(items)} deadline{'' if len(items) == 1 else 's'} in "
        f"{window} not yet met."
    )
    for item in items[:MAX_DUE]:
        console.print(
            f"  {uk_date(item['due_date'])} ({days_text(item['working_days'])}) "
            f"{escape(item['case_id'])} {escape(item['what'])}",
            overflow="ellipsis",
            no_wrap=True,
        )
    if len(items) > MAX_DUE:
        console.print(f"  ... and {len(items) - MAX_DUE} more in the reports.")


def _print_flagged(console: Any, data: ReportData, tally: dict[str, Any]) -> None:
    """The closing short list: one line per flagged case, the one due first first."""
    n_cases, n_findings = tally["cases"], tally["findings"]
    if not n_cases:
        console.rule("[bold green]no flagged cases[/]")
        return
    console.rule(
        f"[bold]{n_cases} flagged case{'' if n_cases == 1 else 's'}, "
        f"{n_findings} finding{'' if n_findings == 1 else 's'}[/]"
    )
    for case in data.flagged_cases(MAX_FLAGGED):
        worst, first, count = case["worst"], case["first"], case["count"]
        due = f", due {uk_date(first['due_date'])}" if first.get("due_date") else ""
        more = f" +{count - 1} more" if count > 1 else ""
        style = SEVERITY_STYLES.get(worst, "")
        console.print(
            f"[{style}]FLAGGED[/] {escape(case['case_id'])} {worst}{due} - "
            f"{escape(first['check_id'])} {escape(first['reason'])}{more}",
            overflow="ellipsis",
            no_wrap=True,
        )
    if n_cases > MAX_FLAGGED:
        console.print(f"... and {n_cases - MAX_FLAGGED} more flagged cases in the reports.")
