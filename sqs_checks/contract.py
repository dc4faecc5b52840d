"""The canonical export model (SPEC §2) as pandera models.

Each table is a pandera ``DataFrameModel`` over polars data. A column typed
``Optional[...]`` is an *optional* column (it may be absent, and null); any
other column is *required* (present, and never null). ``isin`` on a text
column makes it an enum. :class:`TableContract` adds what pandera does not
say: how a row belongs to a case, which columns reference other tables, and
whether the table itself is required.

Plugins extend the contract through the ``sqs_checks_tables`` hook with more
:class:`TableContract` objects (see ``docs/plugins.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandera.polars as pa
import polars as pl

from sqs_checks.codes import (
    ASSESSMENT_KINDS,
    ASSESSMENT_STAGES,
    DISPOSAL_TYPES,
    EVENT_KINDS,
    LEVELS,
    OFFENCE_CATEGORIES,
    PLAN_KINDS,
    REFERRAL_KINDS,
    REPORT_KINDS,
    STAFF_ROLES,
)

FORWARD_LOOKING_DATES = frozenset({"end_date", "release_date", "court_date"})
"""Date columns that may lie in the future; every other date records something that happened."""

NA_IS_NULL_TEXT = frozenset({"signed_off_by", "quality_assured_by"})
"""Text columns where ``NA``, ``N/A``, ``NULL`` and ``None`` mean nobody (SPEC §2, v2):
a sign-off or quality assurance "by N/A" has not happened."""

EXCLUDING_OPTIONAL = frozenset({"completed_date"})
"""Optional columns whose bad value still excludes the row (SPEC §2, v2):
``completed_date`` decides whether an assessment exists at all."""


class _Base(pa.DataFrameModel):
    class Config:
        strict = False
        coerce = False


class Cases(_Base):
    """One row per supervised case (a court order or other intervention)."""

    case_id: str = pa.Field(unique=True)
    child_id: str
    case_manager: str
    team: str | None = pa.Field(nullable=True)
    disposal_type: str = pa.Field(isin=list(DISPOSAL_TYPES))
    start_date: pl.Date
    sentence_date: pl.Date | None = pa.Field(nullable=True)
    end_date: pl.Date | None = pa.Field(nullable=True)
    release_date: pl.Date | None = pa.Field(nullable=True)
    mappa_eligible: pl.Boolean | None = pa.Field(nullable=True)
    mappa_level: pl.Int64 | None = pa.Field(nullable=True, isin=[1, 2, 3])
    has_identified_victim: pl.Boolean | None = pa.Field(nullable=True)
    date_of_birth: pl.Date | None = pa.Field(nullable=True)


class Assessments(_Base):
    """One row per completed or in-progress assessment."""

    assessment_id: str = pa.Field(unique=True)
    case_id: str
    kind: str = pa.Field(isin=list(ASSESSMENT_KINDS))
    stage: str = pa.Field(isin=list(ASSESSMENT_STAGES))
    completed_date: pl.Date | None = pa.Field(nullable=True)
    author: str
    level: str | None = pa.Field(nullable=True, isin=list(LEVELS))
    narrative: str | None = pa.Field(nullable=True)
    signed_off_by: str | None = pa.Field(nullable=True)
    signed_off_date: pl.Date | None = pa.Field(nullable=True)
    diversity_assessed: pl.Boolean | None = pa.Field(nullable=True)
    child_views_recorded: pl.Boolean | None = pa.Field(nullable=True)
    parent_carer_involved: pl.Boolean | None = pa.Field(nullable=True)


class Plans(_Base):
    """Plans: intervention, risk and vulnerability management, custody, release, victim safety."""

    plan_id: str = pa.Field(unique=True)
    case_id: str
    kind: str = pa.Field(isin=list(PLAN_KINDS))
    created_date: pl.Date
    author: str
    has_contingency: pl.Boolean | None = pa.Field(nullable=True)
    signed_off_by: str | None = pa.Field(nullable=True)
    signed_off_date: pl.Date | None = pa.Field(nullable=True)


class PlanReviews(_Base):
    """Reviews of plans."""

    review_id: str = pa.Field(unique=True)
    plan_id: str
    review_date: pl.Date
    author: str | None = pa.Field(nullable=True)


class Events(_Base):
    """Significant events and changes of circumstance."""

    event_id: str = pa.Field(unique=True)
    case_id: str
    event_date: pl.Date
    kind: str = pa.Field(isin=list(EVENT_KINDS))
    significant: pl.Boolean | None = pa.Field(nullable=True)


class CourtReports(_Base):
    """Reports to court (pre-sentence reports and others)."""

    report_id: str = pa.Field(unique=True)
    case_id: str
    kind: str = pa.Field(isin=list(REPORT_KINDS))
    court_date: pl.Date | None = pa.Field(nullable=True)
    submitted_date: pl.Date | None = pa.Field(nullable=True)
    author: str
    quality_assured_by: str | None = pa.Field(nullable=True)
    quality_assured_date: pl.Date | None = pa.Field(nullable=True)
    assessment_id: str | None = pa.Field(nullable=True)
    rosh_addressed: pl.Boolean | None = pa.Field(nullable=True)


class Offences(_Base):
    """The child's offending history."""

    offence_id: str = pa.Field(unique=True)
    child_id: str
    offence_date: pl.Date
    category: str = pa.Field(isin=list(OFFENCE_CATEGORIES))


