"""What the evaluator judges: the export's records as the checks see them on as_of."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqs_checks.synth.calendar import WorkingDays
from sqs_checks.synth.records import Assessment, Case, Child, Event, Plan, Referral
from sqs_checks.synth.truth.statuses import Judgement

#: A finding: (check id, case id, reason, record table, record id).
Finding = tuple[str, str, str, str, str]


class Evaluation:
    """The export-wide facts the rules need, and the findings found so far."""

    def __init__(
        self,
        *,
        as_of: int,
        children: list[Child],
        staff: list[tuple[str, str, str | None]],
        today: int,
        judgement: Judgement,
        fast_copy_check: bool = False,
    ) -> None:
        self.as_of = as_of
        self.judgement = judgement
        first = date.fromordinal(as_of).year - 6
        last = max(date.fromordinal(as_of).year, date.fromordinal(today).year) + 3
        self.cal = WorkingDays(first, last)
        self.children = children
        self.roles = {name.strip().lower(): role for name, role, _ in staff}
        self.staff_listed = bool(staff)  # a staff table with no rows counts as absent
        self.fast_copy_check = fast_copy_check
        self.findings: set[Finding] = set()
        self.assessment_by_id: dict[str, Assessment] = {}
        self.pred: dict[str, Assessment] = {}
        self.child_reoff: dict[str, list[Assessment]] = {}
        self._chain()

    def _chain(self) -> None:
        """Each assessment's predecessor (same kind and child, across the child's cases)."""
        A = self.as_of
        for child in self.children:
            by_kind: dict[str, list[Assessment]] = {}
            for c in child.cases:
                for a in c.assessments:
                    self.assessment_by_id[a.id] = a
                    if a.completed is not None and a.completed <= A:
                        by_kind.setdefault(a.kind, []).append(a)
            for kind, items in by_kind.items():
                items.sort(key=lambda a: (a.completed, a.id))
                for prev, nxt in zip(items, items[1:], strict=False):
                    self.pred[nxt.id] = prev
                if kind == "reoffending":
                    self.child_reoff[child.id] = items


@dataclass
class CaseView:
    """One case in scope: its records that exist on as_of, in the orders SPEC §5 uses."""

    case: Case
    ev: Evaluation
    assessments: list[Assessment] = field(default_factory=list)
    by_kind: dict[str, list[Assessment]] = field(default_factory=dict)
    plans: list[Plan] = field(default_factory=list)
    by_plan: dict[str, list[Plan]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    deficient: set[str] = field(default_factory=set)  # records of deficiency findings

    @classmethod
    def of(cls, c: Case, ev: Evaluation) -> CaseView:
        """The view of case ``c`` on the evaluation's as_of."""
        A = ev.as_of
        view = cls(case=c, ev=ev)
        view.assessments = sorted(
            (a for a in c.assessments if a.completed is not None and a.completed <= A),
            key=lambda a: (a.completed, a.id),
        )
        view.by_kind = {"reoffending": [], "rosh": [], "vulnerability": []}
        for a in view.assessments:
            view.by_kind[a.kind].append(a)
        view.plans = sorted((p for p in c.plans if p.created <= A), key=lambda p: (p.created, p.id))
        for p in view.plans:
            view.by_plan.setdefault(p.kind, []).append(p)
        view.events = [e for e in c.events if e.date <= A]
        view.referrals = [x for x in c.referrals if x.date <= A]
        return view

    @property
    def due(self) -> int:
        """Working days for the initial assessments and plan (more for a referral order)."""
        return 20 if self.case.disposal == "referral_order" else 15

    @property
    def start_deadline(self) -> int:
        """``wd_add(start_date, due(case))``."""
        return self.ev.cal.add(self.case.start, self.due)

    def add(self, check: str, reason: str, table: str, record_id: str) -> bool:
        """Record a finding on this case, if the export lets the check judge it."""
        if not self.ev.judgement.allows(check, reason, table):
            return False
        self.ev.findings.add((check, self.case.id, reason, table, record_id))
        return True
