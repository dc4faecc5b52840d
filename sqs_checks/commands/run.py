"""``sqs-checks run``: the main job."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import click

from sqs_checks.commands.options import DATE, plugins_dir_option, plugins_option

SEVERITY_CHOICES = ["low", "medium", "high"]
FAIL_ON_CHOICES = [*SEVERITY_CHOICES, "degraded"]


@click.command("run")
@click.argument("export", required=False)
@click.option("--as-of", type=DATE, default=None, help="Evaluate as of this date (default today).")
@click.option("--suite", default=None, help="Suite name or .yml path (default open-cases).")
@click.option(
    "--format",
    "formats",
    multiple=True,
    help="Output format: json, html, xlsx, csv, junit. Repeatable (default json).",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder that receives the reports (default sqs-checks-report).",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    multiple=True,
    help="Exit 1 when a finding has this severity or higher, or (degraded) when the run "
    "could not judge everything it was asked to. Repeatable.",
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False),
    default=None,
    help="Mapping profile (YAML) for an export whose names differ from the canonical ones.",
)
@click.option("--reader", default=None, help="Force a reader: csv, xlsx, parquet, sql.")
@plugins_dir_option
@plugins_option
@click.option("--region", default=None, help="Bank-holiday region (default england-and-wales).")
@click.option("--case-manager", default=None, help="Show only this case manager's cases.")
@click.option("--team", default=None, help="Show only this team's cases.")
@click.option("--redact", is_flag=True, help="Replace child ids and staff names with pseudonyms.")
@click.option(
    "--due-within",
    type=click.IntRange(0, 260),
    default=None,
    metavar="N",
    help="List the deadlines falling due in the next N working days (default 10; 0: today).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Workspace settings file (default: sqs-checks.toml in this folder, if any).",
)
@click.option(
    "--wait",
    is_flag=True,
    help="When another run holds the workspace, wait for it instead of stopping.",
)
@click.option(
    "--timings",
    is_flag=True,
    help="Print where the time and memory went (each phase) and record it in findings.json.",
)
@click.option(
    "--memory-limit",
    callback=lambda ctx, param, value: _memory_size(value),
    default=None,
    metavar="SIZE",
    help="Memory DuckDB may use for the checks and reports before it spills to a private "
    "temporary folder, e.g. 8GB or 50% (default: 1.3 times the loaded export's tables, "
    "at least 2GiB, at most half the machine).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print no summary.")
def run(
    export,
    as_of,
    suite,
    formats,
    out_dir,
    fail_on,
    mapping,
    reader,
    plugins_dirs,
    plugins,
    region,
    case_manager,
    team,
    redact,
    due_within,
    config_file,
    wait,
    timings,
    memory_limit,
    quiet,
) -> None:
    """Run the checks over EXPORT and write the reports.

    EXPORT is a folder of CSV or Parquet files, an .xlsx workbook or a
    database URL. Without EXPORT, the workspace settings are used (sqs-checks.toml
    here, or --config); outside a workspace an export must be given.

    Exit codes: 0 ran, 1 findings at or above --fail-on (or a degraded run
    with --fail-on degraded), 2 cannot run.
    """
    from sqs_checks.pipeline import notify_finished, run_pipeline
    from sqs_checks.reporters.terminal import print_summary, progress_display

    cli_values = {
        "export": export,
        "as_of": as_of,
        "suite": suite,
        "formats": list(formats) or None,
        "out_dir": out_dir,
        "fail_on": list(fail_on) or None,
        "mapping": mapping,
        "reader": reader,
        "plugins_dirs": list(plugins_dirs) or None,
        "plugins": list(plugins) or None,
        "region": region,
        "case_manager": case_manager,
        "team": team,
        "redact": redact or None,
        "timings": timings or None,
        "due_within": due_within,
        "memory_limit": memory_limit,
    }
    settings, fail_on = _settings(cli_values, config_file, quiet)
    lock = None
    if settings.extra.get("workspace"):
        from sqs_checks.workspace import WorkspaceLock

        lock = WorkspaceLock(settings.extra["workspace"], wait=wait).acquire()
    try:
        with progress_display(enabled=not quiet) as progress:
            result = run_pipeline(settings, progress=progress)
        warnings = notify_finished(result, settings)
    finally:
        if lock is not None:
            lock.release()
    degraded = result.degraded()
    if quiet:  # a degraded run is loud, even when the summary is not wanted
        for line in degraded:
            click.echo(f"Degraded run: {line}", err=True)
    else:
        print_summary(result, settings)
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    if timings and result.timings is not None:
        click.echo("\n".join(result.timings.lines()))
    if _fails(result, fail_on or [], degraded):
        sys.exit(1)


MEMORY_SIZE = re.compile(r"(\d+(\.\d+)?) ?([KMGT]i?B|%)", re.IGNORECASE)
"""A memory size as DuckDB reads one: a number and a unit (KB to TB, KiB to TiB) or %."""


def _memory_size(value: str | None) -> str | None:
    """``--memory-limit`` checked: a size such as ``8GB`` or a share such as ``50%``."""
    if value is None:
        return None
    found = MEMORY_SIZE.fullmatch(value.strip())
    if not found or (found.group(3) == "%" and not 0 < float(found.group(1)) <= 100):
        raise click.BadParameter(
            f"{value!r} is not a memory size: give a number and a unit, such as 8GB, 500MB or 50%."
        )
    unit = found.group(3).upper()
    if unit == "%":  # a share of this machine's memory
        from sqs_checks.engine import physical_memory

        total = physical_memory()
        size = float(found.group(1)) / 100 * total if total else None
    else:
        power = "KMGT".index(unit[0]) + 1
        size = float(found.group(1)) * (1024 if "I" in unit else 1000) ** power
    if size is not None and size < MIN_MEMORY_SIZE:
        raise click.BadParameter(f"{value!r} is too little for a run: give at least 256MB.")
    return value.strip()


MIN_MEMORY_SIZE = 256 * 10**6
"""The least ``--memory-limit`` a run accepts (DuckDB needs room for its own work)."""


def _fails(result, fail_on: list[str], degraded: list[str]) -> bool:
    """Whether ``--fail-on`` asks for exit 1: a finding at or above a severity, or degradation."""
    from sqs_checks.checks import severity_rank

    if "degraded" in fail_on and degraded:
        return True
    levels = [f for f in fail_on if f != "degraded"]
    worst = result.worst_severity() if levels else None
    return worst is not None and severity_rank(worst) >= min(severity_rank(f) for f in levels)


def _settings(values: dict, config_file: str | None, quiet: bool):
    """Merge command-line values over workspace settings (if any) and defaults."""
    from sqs_checks.pipeline import RunSettings

    base: dict = {}
    fail_on = values.pop("fail_on")
    try:
        from sqs_checks.workspace import settings_from_workspace
    except ImportError:
        settings_from_workspace = None
    if settings_from_workspace is not None:
        base = settings_from_workspace(config_file, values) or {}
    elif config_file:
        from sqs_checks.errors import ConfigError

        raise ConfigError(f"Cannot read the workspace settings {config_file}.")
    merged = {**base, **{k: v for k, v in values.items() if v is not None}}
    fail_on = fail_on or merged.pop("fail_on", None)
    merged.pop("fail_on", None)
    if isinstance(fail_on, str):
        fail_on = [fail_on]
    if not merged.get("export"):
        from sqs_checks.errors import UserError

        raise UserError(
            "No export to check and no workspace here (sqs-checks.toml): give an export, "
            "or try `sqs-checks demo DIR` to make a demo export first."
        )
    merged.setdefault("formats", ["json"])
    merged.setdefault("out_dir", "sqs-checks-report")
    merged["out_dir"] = Path(merged["out_dir"])
    merged.setdefault("as_of", dt.date.today())
    merged.setdefault("suite", "open-cases")
    merged.setdefault("region", "england-and-wales")
    known = RunSettings.__dataclass_fields__
    extra = {k: v for k, v in merged.items() if k not in known}
    settings = RunSettings(**{k: v for k, v in merged.items() if k in known})
    settings.extra.update(extra)
    return settings, fail_on


commands = [run]
