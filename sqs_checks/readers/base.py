"""What a reader is and what it hands back: raw tables with row numbers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl


@dataclass
class RawTable:
    """A table as found in the export, before mapping and parsing.

    Attributes:
        name: the table's name in the export (file stem, sheet or table name).
        source: where it came from, as a person would name it ("cases.csv").
        frame: the rows; text formats give every column as text. The column
            ``__row__`` holds the row number a person sees (CSV: the line the
            record starts on, header = line 1; XLSX: the sheet row).
        problems: rows the reader could not split into the header's columns
            (ragged rows): dicts with ``row``, ``value`` (the line as text),
            ``problem`` and ``fields`` (frame column name -> the text found in
            that position, for the columns the line reaches).
    """

    name: str
    source: str
    frame: pl.DataFrame
    problems: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RawExport:
    """Every table a reader found, with a fingerprint of the export's content."""

    tables: dict[str, RawTable]
    fingerprint: str
    description: str

    def find(self, name: str) -> RawTable | None:
        """The table called ``name`` (case-insensitive, surrounding spaces ignored)."""
        wanted = name.strip().lower()
        for key, table in self.tables.items():
            if key.strip().lower() == wanted:
                return table
        return None


class Reader:
    """A way of reading an export. Subclass and register through ``sqs_checks_readers``.

    Attributes:
        name: the name for ``--reader`` ("csv", "xlsx", "parquet", "sql").
        description: one line for ``sqs-checks plugins``.
    """

    name: str = ""
    description: str = ""

    def detect(self, source: str) -> bool:
        """Whether this reader recognises ``source`` (a path or a URL)."""
        return False

    def read(self, source: str) -> RawExport:
        """Read every table of ``source``; raise ``ExportError`` when it cannot."""
        raise NotImplementedError


def fingerprint_files(paths: list[Path]) -> str:
    """SHA-256 over the files' names and bytes, in name order."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest.update(path.name.encode())
        digest.update(b"\0")
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def cell_text(value: Any) -> str | None:
    """A spreadsheet or database value as text (dates as ISO, whole floats without .0)."""
    import datetime as dt

    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def column_keys(names: list[str], keep: list[int]) -> list[str]:
    """The frame's column names for the kept header positions (a repeated name gets ``\\0i``)."""
    keys: list[str] = []
    for i in keep:
        keys.append(names[i] if names[i] not in keys else f"{names[i]}\0{i}")
    return keys
