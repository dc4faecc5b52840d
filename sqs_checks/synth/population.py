"""The base population: staff, children and their cases, with each case's dates and flags.

About nine cases in ten are open on as_of (the cases in scope), the rest closed
before it or starting just after it. A child can have several cases, one after the
other or overlapping. :func:`calibrate` adjusts the review cadence (or the age of
cases) to the asked number of assessments per case.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from sqs_checks.synth.names import (
    CASE_MANAGERS,
    FIRST_NAMES,
    OPERATIONAL_MANAGERS,
    OTHER_STAFF,
    PRACTICE_MANAGERS,
    SURNAMES,
    TEAMS,
)
from sqs_checks.synth.records import Case, Child

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator

DISPOSALS = (
    ("referral_order", 0.27),
    ("community", 0.31),
    ("custody", 0.16),
    ("out_of_court", 0.16),
    ("other", 0.10),
)
DISPOSAL_LENGTH = {  # days: (min, max)
    "referral_order": (90, 365),
    "community": (180, 730),
    "custody": (120, 730),
    "out_of_court": (60, 180),
    "other": (90, 365),
}


def make_staff(gen: Generator) -> None:
    """Teams, case managers, practice/operational managers and other staff."""
    n_cm = max(8, min(3000, gen.n_cases // 30))
    if n_cm == 8:
        cms = list(CASE_MANAGERS)
    else:
        combos = [(f, s) for f in FIRST_NAMES for s in SURNAMES]
        random.Random(gen.seed + 1).shuffle(combos)
        reserved = {n for n, _ in CASE_MANAGERS}
        reserved |= set(PRACTICE_MANAGERS.values())
        reserved |= {n for n, _ in OPERATIONAL_MANAGERS + OTHER_STAFF}
        names = [f"{f} {s}" for f, s in combos if f"{f} {s}" not in reserved]
        cms = list(CASE_MANAGERS) + [
            (names[i], TEAMS[i % 4]) for i in range(n_cm - len(CASE_MANAGERS))
        ]
    gen.case_managers = cms
    for name, team in cms:
        gen.cms_by_team.setdefault(team, []).append(name)
        gen.staff.append((name, "case_manager", team))
    for team in TEAMS:
        gen.pm[team] = PRACTICE_MANAGERS[team]
        gen.staff.append((PRACTICE_MANAGERS[team], "practice_manager", team))
    for name, team in OPERATIONAL_MANAGERS:
        gen.oms.append(name)
        gen.staff.append((name, "operational_manager", team))
    for name, team in OTHER_STAFF:
        gen.others.append(name)
        gen.staff.append((name, "other", team))


def _draw_age(gen: Generator) -> int:
    u = gen.rng.random()
    if u < 0.03:
        return gen.randint(0, 6)
    if u < 0.45:
        return gen.randint(7, 90)
    if u < 0.8:
        return gen.randint(91, 240)
    return gen.randint(241, 540)


def _new_case(gen: Generator, child: Child, start: int, status: str) -> Case:
    cm, team = gen.case_managers[int(gen.rng.random() * len(gen.case_managers))]
    disposal = gen.weighted(DISPOSALS)
    return Case(id="", child=child, cm=cm, team=team, disposal=disposal, start=start, status=status)


def make_skeleton(gen: Generator) -> None:
    """Children, their cases, and each case's dates and flags."""
    r = gen.rng.random
    A, T = gen.as_of, gen.today
    room = T - A
    made = 0
    while made < gen.n_cases:
        u = r()
        k = 1 if u < 0.78 else 2 if u < 0.95 else 3
        k = min(k, gen.n_cases - made)
        child = Child(id=gen.new_id("child"), dob=0, violent=r() < 0.3)
        u = r()
        if room >= 2 and k == 1 and u < 0.025:
            last = _new_case(gen, child, A + gen.randint(1, min(room, 40)), "future")
        elif u < 0.11:
            last = _new_case(gen, child, A - gen.randint(100, 700), "closed")
            lo, hi = DISPOSAL_LENGTH[last.disposal]
            end = last.start + gen.randint(lo, hi)
            if end >= A:
                end = A - gen.randint(1, 60)
            last.end = max(end, last.start + 45)
        else:
            last = _new_case(gen, child, A - int(_draw_age(gen) * gen.age_scale), "open")
        chain = [last]
        for _ in range(k - 1):
            nxt = chain[0]
            if nxt.status == "open" and r() < 0.25:
                case = _new_case(gen, child, nxt.start - gen.randint(20, 200), "open")
            else:
                end = nxt.start - gen.randint(7, 250)
                case = _new_case(gen, child, 0, "closed")
                lo, hi = DISPOSAL_LENGTH[case.disposal]
                case.start = end - gen.randint(max(lo, 45), hi)
                case.end = end
            chain.insert(0, case)
        chain.sort(key=lambda c: c.start)
        child.dob = chain[0].start - gen.randint(10 * 365 + 3, 17 * 365 + 300)
        for case in chain:
            case.id = gen.new_id("case")
            child.cases.append(case)
            gen.cases.append(case)
            _case_flags(gen, case)
        gen.children.append(child)
        made += k


