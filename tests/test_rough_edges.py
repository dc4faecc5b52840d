"""The rough edges of issue-level use: the command line, file permissions, words not code."""

from __future__ import annotations

import datetime as dt
import io
import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from sqs_checks.cli import cli
from sqs_checks.reporters.common import (
    ACT_NOW,
    RECORD_REASON,
    ReportData,
    action,
    evidence_text,
    report_reference,
)
from sqs_checks.testing import make_export, run_export

AS_OF = "2013-03-18"


def run_cli(*args: str, cwd: Path | None = None):
    """The command line in process, optionally from ``cwd``."""
    import os

    before = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(before)


@pytest.fixture
def small_export(tmp_path) -> Path:
    """Two case managers' cases, one with a bad row, one missing its initial assessment."""
    return make_export(
        tmp_path / "export",
        {
            "cases": [
                {"case_id": "C1", "start_date": "2013-01-07", "case_manager": "Sam Lee"},
                {"case_id": "C2", "start_date": "2013-01-07", "case_manager": "Jo Bloggs"},
            ],
            "assessments": [
                {
                    "case_id": "C2",
                    "kind": "reoffending",
                    "stage": "initial",
                    "completed_date": "31/02/2013",
                },
                {"case_id": "C9", "kind": "rosh", "stage": "initial", "completed_date": AS_OF},
            ],
        },
    )


