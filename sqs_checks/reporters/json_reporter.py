"""``findings.json``: the output contract - run, input problems, checks, scorecard, due soon,
findings."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from sqs_checks.atomic import atomic_open
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
        """Write the header with json, then stream the findings out of DuckDB.

        With ``--redact`` the findings go through the redactor row by row instead.
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
        with tempfile.TemporaryDirectory(prefix="sqs-json-") as tmp:
            rows = Path(tmp) / "findings.json"
            result.con.execute(
                f"COPY ({data.findings_query('check')}) TO '{rows.as_posix()}' "
                "(FORMAT JSON, ARRAY true)"
            )
            with atomic_open(target, "wb") as out:  # bytes: the findings are copied, not decoded
                out.write(header[: header.rstrip().rfind("}")].rstrip().encode("utf-8"))
                out.write(b',\n  "findings": ')
                with open(rows, "rb") as src:
                    append_file(out, src)
                out.write(b"\n}\n")
        return target


def append_file(out: BinaryIO, src: BinaryIO) -> None:
    """Append the whole of ``src`` to ``out``: in the kernel (``sendfile``) where it can be."""
    out.flush()
    size, done = os.fstat(src.fileno()).st_size, 0
    try:
        while done < size:
            sent = os.sendfile(out.fileno(), src.fileno(), done, size - done)
            if sent == 0:
                break
            done += sent
    except (AttributeError, OSError):  # no sendfile between files here: copy through Python
        pass
    if done < size:
        src.seek(done)
        shutil.copyfileobj(src, out, 1 << 22)
