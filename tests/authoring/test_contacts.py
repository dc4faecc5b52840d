"""The worked example: the contacts table and the sentence.compliance check."""

from __future__ import annotations

from pathlib import Path

import sqs_contacts

from sqs_checks.contract import build_contract
from sqs_checks.testing import assert_report, check_case_file, plugin_manager, run_check

CASES = Path(__file__).parent / "cases"


def test_contacts_extend_the_contract():
    contract = build_contract(plugin_manager(plugins=[sqs_contacts]))
    assert "contacts" in contract
    columns = contract.columns("contacts")
    assert columns["contact_date"].kind == "date" and columns["contact_date"].required
    assert columns["follow_up_action"].kind == "enum" and not columns["attended"].required


def test_scenarios_of_the_case_file():
    reports = check_case_file(CASES / "test_compliance.sqs.yml")
    late = next(f for f in reports[0].findings if f["reason"] == "late_follow_up")
    assert late["message"] == (
        "Missed appointment on 04/02/2013 followed up late on 12/02/2013 (warning letter); "
        "it was due by 11/02/2013."
    )


def test_bad_contact_rows_are_quarantined_and_flagged(tmp_path):
    tables = {
        "cases": [{"case_id": "C1", "start_date": "2013-01-07"}],
        "contacts": [
            {"contact_id": "K1", "case_id": "C1", "contact_date": "31/02/2013", "attended": "no"},
            {
                "contact_id": "K2",
                "case_id": "C1",
                "contact_date": "2013-02-04",
                "attended": "no",
                "follow_up_action": "teleport",
            },
            {"contact_id": "K3", "case_id": "C9", "contact_date": "2013-02-04"},
        ],
    }
    report = run_check(
        "data.record_excluded", tables, as_of="2013-03-18", plugins=[sqs_contacts], folder=tmp_path
    )
    problems = {(p["row"], p["column"], p["action"]) for p in report.result.input_problems()}
    assert problems == {
        (2, "contact_date", "row_excluded"),
        (3, "follow_up_action", "value_dropped"),  # an optional value: dropped, the row kept
        (4, "case_id", "row_excluded"),
    }
    assert_report(report, findings=[{"case_id": "C1", "record_id": "2"}])
    dropped = run_check(
        "data.value_dropped", tables, as_of="2013-03-18", plugins=[sqs_contacts], folder=tmp_path
    )
    assert_report(
        dropped, findings=[{"case_id": "C1", "record_table": "contacts", "record_id": "3"}]
    )


def test_skipped_without_the_table(tmp_path):
    report = run_check(
        "sentence.compliance",
        {"cases": [{"case_id": "C1", "start_date": "2013-01-07"}]},
        as_of="2013-03-18",
        plugins=[sqs_contacts],
        folder=tmp_path,
    )
    assert_report(report, status="skipped", reason="no contacts table")


def test_local_plugin_adds_an_optional_column(tmp_path):
    folder = tmp_path / "plugins"
    folder.mkdir()
    (folder / "panel.py").write_text("""
from typing import Optional

import pandera.polars as pa
import polars as pl

from sqs_checks.contract import TableContract
from sqs_checks.hookspecs import hookimpl


class CasesExtra(pa.DataFrameModel):
    case_id: str
    panel_date: Optional[pl.Date] = pa.Field(nullable=True)


@hookimpl
def sqs_checks_tables():
    return [TableContract("cases", CasesExtra)]
""")
    (folder / "panel.sql").write_text(
        "/*\nid: data.panel_missing\ntitle: Panel date recorded\nneeds: [cases.panel_date]\n*/\n"
        "SELECT case_id FROM cases WHERE panel_date IS NULL;\n"
    )
    tables = {
        "cases": [
            {"case_id": "C1", "start_date": "2013-01-07", "panel_date": "04/02/2013"},
            {"case_id": "C2", "start_date": "2013-01-07", "panel_date": ""},
            {"case_id": "C3", "start_date": "2013-01-07", "panel_date": "soon"},
        ]
    }
    report = run_check(
        "data.panel_missing",
        tables,
        as_of="2013-03-18",
        plugins_dirs=[folder],
        folder=tmp_path / "e",
    )
    # "soon" cannot be read: the value is dropped and C3 stays in scope without it (SPEC v2)
    assert_report(report, findings=[{"case_id": "C2"}, {"case_id": "C3"}])
    assert [(p["row"], p["column"], p["action"]) for p in report.result.input_problems()] == [
        (4, "panel_date", "value_dropped")
    ]
