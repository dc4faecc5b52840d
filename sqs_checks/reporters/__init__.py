"""The built-in output formats, registered through the ``sqs_checks_reporters`` hook."""

from __future__ import annotations

from sqs_checks.hookspecs import hookimpl
from sqs_checks.reporters.base import Reporter


@hookimpl
def sqs_checks_reporters() -> list[Reporter]:
    """The built-in reporters (imported here so ``--help`` stays light)."""
    from sqs_checks.reporters.json_reporter import JsonReporter

    return [JsonReporter()]