class Referrals(_Base):
    """Referrals to other agencies (MAPPA, victim liaison, ...)."""

    referral_id: str = pa.Field(unique=True)
    case_id: str
    kind: str = pa.Field(isin=list(REFERRAL_KINDS))
    referral_date: pl.Date


class Staff(_Base):
    """Staff and their roles (optional table)."""

    name: str = pa.Field(unique=True)
    role: str = pa.Field(isin=list(STAFF_ROLES))
    team: str | None = pa.Field(nullable=True)


def register_polars_checks() -> None:
    """Register pandera's polars backends and built-in checks, without ``hypothesis``.

    Registering them imports pandera's data-synthesis strategies, which import
    ``hypothesis`` when it is installed (it comes with the test extra): a fifth
    of a second on every run, for a feature validation never uses. When
    ``hypothesis`` is not imported yet, it is hidden while pandera registers,
    so pandera records it as absent; its import works as usual afterwards.
    """
    import sys

    from pandera.backends.polars.register import register_polars_backends
    from pandera.config import CONFIG

    if "hypothesis" in sys.modules or "pandera.strategies.base_strategies" in sys.modules:
        register_polars_backends(use_narwhals_backend=CONFIG.use_narwhals_backend)
        return
    sys.modules["hypothesis"] = None  # type: ignore[assignment]  # "import hypothesis" fails
    try:
        register_polars_backends(use_narwhals_backend=CONFIG.use_narwhals_backend)
    finally:
        del sys.modules["hypothesis"]


@dataclass(frozen=True)
class ColumnSpec:
    """One canonical column, as the parser needs it."""

    name: str
    kind: str  # "str", "date", "bool", "int", "enum"
    required: bool
    choices: tuple = ()
    unique: bool = False


