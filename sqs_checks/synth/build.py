"""The records of every case, compliant with every check except where a plant says.

A case is built in the order below; at each step a plant of the case may change
what is built (see :mod:`sqs_checks.synth.plants` for the hook points):

1. the levels its assessments will record;
2. the pre-sentence report (court cases) and the assessment it is based on;
3. the three initial assessments, within the deadline;
4. the initial plans: intervention or custody plan, risk and vulnerability
   management plans where the level calls for one;
5. events, then reviews of every assessment and plan less than three months apart
   and soon after every trigger event (a closed case is reviewed now and then);
6. release plan, victim work, MAPPA referral, other referrals and reports;
7. the plants that change records already built (sign-off, involvement);
8. now and then records dated after as_of, which the checks must ignore.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqs_checks.synth import factory
from sqs_checks.synth.catalog import (
    LEVELS,
    RANK,
    SEQ_ASSESSMENT_KIND,
    SEQ_PLAN_KINDS,
    SEQS,
    VIOLENT,
)
from sqs_checks.synth.narratives import SCRIPT_NARRATIVE
from sqs_checks.synth.records import Assessment, Case, Child, Event, Plan, Report
from sqs_checks.synth.schedule import review_points
from sqs_checks.synth.similarity import words

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator

NON_VIOLENT = (
    "burglary",
    "drugs",
    "motoring",
    "theft",
    "public_order",
    "criminal_damage",
    "other",
)
EVENT_KINDS = (
    ("new_offence", 0.11),
    ("arrest", 0.08),
    ("breach", 0.08),
    ("change_of_address", 0.11),
    ("change_of_care_status", 0.05),
    ("safeguarding_concern", 0.11),
    ("missing_episode", 0.08),
    ("school_exclusion", 0.08),
    ("victim_concern", 0.07),
    ("other", 0.23),
)


@dataclass(slots=True)
class CaseBuild:
    """What the steps of one case's build share."""

    c: Case
    hz: int  # horizon: nothing is dated after it
    due: int  # working days allowed for the initial assessments and plan
    levels: dict[str, str | None]
    psr: Report | None = None
    firsts: dict[str, int | None] = field(default_factory=dict)
    initial: dict[str, Assessment] = field(default_factory=dict)
    sched: dict[str, int] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)


def build_cases(gen: Generator) -> None:
    """Build every child's offences and every case's records, compliant but for plants."""
    for child in gen.children:
        child_history(gen, child)
        for c in child.cases:
            build_case(gen, c)


def offence_category(gen: Generator, child: Child) -> str:
    """A category for a new offence of the child (violent children offend violently more)."""
    if child.violent and gen.rng.random() < 0.4:
        return VIOLENT[int(gen.rng.random() * len(VIOLENT))]
    return NON_VIOLENT[int(gen.rng.random() * len(NON_VIOLENT))]


def child_history(gen: Generator, child: Child) -> None:
    """One to four offences before the child's first case."""
    first = child.cases[0].start
    n = gen.randint(1, 4)
    cats: list[str] = []
    for i in range(n):
        if child.violent and i == 0:
            cats.append(VIOLENT[int(gen.rng.random() * len(VIOLENT))])
        else:
            cats.append(offence_category(gen, child))
    for cat in cats:
        when = first - gen.randint(20, 3 * 365)
        when = max(when, child.dob + 10 * 365 + 3)
        factory.offence(gen, child, min(when, first - 14), cat)


def _levels(gen: Generator, c: Case) -> dict[str, str | None]:
    r = gen.rng.random
    reoff = LEVELS[int(r() * 4)] if r() < 0.97 else None
    planted = gen.hook(c, "rosh_level")
    if planted is not None:
        rosh = planted(gen, c)
    elif c.child.violent:
        rosh = ("medium", "medium", "high", "very_high")[int(r() * 4)]
    else:
        u = r()
        rosh = "low" if u < 0.6 else "medium" if u < 0.9 else "high"
    planted = gen.hook(c, "vulnerability_level")
    if planted is not None:
        vuln = planted(gen, c)
    else:
        u = r()
        vuln = "low" if u < 0.45 else "medium" if u < 0.8 else "high" if u < 0.95 else "very_high"
    return {"reoffending": reoff, "rosh": rosh, "vulnerability": vuln}


