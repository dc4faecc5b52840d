"""Initial assessments, copied narratives, offences overlooked, diversity and involvement."""

from __future__ import annotations

from sqs_checks.synth.catalog import VIOLENT
from sqs_checks.synth.similarity import narrative_similarity
from sqs_checks.synth.truth.context import CaseView

_INITIAL_CHECKS = (
    ("reoffending.initial_assessment", "reoffending", False),
    ("public.rosh_assessment", "rosh", True),
    ("child.vulnerability_assessment", "vulnerability", True),
)


def judge_initial_assessments(v: CaseView) -> None:
    """``missing`` and ``late`` initial assessments; ``level_unclear`` for rosh and
    vulnerability (at least one completed assessment of the kind, none with a level)."""
    A = v.ev.as_of
    deadline = v.start_deadline
    for check, kind, unclear in _INITIAL_CHECKS:
        items = v.by_kind[kind]
        inits = [a for a in items if a.stage == "initial"]
        if not (deadline < A or inits):
            continue
        if not inits:
            v.add(check, "missing", "cases", v.case.id)
        elif inits[0].completed > deadline:  # type: ignore[operator]
            v.add(check, "late", "assessments", inits[0].id)
        if unclear and items and all(a.level is None for a in items):
            if v.add(check, "level_unclear", "assessments", items[-1].id):
                v.deficient.add(items[-1].id)


def judge_copies(v: CaseView) -> None:
    """``copied``: an assessment whose narrative repeats its predecessor's (>= 0.8)."""
    ev = v.ev
    for a in v.assessments:
        p = ev.pred.get(a.id)
        if p is None or a.nwords < 20 or p.nwords < 20:
            continue
        if a.narrative is None or p.narrative is None:
            continue
        if a.sig is not None and p.sig is not None and not set(a.sig) & set(p.sig):
            if ev.fast_copy_check:
                continue  # no sentence in common: far below the threshold
        if narrative_similarity(a.narrative, p.narrative) >= 0.8:
            if v.add("reoffending.copied_assessment", "copied", "assessments", a.id):
                v.deficient.add(a.id)


def judge_offences_overlooked(v: CaseView) -> None:
    """A latest rosh level of ``low`` given after a violent offence of the child."""
    with_level = [a for a in v.by_kind["rosh"] if a.level is not None]
    if not with_level or with_level[-1].level != "low":
        return
    giver = with_level[-1]
    if any(
        o.category in VIOLENT and o.date < (giver.completed or 0) for o in v.case.child.offences
    ):
        v.add("public.rosh_offences_overlooked", "offences_overlooked", "assessments", giver.id)


def judge_diversity_and_involvement(v: CaseView) -> None:
    """The first initial reoffending assessment's diversity, child and carer flags."""
    inits = [a for a in v.by_kind["reoffending"] if a.stage == "initial"]
    if not inits:
        return
    first = inits[0]
    if first.diversity is not True:
        v.add("sentence.diversity", "not_assessed", "assessments", first.id)
    if first.child_views is not True:
        v.add("sentence.involvement", "child_not_involved", "assessments", first.id)
    if first.carer is not True:
        v.add("sentence.involvement", "carer_not_involved", "assessments", first.id)
