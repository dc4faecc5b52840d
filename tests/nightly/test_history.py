"""History store: three nights, identical exports, migrations (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from nightly_helpers import cli

from sqs_checks.history import HistoryStore
from sqs_checks.testing import make_export

START = "2013-01-07"


def _export(folder: Path, *, c1_fixed: bool = False, with_c3: bool = False) -> Path:
    """C1 has no initial assessment (until fixed), C2 is fine, C3 (optional) has none."""
    shutil.rmtree(folder, ignore_errors=True)
    cases = [
        {"case_id": "C1", "start_date": START, "case_manager": "Alex Smith"},
        {"case_id": "C2", "start_date": START, "case_manager": "Sam Jones"},
    ]
    assessments = [
        {"case_id": "C2", "kind": "reoffending", "stage": "initial", "completed_date": "2013-01-21"}
    ]
    if with_c3:
        cases.append({"case_id": "C3", "start_date": START, "case_manager": "Sam Jones"})
    if c1_fixed:
        assessments.append(
            {
                "case_id": "C1",
                "kind": "reoffending",
                "stage": "initial",
                "completed_date": "2013-01-20",
            }
        )
    return make_export(folder, {"cases": cases, "assessments": assessments})


def _run(workspace: Path, as_of: str) -> None:
    result = cli(["run", "--as-of", as_of, "-q"], cwd=workspace)
    assert result.exit_code == 0, result.output


def _diff(workspace: Path, *ids: str) -> dict:
    result = cli(["diff", *ids, "--format", "json"], cwd=workspace)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _initial(row: dict) -> bool:
    """Whether a diff row is a finding of reoffending.initial_assessment (the planted defect)."""
    return row["check_id"] == "reoffending.initial_assessment"


def _keys(rows: list[dict]) -> set[tuple[str, str, str]]:
    return {
        (r["check_id"], r["case_id"], r["reason"])
        for r in rows
        if r["check_id"] == "reoffending.initial_assessment"
    }


def test_three_nights_new_persisting_resolved(workspace: Path) -> None:
    """A defect appears, persists and is fixed; another appears the second night."""
    export = workspace / "exports" / "latest"
    _export(export)
    _run(workspace, "2013-03-18")
    _export(export, with_c3=True)
    _run(workspace, "2013-03-19")
    night2 = _diff(workspace)
    assert _keys(night2["new"]) == {("reoffending.initial_assessment", "C3", "missing")}
    persisting = [r for r in night2["persisting"] if r["case_id"] == "C1" and _initial(r)]
    assert [(r["first_seen"], r["nights_open"]) for r in persisting] == [("2013-03-18", 1)]
    assert night2["resolved"] == []

    _export(export, c1_fixed=True, with_c3=True)
    _run(workspace, "2013-03-20")
    night3 = _diff(workspace)
    assert _keys(night3["resolved"]) == {("reoffending.initial_assessment", "C1", "missing")}
    assert _keys(night3["new"]) == set()
    c3 = [r for r in night3["persisting"] if r["case_id"] == "C3" and _initial(r)]
    assert [(r["first_seen"], r["nights_open"]) for r in c3] == [("2013-03-19", 1)]

    # Explicit pair: night 1 against night 3.
    first_vs_last = _diff(workspace, "1", "3")
    assert _keys(first_vs_last["new"]) == {("reoffending.initial_assessment", "C3", "missing")}
    assert _keys(first_vs_last["resolved"]) == {("reoffending.initial_assessment", "C1", "missing")}

    listing = cli(["history"], cwd=workspace)
    assert listing.exit_code == 0
    lines = [line for line in listing.output.splitlines() if line.strip()[:1].isdigit()]
    assert [line.split()[1] for line in lines] == ["20/03/2013", "19/03/2013", "18/03/2013"]
    runs = json.loads(cli(["history", "--format", "json"], cwd=workspace).output)
    assert [(r["new"], r["persisting"], r["resolved"]) for r in runs][0][2] >= 1
    series = json.loads(
        cli(
            ["history", "--check", "reoffending.initial_assessment", "--format", "json"],
            cwd=workspace,
        ).output
    )
    assert [(s["as_of"], s["relevant"], s["flagged"]) for s in series] == [
        ("2013-03-18", 2, 1),
        ("2013-03-19", 3, 2),
        ("2013-03-20", 3, 1),
    ]
    text = cli(["diff"], cwd=workspace).output
    assert "Resolved:" in text and "case C1" in text and "since 19/03/2013, 1 night open" in text
    typo = cli(["history", "--check", "reoffending.initial_assesment"], cwd=workspace)
    assert typo.exit_code == 2
    assert "Did you mean reoffending.initial_assessment" in typo.output.replace("did", "Did")
    off = cli(["history", "--check", "sentence.compliance"], cwd=workspace)  # plugin not on
    assert off.exit_code == 2 and "There is no check 'sentence.compliance'" in off.output


def test_identical_export_flags_nothing_new(workspace: Path) -> None:
    """Same fingerprint: recorded, nothing new; on a fresh export the held finding is new."""
    export = workspace / "exports" / "latest"
    # C1's deadline (15 working days after 07/01/2013) is 28/01/2013: clean on 25/01.
    _export(export, with_c3=False)
    (export / "assessments.csv").write_text(
        "assessment_id,case_id,kind,stage,completed_date,author\n"
        "A1,C2,reoffending,initial,2013-01-21,Sam Jones\n",
        encoding="utf-8",
    )
    _run(workspace, "2013-01-25")
    _run(workspace, "2013-01-30")  # same export: C1 now missing, but held, not new
    night2 = _diff(workspace)
    assert _keys(night2["new"]) == set()
    assert _keys(night2["held"]) == {("reoffending.initial_assessment", "C1", "missing")}
    runs = json.loads(cli(["history", "--format", "json"], cwd=workspace).output)
    assert runs[0]["same_export"] is True and runs[0]["new"] == 0 and runs[0]["held"] >= 1
    assert "identical" in cli(["diff"], cwd=workspace).output

    _export(export, with_c3=False)  # a fresh export (C2's author differs): C1 now new
    _run(workspace, "2013-01-31")
    night3 = _diff(workspace)
    assert _keys(night3["new"]) == {("reoffending.initial_assessment", "C1", "missing")}
    assert [r["first_seen"] for r in night3["new"] if r["case_id"] == "C1" and _initial(r)] == [
        "2013-01-31"
    ]


def test_since_last_run_is_on_the_result(workspace: Path) -> None:
    """``result.history`` (for the HTML report) says what changed and carries the trends."""
    from sqs_checks.pipeline import RunSettings, notify_finished, run_pipeline
    from sqs_checks.workspace import settings_from_workspace

    export = workspace / "exports" / "latest"
    _export(export)
    _run(workspace, "2013-03-18")
    _export(export, c1_fixed=True, with_c3=True)
    values = settings_from_workspace(workspace / "sqs-checks.toml", {})
    extra = {k: values.pop(k) for k in list(values) if k not in RunSettings.__dataclass_fields__}
    settings = RunSettings(**values, as_of=dt.date(2013, 3, 19))
    settings.extra.update(extra)
    result = run_pipeline(settings)
    history = result.history
    assert history["previous_run"]["as_of"] == dt.date(2013, 3, 18)
    assert history["same_export"] is False
    assert history["counts"]["new"] >= 1 and history["counts"]["resolved"] >= 1
    assert _keys(history["new"]) == {("reoffending.initial_assessment", "C3", "missing")}
    assert _keys(history["resolved"]) == {("reoffending.initial_assessment", "C1", "missing")}
    points = history["trend"]["areas"]["reoffending"]
    assert [p["as_of"] for p in points] == [dt.date(2013, 3, 18), dt.date(2013, 3, 19)]
    assert points[-1]["run_id"] is None
    check_points = history["trend"]["checks"]["reoffending.initial_assessment"]
    assert [(p["relevant"], p["flagged"], p["percent"]) for p in check_points] == [
        (2, 1, 50),
        (3, 1, 67),
    ]
    assert notify_finished(result, settings) == []
    assert result.history_run_id == 2


def test_upgrade_keeps_history(history_url: str) -> None:
    """A database at the first schema revision is upgraded without losing a run."""
    import sqlalchemy as sa

    old = HistoryStore(history_url, upgrade=False)
    old.upgrade("0001")
    assert old.revision() == "0001"
    with old.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO history_runs (recorded_at, started_at, as_of, scope, suite, export, "
                "export_sha256, tool_version, cases_in_scope, findings, flagged_cases, new, "
                "persisting, resolved, held, previous_run_id, same_export) VALUES "
                "('2013-03-18 02:00:00', '2013-03-18 02:00:00', '2013-03-18', 'open-cases', "
                "'open-cases', 'x', 'abc', '0.0.1', 10, 1, 1, 1, 0, 0, 0, NULL, false)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO history_checks VALUES (1, 'reoffending.initial_assessment', "
                "'reoffending', 'high', 'ran', 4, 1)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO history_findings VALUES (1, 'reoffending.initial_assessment', 'C1', "
                "'missing', 'cases', 'C1', 'high', 'Alex Smith', 'North', 'new', '2013-03-18', 1)"
            )
        )
    old.close()
    store = HistoryStore(history_url)
    try:
        assert store.revision() == "0002"
        assert [r["as_of"] for r in store.runs()] == [dt.date(2013, 3, 18)]
        assert [(f["case_id"], f["first_seen"]) for f in store.findings(1)] == [
            ("C1", dt.date(2013, 3, 18))
        ]
        assert [(a["area"], a["relevant"], a["flagged"]) for a in store.area_series()] == [
            ("reoffending", 4, 1)
        ]
    finally:
        store.close()


def test_newer_database_is_refused(tmp_path: Path) -> None:
    """A history written by a newer sqs-checks is not touched."""
    import sqlalchemy as sa

    from sqs_checks.errors import UserError

    url = f"sqlite:///{tmp_path / 'h.sqlite'}"
    HistoryStore(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE history_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(UserError, match="newer sqs-checks"):
        HistoryStore(url)


def test_commands_outside_a_workspace(tmp_path: Path) -> None:
    """history/diff outside a workspace: one sentence, exit 2."""
    result = cli(["history"], cwd=tmp_path)
    assert result.exit_code == 2
    assert "No workspace here" in result.output and "Traceback" not in result.output
    empty = cli(["diff", "--history-url", f"sqlite:///{tmp_path / 'h.sqlite'}"], cwd=tmp_path)
    assert empty.exit_code == 2 and "history is empty" in empty.output
