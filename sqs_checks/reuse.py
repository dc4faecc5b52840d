"""Working tables a check's due-soon evaluation reuses from its main evaluation.

Due soon evaluates a check a second time, as of the day after the window
(:mod:`sqs_checks.due_soon`). Most checks first build working tables
(``CREATE TEMP TABLE _t_...``) that do not depend on the as-of date at all: a
case's review sequence, the documents that need a sign-off. Rebuilding them
was most of due soon's time.

A check takes part only when the class that defines its ``evaluate`` says
so (``reuse_working_tables = True`` beside it, see :func:`takes_part`): that
code runs nothing but statements on ``ctx.con``, so handing it a recording
wrapper instead of the connection itself changes nothing. Every other check
gets the connection as it is.

The main evaluation runs on a :class:`RecordingConnection`, which records each
statement and its parameters. When every statement was either the creation of
a distinct working table or a read-only query, and the check used nothing else
of the connection, its working tables are exactly as those statements made
them (:func:`reusable`). The due-soon evaluation, run straight after and before
the tables are dropped, then goes through a :class:`ReusingConnection`: a
creation with the same text and the same parameter values as the next one
recorded is skipped, until the first statement that differs; from there on
everything runs. A statement that depends on the date has ``$as_of`` (or the
date in its text), so it differs and runs.
"""

from __future__ import annotations

import re
from typing import Any

WORKING_TABLE = re.compile(
    r"\s*CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+TABLE\s+(_t_\w+)\s+AS\b", re.IGNORECASE
)
"""A statement that creates a working table (``_t_...``) from a query."""

READ_ONLY = re.compile(r"\s*(?:SELECT|WITH|DESCRIBE|FROM)\b", re.IGNORECASE)
"""A statement that changes nothing."""

Statement = tuple[str, Any]
"""A statement's text and its parameters."""


def takes_part(check: Any) -> bool:
    """Whether the class defining ``check``'s ``evaluate`` sets ``reuse_working_tables``."""
    for cls in type(check).__mro__:
        if "evaluate" in cls.__dict__:
            return bool(cls.__dict__.get("reuse_working_tables", False))
    return False


class RecordingConnection:
    """A check's connection that records every statement it runs (and any other use)."""

    def __init__(self, con: Any) -> None:
        self._con = con
        self.statements: list[Statement] = []
        self.other_use = False

    def execute(self, query: str, parameters: Any = None, *args: Any, **kwargs: Any) -> Any:
        """Run and record ``query``."""
        self.statements.append((query, parameters))
        return self._con.execute(query, parameters, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        self.other_use = True  # a relation, a registered frame: nothing is reused
        return getattr(self._con, name)


def reusable(recorder: RecordingConnection) -> list[Statement]:
    """The working-table statements a later evaluation may skip, in order; none when the
    check did anything but create distinct working tables and read."""
    if recorder.other_use:
        return []
    created: set[str] = set()
    out: list[Statement] = []
    for query, parameters in recorder.statements:
        match = WORKING_TABLE.match(query)
        if match:
            name = match.group(1).lower()
            if name in created:
                return []
            created.add(name)
            out.append((query, parameters))
        elif not READ_ONLY.match(query):
            return []
    return out


class ReusingConnection:
    """A check's connection that skips re-creating the working tables it already has."""

    def __init__(self, con: Any, statements: list[Statement]) -> None:
        self._con = con
        self._left = list(statements)
        self._diverged = False
        self.skipped = 0

    def execute(self, query: str, parameters: Any = None, *args: Any, **kwargs: Any) -> Any:
        """Skip ``query`` when it creates the next recorded table the same way; else run it."""
        creates = WORKING_TABLE.match(query) is not None
        if creates and not self._diverged and self._left and self._left[0] == (query, parameters):
            self._left.pop(0)
            self.skipped += 1
            return self._con
        if creates or not READ_ONLY.match(query):
            self._diverged = True
        return self._con.execute(query, parameters, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        self._diverged = True
        return getattr(self._con, name)