@dataclass
class TableContract:
    """A canonical table: its pandera model plus how it links to cases.

    Attributes:
        name: canonical table name.
        model: the pandera ``DataFrameModel``.
        required: whether an export must have this table (only ``cases``).
        id_column: the row's unique id (``None`` when it has none).
        references: column -> (table, column) that must exist; an orphan row
            is quarantined. ``case_id`` -> cases is the usual one.
        case_link: how a row belongs to a case: ``"case_id"`` (its own column),
            ``"plan_id"`` (through its plan), ``"child_id"`` (every case of the
            child), or ``None``.
    """

    name: str
    model: type[pa.DataFrameModel]
    required: bool = False
    id_column: str | None = None
    references: dict[str, tuple[str, str]] = field(default_factory=dict)
    case_link: str | None = "case_id"

    @cached_property
    def schema(self) -> pa.DataFrameSchema:
        """The pandera schema of the model (pandera's polars checks registered first)."""
        register_polars_checks()
        return self.model.to_schema()

    @cached_property
    def columns(self) -> dict[str, ColumnSpec]:
        """Column specs in model order."""
        specs: dict[str, ColumnSpec] = {}
        for name, col in self.schema.columns.items():
            dtype = str(col.dtype)
            choices: tuple = ()
            for chk in col.checks:
                stats = getattr(chk, "statistics", {}) or {}
                if "allowed_values" in stats:
                    choices = tuple(stats["allowed_values"])
            if dtype.startswith("Date"):
                kind = "date"
            elif dtype.startswith("Bool"):
                kind = "bool"
            elif dtype.startswith("Int"):
                kind = "int"
            elif choices:
                kind = "enum"
            else:
                kind = "str"
            specs[name] = ColumnSpec(
                name=name,
                kind=kind,
                required=bool(col.required) and not col.nullable,
                choices=choices,
                unique=bool(col.unique),
            )
        return specs

    @property
    def required_columns(self) -> list[str]:
        """Columns that must be present and never null."""
        return [c.name for c in self.columns.values() if c.required]

    def happened_dates(self) -> list[str]:
        """Date columns that record something that has happened (never in the future)."""
        return [
            c.name
            for c in self.columns.values()
            if c.kind == "date" and c.name not in FORWARD_LOOKING_DATES
        ]


def _case_ref() -> dict[str, tuple[str, str]]:
    return {"case_id": ("cases", "case_id")}


BUILTIN_TABLES: list[TableContract] = [
    TableContract("cases", Cases, required=True, id_column="case_id", case_link="case_id"),
    TableContract("assessments", Assessments, id_column="assessment_id", references=_case_ref()),
    TableContract("plans", Plans, id_column="plan_id", references=_case_ref()),
    TableContract(
        "plan_reviews",
        PlanReviews,
        id_column="review_id",
        references={"plan_id": ("plans", "plan_id")},
        case_link="plan_id",
    ),
    TableContract("events", Events, id_column="event_id", references=_case_ref()),
    TableContract("court_reports", CourtReports, id_column="report_id", references=_case_ref()),
    TableContract("offences", Offences, id_column="offence_id", case_link="child_id"),
    TableContract("referrals", Referrals, id_column="referral_id", references=_case_ref()),
    TableContract("staff", Staff, id_column="name", case_link=None),
]
"""The nine canonical tables of SPEC §2, in dependency order."""


class Contract:
    """The canonical tables in force for a run: the built-ins plus plugin additions."""

    def __init__(self, extra: list[TableContract] | None = None) -> None:
        self.tables: dict[str, TableContract] = {t.name: t for t in BUILTIN_TABLES}
        self.extra_columns: dict[str, dict[str, ColumnSpec]] = {}
        for contract in extra or []:
            if contract.name in self.tables:
                base = self.tables[contract.name]
                for name, spec in contract.columns.items():
                    if name not in base.columns:
                        self.extra_columns.setdefault(contract.name, {})[name] = ColumnSpec(
                            name=name, kind=spec.kind, required=False, choices=spec.choices
                        )
            else:
                self.tables[contract.name] = contract

    def columns(self, table: str) -> dict[str, ColumnSpec]:
        """Every column of ``table``: the model's and those plugins added."""
        return {**self.tables[table].columns, **self.extra_columns.get(table, {})}

    def __iter__(self):
        return iter(self.tables.values())

    def __getitem__(self, name: str) -> TableContract:
        return self.tables[name]

    def __contains__(self, name: object) -> bool:
        return name in self.tables


def build_contract(pm=None) -> Contract:
    """The contract with every plugin's ``sqs_checks_tables`` additions."""
    extra: list[TableContract] = []
    if pm is not None:
        extra = pm.collect("sqs_checks_tables")
    return Contract(extra)
