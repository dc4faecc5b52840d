"""Keeping a large polars frame in chunks: the unit a national export's memory goes in.

A frame read a piece at a time (a CSV piece, a Parquet row group) is in chunks.
Kept in chunks, a table can be handed to DuckDB and freed a part at a time. But
polars copies a whole frame into one chunk as soon as its columns are cut
differently, so every step that makes a frame in parts lines its columns up first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl


def chunks_aligned(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every column in chunks of the same rows, without copying the rows.

    The frame is cut where its most finely chunked column is cut; a column in one
    chunk (row numbers, a column computed whole) is only sliced. Should a column be
    cut elsewhere still, the frame is copied into one chunk (polars would do so at
    its next step anyway).
    """
    import polars as pl

    lengths = chunk_lengths(frame)
    if lengths is None or _aligned(frame):
        return frame
    parts, start = [], 0
    columns = frame.get_columns()
    for length in lengths:  # each column sliced alone: no copy
        parts.append(pl.DataFrame([s.slice(start, length) for s in columns]))
        start += length
    aligned = pl.concat(parts, rechunk=False)
    return aligned if _aligned(aligned) else frame.rechunk()


def chunk_lengths(frame: pl.DataFrame) -> list[int] | None:
    """The rows of each chunk of ``frame``'s most finely chunked column, or None when every
    column is one chunk."""
    columns = frame.get_columns()
    if not columns:
        return None
    finest = max(columns, key=lambda s: s.n_chunks())
    return finest.chunk_lengths() if finest.n_chunks() > 1 else None


def _aligned(frame: pl.DataFrame) -> bool:
    """Whether every column of ``frame`` is cut at the same rows."""
    return len({tuple(s.chunk_lengths()) for s in frame.get_columns()}) <= 1
