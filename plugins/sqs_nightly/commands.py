"""The nightly-operation commands: ``init``, ``history``, ``diff`` and ``schedule``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click

CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Workspace settings file (default: sqs-checks.toml in this folder).",
)
URL_OPTION = click.option(
    "--history-url", default=None, help="History database URL (default: the workspace's)."
)
FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)


def _store(config_file: str | None, url: str | None):
    """The history store of the workspace (or of ``--history-url``)."""
    from sqs_checks.errors import ConfigError
    from sqs_checks.history import HistoryStore
    from sqs_checks.workspace import find_config, read_config, resolve_history_url

    if not url:
        path = find_config(config_file)
        if path is None:
            raise ConfigError(
                "No workspace here: run this in a folder made by `sqs-checks init`, "
                "or pass --config FILE or --history-url URL."
            )
        history = read_config(path)["history"]
        if not history["url"]:
            raise ConfigError(f"{path}: history.url is empty, so no history is kept.")
        url = resolve_history_url(history["url"], path.parent)
    return HistoryStore(url)


def _uk(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else "-"


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False), default=".")
@click.option(
    "--force", is_flag=True, help="Replace an existing sqs-checks.toml with the template."
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="A confirmed mapping profile (from `sqs-checks map`) to keep as mapping.yml and use.",
)
@click.option("--export", default=None, help="The export to check (sets [export] path).")
def init_command(folder: str, force: bool, mapping: str | None, export: str | None) -> None:
    """Create a workspace in FOLDER (default here): sqs-checks.toml, plugins/, suites/, mapping.yml.

    With --mapping FILE the confirmed profile is kept as mapping.yml and used
    by every run (so is a mapping.yml already in FOLDER). Edit sqs-checks.toml
    (at least [export] path, or pass --export), then run `sqs-checks run` in
    the folder. Every setting is documented in the file.
    """
    from sqs_checks.workspace import MAPPING_NAME, init_workspace, open_items

    if mapping:
        from sqs_checks.contract import build_contract
        from sqs_checks.mapping import load_profile
        from sqs_checks.plugins import get_plugin_manager

        load_profile(mapping, [t.name for t in build_contract(get_plugin_manager(()))])
    for path in init_workspace(folder, force=force, mapping=mapping, export=export):
        click.echo(f"created {path}{'/' if path.is_dir() else ''}")
    profile = Path(folder) / MAPPING_NAME
    left = open_items(profile) if mapping else 0
    if left:
        click.echo(
            f"Note: {profile} still has {left} {'item' if left == 1 else 'items'} that "
            "`sqs-checks map` left open; confirm them (`sqs-checks validate` shows what does "
            "not fit)."
        )
    what = (
        "run `sqs-checks run` in that folder"
        if export
        else (
            f"edit {Path(folder) / 'sqs-checks.toml'} ([export] path), then run `sqs-checks run` "
            "in that folder"
        )
    )
    click.echo(f"Next: {what}.")


def _known_check(check_id: str, recorded: set[str], config_file: str | None) -> None:
    """Raise a usage error suggesting the nearest id when ``check_id`` is no check at all.

    Known ids are those of the recorded runs and of the catalog, with the
    workspace's own plugins.
    """
    from sqs_checks.commands.catalog import installed_check_ids
    from sqs_checks.commands.options import nearest_ids
    from sqs_checks.errors import UserError

    known = recorded | set(installed_check_ids(config_file))
    if check_id in known:
        return
    close = nearest_ids(check_id, sorted(known))
    hint = f"did you mean {' or '.join(close)}?" if close else "see `sqs-checks checks`."
    raise UserError(f"There is no check {check_id!r}; {hint}")


@click.command("history")
@CONFIG_OPTION
@URL_OPTION
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="Show this many runs, newest first.",
)
@click.option(
    "--check",
    "check_id",
    default=None,
    help="Show one check's relevant/flagged series instead of the runs.",
)
@FORMAT_OPTION
def history_command(
    config_file: str | None, history_url: str | None, limit: int, check_id: str | None, fmt: str
) -> None:
    """List the recorded runs with their counts (or one check's series over time)."""
    store = _store(config_file, history_url)
    try:
        if check_id:
            series = store.check_series()
            rows = [r for r in series if r["check_id"] == check_id][-limit:]
            if not rows:
                _known_check(check_id, {r["check_id"] for r in series}, config_file)
            if fmt == "json":
                click.echo(
                    json.dumps([{k: _jsonable(v) for k, v in r.items()} for r in rows], indent=2)
                )
                return
            if not rows:
                click.echo(f"No recorded run has the check {check_id}.")
                return
            click.echo(f"{'run':>5}  {'as of':10}  {'relevant':>8}  {'flagged':>7}  {'met':>5}")
            for r in rows:
                met = (
                    f"{round(100 * (r['relevant'] - r['flagged']) / r['relevant'])}%"
                    if (r["relevant"])
                    else "-"
                )
                click.echo(
                    f"{r['run_id']:>5}  {_uk(r['as_of']):10}  {r['relevant']:>8}  "
                    f"{r['flagged']:>7}  {met:>5}"
                )
            return
        runs = store.runs(limit=limit)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps([{k: _jsonable(v) for k, v in r.items()} for r in runs], indent=2))
        return
    if not runs:
        click.echo("The history is empty: no run has been recorded yet.")
        return
    click.echo(
        f"{'run':>5}  {'as of':10}  {'recorded':16}  {'suite':14}  {'cases':>6}  "
        f"{'flagged':>7}  {'findings':>8}  {'new':>5}  {'persist':>7}  {'resolved':>8}"
    )
    for r in runs:
        note = "  (same export as previous run)" if r["same_export"] else ""
        click.echo(
            f"{r['id']:>5}  {_uk(r['as_of']):10}  {r['recorded_at']:%d/%m/%Y %H:%M}  "
            f"{r['scope'][:14]:14}  {r['cases_in_scope']:>6}  {r['flagged_cases']:>7}  "
            f"{r['findings']:>8}  {r['new']:>5}  {r['persisting']:>7}  {r['resolved']:>8}{note}"
        )


