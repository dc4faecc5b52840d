"""The engine: canonical tables into DuckDB, scope, checks in dependency order.

DuckDB runs in process. The valid canonical tables are copied from Arrow into
DuckDB (``src_<table>``; the polars frames are then released) and exposed to
checks as views *as of* the run date (SPEC §3):

* ``assessments``: completed on or before ``as_of`` (drafts are left out);
* ``plans``, ``plan_reviews``, ``events``, ``offences``, ``referrals``: dated
  on or before ``as_of``;
* sign-offs (``signed_off_by``/``signed_off_date``) and quality assurance
  dated after ``as_of`` are blanked: they have not happened yet;
* ``court_reports``: a ``submitted_date`` after ``as_of`` is blanked;
* ``cases``: an ``end_date`` after ``as_of`` is blanked (still open).

``scope_cases`` holds the in-scope case ids; ``quarantine`` the quarantined
rows of known cases; ``dropped`` the dropped values of rows of known cases.
Each check's relevant cases are stored in ``check_cases`` (with whether each
is flagged) and its findings in ``findings``; only in-scope cases count (and,
for a check a suite restricts to some disposals, only cases of those
disposals). A check that raises is recorded as ``error`` and the others still
run; one whose inputs are missing is ``skipped`` with the reason, and one that
can judge only some of its reasons is
``partial`` (SPEC §5, partial inputs).
"""

from __future__ import annotations

import datetime as dt
import graphlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqs_checks.calendar import Calendar
from sqs_checks.checks import (
    Check,
    CheckContext,
    CheckOutput,
    DependencyState,
    SkipCheck,
    bind_params,
    not_judged_sentences,
)
from sqs_checks.chunks import chunks_aligned
from sqs_checks.loading import Handover, LoadedExport
from sqs_checks.result import CheckRun, RunResult
from sqs_checks.reuse import RecordingConnection, Statement, reusable, takes_part
from sqs_checks.suites import Suite
from sqs_checks.timings import Timings, measured

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

SIGN_OFF = ("signed_off_by", "signed_off_date")
QA = ("quality_assured_by", "quality_assured_date")


MEMORY_SHARE = 0.5
"""Share of the machine's memory DuckDB may use before it spills to its private folder."""


def physical_memory() -> int | None:
    """The machine's physical memory in bytes (None when the system does not say)."""
    import os

    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return None


def _machine_share() -> int | None:
    """``MEMORY_SHARE`` of physical memory in bytes (None when the system does not say)."""
    total = physical_memory()
    return None if total is None else max(int(total * MEMORY_SHARE), 256 * 2**20)


def _memory_limit() -> str:
    """``MEMORY_SHARE`` of physical memory, as DuckDB's memory_limit setting."""
    share = _machine_share()
    return "80%" if share is None else f"{share // 2**20}MiB"


MEMORY_OVER_TABLES = 1.3
"""Once the export is loaded, DuckDB may hold this multiple of what its tables of the
export take before it spills to its private folder (see :func:`bound_memory`)."""

MIN_MEMORY_LIMIT = 2 * 2**30
"""The least memory DuckDB is given for the checks and reports, however small the export."""


def bound_memory(con: Any, limit: str | None = None) -> str:
    """Set the memory DuckDB may use for the checks and reports; return the setting.

    ``limit`` (a size such as ``8GB``, or a share such as ``50%``) when given.
    Otherwise :data:`MEMORY_OVER_TABLES` times what the loaded tables take, at
    least :data:`MIN_MEMORY_LIMIT` and at most :data:`MEMORY_SHARE` of the
    machine. So a national run holds about twice its export's size at its peak
    instead of half the machine: past the bound, DuckDB moves the tables it is
    not reading to disk. Call it once the export is loaded.
    """
    if limit is None:
        [(held,)] = con.execute(
            "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()"
        ).fetchall()
        wanted = max(int(held * MEMORY_OVER_TABLES), MIN_MEMORY_LIMIT)
        share = _machine_share()
        limit = f"{(wanted if share is None else min(wanted, share)) // 2**20}MiB"
    con.execute(f"SET memory_limit = '{limit}'")
    return limit


