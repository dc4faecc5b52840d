"""Management oversight: sign-off and ineffective sign-off."""

from __future__ import annotations

from sqs_checks.synth.catalog import MANAGER_ROLES, SIGN_OFF_PLAN_KINDS
from sqs_checks.synth.records import Assessment, Plan
from sqs_checks.synth.truth.context import CaseView


def judge_sign_off(v: CaseView) -> None:
    """Every document needing sign-off; judged after the deficiency checks.

    ``not_a_manager`` only against a staff table with rows; a signed-off document
    with a deficiency finding is ``signed_off_deficient``.
    """
    A, cal, roles = v.ev.as_of, v.ev.cal, v.ev.roles
    docs: list[tuple[int, str, Assessment | Plan]] = [
        (a.completed or 0, "assessments", a)
        for a in v.assessments
        if a.stage == "initial" or a.level in ("high", "very_high")
    ]
    docs += [(p.created, "plans", p) for p in v.plans if p.kind in SIGN_OFF_PLAN_KINDS]
    for done, table, doc in docs:
        deadline = cal.add(done, 5)
        signed = doc.signer is not None and (doc.sign_date is None or doc.sign_date <= A)
        if not signed:
            if deadline < A:
                v.add("oversight.sign_off", "missing", table, doc.id)
            continue
        assert doc.signer is not None
        if doc.sign_date is not None and doc.sign_date > deadline:
            v.add("oversight.sign_off", "late", table, doc.id)
        if doc.signer.strip().lower() == doc.author.strip().lower():
            v.add("oversight.sign_off", "self_sign_off", table, doc.id)
        if doc.sign_date is not None and doc.sign_date < done:
            v.add("oversight.sign_off", "before_completion", table, doc.id)
        if v.ev.staff_listed and roles.get(doc.signer.strip().lower()) not in MANAGER_ROLES:
            v.add("oversight.sign_off", "not_a_manager", table, doc.id)
        if doc.id in v.deficient:
            v.add("oversight.ineffective_sign_off", "signed_off_deficient", table, doc.id)
