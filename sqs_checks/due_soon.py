"""What falls due soon: the checks' deadlines that pass within N working days unless met.

A finding reports a deadline already missed; the *due soon* list prevents the
next one. It holds, per case, each deadline of the checks that falls from the
as-of date (due today) to ``wd_add(as_of, N)`` inclusive and is not yet met:
an initial assessment, a plan, a review, a sign-off, a release plan, a
pre-sentence report for a court date.

Each deadline has one source of truth, the check's own rules. A check lists
what can fall due in :attr:`~sqs_checks.checks.Check.upcoming` (reason code ->
what is due); the engine evaluates the check again *as of the day after the
window* and keeps the findings of those reasons due on or after the as-of
date: exactly the deadlines that will have passed by then unless the work is
done. The as-of views stay those of the run (records up to the as-of date), so
work already done meets its deadline, and a deadline already missed is a
finding, not a due-soon item. A check may instead answer
:meth:`~sqs_checks.checks.Check.due_soon` itself.

A run lists each check's items straight after the check ran
(:class:`DueSoonCollector`), so the second evaluation skips rebuilding the
working tables that do not depend on the date (:mod:`sqs_checks.reuse`).

The items go to the ``due_soon`` table (in-scope cases of the check's
disposals only); :meth:`sqs_checks.result.RunResult.due_soon` reads them for
the current filters. They are never findings and never scored.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import json
import re
import string
import time
from typing import Any

from sqs_checks.calendar import Calendar, uk
from sqs_checks.checks import Check, CheckContext, bind_params
from sqs_checks.engine import (
    _cleanup,
    _columns,
    _materialise,
    due_date_sql,
    judged_cases_sql,
    suite_settings,
)
from sqs_checks.reuse import ReusingConnection, Statement
from sqs_checks.timings import rss_bytes

DEFAULT_WITHIN = 10
"""Working days ahead the reports list by default."""

COLUMNS = "check_id VARCHAR, case_id VARCHAR, due_date DATE, what VARCHAR, record_table VARCHAR, "
COLUMNS += "record_id VARCHAR, working_days INTEGER"

RECORD_NAMES = {
    "assessments": "assessment",
    "plans": "plan",
    "plan_reviews": "plan review",
    "events": "event",
    "court_reports": "court report",
    "referrals": "referral",
    "cases": "case",
}
"""How a due-soon text names a record's table (``{record}``: "assessment A12")."""


def window_end(calendar: Calendar, as_of: dt.date, within: int) -> dt.date:
    """The last day listed: ``wd_add(as_of, within)``, and never before the as-of date."""
    return max(as_of, calendar.wd_add(as_of, within))


def working_days_between(calendar: Calendar, start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is ``start``)."""
    days = calendar.working_days
    if calendar.first <= start and end <= calendar.last:
        return max(bisect.bisect_right(days, end) - bisect.bisect_right(days, start), 0)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _word(value: Any) -> str:
    """An evidence value as a due-soon text shows it: dates UK, codes as words."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    return _text_word(str(value))


@functools.lru_cache(maxsize=4096)
def _text_word(text: str) -> str:
    """:func:`_word` of a text (a run's dates and codes repeat: each is worked out once)."""
    try:
        return uk(dt.date.fromisoformat(text)) if len(text) == 10 else text.replace("_", " ")
    except ValueError:
        return text.replace("_", " ")


@functools.cache
def _fields(template: str) -> frozenset[str]:
    """The names ``template`` reads: each field's name before any ``.`` or ``[``, nested
    fields of a format spec included."""
    names: set[str] = set()
    for _, field, spec, _ in string.Formatter().parse(template):
        if field:
            names.add(re.split(r"[.\[]", field, maxsplit=1)[0])
        if spec:
            names |= _fields(spec)
    return frozenset(names)


def what_text(template: str, evidence: dict[str, Any], table: Any, record: Any) -> str:
    """``template`` filled from the evidence and the record ("Review of ... on 12/03/2013").

    Only the evidence the template names is turned into words.
    """
    fields = _fields(template)
    values = _Blank({str(k): _word(v) for k, v in evidence.items() if str(k) in fields})
    if record is not None:
        values["record"] = f"{RECORD_NAMES.get(str(table), str(table))} {record}".strip()
    return " ".join(template.format_map(values).split())


