"""Helpers for testing checks: tiny exports from dicts, one check run as of a date.

Example (a pytest test)::

    from sqs_checks.testing import make_export, run_check

    def test_late_initial_assessment(tmp_path):
        export = make_export(tmp_path, {
            "cases": [{"case_id": "C1", "start_date": "2013-01-07"}],
            "assessments": [{"case_id": "C1", "kind": "reoffending", "stage": "initial",
                             "completed_date": "2013-02-01"}],
        })
        result = run_check("reoffending.initial_assessment", export, as_of="2013-03-18")
        assert result.relevant == {"C1"}
        assert result.reasons() == {("C1", "late")}

``make_export`` fills the required columns a test does not care about with
plain defaults (ids, authors, a case manager, ``community`` disposal), writes
real CSV files, and returns the folder. ``run_check`` runs the real pipeline:
reader, contract, quarantine, engine. Installed as a pytest plugin, it also
offers the fixtures ``sqs_export`` and ``sqs_run_check``.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, dict[str, Any]] = {
    "cases": {
        "child_id": lambda row: f"K-{row['case_id']}",
        "case_manager": "Alex Smith",
        "team": "North",
        "disposal_type": "community",
    },
    "assessments": {"author": "Alex Smith"},
    "plans": {"author": "Alex Smith"},
    "court_reports": {"author": "Alex Smith", "kind": "psr"},
    "plan_reviews": {"author": "Alex Smith"},
}
"""Values filled in for required columns a test leaves out."""

ID_COLUMNS = {
    "cases": ("case_id", "C"),
    "assessments": ("assessment_id", "A"),
    "plans": ("plan_id", "P"),
    "plan_reviews": ("review_id", "R"),
    "events": ("event_id", "E"),
    "court_reports": ("report_id", "CR"),
    "offences": ("offence_id", "O"),
    "referrals": ("referral_id", "RF"),
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def make_export(
    folder: str | Path,
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    fill_defaults: bool = True,
) -> Path:
    """Write ``tables`` (name -> rows as dicts) as CSV files into ``folder``.

    Ids left out are numbered (A1, A2, ...); required columns left out get
    :data:`DEFAULTS`. A table given as an empty list is written with its
    header only (so it is present but empty).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        rows = [dict(r) for r in rows]
        if fill_defaults:
            id_col = ID_COLUMNS.get(name)
            counter = itertools.count(1)
            for row in rows:
                if id_col and id_col[0] not in row:
                    row[id_col[0]] = f"{id_col[1]}{next(counter)}"
                for column, default in DEFAULTS.get(name, {}).items():
                    if column not in row:
                        row[column] = default(row) if callable(default) else default
        columns: list[str] = []
        for row in rows:
            for key in row:
                if key not in columns:
                    columns.append(key)
        if not columns:
            columns = _header_of(name)
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_text(row.get(c)) for c in columns])
    return folder


def _header_of(table: str) -> list[str]:
    from sqs_checks.contract import Contract

    return list(Contract()[table].columns)


