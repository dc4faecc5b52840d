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

plugins_dir_option = click.option(
    "--plugins-dir",
    "plugins_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Load local plugins (*.py, packages, *.sql checks) from this folder. Repeatable.",
)
