"""The fast way to read a CSV file: a native parser, with the line numbers a person sees.

Python's ``csv`` module is exact but slow (a national export has gigabytes of
narrative text). This module reads a file with polars' native CSV parser and
works out, once, where each record starts: a NumPy pass over the bytes finds
the line breaks that are not inside quotes (a line break ends a record when the
number of ``"`` before it is even, as RFC 4180 quoting guarantees) and counts
each record's separators the same way.

The file is mapped, not read into memory, and its pages are let go once scanned;
polars then parses it ``PIECE_BYTES`` of records at a time, each piece starting
on a record the scan found. A national export's narrative file (3.2 GB) is so
never held whole beside its rows, and its rows come in chunks that loading can
free one part at a time.

It answers only when the file is plain: a ``,`` separator and ``"`` quotes,
UTF-8 (with or without BOM) or Windows-1252, ``\\n`` or ``\\r\\n`` line ends, the
header on the first line, and every line that holds a value having exactly the
header's number of fields. Anything else - a ragged line, a lone ``\\r`` - returns
None, and the caller reads the file with the ``csv`` module, which lists ragged
lines one by one. Both ways give the same rows with the same numbers.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import mmap
import os
from pathlib import Path
from typing import Any

import numpy as np

from sqs_checks.readers.base import RawTable, column_keys, without_blank_rows

QUOTE, NEWLINE, CARRIAGE, COMMA = 34, 10, 13, 44
POLARS_OPTIONS: dict[str, Any] = {
    "infer_schema": False,
    "empty_string_is_null": False,
    "truncate_ragged_lines": True,
    "quote_char": '"',
}
"""Every column as text, empty fields as empty text (as the csv module gives them)."""

PIECE_OPTIONS: dict[str, Any] = {k: v for k, v in POLARS_OPTIONS.items() if k != "infer_schema"}
"""The same, for a piece of records read with its columns named beforehand."""

PIECE_BYTES = 128 << 20
"""Bytes of records parsed at a time. The file is never held whole, and the frame comes
in chunks that loading hands to DuckDB and frees one part at a time."""

CHUNK = 1 << 20
"""Bytes scanned at a time. A megabyte keeps the scan's temporary arrays in the processor's
cache: twice as fast as 64 MB chunks, whose fresh arrays each cost page faults."""


def _positions(data: np.ndarray, byte: int) -> np.ndarray:
    """Offsets of ``byte`` in ``data``, scanned chunk by chunk."""
    parts = [
        np.flatnonzero(data[start : start + CHUNK] == byte) + start
        for start in range(0, data.size, CHUNK)
    ]
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)


class Layout:
    """Where the records of a CSV file are: one pass over its bytes, a chunk at a time.

    Attributes:
        newlines: offsets of every ``\\n`` (line numbers count them all).
        quotes: offsets of every ``"``.
        ends: offsets of the line breaks outside quotes (each ends a record).
        separators: per record, its ``,`` outside quotes (one more entry than
            ``ends``: the part after the last line break, which may be empty).
    """

    def __init__(self, raw: np.ndarray) -> None:
        newlines, quotes, ends, counts = [], [], [], []
        parity, open_count = 0, 0
        for start in range(0, raw.size, CHUNK):
            chunk = raw[start : start + CHUNK]
            special = chunk == COMMA
            special |= chunk == NEWLINE
            special |= chunk == QUOTE
            where = np.flatnonzero(special).astype(np.int32)  # offsets within the chunk
            value = chunk[where]
            is_quote = value == QUOTE
            # 1 after an odd number of quotes (the chunk before may have left one open)
            inside = np.bitwise_xor.accumulate(is_quote.view(np.uint8))
            if parity:
                inside ^= 1
            outside = inside == 0  # a comma or line break after an even count
            is_newline = value == NEWLINE
            is_end = is_newline & outside
            offset = np.int64(start)
            newlines.append(where[is_newline] + offset)
            quotes.append(where[is_quote] + offset)
            end_at = where[is_end]
            ends.append(end_at + offset)
            # each record's separators: those between the line breaks that end records
            separator_at = where[(value == COMMA) & outside]
            closed = np.searchsorted(separator_at, end_at)
            per_record = np.diff(np.concatenate(([0], closed, [separator_at.size])))
            per_record[0] += open_count  # the record the chunk before left open
            counts.append(per_record[:-1])
            open_count = int(per_record[-1])
            if inside.size:
                parity = int(inside[-1])
        empty = np.empty(0, dtype=np.int64)
        self.newlines = np.concatenate(newlines) if newlines else empty
        self.quotes = np.concatenate(quotes) if quotes else empty
        self.ends = np.concatenate(ends) if ends else empty
        self.separators = np.concatenate([*counts, [open_count]]).astype(np.int64)


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


def _text(record: bytes) -> str:
    """A record's bytes as text: UTF-8, else Windows-1252 (as the csv path decodes)."""
    try:
        return record.decode("utf-8")
    except UnicodeDecodeError:
        return record.decode("cp1252", errors="replace")