def build_case(gen: Generator, c: Case) -> None:
    """Every record of one case, step by step (see the module's docstring)."""
    A = gen.as_of
    if c.status == "closed":
        hz = c.end if c.end is not None else A
    elif c.status == "future":
        hz = min(gen.today, c.start + 40)
    else:
        hz = A
    due = 20 if c.disposal == "referral_order" else 15
    b = CaseBuild(c=c, hz=hz, due=due, levels=_levels(gen, c))
    r0 = _court_report(gen, b)
    _initial_assessments(gen, b, r0)
    _initial_plans(gen, b)
    _events(gen, b)
    _reviews(gen, b)
    _release_plan(gen, b)
    _victims(gen, b)
    _referrals_and_reports(gen, b)
    for handler in gen.hooks(c, "reserve"):
        handler(gen, c)
    for handler in gen.hooks(c, "finish"):
        handler(gen, c, b.initial)
    if c.status == "open" and gen.today - A >= 3 and gen.rng.random() < 0.05:
        _future_records(gen, b)


def _court_report(gen: Generator, b: CaseBuild) -> int | None:
    """The pre-sentence report; returns the date of the assessment it is based on."""
    c = b.c
    if not c.psr:
        return None
    cal, r = gen.cal, gen.rng.random
    court = c.start
    submitted: int | None = cal.sub(court, gen.randint(1, 3))
    planted = gen.hook(c, "psr_submitted")
    if planted is not None:
        submitted = planted(gen, c, court, submitted)
    if submitted is not None and submitted > gen.today:
        submitted = None
    psr = b.psr = Report(
        id=gen.new_id("report"),
        case=c,
        kind="psr",
        court_date=court,
        submitted=submitted,
        author=c.cm,
        rosh_addressed=True,
    )
    basis_day = submitted if submitted is not None else cal.sub(court, 2)
    planted = gen.hook(c, "psr_basis")
    r0 = planted(gen, c, basis_day) if planted else cal.sub(basis_day, gen.randint(2, 6))
    if submitted is not None:
        qa = submitted - gen.randint(0, 2)
        psr.qa_by = gen.pm[c.team] if r() < 0.9 else gen.oms[0]
        psr.qa_date = qa if r() < 0.97 else None
    for handler in gen.hooks(c, "psr_written"):
        handler(gen, c, psr)
    c.reports.append(psr)
    return r0


def _initial_date(gen: Generator, c: Case, kind: str, due: int) -> int | None:
    planted = gen.hook(c, f"initial_date:{kind}")
    if planted is not None:
        return planted(gen, c, due)
    return gen.cal.add(c.start, gen.randint(1, due - 3))


def _initial_assessments(gen: Generator, b: CaseBuild, r0: int | None) -> None:
    """The three initial assessments (often two or three on the same day)."""
    c, cal, r, S = b.c, gen.cal, gen.rng.random, b.c.start
    if r0 is None:
        r0 = _initial_date(gen, c, "reoffending", b.due)
    h0 = _initial_date(gen, c, "rosh", b.due)
    v0 = _initial_date(gen, c, "vulnerability", b.due)
    if not gen.suppressed(c, "same_day:rosh") and h0 is not None and r() < 0.5 and r0 is not None:
        if S <= r0 <= cal.add(S, b.due):
            h0 = r0
    if (
        not gen.suppressed(c, "same_day:vulnerability")
        and v0 is not None
        and r() < 0.5
        and h0 is not None
    ):
        if S <= h0 <= cal.add(S, b.due):
            v0 = h0
    for kind, d in (("reoffending", r0), ("rosh", h0), ("vulnerability", v0)):
        if d is not None and d <= b.hz:
            b.initial[kind] = factory.assessment(gen, c, kind, "initial", d, b.levels[kind])
    b.firsts = {"reoff": r0, "rosh": h0, "vuln": v0}
    if b.psr is not None:
        ra = b.initial.get("reoffending")
        planted = gen.hook(c, "psr_assessment_id")
        if planted is not None:
            planted(gen, c, b.psr, ra)
        elif ra is not None:
            u = r()
            if u < 0.9:
                b.psr.assessment_id = ra.id
            elif u < 0.95:
                b.psr.assessment_id = "A99999999"  # names no assessment: basis falls back
            else:
                b.psr.assessment_id = None


