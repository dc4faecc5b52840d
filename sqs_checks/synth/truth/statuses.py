"""Which reasons each check can judge on an export, and so its status (SPEC §5, §7).

A check whose inputs are partly absent judges the reasons it can (``partial``); it
is ``skipped`` when it can judge none. The needs below are SPEC §5's, reason by
reason; ``oversight.sign_off`` judges each table of documents on its own and
``oversight.ineffective_sign_off`` uses the deficiency findings of the sources that
were judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqs_checks.synth.catalog import REASONS
from sqs_checks.synth.schema import Inputs

_REVIEWS = (
    "reoffending.assessment_review",
    "public.rosh_review",
    "child.vulnerability_review",
)
_PLAN_REVIEWS = ("reoffending.plan_review", "public.rmp_review", "child.vmp_review")
#: The deficiency findings ``oversight.ineffective_sign_off`` builds on.
SOURCES = (
    ("reoffending.copied_assessment", "copied"),
    ("public.rosh_assessment", "level_unclear"),
    ("child.vulnerability_assessment", "level_unclear"),
    ("public.risk_management_plan", "no_contingency"),
    ("child.vulnerability_management_plan", "no_contingency"),
)
SIGN_OFF_TABLES = ("assessments", "plans")


@dataclass
class Judgement:
    """The reasons each check judges, per check (and per table for sign-off)."""

    reasons: dict[str, frozenset[str]] = field(default_factory=dict)
    sign_off: dict[str, frozenset[str]] = field(default_factory=dict)  # table -> reasons
    status: dict[str, str] = field(default_factory=dict)

    def allows(self, check: str, reason: str, table: str) -> bool:
        """Whether a finding (check, reason, record table) can be raised."""
        if check == "oversight.sign_off":
            return reason in self.sign_off.get(table, frozenset())
        if check == "oversight.ineffective_sign_off":
            return self.status[check] != "skipped" and bool(self.sign_off.get(table))
        return reason in self.reasons.get(check, frozenset())


def _status(judged: frozenset[str], of: tuple[str, ...]) -> str:
    if not judged:
        return "skipped"
    return "ran" if judged >= set(of) else "partial"


def judge_inputs(inputs: Inputs) -> Judgement:
    """What every check of the catalog can judge on an export with these inputs."""
    has = inputs.has
    done = has("assessments", "completed_date")
    plans, events, referrals = has("plans"), has("events"), has("referrals")
    needs: dict[str, dict[str, bool]] = {}
    for check, kind_level in (
        ("reoffending.initial_assessment", False),
        ("public.rosh_assessment", True),
        ("child.vulnerability_assessment", True),
    ):
        needs[check] = {"missing": done, "late": done}
        if kind_level:
            needs[check]["level_unclear"] = done and has("assessments", "level")
    needs["reoffending.copied_assessment"] = {"copied": done and has("assessments", "narrative")}
    for check in _REVIEWS:
        needs[check] = {
            "overdue": done,
            "late": done,
            "not_reviewed_after_event": done and events,
        }
    sequences = plans and has("plan_reviews")
    for check in _PLAN_REVIEWS:
        needs[check] = {
            "overdue": sequences,
            "late": sequences,
            "not_reviewed_after_event": sequences and events,
        }
    submitted = has("court_reports", "submitted_date")
    needs["reoffending.court_report"] = {
        "late": submitted and has("court_reports", "court_date"),
        "no_quality_assurance": submitted and has("court_reports", "quality_assured_by"),
        "no_assessment": submitted and done,
        "old_assessment": submitted and done,
    }
    for check in ("reoffending.intervention_plan", "reoffending.custody_plan"):
        needs[check] = {"missing": plans, "late": plans}
    release = plans and has("cases", "release_date")
    needs["public.release_plan"] = {"missing": release, "late": release}
    needs["public.rosh_offences_overlooked"] = {
        "offences_overlooked": done and has("assessments", "level") and has("offences")
    }
    levels = done and has("assessments", "level") and plans
    for check in ("public.risk_management_plan", "child.vulnerability_management_plan"):
        needs[check] = {
            "missing": levels,
            "late": levels,
            "no_contingency": levels and has("plans", "has_contingency"),
        }
    victims = has("cases", "has_identified_victim") and plans and referrals
    needs["public.victims"] = {"victim_not_addressed": victims, "late": victims}
    mappa = has("cases", "mappa_eligible") and has("cases", "mappa_level")
    needs["public.mappa"] = {"level_not_recorded": mappa, "not_referred": mappa and referrals}
    needs["public.court_report_rosh"] = {
        "rosh_not_addressed": submitted and has("court_reports", "rosh_addressed")
    }
    needs["sentence.diversity"] = {
        "not_assessed": done and has("assessments", "diversity_assessed")
    }
    needs["sentence.involvement"] = {
        "child_not_involved": done and has("assessments", "child_views_recorded"),
        "carer_not_involved": done and has("assessments", "parent_carer_involved"),
    }
    needs["data.record_excluded"] = {"record_excluded": True}
    needs["data.value_dropped"] = {"value_dropped": True}

    j = Judgement()
    for check, by_reason in needs.items():
        j.reasons[check] = frozenset(r for r, ok in by_reason.items() if ok)
        j.status[check] = _status(j.reasons[check], REASONS[check])
    _judge_sign_off(inputs, j)
    return j


def _judge_sign_off(inputs: Inputs, j: Judgement) -> None:
    """Sign-off per table of documents; ineffective sign-off from its usable sources."""
    has = inputs.has
    judged = {
        "assessments": has("assessments", "signed_off_by") and has("assessments", "completed_date"),
        "plans": has("plans", "signed_off_by"),
    }
    complete = True
    for table in SIGN_OFF_TABLES:
        if not judged[table]:
            complete = False
            continue
        reasons = {"missing", "self_sign_off"}
        if has(table, "signed_off_date"):
            reasons |= {"late", "before_completion"}
        else:
            complete = False
        if inputs.staff_rows:
            reasons.add("not_a_manager")  # without staff rows, not a reason at all
        j.sign_off[table] = frozenset(reasons)
    all_reasons = frozenset().union(*j.sign_off.values()) if j.sign_off else frozenset()
    j.reasons["oversight.sign_off"] = all_reasons
    if not j.sign_off:
        j.status["oversight.sign_off"] = "skipped"
    else:
        j.status["oversight.sign_off"] = "ran" if complete else "partial"
    usable = [reason in j.reasons[check] for check, reason in SOURCES]
    ineffective = "oversight.ineffective_sign_off"
    if not j.sign_off or not any(usable):
        j.status[ineffective] = "skipped"
        j.reasons[ineffective] = frozenset()
    else:
        j.status[ineffective] = "ran" if all(usable) else "partial"
        j.reasons[ineffective] = frozenset({"signed_off_deficient"})
