"""``sqs-checks checks``, ``explain``, ``suites`` and ``plugins``: what is installed.

``explain CHECK_ID`` is the plain-English page of one check: the inspection
report's words it comes from, what it reads, which cases it counts (the
relevance rule), when it fails (each reason code), its parameters with their
defaults (or a suite's values) and how it works.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import Any

import click

from sqs_checks.commands.options import (
    config_option,
    nearest_ids,
    plugins_dir_option,
    plugins_option,
    workspace_extras,
)

WIDTH = 88
"""Width ``explain`` wraps its text to."""

TYPE_NAMES = {
    "int": "whole number",
    "months": "months",
    "float": "number",
    "str": "text",
    "bool": "true or false",
    "list[str]": "list",
}
"""How ``explain`` names each parameter type."""


def installed_check_ids(config_file: str | None = None) -> list[str]:
    """The ids of every check installed, with the workspace's own plugins."""
    return [c.id for c in _Installed((), (), config_file).catalog()]


class _Installed:
    """What a catalog command sees: the workspace's plugins and suites plus the options'."""

    def __init__(
        self,
        plugins_dirs: Sequence[str],
        plugins: Sequence[str],
        config_file: str | None,
        suite: str | None = None,
    ) -> None:
        from sqs_checks.pipeline import plugins_and_suite
        from sqs_checks.plugins import get_plugin_manager

        extras = workspace_extras(config_file)
        self.dirs = [*extras["plugins_dirs"], *plugins_dirs]
        self.plugins = [*extras["plugins"], *plugins]
        self.suite_dirs = extras["suite_dirs"]
        self.suite = None
        if suite:
            self.pm, self.suite = plugins_and_suite(self.dirs, self.plugins, suite, self.suite_dirs)
        else:
            self.pm = get_plugin_manager(tuple(self.dirs), tuple(self.plugins))

    def catalog(self) -> list[Any]:
        """Every check the plugins provide; the suite (if any) validated against them."""
        from sqs_checks.pipeline import catalog

        items = catalog(self.pm)
        if self.suite is not None:
            self.suite.validate(items)
        return items

    def suite_folders(self) -> list[Any]:
        """Where suites are looked for: the workspace's, then the plugins'."""
        from pathlib import Path

        from sqs_checks.pipeline import suite_dirs

        return [Path(d) for d in self.suite_dirs] + suite_dirs(self.pm)


@click.command("checks")
@click.option("--suite", default=None, help="List only what this suite runs, with its severities.")
@plugins_dir_option
@plugins_option
@config_option
def checks_command(
    suite: str | None, plugins_dirs: Sequence[str], plugins: Sequence[str], config_file: str | None
) -> None:
    """List the checks: id, area, severity, report paragraph and title.

    Inside a workspace (or with --config) its plugins and suites are included.
    """
    from rich.console import Console
    from rich.table import Table

    from sqs_checks.reporters.common import report_reference

    installed = _Installed(plugins_dirs, plugins, config_file, suite)
    pm = installed.pm
    items = installed.catalog()
    severities: dict[str, str] = {}
    title = "Checks"
    if suite:
        loaded = installed.suite
        items = loaded.select(items)
        severities = loaded.severity
        title = f"Checks in suite {loaded.name} (scope: {loaded.scope.describe()})"
    table = Table(title=title, title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("area", no_wrap=True)
    table.add_column("severity", no_wrap=True)
    table.add_column("report", no_wrap=True)
    table.add_column("title")
    for check in items:
        table.add_row(
            check.id,
            check.area,
            severities.get(check.id, check.severity),
            report_reference(check.seed) or "-",
            check.title,
        )
    Console(width=160).print(table)
    click.echo(f"{len(items)} checks. `sqs-checks explain CHECK_ID` explains one.")
    _warn_failures(pm)


@click.command("explain")
@click.argument("check_id")
@click.option("--suite", default=None, help="Show this suite's parameter values and severity.")
@plugins_dir_option
@plugins_option
@config_option
def explain(
    check_id: str,
    suite: str | None,
    plugins_dirs: Sequence[str],
    plugins: Sequence[str],
    config_file: str | None,
) -> None:
    """Explain a check: the report's words, what it reads, its rules and parameters.

    Inside a workspace (or with --config) its plugins and suites are included.
    """
    from sqs_checks.errors import UserError

    installed = _Installed(plugins_dirs, plugins, config_file, suite)
    items = installed.catalog()
    by_id = {c.id: c for c in items}
    loaded = installed.suite
    if loaded is not None:  # the suite's own instances can be explained too
        by_id.update({c.id: c for c in loaded.select(items) if c.instance_of})
    if check_id not in by_id:
        close = nearest_ids(check_id, list(by_id))
        hint = f" Did you mean {' or '.join(close)}?" if close else " See `sqs-checks checks`."
        raise UserError(f"There is no check {check_id!r}.{hint}")
    check = by_id[check_id]
    if loaded is not None:
        try:
            values = check.resolve_params(loaded.parameters.get(check_id))
        except ValueError as exc:
            raise UserError(f"In the suite {loaded.path}, {exc}.") from None
        runs = check_id in {c.id for c in loaded.select(items)}
        click.echo(
            explain_text(
                check,
                values=values,
                severity=loaded.severity.get(check_id, check.severity),
                suite_name=loaded.name,
                in_suite=runs,
            )
        )
        for line in suite_lines(loaded, check):
            click.echo(line)
    else:
        click.echo(explain_text(check))


def _wrap(text: str, indent: str = "  ", hang: str = "") -> list[str]:
    """``text`` wrapped to :data:`WIDTH`, paragraph by paragraph, indented.

    Continuation lines get ``hang`` more indentation.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph.strip():
            lines.append("")
            continue
        lines += textwrap.wrap(
            paragraph.strip(),
            WIDTH,
            initial_indent=indent,
            subsequent_indent=indent + hang,
            break_on_hyphens=False,
            break_long_words=False,
        )
    return lines


def _rewrap(text: str) -> list[str]:
    """Docstring paragraphs re-wrapped to :data:`WIDTH`; ``* `` bullet items kept apart."""
    import re

    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        for item in re.split(r"\n(?=\s*\* )", paragraph.strip()):
            words = " ".join(item.split())
            bullet = words.startswith("* ")
            lines += textwrap.wrap(
                words,
                WIDTH,
                initial_indent="  ",
                subsequent_indent="    " if bullet else "  ",
                break_on_hyphens=False,
                break_long_words=False,
            )
        lines.append("")
    return lines


def format_value(value: Any) -> str:
    """A parameter value as a suite YAML would write it (lists comma-separated)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v) for v in value) or "(none)"
    return str(value)


