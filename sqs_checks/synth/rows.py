"""The records of the export as table rows (Python values, dates as ordinals).

A record's ``raw`` text replaces its value in the row (an NA marker, a bad value).
:func:`table_rows` mixes in the bad rows and the layout quirks of a CSV file (blank
lines, rows of empty fields) and notes the line every row with a problem lands on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from sqs_checks.synth.schema import TABLES

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator

#: Layout markers yielded by :func:`table_rows` among the rows.
BLANK_LINE = "blank line"
EMPTY_FIELDS = "empty fields"

_INDEX = {table: {name: i for i, name in enumerate(columns)} for table, columns in TABLES.items()}


def _raw(row: list[Any], table: str, raw: dict[str, str] | None) -> list[Any]:
    if raw:
        index = _INDEX[table]
        for column, text in raw.items():
            row[index[column]] = text
    return row


def records(gen: Generator, table: str) -> Iterator[list[Any]]:
    """The rows of one table, in id order, without the bad rows."""
    if table == "cases":
        for c in gen.cases:
            yield _raw(
                [
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
                ],
                "cases",
                c.raw,
            )
    elif table == "assessments":
        for c in gen.cases:
            for a in c.assessments:
                yield _raw(
                    [
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
                    ],
                    "assessments",
                    a.raw,
                )
    elif table == "plans":
        for c in gen.cases:
            for p in c.plans:
                yield _raw(
                    [
                        p.id,
                        c.id,
                        p.kind,
                        p.created,
                        p.author,
                        p.contingency,
                        p.signer,
                        p.sign_date,
                    ],
                    "plans",
                    p.raw,
                )
    elif table == "plan_reviews":
        for c in gen.cases:
            reviews = [rv for p in c.plans for rv in p.reviews]
            reviews.sort(key=lambda rv: rv.id)
            for rv in reviews:
                yield [rv.id, rv.plan.id, rv.date, rv.author]
    elif table == "events":
        for c in gen.cases:
            for e in c.events:
                yield _raw([e.id, c.id, e.date, e.kind, e.significant], "events", e.raw)
    elif table == "court_reports":
        for c in gen.cases:
            for rep in c.reports:
                yield _raw(
                    [
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
                    ],
                    "court_reports",
                    rep.raw,
                )
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


def table_rows(
    gen: Generator, table: str, layout: Mapping[int, list[str]] | None = None
) -> Iterator[list[Any] | str]:
    """The rows of one table with its bad rows mixed in; notes the line of each row
    with a problem (``BadRow.row``; the header is line 1).

    A duplicate id comes a few rows after the row whose id it repeats (the first
    row wins); every other extra bad row goes anywhere. ``layout`` maps k to the
    markers (:data:`BLANK_LINE`, :data:`EMPTY_FIELDS`) written before the k-th
    record (k = the number of records: at the end); they count as lines.
    """
    problems = [p for p in gen.problems if p.table == table]
    if not problems and not layout:
        yield from records(gen, table)
        return
    layout = layout or {}
    loose = [p for p in problems if p.values is not None and p.after is None]
    kept = {p.record.id: p for p in problems if p.record is not None}
    n = size(gen, table)
    slots = sorted(((gen.randint(0, n), i) for i in range(len(loose))), reverse=True)
    followers = {p.after.id: p for p in problems if p.after is not None}
    waiting: list[list[Any]] = []  # [rows still to wait, problem]
    line = 1
    k = -1
    for k, row in enumerate(records(gen, table)):
        for marker in layout.get(k, ()):
            line += 1
            yield marker
        while slots and slots[-1][0] == k:
            prob = loose[slots.pop()[1]]
            line += 1
            prob.row = line
            yield prob.values  # type: ignore[misc]
        line += 1
        yield row
        if row[0] in kept:
            kept[row[0]].row = line
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
    for marker in layout.get(k + 1, ()):
        line += 1
        yield marker
    for prob in [loose[i] for _, i in reversed(slots)] + [item[1] for item in waiting]:
        line += 1
        prob.row = line
        yield prob.values  # type: ignore[misc]
