"""Plans: intervention, custody, release, risk and vulnerability management plans."""

from __future__ import annotations

from sqs_checks.synth.catalog import RANK
from sqs_checks.synth.records import Plan
from sqs_checks.synth.truth.context import CaseView


def _judge_deadline(v: CaseView, check: str, items: list[Plan], deadline: int) -> None:
    """``missing`` / ``late`` of a plan due by ``deadline`` (relevant once it passed)."""
    if not (deadline < v.ev.as_of or items):
        return
    if not items:
        v.add(check, "missing", "cases", v.case.id)
    elif items[0].created > deadline:
        v.add(check, "late", "plans", items[0].id)


def judge_sentence_plans(v: CaseView) -> None:
    """Intervention plan (not custody) or custody plan; release plan (custody)."""
    c, cal = v.case, v.ev.cal
    if c.disposal != "custody":
        items = v.by_plan.get("intervention", [])
        _judge_deadline(v, "reoffending.intervention_plan", items, v.start_deadline)
    else:
        items = v.by_plan.get("custody", [])
        _judge_deadline(v, "reoffending.custody_plan", items, cal.add(c.start, 10))
    if c.disposal == "custody" and c.release is not None:
        items = v.by_plan.get("release", [])
        _judge_deadline(v, "public.release_plan", items, cal.sub(c.release, 10))


def judge_management_plans(v: CaseView) -> None:
    """Risk and vulnerability management plans where the latest level is medium or more."""
    A, cal = v.ev.as_of, v.ev.cal
    for check, kind, plan_kind in (
        ("public.risk_management_plan", "rosh", "risk_management"),
        ("child.vulnerability_management_plan", "vulnerability", "vulnerability_management"),
    ):
        with_level = [a for a in v.by_kind[kind] if a.level is not None]
        if not with_level or RANK[with_level[-1].level or "low"] < 1:
            continue
        first = next(a for a in with_level if RANK[a.level or "low"] >= 1)
        deadline = cal.add(first.completed or 0, 10)
        items = v.by_plan.get(plan_kind, [])
        if not (deadline < A or items):
            continue
        if not items:
            v.add(check, "missing", "cases", v.case.id)
            continue
        if items[0].created > deadline:
            v.add(check, "late", "plans", items[0].id)
        if items[-1].contingency is not True:
            if v.add(check, "no_contingency", "plans", items[-1].id):
                v.deficient.add(items[-1].id)