def _create_table(con: Any) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE due_soon ({COLUMNS})")


class DueSoonCollector:
    """Fills the ``due_soon`` table one check at a time.

    The engine hands it each check straight after the check ran
    (``run_checks(after_check=...)``), with the working tables the check's
    main evaluation built and may share (:mod:`sqs_checks.reuse`); they are
    still there, so the evaluation as of the day after the window skips
    rebuilding them. ``errors`` names a check whose list could not be made (one
    sentence each); ``seconds`` and ``peak_bytes`` measure the work.

    ``drops_tables``: whether :meth:`collect` drops the working tables when done.
    ``run_checks`` drops them straight after ``after_check`` returns, so a
    collector handed to it need not look for them first.
    """

    def __init__(
        self,
        con: Any,
        *,
        as_of: dt.date,
        calendar: Calendar,
        within: int,
        suite: Any,
        tables: dict[str, set[str]],
        drops_tables: bool = True,
    ) -> None:
        self.con = con
        self.drops_tables = drops_tables
        self.as_of = as_of
        self.calendar = calendar
        self.within = within
        self.until = window_end(calendar, as_of, within)
        self.settings = suite_settings(suite)
        self.tables = tables
        self.errors: list[str] = []
        self.seconds = 0.0
        self.peak_bytes = 0
        _create_table(con)

    def collect(self, run: Any, reuse: list[Statement] | None = None) -> None:
        """Add the items of one check that ran (or ran in part); nothing for the others."""
        check = run.check
        if run.status not in ("ran", "partial"):
            return
        if not check.upcoming and type(check).due_soon is Check.due_soon:
            return
        started = time.perf_counter()
        ctx = CheckContext(
            con=ReusingConnection(self.con, reuse) if reuse else self.con,
            as_of=self.as_of,
            params=dict(run.params),
            calendar=self.calendar,
            tables=self.tables,
            suite=self.settings,
            judged=run.judged or frozenset(check.reasons),
            due_until=self.until,
        )
        try:
            rows = _items(check, ctx)
            _insert(self.con, check, rows, self.calendar, self.as_of)
        except Exception as exc:  # noqa: BLE001 - one check's list never stops the run
            self.con.execute("DELETE FROM due_soon WHERE check_id = $c", {"c": check.id})
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.errors.append(f"{check.id}: {text}")
        finally:
            if self.drops_tables:
                _cleanup(self.con)
            self.seconds += time.perf_counter() - started
            self.peak_bytes = max(self.peak_bytes, rss_bytes())

    def finish(self, result: Any) -> None:
        """Record the window and the errors on ``result``."""
        result.due_within = self.within
        result.due_until = self.until
        result.due_soon_errors = list(self.errors)


def collect_due_soon(result: Any, within: int, calendar: Calendar) -> None:
    """Fill the ``due_soon`` table of ``result`` with the deadlines of the next ``within`` days.

    For a run whose checks have already been cleaned up: each check's working
    tables are rebuilt. Checks that did not run list nothing. A check whose list
    cannot be made is named in ``result.due_soon_errors`` (one sentence each);
    the run goes on.
    """
    collector = DueSoonCollector(
        result.con,
        as_of=result.as_of,
        calendar=calendar,
        within=within,
        suite=result.suite,
        tables=result.loaded.columns,
    )
    for run in result.checks:
        collector.collect(run)
    collector.finish(result)


