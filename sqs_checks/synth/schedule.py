"""When a compliant case is reviewed: regularly, and soon after every trigger event."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.calendar import add_months
from sqs_checks.synth.records import Event

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator


def gap(gen: Generator) -> int:
    """Days between two regular reviews (the generator's calibrated cadence)."""
    return gen.randint(gen.gap_lo, gen.gap_hi)


def review_points(
    gen: Generator, events: list[Event], base: int, earliest: int, hz: int
) -> list[int]:
    """Dates of full reviews: regular (< 3 months apart) and after every trigger event.

    ``base`` is the date of the case's last initial record, ``earliest`` of its first,
    ``hz`` the horizon (as_of, or the end of a closed case).
    """
    cal = gen.cal
    points: list[int] = []
    limit = add_months(earliest, 3)
    nxt = min(max(earliest + gap(gen), base + gen.randint(3, 10)), limit)
    nxt = cal.next_on_or_after(nxt)
    if nxt > limit:
        nxt = cal.sub(limit + 1, 1)
    for e in events:
        if e.date <= base or e.kind == "other" or e.significant is False:
            continue
        while nxt < e.date and nxt <= hz:
            points.append(nxt)
            nxt = cal.next_on_or_after(nxt + gap(gen))
        if points and points[-1] >= e.date:
            continue  # an earlier event's review already covers this one
        # nxt >= e.date here: review at the next regular review or soon after the event
        point = min(nxt, cal.add(e.date - 1, gen.randint(1, 7)))
        if point > hz:
            continue  # due after the horizon: nothing to do yet
        points.append(point)
        nxt = cal.next_on_or_after(point + gap(gen))
    while nxt <= hz:
        points.append(nxt)
        nxt = cal.next_on_or_after(nxt + gap(gen))
    return points
