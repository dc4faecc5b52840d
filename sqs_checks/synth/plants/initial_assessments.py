"""Initial assessments missing, late, or without a level (SPEC §5, 1.1, 2.1, 3.1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.plants import Eligibility, Hook, Plant, no_level, older_than

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Case


def _none(gen: Generator, c: Case, due: int) -> None:
    return None


def _late(gen: Generator, c: Case, due: int) -> int:
    """Completed a few working days after the deadline, before as_of."""
    latest = gen.as_of - 1
    for _ in range(20):
        d = gen.cal.add(c.start, due + gen.randint(1, 8))
        if d <= latest:
            return d
    return gen.cal.add(c.start, due + 1)


def _reserve(kind: str) -> Hook:
    """Reserve: the case's assessments of the kind (their missing level is the defect)."""

    def reserve(gen: Generator, c: Case) -> None:
        for a in c.assessments:
            if a.kind == kind:
                c.taken.add(a.id)

    return reserve


def _not_a_court_report_case(days: int) -> Eligibility:
    def eligible(gen: Generator, c: Case) -> bool:
        return not c.psr and gen.as_of - c.start >= days

    return eligible


_ROSH_PLANS = frozenset({"rmp", "rmp_seq"})
_VULN_PLANS = frozenset({"vmp", "vmp_seq"})

PLANTS = (
    Plant(
        "ia_missing",
        "reoffending.initial_assessment",
        "missing",
        "reoff_ia",
        _not_a_court_report_case(45),
        conflicts=frozenset({"reoff_seq", "sentence", "psr", "signoff", "copy"}),
        suppresses=frozenset({"pending_psr"}),
        hooks={"initial_date:reoffending": _none},
    ),
    Plant(
        "ia_late",
        "reoffending.initial_assessment",
        "late",
        "reoff_ia",
        _not_a_court_report_case(60),
        suppresses=frozenset({"pending_psr"}),
        hooks={"initial_date:reoffending": _late},
    ),
    Plant(
        "rosh_missing",
        "public.rosh_assessment",
        "missing",
        "rosh_ia",
        older_than(45),
        conflicts=frozenset({"rosh_seq"}) | _ROSH_PLANS,
        hooks={"initial_date:rosh": _none, "rosh_level": no_level},
    ),
    Plant(
        "rosh_late",
        "public.rosh_assessment",
        "late",
        "rosh_ia",
        older_than(60),
        conflicts=_ROSH_PLANS,
        suppresses=frozenset({"same_day:rosh"}),
        hooks={"initial_date:rosh": _late},
    ),
    Plant(
        "rosh_unclear",
        "public.rosh_assessment",
        "level_unclear",
        "rosh_ia",
        older_than(45),
        conflicts=_ROSH_PLANS,
        hooks={"rosh_level": no_level, "reserve": _reserve("rosh")},
    ),
    Plant(
        "vuln_missing",
        "child.vulnerability_assessment",
        "missing",
        "vuln_ia",
        older_than(45),
        conflicts=frozenset({"vuln_seq"}) | _VULN_PLANS,
        hooks={"initial_date:vulnerability": _none, "vulnerability_level": no_level},
    ),
    Plant(
        "vuln_late",
        "child.vulnerability_assessment",
        "late",
        "vuln_ia",
        older_than(60),
        conflicts=_VULN_PLANS,
        suppresses=frozenset({"same_day:vulnerability"}),
        hooks={"initial_date:vulnerability": _late},
    ),
    Plant(
        "vuln_unclear",
        "child.vulnerability_assessment",
        "level_unclear",
        "vuln_ia",
        older_than(45),
        conflicts=_VULN_PLANS,
        hooks={"vulnerability_level": no_level, "reserve": _reserve("vulnerability")},
    ),
)