def _initial_plans(gen: Generator, b: CaseBuild) -> None:
    """Intervention or custody plan; risk and vulnerability management plans if needed."""
    c, cal, S = b.c, gen.cal, b.c.start
    sched = b.sched
    if c.disposal == "custody":
        planted = gen.hook(c, "plan_date:custody")
        d = planted(gen, c, b.due) if planted else cal.add(S, gen.randint(1, 8))
        if d is not None:
            sched["custody"] = d
    else:
        planted = gen.hook(c, "plan_date:intervention")
        d = planted(gen, c, b.due) if planted else cal.add(S, gen.randint(2, b.due - 1))
        if d is not None:
            sched["intervention"] = d
    for kind, plan_kind, seq in (
        ("rosh", "risk_management", "rosh"),
        ("vulnerability", "vulnerability_management", "vuln"),
    ):
        first, level = b.firsts[seq], b.levels[kind]
        if first is not None and level is not None and RANK[level] >= 1:
            planted = gen.hook(c, f"plan_date:{plan_kind}")
            d = planted(gen, c, first) if planted else cal.add(first, gen.randint(0, 8))
            if d is not None:
                sched[plan_kind] = d
    for kind, d in sched.items():
        if d <= b.hz:
            cont: bool | None = True
            if kind in ("intervention", "custody"):
                cont = gen.bool_value(0.6, 0.3)
            planted = gen.hook(c, f"contingency:{kind}")
            if planted is not None:
                cont = planted(gen, c)
            b.plans[kind] = factory.plan(gen, c, kind, d, cont)
    b.firsts["plan"] = sched.get("custody", sched.get("intervention"))
    b.firsts["rmp"] = sched.get("risk_management")
    b.firsts["vmp"] = sched.get("vulnerability_management")


def _bounds(b: CaseBuild) -> tuple[int, int]:
    present = [d for d in b.firsts.values() if d is not None]
    if not present:
        return b.c.start, b.c.start
    return max(present), min(present)


def _events(gen: Generator, b: CaseBuild) -> None:
    """Events after the initial work (now and then one during it), and their offences."""
    c, S, hz = b.c, b.c.start, b.hz
    base, _ = _bounds(b)
    events = b.events
    if gen.rng.random() < 0.2 and base - S > 3:
        d = S + gen.randint(1, base - S - 1)
        if d <= hz:
            events.append(factory.event(gen, c, d, "other", gen.bool_value(0.3, 0.3)))
    t = base
    while True:
        t += 1 + int(gen.rng.expovariate(1 / 120))
        if t > hz:
            break
        kind = gen.weighted(EVENT_KINDS)
        if kind == "other":
            sig = gen.bool_value(0.3, 0.3)
        else:
            sig = gen.bool_value(0.87, 0.08)
        events.append(factory.event(gen, c, t, kind, sig))
    if c.release is not None and base < c.release <= hz:
        events.append(factory.event(gen, c, c.release, "custody_release", True))
    for handler in gen.hooks(c, "events"):
        handler(gen, c, events, b.firsts, base)
    events.sort(key=lambda e: (e.date, e.id))
    c.events.extend(events)
    for e in events:
        if e.kind == "new_offence":
            factory.offence(gen, c.child, e.date, offence_category(gen, c.child))


def _reviews(gen: Generator, b: CaseBuild) -> None:
    """Reviews of every assessment kind and plan; a closing assessment of a closed case."""
    c, hz = b.c, b.hz
    base, earliest = _bounds(b)
    if not any(d is not None for d in b.firsts.values()):
        points: list[int] = []
    elif c.status == "closed":
        # out of scope: reviewed now and then, not to the standard
        points = list(range(base + gen.randint(60, 150), hz, gen.randint(120, 240)))
    else:
        points = review_points(gen, b.events, base, earliest, hz)
    members = {seq: [b.firsts[seq] is not None] * len(points) for seq in SEQS}
    for handler in gen.hooks(c, "review_points"):
        handler(gen, c, b.firsts, points, members, b.events)
    for i, day in enumerate(points):
        for seq, kind in SEQ_ASSESSMENT_KIND.items():
            if members[seq][i] and kind in b.initial:
                factory.assessment(gen, c, kind, "review", day, b.levels[kind])
        for seq, kinds in SEQ_PLAN_KINDS.items():
            if members[seq][i]:
                for kind in kinds:
                    if kind in b.plans and b.plans[kind].created <= day:
                        factory.plan_review(gen, b.plans[kind], day, c)
    if c.status == "closed" and c.end is not None and "reoffending" in b.initial:
        if (not points or points[-1] < c.end) and gen.rng.random() < 0.6:
            factory.assessment(gen, c, "reoffending", "closure", c.end, b.levels["reoffending"])


def _release_plan(gen: Generator, b: CaseBuild) -> None:
    """A release plan ahead of a custody case's release date."""
    c, cal = b.c, gen.cal
    if c.release is None or c.disposal != "custody":
        return
    deadline = cal.sub(c.release, 10)
    planted = gen.hook(c, "release_plan_date")
    d: int | None
    if planted is not None:
        d = planted(gen, c, deadline)
    else:
        d = cal.sub(c.release, gen.randint(11, 30))
        if d <= c.start:
            d = cal.add(c.start, 1)
    if d is not None and d <= b.hz:
        b.plans["release"] = factory.plan(gen, c, "release", d, gen.bool_value(0.7, 0.2))


