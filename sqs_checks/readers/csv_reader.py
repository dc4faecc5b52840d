"""Read a folder of CSV files, one file per table (``cases.csv``, ...)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqs_checks.errors import ExportError
from sqs_checks.readers.base import RawExport, RawTable, Reader, fingerprint_files


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), falling back to Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv_file(path: Path) -> RawTable:
    """Read one CSV file, keeping the line number each record starts on."""
    import polars as pl

    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        raise ExportError(
            f"Cannot read {path}: {exc.strerror or exc}; check the file exists and is readable."
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[list[str]] = []
    line_numbers: list[int] = []
    problems: list[dict] = []
    end = 0
    try:
        for fields in reader:
            start, end = end + 1, reader.line_num
            if not fields or all(not f.strip() for f in fields):
                continue  # blank lines are not rows
            if header is None:
                header = fields
                continue
            if len(fields) != len(header):
                problems.append(
                    {
                        "row": start,
                        "value": ",".join(fields),
                        "fields": fields,
                        "problem": f"has {len(fields)} fields where the header has "
                        f"{len(header)}; fix the quoting or the separators on that line",
                    }
                )
                continue
            rows.append(fields)
            line_numbers.append(start)
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
    columns = {}
    for i, name in enumerate(names):
        key = name if name not in columns else f"{name}\0{i}"
        columns[key] = [r[i] for r in rows]
    frame = pl.DataFrame(columns, schema={k: pl.Utf8 for k in columns})
    frame = frame.with_columns(pl.Series("__row__", line_numbers, dtype=pl.Int64))
    return RawTable(name=path.stem, source=str(path), frame=frame, problems=problems)


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
        """Read every CSV file of the folder."""
        path = Path(source)
        files = (
            [path]
            if path.is_file()
            else sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
        )
        tables = {f.stem: read_csv_file(f) for f in files}
        return RawExport(tables=tables, fingerprint=fingerprint_files(files), description=str(path))
