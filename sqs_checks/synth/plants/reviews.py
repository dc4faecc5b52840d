"""Assessments and plans overdue for review, reviewed late, or not reviewed after a
trigger event (SPEC §5 "Reviews" and "Plan reviews": 1.2, 1.6, 2.2, 3.1, 3.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth import factory
from sqs_checks.synth.calendar import add_months
from sqs_checks.synth.catalog import SEQ_CHECK, SEQ_TRIGGERS, SEQS
from sqs_checks.synth.plants import Hook, Plant, medium_or_higher, older_than

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Case, Event

_REASON = {"overdue": "overdue", "late": "late", "event": "not_reviewed_after_event"}
_MIN_AGE = {"overdue": 200, "late": 270, "event": 120}


def _due_triggers(gen: Generator, seq: str, events: list[Event], first: int) -> list[Event]:
    """Trigger events of the sequence after its first record, whose deadline has passed."""
    triggers = SEQ_TRIGGERS[seq]
    return [
        e
        for e in events
        if e.kind in triggers
        and e.significant is not False
        and e.date > first
        and gen.cal.add(e.date, 10) < gen.as_of
    ]


def _ensure_trigger_event(seq: str) -> Hook:
    """Events: a trigger event for the sequence, if the case has none due yet."""

    def add_event(gen: Generator, c: Case, events: list[Event], firsts: dict, base: int) -> None:
        first = firsts[seq]
        if first is None or _due_triggers(gen, seq, events, first):
            return
        latest = gen.cal.sub(gen.as_of, 12)
        if latest <= base + 1:
            return
        triggers = SEQ_TRIGGERS[seq]
        kind = sorted(triggers)[int(gen.rng.random() * len(triggers))]
        events.append(factory.event(gen, c, gen.randint(base + 1, latest), kind, True))

    return add_event


def _leave_out(seq: str, mode: str) -> Hook:
    """Review points: leave the sequence out of some, so that it fails as planted."""

    def leave_out(
        gen: Generator,
        c: Case,
        firsts: dict,
        points: list[int],
        members: dict[str, list[bool]],
        events: list[Event],
    ) -> None:
        first = firsts[seq]
        if first is None:
            return
        member = members[seq]
        A = gen.as_of
        if mode == "overdue":
            cut = max(first + 1, add_months(A, -3) - gen.randint(5, 45))
            for i, day in enumerate(points):
                if day > cut:
                    member[i] = False
        elif mode == "late":
            elems = [first] + [d for d, m in zip(points, member, strict=True) if m]
            options = [e for e in elems if any(add_months(e, 3) < d <= A for d in points)]
            if not options:
                return
            e = options[int(gen.rng.random() * len(options))]
            bound = add_months(e, 3)
            for i, day in enumerate(points):
                if e < day <= bound:
                    member[i] = False
        else:
            options_ev = _due_triggers(gen, seq, events, first)
            if not options_ev:
                return
            ev = options_ev[int(gen.rng.random() * len(options_ev))]
            deadline = gen.cal.add(ev.date, 10)
            for i, day in enumerate(points):
                if ev.date <= day <= deadline:
                    member[i] = False

    return leave_out


def _plant(seq: str, mode: str) -> Plant:
    hooks: dict[str, Hook] = {"review_points": _leave_out(seq, mode)}
    if mode == "event":
        hooks["events"] = _ensure_trigger_event(seq)
    if seq == "rmp":
        hooks["rosh_level"] = medium_or_higher
    elif seq == "vmp":
        hooks["vulnerability_level"] = medium_or_higher
    return Plant(
        f"rv_{seq}_{mode}",
        SEQ_CHECK[seq],
        _REASON[mode],
        f"{seq}_seq",
        older_than(_MIN_AGE[mode]),
        suppresses=frozenset({"pending_psr"}) if seq == "reoff" else frozenset(),
        hooks=hooks,
    )


PLANTS = tuple(_plant(seq, mode) for seq in SEQS for mode in _REASON)
