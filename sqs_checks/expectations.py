"""Great Expectations in suites: a suite's ``expectations:`` block, run through GX 1.x.

A suite lists expectations per canonical table by their standard GX names
and arguments::

    expectations:
      cases:
        - expect_column_values_to_not_be_null: {column: case_manager, mostly: 0.99}
        - expect_column_values_to_be_unique: {column: case_id}
      assessments:
        - expect_column_values_to_not_be_null:
            column: author
            meta: {severity: medium}      # optional: low (default) | medium | high

Each expectation becomes a check-like entry of the run,
``data.expectation.<name>`` (``<name>`` is the expectation's standard name);
when a suite uses the same expectation more than once, each id adds the table
and column: ``data.expectation.<name>.<table>.<column>``. Area ``data``:

* its **relevant** cases are the in-scope cases with rows in that table (for
  ``offences``, the in-scope cases of the child; for ``plan_reviews``, the
  case of the plan);
* when the expectation fails, each failing row becomes a finding on its case
  (``reason`` = the expectation name, ``record_table``/``record_id`` = the
  row), found through GX's ``unexpected_index_column_names``; a row-less
  expectation (``expect_table_row_count_to_be_between``) that fails flags no
  case and says so in the entry's reason;
* a passing expectation (``mostly`` included) flags nothing;
* a table the export does not have, or a column it lacks, makes the entry
  ``skipped``; an expectation GX cannot evaluate is ``error`` - the run goes on.

The data are the as-of views the checks see, restricted to in-scope cases.
GX is imported only here, only when a suite has expectations, with its
analytics switched off before the import and an ephemeral (in-memory) data
context, so nothing is written to disk or sent anywhere.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqs_checks.checks import SEVERITIES, Check
from sqs_checks.engine import check_counts, record_check_cases
from sqs_checks.errors import ConfigError
from sqs_checks.result import CheckRun

if TYPE_CHECKING:  # pragma: no cover
    from sqs_checks.result import RunResult

LINK_COLUMNS = ("case_id", "plan_id", "child_id")
COLUMN_ARGS = ("column", "column_A", "column_B")
COLUMN_LIST_ARGS = ("column_list",)


@dataclass
class Expectation:
    """One expectation of a suite, as configured."""

    table: str
    name: str
    kwargs: dict[str, Any]
    check_id: str
    severity: str

    @property
    def columns(self) -> list[str]:
        """The columns the expectation names."""
        cols = [str(self.kwargs[k]) for k in COLUMN_ARGS if k in self.kwargs]
        for key in COLUMN_LIST_ARGS:
            cols += [str(c) for c in self.kwargs.get(key) or []]
        return cols


def parse_expectations(block: dict[str, list[Any]], origin: str = "the suite") -> list[Expectation]:
    """The expectations of a suite's block, with unique check ids.

    Raises :class:`ConfigError` for a block that is not a list of
    ``{expectation_name: {arguments}}`` items.
    """
    found: list[Expectation] = []
    for table, items in (block or {}).items():
        for item in items or []:
            if isinstance(item, str):
                item = {item: {}}
            if not isinstance(item, dict) or len(item) != 1:
                raise ConfigError(
                    f"In {origin}, each item of expectations.{table} must be one "
                    "expectation name with its arguments, e.g. "
                    "expect_column_values_to_not_be_null: {column: case_manager}."
                )
            name, kwargs = next(iter(item.items()))
            name = str(name)
            kwargs = dict(kwargs or {})
            if not name.startswith("expect_"):
                raise ConfigError(
                    f"In {origin}, expectations.{table} names {name!r}, which is not a Great "
                    "Expectations expectation (their names start with expect_)."
                )
            meta = kwargs.get("meta") or {}
            severity = str(meta.get("severity", "low")) if isinstance(meta, dict) else "low"
            if severity not in SEVERITIES:
                raise ConfigError(
                    f"In {origin}, expectations.{table}.{name} has severity {severity!r} "
                    f"(allowed: {', '.join(SEVERITIES)})."
                )
            found.append(Expectation(table, name, kwargs, "", severity))
    return _assign_ids(found)


def _assign_ids(found: list[Expectation]) -> list[Expectation]:
    """``data.expectation.<name>``; where a name recurs, ``.<table>.<column>`` is added."""
    counts: dict[str, int] = {}
    for exp in found:
        counts[exp.name] = counts.get(exp.name, 0) + 1
    used: set[str] = set()
    for exp in found:
        check_id = f"data.expectation.{exp.name}"
        if counts[exp.name] > 1:
            column = exp.kwargs.get("column") or exp.kwargs.get("column_A")
            check_id = ".".join([check_id, exp.table, *([str(column)] if column else [])])
        base, n = check_id, 2
        while check_id in used:
            check_id, n = f"{base}_{n}", n + 1
        used.add(check_id)
        exp.check_id = check_id
    return found


def _entry(exp: Expectation) -> CheckRun:
    args = ", ".join(f"{k}={v}" for k, v in exp.kwargs.items() if k != "meta")
    check = Check(
        id=exp.check_id,
        title=f"{exp.table}: {exp.name.replace('_', ' ')}" + (f" ({args})" if args else ""),
        area="data",
        seed="-",
        severity=exp.severity,
        doc=f"Great Expectations expectation {exp.name} on the {exp.table} table.",
        reasons={exp.name: "a row of the table does not meet the expectation"},
        relevance=f"the case has rows in the {exp.table} table",
        source="suite expectations",
    )
    return CheckRun(check=check, severity=exp.severity, params=dict(exp.kwargs))


def _import_gx() -> Any:
    """Import Great Expectations with analytics off (before the import)."""
    os.environ["GX_ANALYTICS_ENABLED"] = "False"
    import logging
    import warnings

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
    return gx


def _context(gx: Any) -> Any:
    """An in-memory GX data context: no files, no progress bars, no analytics."""
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        analytics_enabled=False,
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _builtin_id_column(table: str) -> str | None:
    from sqs_checks.contract import BUILTIN_TABLES

    for spec in BUILTIN_TABLES:
        if spec.name == table:
            return spec.id_column
    return None


def _id_column(table: str, columns: list[str]) -> str | None:
    known = _builtin_id_column(table)
    if known and known in columns:
        return known
    for col in columns:
        if col.endswith("_id") and col not in LINK_COLUMNS and col != "assessment_id":
            return col
    return None


def _link(table: str, columns: list[str]) -> str | None:
    if "case_id" in columns:
        return "case_id"
    if "plan_id" in columns and table != "plans":
        return "plan_id"
    if "child_id" in columns:
        return "child_id"
    return None


def _rows_sql(table: str, link: str | None) -> str:
    """The table's rows that belong to in-scope cases (all rows when it has no link)."""
    if link == "case_id":
        return f"SELECT * FROM {table} WHERE case_id IN (SELECT case_id FROM scope_cases)"
    if link == "plan_id":
        return (
            f"SELECT * FROM {table} WHERE plan_id IN (SELECT plan_id FROM plans "
            "WHERE case_id IN (SELECT case_id FROM scope_cases))"
        )
    if link == "child_id":
        return (
            f"SELECT * FROM {table} WHERE child_id IN (SELECT child_id FROM cases "
            "WHERE case_id IN (SELECT case_id FROM scope_cases))"
        )
    return f"SELECT * FROM {table}"


