"""The records of the export as table rows (Python values, dates as ordinals)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator


def records(gen: Generator, table: str) -> Iterator[list[Any]]:
    """The rows of one table, in id order, without the bad rows."""
    if table == "cases":
        for c in gen.cases:
            yield [
                c.id,
                c.child.id,
                c.cm,
                c.team,
                c.disposal,
                c.start,
                c.sentence_date,
                c.end,
                c.release,
                c.mappa_eligible,
                c.mappa_level,
                c.victim,
                c.child.dob,
            ]
    elif table == "assessments":
        for c in gen.cases:
            for a in c.assessments:
                yield [
                    a.id,
                    c.id,
                    a.kind,
                    a.stage,
                    a.completed,
                    a.author,
                    a.level,
                    a.narrative,
                    a.signer,
                    a.sign_date,
                    a.diversity,
                    a.child_views,
                    a.carer,
                ]
    elif table == "plans":
        for c in gen.cases:
            for p in c.plans:
                yield [
                    p.id,
                    c.id,
                    p.kind,
                    p.created,
                    p.author,
                    p.contingency,
                    p.signer,
                    p.sign_date,
                ]
    elif table == "plan_reviews":
        for c in gen.cases:
            reviews = [rv for p in c.plans for rv in p.reviews]
            reviews.sort(key=lambda rv: rv.id)
            for rv in reviews:
                yield [rv.id, rv.plan.id, rv.date, rv.author]
    elif table == "events":
        for c in gen.cases:
            for e in c.events:
                yield [e.id, c.id, e.date, e.kind, e.significant]
    elif table == "court_reports":
        for c in gen.cases:
            for rep in c.reports:
                yield [
                    rep.id,
                    c.id,
                    rep.kind,
                    rep.court_date,
                    rep.submitted,
                    rep.author,
                    rep.qa_by,
                    rep.qa_date,
                    rep.assessment_id,
                    rep.rosh_addressed,
                ]
    elif table == "referrals":
        for c in gen.cases:
            for x in c.referrals:
                yield [x.id, c.id, x.kind, x.date]
    elif table == "offences":
        for child in gen.children:
            for o in child.offences:
                yield [o.id, child.id, o.date, o.category]
    else:
        for name, role, team in gen.staff:
            yield [name, role, team]


def size(gen: Generator, table: str) -> int:
    """The number of records of one table (bad rows not counted)."""
    if table == "cases":
        return len(gen.cases)
    if table == "offences":
        return sum(len(child.offences) for child in gen.children)
    if table == "staff":
        return len(gen.staff)
    if table == "plan_reviews":
        return sum(len(p.reviews) for c in gen.cases for p in c.plans)
    attr = {
        "assessments": "assessments",
        "plans": "plans",
        "events": "events",
        "court_reports": "reports",
        "referrals": "referrals",
    }[table]
    return sum(len(getattr(c, attr)) for c in gen.cases)


def table_rows(gen: Generator, table: str) -> Iterator[list[Any]]:
    """The rows of one table with its bad rows mixed in; notes the line of each bad row.

    A duplicate id comes a few rows after the row whose id it repeats (the first
    row wins); every other bad row goes anywhere. Lines count from the header (1).
    """
    problems = [p for p in gen.problems if p.table == table]
    if not problems:
        yield from records(gen, table)
        return
    loose = [p for p in problems if p.after is None]
    n = size(gen, table)
    slots = sorted(((gen.randint(0, n), i) for i in range(len(loose))), reverse=True)
    followers = {p.after.id: p for p in problems if p.after is not None}
    waiting: list[list[Any]] = []  # [rows still to wait, problem]
    line = 1
    for k, row in enumerate(records(gen, table)):
        while slots and slots[-1][0] == k:
            prob = loose[slots.pop()[1]]
            line += 1
            prob.row = line
            yield prob.values
        line += 1
        yield row
        follower = followers.pop(row[0], None) if followers else None
        if follower is not None:
            waiting.append([gen.randint(0, 30), follower])
        for item in waiting[:]:
            item[0] -= 1
            if item[0] < 0:
                waiting.remove(item)
                line += 1
                item[1].row = line
                yield item[1].values
    for prob in [loose[i] for _, i in reversed(slots)] + [item[1] for item in waiting]:
        line += 1
        prob.row = line
        yield prob.values