def param_text(param: Any, value: Any = None, *, overridden: bool = False) -> str:
    """One line describing a parameter: name, value, type, meaning and allowed values."""
    shown = param.default if value is None else value
    kind = TYPE_NAMES.get(param.type, param.type)
    text = f"{param.name} = {format_value(shown)} ({kind})"
    if overridden:
        text += f" [suite value; default {format_value(param.default)}]"
    if param.doc:
        text += f": {param.doc}"
    if param.choices:
        each = "each one of" if param.type == "list[str]" else "one of"
        text += f"; {each}: {format_value(list(param.choices))}"
    return text


DATE_WORDS = {
    "start_date": "the start of the order",
    "release_date": "the release date",
    "event_date": "the event",
    "completion": "its completion",
    "completed_date": "its completion",
    "created_date": "its creation",
    "submitted_date": "its submission",
    "court_date": "the court date",
    "as_of": "the as-of date",
}
"""How ``explain`` names the dates a rule counts from."""

_CALL = re.compile(r"\b(wd_add|wd_sub|add_months)\(")


def _split_call(text: str, start: int) -> tuple[list[str], int] | None:
    """The top-level arguments of the call whose "(" is at ``start``, and where it ends."""
    depth, args, current = 0, [], ""
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "(":
            depth += 1
            if depth == 1:
                continue
        elif ch == ")":
            depth -= 1
            if depth == 0:
                args.append(current.strip())
                return args, i + 1
        elif ch == "," and depth == 1:
            args.append(current.strip())
            current = ""
            continue
        current += ch
    return None


