"""How an inspection report names each check's gap, for the reports' *Areas for improvement*.

A check's title is phrased as the standard met ("Initial assessment of the
likelihood of reoffending completed on time"); its *shortfall* names what the
flagged cases lacked, in the report's voice ("Initial assessments of the
likelihood of reoffending were late or missing"), so that a report can write
"... in 9 of 46 cases (20%)". The data checks have none: they are never scored.
"""

from __future__ import annotations

SHORTFALLS: dict[str, str] = {
    "reoffending.initial_assessment": (
        "Initial assessments of the likelihood of reoffending were late or missing"
    ),
    "reoffending.copied_assessment": ("Assessments were largely copies of the previous assessment"),
    "reoffending.assessment_review": (
        "Assessments of the likelihood of reoffending were not reviewed on time or after "
        "significant events"
    ),
    "reoffending.court_report": (
        "Pre-sentence reports were late, not quality assured or not based on a recent assessment"
    ),
    "reoffending.intervention_plan": "Intervention plans were late or missing",
    "reoffending.custody_plan": "Custodial sentence plans were late or missing",
    "reoffending.plan_review": (
        "Sentence plans were not reviewed on time or after significant events"
    ),
    "public.rosh_assessment": (
        "Initial assessments of risk of serious harm to others were late, missing or recorded "
        "no level"
    ),
    "public.rosh_offences_overlooked": (
        "Risk of serious harm was assessed as low despite serious offences in the child's history"
    ),
    "public.rosh_review": (
        "Assessments of risk of serious harm were not reviewed on time or after significant events"
    ),
    "public.risk_management_plan": (
        "Risk management plans were late, missing or without contingency arrangements where "
        "risk of harm called for one"
    ),
    "public.rmp_review": (
        "Risk management plans were not reviewed on time or after significant events"
    ),
    "public.release_plan": "Release plans were late or missing before release from custody",
    "public.victims": "The safety of identified victims was not addressed on time",
    "public.mappa": (
        "MAPPA levels were not recorded, or cases at level 2 or 3 were not referred to MAPPA"
    ),
    "public.court_report_rosh": ("Pre-sentence reports did not address the risk of harm to others"),
    "child.vulnerability_assessment": (
        "Initial assessments of safety and wellbeing were late, missing or recorded no level"
    ),
    "child.vulnerability_review": (
        "Assessments of safety and wellbeing were not reviewed on time or after significant events"
    ),
    "child.vulnerability_management_plan": (
        "Vulnerability management plans were late, missing or without contingency arrangements "
        "where vulnerability called for one"
    ),
    "child.vmp_review": (
        "Vulnerability management plans were not reviewed on time or after significant events"
    ),
    "sentence.diversity": (
        "Initial assessments did not record how diversity and barriers to engagement were "
        "considered"
    ),
    "sentence.involvement": (
        "Initial assessments did not record the child's own views or the involvement of parents "
        "or carers"
    ),
    "oversight.sign_off": (
        "Work needing management sign-off was not countersigned by a manager on time"
    ),
    "oversight.ineffective_sign_off": "Managers signed off work that was not good enough",
}
"""Check id -> its shortfall, in the inspection report's voice."""


def shortfall(check_id: str) -> str:
    """The shortfall of a catalog check ("" when it has none)."""
    return SHORTFALLS.get(check_id, "")
