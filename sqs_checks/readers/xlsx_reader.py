"""Read one Excel workbook with a sheet per table."""

from __future__ import annotations

from pathlib import Path

from sqs_checks.errors import ExportError
from sqs_checks.readers.base import (
    RawExport,
    RawTable,
    Reader,
    cell_text,
    column_keys,
    fingerprint_files,
)


class XlsxReader(Reader):
    """An ``.xlsx`` workbook: one sheet per table, named after the table, header on top."""

    name = "xlsx"
    description = "one XLSX workbook, a sheet per table"

    def detect(self, source: str) -> bool:
        """An ``.xlsx`` or ``.xlsm`` file."""
        return Path(source).suffix.lower() in (".xlsx", ".xlsm") and Path(source).is_file()

    def read(self, source: str) -> RawExport:
        """Read every sheet; row numbers are the sheet's own."""
        import openpyxl
        import polars as pl

        path = Path(source)
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any failure is an unreadable workbook
            raise ExportError(
                f"Cannot open the workbook {path} ({type(exc).__name__}); "
                "check it is an .xlsx file that opens in Excel."
            ) from None
        tables: dict[str, RawTable] = {}
        try:
            for sheet in book.worksheets:
                header: list[str] | None = None
                rows: list[list[str | None]] = []
                numbers: list[int] = []
                problems: list[dict] = []
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                    texts = [cell_text(v) for v in values]
                    if all(t is None or not t.strip() for t in texts):
                        continue
                    if header is None:
                        header = [t.strip() if t else "" for t in texts]
                        while header and not header[-1]:
                            header.pop()
                        continue
                    extra = [t for t in texts[len(header) :] if t is not None and t.strip()]
                    if extra:
                        problems.append(
                            {
                                "row": number,
                                "value": ",".join(t or "" for t in texts),
                                "fields": {
                                    k: texts[i] or ""
                                    for k, i in zip(
                                        column_keys(header, list(range(len(header)))),
                                        range(len(header)),
                                        strict=True,
                                    )
                                    if i < len(texts)
                                },
                                "problem": "has values beyond the last header column; "
                                "give the column a header or delete the stray cells",
                            }
                        )
                        continue
                    texts = (texts + [None] * len(header))[: len(header)]
                    rows.append(texts)
                    numbers.append(number)
                if header is None:
                    continue
                keys = column_keys(header, list(range(len(header))))
                columns = {k: [r[i] for r in rows] for i, k in enumerate(keys)}
                frame = pl.DataFrame(columns, schema={k: pl.Utf8 for k in columns})
                frame = frame.with_columns(pl.Series("__row__", numbers, dtype=pl.Int64))
                tables[sheet.title] = RawTable(
                    name=sheet.title,
                    source=f"{path}, sheet {sheet.title}",
                    frame=frame,
                    problems=problems,
                )
        finally:
            book.close()
        return RawExport(
            tables=tables, fingerprint=fingerprint_files([path]), description=str(path)
        )
