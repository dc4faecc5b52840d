"""Intervention, custody and release plans missing or late (SPEC §5, 1.4, 1.5, 2.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.plants import Eligibility, Hook, Plant

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Case


def _none(gen: Generator, c: Case, _: int) -> None:
    return None


def _intervention_late(gen: Generator, c: Case, due: int) -> int:
    return gen.cal.add(c.start, due + gen.randint(1, 8))


def _custody_late(gen: Generator, c: Case, due: int) -> int:
    return gen.cal.add(c.start, 10 + gen.randint(1, 8))


def _release_late(gen: Generator, c: Case, deadline: int) -> int:
    room = max(1, min(9, len(gen.cal.between(deadline, gen.as_of))))
    return gen.cal.add(deadline, gen.randint(1, room))


def _release_soon(lead: int, spread: int) -> Hook:
    """Flags: a release date around as_of, so that the plan's deadline has passed."""

    def flags(gen: Generator, c: Case) -> None:
        c.release = max(c.start + 75, gen.as_of - lead + gen.randint(0, spread))

    return flags


def _eligible(custody: bool, days: int) -> Eligibility:
    def eligible(gen: Generator, c: Case) -> bool:
        return (c.disposal == "custody") == custody and gen.as_of - c.start >= days

    return eligible


PLANTS = (
    Plant(
        "ip_missing",
        "reoffending.intervention_plan",
        "missing",
        "plan",
        _eligible(False, 60),
        conflicts=frozenset({"plan_seq"}),
        hooks={"plan_date:intervention": _none},
    ),
    Plant(
        "ip_late",
        "reoffending.intervention_plan",
        "late",
        "plan",
        _eligible(False, 60),
        hooks={"plan_date:intervention": _intervention_late},
    ),
    Plant(
        "cp_missing",
        "reoffending.custody_plan",
        "missing",
        "plan",
        _eligible(True, 50),
        conflicts=frozenset({"plan_seq"}),
        hooks={"plan_date:custody": _none},
    ),
    Plant(
        "cp_late",
        "reoffending.custody_plan",
        "late",
        "plan",
        _eligible(True, 50),
        hooks={"plan_date:custody": _custody_late},
    ),
    Plant(
        "release_missing",
        "public.release_plan",
        "missing",
        "release",
        _eligible(True, 90),
        hooks={"flags": _release_soon(40, 48), "release_plan_date": _none},
    ),
    Plant(
        "release_late",
        "public.release_plan",
        "late",
        "release",
        _eligible(True, 90),
        hooks={"flags": _release_soon(45, 35), "release_plan_date": _release_late},
    ),
)
