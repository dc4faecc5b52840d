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

    from sqs_checks.commands.catalog import in_words

    check = next(c for c in installed_checks() if c.id == check_id)
    result = invoke("explain", check_id)
    assert result.exit_code == 0, result.output
    out = result.output
    flat = " ".join(out.split())
    assert out.startswith(f"{check.id}\n  {check.title}\n")
    assert f"Severity:  {check.severity}" in out
    relevance = in_words(check.relevance, check.defaults)
    assert "Relevant when" in out and " ".join(relevance.split()) in flat
    for code, meaning in check.reasons.items():
        assert f"{code}: {' '.join(in_words(meaning, check.defaults).split())}" in flat
    for sql in ("wd_add", "wd_sub", "add_months", "SPEC", "$"):
        assert sql not in out, sql  # rules in words, never in SQL
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
    assert "Report:    report ¶1.1, ¶1.2" in out
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
    assert "Report:    report: operational management" in out
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
    assert "medium" in row and "report ¶1.1, ¶1.2" in row


def test_checks_unknown_suite_is_one_sentence_and_exit_2():
    result = CliRunner().invoke(cli, ["checks", "--suite", "nope"])
    assert result.exit_code == 2
    assert "There is no suite called 'nope'" in result.output
    assert "Traceback" not in result.output


def test_explain_states_deadlines_in_words():
    """Deadlines read as a person says them, with the parameters' values."""
    flat = " ".join(invoke("explain", "reoffending.initial_assessment").output.split())
    assert "15 working days after the start of the order (20 for a referral order)" in flat
    release = " ".join(invoke("explain", "public.release_plan").output.split())
    assert "10 working days before the release date" in release
    review = " ".join(invoke("explain", "public.rosh_review").output.split())
    assert "more than 3 months after the one before it" in review
    assert "10 working days after the event" in review
    suite = " ".join(
        invoke("explain", "reoffending.court_report", "--suite", "sqs-2013").output.split()
    )
    assert "older than 3 months at submission" in suite


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("reoffending.initial_assesment", "reoffending.initial_assessment"),
        ("initial_assessment", "reoffending.initial_assessment"),
        ("oversight.signoff", "oversight.sign_off"),
    ],
)
def test_explain_suggests_the_nearest_id(typo, meant):
    result = CliRunner().invoke(cli, ["explain", typo])
    assert result.exit_code == 2
    assert f"There is no check {typo!r}. Did you mean {meant}" in result.output


def test_catalog_commands_read_the_workspace(tmp_path, monkeypatch):
    """In a workspace, checks and explain see its plugins folder and its optional plugins."""
    from sqs_checks.workspace import init_workspace

    init_workspace(tmp_path)
    (tmp_path / "plugins" / "my_rule.sql").write_text(
        "/*\nid: local.my_rule\ntitle: My rule\narea: sentence\n*/\n"
        "SELECT case_id FROM scope_cases",
        encoding="utf-8",
    )
    config = tmp_path / "sqs-checks.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("plugins = []", 'plugins = ["sqs_contacts"]'),
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    out = invoke("checks").output
    assert "local.my_rule" in out and "sentence.compliance" in out
    assert invoke("explain", "local.my_rule").output.startswith("local.my_rule\n")
    outside = tmp_path.parent
    monkeypatch.chdir(outside)
    assert "local.my_rule" not in invoke("checks").output
    assert "local.my_rule" in invoke("checks", "--config", str(config)).output


def test_optional_plugins_are_off_until_switched_on():
    """sqs_contacts is installed but off: no contacts check in a default run's catalog."""
    assert "sentence.compliance" not in catalog_ids()
    on = invoke("checks", "--plugins", "sqs_contacts").output
    assert "sentence.compliance" in on
    listing = invoke("plugins").output
    assert "Optional, not switched on (use --plugins NAME): sqs_contacts" in listing
    bad = CliRunner().invoke(cli, ["checks", "--plugins", "no_such_plugin"])
    assert bad.exit_code == 2 and "There is no plugin called 'no_such_plugin'" in bad.output
