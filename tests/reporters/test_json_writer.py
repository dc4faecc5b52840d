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
