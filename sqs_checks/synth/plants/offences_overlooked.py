"""Risk of harm assessed low despite violent offences (SPEC §5, 2.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.plants import Plant, older_than

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Case


def _violent_child(gen: Generator, c: Case) -> None:
    c.child.violent = True  # a violent offence comes first in the child's history


def _low(gen: Generator, c: Case) -> str:
    return "low"


PLANTS = (
    Plant(
        "rosh_overlooked",
        "public.rosh_offences_overlooked",
        "offences_overlooked",
        "rosh_ia",
        older_than(45),
        conflicts=frozenset({"rmp", "rmp_seq"}),
        hooks={"flags": _violent_child, "rosh_level": _low},
    ),
)
