"""Read a folder of CSV files, one file per table (``cases.csv``, ...)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from sqs_checks.errors import ExportError
from sqs_checks.readers.base import (
    DeferredRawTable,
    RawExport,
    RawTable,
    Reader,
    column_keys,
    fingerprint_files,
)

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), falling back to Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


FIELD_SIZE_LIMIT = 2**31 - 1
"""No limit on a field's length in practice: a long narrative is a value, not an error."""


def read_csv_file(path: Path, data: bytes | None = None) -> RawTable:
    """Read one CSV file, keeping the line number each record starts on.

    Blank lines and lines whose every field is empty (``,,,,``) are not rows,
    though they count in line numbers. Empty fields beyond the header (a
    trailing separator) are ignored, and so are header columns with an empty
    name and no value in any row. A line with too few fields, or with extra
    fields holding values, is a ragged row (listed in ``problems``); a line may
    lack the fields of unnamed columns at the end of the header.

    ``data`` is the file's bytes when the caller has them. Without it a plain
    file is mapped and parsed a piece at a time (:mod:`~sqs_checks.readers.csv_fast`);
    only a file that needs the csv module is read whole.
    """
    from sqs_checks.readers.csv_fast import read_plain_csv

    fast = read_plain_csv(path, data)
    if fast is not None:
        return fast
    return read_with_csv_module(path, _read_bytes(path) if data is None else data)


def read_with_csv_module(path: Path, data: bytes) -> RawTable:
    """Read one CSV file with Python's ``csv`` module: slow, exact, and lists ragged lines."""
    import polars as pl

    text = decode(data)
    csv.field_size_limit(FIELD_SIZE_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    records: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for fields in reader:
            start, end = end + 1, reader.line_num
            if not fields or all(not f.strip() for f in fields):
                continue  # blank lines are not rows
            if header is None:
                header = fields
                continue
            records.append((start, fields))
    except csv.Error as exc:
        raise ExportError(
            f"Cannot read {path} near line {reader.line_num}: {exc}; "
            "save it again as a comma-separated CSV file."
        ) from None
    if header is None:
        raise ExportError(
            f"The file {path} is empty (no header row); export it again with the column "
            "names on the first line."
        )
    names = [h.strip() for h in header]
    keep = _kept_columns(names, records)
    named = [i for i in keep if names[i]]
    needed = named[-1] + 1 if named else 0  # a short line may lack only unnamed columns
    keys = column_keys(names, keep)
    rows: list[list[str]] = []
    line_numbers: list[int] = []
    problems: list[dict] = []
    for start, fields in records:
        extra = any(f.strip() for f in fields[len(names) :])
        if len(fields) < needed or extra:
            count = len(fields) if len(fields) < needed else _count_fields(fields)
            problems.append(
                {
                    "row": start,
                    "value": ",".join(fields),
                    "fields": {
                        k: fields[i] for k, i in zip(keys, keep, strict=True) if i < len(fields)
                    },
                    "problem": f"has {count} fields where the header has "
                    f"{needed}; fix the quoting or the separators on that line",
                }
            )
            continue
        rows.append(fields)
        line_numbers.append(start)
    columns = {
        key: [r[i] if i < len(r) else "" for r in rows] for key, i in zip(keys, keep, strict=True)
    }
    frame = pl.DataFrame(columns, schema={k: pl.Utf8 for k in columns})
    frame = frame.with_columns(pl.Series("__row__", line_numbers, dtype=pl.Int64))
    return RawTable(name=path.stem, source=str(path), frame=frame, problems=problems)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, or a one-sentence error naming it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: OSError) -> ExportError:
    """The sentence naming a file the system would not let us read, and what to do."""
    return ExportError(
        f"Cannot read {path}: {exc.strerror or exc}; check the file exists and is readable."
    )


def _kept_columns(names: list[str], records: list[tuple[int, list[str]]]) -> list[int]:
    """Positions of the header columns that count: named, or unnamed but holding a value."""
    unnamed = {i for i, name in enumerate(names) if not name}
    used = {i for _, fields in records for i in unnamed if i < len(fields) and fields[i].strip()}
    return [i for i in range(len(names)) if i not in unnamed or i in used]


def _count_fields(fields: list[str]) -> int:
    """How many fields a line has, not counting empty fields at its end."""
    count = len(fields)
    while count and not fields[count - 1].strip():
        count -= 1
    return count


class CsvReader(Reader):
    """A folder of ``.csv`` files, one per table, named after the table."""

    name = "csv"
    description = "folder of CSV files, one per table (UTF-8, UTF-8 with BOM or Windows-1252)"

    def detect(self, source: str) -> bool:
        """A folder holding at least one ``.csv`` file, or a single ``.csv`` file."""
        path = Path(source)
        if path.is_file():
            return path.suffix.lower() == ".csv"
        return path.is_dir() and any(p.suffix.lower() == ".csv" for p in path.iterdir())

    def read(self, source: str) -> RawExport:
        """Every CSV file of the folder, each read when the loader first takes it.

        The fingerprint streams the files; a table's rows are read only when asked
        for, so loading holds one file's rows at a time, not the whole export's.
        """
        path = Path(source)
        files = (
            [path]
            if path.is_file()
            else sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
        )
        try:
            fingerprint = fingerprint_files(files)  # opens every file: one that cannot is named
        except OSError as exc:
            raise _unreadable(Path(exc.filename or path), exc) from None
        tables: dict[str, RawTable] = {
            file.stem: _DeferredCsvTable(file) for file in sorted(files, key=lambda p: p.name)
        }
        return RawExport(tables=tables, fingerprint=fingerprint, description=str(path))


class _DeferredCsvTable(DeferredRawTable):
    """A CSV file's table, read (rows and ragged lines) the first time ``frame`` is asked for."""

    def __init__(self, file: Path) -> None:
        super().__init__(file.stem, str(file), self._read_rows)
        self._file = file

    def _read_rows(self) -> pl.DataFrame:
        table = read_csv_file(self._file)
        self.problems = table.problems
        return table.frame