def _blank(record: bytes) -> bool:
    """Whether a record holds no value at all (every field empty once trimmed)."""
    text = _text(record)
    return all(not field.strip() for row in csv.reader(io.StringIO(text)) for field in row)


def read_plain_csv(path: Path, data: bytes | None = None) -> RawTable | None:
    """Read ``path`` natively, or None when it is not plain.

    ``data`` is the file's bytes when the caller has them. Without it the file is
    mapped, not read: the scan's pages are let go as soon as it is done, and the
    records are parsed ``PIECE_BYTES`` at a time, so a large file is never held
    whole beside its frame.
    """
    if data is not None:
        return _read_plain(path, data)
    try:
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                return None  # the csv path names the empty file
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError:
        return None  # the csv path names the file it cannot read
    try:
        return _read_plain(path, mapped)
    finally:
        with contextlib.suppress(BufferError):  # still viewed only while an error unwinds
            mapped.close()  # closed now, not when collected: the file is free at once


def _read_plain(path: Path, data: bytes | mmap.mmap) -> RawTable | None:
    """:func:`read_plain_csv` over the file's bytes, in memory or mapped."""
    import polars as pl

    bom = 3 if data[:3] == b"\xef\xbb\xbf" else 0
    body = memoryview(data)[bom:]  # no copy of a large file
    raw = np.frombuffer(body, dtype=np.uint8)
    if not body or _all_space(raw):
        return None  # the csv path names the empty file
    if data.find(b"\r") >= 0:
        carriage = _positions(raw, CARRIAGE)
        after = raw[np.minimum(carriage + 1, raw.size - 1)]
        if carriage[-1] + 1 >= raw.size or np.any(after != NEWLINE):
            return None  # a lone carriage return ends a line for the csv module
    layout = Layout(raw)
    newlines, quotes = layout.newlines, layout.quotes
    if quotes.size % 2 or not _quotes_at_field_edges(raw, quotes):
        return None  # an unclosed quote, or one inside a field: let the csv module read it
    ends, separators = layout.ends, layout.separators
    del layout, quotes
    if ends.size and ends[-1] == raw.size - 1:
        separators = separators[:-1]  # the file ends with a line break: no record after it
    else:
        ends = np.append(ends, raw.size)  # the last record has no line break after it
    starts = np.concatenate(([0], ends[:-1] + 1))
    if _blank(bytes(body[: ends[0]])):
        return None  # a blank line before the header: the csv path skips it
    fields = int(separators[0]) + 1
    odd = np.flatnonzero(separators[1:] != fields - 1) + 1
    if any(not _blank(bytes(body[starts[i] : ends[i]])) for i in odd[:1000]) or odd.size > 1000:
        return None  # a ragged line: the csv path lists it
    line_of = 1 + np.searchsorted(newlines, starts[1:])
    del newlines
    header = next(csv.reader(io.StringIO(_text(bytes(body[: ends[0]])))))
    _let_go(data)  # scanned: its pages may go (each piece reads its own again)
    pieces = _pieces(starts, ends, separators, fields)
    names = [h.strip() for h in header]
    if len(names) != fields:
        return None
    try:
        frame = _read_pieces(data, bom, pieces, starts, raw.size, line_of)
    except pl.exceptions.ComputeError:  # not UTF-8: decoded as the csv path decodes it
        from sqs_checks.readers.csv_reader import decode

        text = decode(bytes(data)).encode("utf-8")  # offsets move: read as one piece
        frame = _read_pieces(text, 0, [], starts, len(text), line_of)
        del text
    if frame is None or frame.height != line_of.size or frame.width != fields + 1:
        return None  # not what the scan saw: read it the careful way
    keep = _kept_columns(frame, names)
    keys = column_keys(names, keep)
    frame = frame.select(
        *(pl.col(f"__c{i}").alias(k) for i, k in zip(keep, keys, strict=True)), "__row__"
    )
    frame = without_blank_rows(frame)
    return RawTable(name=path.stem, source=str(path), frame=frame, problems=[])


