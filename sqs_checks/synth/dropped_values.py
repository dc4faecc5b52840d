"""Input problems that do not exclude a row: bad values in optional columns (SPEC §2 v2).

A reader drops such a value (it becomes null), checks the row, and lists the problem;
the row's case gets a ``data.value_dropped`` finding. Each drop below writes bad
text in a record's row (``raw``) and sets the record's value to what the reader
gets, null, so that the evaluator sees the consequences: a MAPPA level of 4 is no
level (``level_not_recorded``), an unknown contingency is not true
(``no_contingency``), an impossible sign-off date is a sign-off without a date
(never late), an unknown victim flag is not a victim, and so on.

The drops go to cases in scope without planted defects (one row per case), so that
no plant loses its finding; one goes to a case out of scope (listed, no finding).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from sqs_checks.synth import factory
from sqs_checks.synth.records import Assessment, BadRow, Case, Plan, Record, Report, write_raw

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator

#: A drop: given a case, the bad row it made in it, or None if the case does not fit.
Drop = Callable[["Generator", Case], BadRow | None]


def _drop(table: str, record: Record, texts: dict[str, str], **values: object) -> BadRow:
    """Write ``texts`` in the record's row and give the record the values a reader gets."""
    for column, text in texts.items():
        write_raw(record, column, text)
    for attribute, value in values.items():
        setattr(record, attribute, value)
    return BadRow(table, list(texts), record=record)


def _done(gen: Generator, c: Case, kind: str) -> list[Assessment]:
    items = [a for a in c.assessments if a.kind == kind and a.completed is not None]
    items = [a for a in items if a.completed <= gen.as_of]  # type: ignore[operator]
    return sorted(items, key=lambda a: (a.completed, a.id))


def _psr(gen: Generator, c: Case) -> Report | None:
    for rep in c.reports:
        if rep.kind == "psr" and rep.submitted is not None and rep.submitted <= gen.as_of:
            return rep
    return None


def _signed_plan(gen: Generator, c: Case, kinds: frozenset[str]) -> Plan | None:
    for p in c.plans:
        if p.kind in kinds and p.created <= gen.as_of and p.signer and p.sign_date:
            return p
    return None


def mappa_level_four(gen: Generator, c: Case) -> BadRow | None:
    """``mappa_level`` 4 on a MAPPA-eligible case: no level recorded."""
    return _drop("cases", c, {"mappa_level": "4"}, mappa_eligible=True, mappa_level=None)


def victim_unknown(gen: Generator, c: Case) -> BadRow | None:
    """``has_identified_victim`` "Unknown" on a case with no victim work: not relevant."""
    if c.victim is not False or gen.as_of - c.start < 60:
        return None
    return _drop("cases", c, {"has_identified_victim": "Unknown"}, victim=None)


def end_date_to_be_confirmed(gen: Generator, c: Case) -> BadRow | None:
    """``end_date`` "TBC" on a case planned to end after as_of: still open, in scope."""
    if c.end is None or c.end <= gen.as_of:
        return None
    return _drop("cases", c, {"end_date": "TBC"}, end=None)


def release_date_to_be_confirmed(gen: Generator, c: Case) -> BadRow | None:
    """``release_date`` "TBC" on a custody case: no release plan is due."""
    if c.disposal != "custody" or c.release is None:
        return None
    return _drop("cases", c, {"release_date": "TBC"}, release=None)


def rosh_level_severe(gen: Generator, c: Case) -> BadRow | None:
    """Level "Severe" on the first of several low rosh assessments: no other effect."""
    items = _done(gen, c, "rosh")
    if len(items) < 2 or any(a.level != "low" for a in items):
        return None
    return _drop("assessments", items[0], {"level": "Severe"}, level=None)


def vulnerability_level_unknown(gen: Generator, c: Case) -> BadRow | None:
    """Level "unknown" on a case's only vulnerability assessment: ``level_unclear``."""
    items = _done(gen, c, "vulnerability")
    if len(items) != 1 or items[0].level is None:
        return None
    return _drop("assessments", items[0], {"level": "unknown"}, level=None)


def contingency_unknown(gen: Generator, c: Case) -> BadRow | None:
    """``has_contingency`` "Unknown" on the latest risk management plan: ``no_contingency``."""
    plans = [p for p in c.plans if p.kind == "risk_management" and p.created <= gen.as_of]
    if not plans:
        return None
    latest = max(plans, key=lambda p: (p.created, p.id))
    return _drop("plans", latest, {"has_contingency": "Unknown"}, contingency=None)


