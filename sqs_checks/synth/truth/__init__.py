"""The ground truth: the findings a correct implementation of SPEC §5 raises.

An evaluator of the rules of SPEC §3-§5 (default parameters, ``open-cases`` suite)
written apart from the engine and the catalog plugin: it reads the generator's
records (:mod:`sqs_checks.synth.records`), never the files, and imports nothing from
the generator's random parts, from :mod:`sqs_checks.engine` nor from ``sqs_hmip``.
One module per area of the catalog:

- :mod:`.context`: the records of a case as they stand on as_of;
- :mod:`.assessments`: initial assessments, copies, offences overlooked, diversity
  and involvement;
- :mod:`.reviews`: reviews of assessments and plans;
- :mod:`.court_reports`, :mod:`.plans`, :mod:`.victims_mappa`, :mod:`.oversight`;
- :mod:`.data`: rows the checks could not use.

Readings of SPEC §5 taken where it is terse (the generator's data agrees):

* ``level_unclear`` needs at least one completed assessment of the kind: a case with
  none is ``missing`` only.
* In a plan-review sequence a plan's creation sorts before a review on the same day;
  for ``public.victims`` a ``victim_safety`` plan sorts before a ``victim_liaison``
  referral on the same day (the data avoids such ties where they would matter).
* "Signed off" means ``signed_off_by`` filled and ``signed_off_date`` empty or not
  after as_of; quality assurance likewise.
* The basis of a court report named by ``assessment_id`` must also be completed by
  as_of; otherwise the basis falls back to the child's latest reoffending assessment.
* A quarantined row that names a case in scope (including a duplicate-id row) raises
  ``data.record_excluded`` on that case; an ``offences`` row on every case in scope
  of the child.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqs_checks.synth.records import BadRow, Case, Child
from sqs_checks.synth.truth.assessments import (
    judge_copies,
    judge_diversity_and_involvement,
    judge_initial_assessments,
    judge_offences_overlooked,
)
from sqs_checks.synth.truth.context import CaseView, Evaluation, Finding
from sqs_checks.synth.truth.court_reports import judge_court_reports
from sqs_checks.synth.truth.data import record_excluded
from sqs_checks.synth.truth.oversight import judge_sign_off
from sqs_checks.synth.truth.plans import judge_management_plans, judge_sentence_plans
from sqs_checks.synth.truth.reviews import judge_reviews
from sqs_checks.synth.truth.victims_mappa import judge_mappa, judge_victims

__all__ = ["Finding", "document", "evaluate", "in_scope", "record_excluded"]


def in_scope(c: Case, as_of: int) -> bool:
    """``open-cases`` scope: open on as_of."""
    return c.start <= as_of and (c.end is None or c.end >= as_of)


def evaluate(
    *,
    as_of: int,
    today: int,
    children: list[Child],
    cases: list[Case],
    staff: list[tuple[str, str, str | None]],
    fast_copy_check: bool = False,
) -> set[Finding]:
    """Every finding of the catalog on the cases in scope (bad rows aside).

    ``fast_copy_check`` skips the similarity of two narratives that share no pooled
    sentence (the generator's narratives), which is exact and much faster.
    """
    ev = Evaluation(
        as_of=as_of, children=children, staff=staff, today=today, fast_copy_check=fast_copy_check
    )
    for c in cases:
        if not in_scope(c, as_of):
            continue
        v = CaseView.of(c, ev)
        judge_initial_assessments(v)
        judge_copies(v)
        judge_reviews(v)
        judge_court_reports(v)
        judge_sentence_plans(v)
        judge_management_plans(v)
        judge_offences_overlooked(v)
        judge_victims(v)
        judge_mappa(v)
        judge_diversity_and_involvement(v)
        judge_sign_off(v)  # last: needs the deficiencies found above
    return ev.findings


def document(
    *,
    as_of: int,
    seed: int,
    cases: int,
    findings: Iterable[Finding],
    bad_rows: Iterable[BadRow],
) -> dict[str, Any]:
    """The ground-truth document (also written to ``ground_truth.json``)."""
    return {
        "as_of": date.fromordinal(as_of).isoformat(),
        "seed": seed,
        "cases": cases,
        "suite": "open-cases",
        "findings": [
            {
                "check_id": f[0],
                "case_id": f[1],
                "reason": f[2],
                "record_table": f[3],
                "record_id": f[4],
            }
            for f in sorted(findings, key=lambda f: (f[1], f[0], f[2], f[3], f[4]))
        ],
        "input_problems": [
            {"table": p.table, "row": p.row, "column": p.column}
            for p in sorted(bad_rows, key=lambda p: (p.table, p.row))
        ],
    }
