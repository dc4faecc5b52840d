"""Identified victims not addressed, or addressed late (SPEC §5, 2.6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.plants import Plant, older_than

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Case


def _victim(gen: Generator, c: Case) -> None:
    c.victim = True


def _neither(gen: Generator, c: Case) -> None:
    return None


def _late(gen: Generator, c: Case) -> tuple[int, int | None]:
    """Referral and plan both after the deadline (15 working days)."""
    first = gen.cal.add(c.start, 15 + gen.randint(1, 6))
    second = gen.cal.add(c.start, 15 + gen.randint(7, 12)) if gen.rng.random() < 0.5 else None
    return first, second


PLANTS = (
    Plant(
        "victim_none",
        "public.victims",
        "victim_not_addressed",
        "victims",
        older_than(50),
        hooks={"flags": _victim, "victim_dates": _neither},
    ),
    Plant(
        "victim_late",
        "public.victims",
        "late",
        "victims",
        older_than(50),
        hooks={"flags": _victim, "victim_dates": _late},
    ),
)
