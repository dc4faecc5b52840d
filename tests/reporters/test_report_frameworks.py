"""A suite with its own headings, in every format: the demo export scored by ``hmip-youth``.

Each format must group the scorecard by the suite's headings, in the
standards' order, with the same "X of Y relevant cases" figures as
``findings.json``; the figures themselves are recomputed here from the
findings and the export's cases, independently of the scorecard's SQL.
"""

from __future__ import annotations

import csv
import fnmatch
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from report_helpers import AS_OF, stabilise, write_all

from sqs_checks.testing import run_export

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and Path("/usr/bin/chromium").exists():
    CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def hmip_run(demo_export) -> Any:
    """The demo export run with the hmip-youth suite."""
    return stabilise(run_export(demo_export, as_of=AS_OF, suite="hmip-youth"))


@pytest.fixture(scope="module")
def outputs(hmip_run, tmp_path_factory) -> dict[str, Path]:
    """findings.json, report.html and report.xlsx of that run."""
    return write_all(hmip_run, tmp_path_factory.mktemp("hmip"), ("json", "html", "xlsx"))


@pytest.fixture(scope="module")
def data(outputs) -> dict[str, Any]:
    """findings.json as read back."""
    return json.loads(outputs["json"].read_text(encoding="utf-8"))


def test_findings_json_groups_by_the_suites_headings(hmip_run, data):
    framework = hmip_run.suite.framework
    headings = data["scorecard"]["headings"]
    assert [h["id"] for h in headings] == [h.id for h, _ in framework.ordered()]
    assert [h["id"] for h in headings if h["depth"] == 0] == ["1", "2", "3", "4"]
    selected = {c.id: c for c in hmip_run.suite.select(_catalog())}
    for entry in data["checks"]:
        assert entry["headings"] == framework.heading_ids(selected[entry["id"]])
    listed = {(h["id"], c["id"]) for h in headings for c in h["checks"]}
    expected = {(h, c["id"]) for c in data["checks"] for h in c["headings"]}
    assert listed == expected
    assert data["scorecard"]["framework"]["outside"] == [
        {
            "id": check_id,
            "reason": "describes the export, not the work - counted, never scored",
        }
        for check_id in ("data.record_excluded", "data.value_dropped")
    ]


def _catalog() -> list:
    from sqs_checks.pipeline import catalog
    from sqs_checks.plugins import get_plugin_manager

    return catalog(get_plugin_manager((), ("sqs_contacts",)))  # hmip-youth switches it on


def test_heading_flags_are_the_cases_their_checks_flag(hmip_run, data, demo_export):
    """Recount each heading's flagged cases from the findings and the export's disposals."""
    with open(demo_export / "cases.csv", encoding="utf-8-sig", newline="") as f:
        disposal = {r["case_id"]: r["disposal_type"].strip() for r in csv.DictReader(f)}
    framework = hmip_run.suite.framework
    for heading in data["scorecard"]["headings"]:
        subtree = framework.subtree(heading["id"])
        flagged = set()
        for finding in data["findings"]:
            for inner in subtree:
                rules = {
                    key: mapping
                    for key, mapping in framework.checks.items()
                    if fnmatch.fnmatchcase(finding["check_id"], key)
                }
                for mapping in rules.values():
                    named = {r for r in mapping if r not in (None, "*")}
                    for reason, ids in mapping.items():
                        counts = (
                            reason is None
                            or reason == finding["reason"]
                            or (reason == "*" and finding["reason"] not in named)
                        )
                        allowed = framework.disposals_of(inner)
                        in_scope = allowed is None or disposal[finding["case_id"]] in allowed
                        if inner in ids and counts and in_scope:
                            flagged.add(finding["case_id"])
        assert heading["flagged"] == len(flagged), heading["id"]
        assert heading["met"] == heading["relevant"] - heading["flagged"]
    court = next(h for h in data["scorecard"]["headings"] if h["id"] == "2")
    ooc = next(h for h in data["scorecard"]["headings"] if h["id"] == "3")
    assert court["relevant"] > 0 and ooc["relevant"] > 0  # the demo has both kinds of case


def test_terminal_lists_headings_in_order(hmip_run, data):
    import io

    from rich.console import Console

    from sqs_checks.reporters.terminal import print_summary

    console = Console(file=io.StringIO(), width=200, color_system=None, force_terminal=False)
    print_summary(hmip_run, console=console)
    text = console.file.getvalue()
    positions = [text.index(h["title"]) for h in data["scorecard"]["headings"] if h["depth"] < 2]
    assert positions == sorted(positions)
    rosh = next(h for h in data["scorecard"]["headings"] if h["id"] == "2.1.rosh")
    line = next(ln for ln in text.splitlines() if rosh["title"] in ln)
    assert f"{rosh['met']} of {rosh['relevant']}" in line
    assert text.index("Domain four: resettlement") < text.index("Data quality")


def test_workbook_summary_groups_by_heading(outputs, data):
    import openpyxl

    sheet = openpyxl.load_workbook(outputs["xlsx"])["Summary"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    start = next(
        i for i, r in enumerate(rows) if str(r[0] or "").startswith("Scorecard by heading")
    )
    end = next(i for i, r in enumerate(rows) if r[0] == "Scorecard by check")
    section = rows[start:end]
    ids = {h["id"] for h in data["scorecard"]["headings"]}
    heading_rows = [r for r in section if r[2] in ids]
    assert [r[2] for r in heading_rows] == [h["id"] for h in data["scorecard"]["headings"]]
    for row, heading in zip(heading_rows, data["scorecard"]["headings"], strict=True):
        assert row[0] == "  " * heading["depth"] + heading["title"]
        assert row[3:6] == [heading["relevant"], heading["met"], heading["flagged"]]
        if heading["relevant"]:
            assert row[1] == heading["text"]
            assert abs(row[6] - heading["met"] / heading["relevant"]) < 1e-9
    mappa_rows = [r for r in section if r[2] == "public.mappa"]
    assert len(mappa_rows) == 2 and "counts here for not_referred" in mappa_rows[1][1]


@pytest.mark.skipif(CHROMIUM is None, reason="BROWSER TESTS SKIPPED: chromium is not installed")
def test_html_shows_the_headings_nested_in_the_standards_order(outputs, data):
    from playwright.sync_api import sync_playwright

    url = outputs["html"].resolve().as_uri()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
            page.goto(url)
            shown = page.eval_on_selector_all(
                "#scorecard [data-heading]",
                "els => els.map(e => [e.dataset.heading, e.tagName, e.textContent,"
                " e.getBoundingClientRect().left, e.checkVisibility()])",
            )
            rows = page.eval_on_selector_all(
                "#scorecard [data-heading='2.2.rosh'] ~ table.score tr[data-check]",
                "els => els.slice(0, 3).map(e => e.dataset.check)",
            )
        finally:
            browser.close()
    headings = data["scorecard"]["headings"]
    assert [s[0] for s in shown] == [h["id"] for h in headings]
    assert [s[1] for s in shown] == [f"H{3 + h['depth']}" for h in headings]
    assert [s[2] for s in shown] == [h["title"] for h in headings]
    assert all(s[4] for s in shown) and not errors
    left = {h["depth"]: s[3] for s, h in zip(shown, headings, strict=True)}
    assert left[0] < left[1] < left[2]  # nested: each level further in
    assert rows == ["public.risk_management_plan", "public.victims", "public.mappa"]