def load_cases_yaml(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    """Read a YAML case file: a mapping of table name to a list of rows."""
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {str(k): list(v or []) for k, v in data.items()}


@dataclass
class CheckReport:
    """The outcome of :func:`run_check` for one check."""

    check_id: str
    status: str
    reason: str | None
    relevant: set[str]
    findings: list[dict[str, Any]]
    result: Any = field(repr=False, default=None)

    @property
    def flagged(self) -> set[str]:
        """The flagged case ids."""
        return {f["case_id"] for f in self.findings}

    def reasons(self) -> set[tuple[str, str]]:
        """``{(case_id, reason)}`` of the findings."""
        return {(f["case_id"], f["reason"]) for f in self.findings}

    def records(self) -> set[tuple[str, str, str | None]]:
        """``{(case_id, reason, record_id)}`` of the findings."""
        return {(f["case_id"], f["reason"], f["record_id"]) for f in self.findings}


def _date(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def run_export(
    export: str | Path,
    *,
    as_of: str | dt.date,
    suite: str = "open-cases",
    checks: list[str] | None = None,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    plugins_dirs: Iterable[str | Path] = (),
    mapping: str | None = None,
    today: dt.date | None = None,
    scope: str | None = None,
):
    """Run a suite (optionally only some checks) over ``export``; return the RunResult."""
    from sqs_checks.calendar import Calendar
    from sqs_checks.contract import build_contract
    from sqs_checks.engine import run_checks
    from sqs_checks.loading import load_export
    from sqs_checks.mapping import load_profile
    from sqs_checks.pipeline import _run_expectations, catalog
    from sqs_checks.plugins import get_plugin_manager
    from sqs_checks.suites import Scope, load_suite

    as_of = _date(as_of)
    pm = get_plugin_manager(tuple(str(p) for p in plugins_dirs))
    contract = build_contract(pm)
    all_checks = catalog(pm)
    loaded_suite = load_suite(suite, [Path(d) for d in pm.collect("sqs_checks_suite_dirs")])
    if scope:
        loaded_suite.scope = Scope(kind=scope)
    if checks is not None:
        wanted = set(checks)
        by_id = {c.id: c for c in all_checks}
        stack = list(wanted)
        while stack:
            for dep in by_id[stack.pop()].depends_on:
                if dep not in wanted:
                    wanted.add(dep)
                    stack.append(dep)
        loaded_suite.checks = sorted(wanted)
        loaded_suite.exclude = []
    for check_id, values in (params or {}).items():
        loaded_suite.parameters.setdefault(check_id, {}).update(values)
    loaded_suite.validate(all_checks)
    profile = load_profile(mapping, [t.name for t in contract]) if mapping else None
    loaded = load_export(
        str(export),
        readers=pm.collect("sqs_checks_readers"),
        contract=contract,
        profile=profile,
        today=today or max(dt.date.today(), as_of),
    )
    result = run_checks(
        loaded,
        suite=loaded_suite,
        checks=loaded_suite.select(all_checks),
        as_of=as_of,
        calendar=Calendar(last_year=max(as_of.year, dt.date.today().year) + 6),
    )
    if checks is None:
        _run_expectations(result, loaded_suite)
    result.apply_filters()
    return result


def run_check(
    check_id: str,
    export: str | Path | Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    as_of: str | dt.date,
    params: Mapping[str, Any] | None = None,
    suite: str = "open-cases",
    scope: str | None = None,
    plugins_dirs: Iterable[str | Path] = (),
    folder: str | Path | None = None,
) -> CheckReport:
    """Run one check (and the checks it depends on) as of a date.

    ``export`` is a folder, or tables as dicts (then written to ``folder``,
    or a temporary folder).
    """
    import tempfile

    if isinstance(export, Mapping):
        folder = Path(folder or tempfile.mkdtemp(prefix="sqs-test-"))
        export = make_export(folder, export)
    result = run_export(
        export,
        as_of=as_of,
        suite=suite,
        checks=[check_id],
        params={check_id: dict(params)} if params else None,
        plugins_dirs=plugins_dirs,
        scope=scope,
    )
    run = next(r for r in result.checks if r.check.id == check_id)
    relevant = {
        r[0]
        for r in result.con.execute(
            "SELECT case_id FROM relevance WHERE check_id = $c", {"c": check_id}
        ).fetchall()
    }
    findings = [f for f in result.findings() if f["check_id"] == check_id]
    return CheckReport(check_id, run.status, run.reason, relevant, findings, result)


# --- pytest plugin ------------------------------------------------------------------------

try:  # pragma: no cover - only when pytest is installed
    import pytest

    @pytest.fixture
    def sqs_export(tmp_path):
        """Factory: ``sqs_export({"cases": [...], ...})`` writes a tiny export and returns its folder."""
        counter = itertools.count(1)

        def factory(tables: Mapping[str, Iterable[Mapping[str, Any]]]) -> Path:
            return make_export(tmp_path / f"export{next(counter)}", tables)

        return factory

    @pytest.fixture
    def sqs_run_check(tmp_path):
        """``sqs_run_check(check_id, tables_or_folder, as_of=..., params=...)`` -> CheckReport."""
        counter = itertools.count(1)

        def runner(check_id: str, export: Any, **kwargs: Any) -> CheckReport:
            kwargs.setdefault("folder", tmp_path / f"run{next(counter)}")
            return run_check(check_id, export, **kwargs)

        return runner

except ImportError:  # pragma: no cover
    pass
