"""What every human-readable report shares: the redacted view of a run, advice, formatting.

:class:`ReportData` wraps a :class:`~sqs_checks.result.RunResult` for the
reporters. It applies ``--redact`` (see :mod:`sqs_checks.redaction`) to
everything it hands out, so a reporter cannot forget it, and streams findings
out of DuckDB in a stable order (by check, by case or by case manager) without
holding them all as Python objects.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

from sqs_checks.checks import AREAS, SEVERITIES
from sqs_checks.redaction import Redactor

ADVICE_BY_REASON: dict[str, str] = {
    "missing": "Complete and record it now, and note on the case why it was not done on time.",
    "late": (
        "It cannot be on time now: record the reason for the delay on the case and make sure "
        "the next one is done by its deadline."
    ),
    "overdue": "Review it now and record the review: it is past its review date.",
    "not_reviewed_after_event": (
        "Review the assessment or plan in the light of this event and record the review."
    ),
    "level_unclear": "Record the level on the assessment.",
    "no_contingency": (
        "Add contingency arrangements to the plan: what will be done if risk or "
        "circumstances change."
    ),
    "copied": (
        "Rewrite the assessment from current information instead of carrying the previous "
        "one forward."
    ),
    "offences_overlooked": (
        "Reconsider the risk of serious harm level against the child's offending history and "
        "record your reasons."
    ),
    "victim_not_addressed": "Make a victim safety plan or a victim liaison referral.",
    "level_not_recorded": "Record the MAPPA level.",
    "not_referred": "Make the MAPPA referral the level calls for.",
    "rosh_not_addressed": (
        "Make sure the court report includes an assessment of the risk of harm to others."
    ),
    "no_quality_assurance": "Have court reports quality-assured before they are submitted.",
    "old_assessment": "Base the court report on a current assessment: reassess first.",
    "not_assessed": (
        "Record how diversity and barriers to engagement were considered on the assessment."
    ),
    "child_not_involved": "Record the child's own views (self-assessment) on the assessment.",
    "carer_not_involved": "Involve the parents or carers and record it on the assessment.",
    "self_sign_off": "Ask a manager to countersign it: authors cannot sign off their own work.",
    "before_completion": "Check the dates, and have the finished work signed off again.",
    "not_a_manager": (
        "Have it countersigned by a practice or operational manager (or correct the staff table)."
    ),
    "signed_off_deficient": (
        "Ask the manager who signed it off to look at it again and record what must change."
    ),
    "record_excluded": (
        "Correct this record in the case-management system (see Input problems) so that it "
        "can be checked."
    ),
}
"""What a case manager should do about a finding, by reason code."""

ADVICE_BY_AREA_REASON: dict[tuple[str, str], str] = {
    ("oversight", "missing"): "Ask a manager to countersign it now.",
    ("oversight", "late"): (
        "Nothing to redo: make sure future work is signed off within the deadline."
    ),
}
"""Advice that depends on the area as well as the reason."""

DEFAULT_ADVICE = "Look at the record named here and put right what the message describes."

ACT_NOW = "act_now"
"""A finding that can still be put right: the work can be done, completed or corrected now."""

RECORD_REASON = "record_reason"
"""A finding that is history: it cannot be undone, so record the reason on the case."""

ACTION_LABELS = {ACT_NOW: "Act now", RECORD_REASON: "Record the reason"}
"""How the reports name each kind of finding."""

ACTION_BY_REASON: dict[str, str] = {
    # still fixable: doing the work now, or correcting the record, puts it right
    "missing": ACT_NOW,
    "overdue": ACT_NOW,
    "not_reviewed_after_event": ACT_NOW,
    "level_unclear": ACT_NOW,
    "no_contingency": ACT_NOW,
    "victim_not_addressed": ACT_NOW,
    "level_not_recorded": ACT_NOW,
    "not_referred": ACT_NOW,
    "not_assessed": ACT_NOW,
    "child_not_involved": ACT_NOW,
    "carer_not_involved": ACT_NOW,
    "copied": ACT_NOW,
    "offences_overlooked": ACT_NOW,
    "record_excluded": ACT_NOW,
    "value_dropped": ACT_NOW,
    # the document still lacks a valid countersignature, which a manager can add now
    "self_sign_off": ACT_NOW,
    "not_a_manager": ACT_NOW,
    "before_completion": ACT_NOW,
    # history: it happened, and cannot be made on time or undone
    "late": RECORD_REASON,
    # a submitted pre-sentence report has gone to court: it cannot be changed now
    "no_quality_assurance": RECORD_REASON,
    "no_assessment": RECORD_REASON,
    "old_assessment": RECORD_REASON,
    "rosh_not_addressed": RECORD_REASON,
    # the manager signed off deficient work; putting the work right is its own finding
    "signed_off_deficient": RECORD_REASON,
}
"""Whether a finding can still be put right (``act_now``) or is history (``record_reason``).

