"""Errors a user sees as one sentence (exit code 2), never as a traceback.

Also :class:`PluginFailure`, the record of a plugin that could not be loaded:
it lives here, beside the errors, so that the plugin manager
(:mod:`sqs_checks.plugins`) and the local SQL checks
(:mod:`sqs_checks.sql_checks`) both use it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


class UserError(Exception):
    """A problem with the input, the configuration or the command line.

    The message is one sentence naming the file, table, row or column and the
    fix. The CLI prints it and exits with ``exit_code`` (2 by default).
    """

    exit_code = 2

    def __init__(self, message: str, *, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class ExportError(UserError):
    """The export cannot be read: unreadable file, missing table or column."""


class ConfigError(UserError):
    """A suite, mapping profile or workspace setting is invalid."""


@dataclass
class PluginFailure:
    """A plugin that could not be loaded, and why (one line); the run goes on without it."""

    name: str
    source: str
    reason: str