def in_words(text: str, values: dict[str, Any]) -> str:
    """A rule with its date arithmetic in words and its parameters by their values.

    ``wd_add(start_date, due)`` -> "15 working days after the start of the order" (with
    "(20 for a referral order)" where the check has ``due_referral_order``);
    ``wd_sub(release_date, lead)`` -> "10 working days before the release date";
    ``add_months(d, m)`` -> "m months after d"; ``interval months`` -> "3 months";
    ``min_level`` -> "medium"; ``as_of`` -> "the as-of date".
    """
    referral = "due_referral_order" in values
    mentioned = "due_referral_order" in text

    def amount_words(name: str) -> str:
        name = name.strip().removeprefix("$")
        name = "due" if name == "due(case)" else name
        shown = values.get(name)
        if shown is None or isinstance(shown, (list, tuple, bool)):
            return name.replace("_", " ")
        return format_value(shown)

    out = ""
    pos = 0
    for match in _CALL.finditer(text):
        if match.start() < pos:
            continue
        parsed = _split_call(text, match.end() - 1)
        if parsed is None or len(parsed[0]) != 2:
            continue
        (anchor, amount), end = parsed
        unit = "months" if match.group(1) == "add_months" else "working days"
        side = "before" if match.group(1) == "wd_sub" else "after"
        if amount.strip().startswith("-"):  # add_months(d, -m): m months before d
            amount, side = amount.strip()[1:], "before" if side == "after" else "after"
        count = f"{amount_words(amount)} {unit}"
        if amount.strip() in ("due", "due(case)") and referral and not mentioned:
            count += f" ({format_value(values['due_referral_order'])} for a referral order)"
        anchor = anchor.strip().removeprefix("$")
        words = DATE_WORDS.get(anchor, anchor)
        out += text[pos : match.start()] + f"{count} {side} {words}"
        pos = end
    out += text[pos:]
    if referral:
        out = re.sub(
            r" - \$?due_referral_order for referral orders - ",
            f" ({format_value(values['due_referral_order'])} for a referral order) ",
            out,
        )
    for name, shown in values.items():
        if isinstance(shown, (list, tuple, bool)):
            continue
        words = format_value(shown)
        out = re.sub(rf"\$?\b{re.escape(name)}\b(?= (months|working days))", words, out)
        if isinstance(shown, str) and "_" in name:
            out = re.sub(rf"\$?\b{re.escape(name)}\b", words, out)
    out = re.sub(r"\b([\w-]+) \(\1\)", r"\1", out)
    return re.sub(r"\$?\bas_of\b", "the as-of date", out)


def _without_references(text: str) -> str:
    """Text without the contract's section references ("(SPEC §5, partial inputs)")."""
    text = re.sub(r"\s*\((?:see )?SPEC §\d+[^)]*\)", "", text)
    text = re.sub(r"\bSPEC §\d+(?: \(v2\))?:\s*", "", text)
    return re.sub(r"\bSPEC §\d+(?:, [a-z ]+)?", "the rules", text)


def _how_it_works(check: Any) -> str:
    """The check's docstring, less what the page already shows.

    Left out: a first paragraph that starts with the check's id (id and
    title), and, when the report's text is shown, a paragraph quoting it
    ("Seed 1.1: ...").
    """
    paragraphs = [p.strip("\n") for p in textwrap.dedent(check.doc or "").strip().split("\n\n")]
    kept = []
    for index, paragraph in enumerate(paragraphs):
        if index == 0 and paragraph.startswith(check.id):
            continue
        if check.source and paragraph.startswith("Seed "):
            continue
        kept.append(paragraph)
    return "\n\n".join(kept).strip()


def explain_text(
    check: Any,
    *,
    values: dict[str, Any] | None = None,
    severity: str | None = None,
    suite_name: str | None = None,
    in_suite: bool = True,
) -> str:
    """The plain-English page of a check (what ``sqs-checks explain`` prints).

    ``values`` and ``severity`` are a suite's resolved parameters and severity
    for the check, when a suite is given (``suite_name``).
    """
    from sqs_checks.checks import AREAS
    from sqs_checks.reporters.common import report_reference

    shown = {**check.defaults, **(values or {})}
    lines = [check.id, f"  {check.title}", ""]
    lines.append(f"Area:      {AREAS.get(check.area, check.area)} ({check.area})")
    if suite_name:
        note = "" if in_suite else "; the suite does not run this check"
        lines.append(f"Severity:  {severity} (in suite {suite_name}{note})")
    else:
        lines.append(f"Severity:  {check.severity} (default; a suite may change it)")
    lines.append(f"Report:    {report_reference(check.seed) or '-'}")
    lines.append("")
    if check.source:
        lines.append("What the inspection report says")
        for paragraph in check.source.split("\n"):
            lines += _wrap(paragraph) + [""]
    lines.append("What it reads")
    if check.needs:
        for table, columns in check.needs.items():
            lines += _wrap(f"{table}: {', '.join(columns) or '(the table)'}", hang="  ")
    else:
        lines.append("  the columns the export has (it adapts to the optional ones present)")
    if check.depends_on:
        lines += _wrap("and the findings of " + ", ".join(check.depends_on) + " (they run first)")
    for reason, needs in check.reason_needs.items():
        what = "; ".join(f"{t} ({', '.join(c)})" for t, c in needs.items())
        lines += _wrap(
            f"{reason} also needs {what}; without it the check runs in part (partial) and "
            "says what it could not judge",
            hang="  ",
        )
    if check.area == "data":
        lines += _wrap(
            "It describes the export, not the work: reports count its cases, never score "
            "them as compliance."
        )
    lines.append("")
    lines.append("Relevant when (the cases it counts)")
    lines += _wrap(in_words(check.relevance or "-", shown))
    lines.append("")
    lines.append("Fails when (reason codes)")
    if check.reasons:
        for code, meaning in check.reasons.items():
            lines += _wrap(f"{code}: {in_words(meaning, shown)}", hang="  ")
    else:
        lines.append("  -")
    lines.append("")
    if check.params:
        header = (
            f"Parameters (values in suite {suite_name})"
            if suite_name
            else ("Parameters (defaults; a suite may override them)")
        )
        lines.append(header)
        for param in check.params:
            value = (values or {}).get(param.name)
            overridden = values is not None and value != param.default
            lines += _wrap(param_text(param, value, overridden=overridden), hang="  ")
    else:
        lines.append("Parameters: none")
    how = _how_it_works(check)
    if how:
        lines += ["", "How it works"]
        lines += _rewrap(in_words(_without_references(how.replace("``", "")), shown))
    return "\n".join(lines).rstrip() + "\n"


