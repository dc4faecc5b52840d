"""Property: whatever a CSV export mixes, every input row is checked or listed at its true line.

Hypothesis builds ``cases.csv`` files from random mixtures of valid rows, bad
values in required and optional columns, duplicate ids, ragged rows, blank and
all-empty lines, quoted line breaks, trailing separators and three encodings.
The loader must never raise, must keep every good row with the line it starts
on, list every excluded row (``row_excluded``) with that line, and keep the
rows whose only problem is an optional value (``value_dropped``).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sqs_checks.contract import Contract
from sqs_checks.loading import load_export
from sqs_checks.readers import sqs_checks_readers

HEADER = ["case_id", "child_id", "case_manager", "disposal_type", "start_date", "mappa_level"]
KINDS = (
    "valid",
    "valid_multiline",
    "bad_required",
    "bad_optional",
    "duplicate",
    "ragged_short",
    "ragged_long",
    "blank",
    "all_empty",
)
EXPECT = {
    "valid": "kept",
    "valid_multiline": "kept",
    "bad_required": "excluded",
    "bad_optional": "dropped",
    "duplicate": "excluded",
    "ragged_short": "excluded",
    "ragged_long": "excluded",
    "blank": None,
    "all_empty": None,
}


@dataclass
class Line:
    """One generated record (or blank line) and where it starts."""

    kind: str
    text: str
    lines: int
    case_id: str | None


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value


def _record(kind: str, n: int, name: str, trailing: bool) -> Line:
    case_id = f"C{n}"
    fields = [case_id, f"K{n}", name, "community", "2013-01-07", "2"]
    if kind == "valid_multiline":
        fields[2] = f"{name}\nsecond line, with a comma"
    elif kind == "bad_required":
        fields[4] = "31/02/2013"
    elif kind == "bad_optional":
        fields[5] = "7"
    elif kind == "duplicate":
        case_id = "C0"
        fields[0] = "C0"
    elif kind == "ragged_short":
        fields = fields[:3]
    elif kind == "ragged_long":
        fields = [*fields, "stray value", "and another"]  # beyond even a trailing separator
    elif kind == "blank":
        return Line(kind, "", 1, None)
    elif kind == "all_empty":
        return Line(kind, "," * (len(HEADER) - 1), 1, None)
    text = ",".join(_quote(f) for f in fields) + ("," if trailing else "")
    return Line(kind, text, 1 + text.count("\n"), case_id)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    kinds=st.lists(st.sampled_from(KINDS), min_size=0, max_size=25),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    name=st.sampled_from(["Ann", "Zoë O’Neill", 'Bob "Bobby" Lee', "Cat, Dee"]),
    trailing=st.booleans(),
    crlf=st.booleans(),
)
def test_every_row_is_checked_or_listed_at_its_true_line(kinds, encoding, name, trailing, crlf):
    first = Line("valid", ",".join(["C0", "K0", "First", "community", "2013-01-07", ""]), 1, "C0")
    records = [first] + [_record(k, i + 1, name, trailing) for i, k in enumerate(kinds)]
    header = ",".join(HEADER) + ("," if trailing else "")
    newline = "\r\n" if crlf else "\n"
    parts, line = [header], 2
    starts: list[tuple[Line, int]] = []
    for record in records:
        starts.append((record, line))
        parts.append(record.text)
        line += record.lines
    text = newline.join(p.replace("\n", newline) for p in parts) + newline
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "cases.csv").write_bytes(text.encode(encoding))
        loaded = load_export(
            folder,
            readers=sqs_checks_readers(),
            contract=Contract(),
            today=dt.date(2013, 3, 18),
        )
    kept = dict(loaded.tables["cases"].select("__row__", "case_id").rows())
    problems = loaded.problem_list()
    excluded = {p["row"] for p in problems if p["action"] == "row_excluded"}
    dropped = {p["row"] for p in problems if p["action"] == "value_dropped"}
    for record, start in starts:
        expected = EXPECT[record.kind]
        if expected in ("kept", "dropped"):
            assert kept.get(start) == record.case_id, (record.kind, start, text)
            assert start not in excluded
            assert (start in dropped) == (expected == "dropped")
        elif expected == "excluded":
            assert start in excluded and start not in kept, (record.kind, start, text)
        else:
            assert start not in kept and start not in excluded and start not in dropped
    rows = {start for _, start in starts}
    assert set(kept) | excluded | dropped <= rows
    real = [r for r, _ in starts if EXPECT[r.kind] is not None]
    assert len(kept) + len(excluded) == len(real)  # every row checked or listed, none twice


FIELD = st.one_of(
    st.sampled_from(["", " ", "a", "Zoë", "x y", "2013-01-07", "N/A", "’quote’"]),
    st.text(alphabet='ab ,"\n\r\t', max_size=6),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(st.sampled_from(["case_id", "a", "b", "", " c "]), min_size=1, max_size=5),
    rows=st.lists(st.lists(FIELD, min_size=0, max_size=7), max_size=12),
    blank_lines=st.lists(st.integers(0, 12), max_size=3),
    crlf=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    piece=st.sampled_from([1 << 27, 1, 6, 23]),
    mapped=st.booleans(),
)
def test_the_native_reader_reads_what_the_csv_module_reads(
    header, rows, blank_lines, crlf, encoding, piece, mapped
):
    """Whenever the native path answers, it gives the csv module's rows, columns and lines:
    from bytes in memory or from the mapped file, read whole or a few bytes of records at
    a time."""
    import csv
    import io

    from sqs_checks.readers import csv_fast
    from sqs_checks.readers.csv_reader import read_with_csv_module

    def read_plain_csv(path: Path, data: bytes) -> object:
        before = csv_fast.PIECE_BYTES
        csv_fast.PIECE_BYTES = piece
        try:
            return csv_fast.read_plain_csv(path, None if mapped else data)
        finally:
            csv_fast.PIECE_BYTES = before

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    for i, row in enumerate(rows):
        if i in blank_lines:
            out.write("\r\n" if crlf else "\n")
        writer.writerow(row)
    try:
        data = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(data)
        try:
            careful = read_with_csv_module(path, data)
        except Exception:  # noqa: BLE001 - the csv module refuses it: the native path may not answer
            assert read_plain_csv(path, data) is None
            return
        fast = read_plain_csv(path, data)
    if fast is None:
        return
    assert fast.frame.columns == careful.frame.columns
    assert fast.frame.to_dicts() == careful.frame.to_dicts()
    assert careful.problems == []


def _layout_one_byte_at_a_time(data: bytes) -> dict[str, list[int]]:
    """What :class:`Layout` finds, the slow way: quotes counted byte by byte."""
    found: dict[str, list[int]] = {"newlines": [], "quotes": [], "ends": [], "separators": [0]}
    quoted = False
    for i, byte in enumerate(data):
        if byte == ord('"'):
            found["quotes"].append(i)
            quoted = not quoted
        elif byte == ord("\n"):
            found["newlines"].append(i)
            if not quoted:
                found["ends"].append(i)
                found["separators"].append(0)
        elif byte == ord(",") and not quoted:
            found["separators"][-1] += 1
    return found


@settings(max_examples=200, deadline=None)
@given(
    data=st.binary(max_size=60).map(lambda b: bytes(b'a,"\n\r'[x % 5] for x in b)),
    chunk=st.integers(1, 9),
)
def test_the_record_scan_is_the_same_whatever_the_chunk_size(data, chunk):
    """Line breaks, quotes, record ends and separators do not depend on where chunks split."""
    import numpy as np

    from sqs_checks.readers import csv_fast

    before = csv_fast.CHUNK
    csv_fast.CHUNK = chunk
    try:
        layout = csv_fast.Layout(np.frombuffer(data, dtype=np.uint8))
    finally:
        csv_fast.CHUNK = before
    expected = _layout_one_byte_at_a_time(data)
    for name, values in expected.items():
        assert getattr(layout, name).tolist() == values, name
        assert getattr(layout, name).dtype == np.int64
