"""The terminal summary (rich) and the progress display of a long run."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqs_checks.checks import SEVERITIES
from sqs_checks.headings import scorecard_groups
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


def print_summary(result: RunResult, settings: Any = None, console: Any = None) -> None:
    """Print the scorecard by heading (or area) and check, the counts, and where reports went."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from sqs_checks.reporters.common import ReportData, uk_date

    console = console or Console()
    data = ReportData(result, {"settings": settings})
    card = data.scorecard()
    for line in data.degraded():
        console.print(f"[bold yellow]Degraded run:[/] {escape(line)}")
    run = data.run
    title = f"sqs-checks {run['suite']} as of {uk_date(run['as_of'])}"
    if data.filters_text():
        title += f" (filtered: {data.filters_text()})"
    table = Table(title=escape(title), show_lines=False, expand=False)
    table.add_column("Check", overflow="fold", ratio=3)
    table.add_column("Sev.")
    table.add_column("Met", justify="right", no_wrap=True)
    table.add_column("%", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    checks = data.checks()
    for group in scorecard_groups(card, checks):
        a = group["figure"]
        indent = "  " * group["level"]
        figure = f"{a['met']} of {a['relevant']}" if a and a["relevant"] else ""
        pct = f"{a['percent']}%" if a and a["percent"] is not None else ""
        if group["checks"] and not any(c["scored"] for c in group["checks"]):
            figure, pct = f"{card['data']['cases']} cases", "count"
        table.add_row(
            f"{indent}[bold]{escape(group['title'])}[/]",
            "",
            f"[bold]{figure}[/]",
            f"[bold]{pct}[/]",
            _bar(a["percent"]) if a else "",
        )
        for c in group["checks"]:
            title = f"{indent}  {escape(c['title'])}"
            if c["counts_for"]:
                title += f" [dim](counts here for {escape(c['counts_for'])})[/]"
            if c["counted"] and not c["scored"]:
                table.add_row(title, c["severity"], f"{c['flagged']} flagged", "", "")
            elif c["counted"]:
                met = f"{c['met']} of {c['relevant']}" if c["relevant"] else "none relevant"
                pct = f"{c['percent']}%" if c["percent"] is not None else "-"
                if c["status"] == "partial":
                    pct += " [yellow](part)[/]"
                table.add_row(title, c["severity"], met, pct, _bar(c["percent"]))
            else:
                table.add_row(title, c["severity"], f"[yellow]{c['status']}[/]", "", "")
    console.print(table)
    severities = dict.fromkeys(reversed(SEVERITIES), 0)
    flagged: set[str] = set()
    for f in data.findings():
        severities[f["severity"]] = severities.get(f["severity"], 0) + 1
        flagged.add(f["case_id"])
    total = sum(severities.values())
    by_sev = ", ".join(f"{n} {s}" for s, n in severities.items() if n)
    problems = len(data.input_problems())
    console.print(
        f"{card['cases']} cases checked, {len(flagged)} with a finding; "
        f"{total} findings{f' ({by_sev})' if by_sev else ''}; {problems} input problems."
    )
    if card["data"]["checks"]:
        console.print(f"{card['data']['text']} (see the input problems).")
    for c in checks:
        if c["status"] == "partial":
            console.print(f"[yellow]In part[/] {escape(c['id'])}: {escape(str(c['reason']))}")
        elif not c["counted"]:
            console.print(f"[yellow]Not run[/] {escape(c['id'])}: {escape(str(c['reason']))}")
    if data.redacted:
        console.print("Child ids and staff names are replaced by pseudonyms in the reports.")
    if settings is not None and getattr(settings, "out_dir", None) and settings.formats:
        console.print(
            f"Reports written to {escape(str(settings.out_dir))}: {', '.join(settings.formats)}"
        )
