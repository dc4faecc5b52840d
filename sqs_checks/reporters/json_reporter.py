"""``findings.json``: the output contract - run, input problems, checks, scorecard, due soon,
findings."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, BinaryIO

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
        """Write the header's lines, then the findings a few checks at a time, as DuckDB
        sorts and renders them (:meth:`ReportData.json_lines_queries`).

        The lines come out of DuckDB as Arrow text and go to the file as the bytes
        they already are. With ``--redact`` the findings go through the redactor
        row by row instead.
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
        head = header[: header.rstrip().rfind("}")].rstrip() + ',\n  "findings": [\n'
        with atomic_path(target) as tmp, open(tmp, "wb") as out:
            out.write(head.encode("utf-8"))
            wrote = False
            for query in data.json_lines_queries(FINDINGS_PER_QUERY):
                for batch in result.con.sql(query).to_arrow_reader(LINES_PER_BATCH):
                    wrote = write_text_column(out, batch.column(0)) or wrote
            if wrote:  # the last finding has no comma after it
                out.seek(-2, os.SEEK_END)
                out.truncate()
                out.write(b"\n]\n\n}\n")
            else:  # no findings: an empty array, as DuckDB writes one
                out.write(b"\t\n]\n\n}\n")
        return target


FINDINGS_PER_QUERY = 1_000_000
"""Findings sorted and written per query: bounds the memory of a national run's sort."""

LINES_PER_BATCH = 65_536
"""Lines handed from DuckDB to the file at a time."""


def write_text_column(out: BinaryIO, column: Any) -> bool:
    """Write an Arrow text column's values back to back, as the bytes they are; return
    whether it held any. Its values must not be null."""
    import numpy as np
    import pyarrow as pa

    if len(column) == 0:
        return False
    if column.null_count:
        raise ValueError("a line of findings.json is null")
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        width = np.int64 if pa.types.is_large_string(column.type) else np.int32
        _, offsets, values = column.buffers()
        skip = column.offset * np.dtype(width).itemsize
        ends = np.frombuffer(offsets, dtype=width, count=len(column) + 1, offset=skip)
        out.write(memoryview(values)[int(ends[0]) : int(ends[-1])])
    else:  # another text layout (string views): value by value
        out.write("".join(column.to_pylist()).encode("utf-8"))
    return True