A reason not listed here is ``act_now``: an unknown finding is never tucked away
as history. A check may classify its own reasons with ``actions`` (reason ->
``act_now`` or ``record_reason``), as it may give its own ``advice``.
"""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Characters that make a spreadsheet read a cell as a formula."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def advice(check: Any, reason: str) -> str:
    """What to do about a finding of ``check`` with ``reason``.

    A check may carry its own advice as an ``advice`` mapping (reason -> text);
    otherwise the advice for the reason code (and area) is used.
    """
    own = getattr(check, "advice", None) or {}
    if reason in own:
        return str(own[reason])
    area = getattr(check, "area", "")
    return ADVICE_BY_AREA_REASON.get((area, reason)) or ADVICE_BY_REASON.get(reason, DEFAULT_ADVICE)


def action(check: Any, reason: str) -> str:
    """``act_now`` or ``record_reason`` for a finding of ``check`` with ``reason``."""
    own = getattr(check, "actions", None) or {}
    if own.get(reason) in ACTION_LABELS:
        return str(own[reason])
    return ACTION_BY_REASON.get(reason, ACT_NOW)


def action_sql(checks: list[Any]) -> tuple[str, str]:
    """A CTE ``_act(check_id, reason, action)`` of the checks' own classifications, and the
    SQL expression of a finding's action (over ``f.check_id``, ``f.reason`` and ``_act``)."""
    rows = [
        (c.id, reason, value)
        for c in checks
        for reason, value in (getattr(c, "actions", None) or {}).items()
        if value in ACTION_LABELS
    ]
    values = ", ".join(f"({_lit(a)}, {_lit(b)}, {_lit(v)})" for a, b, v in rows)
    cte = f"_act(check_id, reason, action) AS (VALUES {values or '(NULL, NULL, NULL)'})"
    history = ", ".join(_lit(r) for r, v in ACTION_BY_REASON.items() if v == RECORD_REASON)
    expr = (
        f"coalesce(_act.action, CASE WHEN f.reason IN ({history}) THEN '{RECORD_REASON}' "
        f"ELSE '{ACT_NOW}' END)"
    )
    return cte, expr


def _lit(text: Any) -> str:
    return "'" + str(text).replace("'", "''") + "'"


SEVERITY_RANK_SQL = (
    "CASE {col} WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END"
)
"""SQL ranking a severity column (format with ``col=``), highest first."""


def report_reference(seed: str | None) -> str:
    """The inspection report paragraphs a check comes from, as every output writes them.

    ``"1.1"`` -> ``report ¶1.1``; ``"1.1, 1.2"`` -> ``report ¶1.1, ¶1.2``; ``"mgmt"``
    -> ``report: operational management``; none (``-``) -> ``""``; anything else (a
    local check's ``local``) -> ``source: local``.
    """
    parts = [p.strip() for p in (seed or "").split(",") if p.strip().strip("-—")]
    if not parts:
        return ""
    numbered = [p for p in parts if re.fullmatch(r"\d+(\.\d+)*", p)]
    words = []
    if numbered:
        words.append("report " + ", ".join(f"¶{p}" for p in numbered))
    if "mgmt" in parts:
        words.append("report: operational management")
    other = [p for p in parts if p not in numbered and p != "mgmt"]
    if other:
        words.append("source: " + ", ".join(other))
    return "; ".join(words)


