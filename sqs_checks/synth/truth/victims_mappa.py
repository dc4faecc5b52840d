"""Victims (``public.victims``) and MAPPA (``public.mappa``)."""

from __future__ import annotations

from sqs_checks.synth.truth.context import CaseView


def judge_victims(v: CaseView) -> None:
    """A victim safety plan or victim liaison referral within 15 working days."""
    c = v.case
    if c.victim is not True:
        return
    deadline = v.ev.cal.add(c.start, 15)
    items = [(p.created, 0, "plans", p.id) for p in v.by_plan.get("victim_safety", [])]
    items += [(x.date, 1, "referrals", x.id) for x in v.referrals if x.kind == "victim_liaison"]
    items.sort()
    if not (deadline < v.ev.as_of or items):
        return
    if not items:
        v.add("public.victims", "victim_not_addressed", "cases", c.id)
    elif items[0][0] > deadline:
        v.add("public.victims", "late", items[0][2], items[0][3])


def judge_mappa(v: CaseView) -> None:
    """A MAPPA level recorded; a referral at level 2 or 3."""
    c = v.case
    if c.mappa_eligible is not True:
        return
    if c.mappa_level is None:
        v.add("public.mappa", "level_not_recorded", "cases", c.id)
    elif c.mappa_level in (2, 3) and not any(x.kind == "mappa" for x in v.referrals):
        v.add("public.mappa", "not_referred", "cases", c.id)
