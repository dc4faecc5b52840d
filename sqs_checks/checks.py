"""What a check is: metadata, typed parameters and an implementation.

A check answers one inspection question for every in-scope case:

* **relevance** - which cases the question applies to (the denominator of the
  scorecard), and
* **findings** - which records fail it, each with a reason code and a
  plain-English message for the case manager.

Most checks are SQL over the canonical tables (see :class:`SqlCheck`); a check
can also be plain Python (subclass :class:`Check` and implement
:meth:`Check.evaluate`). The engine takes care of scope, the as-of date,
per-check error isolation and counting; a check only answers its question.

Columns a findings query returns (extra columns are ignored):

``case_id``, ``reason``, ``record_table``, ``record_id``, ``message`` and,
optionally, ``evidence`` (a JSON object, as DuckDB ``JSON`` or text) and
``due_date`` (the date the rule wanted the work done by; without the column,
the evidence's ``deadline`` or ``due`` is used).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import duckdb

    from sqs_checks.calendar import Calendar

SEVERITIES: tuple[str, ...] = ("low", "medium", "high")
"""Severity levels, lowest first."""

AREAS: dict[str, str] = {
    "reoffending": "Reducing the likelihood of reoffending",
    "public": "Protecting the public",
    "child": "Protecting the child",
    "sentence": "Ensuring the sentence is served",
    "oversight": "Management oversight",
    "data": "Data quality",
}
"""Check areas and the inspection report's headings for them."""

FINDING_COLUMNS: tuple[str, ...] = (
    "case_id",
    "reason",
    "record_table",
    "record_id",
    "message",
    "evidence",
    "due_date",
)
"""Columns the engine reads from a check's findings."""


class SkipCheck(Exception):  # noqa: N818 - it is a signal, not an error
    """Raise from :meth:`Check.evaluate` when the check cannot run on this export.

    The message is the reason shown with status ``skipped``.
    """


def severity_rank(severity: str) -> int:
    """Return the rank of a severity (``low`` = 0) for comparisons."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Param:
    """A typed check parameter with its default.

    ``type`` is one of ``int``, ``float``, ``str``, ``bool``, ``list[str]``
    (written as the string ``"list[str]"``) or ``"months"`` (an int).
    ``choices`` restricts the allowed values (for ``list[str]``, each element).
    """

    name: str
    default: Any
    type: str = "int"
    doc: str = ""
    choices: tuple[Any, ...] | None = None

    def coerce(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type.

        Raises ``ValueError`` with a one-line reason when it does not fit.
        """
        kind = self.type
        if kind in ("int", "months"):
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, str) and value.strip().lstrip("-").isdigit():
                    value = int(value)
                else:
                    raise ValueError(f"{self.name} must be a whole number, not {value!r}")
            if value < 0:
                raise ValueError(f"{self.name} must not be negative, not {value!r}")
        elif kind == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    raise ValueError(f"{self.name} must be a number, not {value!r}") from None
            value = float(value)
        elif kind == "bool":
            if not isinstance(value, bool):
                raise ValueError(f"{self.name} must be true or false, not {value!r}")
        elif kind == "str":
            if not isinstance(value, str):
                raise ValueError(f"{self.name} must be text, not {value!r}")
        elif kind == "list[str]":
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"{self.name} must be a list of text values, not {value!r}")
            value = list(value)
        else:  # pragma: no cover - programming error in a plugin
            raise ValueError(f"{self.name} has an unknown parameter type {kind!r}")
        if self.choices is not None:
            items = value if isinstance(value, list) else [value]
            bad = [v for v in items if v not in self.choices]
            if bad:
                allowed = ", ".join(str(c) for c in self.choices)
                raise ValueError(f"{self.name} does not allow {bad[0]!r} (allowed: {allowed})")
        return value


