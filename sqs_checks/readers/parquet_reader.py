"""Read a folder of Parquet files, one per table."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqs_checks.errors import ExportError
from sqs_checks.readers.base import (
    DeferredRawTable,
    RawExport,
    RawTable,
    Reader,
    fingerprint_files,
)

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl


class ParquetReader(Reader):
    """A folder of ``.parquet`` files named after the tables; row numbers count from 1."""

    name = "parquet"
    description = "folder of Parquet files, one per table"

    def detect(self, source: str) -> bool:
        """A folder holding at least one ``.parquet`` file."""
        path = Path(source)
        return path.is_dir() and any(p.suffix.lower() == ".parquet" for p in path.iterdir())

    def read(self, source: str) -> RawExport:
        """Every Parquet file, with its native column types, each read when first used.

        A file that is not Parquet is named at once (its footer is read); its rows
        are read only when the loader takes the table.
        """
        path = Path(source)
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".parquet")
        tables: dict[str, RawTable] = {}
        for file in files:
            _attempt(file, _read_schema)
            tables[file.stem] = DeferredRawTable(
                name=file.stem, source=str(file), read=partial(_attempt, file, _read_rows)
            )
        return RawExport(tables=tables, fingerprint=fingerprint_files(files), description=str(path))


def _read_schema(file: Path) -> Any:
    """The file's columns and types (its footer only)."""
    import polars as pl

    return pl.read_parquet_schema(file)


def _read_rows(file: Path) -> pl.DataFrame:
    """The file's rows with ``__row__``, the row number counting from 1."""
    import polars as pl

    frame = pl.read_parquet(file)
    return frame.with_row_index("__row__", offset=1).with_columns(pl.col("__row__").cast(pl.Int64))


def _attempt(file: Path, read: Callable[[Path], Any]) -> Any:
    """``read(file)``, or the sentence naming a file that cannot be read."""
    try:
        return read(file)
    except Exception as exc:  # noqa: BLE001 - unreadable file
        raise ExportError(
            f"Cannot read the Parquet file {file} ({type(exc).__name__}); "
            "write it again or export to CSV instead."
        ) from None
