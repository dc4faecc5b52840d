"""Pre-sentence reports late, without quality assurance, without any assessment or on
an old one, or without an assessment of risk of harm (SPEC §5, 1.3, 2.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.calendar import add_months
from sqs_checks.synth.plants import Eligibility, Plant

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Assessment, Case, Report


def _late(gen: Generator, c: Case, court: int, submitted: int | None) -> int | None:
    """Submitted after the court date, or not at all."""
    if gen.rng.random() < 0.5:
        later = gen.cal.add(court, gen.randint(1, 3))
        return None if later > gen.as_of else later
    return None


def _no_quality_assurance(gen: Generator, c: Case, report: Report) -> None:
    """Quality-assured only after submission, or not at all."""
    submitted = report.submitted
    if submitted is None:
        return
    if gen.rng.random() < 0.5 and submitted + 5 <= gen.today:
        report.qa_date = submitted + gen.randint(1, 5)
        report.qa_by = gen.pm[c.team]
    else:
        report.qa_by = report.qa_date = None


def _rosh_not_addressed(gen: Generator, c: Case, report: Report) -> None:
    report.rosh_addressed = False if gen.rng.random() < 0.7 else None


def _no_fresh_basis(gen: Generator, c: Case, basis_day: int) -> None:
    return None  # the initial assessment is dated as usual, long before submission


def _names_initial_or_nothing(
    gen: Generator, c: Case, report: Report, initial: Assessment | None
) -> None:
    """Names the initial assessment (completed after submission) or nothing."""
    report.assessment_id = initial.id if initial is not None and gen.rng.random() < 0.5 else None


def _names_an_old_assessment(
    gen: Generator, c: Case, report: Report, initial: Assessment | None
) -> None:
    """Names a reoffending assessment of the child's earlier case, long completed."""
    limit = add_months(report.submitted or c.start, -3)
    for other in c.child.cases:
        if other is c or other.status != "closed":
            continue
        for a in other.assessments:
            if a.kind == "reoffending" and a.completed is not None and a.completed < limit:
                report.assessment_id = a.id
                return


def _after_an_earlier_case(gen: Generator, c: Case) -> bool:
    """A report case of a child whose closed case started at least 200 days earlier."""
    if not c.psr or gen.as_of - c.start < 45:
        return False
    return any(o.status == "closed" and o.start <= c.start - 200 for o in c.child.cases)


def _with_report(days: int, only_case_of_child: bool = False) -> Eligibility:
    def eligible(gen: Generator, c: Case) -> bool:
        if only_case_of_child and len(c.child.cases) != 1:
            return False
        return c.psr and gen.as_of - c.start >= days

    return eligible


PLANTS = (
    Plant(
        "psr_late",
        "reoffending.court_report",
        "late",
        "psr",
        _with_report(10),
        hooks={"psr_submitted": _late},
    ),
    Plant(
        "psr_no_qa",
        "reoffending.court_report",
        "no_quality_assurance",
        "psr",
        _with_report(10),
        hooks={"psr_written": _no_quality_assurance},
    ),
    Plant(
        "psr_no_assessment",
        "reoffending.court_report",
        "no_assessment",
        "psr",
        _with_report(45, only_case_of_child=True),
        suppresses=frozenset({"pending_psr"}),
        hooks={"psr_basis": _no_fresh_basis, "psr_assessment_id": _names_initial_or_nothing},
    ),
    Plant(
        "psr_old",
        "reoffending.court_report",
        "old_assessment",
        "psr",
        _after_an_earlier_case,
        suppresses=frozenset({"pending_psr"}),
        hooks={"psr_assessment_id": _names_an_old_assessment},
    ),
    Plant(
        "psr_rosh",
        "public.court_report_rosh",
        "rosh_not_addressed",
        "psr",
        _with_report(10),
        hooks={"psr_written": _rosh_not_addressed},
    ),
)
