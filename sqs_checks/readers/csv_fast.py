"""The fast way to read a CSV file: a native parser, with the line numbers a person sees.

Python's ``csv`` module is exact but slow (a national export has gigabytes of
narrative text). This module reads a file with polars' native CSV parser and
works out, once, where each record starts: a NumPy pass over the bytes finds
the line breaks that are not inside quotes (a line break ends a record when the
number of ``"`` before it is even, as RFC 4180 quoting guarantees) and counts
each record's separators the same way.

It answers only when the file is plain: a ``,`` separator and ``"`` quotes,
UTF-8 (with or without BOM) or Windows-1252, ``\\n`` or ``\\r\\n`` line ends, the
header on the first line, and every line that holds a value having exactly the
header's number of fields. Anything else - a ragged line, a lone ``\\r`` - returns
None, and the caller reads the file with the ``csv`` module, which lists ragged
lines one by one. Both ways give the same rows with the same numbers.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np

from sqs_checks.readers.base import RawTable, column_keys

QUOTE, NEWLINE, CARRIAGE, COMMA = 34, 10, 13, 44
CHUNK = 1 << 26
"""Bytes scanned at a time (bounds the scan's temporary arrays)."""


def _positions(data: np.ndarray, byte: int) -> np.ndarray:
    """Offsets of ``byte`` in ``data``, scanned chunk by chunk."""
    parts = [
        np.flatnonzero(data[start : start + CHUNK] == byte) + start
        for start in range(0, data.size, CHUNK)
    ]
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


def _outside_quotes(positions: np.ndarray, quotes: np.ndarray) -> np.ndarray:
    """The positions with an even number of quotes before them."""
    if quotes.size == 0:
        return positions
    return positions[np.searchsorted(quotes, positions) % 2 == 0]


def _quotes_at_field_edges(raw: np.ndarray, quotes: np.ndarray) -> bool:
    """Whether every quote opens or closes a field (or doubles a quote inside one).

    An opening quote (an even one, counting from 0) follows a separator, a line
    break or the start; a closing one (odd) precedes a separator, a line end or
    the end; a doubled quote sits next to its twin. A quote elsewhere is a
    literal character to the csv module, so such a file takes the careful path.
    """
    if quotes.size == 0:
        return True
    before = np.where(quotes > 0, raw[np.maximum(quotes - 1, 0)], NEWLINE)
    after = np.where(quotes < raw.size - 1, raw[np.minimum(quotes + 1, raw.size - 1)], NEWLINE)
    opening = np.isin(before[0::2], (COMMA, NEWLINE, QUOTE))
    closing = np.isin(after[1::2], (COMMA, NEWLINE, CARRIAGE, QUOTE))
    return bool(opening.all() and closing.all())


def _blank(record: bytes) -> bool:
    """Whether a record holds no value at all (every field empty once trimmed)."""
    text = record.decode("utf-8", errors="replace")
    return all(not field.strip() for row in csv.reader(io.StringIO(text)) for field in row)


def read_plain_csv(path: Path, data: bytes) -> RawTable | None:
    """Read ``path`` (whose bytes are ``data``) natively, or None when it is not plain."""
    import polars as pl

    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if not body or body.isspace():
        return None  # the csv path names the empty file
    raw = np.frombuffer(body, dtype=np.uint8)
    newlines = _positions(raw, NEWLINE)
    carriage = _positions(raw, CARRIAGE)
    if carriage.size and (
        carriage[-1] + 1 >= raw.size or np.any(raw[np.minimum(carriage + 1, raw.size - 1)] != 10)
    ):
        return None  # a lone carriage return ends a line for the csv module
    quotes = _positions(raw, QUOTE)
    if quotes.size % 2 or not _quotes_at_field_edges(raw, quotes):
        return None  # an unclosed quote, or one inside a field: let the csv module read it
    ends = _outside_quotes(newlines, quotes)
    if ends.size == 0 or ends[-1] != raw.size - 1:
        ends = np.append(ends, raw.size)  # the last record has no line break after it
    starts = np.concatenate(([0], ends[:-1] + 1))
    if _blank(body[: ends[0]]):
        return None  # a blank line before the header: the csv path skips it
    separators = np.bincount(
        np.searchsorted(ends, _outside_quotes(_positions(raw, COMMA), quotes)),
        minlength=ends.size,
    )[: ends.size]
    fields = separators[0] + 1
    odd = np.flatnonzero(separators[1:] != fields - 1) + 1
    if any(not _blank(body[starts[i] : ends[i]]) for i in odd[:1000]) or odd.size > 1000:
        return None  # a ragged line: the csv path lists it
    line_of = 1 + np.searchsorted(newlines, starts[1:])
    try:
        frame = pl.read_csv(
            io.BytesIO(body),
            infer_schema=False,
            empty_string_is_null=False,
            truncate_ragged_lines=True,
            quote_char='"',
        )
    except pl.exceptions.ComputeError:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("cp1252", errors="replace")
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            infer_schema=False,
            empty_string_is_null=False,
            truncate_ragged_lines=True,
            quote_char='"',
        )
    if frame.height != line_of.size or frame.width != fields:
        return None  # not what the scan saw: read it the careful way
    header = next(csv.reader(io.StringIO(body[: ends[0]].decode("utf-8", errors="replace"))))
    names = [h.strip() for h in header]
    if len(names) != fields:
        return None
    frame.columns = [f"__c{i}" for i in range(fields)]
    frame = frame.with_columns(pl.Series("__row__", line_of, dtype=pl.Int64))
    keep = _kept_columns(frame, names)
    keys = column_keys(names, keep)
    frame = frame.select(
        *(pl.col(f"__c{i}").alias(k) for i, k in zip(keep, keys, strict=True)), "__row__"
    )
    frame = _drop_blank_records(frame)
    return RawTable(name=path.stem, source=str(path), frame=frame, problems=[])


def _kept_columns(frame: Any, names: list[str]) -> list[int]:
    """Header positions that count: named, or unnamed but holding a value in some row."""
    import polars as pl

    keep = []
    for i, name in enumerate(names):
        if name:
            keep.append(i)
            continue
        used = frame.select(pl.col(f"__c{i}").str.strip_chars().ne("").any()).item()
        if used:
            keep.append(i)
    return keep


def _drop_blank_records(frame: Any) -> Any:
    """Rows whose every field is empty (blank lines, ``,,,,``) are not rows."""
    import polars as pl

    fields = [c for c in frame.columns if c != "__row__"]
    if not fields:
        return frame
    first = pl.col(fields[0]).str.strip_chars().eq("")
    candidates = frame.filter(first)
    if candidates.height == 0:
        return frame
    blank = candidates.filter(
        pl.all_horizontal([pl.col(c).str.strip_chars().eq("") for c in fields])
    ).get_column("__row__")
    return frame.filter(~pl.col("__row__").is_in(blank.implode()))
