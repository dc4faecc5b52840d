"""Assessments copied from the previous one of the same kind for the child (1.1, 1.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.narratives import light_edit
from sqs_checks.synth.plants import Plant
from sqs_checks.synth.similarity import words

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Case


def _eligible(gen: Generator, c: Case) -> bool:
    if not gen.narratives:
        return False
    age = gen.as_of - c.start
    earlier = any(o is not c and o.start < c.start for o in c.child.cases)
    return age >= 130 or (earlier and age >= 45)


def _copy(gen: Generator, c: Case) -> None:
    """Make one assessment of the case a light edit of its predecessor.

    The predecessor is, when possible, on an earlier case of the child (a copy
    across cases); a child and kind get one copy at most.
    """
    gen.chains()
    used: set[tuple[str, str]] = gen.plant_state.setdefault("copied", set())
    options = []
    for a in c.assessments:
        p = gen.pred.get(a.id)
        if (
            p is None
            or a.id in c.taken
            or a.completed is None
            or p.narrative is None
            or p.nwords < 25
            or (c.child.id, a.kind) in used
        ):
            continue
        options.append((a, p))
    if not options:
        return
    cross = [(a, p) for a, p in options if p.case is not c]
    pool = cross if cross and gen.rng.random() < 0.6 else options
    a, p = pool[int(gen.rng.random() * len(pool))]
    used.add((c.child.id, a.kind))
    c.taken.add(a.id)
    a.narrative = light_edit(gen.rng.random, p.narrative or "")
    a.sig = None
    a.nwords = len(words(a.narrative))


PLANTS = (
    Plant(
        "copied",
        "reoffending.copied_assessment",
        "copied",
        "copy",
        _eligible,
        hooks={"after_build": _copy},
    ),
)
