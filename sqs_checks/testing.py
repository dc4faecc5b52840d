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
offers the fixtures ``sqs_export`` and ``sqs_run_check``, and collects YAML
case files named ``test_*.sqs.yml`` as tests (see :func:`load_case_file`).

Local plugins are loaded with ``plugins_dirs=[folder]`` (like ``--plugins-dir``)
or, for a plugin module or object, with ``plugins=[module]``.

A YAML case file holds one scenario per YAML document::

    check: sentence.compliance
    as_of: 2013-03-18
    params: {due: 5}
    plugins_dirs: [..]            # relative to the file
    tables:
      cases:
        - {case_id: C1, start_date: 2013-01-07}
      contacts:
        - {case_id: C1, contact_date: 2013-02-04, attended: false}
    expect:
      status: ran
      relevant: [C1]
      findings:
        - {case_id: C1, reason: no_follow_up}
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
    """Read the tables of a YAML case file (its first scenario).

    The file is either a mapping of table name to a list of rows, or a
    scenario with a ``tables:`` key (see :func:`load_case_file`).
    """
    import yaml

    data = next(iter(yaml.safe_load_all(Path(path).read_text(encoding="utf-8"))), None) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path} must hold table names mapped to lists of rows")
    if "tables" in data:
        data = data["tables"] or {}
    return {str(k): list(v or []) for k, v in data.items()}


SCENARIO_KEYS = (
    "name",
    "check",
    "as_of",
    "params",
    "suite",
    "scope",
    "plugins",
    "plugins_dirs",
    "tables",
    "expect",
)
EXPECT_KEYS = ("status", "relevant", "flagged", "findings", "reason")


@dataclass
class Scenario:
    """One scenario of a YAML case file: tables, a check, a date and what to expect."""

    name: str
    check: str | None
    as_of: dt.date
    tables: dict[str, list[dict[str, Any]]]
    params: dict[str, Any] = field(default_factory=dict)
    expect: dict[str, Any] = field(default_factory=dict)
    suite: str = "open-cases"
    scope: str | None = None
    plugins_dirs: list[Path] = field(default_factory=list)
    plugins: list[str] = field(default_factory=list)
    path: Path | None = None


def load_case_file(path: str | Path) -> list[Scenario]:
    """Read the scenarios of a YAML case file (one per YAML document).

    Keys: ``tables`` (required), ``as_of`` (required), ``check``, ``params``,
    ``suite``, ``scope``, ``plugins_dirs`` (relative to the file), ``plugins``
    (importable plugin module names, e.g. ``sqs_contacts``), ``name`` and
    ``expect`` (``status``, ``relevant``, ``flagged``, ``findings`` - a list of
    dicts compared on the keys they give -, ``reason`` for a non-``ran`` status).
    """
    import yaml

    path = Path(path)
    scenarios: list[Scenario] = []
    for number, doc in enumerate(yaml.safe_load_all(path.read_text(encoding="utf-8")), start=1):
        if doc is None:
            continue
        where = f"{path.name}, scenario {number}"
        if not isinstance(doc, dict):
            raise ValueError(f"{where}: a scenario must be a mapping with tables and as_of")
        unknown = [k for k in doc if k not in SCENARIO_KEYS]
        if unknown:
            raise ValueError(
                f"{where}: unknown key {unknown[0]!r} (keys: {', '.join(SCENARIO_KEYS)})"
            )
        if "tables" not in doc or "as_of" not in doc:
            raise ValueError(f"{where}: a scenario needs tables and as_of")
        expect = doc.get("expect") or {}
        bad = [k for k in expect if k not in EXPECT_KEYS]
        if bad:
            raise ValueError(
                f"{where}: unknown key expect.{bad[0]} (keys: {', '.join(EXPECT_KEYS)})"
            )
        scenarios.append(
            Scenario(
                name=str(doc.get("name") or f"scenario {number}"),
                check=doc.get("check"),
                as_of=_date(
                    doc["as_of"] if isinstance(doc["as_of"], dt.date) else str(doc["as_of"])
                ),
                tables={str(k): list(v or []) for k, v in (doc["tables"] or {}).items()},
                params=dict(doc.get("params") or {}),
                expect=dict(expect),
                suite=str(doc.get("suite") or "open-cases"),
                scope=doc.get("scope"),
                plugins_dirs=[
                    (path.parent / str(d)).resolve() for d in doc.get("plugins_dirs") or []
                ],
                plugins=[str(p) for p in doc.get("plugins") or []],
                path=path,
            )
        )
    return scenarios


