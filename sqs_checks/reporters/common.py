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


def evidence_text(evidence: dict[str, Any]) -> str:
    """Evidence as one readable line: ``deadline 28/01/2013; start date 07/01/2013``."""
    parts = []
    for key, value in evidence.items():
        if isinstance(value, (dict, list)):
            shown = json.dumps(value, ensure_ascii=False, default=str)
        else:
            shown = uk_date(value) if value is not None else "none"
        parts.append(f"{key.replace('_', ' ')} {shown}")
    return "; ".join(parts)


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

    def findings_query(self, order: str = "check") -> str:
        """SQL of the shown findings ordered by ``check`` (the contract's order) or ``case``."""
        base = self.result.findings_sql()
        if order == "check":
            return base
        if order != "case":
            raise ValueError(f"unknown order {order!r}")
        return (
            f"WITH _o(check_id, pos) AS (VALUES {self._order_values()}) "
            f"SELECT f.* FROM ({base}) f LEFT JOIN _o ON _o.check_id = f.check_id "
            "ORDER BY f.case_id, _o.pos, f.reason, f.record_table, f.record_id"
        )

    def findings(self, order: str = "check", batch: int = 5000) -> Iterator[dict[str, Any]]:
        """Stream the shown findings as dicts: evidence parsed, redacted, with title and advice.

        The rows come straight from DuckDB in batches; do not run other queries on the
        result's connection while iterating.
        """
        self.header()  # computed before the stream starts: no query may run during it
        con = self.result.con
        cursor = con.execute(self.findings_query(order))
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
        return row

    def case_starts(self) -> dict[str, dt.date]:
        """case_id -> start date, for the cases that have a shown finding."""
        rows = self.result.con.execute(
            "SELECT DISTINCT f.case_id, c.start_date FROM "
            f"({self.result.findings_sql()}) f JOIN src_cases c ON c.case_id = f.case_id"
        ).fetchall()
        return {cid: start for cid, start in rows}