def _victims(gen: Generator, b: CaseBuild) -> None:
    """A victim liaison referral and/or a victim safety plan where there is a victim."""
    c, cal, S = b.c, gen.cal, b.c.start
    if not c.victim:
        return
    planted = gen.hook(c, "victim_dates")
    dates: tuple[int, int | None] | None
    if planted is not None:
        dates = planted(gen, c)
    else:
        d1 = cal.add(S, gen.randint(1, 13))
        d2 = cal.add(S, gen.randint(2, 14)) if gen.rng.random() < 0.35 else None
        dates = (d1, d2)
    if dates is None:
        return
    d1, d2 = dates
    if gen.rng.random() < 0.5 and d2 is not None:
        d1, d2 = d2, d1  # the plan sometimes comes first
    if d1 <= b.hz:
        c.referrals.append(factory.referral(gen, c, "victim_liaison", d1))
    if d2 is not None and d2 <= b.hz:
        b.plans["victim_safety"] = factory.plan(gen, c, "victim_safety", d2, None)


def _referrals_and_reports(gen: Generator, b: CaseBuild) -> None:
    """MAPPA referral, other referrals, other court reports and a pending report."""
    c, S, hz, A = b.c, b.c.start, b.hz, gen.as_of
    r = gen.rng.random
    if c.mappa_eligible and c.mappa_level in (2, 3) and not gen.suppressed(c, "mappa_referral"):
        c.referrals.append(factory.referral(gen, c, "mappa", S - gen.randint(0, 20)))
    for _ in range(gen.randint(0, 2)):
        d = S + gen.randint(0, max(0, hz - S))
        kind = ("substance_misuse", "mental_health", "education", "other")[int(r() * 4)]
        if d <= hz:
            c.referrals.append(factory.referral(gen, c, kind, d))
    if c.disposal == "referral_order" and r() < 0.4:
        sub = gen.cal.sub(S, 2)
        c.reports.append(
            Report(
                id=gen.new_id("report"),
                case=c,
                kind="other",
                court_date=S,
                submitted=sub if sub <= gen.today else None,
                author=c.cm,
            )
        )
    if c.status == "open" and not gen.suppressed(c, "pending_psr"):
        if A - S > 150 and r() < 0.1:
            _pending_psr(gen, c)


def _pending_psr(gen: Generator, c: Case) -> None:
    """A report for a new matter, due at a court date after as_of."""
    A = gen.as_of
    court = A + gen.randint(5, 45)
    submitted: int | None = gen.cal.sub(court, gen.randint(3, 8))
    if submitted is not None and submitted > gen.today:
        submitted = None
    rep = Report(
        id=gen.new_id("report"),
        case=c,
        kind="psr",
        court_date=court,
        submitted=submitted,
        author=c.cm,
        rosh_addressed=True,
    )
    if submitted is not None:
        rep.qa_by = gen.pm[c.team]
        rep.qa_date = submitted - gen.randint(0, 1)
        basis = [
            a
            for a in c.assessments
            if a.kind == "reoffending" and a.completed is not None and a.completed <= submitted
        ]
        if basis:
            rep.assessment_id = max(basis, key=lambda a: (a.completed, a.id)).id
    c.reports.append(rep)


def _future_records(gen: Generator, b: CaseBuild) -> None:
    """A trigger event after as_of and the review that followed it (both ignored)."""
    c, A, T = b.c, gen.as_of, gen.today
    day = A + gen.randint(1, min(20, T - A - 1))
    kind = ("arrest", "change_of_address", "safeguarding_concern", "new_offence")[
        int(gen.rng.random() * 4)
    ]
    c.events.append(factory.event(gen, c, day, kind, True))
    if kind == "new_offence":
        factory.offence(gen, c.child, day, offence_category(gen, c.child))
    review = min(T, day + gen.randint(0, 5))
    for kind_ in b.initial:
        factory.assessment(gen, c, kind_, "review", review, b.levels[kind_])
    for plan in b.plans.values():
        if plan.kind in ("intervention", "custody", "risk_management", "vulnerability_management"):
            factory.plan_review(gen, plan, review, c)
    c.referrals.append(factory.referral(gen, c, "education", min(T, day + 1)))


def add_markup_narrative(gen: Generator) -> None:
    """One narrative with markup, quotes and an ampersand, which reports must escape."""
    if not gen.narratives:
        return
    for c in gen.cases:
        if not gen.in_scope(c):
            continue
        for a in c.assessments:
            if a.sig is not None and a.id not in c.taken:
                a.narrative = SCRIPT_NARRATIVE
                a.sig = None
                a.nwords = len(words(SCRIPT_NARRATIVE))
                return
