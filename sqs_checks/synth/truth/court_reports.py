"""Pre-sentence reports (``reoffending.court_report``, ``public.court_report_rosh``)."""

from __future__ import annotations

from sqs_checks.synth.calendar import add_months
from sqs_checks.synth.records import Assessment, Report
from sqs_checks.synth.truth.context import CaseView


def judge_court_reports(v: CaseView) -> None:
    """Every psr submitted by as_of, or whose court date has passed."""
    A = v.ev.as_of
    for rep in v.case.reports:
        if rep.kind != "psr":
            continue
        submitted = rep.submitted is not None and rep.submitted <= A
        if not (submitted or (rep.court_date is not None and rep.court_date < A)):
            continue
        if not submitted:
            v.add("reoffending.court_report", "late", "court_reports", rep.id)
            continue
        assert rep.submitted is not None
        if rep.court_date is not None and rep.submitted > rep.court_date:
            v.add("reoffending.court_report", "late", "court_reports", rep.id)
        qa_done = rep.qa_by is not None and (rep.qa_date is None or rep.qa_date <= A)
        if not qa_done or (rep.qa_date is not None and rep.qa_date > rep.submitted):
            v.add("reoffending.court_report", "no_quality_assurance", "court_reports", rep.id)
        basis = _basis(v, rep)
        if basis is None:
            v.add("reoffending.court_report", "no_assessment", "court_reports", rep.id)
        elif (basis.completed or 0) < add_months(rep.submitted, -3):
            v.add("reoffending.court_report", "old_assessment", "court_reports", rep.id)
        if rep.rosh_addressed is not True:
            v.add("public.court_report_rosh", "rosh_not_addressed", "court_reports", rep.id)


def _basis(v: CaseView, rep: Report) -> Assessment | None:
    """The named reoffending assessment of the child completed by submission, else the
    child's latest reoffending assessment completed by then (None: there is none)."""
    ev = v.ev
    submitted = rep.submitted or 0
    named = ev.assessment_by_id.get(rep.assessment_id or "")
    if (
        named is not None
        and named.kind == "reoffending"
        and named.case.child is v.case.child
        and named.completed is not None
        and named.completed <= submitted
        and named.completed <= ev.as_of
    ):
        return named
    best = None
    for a in ev.child_reoff.get(v.case.child.id, []):
        if (a.completed or 0) <= submitted:
            best = a
        else:
            break
    return best