@click.command("diff")
@click.argument("run_a", type=int, required=False)
@click.argument("run_b", type=int, required=False)
@CONFIG_OPTION
@URL_OPTION
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="List at most this many findings per status (0: counts only).",
)
@FORMAT_OPTION
def diff_command(
    run_a: int | None,
    run_b: int | None,
    config_file: str | None,
    history_url: str | None,
    limit: int,
    fmt: str,
) -> None:
    """Show new, persisting and resolved findings between RUN_A and RUN_B.

    Default: the latest run against the run before it (same suite and filters).
    With one run id, that run against the run before it.
    """
    from sqs_checks.errors import UserError

    if run_a is not None and run_b is None:
        run_a, run_b = None, run_a
    store = _store(config_file, history_url)
    try:
        diff = store.diff(run_a, run_b)
    finally:
        store.close()
    if fmt == "json":
        data = {
            "before": {k: _jsonable(v) for k, v in diff.before.items()} if diff.before else None,
            "after": {k: _jsonable(v) for k, v in diff.after.items()},
            "counts": diff.counts(),
        }
        for status in ("new", "persisting", "resolved", "held"):
            data[status] = [
                {k: _jsonable(v) for k, v in r.items() if k != "run_id"}
                for r in getattr(diff, status)
            ]
        click.echo(json.dumps(data, indent=2))
        return
    after, before = diff.after, diff.before
    if before is None:
        raise UserError(
            f"Run {after['id']} is the first run of its suite in the history; there is nothing "
            "to compare it with yet."
        )
    counts = diff.counts()
    click.echo(
        f"Run {after['id']} (as of {_uk(after['as_of'])}) against run {before['id']} "
        f"(as of {_uk(before['as_of'])}), suite {after['scope']}:"
    )
    click.echo(
        f"  {counts['new']} new, {counts['persisting']} persisting, "
        f"{counts['resolved']} resolved"
        + (f", {counts['held']} held (export unchanged)" if counts["held"] else "")
    )
    if before["export_sha256"] == after["export_sha256"]:
        click.echo("  The export is identical to the earlier run's: nothing is flagged as new.")
    for status, title in (
        ("new", "New"),
        ("resolved", "Resolved"),
        ("persisting", "Persisting"),
        ("held", "Held (export unchanged)"),
    ):
        rows = getattr(diff, status)
        if not rows or not limit:
            continue
        if status == "persisting":
            rows = sorted(rows, key=lambda r: (r["first_seen"] or after["as_of"], r["check_id"]))
        click.echo(f"\n{title}:")
        for r in rows[:limit]:
            record = f"{r['record_table']} {r['record_id']}".strip()
            line = f"  {r['check_id']}  case {r['case_id']}  {r['reason']}"
            if record:
                line += f"  ({record})"
            if r.get("case_manager"):
                line += f"  - {r['case_manager']}"
            if status == "persisting":
                nights = r["nights_open"]
                plural = "" if nights == 1 else "s"
                line += f"  since {_uk(r['first_seen'])}, {nights} night{plural} open"
            click.echo(line)
        if len(rows) > limit:
            click.echo(f"  ... and {len(rows) - limit} more")


