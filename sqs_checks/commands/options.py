"""Click option types and shared options for the commands."""

from __future__ import annotations

import datetime as dt

import click


class UKOrISODate(click.ParamType):
    """A date written YYYY-MM-DD or DD/MM/YYYY."""

    name = "date"

    def convert(self, value, param, ctx):  # type: ignore[override]
        """Parse ISO or UK order (never US order)."""
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        self.fail(f"{value!r} is not a date; write it as YYYY-MM-DD or DD/MM/YYYY", param, ctx)


DATE = UKOrISODate()

plugins_option = click.option(
    "--plugins",
    "plugins",
    multiple=True,
    metavar="NAME",
    help="Switch on an optional plugin by name (for example sqs_contacts). Repeatable.",
)

config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Workspace settings file (default: sqs-checks.toml in this folder, if any).",
)


def workspace_extras(config_file: str | None) -> dict[str, list[str]]:
    """The plugins folders, suite folders and optional plugins of the workspace, if any.

    The workspace is ``config_file`` or ``sqs-checks.toml`` in the current folder;
    outside one, every list is empty.
    """
    from sqs_checks.workspace import settings_from_workspace

    settings = settings_from_workspace(config_file, {"export": "-"}) or {}
    return {
        "plugins_dirs": list(settings.get("plugins_dirs") or []),
        "suite_dirs": list(settings.get("suite_dirs") or []),
        "plugins": list(settings.get("plugins") or []),
    }


def nearest_ids(value: str, ids: list[str], limit: int = 3) -> list[str]:
    """The check ids nearest to a mistyped ``value``, whole or by the part after the dot."""
    import difflib

    wanted = value.strip().lower()
    close = difflib.get_close_matches(wanted, ids, n=limit, cutoff=0.75)
    tails = {i.rsplit(".", 1)[-1]: i for i in ids}
    for tail in difflib.get_close_matches(wanted.rsplit(".", 1)[-1], list(tails), n=limit):
        if tails[tail] not in close:
            close.append(tails[tail])
    return close[:limit]


plugins_dir_option = click.option(
    "--plugins-dir",
    "plugins_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Load local plugins (*.py, packages, *.sql checks) from this folder. Repeatable.",
)
