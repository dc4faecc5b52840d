"""``findings.json``: the output contract - run, input problems, checks, scorecard, due soon,
findings."""

from __future__ import annotations

import json
import os
from functools import cache
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
        header = dumps_indented(data.header())
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


def dumps_indented(value: Any, indent: int = 2) -> str:
    """``json.dumps(value, indent=indent, ensure_ascii=False, default=str)``: the same text,
    made faster.

    Python's json module writes indented JSON in pure Python, token by token:
    0.24-0.40 s for the header of a 100,000-case run (30,727 due-soon entries and
    the scorecard), against 0.13-0.20 s here. Each container whose values are all
    scalars (a due-soon entry, an input problem, a check's score) is written by the
    C encoder in one call, its item separator carrying the line break and indent,
    and a list of such objects in one call for the whole list; only the containers
    around them are walked in Python. A raw line break can only come from a
    separator (JSON escapes the ones in strings), so the text is the indented
    module's own.
    """
    out: list[str] = []
    _indented(value, 0, indent, out)
    return "".join(out)


def _indented(value: Any, depth: int, indent: int, out: list[str]) -> None:
    """Append ``value``'s indented text at ``depth`` to ``out`` (see :func:`dumps_indented`)."""
    if isinstance(value, dict):
        items: Any = value.values()
        opener, closer = "{", "}"
    elif isinstance(value, (list, tuple)):
        items = value
        opener, closer = "[", "]"
    else:
        out.append(_flat_encoder(None)(value))
        return
    if not items:
        out.append(opener + closer)
        return
    inner = "\n" + " " * (indent * (depth + 1))
    outer = "\n" + " " * (indent * depth)
    if not any(isinstance(item, (dict, list, tuple)) for item in items):
        text = _flat_encoder(inner)(value)  # the C encoder: "{" + items by ",\n   " + "}"
        out.append(opener + inner + text[1:-1] + outer + closer)
        return
    if opener == "[" and all(_is_record(item) for item in items):
        # records (a list of flat objects) in one call; an object's end followed by a
        # separator and a start can only be the gap between two records
        deeper = inner + " " * indent
        text = _flat_encoder(deeper)(value)
        text = text.replace("}," + deeper + "{", inner + "}," + inner + "{" + deeper)
        out.append("[" + inner + "{" + deeper + text[2:-2] + inner + "}" + outer + "]")
        return
    out.append(opener)
    separator = inner
    if isinstance(value, dict):
        for key, item in value.items():
            out.append(separator + _flat_encoder(None)({key: None})[1:-7] + ": ")
            _indented(item, depth + 1, indent, out)
            separator = "," + inner
    else:
        for item in value:
            out.append(separator)
            _indented(item, depth + 1, indent, out)
            separator = "," + inner
    out.append(outer + closer)


def _is_record(value: Any) -> bool:
    """Whether ``value`` is a non-empty object whose values are all scalars."""
    return (
        isinstance(value, dict)
        and bool(value)
        and not any(isinstance(item, (dict, list, tuple)) for item in value.values())
    )


@cache
def _flat_encoder(inner: str | None) -> Any:
    """The C encoder's ``encode`` with items separated by ``","`` and ``inner`` (a line break
    and indent), or by ``", "`` when ``inner`` is None (for scalars and keys)."""
    separators = ("," + inner, ": ") if inner is not None else (", ", ": ")
    return json.JSONEncoder(ensure_ascii=False, default=str, separators=separators).encode
