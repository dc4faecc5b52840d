"""Compliant records, one at a time: authors, timely manager sign-off, narratives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.narratives import draw_narrative
from sqs_checks.synth.records import (
    Assessment,
    Case,
    Child,
    Event,
    Offence,
    Plan,
    PlanReview,
    Referral,
)

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator


def author(gen: Generator, c: Case) -> str:
    """The case manager, now and then a colleague of the same team."""
    if gen.rng.random() < 0.06:
        colleagues = gen.cms_by_team[c.team]
        return colleagues[int(gen.rng.random() * len(colleagues))]
    return c.cm


def signer(gen: Generator, c: Case) -> str:
    """A manager of the case's team (sometimes an operational manager), as typed."""
    r = gen.rng.random
    name = gen.pm[c.team] if r() < 0.85 else gen.oms[int(r() * len(gen.oms))]
    u = r()
    if u < 0.02:
        return name.upper()
    if u < 0.04:
        return name.lower()
    return name


def sign(gen: Generator, c: Case, doc: Assessment | Plan, completed: int) -> None:
    """Sign a document on time (0-3 working days), as a manager who is not the author."""
    r = gen.rng.random
    when = gen.cal.add(completed, int(r() * 4))
    if when > gen.today:
        return
    doc.signer = signer(gen, c)
    doc.sign_date = None if r() < 0.03 else when


def assessment(
    gen: Generator, c: Case, kind: str, stage: str, completed: int, level: str | None
) -> Assessment:
    """A completed assessment with a fresh narrative, signed off when it needs to be."""
    if gen.narratives:
        key = (c.child.id, kind)
        memo = gen.narrative_memo.get(key)
        if memo is None:
            memo = gen.narrative_memo[key] = (set(), [set()])
        narrative, sig, nwords = draw_narrative(gen.rng.random, kind, memo[0], memo[1])
    else:
        narrative, sig, nwords = None, None, 0
    r = gen.rng.random
    written_by = c.cm if r() >= 0.06 else author(gen, c)
    a = Assessment(
        gen.new_id("assessment"),
        c,
        kind,
        stage,
        completed,
        written_by,
        level,
        narrative,
        sig,
        nwords,
    )
    if kind == "reoffending":
        if stage == "initial":
            a.diversity = a.child_views = a.carer = True
        else:
            a.diversity, a.child_views, a.carer = r() < 0.97, r() < 0.97, r() < 0.95
    if stage == "initial" or level == "high" or level == "very_high":
        sign(gen, c, a, completed)
    c.assessments.append(a)
    return a


def plan(gen: Generator, c: Case, kind: str, created: int, contingency: bool | None) -> Plan:
    """A plan, signed off when it needs to be (and now and then when it need not)."""
    p = Plan(
        id=gen.new_id("plan"),
        case=c,
        kind=kind,
        created=created,
        author=author(gen, c),
        contingency=contingency,
    )
    if kind in ("risk_management", "vulnerability_management", "release"):
        sign(gen, c, p, created)
    elif kind in ("intervention", "custody") and gen.rng.random() < 0.4:
        sign(gen, c, p, created)
    c.plans.append(p)
    return p


def plan_review(gen: Generator, plan_: Plan, day: int, c: Case) -> None:
    """A review of a plan (its author now and then not recorded)."""
    written_by = author(gen, c) if gen.rng.random() < 0.97 else None
    plan_.reviews.append(
        PlanReview(id=gen.new_id("review"), plan=plan_, date=day, author=written_by)
    )


def event(gen: Generator, c: Case, d: int, kind: str, significant: bool | None) -> Event:
    """An event of the case (not yet added to it)."""
    return Event(id=gen.new_id("event"), case=c, date=d, kind=kind, significant=significant)


def referral(gen: Generator, c: Case, kind: str, d: int) -> Referral:
    """A referral of the case (not yet added to it)."""
    return Referral(id=gen.new_id("referral"), case=c, kind=kind, date=d)


def offence(gen: Generator, child: Child, when: int, category: str) -> None:
    """An offence of the child's history."""
    child.offences.append(
        Offence(id=gen.new_id("offence"), child=child, date=when, category=category)
    )
