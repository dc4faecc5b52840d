"""Risk and vulnerability management plans missing, late, or without contingency (2.4, 3.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.plants import Plant, medium_or_higher, older_than

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Case


def _none(gen: Generator, c: Case, first: int) -> None:
    return None


def _late(gen: Generator, c: Case, first: int) -> int:
    """Created a few working days after the deadline (10 working days)."""
    return gen.cal.add(first, 10 + gen.randint(1, 8))


def _no_contingency(gen: Generator, c: Case) -> bool | None:
    return False if gen.rng.random() < 0.6 else None


def _reserve_plans(gen: Generator, c: Case) -> None:
    for p in c.plans:
        c.taken.add(p.id)


def _family(prefix: str, check: str, kind: str, plan_kind: str) -> tuple[Plant, ...]:
    level = {f"{kind}_level": medium_or_higher}
    eligible = older_than(90)
    return (
        Plant(
            f"{prefix}_missing",
            check,
            "missing",
            prefix,
            eligible,
            conflicts=frozenset({f"{prefix}_seq"}),
            hooks={**level, f"plan_date:{plan_kind}": _none},
        ),
        Plant(
            f"{prefix}_late",
            check,
            "late",
            prefix,
            eligible,
            hooks={**level, f"plan_date:{plan_kind}": _late},
        ),
        Plant(
            f"{prefix}_nocont",
            check,
            "no_contingency",
            prefix,
            eligible,
            hooks={**level, f"contingency:{plan_kind}": _no_contingency, "reserve": _reserve_plans},
        ),
    )


PLANTS = _family("rmp", "public.risk_management_plan", "rosh", "risk_management") + _family(
    "vmp", "child.vulnerability_management_plan", "vulnerability", "vulnerability_management"
)
