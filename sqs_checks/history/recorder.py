"""From a finished run to the history store, and back ("since last run").

The previous run's finding keys are loaded into the run's DuckDB connection
(table ``history_previous``) and the current findings are classified there:

* ``new``: not among the previous run's findings;
* ``persisting``: among them (keeps the first-seen date);
* ``held``: not among them, but the export is identical to the previous run's
  (same SHA-256): recorded, not flagged as new. A held finding still present
  on the next run with a fresh export is new then;
* ``resolved``: among the previous run's findings, gone now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from sqs_checks.history import models
from sqs_checks.history.store import BATCH, HistoryStore, scope_key
from sqs_checks.result import is_scored

LISTED = 200
"""Findings listed per status in :func:`since_last_run` (the counts are always complete)."""


def _get(settings: Any, name: str, default: Any = None) -> Any:
    if isinstance(settings, Mapping):
        if name in settings:
            return settings[name]
        return (settings.get("extra") or {}).get(name, default)
    if hasattr(settings, name):
        return getattr(settings, name)
    return (getattr(settings, "extra", None) or {}).get(name, default)


def history_url(settings: Any) -> str | None:
    """The history database URL of a run's settings (None: no history)."""
    return _get(settings, "history_url")


def result_scope(result: Any) -> str:
    """The scope a run is compared within."""
    return scope_key(result.suite.name, result.filters)


_SQL_TYPES = {"run_id": "BIGINT", "first_run_id": "BIGINT", "first_seen": "DATE"}