@dataclass(frozen=True)
class DependencyState:
    """How a check this one depends on went: its status and the reasons it judged."""

    status: str
    judged: frozenset[str] = frozenset()

    @property
    def usable(self) -> bool:
        """Whether its findings can be read (it ran, fully or partly)."""
        return self.status in ("ran", "partial")


@dataclass
class CheckContext:
    """What a check receives when it runs.

    Attributes:
        con: the DuckDB connection. The canonical tables are views *as of* the
            run date: records dated after ``as_of`` are not there, sign-offs
            and quality assurance dated after it are blanked, an ``end_date``
            after it is null. ``scope_cases`` holds the in-scope case ids, and
            the SQL macros ``wd_add(d, n)``, ``wd_sub(d, n)``,
            ``add_months(d, m)`` and ``uk(d)`` are defined.
        as_of: the date the checks are evaluated at.
        params: this check's parameters, resolved and type-checked.
        calendar: the working-day calendar (bank holidays of the region).
        tables: the canonical tables present, each with the set of its columns.
        suite: the suite's resolved settings (a mapping; read-only): ``name``,
            ``scope``, ``parameters`` and ``instances`` (instance id -> the
            catalog check it runs again).
        judged: the reason codes this check can judge on this export (SPEC §5,
            partial inputs): its reasons minus those whose ``reason_needs``
            are absent. Empty when the check declares no reasons.
        dependencies: for each id in ``depends_on`` that the suite runs, how
            that check went (status and judged reasons).
        due_until: when the run lists what falls due soon, the last day of that
            window (``wd_add(as_of, N)``); bound as ``$due_until`` in the SQL of
            :meth:`Check.due_soon`. None otherwise.
    """

    con: duckdb.DuckDBPyConnection
    as_of: dt.date
    params: dict[str, Any]
    calendar: Calendar
    tables: dict[str, set[str]]
    suite: Mapping[str, Any] = field(default_factory=dict)
    judged: frozenset[str] = frozenset()
    dependencies: Mapping[str, DependencyState] = field(default_factory=dict)
    due_until: dt.date | None = None

    def has(self, table: str, *columns: str) -> bool:
        """Return True when ``table`` is present with every one of ``columns``."""
        return table in self.tables and all(c in self.tables[table] for c in columns)

    def judges(self, reason: str) -> bool:
        """Whether this check can judge ``reason`` on this export."""
        return reason in self.judged

    def sql(self, query: str, **extra: Any) -> duckdb.DuckDBPyRelation | None:
        """Run ``query`` with this check's parameters bound as ``$name``.

        Only the parameters the query mentions are bound, plus ``$as_of``.
        """
        return self.con.sql(query, params=bind_params(query, {**self.params, **extra}, self.as_of))


def missing_input(needs: Mapping[str, Sequence[str]], tables: Mapping[str, set[str]]) -> str | None:
    """The first of ``needs`` absent from ``tables``, in words; None when all are present."""
    for table, columns in needs.items():
        if table not in tables:
            return f"the export has no {table} table"
        absent = [c for c in columns if c not in tables[table]]
        if absent:
            return f"the {table} table has no {absent[0]} column"
    return None


def not_judged_sentences(unjudged: Mapping[str, str]) -> list[str]:
    """ "late and overdue not judged: the export has no events table", one per cause."""
    by_why: dict[str, list[str]] = {}
    for reason, why in unjudged.items():
        by_why.setdefault(why, []).append(reason)
    return [f"{_and(reasons)} not judged: {why}" for why, reasons in by_why.items()]


