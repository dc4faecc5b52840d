"""The ``sqs-checks`` command line: a thin click group.

Built-in commands live one per module in :mod:`sqs_checks.commands` (each
module exposes ``commands``, a list of click commands); plugins add more
through the ``sqs_checks_commands`` hook. Nothing heavy (DuckDB, polars,
pandera, Great Expectations) is imported until a command runs.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from sqs_checks import __version__


class _Group(click.Group):
    """A group that turns user errors into one sentence and exit code 2."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        from sqs_checks.errors import UserError

        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sqs-checks")
def cli() -> None:
    """Pre-inspection data-quality checks for youth justice services.

    Runs the HM Inspectorate of Probation style checks over an export from
    your case-management system, flags the cases an inspector would find
    wanting, and scores the service as the inspection report does.

    Start with:  sqs-checks demo demo-export && sqs-checks run demo-export -o out
    """


def _add_builtin_commands(group: click.Group) -> None:
    import sqs_checks.commands as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"sqs_checks.commands.{info.name}")
        for command in getattr(module, "commands", []):
            group.add_command(command)


def _add_plugin_commands(group: click.Group, argv: list[str]) -> None:
    from sqs_checks.plugins import get_plugin_manager

    dirs: list[str] = []
    for i, arg in enumerate(argv):
        if arg == "--plugins-dir" and i + 1 < len(argv):
            dirs.append(argv[i + 1])
        elif arg.startswith("--plugins-dir="):
            dirs.append(arg.split("=", 1)[1])
    try:
        pm = get_plugin_manager(tuple(dirs))
    except Exception:  # noqa: BLE001 - the command itself reports a bad --plugins-dir
        pm = get_plugin_manager(())
    pm.hook.sqs_checks_commands(cli=group)


_add_builtin_commands(cli)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``sqs-checks`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    _add_plugin_commands(cli, args)
    cli.main(args=args, prog_name="sqs-checks")


if __name__ == "__main__":  # pragma: no cover
    main()
