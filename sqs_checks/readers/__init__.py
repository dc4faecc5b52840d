"""The built-in readers, registered as a plugin through the ``sqs_checks_readers`` hook."""

from __future__ import annotations

from sqs_checks.hookspecs import hookimpl
from sqs_checks.readers.base import DeferredRawTable, RawExport, RawTable, Reader
from sqs_checks.readers.csv_reader import CsvReader
from sqs_checks.readers.parquet_reader import ParquetReader
from sqs_checks.readers.sql_reader import SqlReader
from sqs_checks.readers.xlsx_reader import XlsxReader

__all__ = [
    "DeferredRawTable",
    "RawExport",
    "RawTable",
    "Reader",
    "CsvReader",
    "XlsxReader",
    "ParquetReader",
    "SqlReader",
]


@hookimpl
def sqs_checks_readers() -> list[Reader]:
    """The CSV-folder, XLSX, Parquet-folder and SQL readers."""
    return [SqlReader(), XlsxReader(), ParquetReader(), CsvReader()]