SMALL_EXPORT_ROWS = 300_000
"""An export of fewer rows than this (all tables together; the demo export has about 23
rows a case, so about 13,000 cases) is checked on one DuckDB thread: each of its queries
takes milliseconds, and handing them out to threads costs more than it saves. Measured
side by side on 2 cores, whole pipeline: 500 cases 1.46-1.64 s on one thread against
1.95-1.97 s on two, 5,000 cases 2.67-3.16 s against 2.89-3.43 s; at 20,000 cases
(452,895 rows) the two are level, and at 50,000 two threads win."""


def fit_threads(con: Any, rows: int) -> int:
    """Give DuckDB one thread for a small export (:data:`SMALL_EXPORT_ROWS`), else leave
    its own choice (one per core); return the number of threads it now uses."""
    if rows < SMALL_EXPORT_ROWS:
        con.execute("SET threads = 1")
    return int(con.execute("SELECT current_setting('threads')").fetchone()[0])


def _spill_folder() -> str:
    """A private folder (mode 0700) for DuckDB's spill files, removed when the process ends.

    DuckDB's default is ``.tmp`` in the current folder: data about children must
    not be left there.
    """
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="sqs-checks-duckdb-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def connect() -> Any:
    """A DuckDB connection that never installs anything from the network.

    Its memory is bounded (``MEMORY_SHARE`` of the machine) and it spills to a
    private temporary folder, never to the current folder.
    """
    import duckdb

    con = duckdb.connect(
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
            "memory_limit": _memory_limit(),
            "temp_directory": _spill_folder(),
            "checkpoint_threshold": CHECKPOINT_THRESHOLD,
        }
    )
    con.execute("SET enable_progress_bar = false")  # never drawn over the run's own output
    return con


CHECKPOINT_THRESHOLD = "1GB"
"""Changes DuckDB holds before it checkpoints (compacts) the run's tables. At its default
(16 MB) a run paused for a checkpoint every few checks: half a second each, 15% of a
100,000-case run. Past a gigabyte of changes (a national run) it still compacts them."""


def _blank_when_later(columns: set[str], pair: tuple[str, str]) -> list[str]:
    """REPLACE clauses that blank a who/when pair dated after as_of."""
    who, when = pair
    if when not in columns:
        return []
    clauses = [f"CASE WHEN {when} > $as_of THEN NULL ELSE {when} END AS {when}"]
    if who in columns:
        clauses.append(f"CASE WHEN {when} > $as_of THEN NULL ELSE {who} END AS {who}")
    return clauses


def as_of_view_sql(table: str, columns: set[str]) -> str:
    """The SELECT behind the as-of view of ``table``."""
    replace: list[str] = []
    where: list[str] = []
    if table == "cases":
        if "end_date" in columns:
            replace.append("CASE WHEN end_date > $as_of THEN NULL ELSE end_date END AS end_date")
    elif table == "assessments":
        if "completed_date" in columns:
            where.append("completed_date IS NOT NULL AND completed_date <= $as_of")
        replace += _blank_when_later(columns, SIGN_OFF)
    elif table == "plans":
        where.append("created_date <= $as_of")
        replace += _blank_when_later(columns, SIGN_OFF)
    elif table == "court_reports":
        if "submitted_date" in columns:
            replace.append(
                "CASE WHEN submitted_date > $as_of THEN NULL ELSE submitted_date END "
                "AS submitted_date"
            )
        replace += _blank_when_later(columns, QA)
    else:
        dated = {
            "plan_reviews": "review_date",
            "events": "event_date",
            "offences": "offence_date",
            "referrals": "referral_date",
        }.get(table)
        if dated:
            where.append(f"{dated} <= $as_of")
    select = "SELECT * EXCLUDE (__row__)"
    if replace:
        select += " REPLACE (" + ", ".join(replace) + ")"
    sql = f"{select} FROM src_{table}"
    if table == "plan_reviews":
        sql += " WHERE plan_id IN (SELECT plan_id FROM plans)"
        if where:
            sql += " AND " + " AND ".join(where)
    elif where:
        sql += " WHERE " + " AND ".join(where)
    return sql


