"""The parts of the check catalog (SPEC §5, default parameters) the generator obeys.

The generator builds compliant records from these rules and the evaluator
(:mod:`sqs_checks.synth.truth`) judges the records with them.
"""

from __future__ import annotations

#: Disposals the ``open-cases`` suite judges by default (SPEC §4).
COURT_DISPOSALS = frozenset({"referral_order", "community", "custody"})
#: Offence categories of ``public.rosh_offences_overlooked``.
VIOLENT = ("violence", "sexual", "robbery", "weapons", "arson")
#: Assessment levels, lowest first, and their rank.
LEVELS = ("low", "medium", "high", "very_high")
RANK = {"low": 0, "medium": 1, "high": 2, "very_high": 3}
#: Staff roles that may sign off.
MANAGER_ROLES = frozenset({"practice_manager", "operational_manager"})
#: Plan kinds whose plans need sign-off (so do initial and high-level assessments).
SIGN_OFF_PLAN_KINDS = frozenset({"risk_management", "vulnerability_management", "release"})

REOFF_TRIGGERS = frozenset(
    {
        "new_offence",
        "arrest",
        "breach",
        "custody_release",
        "change_of_address",
        "change_of_care_status",
        "school_exclusion",
    }
)
ROSH_TRIGGERS = frozenset({"new_offence", "arrest", "custody_release", "victim_concern"})
VULN_TRIGGERS = frozenset(
    {
        "safeguarding_concern",
        "missing_episode",
        "change_of_address",
        "change_of_care_status",
        "custody_release",
        "school_exclusion",
    }
)

# Review sequences: assessment kinds and plan kinds whose dated records must be
# kept up to date (SPEC §5 "Reviews" and "Plan reviews").
SEQS = ("reoff", "rosh", "vuln", "plan", "rmp", "vmp")
SEQ_CHECK = {
    "reoff": "reoffending.assessment_review",
    "rosh": "public.rosh_review",
    "vuln": "child.vulnerability_review",
    "plan": "reoffending.plan_review",
    "rmp": "public.rmp_review",
    "vmp": "child.vmp_review",
}
SEQ_TRIGGERS = {
    "reoff": REOFF_TRIGGERS,
    "rosh": ROSH_TRIGGERS,
    "vuln": VULN_TRIGGERS,
    "plan": REOFF_TRIGGERS,
    "rmp": ROSH_TRIGGERS,
    "vmp": VULN_TRIGGERS,
}
SEQ_ASSESSMENT_KIND = {"reoff": "reoffending", "rosh": "rosh", "vuln": "vulnerability"}
SEQ_PLAN_KINDS = {
    "plan": frozenset({"intervention", "custody"}),
    "rmp": frozenset({"risk_management"}),
    "vmp": frozenset({"vulnerability_management"}),
}
REVIEW_REASONS = ("overdue", "late", "not_reviewed_after_event")

#: Reason codes that findings of the catalog can carry, by check.
REASONS: dict[str, tuple[str, ...]] = {
    "reoffending.initial_assessment": ("missing", "late"),
    "reoffending.copied_assessment": ("copied",),
    "reoffending.assessment_review": REVIEW_REASONS,
    "reoffending.court_report": (
        "late",
        "no_quality_assurance",
        "no_assessment",
        "old_assessment",
    ),
    "reoffending.intervention_plan": ("missing", "late"),
    "reoffending.custody_plan": ("missing", "late"),
    "reoffending.plan_review": REVIEW_REASONS,
    "public.rosh_assessment": ("missing", "late", "level_unclear"),
    "public.rosh_offences_overlooked": ("offences_overlooked",),
    "public.rosh_review": REVIEW_REASONS,
    "public.risk_management_plan": ("missing", "late", "no_contingency"),
    "public.rmp_review": REVIEW_REASONS,
    "public.release_plan": ("missing", "late"),
    "public.victims": ("victim_not_addressed", "late"),
    "public.mappa": ("level_not_recorded", "not_referred"),
    "public.court_report_rosh": ("rosh_not_addressed",),
    "child.vulnerability_assessment": ("missing", "late", "level_unclear"),
    "child.vulnerability_review": REVIEW_REASONS,
    "child.vulnerability_management_plan": ("missing", "late", "no_contingency"),
    "child.vmp_review": REVIEW_REASONS,
    "sentence.diversity": ("not_assessed",),
    "sentence.involvement": ("child_not_involved", "carer_not_involved"),
    "oversight.sign_off": (
        "missing",
        "late",
        "self_sign_off",
        "before_completion",
        "not_a_manager",
    ),
    "oversight.ineffective_sign_off": ("signed_off_deficient",),
    "data.record_excluded": ("record_excluded",),
    "data.value_dropped": ("value_dropped",),
}
