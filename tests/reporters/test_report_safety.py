"""Escaping, atomic writes, self-check filters and the HTML cap, without a browser."""

from __future__ import annotations

import json
import re

import pytest
from report_helpers import (
    HOSTILE_MANAGER,
    XSS_IMG,
    XSS_SCRIPT,
    demo_result,
    hostile_result,
    write_all,
)

from sqs_checks.reporters.common import ReportData, advice, defuse_formula
from sqs_checks.reporters.html import render_html

FORMATS = ("json", "html", "xlsx", "csv", "junit")


def test_html_escapes_every_value(hostile_export, tmp_path):
    """Markup from the data appears only escaped; the page loads nothing from outside."""
    html = write_all(hostile_result(hostile_export), tmp_path, ("html",))["html"].read_text(
        encoding="utf-8"
    )
    for hostile in (XSS_SCRIPT, XSS_IMG, HOSTILE_MANAGER, "<b>bold</b>"):
        assert hostile not in html
    assert "&lt;script&gt;window.__pwned" in html
    assert html.count("<script>") == 1
    assert "default-src 'none'" in html
    assert not re.search(r"""(src|href|action)\s*=\s*["']?(https?:|//)""", html)
    assert "url(" not in html and "@import" not in html


def test_a_failed_write_leaves_the_last_good_report(demo_export, tmp_path):
    """A crash while writing never replaces a good report with a half-written one."""
    good = write_all(demo_result(demo_export), tmp_path)
    before = {fmt: p.read_bytes() for fmt, p in good.items()}
    broken = demo_result(demo_export)
    broken.con.execute("DROP TABLE findings")  # the run's findings vanish mid-report
    from sqs_checks.plugins import get_plugin_manager

    reporters = {r.format: r for r in get_plugin_manager(()).collect("sqs_checks_reporters")}
    for fmt in FORMATS:
        with pytest.raises(Exception):  # noqa: B017 - any failure will do
            reporters[fmt].write(broken, tmp_path, {})
        assert good[fmt].read_bytes() == before[fmt], fmt
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in good.values())


def test_case_manager_filter_restricts_every_output(demo_export, tmp_path):
    """--case-manager: only that manager's cases anywhere, and every output says filtered."""
    manager = demo_result(demo_export).findings()[0]["case_manager"]
    result = demo_result(demo_export, case_manager=f"  {manager.lower()} ")
    paths = write_all(result, tmp_path)
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["findings"]
    assert {f["case_manager"] for f in data["findings"]} == {manager}
    assert data["scorecard"]["filtered"] == {"case_manager": f"  {manager.lower()} "}
    html = paths["html"].read_text(encoding="utf-8")
    assert 'id="filtered-banner"' in html
    assert "filtered" in paths["junit"].read_text(encoding="utf-8")
    assert "filtered" not in write_all(demo_result(demo_export), tmp_path / "all", ("html",))[
        "html"
    ].read_text(encoding="utf-8").lower().replace("filtered cases", "")


def test_team_filter(demo_export, tmp_path):
    """--team: the scorecard counts that team's cases only."""
    full = demo_result(demo_export).scorecard()
    team = full["teams"][0]["team"]
    card = demo_result(demo_export, team=team).scorecard()
    assert card["filtered"] == {"team": team}
    assert card["cases"] == full["teams"][0]["cases"]
    assert [t["team"] for t in card["teams"]] == [team]


def test_html_case_list_is_capped_and_says_so(demo_run):
    """Past the cap the list stops at a whole case and says how much it shows."""
    full = render_html(ReportData(demo_run), max_findings=100_000)
    capped = render_html(ReportData(demo_run), max_findings=3)
    assert 'id="capped"' not in full
    assert 'id="capped"' in capped
    assert capped.count('class="case ') < full.count('class="case ')
    assert "report.xlsx and findings.csv list every finding" in capped


def test_advice_and_formula_helpers():
    """Advice by reason (and area); a leading formula character gets an apostrophe."""
    from sqs_checks.checks import Check

    sign_off = Check(id="oversight.x", title="t", area="oversight", seed="", severity="high")
    plain = Check(id="reoffending.x", title="t", area="reoffending", seed="", severity="high")
    assert advice(sign_off, "missing").startswith("Ask a manager")
    assert advice(plain, "missing").startswith("Complete")
    assert advice(plain, "something_new")
    assert defuse_formula("=1+1") == "'=1+1"
    assert defuse_formula("-3") == "'-3"
    assert defuse_formula("plain") == "plain"