def scope_sql(suite: Suite, has_end_date: bool = True) -> tuple[str, dict[str, Any]]:
    """The query selecting the in-scope case ids, with its parameters (SPEC §4).

    Every scope kind judges only the cases whose disposal is one of the
    scope's ``disposals``; :func:`out_of_scope_by_disposal_sql` counts the
    cases left out for that reason alone.
    """
    when, params = _scope_dates(suite, has_end_date)
    return (
        f"SELECT case_id FROM src_cases WHERE {when} AND list_contains($disposals, disposal_type)",
        {**params, "disposals": list(suite.scope.disposals)},
    )


def out_of_scope_by_disposal_sql(
    suite: Suite, has_end_date: bool = True
) -> tuple[str, dict[str, Any]]:
    """The query counting the cases the scope's dates take in but its disposals leave out."""
    when, params = _scope_dates(suite, has_end_date)
    return (
        f"SELECT count(*) FROM src_cases WHERE {when} "
        "AND NOT list_contains($disposals, disposal_type)",
        {**params, "disposals": list(suite.scope.disposals)},
    )


def _scope_dates(suite: Suite, has_end_date: bool) -> tuple[str, dict[str, Any]]:
    """The date condition of the suite's scope kind, with its parameters."""
    scope = suite.scope
    if scope.kind == "open":
        open_test = " AND (end_date IS NULL OR end_date >= $as_of)" if has_end_date else ""
        return f"start_date <= $as_of{open_test}", {}
    if scope.kind == "all":
        return "start_date <= $as_of", {}
    return (
        "start_date BETWEEN add_months($as_of, -$months) AND $as_of - CAST($min_days AS INTEGER)",
        {"months": scope.months, "min_days": scope.min_days},
    )


def prepare(
    con: Any, loaded: LoadedExport, suite: Suite, as_of: dt.date, calendar: Calendar
) -> None:
    """Register the tables, the as-of views, the calendar macros and the scope."""
    calendar.install(con)
    for name in list(loaded.tables):
        if name not in loaded.copied:  # copied as it was loaded (``canonicalise``'s sink)
            copy_table(con, name, loaded.tables[name])
            loaded.tables[name] = loaded.tables[name].clear()
    for name in loaded.tables:
        view = as_of_view_sql(name, loaded.columns[name]).replace(
            "$as_of", f"DATE '{as_of.isoformat()}'"
        )
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {view}")
    query, params = scope_sql(suite, "end_date" in loaded.columns["cases"])
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE scope_cases AS {query}", bind_params(query, params, as_of)
    )
    _copy_in(con, "quarantine", arrow_view(loaded.quarantine))
    _copy_in(con, "dropped", arrow_view(loaded.dropped))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE findings (check_id VARCHAR, case_id VARCHAR, reason VARCHAR, "
        "record_table VARCHAR, record_id VARCHAR, message VARCHAR, evidence JSON, due_date DATE)"
    )
    # the relevant cases of the suite's Great Expectations block, before they are counted
    con.execute("CREATE OR REPLACE TEMP TABLE relevance (check_id VARCHAR, case_id VARCHAR)")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE check_cases (check_id VARCHAR, case_id VARCHAR, "
        "flagged BOOLEAN)"
    )


def arrow_view(frame: pl.DataFrame) -> Any:
    """``frame`` as an Arrow table that shares its memory (text stays as string views).

    polars' default Arrow form copies every text column into a large string array:
    for a national export's narratives, gigabytes for a moment. DuckDB reads views.
    """
    import polars as pl

    return frame.to_arrow(compat_level=pl.CompatLevel.newest())


def copy_table(con: Any, name: str, table: pl.DataFrame | Handover) -> None:
    """Copy the valid rows of canonical table ``name`` into DuckDB as ``src_<name>``.

    DuckDB keeps its own copy (and can spill it to disk). The rows go over a part
    at a time (:data:`COPY_PART_BYTES`, whole chunks as read): when ``table`` is a
    :class:`Handover`, each part's memory is freed once DuckDB has it, so a
    national export's largest table is never held twice over.
    """
    import pyarrow as pa

    frame = table.take() if isinstance(table, Handover) else table
    arrow = arrow_view(chunks_aligned(frame))
    del frame, table
    batches = arrow.to_batches()
    schema = arrow.schema
    del arrow
    first = True
    while first or batches:
        taken, held = 0, 0
        while taken < len(batches) and (not taken or held < COPY_PART_BYTES):
            held += batches[taken].nbytes
            taken += 1
        part = pa.Table.from_batches(batches[:taken], schema=schema)
        del batches[:taken]  # with the part, the last reference to these rows goes
        _copy_in(con, f"src_{name}", part, append=not first)
        del part
        first = False


