"""Every hook sqs-checks calls, grouped by phase.

A plugin is a module (or object) with functions marked ``@hookimpl`` whose
names are the hooks below. First-party plugins (the readers, the reporters,
the ``sqs_hmip`` check catalog) are registered exactly like third-party ones:
through the ``sqs_checks`` entry-point group. Local plugins come from
``--plugins-dir``. See ``docs/plugins.md`` for a worked example of each hook.

Discovery order: entry points of the ``sqs_checks`` group (first-party and
installed third-party plugins), then every ``*.py`` file and package in each
``--plugins-dir`` (never the current directory by default). A plugin that fails
to import is named in a warning and skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # pragma: no cover
    import click

    from sqs_checks.checks import Check
    from sqs_checks.contract import TableContract
    from sqs_checks.readers.base import Reader
    from sqs_checks.reporters.base import Reporter
    from sqs_checks.result import RunResult

PROJECT = "sqs_checks"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
"""Decorator marking a plugin function as the implementation of a hook."""


# --- Phase 1: input -------------------------------------------------------------


@hookspec
def sqs_checks_readers() -> list[Reader]:
    """Return the readers this plugin provides.

    A reader turns an export (a folder, a file or a database URL) into raw
    tables; the framework then applies the mapping profile and the contract.

    :return: a list of :class:`sqs_checks.readers.base.Reader` objects.

    Called once per run, before the export is read. The first reader whose
    ``detect(source)`` is true reads the export unless ``--reader NAME`` names one.
    """


@hookspec
def sqs_checks_tables() -> list[TableContract]:
    """Return tables (or extra optional columns) to add to the canonical contract.

    :return: a list of :class:`sqs_checks.contract.TableContract`. A contract
        for a new table name adds that table (optional unless it says
        otherwise); one for an existing table adds its columns as optional
        columns of that table.

    Called when the contract is built, before any export is read, so local
    tables go through the same parsing, quarantine and reporting.
    """


# --- Phase 2: checks --------------------------------------------------------------


@hookspec
def sqs_checks_checks() -> list[Check]:
    """Return the checks this plugin provides.

    :return: a list of :class:`sqs_checks.checks.Check` objects (typically
        :class:`sqs_checks.checks.SqlCheck`). Ids must be unique across plugins.

    Called when the catalog is built (``run``, ``checks``, ``explain``).
    """


@hookspec
def sqs_checks_suite_dirs() -> list[str]:
    """Return folders holding suite YAML files this plugin ships.

    :return: a list of folder paths; a suite there is found by its file name.
    """


# --- Phase 3: output ------------------------------------------------------------------


@hookspec
def sqs_checks_reporters() -> list[Reporter]:
    """Return the output formats this plugin provides.

    :return: a list of :class:`sqs_checks.reporters.base.Reporter` objects;
        each has a ``format`` name (for ``--format``) and ``write(result, out_dir)``.
    """


@hookspec
def sqs_checks_run_finished(result: RunResult, settings: dict[str, Any]) -> None:
    """Act on a finished run (history store, email digests, ...).

    :param result: the run's :class:`sqs_checks.result.RunResult`.
    :param settings: the workspace/CLI settings for the run (a plain dict).

    Called after the reports are written. An exception here is reported as a
    warning and does not change the exit code.
    """


# --- The command line ---------------------------------------------------------------


@hookspec
def sqs_checks_commands(cli: click.Group) -> None:
    """Add commands to the ``sqs-checks`` command line.

    :param cli: the top-level click group; call ``cli.add_command(...)``.

    Called when the CLI starts. Keep heavy imports inside the command body so
    ``sqs-checks --help`` stays fast.
    """
