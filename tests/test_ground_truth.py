"""The demo export's planted defects are found, all of them, and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from sqs_hmip import CATALOG_ORDER

from sqs_checks.synth import generate_export
from sqs_checks.testing import run_export


def _key(item: dict) -> tuple:
    return (
        item["check_id"],
        item["case_id"],
        item["reason"],
        item["record_table"],
        str(item["record_id"]),
    )


@pytest.mark.parametrize(
    ("seed", "as_of"), [(1, "2013-03-18"), (2, "2026-11-02"), (7, "2025-06-30")]
)
def test_every_planted_defect_is_found_and_nothing_else(tmp_path, seed, as_of):
    as_of = dt.date.fromisoformat(as_of)
    truth = generate_export(tmp_path, as_of=as_of, cases=300, seed=seed)
    result = run_export(tmp_path, as_of=as_of)
    ran = {r.check.id for r in result.checks if r.status == "ran"}
    assert set(CATALOG_ORDER) <= ran, [
        (r.check.id, r.status, r.reason) for r in result.checks if r.status != "ran"
    ]
    expected = {_key(f) for f in truth["findings"]}
    assert {k[0] for k in expected} == set(CATALOG_ORDER)  # every check has planted defects
    found = {_key(f) for f in result.findings() if f["check_id"] in CATALOG_ORDER}
    assert not expected - found, f"planted but not found: {sorted(expected - found)[:10]}"
    assert not found - expected, f"found but not planted: {sorted(found - expected)[:10]}"
    problems = {(p["table"], p["row"], p["column"]) for p in result.input_problems()}
    planted = {(p["table"], p["row"], p["column"]) for p in truth["input_problems"]}
    assert problems == planted