_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@click.command("schedule")
@click.option("--at", "at", default="02:00", show_default=True, help="Time of day, HH:MM (24h).")
@CONFIG_OPTION
@click.option("--systemd", "kind", flag_value="systemd", help="A systemd service and timer pair.")
@click.option("--cron", "kind", flag_value="cron", default=True, help="A crontab line (default).")
@click.option(
    "--install",
    is_flag=True,
    help="Install it: add the line to your crontab, or write the systemd units.",
)
@click.option(
    "--unit-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where --install --systemd writes (default ~/.config/systemd/user).",
)
def schedule_command(
    at: str, config_file: str | None, kind: str, install: bool, unit_dir: str | None
) -> None:
    """Print (or --install) a nightly schedule for this workspace.

    The scheduled run waits for a run already in progress (--wait) and keeps
    the exit codes: 0 ran, 1 findings at or above fail_on, 2 cannot run.
    Windows Task Scheduler: see docs/operations.md.
    """
    from sqs_checks.errors import ConfigError
    from sqs_checks.workspace import find_config
    from sqs_nightly.schedule import cron_line, install_cron, install_systemd, systemd_units

    match = _TIME.match(at.strip())
    if not match:
        raise ConfigError(f"--at {at!r} is not a time; write it as HH:MM, for example 02:00.")
    hour, minute = int(match.group(1)), int(match.group(2))
    config = find_config(config_file)
    if config is None:
        raise ConfigError(
            "No workspace here: run this in a folder made by `sqs-checks init`, or pass --config."
        )
    if kind == "systemd":
        units = systemd_units(config, hour, minute)
        if install:
            for path in install_systemd(units, unit_dir):
                click.echo(f"wrote {path}")
            timer = next(name for name in units if name.endswith(".timer"))
            scope = "" if unit_dir and not unit_dir.startswith(str(Path.home())) else " --user"
            click.echo(
                f"Next: systemctl{scope} daemon-reload && systemctl{scope} enable --now {timer}"
            )
            return
        for name, text in units.items():
            click.echo(f"# --- {name}")
            click.echo(text)
        return
    line = cron_line(config, hour, minute)
    if install:
        install_cron(line, config)
        click.echo(f"Added to your crontab: {line}")
        return
    click.echo(line)


commands = [init_command, history_command, diff_command, schedule_command]
"""The commands this plugin adds."""