def _and(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def bind_params(query: str, params: Mapping[str, Any], as_of: dt.date) -> dict[str, Any]:
    """Pick the named parameters ``query`` uses (``$name``) from ``params``."""
    import re

    names = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", query))
    values = {"as_of": as_of, **params}
    missing = names - values.keys()
    if missing:
        raise ValueError(f"the query uses undefined parameter ${sorted(missing)[0]}")
    return {n: values[n] for n in names}


@dataclass
class CheckOutput:
    """What a check returns.

    ``relevant`` and ``findings`` may each be a DuckDB relation, a SQL string
    (run with the check's parameters), an Arrow table, or for ``relevant`` an
    iterable of case ids and for ``findings`` a list of dicts.

    ``not_judged`` lists, one sentence each, what the check could not judge on
    this export beyond what its ``reason_needs`` already say (for example
    "plans not judged: the plans table has no signed_off_by column"); any
    entry makes its status ``partial``.
    """

    relevant: Any
    findings: Any
    not_judged: list[str] = field(default_factory=list)


@dataclass
class Check:
    """A check: metadata plus :meth:`evaluate`.

    Attributes:
        id: stable id, ``area.name`` (e.g. ``reoffending.initial_assessment``).
        title: short title, phrased as the standard met
            ("Initial assessment of the likelihood of reoffending completed on time").
        area: one of :data:`AREAS`.
        seed: the inspection report paragraph it comes from ("1.1").
        severity: default severity, one of :data:`SEVERITIES`.
        params: typed parameters with defaults; a suite may override them.
        needs: tables, each with the columns the check cannot run without. A
            missing table or column makes the check ``skipped`` with that reason.
        reason_needs: per reason code, the tables and columns that reason needs
            beyond ``needs``. When some are absent the check judges the other
            reasons and its status is ``partial`` (SPEC §5, partial inputs);
            when no reason can be judged it is ``skipped``.
        depends_on: ids of checks whose findings this one reads (from the
            ``findings`` table); they run first.
        doc: plain-English relevance and failure rules (``explain`` shows it).
        reasons: reason codes the check can raise, with what each means.
        relevance: one line on the denominator (for ``explain``).
        disposals: the disposal types this check judges; ``None`` (the default)
            judges every in-scope case. A suite sets it (``disposals:``) so that,
            for example, review checks judge court disposals only.
        instance_of: for a check a suite declares as an instance of a catalog
            check (``instances:``), the id of that catalog check.
        upcoming: the deadlines the check can list before they pass (the *due
            soon* list): reason code -> what falls due, for example
            ``{"missing": "Initial assessment of the likelihood of reoffending"}``.
            The text may name the finding's evidence keys and ``{record}`` in
            braces. The engine finds them by the check's own rules (see
            :meth:`due_soon`), so each deadline has one source of truth.
        actions: reason code -> ``act_now`` (the work can still be done or put
            right) or ``record_reason`` (it is history: record why on the case),
            for reasons the built-in table does not classify as this check needs.
        shortfall: how the inspection report would name the gap when the check
            is not met ("Initial assessments of the likelihood of reoffending
            were late or missing"); reports' *Areas for improvement* use it.
    """

    id: str
    title: str
    area: str
    seed: str
    severity: str
    params: Sequence[Param] = ()
    needs: Mapping[str, Sequence[str]] = field(default_factory=dict)
    reason_needs: Mapping[str, Mapping[str, Sequence[str]]] = field(default_factory=dict)
    depends_on: Sequence[str] = ()
    doc: str = ""
    reasons: Mapping[str, str] = field(default_factory=dict)
    relevance: str = ""
    source: str = ""
    disposals: Sequence[str] | None = None
    instance_of: str | None = None
    upcoming: Mapping[str, str] = field(default_factory=dict)
    actions: Mapping[str, str] = field(default_factory=dict)
    shortfall: str = ""

    def __post_init__(self) -> None:
        if self.area not in AREAS:
            raise ValueError(f"check {self.id}: unknown area {self.area!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"check {self.id}: unknown severity {self.severity!r}")

    @property
    def defaults(self) -> dict[str, Any]:
        """The parameters' default values."""
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        """Return the parameter called ``name``."""
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def resolve_params(self, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
        """Defaults updated with ``overrides``, each type-checked.

        Raises ``ValueError`` naming the unknown or ill-typed parameter.
        """
        values = {}
        for p in self.params:
            try:
                values[p.name] = p.coerce(p.default)
            except ValueError as exc:
                raise ValueError(f"the default of parameter {exc}") from None
        for key, value in (overrides or {}).items():
            try:
                p = self.param(key)
            except KeyError:
                allowed = ", ".join(p.name for p in self.params) or "none"
                raise ValueError(
                    f"{self.id} has no parameter {key!r} (parameters: {allowed})"
                ) from None
            values[key] = p.coerce(value)
        return values

    def missing_inputs(self, tables: Mapping[str, set[str]]) -> str | None:
        """Why the check cannot run on these tables, or None when it can."""
        return missing_input(self.needs, tables)

    def unjudged_reasons(self, tables: Mapping[str, set[str]]) -> dict[str, str]:
        """Reason code -> why it cannot be judged on these tables (its ``reason_needs``)."""
        out: dict[str, str] = {}
        for reason, needs in self.reason_needs.items():
            why = missing_input(needs, tables)
            if why is not None:
                out[reason] = why
        return out

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Answer the check's question; override in a subclass."""
        raise NotImplementedError(f"check {self.id} has no implementation")

    def due_soon(self, ctx: CheckContext) -> Any:
        """The check's deadlines from ``ctx.as_of`` to ``ctx.due_until`` that are not yet met.

        Return a query (SQL text, run with the check's parameters and
        ``$due_until``), a relation, an Arrow table or a list of dicts with the
        columns ``case_id``, ``due_date`` and ``what`` (and optionally
        ``record_table`` and ``record_id``); or None, the default, to let the
        engine find them from :attr:`upcoming`: it evaluates the check as of
        the day after ``due_until`` and keeps the findings of those reasons
        due on or after ``as_of`` - the deadlines that will pass by then unless
        the work is done.
        """
        return None

    def with_changes(self, **changes: Any) -> Check:
        """A copy of this check with some metadata changed."""
        return dataclasses.replace(self, **changes)


@dataclass
class SqlCheck(Check):
    """A check written as SQL.

    ``setup_sql`` statements run first (typically ``CREATE TEMP TABLE`` shared
    by both queries; they are dropped afterwards if named ``_t_...``).
    ``relevant_sql`` returns the relevant cases (column ``case_id``);
    ``findings_sql`` returns the findings (see :data:`FINDING_COLUMNS`).
    ``reason_sql`` maps a reason code to a findings query of its own: the
    queries of the reasons the export lets the check judge are added to
    ``findings_sql`` (SPEC §5, partial inputs; see ``reason_needs``).
    Parameters are bound by name: ``$due``, ``$as_of``, ... - never formatted
    into the text.
    """

    reuse_working_tables = True
    """Its ``evaluate`` only runs statements on ``ctx.con``: due soon may reuse its working
    tables (:mod:`sqs_checks.reuse`)."""

    setup_sql: Sequence[str] = ()
    relevant_sql: str = ""
    findings_sql: str = ""
    reason_sql: Mapping[str, str] = field(default_factory=dict)

    def findings_query(self, ctx: CheckContext) -> str:
        """``findings_sql`` and the ``reason_sql`` queries of the judged reasons, as one."""
        parts = [self.findings_sql] if self.findings_sql.strip() else []
        parts += [sql for reason, sql in self.reason_sql.items() if ctx.judges(reason)]
        return "\nUNION ALL\n".join(f"SELECT * FROM ({p})" for p in parts) if parts else ""

    def evaluate(self, ctx: CheckContext) -> CheckOutput:
        """Run the setup statements, then hand back both queries."""
        for statement in self.setup_sql:
            ctx.con.execute(statement, bind_params(statement, ctx.params, ctx.as_of))
        findings = self.findings_query(ctx) if self.reason_sql else self.findings_sql
        return CheckOutput(relevant=self.relevant_sql, findings=findings or None)