def _case_flags(gen: Generator, c: Case) -> None:
    r = gen.rng.random
    lo, hi = DISPOSAL_LENGTH[c.disposal]
    if c.status == "open":
        u = r()
        if u < 0.01:
            c.end = gen.as_of
        elif u < 0.3:
            planned = c.start + gen.randint(lo, hi)
            if planned >= gen.as_of:
                c.end = planned
    if c.disposal in ("referral_order", "community", "custody") and r() < 0.93:
        c.sentence_date = c.start
    if c.disposal == "custody":
        c.release = c.start + gen.randint(75, 400)
        if c.end is not None and c.status == "closed" and c.release > c.end:
            c.release = max(c.start + 60, c.end - 10)
    eligible = c.child.violent and c.disposal in ("custody", "community") and r() < 0.35
    if eligible:
        c.mappa_eligible = True
        c.mappa_level = 1 if r() < 0.6 else 2 if r() < 0.75 else 3
    else:
        c.mappa_eligible = False if r() < 0.8 else None
    if r() < 0.55:
        c.victim = True
    else:
        c.victim = False if r() < 0.85 else None
    c.psr = c.disposal in ("community", "custody") and r() < 0.7


def calibrate(gen: Generator) -> None:
    """Pick the review cadence (and, if needed, younger cases) for the asked density.

    A rough model of the build: a case past its first weeks has one initial
    assessment of each of the three kinds, then one of each kind per review (every
    ``gap`` days, plus after trigger events); closed cases are reviewed sparsely.
    """
    target = gen.target_apc
    if target is None or not gen.cases:
        return
    A = gen.as_of
    open_spans = [A - c.start for c in gen.cases if c.status == "open"]
    fixed = 0.0
    for c in gen.cases:
        if c.status == "closed":
            fixed += 3.6 + 3 * max(0, (c.end or A) - c.start - 100) / 180
        elif c.status == "future":
            fixed += 3
    n = len(gen.cases)

    def estimate(mean_gap: float, scale: float) -> float:
        total = fixed
        rate = 1 / mean_gap + 0.003
        for span in open_spans:
            s = span * scale
            total += 3 * min(1.0, s / 20) + 3 * max(0.0, s - 35) * rate
        return total / n

    if estimate(70.0, 1.0) > target:
        lo, hi = 0.0, 1.0
        for _ in range(30):
            mid = (lo + hi) / 2
            if estimate(70.0, mid) > target:
                hi = mid
            else:
                lo = mid
        gen.age_scale = lo
        for c in gen.cases:
            if c.status == "open":
                c.start = A - int((A - c.start) * lo)
                if c.release is not None:
                    c.release = c.start + gen.randint(75, 400)
        return
    lo_gap, hi_gap = 3.0, 70.0
    for _ in range(30):
        mid = (lo_gap + hi_gap) / 2
        if estimate(mid, 1.0) > target:
            lo_gap = mid
        else:
            hi_gap = mid
    mean = (lo_gap + hi_gap) / 2
    gen.gap_lo = max(1, int(mean * 0.8))
    gen.gap_hi = min(84, max(gen.gap_lo + 1, int(mean * 1.2)))
