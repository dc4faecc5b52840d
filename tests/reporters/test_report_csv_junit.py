"""findings.csv and junit.xml: complete, ordered, formula-safe, well-formed."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

from report_helpers import FORMULA_MANAGER, hostile_result, write_all

from sqs_checks.reporters.csv_reporter import COLUMNS


def read_csv(path):
    """The CSV's rows as dicts."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_has_every_finding_in_the_order_of_what_to_do(demo_run, tmp_path):
    """One row per finding with what to do: act now first, then record the reason, by due date."""
    path = write_all(demo_run, tmp_path, ("csv",))["csv"]
    assert path.read_bytes()[:3] != b"\xef\xbb\xbf"
    rows = read_csv(path)
    findings = demo_run.findings()
    assert list(rows[0]) == list(COLUMNS)
    key = ("check_id", "case_id", "reason", "record_id")
    assert sorted(tuple(r[k] for k in key) for r in rows) == sorted(
        tuple(f[k] for k in key) for f in findings
    )
    assert all(r["what_to_do"] for r in rows)
    actions = [r["action"] for r in rows]
    assert set(actions) == {"act_now", "record_reason"}
    assert actions == sorted(actions)  # act_now before record_reason
    for action in ("act_now", "record_reason"):
        dates = [r["due_date"] for r in rows if r["action"] == action]
        dated = [d for d in dates if d]
        assert dated == sorted(dated)
        assert dates == dated + [""] * (len(dates) - len(dated))  # undated last
    due = {
        (f["check_id"], f["case_id"], f["reason"], f["record_id"]): f["due_date"] for f in findings
    }
    for r in rows:
        expected = due[tuple(r[k] for k in key)]
        assert r["due_date"] == (expected.isoformat() if expected else "")


def test_csv_values_cannot_become_formulas(hostile_export, tmp_path):
    """= + - @ at the start of a value gets an apostrophe."""
    rows = read_csv(write_all(hostile_result(hostile_export), tmp_path, ("csv",))["csv"])
    managers = {r["case_manager"] for r in rows}
    assert "'" + FORMULA_MANAGER in managers
    assert FORMULA_MANAGER not in managers
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value


def test_junit_one_testcase_per_check_with_flagged_cases(demo_run, tmp_path):
    """Failures list the flagged cases; counts add up."""
    root = ET.parse(write_all(demo_run, tmp_path, ("junit",))["junit"]).getroot()
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [r.check.id for r in demo_run.checks]
    findings = demo_run.findings()
    for case in cases:
        flagged = {f["case_id"] for f in findings if f["check_id"] == case.get("name")}
        failure = case.find("failure")
        if flagged:
            assert failure is not None
            for case_id in flagged:
                assert f"{case_id} (" in failure.text
        else:
            assert failure is None
    assert int(root.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
    assert int(root.get("tests")) == len(cases)


def test_junit_reports_skipped_checks_and_escapes(hostile_export, tmp_path):
    """A skipped check is <skipped> with its reason; markup in messages stays text."""
    result = hostile_result(hostile_export)
    path = write_all(result, tmp_path, ("junit",))["junit"]
    root = ET.parse(path).getroot()
    skipped = {c.get("name"): c.find("skipped") for c in root.iter("testcase")}
    expected = {r.check.id: r.reason for r in result.checks if r.status == "skipped"}
    assert expected
    for check_id, reason in expected.items():
        assert skipped[check_id].get("message") == reason
    quoted = next(c for c in root.iter("testcase") if c.get("name") == "data.narrative_quoted")
    assert "<script>window.__pwned" in quoted.find("failure").text
    assert "<script>" not in path.read_text(encoding="utf-8")
