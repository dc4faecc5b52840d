"""Input problems that exclude a row: rows a reader must quarantine (SPEC §2).

Each :class:`~sqs_checks.synth.records.BadRow` made here is an extra row, not a
record of the export: an impossible date, a duplicate id, a reference to a case or
plan that does not exist, an unknown code, a blank required value. One of them also
carries a bad value in an optional column, listed with the row as excluded. The
writers place the rows among the others and note the line each lands on; the
evaluator links each row to its case (``data.record_excluded``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqs_checks.synth.records import BadRow, Case

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator


def make_bad_rows(gen: Generator) -> None:
    """Impossible dates, a duplicate id, unknown references and codes, a missing value."""
    if not gen.want_problems:
        return
    A = gen.as_of
    in_scope = [c for c in gen.cases if gen.in_scope(c) and c.start < A - 30]
    if not in_scope:
        return
    r = gen.rng.random

    def pick() -> Case:
        return in_scope[int(r() * len(in_scope))]

    def day(c: Case) -> int:
        return c.start + gen.randint(10, max(10, A - c.start - 1))

    def assessment_row(
        assessment_id: str,
        case_id: str,
        kind: str,
        stage: str,
        done: int | str,
        author: str,
        level: str,
    ) -> list[int | str | None]:
        """An assessments row with its other optional columns empty."""
        return [assessment_id, case_id, kind, stage, done, author, level] + [None] * 6

    problems = gen.problems
    year = date.fromordinal(A).year
    # an impossible date, and a level that is not a code (both listed, row excluded)
    c = pick()
    problems.append(
        BadRow(
            "assessments",
            ["completed_date", "level"],
            assessment_row(
                gen.new_id("assessment"),
                c.id,
                "vulnerability",
                "review",
                f"31/02/{year}",
                c.cm,
                "Severe",
            ),
        )
    )
    # a duplicate id (the first row wins)
    c = pick()
    original = next((a for a in c.assessments if a.completed is not None), None)
    if original is not None:
        problems.append(
            BadRow(
                "assessments",
                ["assessment_id"],
                assessment_row(original.id, c.id, original.kind, "review", day(c), c.cm, "medium"),
                after=original,
            )
        )
    # an assessment of a case that does not exist
    c = pick()
    problems.append(
        BadRow(
            "assessments",
            ["case_id"],
            assessment_row(
                gen.new_id("assessment"), "C9999999", "rosh", "initial", day(c), c.cm, "low"
            ),
        )
    )
    # an unknown enum value in a required column
    c = pick()
    problems.append(
        BadRow("events", ["kind"], [gen.new_id("event"), c.id, day(c), "argument_with_staff", True])
    )
    # a null in a required column
    c = pick()
    problems.append(
        BadRow(
            "plans",
            ["author"],
            [gen.new_id("plan"), c.id, "victim_safety", day(c), "", None, None, None],
        )
    )
    # an impossible ISO date in a required column
    c = pick()
    problems.append(
        BadRow(
            "referrals",
            ["referral_date"],
            [gen.new_id("referral"), c.id, "education", f"{year}-13-05"],
        )
    )
    # a plan review of a plan that does not exist
    c = pick()
    problems.append(
        BadRow("plan_reviews", ["plan_id"], [gen.new_id("review"), "P99999999", day(c), c.cm])
    )
    # an offence with an unknown category, of a child with a case in scope
    c = pick()
    problems.append(
        BadRow(
            "offences",
            ["category"],
            [gen.new_id("offence"), c.child.id, c.start - 30, "shoplifting"],
        )
    )