def uk_date(value: Any) -> str:
    """A date (or ISO date text) as DD/MM/YYYY; anything else unchanged as text."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and _ISO_DATE.match(value):
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    return "" if value is None else str(value)


def as_date(value: Any) -> dt.date | None:
    """A date from a date or ISO date text, else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def clean_text(value: Any) -> str:
    """Text without the control characters XML and spreadsheets cannot hold."""
    return _CONTROL.sub("", "" if value is None else str(value))


def defuse_formula(value: Any) -> Any:
    """Text that a spreadsheet cannot read as a formula: a leading ``=+-@`` gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def evidence_value(value: Any) -> str:
    """One evidence value in words: dates DD/MM/YYYY, yes/no, lists joined, "none" for null."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k.replace('_', ' ')} {evidence_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(evidence_value(v) for v in value) or "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return uk_date(value)


def evidence_text(evidence: dict[str, Any]) -> str:
    """Evidence as one line of words: ``deadline: 28/01/2013; has contingency: no``."""
    return "; ".join(
        f"{key.replace('_', ' ')}: {evidence_value(value)}" for key, value in evidence.items()
    )


def due_window(result: Any) -> str:
    """The run's due-soon window in words: "the next 10 working days (to 01/04/2013)".

    "" when the run listed nothing due soon.
    """
    within = getattr(result, "due_within", None)
    until = getattr(result, "due_until", None)
    if within is None or until is None:
        return ""
    if within == 0:
        return f"today ({uk_date(until)})"
    days = "working day" if within == 1 else f"{within} working days"
    return f"the next {days} (to {uk_date(until)})"


def days_text(working_days: int | None) -> str:
    """ "due today", "1 working day", "3 working days"."""
    if not working_days:
        return "due today"
    return f"{working_days} working day{'' if working_days == 1 else 's'}"


def due_text(item: dict[str, Any]) -> str:
    """A due-soon item in words: "Review of ... due by 25/03/2013 (3 working days)"."""
    return f"{item['what']} due by {uk_date(item['due_date'])} ({days_text(item['working_days'])})"


def severity_order(severity: str | None) -> int:
    """Rank for sorting, highest severity first."""
    return -SEVERITIES.index(severity) if severity in SEVERITIES else 1


def filters_text(filters: dict[str, str] | None) -> str:
    """ "case manager Sam Lee, team North" for a filtered report; "" when not filtered."""
    if not filters:
        return ""
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in filters.items())


