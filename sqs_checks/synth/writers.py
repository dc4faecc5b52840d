"""Writing the export: one CSV or Parquet file per table.

CSV files spell values as exports do: mostly ISO dates and ``true``/``false``, some
rows with UK dates (``DD/MM/YYYY`` or ``D/M/YYYY``) and ``yes``/``no``. Parquet
files have typed columns (dates, booleans, integers), so they carry no bad rows.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqs_checks.synth.rows import table_rows
from sqs_checks.synth.schema import (
    BOOL_COLUMNS,
    DATE_COLUMNS,
    FORWARD_LOOKING_DATE_COLUMNS,
    INT_COLUMNS,
    TABLES,
)

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator


class DateText(dict):
    """Date ordinal -> text in one of the formats seen in exports (memoised).

    Style 0 is ISO (``2013-03-18``), 1 is ``18/03/2013``, 2 is ``18/3/2013``.
    """

    def __init__(self, style: int) -> None:
        super().__init__()
        self.style = style

    def __missing__(self, o: int) -> str:
        d = date.fromordinal(o)
        if self.style == 0:
            text = d.isoformat()
        elif self.style == 1:
            text = f"{d.day:02d}/{d.month:02d}/{d.year}"
        else:
            text = f"{d.day}/{d.month}/{d.year}"
        self[o] = text
        return text


def _past_event_columns(table: str) -> set[int]:
    return {
        i
        for i, name in enumerate(TABLES[table])
        if name in DATE_COLUMNS[table] and name not in FORWARD_LOOKING_DATE_COLUMNS
    }


def as_text(
    rows: Iterator[list[Any]],
    table: str,
    rng: random.Random,
    today: int,
    styles: tuple[DateText, DateText, DateText],
) -> Iterator[list[Any]]:
    """Rows with dates and booleans spelt as in an export (None and numbers left to csv).

    Raises AssertionError if a date in a column that records something that happened
    is after today (a bug of the generator).
    """
    r = rng.random
    columns = TABLES[table]
    date_idx = [i for i, name in enumerate(columns) if name in DATE_COLUMNS[table]]
    past = _past_event_columns(table)
    bool_idx = [i for i, name in enumerate(columns) if name in BOOL_COLUMNS.get(table, ())]
    true_false = {True: "true", False: "false"}
    yes_no = {True: "yes", False: "no"}
    for row in rows:
        u = r()
        text = styles[0] if u >= 0.08 else styles[1] if u >= 0.025 else styles[2]
        for i in date_idx:
            v = row[i]
            if v.__class__ is int:
                if v > today and i in past:
                    raise AssertionError(f"{table} {row[0]}: {columns[i]} after today")
                row[i] = text[v]
        if bool_idx:
            words = yes_no if r() < 0.1 else true_false
            for i in bool_idx:
                v = row[i]
                if v.__class__ is bool:
                    row[i] = words[v]
        yield row


def write_csv(out_dir: Path, gen: Generator) -> None:
    """Write one CSV per table (UTF-8, header on line 1)."""
    rng = random.Random(f"{gen.seed}-format")
    styles = (DateText(0), DateText(1), DateText(2))
    for table, columns in TABLES.items():
        with open(out_dir / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(as_text(table_rows(gen, table), table, rng, gen.today, styles))


def write_parquet(out_dir: Path, gen: Generator) -> None:
    """Write one Parquet file per table with typed columns (dates, booleans, integers)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    epoch = date(1970, 1, 1).toordinal()
    for table, columns in TABLES.items():
        rows = list(table_rows(gen, table))
        arrays = []
        for i, name in enumerate(columns):
            values = [row[i] for row in rows]
            if name in DATE_COLUMNS[table]:
                if name not in FORWARD_LOOKING_DATE_COLUMNS:
                    if max((v for v in values if v is not None), default=0) > gen.today:
                        raise AssertionError(f"{table}: {name} after today")
                arr = pa.array(
                    [None if v is None else v - epoch for v in values], type=pa.int32()
                ).cast(pa.date32())
            elif name in BOOL_COLUMNS.get(table, ()):
                arr = pa.array(values, type=pa.bool_())
            elif name in INT_COLUMNS.get(table, ()):
                arr = pa.array(values, type=pa.int8())
            else:
                arr = pa.array(values, type=pa.string())
            arrays.append(arr)
        del rows
        pq.write_table(pa.table(arrays, names=list(columns)), out_dir / f"{table}.parquet")