COPY_PART_BYTES = 512 * 2**20
"""Bytes of a table copied into DuckDB at a time. At 1,000,000 cases, copying the
assessments whole held them twice (7.55 GB at the peak); 512 MiB parts 5.3 GB, a
little slower (4.9 s against 4.3 s); 64 MB parts 5.2 GB and 8.3 s."""


def order_checks(checks: list[Check]) -> list[Check]:
    """Checks in dependency order, otherwise in the order given."""
    by_id = {c.id: c for c in checks}
    position = {c.id: i for i, c in enumerate(checks)}
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for check in checks:
        sorter.add(check.id, *[d for d in check.depends_on if d in by_id])
    sorter.prepare()
    ordered: list[Check] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready(), key=position.__getitem__)
        for check_id in ready:
            ordered.append(by_id[check_id])
            sorter.done(check_id)
    return ordered


def _copy_in(con: Any, name: str, data: Any, append: bool = False) -> str:
    """Copy a relation, Arrow table or frame into the temp table ``name`` (created anew,
    or with ``append`` added to its rows)."""
    con.register("_out_rel", data)
    verb = f"INSERT INTO {name}" if append else f"CREATE OR REPLACE TEMP TABLE {name} AS"
    try:
        con.execute(f"{verb} SELECT * FROM _out_rel")
    finally:
        con.unregister("_out_rel")
    return name


def _materialise(con: Any, ctx: CheckContext, value: Any, kind: str) -> str:
    """Turn a check's relevant/findings answer into a temp table; return its name."""
    name = f"_out_{kind}"
    if isinstance(value, str):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name} AS {value}",
            bind_params(value, ctx.params, ctx.as_of),
        )
        return name
    if value is None:
        value = []
    is_relation = hasattr(value, "to_arrow_table") or hasattr(value, "arrow")
    is_arrow = hasattr(value, "schema") and hasattr(value, "num_rows")
    if is_relation or is_arrow:
        return _copy_in(con, name, value)
    import pyarrow as pa

    rows = list(value)
    if kind == "relevant":
        rows = [r if isinstance(r, dict) else {"case_id": r} for r in rows]
    if not rows:
        cols = (
            ["case_id"]
            if kind == "relevant"
            else ["case_id", "reason", "record_table", "record_id", "message"]
        )
        return _copy_in(con, name, pa.table({c: pa.array([], type=pa.string()) for c in cols}))
    if not all(isinstance(r, dict) for r in rows):
        raise ValueError(f"the {kind} answer must be a list of dicts")
    keys = list(dict.fromkeys(k for r in rows for k in r))
    return _copy_in(con, name, pa.table({k: [_jsonable(k, r.get(k)) for r in rows] for k in keys}))


def _jsonable(key: str, value: Any) -> Any:
    if key == "evidence" and isinstance(value, dict):
        import json

        return json.dumps(value, default=str)
    return value


class CheckFailed(Exception):
    """A check's answer could not be used (one-line reason)."""


def _columns(con: Any, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]


def judged_cases_sql(check: Check) -> str:
    """The case ids ``check`` judges: the scope, restricted to its disposals when it has some."""
    if check.disposals is None:
        return "SELECT case_id FROM scope_cases"
    kinds = ", ".join("'" + str(d).replace("'", "''") + "'" for d in check.disposals) or "NULL"
    return (
        "SELECT case_id FROM scope_cases WHERE case_id IN "
        f"(SELECT case_id FROM src_cases WHERE disposal_type IN ({kinds}))"
    )


DUE_DATE_KEYS = ("deadline", "due")
"""Evidence keys a finding's due date is read from when its check returns no ``due_date``."""