def test_run_without_an_export_outside_a_workspace_is_exit_2(tmp_path):
    """Never a silent run on demo data: one sentence naming the fix, and no report."""
    result = run_cli("run", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 2
    assert "give an export, or try `sqs-checks demo DIR`" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_demo_refuses_to_overwrite_an_export_without_force(tmp_path):
    """A fresh folder is fine; one holding an export needs --force."""
    target = tmp_path / "demo-export"
    first = run_cli("demo", str(target), "--cases", "5", "--as-of", AS_OF)
    assert first.exit_code == 0, first.output
    (target / "cases.csv").write_text("changed", encoding="utf-8")
    again = run_cli("demo", str(target), "--cases", "5", "--as-of", AS_OF)
    assert again.exit_code == 2
    assert "already holds an export (cases.csv)" in again.output and "--force" in again.output
    assert (target / "cases.csv").read_text(encoding="utf-8") == "changed"
    forced = run_cli("demo", str(target), "--cases", "5", "--as-of", AS_OF, "--force")
    assert forced.exit_code == 0
    assert (target / "cases.csv").read_text(encoding="utf-8") != "changed"


def test_reports_are_group_readable_by_default(small_export, tmp_path):
    """0640 for every format, whatever the umask; a workspace may say 0600."""
    import os

    out = tmp_path / "out"
    old = os.umask(0o077)
    try:
        result = run_cli(
            "run",
            str(small_export),
            "--as-of",
            AS_OF,
            "-o",
            str(out),
            "-q",
            *[a for f in ("json", "html", "xlsx", "csv", "junit") for a in ("--format", f)],
        )
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert len(modes) == 5 and set(modes.values()) == {0o640}, modes


def test_workspace_report_mode(small_export, tmp_path):
    """[run] report_mode = "0600" keeps reports to their owner; a bad mode is one sentence."""
    from sqs_checks.workspace import init_workspace

    ws = tmp_path / "ws"
    init_workspace(ws)
    config = ws / "sqs-checks.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('path = ""', f'path = "{small_export}"', 1)
    config.write_text(text.replace('report_mode = "0640"', 'report_mode = "0600"'), "utf-8")
    result = run_cli("run", "--as-of", AS_OF, "-q", cwd=ws)
    assert result.exit_code == 0, result.output
    modes = {stat.S_IMODE(p.stat().st_mode) for p in (ws / "reports").iterdir() if p.is_file()}
    assert modes == {0o600}
    config.write_text(text.replace('report_mode = "0640"', 'report_mode = "0666"'), "utf-8")
    bad = run_cli("run", "--as-of", AS_OF, "-q", cwd=ws)
    assert bad.exit_code == 2 and "run.report_mode = '0666' is not allowed" in bad.output


def test_filtered_reports_list_only_their_cases_input_problems(small_export):
    """Sam Lee's self-check lists no problem of Jo Bloggs's case, nor an orphan row."""
    everyone = run_export(small_export, as_of=AS_OF)
    assert len(everyone.input_problems()) == 2  # C2's bad date and the orphan C9 row
    everyone.apply_filters(case_manager="Jo Bloggs")
    assert [p["value"] for p in everyone.input_problems()] == ["31/02/2013"]
    everyone.apply_filters(case_manager="Sam Lee")
    assert everyone.input_problems() == []
    header = ReportData(everyone).header()
    assert header["input_problems"] == []


def test_evidence_reads_as_words():
    """Booleans as yes/no, lists joined, dates DD/MM/YYYY, nothing as "none"."""
    text = evidence_text(
        {
            "has_contingency": False,
            "checks": ["public.rosh_assessment", "reoffending.copied_assessment"],
            "deadline": "2013-01-28",
            "signed_off_by": None,
            "level": "high",
        }
    )
    assert text == (
        "has contingency: no; checks: public.rosh_assessment, reoffending.copied_assessment; "
        "deadline: 28/01/2013; signed off by: none; level: high"
    )


def test_report_references_read_the_same_everywhere():
    assert report_reference("1.1") == "report ¶1.1"
    assert report_reference("1.1, 1.2") == "report ¶1.1, ¶1.2"
    assert report_reference("mgmt") == "report: operational management"
    assert report_reference("-") == ""
    assert report_reference("local") == "source: local"


def test_act_now_or_record_the_reason():
    """Still fixable: act now; history: record the reason; a check may say otherwise."""
    from sqs_checks.checks import Check

    plain = Check(id="local.x", title="X", area="sentence", seed="", severity="low")
    assert action(plain, "missing") == ACT_NOW
    assert action(plain, "overdue") == ACT_NOW
    assert action(plain, "late") == RECORD_REASON
    assert action(plain, "old_assessment") == RECORD_REASON
    assert action(plain, "something_new") == ACT_NOW
    own = plain.with_changes(actions={"something_new": RECORD_REASON, "late": ACT_NOW})
    assert action(own, "something_new") == RECORD_REASON
    assert action(own, "late") == ACT_NOW


def test_a_check_may_list_its_own_due_soon_items(tmp_path):
    """Check.due_soon answered by the check itself, kept to the window and its cases."""
    from sqs_checks.checks import CheckOutput, SqlCheck
    from sqs_checks.hookspecs import hookimpl

    class OwnDue(SqlCheck):
        def due_soon(self, ctx):
            return (
                "SELECT case_id, $due_until AS due_date, 'Home visit' AS what FROM scope_cases "
                "UNION ALL SELECT case_id, $due_until + 1, 'Too late to list' FROM scope_cases"
            )

        def evaluate(self, ctx):
            return CheckOutput(relevant="SELECT case_id FROM scope_cases", findings=[])

    check = OwnDue(id="local.visits", title="Visits", area="sentence", seed="", severity="low")

    class Plugin:
        @hookimpl
        def sqs_checks_checks(self):
            return [check]

    export = make_export(tmp_path, {"cases": [{"case_id": "C1", "start_date": "2013-01-07"}]})
    result = run_export(
        export, as_of=AS_OF, checks=["local.visits"], plugins=[Plugin()], due_within=2
    )
    (item,) = result.due_soon()
    assert (item["what"], item["due_date"], item["working_days"]) == (
        "Home visit",
        dt.date(2013, 3, 20),
        2,
    )


def test_terminal_at_80_columns_shows_ids_and_ends_with_the_flagged_cases(small_export):
    """Each check by its id within 80 columns; the last lines name the flagged cases."""
    from rich.console import Console

    from sqs_checks.reporters.terminal import print_summary

    result = run_export(small_export, as_of=AS_OF)
    console = Console(file=io.StringIO(), width=80, color_system=None, force_terminal=False)
    print_summary(result, console=console)
    out = console.file.getvalue()
    lines = out.rstrip().splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "reoffending.initial_assessment" in out and "oversight.sign_off" in out
    tail = lines[-3:]
    assert "flagged case" in tail[0]
    assert any(line.startswith("FLAGGED C1 ") for line in tail)
    assert "0 of " not in out.split("Data quality")[-1].split("\n")[0]  # a count, never "0 of"


def test_self_check_terminal_opens_with_the_cases_to_act_on(small_export):
    from rich.console import Console

    from sqs_checks.reporters.terminal import print_summary

    result = run_export(small_export, as_of=AS_OF)
    result.apply_filters(case_manager="Sam Lee")
    console = Console(file=io.StringIO(), width=80, color_system=None, force_terminal=False)
    print_summary(result, console=console)
    out = console.file.getvalue()
    assert out.index("Cases to act on: case manager Sam Lee") < out.index("sqs-checks open-cases")
    assert "C1 was due" in out


def test_digests_list_what_falls_due(tmp_path):
    """A case manager with nothing flagged still hears what falls due soon."""
    from sqs_checks.notify.addresses import Person
    from sqs_checks.notify.digest import build_digests

    start = "2013-02-25"  # its initial assessment is due 18/03/2013 + a few working days
    export = make_export(
        tmp_path,
        {
            "cases": [{"case_id": "C1", "start_date": start, "case_manager": "Sam Lee"}],
            "assessments": [],
        },
    )
    result = run_export(export, as_of=AS_OF, checks=["reoffending.initial_assessment"])
    assert result.due_soon()
    people = [Person(name="Sam Lee", email="sam@example.invalid")]
    (digest,) = build_digests(result, people, {"max_listed": 10})
    text = digest.message.get_body(("plain",)).get_content()
    assert "Due soon (the next 10 working days" in text
    assert "Case C1: Initial assessment of the likelihood of reoffending due by" in text
    assert "due soon" in digest.message["Subject"]
    html = digest.message.get_body(("html",)).get_content()
    assert "<h2>Due soon</h2>" in html


def test_findings_json_carries_due_dates_and_actions(small_export, tmp_path):
    out = tmp_path / "out"
    result = run_cli("run", str(small_export), "--as-of", AS_OF, "-o", str(out), "-q")
    assert result.exit_code == 0, result.output
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    missing = [f for f in data["findings"] if f["reason"] == "missing"]
    assert missing and all(f["due_date"] and f["action"] == "act_now" for f in missing)
    assert isinstance(data["due_soon"], list)