def _load_previous(result: Any, store: HistoryStore, previous: dict[str, Any] | None) -> None:
    """Put the previous run's findings into DuckDB as ``history_previous``."""
    import pyarrow as pa

    con = result.con
    loaded = getattr(result, "_history_previous_id", "none")
    wanted = previous["id"] if previous else None
    if loaded == wanted:
        return
    names = models.FINDING_COLUMNS
    schema = pa.schema(
        [
            (
                n,
                pa.int64()
                if n in ("run_id", "first_run_id")
                else pa.date32()
                if n == "first_seen"
                else pa.string(),
            )
            for n in names
        ]
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE history_previous ("
        + ", ".join(f"{n} {_SQL_TYPES.get(n, 'VARCHAR')}" for n in names)
        + ")"
    )
    if previous is not None:
        for batch in store.iter_findings(previous["id"]):
            columns = list(zip(*batch, strict=True)) if batch else [[] for _ in names]
            table = pa.table(
                {
                    n: pa.array(list(col), type=schema.field(n).type)
                    for n, col in zip(names, columns, strict=True)
                }
            )
            con.register("history_batch", table)
            con.execute("INSERT INTO history_previous SELECT * FROM history_batch")
            con.unregister("history_batch")
    result._history_previous_id = wanted


def _classify_sql(result: Any) -> str:
    """The current findings with status, first-seen date and first run (DuckDB)."""
    return (
        "WITH cur AS (SELECT check_id, case_id, reason, "
        "coalesce(record_table, '') AS record_table, "
        "coalesce(CAST(record_id AS VARCHAR), '') AS record_id, severity, "
        "CAST(case_manager AS VARCHAR) AS case_manager, team "
        f"FROM ({result.findings_sql()}) "
        "QUALIFY row_number() OVER (PARTITION BY check_id, case_id, reason, record_table, "
        "record_id ORDER BY severity) = 1) "
        "SELECT c.check_id, c.case_id, c.reason, c.record_table, c.record_id, c.severity, "
        "c.case_manager, c.team, "
        "CASE WHEN p.check_id IS NOT NULL THEN 'persisting' WHEN $same THEN 'held' "
        "ELSE 'new' END AS status, "
        "CASE WHEN p.check_id IS NOT NULL THEN p.first_seen WHEN $same THEN NULL "
        "ELSE CAST($as_of AS DATE) END AS first_seen, "
        "p.first_run_id "
        "FROM cur c LEFT JOIN (SELECT * FROM history_previous WHERE status <> 'held') p "
        "USING (check_id, case_id, reason, record_table, record_id)"
    )


def _resolved_sql(result: Any) -> str:
    return (
        "SELECT p.* FROM history_previous p WHERE p.status <> 'held' AND NOT EXISTS ("
        "SELECT 1 FROM history_current c WHERE c.check_id = p.check_id AND c.case_id = p.case_id "
        "AND c.reason = p.reason AND c.record_table = p.record_table AND c.record_id = p.record_id)"
    )


def _classify(result: Any, store: HistoryStore) -> dict[str, Any] | None:
    """Classify the run's findings into ``history_current``; return the previous run."""
    previous = store.previous_run(result_scope(result))
    _load_previous(result, store, previous)
    same = bool(previous and previous["export_sha256"] == result.loaded.fingerprint)
    result.con.execute(
        f"CREATE OR REPLACE TEMP TABLE history_current AS {_classify_sql(result)}",
        {"same": same, "as_of": result.as_of},
    )
    return previous


def _rows(con: Any, sql: str, limit: int | None = None) -> list[dict[str, Any]]:
    cursor = con.execute(sql + (f" LIMIT {int(limit)}" if limit else ""))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _counts(con: Any) -> dict[str, int]:
    counts = dict(con.execute("SELECT status, count(*) FROM history_current GROUP BY 1").fetchall())
    resolved = con.execute(
        "SELECT count(*) FROM history_previous p WHERE p.status <> 'held' AND NOT EXISTS ("
        "SELECT 1 FROM history_current c WHERE c.check_id = p.check_id AND c.case_id = p.case_id "
        "AND c.reason = p.reason AND c.record_table = p.record_table AND c.record_id = p.record_id)"
    ).fetchone()[0]
    return {
        "new": counts.get("new", 0),
        "persisting": counts.get("persisting", 0),
        "held": counts.get("held", 0),
        "resolved": resolved,
    }


def _area_counts(result: Any) -> list[dict[str, Any]]:
    """Per-area counts of the scorecard (the data area is never scored, so never there)."""
    return [
        {"area": a["area"], "relevant": a["relevant"], "flagged": a["flagged"]}
        for a in result.scorecard()["areas"]
    ]


def _pct(relevant: int, flagged: int) -> int | None:
    return round(100 * (relevant - flagged) / relevant) if relevant else None


def since_last_run(result: Any, settings: Any, limit: int = LISTED) -> dict[str, Any] | None:
    """What changed since the previous run of the same scope, for reports and digests.

    Returns None when the run has no history store or the store holds no earlier
    run of this scope. Otherwise (dates as ``datetime.date``)::

        {"previous_run": {"id", "as_of", "recorded_at", "export_sha256"},
         "same_export": bool,           # identical export: nothing is flagged as new
         "counts": {"new", "persisting", "resolved", "held"},
         "new": [finding, ...], "persisting": [...], "resolved": [...], "held": [...],
         "trend": {"areas": {area: [point, ...]}, "checks": {check_id: [point, ...]}}}

    A finding is ``{check_id, case_id, reason, record_table, record_id, severity,
    case_manager, team, status, first_seen, nights_open}``; lists hold at most
    ``limit`` findings each (persisting: the longest open first). A trend point is
    ``{run_id, as_of, relevant, flagged, met, percent}``, oldest first, the
    current run last (``run_id`` None).
    """
    url = history_url(settings)
    if not url:
        return None
    store = HistoryStore(url)
    try:
        previous = _classify(result, store)
        if previous is None:
            return None
        scope = result_scope(result)
        areas_series = store.area_series(scope)
        checks_series = store.check_series(scope)
    finally:
        store.close()
    con = result.con
    as_of = result.as_of
    fields = "check_id, case_id, reason, record_table, record_id, severity, case_manager, team"
    order = "ORDER BY check_id, case_id, reason, record_table, record_id"
    out: dict[str, Any] = {
        "previous_run": {
            "id": previous["id"],
            "as_of": previous["as_of"],
            "recorded_at": previous["recorded_at"],
            "export_sha256": previous["export_sha256"],
        },
        "same_export": previous["export_sha256"] == result.loaded.fingerprint,
        "counts": _counts(con),
    }
    for status in ("new", "held"):
        out[status] = _rows(
            con,
            f"SELECT {fields}, status, first_seen FROM history_current WHERE status = '{status}' "
            + order,
            limit,
        )
    out["persisting"] = _rows(
        con,
        f"SELECT {fields}, status, first_seen FROM history_current WHERE status = 'persisting' "
        "ORDER BY first_seen, check_id, case_id, reason, record_table, record_id",
        limit,
    )
    out["resolved"] = _rows(
        con,
        f"SELECT {fields}, 'resolved' AS status, first_seen FROM ({_resolved_sql(result)}) "
        + order,
        limit,
    )
    for status in ("new", "persisting", "resolved", "held"):
        for row in out[status]:
            first = row.get("first_seen")
            row["nights_open"] = (as_of - first).days if first and status == "persisting" else None
    trend_areas: dict[str, list[dict[str, Any]]] = {}
    for point in areas_series:
        trend_areas.setdefault(point["area"], []).append(_point(point))
    for area in _area_counts(result):
        trend_areas.setdefault(area["area"], []).append(
            _point({"run_id": None, "as_of": as_of, **area})
        )
    trend_checks: dict[str, list[dict[str, Any]]] = {}
    for point in checks_series:  # data checks are counted, never scored: no trend of theirs
        if point["status"] in ("ran", "partial") and is_scored(point["check_id"], ""):
            trend_checks.setdefault(point["check_id"], []).append(_point(point))
    for run in result.checks:
        if run.counted and run.scored:
            trend_checks.setdefault(run.check.id, []).append(
                _point(
                    {
                        "run_id": None,
                        "as_of": as_of,
                        "relevant": run.relevant,
                        "flagged": run.flagged,
                    }
                )
            )
    out["trend"] = {"areas": trend_areas, "checks": trend_checks}
    return out


def _point(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "run_id": row["run_id"],
        "as_of": row["as_of"],
        "relevant": row["relevant"],
        "flagged": row["flagged"],
        "met": row["relevant"] - row["flagged"],
        "percent": _pct(row["relevant"], row["flagged"]),
    }


def _finding_batches(con: Any) -> Iterator[list[tuple]]:
    names = [c for c in models.FINDING_COLUMNS if c != "run_id"]
    cursor = con.execute(f"SELECT {', '.join(names)} FROM history_current")
    while True:
        batch = cursor.fetchmany(BATCH)
        if not batch:
            return
        yield batch


def record_result(result: Any, settings: Any, store: HistoryStore | None = None) -> int | None:
    """Record a finished run in the history store (one transaction); return its run id.

    Does nothing (returns None) when the settings name no history store, or when
    this result was already recorded.
    """
    if getattr(result, "history_run_id", None) is not None:
        return result.history_run_id
    url = history_url(settings)
    if not url and store is None:
        return None
    own = store is None
    store = store or HistoryStore(url)
    try:
        previous = _classify(result, store)
        counts = _counts(result.con)
        con = result.con
        total, flagged = con.execute(
            "SELECT count(*), count(DISTINCT case_id) FROM history_current"
        ).fetchone()
        now = dt.datetime.now().replace(microsecond=0)
        started = result.started_at
        if getattr(started, "tzinfo", None) is not None:
            started = started.astimezone().replace(tzinfo=None)
        run = {
            "recorded_at": now,
            "started_at": started.replace(microsecond=0),
            "as_of": result.as_of,
            "scope": result_scope(result),
            "suite": result.suite.name,
            "export": str(result.loaded.description)[:1000],
            "export_sha256": result.loaded.fingerprint,
            "tool_version": result.tool_version,
            "cases_in_scope": result.cases_in_scope,
            "findings": total,
            "flagged_cases": flagged,
            "previous_run_id": previous["id"] if previous else None,
            "same_export": bool(
                previous and previous["export_sha256"] == result.loaded.fingerprint
            ),
            **counts,
        }
        checks = [
            {
                "check_id": r.check.id,
                "area": r.check.area,
                "severity": r.severity,
                "status": r.status,
                "relevant": r.relevant,
                "flagged": r.flagged,
            }
            for r in result.checks
        ]
        run_id = store.record(run, checks, _area_counts(result), _finding_batches(con))
    finally:
        if own:
            store.close()
    result.history_run_id = run_id
    return run_id
