"""The canonical tables as the generator writes them (SPEC §2): columns and their types."""

from __future__ import annotations

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
