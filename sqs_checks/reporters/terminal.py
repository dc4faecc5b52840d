"""The terminal summary (rich) and the progress display of a long run."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sqs_checks.result import RunResult


@contextlib.contextmanager
def progress_display(enabled: bool = True) -> Iterator[Any]:
    """Yield a ``progress(check, index, total)`` callback that draws a progress bar."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("Running checks", total=None)

        def progress(check: Any, index: int, total: int) -> None:
            bar.update(task, total=total, completed=index, description=f"Checking {check.id}")

        yield progress


def print_summary(result: RunResult, settings: Any = None, console: Any = None) -> None:
    """Print the scorecard, the counts and where the reports went."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    card = result.scorecard()
    title = f"sqs-checks {result.suite.name} as of {result.as_of:%d/%m/%Y}"
    if card["filtered"]:
        title += " (filtered: " + ", ".join(f"{k} {v}" for k, v in card["filtered"].items()) + ")"
    table = Table(title=title, show_lines=False)
    table.add_column("Check")
    table.add_column("Met", justify="right")
    table.add_column("Relevant", justify="right")
    table.add_column("%", justify="right")
    table.add_column("Status")
    for run in result.checks:
        if run.status == "ran":
            pct = f"{round(100 * run.met / run.relevant)}%" if run.relevant else "-"
            table.add_row(run.check.title, str(run.met), str(run.relevant), pct, "")
        else:
            table.add_row(run.check.title, "", "", "", f"{run.status}: {run.reason}")
    console.print(table)
    for area in card["areas"]:
        console.print(f"  {area['text']}")
    problems = len(result.input_problems())
    console.print(
        f"{card['cases']} cases checked, {result.finding_count()} findings, "
        f"{problems} input problems."
    )
    if settings is not None and getattr(settings, "out_dir", None) and settings.formats:
        console.print(f"Reports written to {settings.out_dir}: {', '.join(settings.formats)}")
