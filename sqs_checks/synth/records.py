"""The records of a synthetic export, held in memory with dates as ordinals.

The generator builds them (and keeps its bookkeeping on :class:`Case`: plants,
slots, records a plant has taken); the writers turn them into rows and the
evaluator judges them. Attributes hold what a reader gets out of a cell; ``raw``
holds the text written instead where it differs (an NA marker read as null, a bad
value a reader drops).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqs_checks.synth.schema import TABLES


@dataclass(slots=True, eq=False)
class Child:
    """A child: their cases and offending history."""

    id: str
    dob: int
    violent: bool
    cases: list[Case] = field(default_factory=list)
    offences: list[Offence] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Case:
    """A ``cases`` row and every record of the case."""

    id: str
    child: Child
    cm: str
    team: str
    disposal: str
    start: int
    status: str  # "open", "closed" or "future" (starts after as_of)
    end: int | None = None
    sentence_date: int | None = None
    release: int | None = None
    mappa_eligible: bool | None = None
    mappa_level: int | None = None
    victim: bool | None = None
    psr: bool = False
    plants: list[str] = field(default_factory=list)
    slots: set[str] = field(default_factory=set)
    assessments: list[Assessment] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)  # record ids used by a plant
    raw: dict[str, str] | None = None


@dataclass(slots=True, eq=False)
class Assessment:
    """An ``assessments`` row; ``sig`` lists the pooled sentences of its narrative."""

    id: str
    case: Case
    kind: str
    stage: str
    completed: int | None
    author: str
    level: str | None = None
    narrative: str | None = None
    sig: tuple[int, ...] | None = None
    nwords: int = 0
    signer: str | None = None
    sign_date: int | None = None
    diversity: bool | None = None
    child_views: bool | None = None
    carer: bool | None = None
    raw: dict[str, str] | None = None


@dataclass(slots=True, eq=False)
class Plan:
    """A ``plans`` row and its reviews."""

    id: str
    case: Case
    kind: str
    created: int
    author: str
    contingency: bool | None = None
    signer: str | None = None
    sign_date: int | None = None
    reviews: list[PlanReview] = field(default_factory=list)
    raw: dict[str, str] | None = None


@dataclass(slots=True, eq=False)
class PlanReview:
    """A ``plan_reviews`` row."""

    id: str
    plan: Plan
    date: int
    author: str | None


@dataclass(slots=True, eq=False)
class Event:
    """An ``events`` row."""

    id: str
    case: Case
    date: int
    kind: str
    significant: bool | None
    raw: dict[str, str] | None = None


@dataclass(slots=True, eq=False)
class Report:
    """A ``court_reports`` row."""

    id: str
    case: Case
    kind: str
    court_date: int | None
    submitted: int | None
    author: str
    qa_by: str | None = None
    qa_date: int | None = None
    assessment_id: str | None = None
    rosh_addressed: bool | None = None
    raw: dict[str, str] | None = None


@dataclass(slots=True, eq=False)
class Offence:
    """An ``offences`` row."""

    id: str
    child: Child
    date: int
    category: str


@dataclass(slots=True, eq=False)
class Referral:
    """A ``referrals`` row."""

    id: str
    case: Case
    kind: str
    date: int


#: A record whose row can carry bad values.
Record = Case | Assessment | Plan | Event | Report


def write_raw(record: Record, column: str, text: str) -> None:
    """Write ``text`` in ``column`` of the record's row instead of its value."""
    if record.raw is None:
        record.raw = {}
    record.raw[column] = text


@dataclass(slots=True)
class BadRow:
    """A row with input problems, and the line it lands on once written.

    Either an extra row (``values``: the whole row as written, not a record of the
    export; a reader must quarantine it) or the row of ``record`` whose ``raw``
    text in ``columns`` a reader must drop (the row itself is checked).
    """

    table: str
    columns: list[str]  # the columns with a problem
    values: list[Any] | None = None
    record: Record | None = None
    after: Assessment | None = None  # the record an extra row must follow (duplicate ids)
    row: int = 0

    def text(self, column: str) -> str:
        """The text written in ``column`` (an extra row's value, or the record's raw text)."""
        if self.values is not None:
            value = self.values[TABLES[self.table].index(column)]
            return "" if value is None else str(value)
        assert self.record is not None and self.record.raw is not None
        return self.record.raw[column]
