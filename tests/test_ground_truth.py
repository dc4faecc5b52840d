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


def _problem(item: dict) -> tuple:
    return (item["table"], item["row"], item["column"], item["value"], item.get("action"))


def _assert_run_matches_ground_truth(result, truth: dict) -> None:
    """Statuses, findings, input problems and scope counts are the ground truth's."""
    statuses = {r.check.id: r.status for r in result.checks}
    expected_status = {check: truth["checks"].get(check, "ran") for check in CATALOG_ORDER}
    expected_status.update(truth["checks"])
    assert {c: statuses.get(c) for c in expected_status} == expected_status, [
        (r.check.id, r.status, r.reason) for r in result.checks if r.status != "ran"
    ]
    expected = {_key(f) for f in truth["findings"]}
    judged = set(CATALOG_ORDER) | set(truth["checks"])
    found = {_key(f) for f in result.findings() if f["check_id"] in judged}
    assert not expected - found, f"planted but not found: {sorted(expected - found)[:10]}"
    assert not found - expected, f"found but not planted: {sorted(found - expected)[:10]}"
    problems = {_problem(p) for p in result.input_problems()}
    planted = {_problem(p) for p in truth["input_problems"]}
    assert problems == planted, (sorted(problems - planted)[:10], sorted(planted - problems)[:10])
    run = result.header()["run"]
    assert run["cases_in_scope"] == truth["cases_in_scope"]
    left_out = run.get("cases_out_of_scope_by_disposal")
    if isinstance(left_out, dict):  # counted per disposal
        left_out = sum(left_out.values())
    assert left_out == truth["cases_out_of_scope_by_disposal"]


@pytest.mark.parametrize(
    ("seed", "as_of"), [(1, "2013-03-18"), (2, "2026-11-02"), (7, "2025-06-30")]
)
def test_every_planted_defect_is_found_and_nothing_else(tmp_path, seed, as_of):
    as_of = dt.date.fromisoformat(as_of)
    truth = generate_export(tmp_path, as_of=as_of, cases=300, seed=seed)
    result = run_export(tmp_path, as_of=as_of)
    assert set(truth["checks"].values()) == {"ran"}
    expected = {_key(f) for f in truth["findings"]}
    assert {k[0] for k in expected} == set(CATALOG_ORDER)  # every check has planted defects
    _assert_run_matches_ground_truth(result, truth)


# SPEC v2 (partial inputs, an empty staff table): the engine must judge what it can.
PARTIAL_DROP = [
    "events",
    "plans.has_contingency",
    "assessments.level",
    "referrals",
    "court_reports.quality_assured_by",
    "assessments.child_views_recorded",
    "plans.signed_off_by",
]


@pytest.mark.spec_v2
@pytest.mark.parametrize(
    "drop",
    [
        PARTIAL_DROP,
        ["plans", "plan_reviews", "court_reports.submitted_date", "offences", "cases.mappa_level"],
    ],
    ids=["brief", "no-plans"],
)
def test_a_partial_export_is_judged_as_far_as_it_can_be(tmp_path, drop):
    as_of = dt.date(2025, 6, 30)
    truth = generate_export(tmp_path, as_of=as_of, cases=300, seed=7, drop=drop)
    assert "partial" in truth["checks"].values() and "skipped" in truth["checks"].values()
    result = run_export(tmp_path, as_of=as_of)
    _assert_run_matches_ground_truth(result, truth)


@pytest.mark.spec_v2
def test_an_empty_staff_table_counts_as_absent(tmp_path):
    as_of = dt.date(2013, 3, 18)
    truth = generate_export(tmp_path, as_of=as_of, cases=300, seed=1, empty_staff=True)
    assert not [f for f in truth["findings"] if f["reason"] == "not_a_manager"]
    result = run_export(tmp_path, as_of=as_of)
    _assert_run_matches_ground_truth(result, truth)
