"""Read a folder of Parquet files, one per table."""

from __future__ import annotations

from pathlib import Path

from sqs_checks.errors import ExportError
from sqs_checks.readers.base import RawExport, RawTable, Reader, fingerprint_files


class ParquetReader(Reader):
    """A folder of ``.parquet`` files named after the tables; row numbers count from 1."""

    name = "parquet"
    description = "folder of Parquet files, one per table"

    def detect(self, source: str) -> bool:
        """A folder holding at least one ``.parquet`` file."""
        path = Path(source)
        return path.is_dir() and any(p.suffix.lower() == ".parquet" for p in path.iterdir())

    def read(self, source: str) -> RawExport:
        """Read every Parquet file with its native column types."""
        import polars as pl

        path = Path(source)
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".parquet")
        tables: dict[str, RawTable] = {}
        for file in files:
            try:
                frame = pl.read_parquet(file)
            except Exception as exc:  # noqa: BLE001 - unreadable file
                raise ExportError(
                    f"Cannot read the Parquet file {file} ({type(exc).__name__}); "
                    "write it again or export to CSV instead."
                ) from None
            frame = frame.with_row_index("__row__", offset=1).with_columns(
                pl.col("__row__").cast(pl.Int64)
            )
            tables[file.stem] = RawTable(name=file.stem, source=str(file), frame=frame)
        return RawExport(tables=tables, fingerprint=fingerprint_files(files), description=str(path))
