"""``sqs-checks checks``, ``explain``, ``suites`` and ``plugins``: what is installed."""

from __future__ import annotations

import click

from sqs_checks.commands.options import plugins_dir_option


def _pm(plugins_dirs):
    from sqs_checks.plugins import get_plugin_manager

    return get_plugin_manager(tuple(plugins_dirs))


@click.command("checks")
@click.option("--suite", default=None, help="List only what this suite runs.")
@plugins_dir_option
def checks_command(suite: str | None, plugins_dirs) -> None:
    """List the checks: id, area, severity and title."""
    from rich.console import Console
    from rich.table import Table

    from sqs_checks.pipeline import catalog

    pm = _pm(plugins_dirs)
    items = catalog(pm)
    severities: dict[str, str] = {}
    if suite:
        from pathlib import Path

        from sqs_checks.suites import load_suite

        loaded = load_suite(suite, [Path(d) for d in pm.collect("sqs_checks_suite_dirs")])
        loaded.validate(items)
        items = loaded.select(items)
        severities = loaded.severity
    table = Table(title=f"Checks{' in suite ' + suite if suite else ''}")
    for col in ("id", "area", "severity", "title"):
        table.add_column(col)
    for check in items:
        table.add_row(check.id, check.area, severities.get(check.id, check.severity), check.title)
    Console(width=160).print(table)
    _warn_failures(pm)


@click.command("explain")
@click.argument("check_id")
@plugins_dir_option
def explain(check_id: str, plugins_dirs) -> None:
    """Explain a check: what it looks at, its rules, parameters and source."""
    from sqs_checks.errors import UserError
    from sqs_checks.pipeline import catalog

    by_id = {c.id: c for c in catalog(_pm(plugins_dirs))}
    if check_id not in by_id:
        import difflib

        close = difflib.get_close_matches(check_id, list(by_id), n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else " See `sqs-checks checks`."
        raise UserError(f"There is no check {check_id!r}.{hint}")
    click.echo(explain_text(by_id[check_id]))


def explain_text(check) -> str:
    """The plain-English explanation of a check."""
    import textwrap

    from sqs_checks.checks import AREAS

    lines = [
        f"{check.id} - {check.title}",
        f"Area: {AREAS[check.area]} ({check.area}); default severity: {check.severity}; "
        f"inspection report paragraph: {check.seed or '-'}",
        "",
    ]
    if check.doc:
        lines += [textwrap.dedent(check.doc).strip(), ""]
    if check.relevance:
        lines += ["Relevant when: " + check.relevance, ""]
    if check.reasons:
        lines.append("Fails with:")
        lines += [f"  {code}: {text}" for code, text in check.reasons.items()]
        lines.append("")
    lines.append("Parameters:" if check.params else "Parameters: none")
    for p in check.params:
        lines.append(f"  {p.name} = {p.default!r} ({p.type}) {p.doc}".rstrip())
    needs = "; ".join(f"{t}: {', '.join(c) or '(table)'}" for t, c in check.needs.items())
    lines.append("")
    lines.append(f"Reads: {needs or '-'}")
    if check.depends_on:
        lines.append(f"Depends on: {', '.join(check.depends_on)}")
    if check.source:
        lines.append(f"Source paragraph: {check.source}")
    return "\n".join(lines)


@click.command("suites")
@plugins_dir_option
def suites_command(plugins_dirs) -> None:
    """List the suites: name, scope and what they run."""
    from pathlib import Path

    from sqs_checks.suites import list_suites

    pm = _pm(plugins_dirs)
    for suite in list_suites([Path(d) for d in pm.collect("sqs_checks_suite_dirs")]):
        click.echo(f"{suite.name}: {suite.description}".rstrip(": "))
        click.echo(f"  scope: {suite.scope.describe()}; checks: {', '.join(suite.checks)}"
                   + (f"; excludes: {', '.join(suite.exclude)}" if suite.exclude else ""))
        click.echo(f"  file: {suite.path}")


@click.command("plugins")
@plugins_dir_option
def plugins_command(plugins_dirs) -> None:
    """List the loaded plugins: name, version, source and hooks."""
    pm = _pm(plugins_dirs)
    for info in pm.infos.values():
        click.echo(f"{info.name} {info.version}")
        click.echo(f"  source: {info.source}")
        click.echo(f"  hooks: {', '.join(info.hooks) or '-'}")
    _warn_failures(pm)


def _warn_failures(pm) -> None:
    for failure in pm.failures:
        click.echo(
            f"Warning: the plugin {failure.name} ({failure.source}) was skipped: {failure.reason}",
            err=True,
        )


commands = [checks_command, explain, suites_command, plugins_command]
