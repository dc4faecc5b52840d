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
- :mod:`.data`: rows with input problems, excluded or with a value dropped;
- :mod:`.statuses`: what each check can judge when inputs are absent (``ran``,
  ``partial``, ``skipped``); a finding of a reason not judged is never raised.

The records it reads are the export as a reader sees it: a value a reader drops, an
NA marker, a column or table the export does not have are null or empty there.

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
  of the child. ``data.value_dropped`` likewise, once per row.
* Scope: open on as_of with a court disposal; open cases of other disposals are
  counted (``cases_out_of_scope_by_disposal``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqs_checks.synth.catalog import COURT_DISPOSALS
from sqs_checks.synth.records import BadRow, Case, Child
from sqs_checks.synth.schema import Inputs
from sqs_checks.synth.truth.assessments import (
    judge_copies,
    judge_diversity_and_involvement,
    judge_initial_assessments,
    judge_offences_overlooked,
)
from sqs_checks.synth.truth.context import CaseView, Evaluation, Finding
from sqs_checks.synth.truth.court_reports import judge_court_reports
from sqs_checks.synth.truth.data import data_findings, input_problems
from sqs_checks.synth.truth.oversight import judge_sign_off
from sqs_checks.synth.truth.plans import judge_management_plans, judge_sentence_plans
from sqs_checks.synth.truth.reviews import judge_reviews
from sqs_checks.synth.truth.statuses import judge_inputs
from sqs_checks.synth.truth.victims_mappa import judge_mappa, judge_victims

__all__ = ["Finding", "Truth", "evaluate", "is_open"]


def is_open(c: Case, as_of: int) -> bool:
    """Open on as_of: started, and not ended before."""
    return c.start <= as_of and (c.end is None or c.end >= as_of)


@dataclass
class Truth:
    """What a correct run of the ``open-cases`` suite reports on an export."""

    findings: set[Finding] = field(default_factory=set)
    statuses: dict[str, str] = field(default_factory=dict)
    input_problems: list[dict[str, Any]] = field(default_factory=list)
    cases_in_scope: int = 0
    cases_out_of_scope_by_disposal: int = 0

    def document(self, *, as_of: int, seed: int, cases: int, inputs: Inputs) -> dict[str, Any]:
        """The ground-truth document (written to ``ground_truth.json``)."""
        return {
            "as_of": date.fromordinal(as_of).isoformat(),
            "seed": seed,
            "cases": cases,
            "suite": "open-cases",
            "cases_in_scope": self.cases_in_scope,
            "cases_out_of_scope_by_disposal": self.cases_out_of_scope_by_disposal,
            "absent": sorted(inputs.absent),
            "staff_rows": inputs.staff_rows,
            "checks": dict(sorted(self.statuses.items())),
            "findings": [
                {
                    "check_id": f[0],
                    "case_id": f[1],
                    "reason": f[2],
                    "record_table": f[3],
                    "record_id": f[4],
                }
                for f in sorted(self.findings, key=lambda f: (f[1], f[0], f[2], f[3], f[4]))
            ],
            "input_problems": self.input_problems,
        }


def evaluate(
    *,
    as_of: int,
    today: int,
    children: list[Child],
    cases: list[Case],
    staff: list[tuple[str, str, str | None]],
    bad_rows: Iterable[BadRow] = (),
    inputs: Inputs | None = None,
    fast_copy_check: bool = False,
) -> Truth:
    """Every finding of the catalog on the cases in scope, and what the run reports.

    ``staff`` is the staff table's rows (none: the table counts as absent);
    ``inputs`` what the export has; ``bad_rows`` its rows with input problems, with
    the lines they are on. ``fast_copy_check`` skips the similarity of two
    narratives that share no pooled sentence (the generator's narratives), which
    is exact and much faster.
    """
    inputs = inputs or Inputs()
    judgement = judge_inputs(inputs)
    ev = Evaluation(
        as_of=as_of,
        children=children,
        staff=staff,
        today=today,
        judgement=judgement,
        fast_copy_check=fast_copy_check,
    )
    truth = Truth(statuses=dict(judgement.status))

    def in_scope(c: Case) -> bool:
        return is_open(c, as_of) and c.disposal in COURT_DISPOSALS

    for c in cases:
        if not is_open(c, as_of):
            continue
        if c.disposal not in COURT_DISPOSALS:
            truth.cases_out_of_scope_by_disposal += 1
            continue
        truth.cases_in_scope += 1
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
    bad_rows = list(bad_rows)
    truth.findings = ev.findings | data_findings(bad_rows, cases, in_scope)
    truth.input_problems = input_problems(bad_rows)
    return truth
