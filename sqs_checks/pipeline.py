"""The main job, end to end: read, check, report, notify.

``run_pipeline(settings)`` is what ``sqs-checks run`` calls; tests and other
front ends call it too. It never prints tracebacks: user problems raise
:class:`sqs_checks.errors.UserError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqs_checks.errors import ConfigError, UserError
from sqs_checks.result import RunResult


@dataclass
class RunSettings:
    """Everything a run needs; the CLI and the workspace config fill it in.

    ``plugins`` names optional plugins to switch on (``--plugins``). Tests and
    other front ends also set ``checks`` (run only these check ids and the
    checks they depend on, without the suite's expectations), ``scope`` (a
    scope kind - ``open``, ``inspection_sample``, ``all`` - over the suite's),
    ``parameters`` (per check id, over the suite's) and ``plugin_objects``
    (plugin modules or objects registered as if installed).
    """

    export: str
    as_of: dt.date = field(default_factory=dt.date.today)
    suite: str = "open-cases"
    formats: list[str] = field(default_factory=lambda: ["json"])
    out_dir: Path | None = None
    mapping: str | None = None
    reader: str | None = None
    plugins_dirs: list[str] = field(default_factory=list)
    plugins: list[str] = field(default_factory=list)
    suite_dirs: list[str] = field(default_factory=list)
    region: str = "england-and-wales"
    case_manager: str | None = None
    team: str | None = None
    redact: bool = False
    due_within: int | None = None
    list_due_soon: bool = True
    today: dt.date | None = None
    timings: bool = False
    memory_limit: str | None = None
    checks: list[str] | None = None
    scope: str | None = None
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    plugin_objects: list[Any] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def catalog(pm: Any) -> list[Any]:
    """Every check the loaded plugins provide; duplicate ids are a configuration error."""
    checks = pm.collect("sqs_checks_checks")
    seen: dict[str, Any] = {}
    for check in checks:
        if check.id in seen:
            raise ConfigError(
                f"Two plugins provide a check with the id {check.id!r}; rename one of them."
            )
        seen[check.id] = check
    return checks


def suite_dirs(pm: Any, settings: RunSettings | None = None) -> list[Path]:
    """Where suites are looked for: the settings' (if any), then the plugins'."""
    dirs = [Path(d) for d in settings.suite_dirs] if settings else []
    dirs += [Path(d) for d in pm.collect("sqs_checks_suite_dirs")]
    return dirs


def plugins_and_suite(
    plugins_dirs: list[str],
    plugins: list[str],
    suite_name: str,
    extra_suite_dirs: list[str] | None = None,
    objects: list[Any] | None = None,
) -> tuple[Any, Any]:
    """The plugin manager and the suite, with the optional plugins the suite switches on.

    A suite may name optional plugins (``plugins: [sqs_contacts]``): they are
    switched on as ``--plugins`` would, before the checks are collected.
    """
    from sqs_checks.plugins import get_plugin_manager
    from sqs_checks.suites import load_suite

    def dirs(pm: Any) -> list[Path]:
        return [Path(d) for d in extra_suite_dirs or []] + [
            Path(d) for d in pm.collect("sqs_checks_suite_dirs")
        ]

    pm = get_plugin_manager(tuple(plugins_dirs), tuple(plugins), objects or ())
    suite = load_suite(suite_name, dirs(pm))
    wanted = [n for n in suite.plugins if not pm.has_plugin(n)]
    if wanted:
        pm = get_plugin_manager(tuple(plugins_dirs), (*plugins, *wanted), objects or ())
        suite = load_suite(suite_name, dirs(pm))
    return pm, suite


def run_pipeline(
    settings: RunSettings,
    progress: Callable[[Any, int, int], None] | None = None,
) -> RunResult:
    """Run the checks of ``settings.suite`` over ``settings.export`` and write the reports."""
    from sqs_checks.calendar import Calendar
    from sqs_checks.contract import build_contract
    from sqs_checks.engine import connect, run_checks
    from sqs_checks.loading import canonicalise, choose_reader
    from sqs_checks.mapping import load_profile
    from sqs_checks.timings import Timings

    timings = Timings()
    pm, suite = plugins_and_suite(
        settings.plugins_dirs,
        settings.plugins,
        settings.suite,
        settings.suite_dirs,
        settings.plugin_objects,
    )
    contract = build_contract(pm)
    checks = catalog(pm)
    _tailor_suite(suite, settings, checks)
    suite.validate(checks)
    reporters = {r.format: r for r in pm.collect("sqs_checks_reporters")}
    unknown = [f for f in settings.formats if f not in reporters]
    if unknown:
        raise ConfigError(
            f"Unknown output format {unknown[0]!r} (formats: {', '.join(sorted(reporters))})."
        )
    if settings.formats and settings.out_dir is None:
        raise UserError("Say where to write the reports with -o DIR (for example -o out).")
    profile = (
        load_profile(settings.mapping, [t.name for t in contract]) if settings.mapping else None
    )
    reader = choose_reader(str(settings.export), pm.collect("sqs_checks_readers"), settings.reader)
    con = connect()
    with timings.phase("read"):
        raw = reader.read(str(settings.export))
    loaded = canonicalise(
        raw,
        contract=contract,
        profile=profile,
        today=settings.today,
        reader=reader.name,
        sink=_copy_into(con, timings),
        timings=timings,
    )
    del raw
    calendar = Calendar(
        settings.region, last_year=max(settings.as_of.year, dt.date.today().year) + 6
    )
    due_soon = _due_soon_collector(con, settings, calendar, suite, loaded)
    result = run_checks(
        loaded,
        suite=suite,
        checks=suite.select(checks),
        as_of=settings.as_of,
        calendar=calendar,
        con=con,
        progress=progress,
        timings=timings,
        after_check=due_soon.collect if due_soon is not None else None,
        memory_limit=settings.memory_limit,
    )
    if due_soon is not None:  # listed check by check as the checks ran (see due_soon.py)
        due_soon.finish(result)
        timings.add("due soon", due_soon.seconds, due_soon.peak_bytes)
    result.timings = timings if settings.timings else None
    with timings.phase("expectations"):
        if settings.checks is None:
            _run_expectations(result, suite)
    result.redact = settings.redact
    with timings.phase("scorecard"):
        result.apply_filters(settings.case_manager, settings.team)
        result.scorecard()
    with timings.phase("history"):
        result.history = _since_last_run(result, settings)
    if settings.out_dir is not None:
        out = Path(settings.out_dir)
        out.mkdir(parents=True, exist_ok=True)
        mode = settings.extra.get("report_mode")
        for fmt in dict.fromkeys(settings.formats):
            with timings.phase(f"report {fmt}"):
                written = reporters[fmt].write(result, out, {"settings": settings})
            if mode is not None and written is not None and Path(written).is_file():
                Path(written).chmod(int(mode))
    return result


def _copy_into(con: Any, timings: Any) -> Callable[[str, Any], None]:
    """The sink that copies each canonical table into DuckDB as soon as it is loaded.

    Each table goes over a part at a time, freed as DuckDB takes it
    (:func:`sqs_checks.engine.copy_table`); the copying is measured as the ``load`` phase.
    """
    from sqs_checks.engine import copy_table

    def sink(name: str, handover: Any) -> None:
        with timings.phase("load", accumulate=True):
            copy_table(con, name, handover)

    return sink


def _tailor_suite(suite: Any, settings: RunSettings, checks: list[Any]) -> None:
    """Apply the settings' check subset, scope kind and parameters to the suite."""
    if settings.checks is not None:
        suite.restrict_to(settings.checks, checks)
    if settings.scope:
        suite.scope = replace(suite.scope, kind=settings.scope)
    suite.override_parameters(settings.parameters)


def _due_soon_collector(
    con: Any, settings: RunSettings, calendar: Any, suite: Any, loaded: Any
) -> Any:
    """The due-soon list of the next ``settings.due_within`` working days (default 10), or
    None when the run lists none."""
    if not settings.list_due_soon:
        return None
    from sqs_checks.due_soon import DEFAULT_WITHIN, DueSoonCollector

    within = DEFAULT_WITHIN if settings.due_within is None else settings.due_within
    return DueSoonCollector(
        con,
        as_of=settings.as_of,
        calendar=calendar,
        within=within,
        suite=suite,
        tables=loaded.columns,
        drops_tables=False,  # run_checks drops each check's tables after after_check
    )


def _run_expectations(result: RunResult, suite: Any) -> None:
    """Run the suite's Great Expectations block, when it has one (imported lazily)."""
    if not suite.expectations:
        return
    try:
        from sqs_checks.expectations import run_expectations
    except ImportError:
        return
    run_expectations(result, suite)


def _since_last_run(result: RunResult, settings: RunSettings) -> dict[str, Any] | None:
    """What changed since the last recorded run (None without a history store)."""
    if not settings.extra.get("history_url"):
        return None
    from sqs_checks.history import since_last_run

    return since_last_run(result, settings)


def notify_finished(result: RunResult, settings: RunSettings) -> list[str]:
    """Call ``sqs_checks_run_finished``; return one-line warnings for hooks that failed."""
    from sqs_checks.plugins import get_plugin_manager

    pm = get_plugin_manager(
        tuple(settings.plugins_dirs), tuple(settings.plugins), settings.plugin_objects
    )
    warnings: list[str] = []
    for impl in pm.hook.sqs_checks_run_finished.get_hookimpls():
        try:
            impl.function(result=result, settings=settings.__dict__)
        except UserError as exc:
            warnings.append(f"{impl.plugin_name}: {exc}")
        except Exception as exc:  # noqa: BLE001 - a notifier never breaks the run
            warnings.append(f"{impl.plugin_name}: {type(exc).__name__}: {exc}")
    return warnings