def assessment_signed_in_the_future(gen: Generator, c: Case) -> BadRow | None:
    """A sign-off dated after today: signed off without a date, never late."""
    items = [a for a in _done(gen, c, "reoffending") if a.stage == "initial"]
    if not items or not items[0].signer or not items[0].sign_date:
        return None
    text = date.fromordinal(gen.today + 400).isoformat()
    return _drop("assessments", items[0], {"signed_off_date": text}, sign_date=None)


def plan_signed_on_an_impossible_date(gen: Generator, c: Case) -> BadRow | None:
    """A plan's sign-off dated 31 February: signed off without a date."""
    plan = _signed_plan(gen, c, frozenset({"risk_management", "vulnerability_management"}))
    if plan is None:
        return None
    text = f"31/02/{date.fromordinal(gen.as_of).year}"
    return _drop("plans", plan, {"signed_off_date": text}, sign_date=None)


def rosh_partly_addressed(gen: Generator, c: Case) -> BadRow | None:
    """``rosh_addressed`` "partly" on a submitted report: ``rosh_not_addressed``."""
    rep = _psr(gen, c)
    if rep is None:
        return None
    return _drop("court_reports", rep, {"rosh_addressed": "partly"}, rosh_addressed=None)


def quality_assured_on_an_impossible_date(gen: Generator, c: Case) -> BadRow | None:
    """Quality assurance dated 30 February: quality-assured without a date."""
    rep = _psr(gen, c)
    if rep is None or rep.qa_by is None or rep.qa_date is None:
        return None
    text = f"30/02/{date.fromordinal(gen.as_of).year}"
    return _drop("court_reports", rep, {"quality_assured_date": text}, qa_date=None)


def two_bad_flags(gen: Generator, c: Case) -> BadRow | None:
    """Two bad flags on one row (one finding): ``not_assessed``, ``child_not_involved``."""
    items = [a for a in _done(gen, c, "reoffending") if a.stage == "initial"]
    if not items:
        return None
    texts = {"diversity_assessed": "unsure", "child_views_recorded": "n.k."}
    return _drop("assessments", items[0], texts, diversity=None, child_views=None)


def event_significance_maybe(gen: Generator, c: Case) -> BadRow | None:
    """An event whose ``significant`` is "maybe": an event like any other (kind other)."""
    day = c.start + gen.randint(10, max(10, gen.as_of - c.start - 1))
    event = factory.event(gen, c, day, "other", None)
    c.events.append(event)
    return _drop("events", event, {"significant": "maybe"})


def level_severe_out_of_scope(gen: Generator, c: Case) -> BadRow | None:
    """A bad level on an assessment of a case out of scope: listed, no finding."""
    items = [a for a in c.assessments if a.completed is not None]
    if not items:
        return None
    return _drop("assessments", items[0], {"level": "Severe"}, level=None)


#: The drops made in cases in scope, in order.
DROPS: tuple[Drop, ...] = (
    mappa_level_four,
    victim_unknown,
    end_date_to_be_confirmed,
    release_date_to_be_confirmed,
    rosh_level_severe,
    vulnerability_level_unknown,
    contingency_unknown,
    assessment_signed_in_the_future,
    plan_signed_on_an_impossible_date,
    rosh_partly_addressed,
    quality_assured_on_an_impossible_date,
    two_bad_flags,
    event_significance_maybe,
)


def make_dropped_values(gen: Generator) -> None:
    """Bad values in optional columns of records the checks still use."""
    if not gen.want_problems:
        return
    A = gen.as_of
    clean = [c for c in gen.cases if gen.in_scope(c) and not c.plants and c.start < A - 30]
    others = [c for c in gen.cases if not gen.in_scope(c) and c.start <= A]
    gen.rng.shuffle(clean)
    used: set[str] = set()
    for drop in DROPS:
        for c in clean:
            if c.id in used:
                continue
            bad = drop(gen, c)
            if bad is not None:
                used.add(c.id)
                gen.problems.append(bad)
                break
    if others:
        start = int(gen.rng.random() * len(others))
        for c in others[start:] + others[:start]:
            bad = level_severe_out_of_scope(gen, c)
            if bad is not None:
                gen.problems.append(bad)
                break