class ReportData:
    """A run as the reports show it: filtered (by the result) and redacted (here)."""

    def __init__(self, result: Any, options: dict[str, Any] | None = None) -> None:
        """Wrap ``result``; ``options`` are the reporter options (``settings``, ...)."""
        self.result = result
        self.options = options or {}
        self.runs = {r.check.id: r for r in result.checks}
        self.redactor: Redactor | None = None
        if getattr(result, "redact", False):
            cached = result.__dict__.get("_report_redactor")
            if cached is None:
                cached = Redactor.from_result(result)
                result.__dict__["_report_redactor"] = cached
            self.redactor = cached
        self._header: dict[str, Any] | None = None

    # --- the run ----------------------------------------------------------------------

    @property
    def redacted(self) -> bool:
        """Whether child ids and staff names are replaced by pseudonyms."""
        return self.redactor is not None

    def header(self) -> dict[str, Any]:
        """``RunResult.header()`` with names redacted (computed once)."""
        if self._header is None:
            header = self.result.header()
            if self.redactor is not None:
                problems = header["input_problems"]
                header["input_problems"] = [self.redactor.problem(p) for p in problems]
                header["run"]["filters"] = self._redact_filters(header["run"]["filters"])
                header["scorecard"] = self._redact_card(header["scorecard"])
            header["run"]["redacted"] = self.redacted
            self._header = header
        return self._header

    def _redact_filters(self, filters: dict[str, str] | None) -> dict[str, str] | None:
        if not filters or self.redactor is None:
            return filters
        out = dict(filters)
        if "case_manager" in out:
            out["case_manager"] = self.redactor.staff(out["case_manager"])
        return out

    def _redact_card(self, card: dict[str, Any]) -> dict[str, Any]:
        assert self.redactor is not None
        card = dict(card)
        card["filtered"] = self._redact_filters(card.get("filtered"))
        managers = []
        for item in card["case_managers"]:
            item = dict(item)
            item["case_manager"] = self.redactor.staff(item["case_manager"])
            managers.append(item)
        card["case_managers"] = sorted(managers, key=lambda i: str(i["case_manager"]))
        return card

    @property
    def run(self) -> dict[str, Any]:
        """The ``run`` block of the header (as_of, suite, export, fingerprint, ...)."""
        return self.header()["run"]

    def scorecard(self) -> dict[str, Any]:
        """The scorecard (redacted)."""
        return self.header()["scorecard"]

    def input_problems(self) -> list[dict[str, Any]]:
        """The input problems (redacted)."""
        return self.header()["input_problems"]

    def filters_text(self) -> str:
        """How the report is filtered, in words ("" when it is not)."""
        return filters_text(self.run.get("filters"))

    def degraded(self) -> list[str]:
        """Why the run could not judge all it was asked to, one sentence each ([] when whole)."""
        return list(self.run.get("degraded") or [])

    def checks(self) -> list[dict[str, Any]]:
        """Every selected check with status, counts and the inspection phrase.

        ``scored`` is False for the data checks: they are counted, never scored,
        so their ``percent`` is None and their ``text`` is a count.
        """
        from sqs_checks.result import count_text, percent, phrase

        out = []
        for run in self.result.checks:
            scored = run.scored
            out.append(
                {
                    "id": run.check.id,
                    "title": run.check.title,
                    "area": run.check.area,
                    "heading": AREAS.get(run.check.area, run.check.area),
                    "seed": run.check.seed,
                    "reference": report_reference(run.check.seed),
                    "shortfall": getattr(run.check, "shortfall", ""),
                    "severity": run.severity,
                    "status": run.status,
                    "reason": run.reason,
                    "counted": run.counted,
                    "scored": scored,
                    "relevant": run.relevant,
                    "flagged": run.flagged,
                    "met": run.met,
                    "percent": percent(run.met, run.relevant) if scored else None,
                    "text": (
                        phrase(run.check.title, run.met, run.relevant)
                        if scored
                        else count_text(run.check.title, run.flagged)
                    ),
                    "seconds": run.seconds,
                }
            )
        return out

    # --- findings ---------------------------------------------------------------------

    def finding_count(self) -> int:
        """How many findings the outputs show."""
        return self.result.finding_count()

    def _order_values(self) -> str:
        pairs = [(r.check.id, i) for i, r in enumerate(self.result.checks)]
        return ", ".join(f"('{cid}', {i})" for cid, i in pairs) or "(NULL, 0)"

    ORDERS = ("check", "case", "action", "manager")
    """The orders :meth:`findings_query` knows (see there)."""

    def _shown(self) -> tuple[str, str, str]:
        """The WITH clause, the FROM clause (alias ``f``, with each check's position ``_o.pos``)
        and the action expression that every query of the shown findings builds on."""
        act_cte, act = action_sql([r.check for r in self.result.checks])
        with_ = f"WITH _o(check_id, pos) AS (VALUES {self._order_values()}), {act_cte} "
        source = (
            f"({self.result.findings_sql(ordered=False)}) f "
            "LEFT JOIN _o ON _o.check_id = f.check_id "
            "LEFT JOIN _act ON _act.check_id = f.check_id AND _act.reason = f.reason"
        )
        return with_, source, act

    def findings_query(self, order: str = "check", limit: int | None = None) -> str:
        """SQL of the shown findings, each with its ``action``, in one of :data:`ORDERS`.

        ``check``: the contract's order (check, case, reason, record); ``case``: by
        case, then check; ``action``: what to do first - the findings to act on,
        then those whose reason to record, each by due date (undated last), highest
        severity, case and check; ``manager``: by case manager, then as ``action``.
        """
        if order not in self.ORDERS:
            raise ValueError(f"unknown order {order!r}")
        with_, source, act = self._shown()
        key = "f.record_table, f.record_id"
        severity = SEVERITY_RANK_SQL.format(col="f.severity")
        by = {
            "check": f"_o.pos, f.case_id, f.reason, {key}",
            "case": f"f.case_id, _o.pos, f.reason, {key}",
            "action": f"{act} = '{RECORD_REASON}', f.due_date NULLS LAST, {severity}, "
            f"f.case_id, _o.pos, f.reason, {key}",
        }
        by["manager"] = "lower(trim(f.case_manager)) NULLS LAST, f.case_manager, " + by["action"]
        return f"{with_}SELECT f.*, {act} AS action FROM {source} ORDER BY {by[order]}" + (
            f" LIMIT {int(limit)}" if limit is not None else ""
        )

    def json_lines_queries(self, per_query: int) -> list[str]:
        """SQL of the lines of ``findings.json``'s findings, as queries of one column ``line``.

        Each line is a tab, a shown finding's JSON object (DuckDB's own
        ``to_json``, as ``COPY ... (FORMAT JSON)`` writes it), a comma and a line
        break. Each query holds a run of consecutive checks with at most
        ``per_query`` findings between them (a check with more has a query of its
        own), in the contract's order (check, case, reason, record); read one
        after the other they give every line in order. So the sort is a check at
        a time, never every finding of a national run at once.
        """
        with_, source, act = self._shown()
        con = self.result.con
        shown = self.result.findings_sql(ordered=False)
        names = [r[0] for r in con.execute(f"DESCRIBE {shown}").fetchall()]
        # the findings are gathered first, then rendered: to_json reads gathered columns
        # faster than the joins' output (982,732 findings: 2.1-2.6 s against 3.4-4.2 s)
        gathered = ", ".join(f"f.{n} AS {n}" for n in names) + f", {act} AS action, _o.pos"
        fields = ", ".join(f"{n} := {n}" for n in [*names, "action"])
        line = f"chr(9) || to_json(struct_pack({fields})) || ',' || chr(10)"
        stored = dict(con.execute("SELECT check_id, count(*) FROM findings GROUP BY 1").fetchall())
        groups: list[list[int]] = []
        held = 0
        for pos, run in enumerate(self.result.checks):
            count = stored.get(run.check.id, 0)
            if not count:
                continue
            if not groups or held + count > per_query:
                groups.append([])
                held = 0
            groups[-1].append(pos)
            held += count
        order = "pos, case_id, reason, record_table, record_id"
        ranges = [f"_o.pos BETWEEN {group[0]} AND {group[-1]}" for group in groups]
        known = {run.check.id for run in self.result.checks}
        if set(stored) - known:  # findings of no listed check come last, as NULLS LAST sorts
            ranges.append("_o.pos IS NULL")
        return [
            f"{with_.rstrip()}, _lines AS MATERIALIZED (SELECT {gathered} FROM {source} "
            f"WHERE {where}) SELECT {line} AS line FROM _lines ORDER BY {order}"
            for where in ranges
        ]

    def findings(
        self, order: str = "check", batch: int = 5000, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Stream the shown findings as dicts: evidence parsed, redacted, with title and advice.

        The rows come straight from DuckDB in batches; do not run other queries on the
        result's connection while iterating. With ``limit``, only the first ``limit``.
        """
        self.header()  # computed before the stream starts: no query may run during it
        con = self.result.con
        cursor = con.execute(self.findings_query(order, limit))
        names = [d[0] for d in cursor.description]
        try:
            while True:
                rows = cursor.fetchmany(batch)
                if not rows:
                    break
                for values in rows:
                    yield self._finding(dict(zip(names, values, strict=True)))
        finally:
            # leave the connection with no unfinished result, even when the caller stops early
            con.execute("SELECT 1").fetchall()

    def finding_tally(self) -> dict[str, Any]:
        """The shown findings counted in one pass: ``findings``, flagged ``cases``, findings
        per ``severity`` and how many are to act on now (``act_now``)."""
        with_, source, act = self._shown()
        con = self.result.con
        shown = self.result.findings_sql(ordered=False)
        total, cases, act_now = con.execute(
            f"{with_}SELECT count(*), count(DISTINCT f.case_id), "
            f"count(*) FILTER (WHERE {act} = '{ACT_NOW}') FROM {source}"
        ).fetchone()
        severity = dict(
            con.execute(
                f"SELECT severity, count(*) FROM ({shown}) GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
        return {"findings": total, "cases": cases, "severity": severity, "act_now": act_now}

    def flagged_cases(self, limit: int) -> list[dict[str, Any]]:
        """The first ``limit`` flagged cases in the order of their first finding to act on.

        Each has ``case_id``, the ``first`` of its findings in that order (a dict of
        ``check_id``, ``reason``, ``due_date``), its ``worst`` severity and how many
        findings it has (``count``). Only the top of the order is sorted, never all.
        """
        con = self.result.con
        take, order = max(10 * limit, 200), "action"
        while True:
            rows = con.execute(
                f"SELECT case_id, check_id, reason, due_date "
                f"FROM ({self.findings_query(order, take)})"
            ).fetchall()
            first: dict[str, dict[str, Any]] = {}
            for case_id, check_id, reason, due in rows:
                first.setdefault(case_id, {"check_id": check_id, "reason": reason, "due_date": due})
            if len(first) > limit or len(rows) < take:
                break
            take *= 4
        chosen = list(first)[:limit]
        stats = {
            case_id: (count, severities)
            for case_id, count, severities in con.execute(
                "SELECT case_id, count(*), list(DISTINCT severity) "
                f"FROM ({self.result.findings_sql(ordered=False)}) "
                "WHERE list_contains($ids, case_id) GROUP BY case_id",
                {"ids": chosen},
            ).fetchall()
        }
        return [
            {
                "case_id": case_id,
                "first": first[case_id],
                "worst": min(stats[case_id][1], key=severity_order),
                "count": stats[case_id][0],
            }
            for case_id in chosen
        ]

    def _finding(self, row: dict[str, Any]) -> dict[str, Any]:
        evidence = row.get("evidence")
        if isinstance(evidence, str):
            try:
                evidence = json.loads(evidence) if evidence else {}
            except ValueError:
                evidence = {"value": evidence}
        row["evidence"] = evidence if isinstance(evidence, dict) else {"value": evidence}
        if self.redactor is not None:
            row = self.redactor.finding(row)
        run = self.runs.get(row["check_id"])
        check = run.check if run is not None else None
        row["title"] = check.title if check is not None else row["check_id"]
        row["area"] = check.area if check is not None else row["check_id"].split(".")[0]
        row["advice"] = advice(check, row["reason"])
        row.setdefault("action", action(check, row["reason"]))
        return row

    def due_soon(self) -> list[dict[str, Any]]:
        """The deadlines of the shown cases falling due soon (redacted), by due date.

        Each item has the fields of :meth:`RunResult.due_soon` plus ``title`` (its
        check's title) and ``text`` ("Review of ... due by 25/03/2013 (3 working days)").
        """
        items = []
        for item in self.result.due_soon():
            if self.redactor is not None:
                item = {k: self.redactor.field(k, v) for k, v in item.items()}
            run = self.runs.get(item["check_id"])
            item["title"] = run.check.title if run is not None else item["check_id"]
            item["text"] = due_text(item)
            items.append(item)
        return items

    def due_window(self) -> str:
        """ "the next 10 working days (to 01/04/2013)", or "" when the run listed none."""
        return due_window(self.result)

    def case_starts(self) -> dict[str, dt.date]:
        """case_id -> start date, for the cases that have a shown finding."""
        rows = self.result.con.execute(
            "SELECT DISTINCT f.case_id, c.start_date FROM "
            f"({self.result.findings_sql()}) f JOIN src_cases c ON c.case_id = f.case_id"
        ).fetchall()
        return {cid: start for cid, start in rows}
