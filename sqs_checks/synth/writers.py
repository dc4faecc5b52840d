"""Writing the export: one CSV or Parquet file per table the export has.

CSV files spell values as exports do: mostly ISO dates and ``true``/``false``, some
rows with UK dates (``DD/MM/YYYY`` or ``D/M/YYYY``) and ``yes``/``no``. With input
problems they are also laid out as spreadsheets leave them, none of which is an
input problem (SPEC §2): ``assessments.csv`` has rows of empty fields between
records, ``plans.csv`` blank lines, and every line of ``events.csv`` (header
included) ends with a separator. Parquet files have typed columns (dates, booleans,
integers), so they carry no bad rows nor bad values.

Tables and columns the export leaves out (:class:`~sqs_checks.synth.schema.Inputs`)
are not written; a staff table without rows is written with its header only.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqs_checks.synth.rows import BLANK_LINE, EMPTY_FIELDS, size, table_rows
from sqs_checks.synth.schema import (
    BOOL_COLUMNS,
    DATE_COLUMNS,
    FORWARD_LOOKING_DATE_COLUMNS,
    INT_COLUMNS,
    TABLES,
    Inputs,
)

#: The layout quirks of the CSV files: table -> (marker, how many) between records.
QUIRKS = {"assessments": (EMPTY_FIELDS, 3), "plans": (BLANK_LINE, 3)}
#: Tables whose every CSV line ends with a separator (an unnamed, empty column).
TRAILING_SEPARATOR = frozenset({"events"})

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
        if row.__class__ is str:
            yield row  # a layout marker
            continue
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


def _layout(gen: Generator, table: str, rng: random.Random) -> dict[int, list[str]]:
    """Where the table's layout markers go (before which record)."""
    layout: dict[int, list[str]] = {}
    if gen.want_problems and table in QUIRKS:
        marker, count = QUIRKS[table]
        n = size(gen, table)
        for _ in range(count):
            layout.setdefault(int(rng.random() * (n + 1)), []).append(marker)
    return layout


def write_csv(out_dir: Path, gen: Generator, inputs: Inputs | None = None) -> None:
    """Write one CSV per table the export has (UTF-8, header on line 1)."""
    inputs = inputs or Inputs()
    rng = random.Random(f"{gen.seed}-format")
    layout_rng = random.Random(f"{gen.seed}-layout")
    styles = (DateText(0), DateText(1), DateText(2))
    for table, all_columns in TABLES.items():
        if not inputs.has(table):
            continue
        columns = inputs.columns(table)
        keep = [all_columns.index(c) for c in columns]
        tail = [""] if gen.want_problems and table in TRAILING_SEPARATOR else []
        empty = [""] * (len(columns) + len(tail))
        rows = table_rows(gen, table, _layout(gen, table, layout_rng))
        if table == "staff" and not inputs.staff_rows:
            rows = iter(())
        with open(out_dir / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns + tail)
            for row in as_text(rows, table, rng, gen.today, styles):
                if row is BLANK_LINE:
                    fh.write("\n")
                elif row is EMPTY_FIELDS:
                    writer.writerow(empty)
                else:
                    writer.writerow([row[i] for i in keep] + tail)


def write_parquet(out_dir: Path, gen: Generator, inputs: Inputs | None = None) -> None:
    """Write one Parquet file per table with typed columns (dates, booleans, integers).

    The only text written instead of a value there is an NA marker in a text column
    (bad values are planted with input problems, which Parquet exports do not have).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    inputs = inputs or Inputs()
    epoch = date(1970, 1, 1).toordinal()
    for table, all_columns in TABLES.items():
        if not inputs.has(table):
            continue
        columns = inputs.columns(table)
        rows = list(table_rows(gen, table))
        if table == "staff" and not inputs.staff_rows:
            rows = []
        arrays = []
        for name in columns:
            i = all_columns.index(name)
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