def _let_go(data: bytes | mmap.mmap) -> None:
    """Let a mapped file's pages go from this process's memory (they stay in the system's
    file cache); nothing for bytes, or where the system has no such advice."""
    if isinstance(data, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
        data.madvise(mmap.MADV_DONTNEED)


def _all_space(raw: np.ndarray) -> bool:
    """Whether every byte is white space (as ``bytes.isspace``), stopping at the first that
    is not."""
    space = np.zeros(256, dtype=bool)
    space[list(b" \t\n\r\x0b\x0c")] = True
    return all(space[raw[start : start + CHUNK]].all() for start in range(0, raw.size, CHUNK))


def _pieces(starts: np.ndarray, ends: np.ndarray, separators: np.ndarray, fields: int) -> list[int]:
    """The records (counting the header as 0) where each piece after the first begins.

    A piece begins about every ``PIECE_BYTES``, at a record that is not empty and has
    the header's number of fields, so that each piece parses on its own as it would
    within the whole file.
    """
    size = int(ends[-1])
    if size <= PIECE_BYTES or starts.size < 3:
        return []
    good = np.flatnonzero((separators[2:] == fields - 1) & (ends[2:] - starts[2:] > 1)) + 2
    wanted = np.arange(PIECE_BYTES, size, PIECE_BYTES)
    at = np.searchsorted(starts[good], wanted)
    return sorted({int(good[i]) for i in at if i < good.size})


def _read_pieces(
    data: bytes | mmap.mmap,
    bom: int,
    pieces: list[int],
    starts: np.ndarray,
    size: int,
    line_of: np.ndarray,
) -> Any:
    """The records after the header, parsed a piece at a time into one chunked frame
    (columns ``__c0``, ``__c1``... and ``__row__``, each record's line); None when a
    piece does not hold the rows the scan found in it.

    Each piece gets its own lines, so every column has the same chunks: a column in
    other chunks than the rest would make polars copy the whole frame to align them.
    """
    import polars as pl

    bounds = [1, *pieces, starts.size]
    frames: list[pl.DataFrame] = []
    names: list[str] = []
    for first, stop in itertools.pairwise(bounds):
        begin = bom + (int(starts[first]) if frames else 0)  # the first piece has the header
        end = bom + (int(starts[stop]) if stop < starts.size else size)
        if frames:
            schema = dict.fromkeys(names, pl.String)
            part = pl.read_csv(data[begin:end], has_header=False, schema=schema, **PIECE_OPTIONS)
        else:
            part = pl.read_csv(data[begin:end], **POLARS_OPTIONS)
            names = [f"__c{i}" for i in range(part.width)]
            part.columns = names
        _let_go(data)  # parsed: the piece's pages may go
        if part.height != stop - first:
            return None
        # one chunk a piece: polars' own are a few thousand rows, and thousands of them
        # (at 1,000,000 cases) parse and copy into DuckDB at half the speed
        lines = pl.Series("__row__", line_of[first - 1 : stop - 1], dtype=pl.Int64)
        frames.append(part.rechunk().with_columns(lines))
    return pl.concat(frames, rechunk=False) if len(frames) > 1 else frames[0]


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
