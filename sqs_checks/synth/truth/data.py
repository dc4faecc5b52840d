"""The data area: rows the checks could not use (``data.record_excluded``)."""

from __future__ import annotations

from collections.abc import Iterable

from sqs_checks.synth.records import BadRow
from sqs_checks.synth.truth.context import Finding


def record_excluded(bad_rows: Iterable[BadRow]) -> set[Finding]:
    """One finding per quarantined row and case in scope it belongs to."""
    return {
        ("data.record_excluded", case_id, "record_excluded", row.table, str(row.row))
        for row in bad_rows
        for case_id in row.case_ids
    }
