"""MAPPA level not recorded, or level 2 or 3 without a referral (SPEC §5, 2.6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.plants import Plant

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Case


def _any_case(gen: Generator, c: Case) -> bool:
    return True


def _no_level(gen: Generator, c: Case) -> None:
    c.mappa_eligible, c.mappa_level = True, None


def _level_two_or_three(gen: Generator, c: Case) -> None:
    c.mappa_eligible, c.mappa_level = True, 2 if gen.rng.random() < 0.7 else 3


PLANTS = (
    Plant(
        "mappa_level",
        "public.mappa",
        "level_not_recorded",
        "mappa",
        _any_case,
        hooks={"flags": _no_level},
    ),
    Plant(
        "mappa_referral",
        "public.mappa",
        "not_referred",
        "mappa",
        _any_case,
        suppresses=frozenset({"mappa_referral"}),
        hooks={"flags": _level_two_or_three},
    ),
)
