"""Nightly operation: run history, email digests and the workspace commands.

A first-party plugin, registered through the ``sqs_checks`` entry point like
any other. After each run (``sqs_checks_run_finished``) it records the run in
the workspace's history store and, when enabled, sends the email digests. It
adds the commands ``init``, ``history``, ``diff`` and ``schedule``, and an
optional ``email`` column to the ``staff`` table (an address book inside the
export).
"""

from __future__ import annotations

from typing import Any

from sqs_checks.hookspecs import hookimpl

__version__ = "0.1.0"


@hookimpl
def sqs_checks_run_finished(result: Any, settings: dict[str, Any]) -> None:
    """Record the run in the history store, then send the email digests (when configured)."""
    if getattr(result, "_sqs_nightly_done", False):
        return  # registered twice (entry point and a local shim): act once
    result._sqs_nightly_done = True
    extra = settings.get("extra") or {}
    if settings.get("history_url") or extra.get("history_url"):
        from sqs_checks.history import record_result  # SQLAlchemy only when there is history

        record_result(result, settings)
    email = settings.get("email") or (settings.get("extra") or {}).get("email")
    if email and email.get("enabled"):
        from sqs_checks.notify import send_digests

        send_digests(result, settings)


@hookimpl
def sqs_checks_commands(cli: Any) -> None:
    """Add ``init``, ``history``, ``diff`` and ``schedule``."""
    from sqs_nightly.commands import commands

    for command in commands:
        if command.name not in cli.commands:
            cli.add_command(command)


@hookimpl
def sqs_checks_tables() -> list[Any]:
    """An optional ``email`` column on ``staff``: the address book can live in the export."""
    from sqs_nightly.tables import STAFF_EMAIL

    return [STAFF_EMAIL]