def _cases_of(con: Any, link: str | None, key: Any) -> list[str]:
    """The in-scope case ids a row (by its link value) belongs to."""
    if link is None or key is None:
        return []
    if link == "case_id":
        query = "SELECT case_id FROM scope_cases WHERE case_id = $k"
    elif link == "plan_id":
        query = (
            "SELECT case_id FROM plans WHERE plan_id = $k "
            "AND case_id IN (SELECT case_id FROM scope_cases)"
        )
    else:
        query = (
            "SELECT case_id FROM cases WHERE child_id = $k "
            "AND case_id IN (SELECT case_id FROM scope_cases)"
        )
    return [r[0] for r in con.execute(query, {"k": str(key)}).fetchall()]


def _relevant_sql(table: str, link: str | None) -> str | None:
    if link == "case_id":
        return f"SELECT DISTINCT case_id FROM ({_rows_sql(table, link)})"
    if link == "plan_id":
        return (
            f"SELECT DISTINCT p.case_id FROM ({_rows_sql(table, link)}) t "
            "JOIN plans p USING (plan_id)"
        )
    if link == "child_id":
        return (
            f"SELECT DISTINCT c.case_id FROM ({_rows_sql(table, link)}) t JOIN cases c "
            "USING (child_id) WHERE c.case_id IN (SELECT case_id FROM scope_cases)"
        )
    return None


