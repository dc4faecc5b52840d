"""``findings.csv``: one row per finding, for schedulers, dashboards and spreadsheets.

UTF-8 without a byte-order mark, comma-separated, quoted where needed, CRLF
line ends (RFC 4180), in the order of what to do first: the findings that can
still be put right (``action`` ``act_now``), then those whose reason to record
(``record_reason``), each by due date (ISO ``YYYY-MM-DD``; empty when the rule
has no deadline), highest severity, case and check. A text value that a
spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) is written with a leading apostrophe, so opening
the file can never run anything.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from sqs_checks.atomic import atomic_open
from sqs_checks.reporters.base import Reporter
from sqs_checks.reporters.common import ReportData, clean_text, defuse_formula

COLUMNS: tuple[str, ...] = (
    "check_id",
    "area",
    "severity",
    "case_id",
    "child_id",
    "case_manager",
    "team",
    "action",
    "due_date",
    "reason",
    "record_table",
    "record_id",
    "message",
    "what_to_do",
    "evidence",
)
"""The columns of ``findings.csv``, in order."""


def csv_row(finding: dict[str, Any]) -> list[Any]:
    """One finding as the CSV's cells (text made formula-safe)."""
    values = dict(finding)
    values["what_to_do"] = finding.get("advice", "")
    due = finding.get("due_date")
    values["due_date"] = due.isoformat() if hasattr(due, "isoformat") else due
    values["evidence"] = json.dumps(
        finding.get("evidence") or {}, ensure_ascii=False, sort_keys=True, default=str
    )
    return [defuse_formula(clean_text(values.get(c))) for c in COLUMNS]


class CsvReporter(Reporter):
    """Every shown finding as one CSV row."""

    format = "csv"
    filename = "findings.csv"
    description = "findings.csv, one row per finding (formula-safe)"

    def write(self, result: Any, out_dir: Path, options: dict[str, Any]) -> Path:
        """Stream the findings into ``findings.csv`` atomically."""
        data = ReportData(result, options)
        target = Path(out_dir) / self.filename
        with atomic_open(target) as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(COLUMNS)
            for finding in data.findings(order="action"):
                writer.writerow(csv_row(finding))
        return target
