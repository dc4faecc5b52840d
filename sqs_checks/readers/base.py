"""What a reader is and what it hands back: raw tables with row numbers."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
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


class DeferredRawTable(RawTable):
    """A raw table whose rows are read the first time ``frame`` is asked for.

    The loader takes the tables one at a time and lets each go once it is
    parsed, so a reader that defers reading holds one table in memory, not the
    whole export. ``read`` returns the frame as :class:`RawTable` describes it.
    """

    def __init__(
        self,
        name: str,
        source: str,
        read: Callable[[], pl.DataFrame],
        problems: list[dict[str, Any]] | None = None,
    ) -> None:
        self._read: Callable[[], pl.DataFrame] | None = read
        self._frame: pl.DataFrame | None = None
        super().__init__(name, source, None, problems or [])  # type: ignore[arg-type]

    @property  # type: ignore[override]
    def frame(self) -> pl.DataFrame:
        """The rows, read now if they have not been."""
        if self._frame is None and self._read is not None:
            self._frame, self._read = self._read(), None
        return self._frame  # type: ignore[return-value]

    @frame.setter
    def frame(self, value: pl.DataFrame | None) -> None:
        self._frame = value


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


def add_to_fingerprint(digest: Any, name: str, chunks: Iterable[bytes]) -> None:
    """Feed one file (its name, then its bytes) to an export's SHA-256.

    Files are fed in name order, so the fingerprint does not depend on how a
    reader lists them.
    """
    digest.update(name.encode())
    digest.update(b"\0")
    for chunk in chunks:
        digest.update(chunk)


def fingerprint_files(paths: list[Path]) -> str:
    """SHA-256 over the files' names and bytes, in name order."""
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        with path.open("rb") as fh:
            add_to_fingerprint(digest, path.name, iter(lambda: fh.read(1 << 20), b""))
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


def without_blank_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` without the rows that hold no value at all: they are not rows (SPEC §2).

    Text counts as empty once trimmed; other types when null. Only rows whose first
    field is empty are looked at further, so a table without such rows costs one pass
    over one column.
    """
    import polars as pl

    fields = [c for c in frame.columns if c != "__row__"]
    if not fields or frame.height == 0:
        return frame

    def blank(column: str) -> pl.Expr:
        if frame.schema[column] in (pl.Utf8, pl.String):
            return pl.col(column).str.strip_chars().fill_null("").eq("")
        return pl.col(column).is_null()

    candidates = frame.filter(blank(fields[0]))
    if candidates.height == 0:
        return frame
    empty = candidates.filter(pl.all_horizontal([blank(c) for c in fields])).get_column("__row__")
    if empty.len() == 0:
        return frame
    return frame.filter(~pl.col("__row__").is_in(empty.implode()))