def due_date_sql(columns: list[str]) -> str:
    """SQL of a finding's due date: its ``due_date`` column, else its evidence's deadline.

    A check may return ``due_date`` itself; otherwise the first of
    :data:`DUE_DATE_KEYS` its evidence holds is used, so that every finding of a
    rule with a deadline carries it.
    """
    parts = ["TRY_CAST(due_date AS DATE)"] if "due_date" in columns else []
    if "evidence" in columns:  # one parse of the evidence for every key
        paths = ", ".join(f"'$.{key}'" for key in DUE_DATE_KEYS)
        found = f"json_extract_string(CAST(evidence AS JSON), [{paths}])"
        keys = ", ".join(f"{found}[{i + 1}]" for i in range(len(DUE_DATE_KEYS)))
        parts.append(f"TRY_CAST(coalesce({keys}) AS DATE)")
    if not parts:
        return "CAST(NULL AS DATE)"
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"


def _store(
    con: Any, check: Check, ctx: CheckContext, output: CheckOutput, unjudged: list[str]
) -> None:
    """Validate and store one check's relevant cases and findings (judged cases only).

    Findings with a reason the check could not judge on this export are left out.
    """
    rel = _materialise(con, ctx, output.relevant, "relevant")
    fnd = _materialise(con, ctx, output.findings, "findings")
    rel_cols, fnd_cols = _columns(con, rel), _columns(con, fnd)
    if "case_id" not in rel_cols:
        raise CheckFailed("its relevance answer has no case_id column")
    for needed in ("case_id", "reason"):
        if needed not in fnd_cols:
            raise CheckFailed(f"its findings have no {needed} column")

    def col(name: str, default: str = "NULL") -> str:
        return f"CAST({name} AS VARCHAR)" if name in fnd_cols else default

    evidence = "CAST(evidence AS JSON)" if "evidence" in fnd_cols else "CAST('{}' AS JSON)"
    judged = judged_cases_sql(check)
    message = col("message", "CAST(reason AS VARCHAR)")
    due = due_date_sql(fnd_cols)
    kept = (
        f"FROM {fnd} WHERE CAST(case_id AS VARCHAR) IN ({judged}) "
        "AND NOT list_contains($unjudged, CAST(reason AS VARCHAR))"
    )
    keys = (
        "CAST(case_id AS VARCHAR) AS case_id, CAST(reason AS VARCHAR) AS reason, "
        f"{col('record_table')} AS record_table, {col('record_id')} AS record_id"
    )
    row = f"{keys}, {message} AS message, {evidence} AS evidence, {due} AS due_date"
    bound = {"check_id": check.id, "unjudged": unjudged}
    # one finding per (check, case, reason, record); identical keys keep the smallest message.
    # As many distinct key hashes as rows proves the keys distinct (equal keys hash equal);
    # a collision only sends the findings through the exact grouping below. The same
    # statement looks for a case id the export does not have (a list: empty when none)
    unknown, rows, distinct = con.execute(
        "SELECT (SELECT list(id) FROM (SELECT CAST(case_id AS VARCHAR) AS id FROM "
        f"(SELECT case_id FROM {rel} UNION ALL SELECT case_id FROM {fnd}) WHERE case_id IS NULL "
        "OR CAST(case_id AS VARCHAR) NOT IN (SELECT case_id FROM src_cases) LIMIT 1)), "
        "count(*), count(DISTINCT hash(case_id, reason, record_table, record_id)) "
        f"FROM (SELECT {keys} {kept})",
        {"unjudged": unjudged},
    ).fetchone()
    if unknown:
        raise CheckFailed(
            "it returned a finding or relevant case with no case_id"
            if unknown[0] is None
            else f"it returned case id {unknown[0]!r}, which is not in the export"
        )
    if rows == distinct:  # the usual case: copied once, never regrouped
        con.execute(f"INSERT INTO findings SELECT $check_id, {row} {kept}", bound)
    else:
        con.execute(
            "INSERT INTO findings SELECT $check_id, case_id, reason, record_table, record_id, "
            "min(message), CAST(min(CAST(evidence AS VARCHAR)) AS JSON), min(due_date) "
            f"FROM (SELECT {row} {kept}) GROUP BY case_id, reason, record_table, record_id",
            bound,
        )
    # relevant: the judged cases of either answer; flagged: those with a finding kept
    con.execute(
        "INSERT INTO check_cases SELECT $check_id, case_id, bool_or(kept) FROM ("
        f"SELECT CAST(case_id AS VARCHAR) AS case_id, false AS kept FROM {rel} UNION ALL "
        "SELECT CAST(case_id AS VARCHAR), NOT list_contains($unjudged, CAST(reason AS VARCHAR)) "
        f"FROM {fnd}) WHERE case_id IN ({judged}) GROUP BY case_id",
        bound,
    )


