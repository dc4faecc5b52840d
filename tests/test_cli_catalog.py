"""``sqs-checks explain`` and ``sqs-checks checks`` as a user reads them (click's CliRunner)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from sqs_checks.cli import cli


def invoke(*args: str):
    """Run the command line in process; return click's result."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def installed_checks() -> list:
    """Every check the command line sees (the catalog and the other installed plugins)."""
    from sqs_checks.pipeline import catalog
    from sqs_checks.plugins import get_plugin_manager

    return catalog(get_plugin_manager(()))


def catalog_ids() -> list[str]:
    return [c.id for c in installed_checks()]


@pytest.mark.parametrize("check_id", catalog_ids())
def test_explain_every_check(check_id):
    from sqs_hmip.seeds import PARAGRAPHS, paragraph_numbers

    check = next(c for c in installed_checks() if c.id == check_id)
    result = invoke("explain", check_id)
    assert result.exit_code == 0, result.output
    out = result.output
    flat = " ".join(out.split())
    assert out.startswith(f"{check.id}\n  {check.title}\n")
    assert f"Severity:  {check.severity}" in out
    assert "Relevant when" in out and " ".join(check.relevance.split()) in flat
    for code, meaning in check.reasons.items():
        assert f"{code}: {' '.join(meaning.split())}" in flat
    for param in check.params:
        assert f"{param.name} = " in out
    if check.id.split(".")[0] != "data" and check.source:
        assert "What the inspection report says" in out
    for number in paragraph_numbers(check.source and check.seed):
        # the report's own words, wrapped
        assert " ".join(PARAGRAPHS[number].split()[:12]) in flat
    for table in check.needs:
        assert f"{table}:" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_every_catalog_check_quotes_the_report():
    from sqs_hmip import all_checks

    missing = [c.id for c in all_checks() if c.area != "data" and not c.source]
    assert missing == []


def test_explain_copied_assessment_in_full():
    out = invoke("explain", "reoffending.copied_assessment").output
    assert "Report:    paragraphs 1.1, 1.2" in out
    assert "What the inspection report says" in out
    assert "In six cases, the assessment was largely a copy of a previous assessment" in " ".join(
        out.split()
    )
    assert "threshold = 0.8 (number)" in out
    assert "kinds = reoffending, rosh, vulnerability (list)" in out
    assert "min_words = 20 (whole number)" in out
    assert "``" not in out  # docstring markup is not shown


def test_explain_check_with_dependencies_names_them():
    out = invoke("explain", "oversight.ineffective_sign_off").output
    assert "Report:    the operational management section" in out
    assert "practice managers had signed off insufficient assessments and plans" in " ".join(
        out.split()
    )
    assert "reoffending.copied_assessment" in out and "(they run first)" in out


def test_explain_with_a_suite_shows_its_values():
    out = invoke("explain", "reoffending.court_report", "--suite", "sqs-2013").output
    assert "Severity:  medium (in suite sqs-2013)" in out
    assert "Parameters (values in suite sqs-2013)" in out
    assert "max_age = 3 (months)" in out


def test_explain_unknown_check_is_one_sentence_and_exit_2():
    result = CliRunner().invoke(cli, ["explain", "public.mapa"])
    assert result.exit_code == 2
    assert "There is no check 'public.mapa'. Did you mean public.mappa?" in result.output
    assert "Traceback" not in result.output


def test_checks_in_the_inspection_suite():
    result = invoke("checks", "--suite", "sqs-2013")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Checks in suite sqs-2013" in out
    assert "started between 6 months and 28 days before the as-of date" in out
    for check_id in catalog_ids():
        assert check_id in out
    assert f"{len(catalog_ids())} checks." in out
    row = next(line for line in out.splitlines() if "reoffending.copied_assessment" in line)
    assert "medium" in row and "1.1, 1.2" in row


def test_checks_unknown_suite_is_one_sentence_and_exit_2():
    result = CliRunner().invoke(cli, ["checks", "--suite", "nope"])
    assert result.exit_code == 2
    assert "There is no suite called 'nope'" in result.output
    assert "Traceback" not in result.output
