"""The canonical codes (SPEC §2): every enum value of the export model.

Kept apart from :mod:`sqs_checks.contract` so that checks can name the codes
without importing pandera and polars (``sqs-checks --help`` stays light).
"""

from __future__ import annotations

CANONICAL_TABLES = (
    "cases",
    "assessments",
    "plans",
    "plan_reviews",
    "events",
    "court_reports",
    "offences",
    "referrals",
    "staff",
)
"""The nine tables of the canonical export model (plugins may add more)."""

COURT_DISPOSALS = ("referral_order", "community", "custody")
"""The court disposals the inspection samples: the default scope's disposals (SPEC §4)."""

DISPOSAL_TYPES = ("referral_order", "community", "custody", "out_of_court", "other")
ASSESSMENT_KINDS = ("reoffending", "rosh", "vulnerability")
ASSESSMENT_STAGES = ("initial", "review", "closure")
LEVELS = ("low", "medium", "high", "very_high")
PLAN_KINDS = (
    "intervention",
    "risk_management",
    "vulnerability_management",
    "custody",
    "release",
    "victim_safety",
)
EVENT_KINDS = (
    "new_offence",
    "arrest",
    "breach",
    "custody_release",
    "change_of_address",
    "change_of_care_status",
    "safeguarding_concern",
    "missing_episode",
    "school_exclusion",
    "victim_concern",
    "other",
)
REPORT_KINDS = ("psr", "other")
OFFENCE_CATEGORIES = (
    "violence",
    "sexual",
    "robbery",
    "weapons",
    "arson",
    "burglary",
    "drugs",
    "motoring",
    "theft",
    "public_order",
    "criminal_damage",
    "other",
)
REFERRAL_KINDS = (
    "mappa",
    "victim_liaison",
    "substance_misuse",
    "mental_health",
    "education",
    "other",
)
STAFF_ROLES = ("case_manager", "practice_manager", "operational_manager", "other")
MANAGER_ROLES = ("practice_manager", "operational_manager")
"""Staff roles that count as managers for sign-off."""
