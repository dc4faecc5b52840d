"""The canonical tables as the generator writes them (SPEC §2): columns and their types."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Canonical tables and their columns, in the order they are written.
TABLES: dict[str, tuple[str, ...]] = {
    "cases": (
        "case_id",
        "child_id",
        "case_manager",
        "team",
        "disposal_type",
        "start_date",
        "sentence_date",
        "end_date",
        "release_date",
        "mappa_eligible",
        "mappa_level",
        "has_identified_victim",
        "date_of_birth",
    ),
    "assessments": (
        "assessment_id",
        "case_id",
        "kind",
        "stage",
        "completed_date",
        "author",
        "level",
        "narrative",
        "signed_off_by",
        "signed_off_date",
        "diversity_assessed",
        "child_views_recorded",
        "parent_carer_involved",
    ),
    "plans": (
        "plan_id",
        "case_id",
        "kind",
        "created_date",
        "author",
        "has_contingency",
        "signed_off_by",
        "signed_off_date",
    ),
    "plan_reviews": ("review_id", "plan_id", "review_date", "author"),
    "events": ("event_id", "case_id", "event_date", "kind", "significant"),
    "court_reports": (
        "report_id",
        "case_id",
        "kind",
        "court_date",
        "submitted_date",
        "author",
        "quality_assured_by",
        "quality_assured_date",
        "assessment_id",
        "rosh_addressed",
    ),
    "offences": ("offence_id", "child_id", "offence_date", "category"),
    "referrals": ("referral_id", "case_id", "kind", "referral_date"),
    "staff": ("name", "role", "team"),
}

#: Date columns of each table.
DATE_COLUMNS: dict[str, frozenset[str]] = {
    "cases": frozenset(
        {"start_date", "sentence_date", "end_date", "release_date", "date_of_birth"}
    ),
    "assessments": frozenset({"completed_date", "signed_off_date"}),
    "plans": frozenset({"created_date", "signed_off_date"}),
    "plan_reviews": frozenset({"review_date"}),
    "events": frozenset({"event_date"}),
    "court_reports": frozenset({"court_date", "submitted_date", "quality_assured_date"}),
    "offences": frozenset({"offence_date"}),
    "referrals": frozenset({"referral_date"}),
    "staff": frozenset(),
}

#: The only date columns that may legitimately hold a date after today (SPEC §2).
FORWARD_LOOKING_DATE_COLUMNS = frozenset({"end_date", "release_date", "court_date"})

#: Boolean columns of each table.
BOOL_COLUMNS: dict[str, frozenset[str]] = {
    "cases": frozenset({"mappa_eligible", "has_identified_victim"}),
    "assessments": frozenset(
        {"diversity_assessed", "child_views_recorded", "parent_carer_involved"}
    ),
    "plans": frozenset({"has_contingency"}),
    "events": frozenset({"significant"}),
    "court_reports": frozenset({"rosh_addressed"}),
}

#: Integer columns of each table.
INT_COLUMNS: dict[str, frozenset[str]] = {"cases": frozenset({"mappa_level"})}

#: Required columns of each table (SPEC §2); every other column is optional.
REQUIRED_COLUMNS: dict[str, frozenset[str]] = {
    "cases": frozenset({"case_id", "child_id", "case_manager", "disposal_type", "start_date"}),
    "assessments": frozenset({"assessment_id", "case_id", "kind", "stage", "author"}),
    "plans": frozenset({"plan_id", "case_id", "kind", "created_date", "author"}),
    "plan_reviews": frozenset({"review_id", "plan_id", "review_date"}),
    "events": frozenset({"event_id", "case_id", "event_date", "kind"}),
    "court_reports": frozenset({"report_id", "case_id", "kind", "author"}),
    "offences": frozenset({"offence_id", "child_id", "offence_date", "category"}),
    "referrals": frozenset({"referral_id", "case_id", "kind", "referral_date"}),
    "staff": frozenset({"name", "role"}),
}


@dataclass(frozen=True)
class Inputs:
    """What an export holds of the canonical model (SPEC §5 "Partial inputs").

    ``absent`` names the tables (``"events"``) and optional columns
    (``"plans.has_contingency"``) left out; ``staff_rows`` is False when the
    ``staff`` table is written with its header only (which counts as absent).
    """

    absent: frozenset[str] = frozenset()
    staff_rows: bool = True

    @classmethod
    def of(cls, drop: Iterable[str] = (), *, empty_staff: bool = False) -> Inputs:
        """Check ``drop`` against the canonical model; ValueError names a bad item."""
        absent = set()
        for item in drop:
            table, _, column = item.partition(".")
            if table not in TABLES:
                raise ValueError(f"{item!r}: no canonical table {table!r}")
            if table == "cases" and not column:
                raise ValueError("the cases table cannot be left out")
            if column and column not in TABLES[table]:
                raise ValueError(f"{item!r}: the {table} table has no column {column!r}")
            if column in REQUIRED_COLUMNS[table]:
                raise ValueError(f"{item!r} is a required column")
            absent.add(item)
        if "plans" in absent and "plan_reviews" not in absent:
            raise ValueError("leave out plan_reviews with plans (its rows would name no plan)")
        return cls(frozenset(absent), staff_rows=not empty_staff and "staff" not in absent)

    def has(self, table: str, column: str | None = None) -> bool:
        """Whether the export has the table (and the column)."""
        if table in self.absent:
            return False
        return column is None or f"{table}.{column}" not in self.absent

    def columns(self, table: str) -> list[str]:
        """The columns of the table the export has, in order."""
        return [c for c in TABLES[table] if f"{table}.{c}" not in self.absent]