def run_scenario(
    scenario: Scenario,
    *,
    check_id: str | None = None,
    folder: str | Path | None = None,
    plugins: Iterable[Any] = (),
    plugins_dirs: Iterable[str | Path] = (),
) -> CheckReport:
    """Run one scenario's check and assert what it expects; return the report."""
    import importlib

    check = check_id or scenario.check
    plugins = [*plugins, *(importlib.import_module(name) for name in scenario.plugins)]
    if not check:
        raise ValueError(f"{scenario.name}: say which check to run (check: area.name)")
    report = run_check(
        check,
        scenario.tables,
        as_of=scenario.as_of,
        params=scenario.params or None,
        suite=scenario.suite,
        scope=scenario.scope,
        plugins_dirs=[*scenario.plugins_dirs, *plugins_dirs],
        plugins=plugins,
        folder=folder,
    )
    expect = scenario.expect
    assert_report(
        report,
        status=expect.get("status", "ran"),
        reason=expect.get("reason"),
        relevant=expect.get("relevant"),
        flagged=expect.get("flagged"),
        findings=expect.get("findings"),
        label=f"{scenario.name} ({check})",
    )
    return report


def check_case_file(
    path: str | Path,
    *,
    check_id: str | None = None,
    plugins: Iterable[Any] = (),
    plugins_dirs: Iterable[str | Path] = (),
) -> list[CheckReport]:
    """Run and assert every scenario of a YAML case file."""
    return [
        run_scenario(s, check_id=check_id, plugins=plugins, plugins_dirs=plugins_dirs)
        for s in load_case_file(path)
    ]


def assert_report(
    report: CheckReport,
    *,
    status: str | None = "ran",
    reason: str | None = None,
    relevant: Iterable[str] | None = None,
    flagged: Iterable[str] | None = None,
    findings: Iterable[Mapping[str, Any]] | None = None,
    label: str = "",
) -> None:
    """Assert on a check's outcome with messages that show what differed.

    ``findings`` is a list of dicts, each compared on the keys it gives (for
    example ``{"case_id": "C1", "reason": "late"}``); the check's findings must
    match them exactly, no more and no fewer. ``reason`` is a substring of the
    skipped/error reason.
    """
    name = label or report.check_id
    if status is not None and report.status != status:
        raise AssertionError(
            f"{name}: status is {report.status!r} ({report.reason}), expected {status!r}"
        )
    if reason is not None and reason not in (report.reason or ""):
        raise AssertionError(
            f"{name}: reason is {report.reason!r}, expected it to mention {reason!r}"
        )
    if relevant is not None and report.relevant != {str(c) for c in relevant}:
        raise AssertionError(
            f"{name}: relevant cases are {sorted(report.relevant)}, "
            f"expected {sorted(map(str, relevant))}"
        )
    if flagged is not None and report.flagged != {str(c) for c in flagged}:
        raise AssertionError(
            f"{name}: flagged cases are {sorted(report.flagged)}, "
            f"expected {sorted(map(str, flagged))}"
        )
    if findings is not None:
        wanted = [dict(f) for f in findings]
        keys = sorted({k for f in wanted for k in f}) or ["case_id", "reason"]
        got = sorted(tuple(str(f.get(k)) for k in keys) for f in report.findings)
        exp = sorted(tuple(str(f.get(k)) for k in keys) for f in wanted)
        if got != exp:
            raise AssertionError(f"{name}: findings ({', '.join(keys)}) are {got}, expected {exp}")


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
    plugins: Iterable[Any] = (),
    due_within: int | None = 10,
):
    """Run a suite (optionally only some checks) over ``export``; return the RunResult.

    This is :func:`sqs_checks.pipeline.run_pipeline` with no reports written.
    ``checks`` runs only those checks and the checks they depend on (the
    suite's expectations then do not run); ``scope`` replaces the suite's
    scope kind; ``params`` sets parameters per check id. ``plugins_dirs`` are
    loaded like ``--plugins-dir``; ``plugins`` are plugin modules or objects
    registered as if installed through an entry point. ``due_within`` lists
    the deadlines of the next N working days, as ``sqs-checks run --due-within
    N`` does (None lists none).
    """
    from sqs_checks.pipeline import RunSettings, run_pipeline

    as_of = _date(as_of)
    settings = RunSettings(
        export=str(export),
        as_of=as_of,
        suite=suite,
        formats=[],
        mapping=mapping,
        plugins_dirs=[str(p) for p in plugins_dirs],
        today=today or max(dt.date.today(), as_of),
        checks=list(checks) if checks is not None else None,
        scope=scope,
        parameters={k: dict(v) for k, v in (params or {}).items()},
        plugin_objects=list(plugins),
        due_within=due_within,
        list_due_soon=due_within is not None,
    )
    return run_pipeline(settings)