def _items(check: Check, ctx: CheckContext) -> list[tuple[Any, ...]]:
    """(case_id, due_date, what, record_table, record_id) of one check's due-soon items."""
    con = ctx.con
    window = (
        f"due_date BETWEEN $window_from AND $window_to AND case_id IN ({judged_cases_sql(check)})"
    )
    bound = {"window_from": ctx.as_of, "window_to": ctx.due_until}
    own = check.due_soon(ctx)
    if own is not None:
        if isinstance(own, str):
            params = bind_params(own, {**ctx.params, "due_until": ctx.due_until}, ctx.as_of)
            con.execute(f"CREATE OR REPLACE TEMP TABLE _out_due AS {own}", params)
            table = "_out_due"
        else:
            table = _materialise(con, ctx, own, "due")
        cols = _columns(con, table)
        record = ", ".join(
            f"CAST({c} AS VARCHAR) AS {c}" if c in cols else f"NULL AS {c}"
            for c in ("record_table", "record_id")
        )
        return con.execute(
            "SELECT DISTINCT * FROM (SELECT CAST(case_id AS VARCHAR) AS case_id, "
            f"CAST(due_date AS DATE) AS due_date, CAST(what AS VARCHAR) AS what, {record} "
            f"FROM {table}) WHERE {window}",
            bound,
        ).fetchall()
    reasons = [r for r in check.upcoming if ctx.judges(r)]
    # as of the day after the window, judging only the reasons that can fall due
    later = dataclasses.replace(
        ctx,
        as_of=ctx.due_until + dt.timedelta(days=1),
        judged=frozenset(reasons),
        params={**ctx.params, "due_soon_reasons": reasons},
    )
    output = check.evaluate(later)
    findings = output.findings
    if isinstance(findings, str):
        # read in place, never stored: the filter prunes the other reasons' branches unrun,
        # and the columns not read (the message) are never computed
        params = bind_params(findings, later.params, later.as_of)
        cols = [r[0] for r in con.execute(f"DESCRIBE {findings}", params).fetchall()]
        table = f"(SELECT * FROM ({findings}) WHERE list_contains($due_soon_reasons, reason))"
        bound.update(params, due_soon_reasons=reasons)
    else:
        table = _materialise(con, later, findings, "findings")
        cols = _columns(con, table)
    if "reason" not in cols or "case_id" not in cols:
        return []
    evidence = "CAST(evidence AS VARCHAR)" if "evidence" in cols else "NULL"
    record = ", ".join(
        f"CAST({c} AS VARCHAR) AS {c}" if c in cols else f"NULL AS {c}"
        for c in ("record_table", "record_id")
    )
    found = con.execute(
        "SELECT DISTINCT * FROM ("
        f"SELECT CAST(case_id AS VARCHAR) AS case_id, {due_date_sql(cols)} AS due_date, "
        f"CAST(reason AS VARCHAR) AS reason, {evidence} AS evidence, {record} FROM {table}) "
        f"WHERE list_contains($due_soon_reasons, reason) AND {window}",
        {**bound, "due_soon_reasons": reasons},
    ).fetchall()
    items = []
    for case_id, due, reason, raw, record_table, record_id in found:
        try:
            evidence_dict = json.loads(raw) if raw else {}
        except ValueError:
            evidence_dict = {}
        if not isinstance(evidence_dict, dict):
            evidence_dict = {}
        what = what_text(check.upcoming[reason], evidence_dict, record_table, record_id)
        items.append((case_id, due, what, record_table, record_id))
    return items


def _insert(
    con: Any, check: Check, rows: list[tuple[Any, ...]], calendar: Calendar, as_of: dt.date
) -> None:
    """Add one check's items to ``due_soon`` with the working days left to each."""
    if not rows:
        return
    import pyarrow as pa

    table = pa.table(
        {
            "check_id": [check.id] * len(rows),
            "case_id": [r[0] for r in rows],
            "due_date": pa.array([r[1] for r in rows], type=pa.date32()),
            "what": [r[2] for r in rows],
            "record_table": pa.array([r[3] for r in rows], type=pa.string()),
            "record_id": pa.array([r[4] for r in rows], type=pa.string()),
            "working_days": pa.array(
                [working_days_between(calendar, as_of, r[1]) for r in rows], type=pa.int32()
            ),
        }
    )
    con.register("_due_rows", table)
    try:
        con.execute("INSERT INTO due_soon SELECT * FROM _due_rows")
    finally:
        con.unregister("_due_rows")
