"""A large CSV file is read a piece at a time, from the mapped file, with the csv module's rows.

``PIECE_BYTES`` is made small here so that a file of a few hundred kilobytes is read in
many pieces, as a national export's narrative file is.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from sqs_checks.readers import csv_fast
from sqs_checks.readers.csv_reader import CsvReader, read_csv_file, read_with_csv_module


def _write(path: Path, rows: int, *, crlf: bool, encoding: str = "utf-8") -> bytes:
    """A file with quoted multi-line text, blank lines and all-empty lines among its rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(["case_id", "text", "", "date"])
    for i in range(rows):
        if i % 97 == 5:
            out.write("\r\n" if crlf else "\n")  # a blank line: not a row, but a line
        if i % 89 == 7:
            writer.writerow(["", "", "", ""])  # every field empty: not a row
        text = f'Seen at home.\nSaid "fine", {i} times' if i % 3 else "café"
        writer.writerow([f"C{i:05d}", text, "", "2013-01-07"])
    data = out.getvalue().encode(encoding)
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("crlf", [False, True])
@pytest.mark.parametrize("piece", [1, 997, 50_000])
def test_a_file_read_in_pieces_gives_the_csv_modules_rows_and_lines(tmp_path, crlf, piece):
    """Whatever the piece size, the native path answers with the careful path's frame."""
    path = tmp_path / "assessments.csv"
    data = _write(path, 3_000, crlf=crlf)
    before = csv_fast.PIECE_BYTES
    csv_fast.PIECE_BYTES = piece
    try:
        fast = csv_fast.read_plain_csv(path)  # mapped, not read
    finally:
        csv_fast.PIECE_BYTES = before
    careful = read_with_csv_module(path, data)
    assert fast is not None
    assert fast.frame.columns == careful.frame.columns == ["case_id", "text", "date", "__row__"]
    assert fast.frame.to_dicts() == careful.frame.to_dicts()
    assert fast.frame.height == 3_000
    if piece > 1:  # a piece a record long makes chunks so small that polars joins them
        chunks = fast.frame.get_column("text").n_chunks()
        assert chunks > 1 if piece < len(data) else chunks == 1  # pieces stay chunks


def test_a_windows_1252_byte_in_a_late_piece_decodes_the_whole_file_as_the_csv_path(tmp_path):
    """A file that is not UTF-8 is Windows-1252 throughout, wherever its first such byte is."""
    path = tmp_path / "plans.csv"
    data = _write(path, 2_000, crlf=False)
    data = data.replace(b"C01990", b"C01990\xe9")  # one byte near the end, not UTF-8
    path.write_bytes(data)
    before = csv_fast.PIECE_BYTES
    csv_fast.PIECE_BYTES = 4_000
    try:
        table = read_csv_file(path)
    finally:
        csv_fast.PIECE_BYTES = before
    careful = read_with_csv_module(path, data)
    assert table.frame.to_dicts() == careful.frame.to_dicts()
    rows = table.frame.to_dicts()
    assert "C01990é" in {r["case_id"] for r in rows}
    assert "cafÃ©" in {r["text"] for r in rows}  # UTF-8 bytes read as Windows-1252, as csv does


def test_the_reader_reads_each_file_only_when_the_loader_takes_it(tmp_path):
    """``read`` streams the fingerprint; rows and ragged lines come when the frame is asked."""
    (tmp_path / "cases.csv").write_text("case_id,name\nC1,Ann\nC2,Bo,extra\n")
    (tmp_path / "notes.csv").write_text("")  # empty: named only if a table is read from it
    export = CsvReader().read(str(tmp_path))
    cases = export.tables["cases"]
    assert cases._frame is None and cases.problems == []
    assert cases.frame.to_dicts() == [{"case_id": "C1", "name": "Ann", "__row__": 2}]
    assert [p["row"] for p in cases.problems] == [3]
    assert len(export.fingerprint) == 64


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_table_parsed_in_parts_is_loaded_as_one_parsed_whole(tmp_path, monkeypatch, fmt):
    """Rows, values, problems and row numbers are the same whether a table is read and
    parsed whole or in many small parts; the parts stay parts (lined-up chunks)."""
    import datetime as dt

    from sqs_checks import loading
    from sqs_checks.contract import build_contract
    from sqs_checks.readers import sqs_checks_readers
    from sqs_checks.synth import generate_export

    as_of = dt.date(2013, 3, 18)
    generate_export(tmp_path, as_of=as_of, cases=300, seed=4, fmt=fmt, today=as_of)

    def load() -> loading.LoadedExport:
        return loading.load_export(
            str(tmp_path), readers=sqs_checks_readers(), contract=build_contract(), today=as_of
        )

    whole = load()
    monkeypatch.setattr(loading, "PARSE_PART_ROWS", 97)
    monkeypatch.setattr(csv_fast, "PIECE_BYTES", 5_000)
    parts = load()
    if fmt == "csv":
        assert whole.problems.height > 0  # the planted bad rows: parsed in parts as well
    assert parts.problem_list() == whole.problem_list()
    assert parts.rows_read == whole.rows_read
    for name, frame in whole.tables.items():
        assert parts.tables[name].to_dicts() == frame.to_dicts(), name
    assessments = parts.tables["assessments"]
    assert assessments.height > 97
    layouts = {tuple(s.chunk_lengths()) for s in assessments.get_columns()}
    assert len(layouts) == 1 and len(layouts.pop()) > 1  # in parts, every column alike