def suite_lines(suite: Any, check: Any) -> list[str]:
    """What a suite does with ``check`` beyond parameters: instance, disposals, headings."""
    lines = []
    shown = check if check.instance_of else suite.restricted(check)
    if check.instance_of:
        lines.append(f"Instance of: {check.instance_of} (declared by suite {suite.name})")
    if shown.disposals is not None:
        lines.append(f"Judges:    {', '.join(shown.disposals)} cases only (suite {suite.name})")
    framework = suite.framework
    if framework is not None:
        by_id = framework.by_id
        contributions = framework.contributions(check)
        if contributions:
            lines.append(f"Headings ({framework.name or suite.name}):")
            for heading_id in framework.heading_ids(check):
                reasons = contributions[heading_id].describe()
                note = f" - counts for {reasons}" if reasons else ""
                lines.append(f"  {heading_id}: {by_id[heading_id].title}{note}")
        else:
            why = framework.outside_reason(check) or "not mapped by the suite"
            lines.append(f"Headings:  none - outside the framework ({why})")
    return lines


@click.command("suites")
@plugins_dir_option
@plugins_option
@config_option
def suites_command(
    plugins_dirs: Sequence[str], plugins: Sequence[str], config_file: str | None
) -> None:
    """List the suites: name, scope and what they run."""
    from sqs_checks.suites import list_suites

    installed = _Installed(plugins_dirs, plugins, config_file)
    for suite in list_suites(installed.suite_folders()):
        click.echo(f"{suite.name}: {suite.description}".rstrip(": "))
        click.echo(
            f"  scope: {suite.scope.describe()}; checks: {', '.join(suite.checks)}"
            + (f"; excludes: {', '.join(suite.exclude)}" if suite.exclude else "")
        )
        if suite.framework is not None:
            click.echo(
                f"  headings: {suite.framework.name or 'its own'} "
                f"({len(suite.framework.headings)} headings; docs/frameworks.md)"
            )
        if suite.plugins:
            click.echo(f"  switches on: {', '.join(suite.plugins)}")
        click.echo(f"  file: {suite.path}")


@click.command("plugins")
@plugins_dir_option
@plugins_option
@config_option
def plugins_command(
    plugins_dirs: Sequence[str], plugins: Sequence[str], config_file: str | None
) -> None:
    """List the loaded plugins: name, version, source and hooks; and the optional ones."""
    from importlib.metadata import entry_points

    from sqs_checks.plugins import OPTIONAL_GROUP

    pm = _Installed(plugins_dirs, plugins, config_file).pm
    for info in pm.infos.values():
        click.echo(f"{info.name} {info.version}")
        click.echo(f"  source: {info.source}")
        click.echo(f"  hooks: {', '.join(info.hooks) or '-'}")
    off = sorted(ep.name for ep in entry_points(group=OPTIONAL_GROUP) if not pm.has_plugin(ep.name))
    if off:
        click.echo(f"Optional, not switched on (use --plugins NAME): {', '.join(off)}")
    _warn_failures(pm)


def _warn_failures(pm: Any) -> None:
    for failure in pm.failures:
        click.echo(
            f"Warning: the plugin {failure.name} ({failure.source}) was skipped: {failure.reason}",
            err=True,
        )


commands = [checks_command, explain, suites_command, plugins_command]
"""The commands this module adds to ``sqs-checks``."""
