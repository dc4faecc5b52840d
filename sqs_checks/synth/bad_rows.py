"""Input problems: a handful of bad rows, each with a single problem a reader must report.

Each :class:`~sqs_checks.synth.records.BadRow` carries the values written, the
column a reader must name, and the cases in scope it belongs to (which then get a
``data.record_excluded`` finding). The writers place the rows among the others
and note the line each lands on.
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
    in_scope = [c for c in gen.cases if c.status == "open" and c.start < A - 30]
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
        """An assessments row with its optional columns empty."""
        return [assessment_id, case_id, kind, stage, done, author, level] + [None] * 6

    problems = gen.problems
    year = date.fromordinal(A).year
    # an impossible date
    c = pick()
    problems.append(
        BadRow(
            "assessments",
            assessment_row(
                gen.new_id("assessment"),
                c.id,
                "vulnerability",
                "review",
                f"31/02/{year}",
                c.cm,
                "low",
            ),
            "completed_date",
            [c.id],
        )
    )
    # a duplicate id (the first row wins)
    c = pick()
    original = next((a for a in c.assessments if a.completed is not None), None)
    if original is not None:
        problems.append(
            BadRow(
                "assessments",
                assessment_row(original.id, c.id, original.kind, "review", day(c), c.cm, "medium"),
                "assessment_id",
                [c.id],
                after=original,
            )
        )
    # an assessment of a case that does not exist
    c = pick()
    problems.append(
        BadRow(
            "assessments",
            assessment_row(
                gen.new_id("assessment"), "C9999999", "rosh", "initial", day(c), c.cm, "low"
            ),
            "case_id",
            [],
        )
    )
    # an unknown enum value
    c = pick()
    problems.append(
        BadRow(
            "events",
            [gen.new_id("event"), c.id, day(c), "argument_with_staff", True],
            "kind",
            [c.id],
        )
    )
    # an unparseable boolean
    c = pick()
    problems.append(
        BadRow(
            "events", [gen.new_id("event"), c.id, day(c), "other", "maybe"], "significant", [c.id]
        )
    )
    # a null in a required column
    c = pick()
    problems.append(
        BadRow(
            "plans",
            [gen.new_id("plan"), c.id, "victim_safety", day(c), "", None, None, None],
            "author",
            [c.id],
        )
    )
    # an impossible ISO date
    c = pick()
    problems.append(
        BadRow(
            "referrals",
            [gen.new_id("referral"), c.id, "education", f"{year}-13-05"],
            "referral_date",
            [c.id],
        )
    )
    # a plan review of a plan that does not exist
    c = pick()
    problems.append(
        BadRow("plan_reviews", [gen.new_id("review"), "P99999999", day(c), c.cm], "plan_id", [])
    )
    # an offence with an unknown category, of a child with a case in scope
    c = pick()
    problems.append(
        BadRow(
            "offences",
            [gen.new_id("offence"), c.child.id, c.start - 30, "shoplifting"],
            "category",
            [o.id for o in c.child.cases if o.status == "open"],
        )
    )