def plugin_manager(
    plugins_dirs: Iterable[str | Path] = (),
    plugins: Iterable[Any] = (),
    optional: Iterable[str] = (),
) -> Any:
    """The plugin manager with these plugins folders, extra plugin objects and switched-on
    optional plugins (by name)."""
    from sqs_checks.plugins import get_plugin_manager

    return get_plugin_manager(tuple(str(p) for p in plugins_dirs), tuple(optional), plugins)


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
    plugins: Iterable[Any] = (),
) -> CheckReport:
    """Run one check (and the checks it depends on) as of a date.

    ``export`` is a folder, tables as dicts, or a YAML case file (``.yml``;
    its tables are used). Tables are written as CSV to ``folder``, or a
    temporary folder.
    """
    import tempfile

    if isinstance(export, (str, Path)) and Path(export).suffix in (".yml", ".yaml"):
        export = load_cases_yaml(export)
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
        plugins=plugins,
    )
    run = next(r for r in result.checks if r.check.id == check_id)
    relevant = {
        r[0]
        for r in result.con.execute(
            "SELECT case_id FROM check_cases WHERE check_id = $c", {"c": check_id}
        ).fetchall()
    }
    findings = [f for f in result.findings() if f["check_id"] == check_id]
    return CheckReport(check_id, run.status, run.reason, relevant, findings, result)


# --- pytest plugin ------------------------------------------------------------------------

try:  # pragma: no cover - only when pytest is installed
    import pytest

    @pytest.fixture
    def sqs_export(tmp_path):
        """Factory: ``sqs_export({"cases": [...]})`` writes a tiny export; returns its folder."""
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

    def pytest_collect_file(file_path: Path, parent: Any) -> Any:
        """Collect YAML case files named ``test_*.sqs.yml`` (one test per scenario)."""
        name = file_path.name
        if name.startswith("test_") and name.endswith((".sqs.yml", ".sqs.yaml")):
            return CaseFile.from_parent(parent, path=file_path)
        return None

    class CaseFile(pytest.File):
        """A YAML case file: each scenario is a test."""

        def collect(self):  # type: ignore[override]
            """One :class:`CaseItem` per scenario."""
            for number, scenario in enumerate(load_case_file(self.path), start=1):
                yield CaseItem.from_parent(
                    self, name=f"{number}-{scenario.name}", scenario=scenario
                )

    class CaseItem(pytest.Item):
        """One scenario of a YAML case file."""

        def __init__(self, *, scenario: Scenario, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.scenario = scenario

        def runtest(self) -> None:
            """Run the scenario's check and assert what it expects."""
            import tempfile

            from sqs_checks.plugins import reset_cache

            reset_cache()
            with tempfile.TemporaryDirectory(prefix="sqs-case-") as folder:
                run_scenario(self.scenario, folder=folder)

        def repr_failure(self, excinfo: Any, style: Any = None) -> str:  # type: ignore[override]
            """Show the assertion's message, not a traceback."""
            if isinstance(excinfo.value, AssertionError):
                return str(excinfo.value)
            return super().repr_failure(excinfo)

        def reportinfo(self) -> tuple[Path, int, str]:
            """Where the scenario lives."""
            return self.path, 0, f"{self.path.name}: {self.scenario.name}"

except ImportError:  # pragma: no cover
    pass
