"""Suites: extend, parameter and severity overrides, validation errors."""

from __future__ import annotations

import pytest

from sqs_checks.errors import ConfigError
from sqs_checks.pipeline import catalog
from sqs_checks.plugins import get_plugin_manager
from sqs_checks.suites import load_suite
from sqs_checks.testing import make_export, run_export


@pytest.fixture
def checks():
    return catalog(get_plugin_manager(()))


def test_shipped_suites(checks):
    open_cases = load_suite("open-cases")
    assert open_cases.scope.kind == "open" and open_cases.select(checks) == checks
    sample = load_suite("sqs-2013")
    assert sample.scope.kind == "inspection_sample"
    assert sample.scope.disposals == ["referral_order", "community", "custody"]
    assert (sample.scope.months, sample.scope.min_days) == (6, 28)
    sample.validate(checks)


def test_extend_with_overrides_changes_the_run(tmp_path):
    suite = tmp_path / "strict.yml"
    suite.write_text(
        "name: strict\nextend: open-cases\nchecks: ['reoffending.*']\n"
        "parameters:\n  reoffending.initial_assessment: {due: 5}\n"
        "severity:\n  reoffending.initial_assessment: low\n"
    )
    export = make_export(
        tmp_path / "e",
        {
            "cases": [{"case_id": "C1", "start_date": "2013-03-04"}],
            "assessments": [
                {
                    "case_id": "C1",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "2013-03-15",
                }
            ],
        },
    )
    default = run_export(export, as_of="2013-03-18", checks=["reoffending.initial_assessment"])
    assert default.findings() == []
    strict = run_export(export, as_of="2013-03-18", suite=str(suite))
    assert {r.check.area for r in strict.checks} == {"reoffending"}
    [finding] = [f for f in strict.findings() if f["check_id"] == "reoffending.initial_assessment"]
    assert (finding["reason"], finding["severity"]) == ("late", "low")
    assert "due by 11/03/2013" in finding["message"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour: blue\n", "unknown key 'colour' (allowed: name, description, extend"),
        (
            "scope: {kind: everything}\n",
            "scope.kind is 'everything' (allowed: open, inspection_sample, all)",
        ),
        (
            "parameters:\n  reoffending.initial_assessment: {due: soon}\n",
            "parameters.reoffending.initial_assessment: due must be a whole number, not 'soon'",
        ),
        (
            "parameters:\n  reoffending.initial_assessment: {days: 3}\n",
            "has no parameter 'days' (parameters: due, due_referral_order)",
        ),
        (
            "severity:\n  public.risk_management_plan: urgent\n",
            "severity.public.risk_management_plan is 'urgent' (allowed: low, medium, high)",
        ),
        ("checks: [nope.*]\n", "names check 'nope.*', which no plugin provides"),
        (
            "scope: {kind: inspection_sample, disposals: [caution]}\n",
            "scope.disposals has 'caution' (allowed: referral_order",
        ),
        ("extend: bad\n", "There is no suite called 'bad'"),
    ],
)
def test_invalid_suites_name_the_file_key_and_allowed_values(tmp_path, checks, text, message):
    path = tmp_path / "bad.yml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_suite(str(path)).validate(checks)
    assert message in str(info.value)
    assert str(path) in str(info.value) or "no suite called" in str(info.value)