def record_check_cases(con: Any, check_id: str) -> None:
    """Add one check's relevant cases to ``check_cases``, each with whether it is flagged.

    Every count of the run (per check, per area, team, case manager, filtered or
    not) is a grouped pass over this table, never a distinct count over all findings.
    """
    con.execute(
        "INSERT INTO check_cases SELECT $check_id, r.case_id, f.case_id IS NOT NULL "
        "FROM (SELECT DISTINCT case_id FROM relevance WHERE check_id = $check_id) r "
        "LEFT JOIN (SELECT DISTINCT case_id FROM findings WHERE check_id = $check_id) f "
        "USING (case_id)",
        {"check_id": check_id},
    )


def check_counts(con: Any, view: str | None = None) -> dict[str, tuple[int, int]]:
    """check id -> (relevant cases, flagged cases), of the cases in ``view`` when given."""
    where = f"WHERE case_id IN (SELECT case_id FROM {view})" if view else ""
    return {
        check_id: (relevant, flagged)
        for check_id, relevant, flagged in con.execute(
            "SELECT check_id, count(*), count(*) FILTER (WHERE flagged) "
            f"FROM check_cases {where} GROUP BY 1"
        ).fetchall()
    }


def _cleanup(con: Any) -> None:
    """Drop a check's working tables (``_t_*``, ``_out_*``) and views (``_t_*``): one look-up,
    one batch of statements."""
    found = con.execute(
        "SELECT 'TABLE', table_name FROM duckdb_tables() WHERE temporary AND "
        "(table_name LIKE '\\_t\\_%' ESCAPE '\\' OR table_name LIKE '\\_out\\_%' ESCAPE '\\') "
        "UNION ALL SELECT 'VIEW', view_name FROM duckdb_views() WHERE temporary "
        "AND view_name LIKE '\\_t\\_%' ESCAPE '\\' ORDER BY 1 DESC"
    ).fetchall()
    if found:
        con.execute("; ".join(f'DROP {kind} IF EXISTS "{name}"' for kind, name in found))


def _run_one(
    con: Any,
    check: Check,
    run: CheckRun,
    runs: dict[str, CheckRun],
    loaded: LoadedExport,
    suite: Suite,
    as_of: dt.date,
    calendar: Calendar,
) -> list[Statement]:
    """Run one check and record its status on ``run`` (SPEC §5, §7).

    ``skipped`` when its ``needs`` are absent, when none of its reasons can be
    judged, or when none of the checks it depends on ran; ``partial`` when some
    reasons (or some of the checks it depends on) could not be judged;
    ``error`` when it raised; else ``ran``. Returns the statements that built
    its working tables when a later evaluation may reuse them
    (:func:`sqs_checks.reuse.reusable`), else an empty list.
    """
    missing = check.missing_inputs(loaded.columns)
    if missing:
        run.status, run.reason = "skipped", missing
        return []
    unjudged = check.unjudged_reasons(loaded.columns)
    if check.reasons and set(check.reasons) <= set(unjudged):
        causes = list(dict.fromkeys(unjudged.values()))
        run.status = "skipped"
        run.reason = causes[0] if len(causes) == 1 else "; ".join(not_judged_sentences(unjudged))
        return []
    dependencies = {
        d: DependencyState(runs[d].status, runs[d].judged) for d in check.depends_on if d in runs
    }
    blocked = [d for d, state in dependencies.items() if not state.usable]
    if dependencies and len(blocked) == len(dependencies):
        run.status = "skipped"
        run.reason = f"it depends on {_join(blocked)}, which did not run"
        return []
    judged = frozenset(r for r in check.reasons if r not in unjudged)
    recorder = RecordingConnection(con) if takes_part(check) else None
    try:
        run.params = check.resolve_params(suite.parameters.get(check.id))
        ctx = CheckContext(
            con=recorder or con,
            as_of=as_of,
            params=run.params,
            calendar=calendar,
            tables=loaded.columns,
            suite=suite_settings(suite),
            judged=judged,
            dependencies=dependencies,
        )
        output = check.evaluate(ctx)
        try:
            _store(con, check, ctx, output, sorted(unjudged))
        except BaseException:  # nothing of a check that failed half-way is kept
            for table in ("findings", "relevance", "check_cases"):
                con.execute(f"DELETE FROM {table} WHERE check_id = $c", {"c": check.id})
            raise
    except SkipCheck as exc:
        run.status, run.reason = "skipped", str(exc)
        return []
    except Exception as exc:  # noqa: BLE001 - a check's failure never stops the run
        run.status = "error"
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        run.reason = (
            text if isinstance(exc, (CheckFailed, ValueError)) else f"{type(exc).__name__}: {text}"
        )
        return []
    sentences = not_judged_sentences(unjudged) + list(output.not_judged)
    for dep in blocked:
        if not any(dep in sentence for sentence in sentences):
            sentences.append(
                f"findings that rest on {dep} not judged: {dep} was {runs[dep].status}"
            )
    run.judged = judged
    if sentences:
        run.status, run.reason = "partial", "; ".join(sentences)
    else:
        run.status, run.reason = "ran", None
    return reusable(recorder) if recorder is not None else []