def _plain(value: Any) -> Any:
    """A JSON-friendly value (numpy and pandas scalars, NaN and NaT become plain)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and math.isnan(value):
        return None
    if type(value).__name__ in ("NaTType", "NAType"):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return value


def _message(exp: Expectation, table: str, record: str, values: dict[str, Any]) -> str:
    shown = [
        f"{col} is blank" if values.get(col) is None else f"{col} is {values[col]!r}"
        for col in exp.columns
        if col in values
    ]
    what = "; ".join(shown) or "the row"
    return (
        f"Data check: in the {table} record {record}, {what}, which fails the suite's "
        f"expectation {exp.name}; correct it in the case-management system."
    )


def run_expectations(result: RunResult, suite: Any) -> None:
    """Run ``suite.expectations`` over the canonical tables; add entries and findings.

    Each expectation is appended to ``result.checks`` as a :class:`CheckRun`
    of area ``data``; its findings go into the ``findings`` table and its
    relevant cases into ``relevance``.
    """
    expectations = parse_expectations(suite.expectations, f"the suite {suite.path}")
    if not expectations:
        return
    runs = [_entry(e) for e in expectations]
    try:
        gx = _import_gx()
    except ImportError:
        for run in runs:
            run.status = "skipped"
            run.reason = "Great Expectations is not installed (pip install great_expectations)"
        result.checks.extend(runs)
        return
    from great_expectations.expectations.registry import get_expectation_impl

    context = _context(gx)
    source = context.data_sources.add_pandas("sqs_checks")
    con = result.con
    batches: dict[str, Any] = {}
    for exp, run in zip(expectations, runs, strict=True):
        try:
            _run_one(con, result, source, batches, get_expectation_impl, exp, run)
        except ConfigError:
            raise
        except Exception as exc:  # noqa: BLE001 - one expectation never stops the run
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            run.status, run.reason = "error", f"{exp.name}: {text}"
    result.checks.extend(runs)
    for run in runs:
        record_check_cases(con, run.check.id)
    counts = check_counts(con)
    for run in runs:
        run.relevant, run.flagged = counts.get(run.check.id, (0, 0))


def _run_one(
    con: Any,
    result: RunResult,
    source: Any,
    batches: dict[str, Any],
    get_impl: Any,
    exp: Expectation,
    run: CheckRun,
) -> None:
    """Evaluate one expectation and store its relevance and findings."""
    import time

    started = time.perf_counter()
    tables = result.loaded.columns
    if exp.table not in tables:
        run.status, run.reason = "skipped", f"the export has no {exp.table} table"
        return
    columns = sorted(tables[exp.table])
    absent = [c for c in exp.columns if c not in tables[exp.table]]
    if absent:
        run.status, run.reason = "skipped", f"the {exp.table} table has no {absent[0]} column"
        return
    try:
        impl = get_impl(exp.name)
    except Exception:  # noqa: BLE001 - GX raises its own ExpectationNotFoundError
        raise ConfigError(
            f"The suite's expectations name {exp.name!r}, which Great Expectations does not "
            "have; check the spelling against the GX expectation gallery."
        ) from None
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            expectation = impl(**exp.kwargs)
    except Exception as exc:  # noqa: BLE001 - pydantic validation of the arguments
        first = " ".join(str(exc).split())[:200]
        raise ConfigError(
            f"The suite's expectation {exp.name} on {exp.table} has arguments GX does not "
            f"accept: {first}."
        ) from None
    link = _link(exp.table, columns)
    id_col = _id_column(exp.table, columns)
    if exp.table not in batches:
        frame = con.execute(_rows_sql(exp.table, link)).df()
        asset = source.add_dataframe_asset(name=exp.table)
        definition = asset.add_batch_definition_whole_dataframe(f"{exp.table}_all")
        batches[exp.table] = definition.get_batch(batch_parameters={"dataframe": frame})
    batch = batches[exp.table]
    index_columns = [c for c in dict.fromkeys([id_col, link]) if c]
    result_format: dict[str, Any] = {"result_format": "COMPLETE"}
    if index_columns:
        result_format["unexpected_index_column_names"] = index_columns
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        outcome = batch.validate(expectation, result_format=result_format)
    info = outcome.exception_info or {}
    raised = [v for v in info.values() if isinstance(v, dict) and v.get("raised_exception")]
    if info.get("raised_exception") or raised:
        detail = info.get("exception_message") or (
            raised[0].get("exception_message") if raised else ""
        )
        run.status = "error"
        run.reason = f"{exp.name}: {str(detail).strip().splitlines()[0] if detail else 'GX failed'}"
        return
    relevant = _relevant_sql(exp.table, link)
    if relevant:
        con.execute(
            "INSERT INTO relevance SELECT DISTINCT $id, CAST(case_id AS VARCHAR) "
            f"FROM ({relevant})",
            {"id": exp.check_id},
        )
    run.status = "ran"
    if outcome.success:
        run.seconds = time.perf_counter() - started
        return
    res = outcome.result or {}
    rows = res.get("unexpected_index_list")
    if not rows or not isinstance(rows, list) or not isinstance(rows[0], dict):
        observed = res.get("observed_value")
        run.reason = (
            f"expectation not met (observed: {_plain(observed)}); it names no rows, "
            "so no case is flagged"
        )
        run.seconds = time.perf_counter() - started
        return
    findings = []
    for row in rows:
        values = {k: _plain(v) for k, v in row.items()}
        record = values.get(id_col) if id_col else None
        for case_id in _cases_of(con, link, values.get(link) if link else None):
            evidence = {
                "expectation": exp.name,
                "arguments": {k: _plain(v) for k, v in exp.kwargs.items() if k != "meta"},
                "values": {c: values.get(c) for c in exp.columns if c in values},
            }
            findings.append(
                {
                    "case_id": case_id,
                    "reason": exp.name,
                    "record_table": exp.table,
                    "record_id": None if record is None else str(record),
                    "message": _message(exp, exp.table, str(record or "-"), values),
                    "evidence": json.dumps(evidence, default=str),
                }
            )
    if findings:
        import pyarrow as pa

        table = pa.Table.from_pylist(findings)
        con.register("_gx_findings", table)
        try:
            con.execute(
                "INSERT INTO findings (check_id, case_id, reason, record_table, record_id, "
                "message, evidence) SELECT DISTINCT ON "
                "(case_id, reason, record_table, record_id) $id, case_id, reason, "
                "record_table, record_id, message, CAST(evidence AS JSON) "
                "FROM _gx_findings ORDER BY case_id, reason, record_table, record_id",
                {"id": exp.check_id},
            )
            con.execute(
                "INSERT INTO relevance SELECT DISTINCT $id, case_id FROM _gx_findings "
                "WHERE case_id NOT IN (SELECT case_id FROM relevance WHERE check_id = $id)",
                {"id": exp.check_id},
            )
        finally:
            con.unregister("_gx_findings")
    run.seconds = time.perf_counter() - started
