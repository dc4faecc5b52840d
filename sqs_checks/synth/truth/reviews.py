"""Reviews of assessments and plans (SPEC §5 "Reviews" and "Plan reviews")."""

from __future__ import annotations

from sqs_checks.synth.calendar import add_months
from sqs_checks.synth.catalog import SEQ_ASSESSMENT_KIND, SEQ_CHECK, SEQ_PLAN_KINDS, SEQ_TRIGGERS
from sqs_checks.synth.truth.context import CaseView

#: A dated element of a review sequence: (date, order on the day, table, record id).
Element = tuple[int, int, str, str]


def judge_reviews(v: CaseView) -> None:
    """Every assessment-review and plan-review check of the case."""
    A = v.ev.as_of
    for seq, kind in SEQ_ASSESSMENT_KIND.items():
        elems = [(a.completed or 0, 0, "assessments", a.id) for a in v.by_kind[kind]]
        _judge_sequence(v, SEQ_CHECK[seq], elems, SEQ_TRIGGERS[seq])
    for seq, kinds in SEQ_PLAN_KINDS.items():
        pelems: list[Element] = []
        for p in v.plans:
            if p.kind in kinds:
                pelems.append((p.created, 0, "plans", p.id))
                for rv in p.reviews:
                    if rv.date <= A:
                        pelems.append((rv.date, 1, "plan_reviews", rv.id))
        pelems.sort()
        _judge_sequence(v, SEQ_CHECK[seq], pelems, SEQ_TRIGGERS[seq])


def _judge_sequence(
    v: CaseView, check: str, elems: list[Element], triggers: frozenset[str]
) -> None:
    """``late``, ``overdue`` and ``not_reviewed_after_event`` of one dated sequence."""
    if not elems:
        return
    c, A, cal = v.case, v.ev.as_of, v.ev.cal
    for prev, nxt in zip(elems, elems[1:], strict=False):
        if nxt[0] > add_months(prev[0], 3):
            v.add(check, "late", nxt[2], nxt[3])
    last = elems[-1]
    due = add_months(last[0], 3)
    if due < A and c.start <= due and (c.end is None or c.end >= due):
        v.add(check, "overdue", last[2], last[3])
    first = elems[0][0]
    for e in v.events:
        if e.kind not in triggers or e.significant is False or e.date <= first:
            continue
        deadline = cal.add(e.date, 10)
        if deadline >= A:
            continue
        if not any(e.date <= x[0] <= deadline for x in elems):
            v.add(check, "not_reviewed_after_event", "events", e.id)
