"""findings.json written in one pass equals DuckDB's own JSON array of the findings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from report_helpers import AS_OF, demo_result, hostile_result

from sqs_checks.reporters.common import ReportData
from sqs_checks.reporters.json_reporter import JsonReporter
from sqs_checks.testing import make_export, run_export


def duckdb_array(result: Any, tmp: Path) -> bytes:
    """The findings as ``COPY ... (FORMAT JSON, ARRAY true)`` writes them, in contract order."""
    path = tmp / "array.json"
    query = ReportData(result, {}).findings_query("check")
    result.con.execute(f"COPY ({query}) TO '{path.as_posix()}' (FORMAT JSON, ARRAY true)")
    return path.read_bytes()


def check_file(result: Any, tmp: Path, out: Path | None = None) -> dict[str, Any]:
    written = JsonReporter().write(result, out or tmp, {}).read_bytes()
    header = json.dumps(ReportData(result, {}).header(), indent=2, ensure_ascii=False, default=str)
    head = header[: header.rstrip().rfind("}")].rstrip() + ',\n  "findings": '
    expected = head.encode("utf-8") + duckdb_array(result, tmp) + b"\n}\n"
    assert written == expected
    return json.loads(written)


def test_hostile_text_is_written_exactly(hostile_export, tmp_path):
    """Quotes, commas, control characters, newlines, tabs and emoji in every field."""
    result = hostile_result(hostile_export)
    data = check_file(result, tmp_path)
    assert data["findings"] and len(data["findings"]) == result.finding_count()


def test_the_demo_is_written_exactly(demo_export, tmp_path):
    data = check_file(demo_result(demo_export), tmp_path)
    assert len(data["findings"]) > 10


def test_no_findings_is_an_empty_array(tmp_path):
    export = make_export(
        tmp_path / "clean", {"cases": [{"case_id": "C1", "start_date": "2013-03-15"}]}
    )
    result = run_export(export, as_of=AS_OF)
    assert result.finding_count() == 0
    assert check_file(result, tmp_path)["findings"] == []


def test_a_folder_with_a_quote_in_its_name(demo_export, tmp_path):
    folder = tmp_path / "it's here"
    folder.mkdir()
    check_file(demo_result(demo_export), tmp_path, out=folder)
    assert (folder / "findings.json").is_file()


def test_the_same_file_whatever_the_findings_per_query(demo_export, tmp_path, monkeypatch):
    """A national run sorts a few checks at a time: the file is the same as one sort's."""
    from sqs_checks.reporters import json_reporter

    result = demo_result(demo_export)
    whole = check_file(result, tmp_path)
    checks = len({f["check_id"] for f in whole["findings"]})
    for per_query, queries in ((1, checks), (7, None), (10**6, 1)):
        monkeypatch.setattr(json_reporter, "FINDINGS_PER_QUERY", per_query)
        monkeypatch.setattr(json_reporter, "LINES_PER_BATCH", 3)
        made = len(ReportData(result, {}).json_lines_queries(per_query))
        assert made == queries if queries else 1 < made < checks
        assert check_file(result, tmp_path) == whole


def test_text_columns_are_written_as_their_bytes(tmp_path):
    import io

    import pyarrow as pa

    from sqs_checks.reporters.json_reporter import write_text_column

    values = ["\tZoë,\n", "", "é\u2028😀\n", "x"]
    for kind in (pa.string(), pa.large_string(), pa.string_view()):
        column = pa.array(values, type=kind)
        for part in (column, column.slice(1), column.slice(2, 1), column.slice(4)):
            out = io.BytesIO()
            assert write_text_column(out, part) == (len(part) > 0)
            assert out.getvalue() == "".join(part.to_pylist()).encode("utf-8")


def test_a_finding_of_no_listed_check_is_written_last(demo_export, tmp_path):
    """The contract's order puts a finding whose check is not in the run's list last."""
    result = demo_result(demo_export)
    case_id = result.con.execute("SELECT min(case_id) FROM findings").fetchone()[0]
    result.con.execute(
        "INSERT INTO findings VALUES ('zz.unlisted', $c, 'odd', 'cases', $c, 'An odd finding.', "
        "'{}', NULL)",
        {"c": case_id},
    )
    try:
        data = check_file(result, tmp_path)
    finally:
        result.con.execute("DELETE FROM findings WHERE check_id = 'zz.unlisted'")
    assert data["findings"][-1]["check_id"] == "zz.unlisted"


def _json_values():
    """Hypothesis: nested JSON-like values with dates, odd keys, tuples and empty containers."""
    import datetime as dt

    from hypothesis import strategies as st

    scalars = (
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.floats(allow_nan=True, allow_infinity=True)
        | st.text(max_size=12)
        | st.dates(min_value=dt.date(1900, 1, 1))
        | st.sampled_from(["", "\n", "a\tb", '"},\n{', "é😀\u2028", ",\n  "])
    )
    keys = (
        st.text(max_size=6)
        | st.integers(-5, 5)
        | st.booleans()
        | st.none()
        | st.floats(allow_nan=False, width=16)
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=5)
            | st.lists(inner, max_size=3).map(tuple)
            | st.dictionaries(keys, inner, max_size=5)
        ),
        max_leaves=40,
    )


def test_indented_text_is_the_json_modules_own():
    """``dumps_indented`` writes what ``json.dumps(indent=...)`` writes, for any value."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from sqs_checks.reporters.json_reporter import dumps_indented

    @settings(max_examples=400, deadline=None)
    @given(_json_values(), st.sampled_from([0, 1, 2, 4]))
    def same(value, indent):
        expected = json.dumps(value, indent=indent, ensure_ascii=False, default=str)
        assert dumps_indented(value, indent) == expected

    same()


def test_the_header_is_the_json_modules_indented_text(demo_export):
    """The demo's header - input problems, scorecard, due soon - as ``json.dumps`` writes it."""
    from sqs_checks.reporters.json_reporter import dumps_indented

    header = ReportData(demo_result(demo_export), {}).header()
    assert header["due_soon"] and header["input_problems"]
    expected = json.dumps(header, indent=2, ensure_ascii=False, default=str)
    assert dumps_indented(header) == expected
