"""``findings.json``: the output contract - run, input problems, checks, scorecard, due soon,
findings."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sqs_checks.atomic import atomic_open, atomic_path
from sqs_checks.reporters.base import Reporter
from sqs_checks.reporters.common import ReportData
from sqs_checks.result import RunResult

CONTRACT_KEYS: tuple[str, ...] = (
    "check_id",
    "case_id",
    "child_id",
    "case_manager",
    "team",
    "severity",
    "reason",
    "record_table",
    "record_id",
    "message",
    "evidence",
    "due_date",
    "action",
)
"""The keys of one finding in ``findings.json``: the output contract's, with the date the
rule wanted the work done by (``due_date``, null when the rule has no deadline) and
whether it can still be put right (``action``: ``act_now`` or ``record_reason``)."""


class JsonReporter(Reporter):
    """The machine-readable contract: run, input problems, checks, scorecard, findings."""

    format = "json"
    filename = "findings.json"
    description = "findings.json, the output contract (run, checks, scorecard, findings)"

    def write(self, result: RunResult, out_dir: Path, options: dict[str, Any]) -> Path:
        """Write the whole file in one DuckDB pass: the header's lines, then the findings.

        The lines go out verbatim as a one-column CSV whose separator and quote
        are control characters no JSON text holds unescaped. With ``--redact``
        the findings go through the redactor row by row instead.
        """
        target = Path(out_dir) / self.filename
        data = ReportData(result, options)
        header = json.dumps(data.header(), indent=2, ensure_ascii=False, default=str)
        if data.redacted:
            with atomic_open(target) as out:
                out.write(header[: header.rstrip().rfind("}")].rstrip())
                out.write(',\n  "findings": [')
                for i, finding in enumerate(data.findings()):
                    row = {k: finding.get(k) for k in CONTRACT_KEYS}
                    out.write(("," if i else "") + "\n\t")
                    out.write(json.dumps(row, ensure_ascii=False, default=str))
                out.write("\n]\n}\n")
            return target
        head = header[: header.rstrip().rfind("}")].rstrip() + ',\n  "findings": ['
        with atomic_path(target) as tmp:
            # each line verbatim: no JSON text holds these control characters unescaped
            path = tmp.as_posix().replace("'", "''")
            result.con.execute(
                f"COPY ({data.json_lines_query()}) TO '{path}' "
                "(FORMAT CSV, HEADER false, DELIMITER '\x01', QUOTE '\x02', ESCAPE '\x02')",
                {"head": head.split("\n")},
            )
            with open(tmp, "rb+") as out:
                out.seek(0, os.SEEK_END)
                size = out.tell()
                out.seek(size - 2)
                if out.read(2) == b",\n":  # the last finding has no comma after it
                    out.truncate(size - 2)
                    out.seek(size - 2)
                    out.write(b"\n]\n\n}\n")
                else:  # no findings: an empty array, as DuckDB writes one
                    out.write(b"\t\n]\n\n}\n")
        return target
