"""The data area: rows with input problems (SPEC §2, ``data.*`` checks).

A problem in a required column, or in ``completed_date`` (it decides whether an
assessment exists), excludes its row; a problem in any other optional column drops
the value only. Every problem of an excluded row is listed as ``row_excluded``.
A row belongs to the case it names, a plan review to its plan's case, an offence
to every case of its child, a cases row to itself; the case, when in scope, gets one
``data.record_excluded`` or ``data.value_dropped`` finding per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqs_checks.synth.records import BadRow, Case
from sqs_checks.synth.schema import REQUIRED_COLUMNS, TABLES
from sqs_checks.synth.truth.context import Finding


def action(row: BadRow) -> str:
    """``row_excluded`` or ``value_dropped``, by the columns of the row's problems."""
    required = REQUIRED_COLUMNS[row.table] | {"completed_date"}
    excluded = any(column in required for column in row.columns)
    if excluded != (row.values is not None):  # the generator made it the other way
        raise AssertionError(f"{row.table} row {row.row}: a reader would not do that")
    return "row_excluded" if excluded else "value_dropped"


def input_problems(bad_rows: Iterable[BadRow]) -> list[dict[str, Any]]:
    """Every problem a reader lists: table, row, column, value as written, action."""
    problems = [
        {
            "table": row.table,
            "row": row.row,
            "column": column,
            "value": row.text(column),
            "action": action(row),
        }
        for row in bad_rows
        for column in row.columns
    ]
    return sorted(problems, key=lambda p: (p["table"], p["row"], p["column"]))


def _linked(row: BadRow, cases: dict[str, Case], plan_case: dict[str, Case]) -> list[Case]:
    """The cases a row belongs to."""
    record = row.record
    if record is not None:
        return [record] if isinstance(record, Case) else [record.case]
    assert row.values is not None
    value = dict(zip(TABLES[row.table], row.values, strict=True))
    if row.table == "offences":
        return [c for c in cases.values() if c.child.id == value["child_id"]]
    if row.table == "plan_reviews":
        found = plan_case.get(str(value["plan_id"]))
        return [found] if found is not None else []
    found = cases.get(str(value["case_id"]))
    return [found] if found is not None else []


def data_findings(
    bad_rows: Iterable[BadRow], cases: list[Case], in_scope: Callable[[Case], bool]
) -> set[Finding]:
    """One ``data.*`` finding per row with a problem and case in scope it belongs to."""
    by_id = {c.id: c for c in cases}
    plan_case = {p.id: c for c in cases for p in c.plans}
    found: set[Finding] = set()
    for row in bad_rows:
        act = action(row)
        check, reason = (
            ("data.record_excluded", "record_excluded")
            if act == "row_excluded"
            else ("data.value_dropped", "value_dropped")
        )
        for c in _linked(row, by_id, plan_case):
            if in_scope(c):
                found.add((check, c.id, reason, row.table, str(row.row)))
    return found