def suite_settings(suite: Suite) -> dict[str, Any]:
    """The suite as a check sees it (``CheckContext.suite``): name, scope, parameters, instances."""
    return {
        "name": suite.name,
        "scope": suite.scope.kind,
        "parameters": {k: dict(v) for k, v in suite.parameters.items()},
        "instances": suite.instance_bases(),
    }


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def run_checks(
    loaded: LoadedExport,
    *,
    suite: Suite,
    checks: list[Check],
    as_of: dt.date,
    calendar: Calendar,
    con: Any | None = None,
    progress: Callable[[Check, int, int], None] | None = None,
    timings: Timings | None = None,
    after_check: Callable[[CheckRun, list[Statement]], None] | None = None,
    memory_limit: str | None = None,
) -> RunResult:
    """Run ``checks`` (already selected by the suite) over the loaded export.

    With ``timings``, loading into DuckDB and each check are measured as phases.
    ``after_check(run, reusable)`` is called after each check that ran, while
    its working tables still exist (due soon reuses them); its time is not
    counted in the check's. ``memory_limit`` is DuckDB's from then on
    (:func:`bound_memory`; by default bounded by the loaded export's size).
    """
    started = dt.datetime.now(dt.UTC)
    con = con or connect()
    with measured(timings, "load", accumulate=True):  # tables may be in already (canonicalise)
        prepare(con, loaded, suite, as_of, calendar)
        bound_memory(con, memory_limit)
        fit_threads(con, sum(loaded.rows_read.values()))
    runs: dict[str, CheckRun] = {}
    ordered = order_checks(checks)
    for index, check in enumerate(ordered):
        if progress:
            progress(check, index, len(ordered))
        severity = suite.severity.get(check.id, check.severity)
        run = CheckRun(check=check, severity=severity, params={})
        runs[check.id] = run
        t0 = time.perf_counter()
        try:
            with measured(timings, f"check {check.id}"):
                reuse = _run_one(con, check, run, runs, loaded, suite, as_of, calendar)
            run.seconds = time.perf_counter() - t0
            if after_check is not None and run.status in ("ran", "partial"):
                after_check(run, reuse)
        finally:
            _cleanup(con)
    counts = check_counts(con)
    for run in runs.values():
        run.relevant, run.flagged = counts.get(run.check.id, (0, 0))
    in_scope = con.execute("SELECT count(*) FROM scope_cases").fetchone()[0]
    query, params = out_of_scope_by_disposal_sql(suite, "end_date" in loaded.columns["cases"])
    left_out = con.execute(query, bind_params(query, params, as_of)).fetchone()[0]
    return RunResult(
        con=con,
        as_of=as_of,
        suite=suite,
        loaded=loaded,
        checks=[runs[c.id] for c in checks],
        cases_in_scope=in_scope,
        cases_out_of_scope_by_disposal=left_out,
        started_at=started,
    )
