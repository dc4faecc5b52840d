"""The generator's state: settings, the random stream, ids, staff and the records built."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

from sqs_checks.synth.calendar import WorkingDays
from sqs_checks.synth.catalog import COURT_DISPOSALS
from sqs_checks.synth.planting import PLANTS
from sqs_checks.synth.records import Assessment, BadRow, Case, Child

_ID_FORMAT = {
    "case": "C%07d",
    "child": "Y%07d",
    "assessment": "A%08d",
    "plan": "P%08d",
    "review": "R%08d",
    "event": "E%08d",
    "report": "CR%07d",
    "offence": "O%08d",
    "referral": "RF%07d",
}


class Generator:
    """What one export is built from; the steps are in :func:`sqs_checks.synth.export.build`.

    Everything random is drawn from one :class:`random.Random` seeded with ``seed``,
    in a fixed order, so that the same settings give the same records.
    """

    def __init__(
        self,
        *,
        as_of: date,
        cases: int,
        seed: int,
        assessments_per_case: float | None,
        narratives: bool,
        input_problems: bool,
        today: date | None = None,
        staff_listed: bool = True,
    ) -> None:
        real_today = today or date.today()
        self.today = real_today.toordinal()
        self.as_of = min(as_of.toordinal(), self.today)
        self.n_cases = cases
        self.seed = seed
        self.target_apc = assessments_per_case
        self.narratives = narratives
        self.want_problems = input_problems
        self.staff_listed = staff_listed  # the export lists staff (with their roles)
        self.rng = random.Random(seed)
        first = date.fromordinal(self.as_of).year - 6
        last = max(date.fromordinal(self.as_of).year, real_today.year) + 3
        self.cal = WorkingDays(first, last)
        self.gap_lo, self.gap_hi = 56, 84
        self.age_scale = 1.0
        self.children: list[Child] = []
        self.cases: list[Case] = []
        self.staff: list[tuple[str, str, str | None]] = []
        self.case_managers: list[tuple[str, str]] = []
        self.cms_by_team: dict[str, list[str]] = {}
        self.pm: dict[str, str] = {}
        self.oms: list[str] = []
        self.others: list[str] = []
        self.problems: list[BadRow] = []
        self.counters: dict[str, int] = {}
        self.narrative_memo: dict[tuple[str, str], tuple[set[int], list[set[int]]]] = {}
        self.pred: dict[str, Assessment] = {}
        self.plant_state: dict[str, Any] = {}  # what a family of plants keeps across cases

    def in_scope(self, c: Case) -> bool:
        """Whether the ``open-cases`` suite judges the case: open, court disposal."""
        return c.status == "open" and c.disposal in COURT_DISPOSALS

    # ---- ids ---------------------------------------------------------------------------

    def new_id(self, kind: str) -> str:
        """The next id of a kind of record (``C0000001``, ``A00000001``, ...)."""
        counters = self.counters
        n = counters[kind] = counters.get(kind, 0) + 1
        return _ID_FORMAT[kind] % n

    # ---- random helpers ----------------------------------------------------------------

    def randint(self, lo: int, hi: int) -> int:
        """Uniform integer in [lo, hi]."""
        return lo + int(self.rng.random() * (hi - lo + 1))

    def weighted(self, options: tuple[tuple[str, float], ...]) -> str:
        """One of ``options`` (value, weight), by weight."""
        u = self.rng.random()
        acc = 0.0
        for value, weight in options:
            acc += weight
            if u < acc:
                return value
        return options[-1][0]

    def bool_value(self, p_true: float = 1.0, p_blank: float = 0.0) -> bool | None:
        """True with probability ``p_true`` among the non-blank values; None (blank) else."""
        u = self.rng.random()
        if u < p_blank:
            return None
        return u < p_blank + (1.0 - p_blank) * p_true

    # ---- plants ------------------------------------------------------------------------

    def hook(self, c: Case, point: str) -> Callable[..., Any] | None:
        """The handler of the first plant of ``c`` that changes the build at ``point``."""
        for key in c.plants:
            handler = PLANTS[key].hooks.get(point)
            if handler is not None:
                return handler
        return None

    def hooks(self, c: Case, point: str) -> list[Callable[..., Any]]:
        """The handlers of every plant of ``c`` at ``point``, in the order planted."""
        found = []
        for key in c.plants:
            handler = PLANTS[key].hooks.get(point)
            if handler is not None:
                found.append(handler)
        return found

    def suppressed(self, c: Case, feature: str) -> bool:
        """Whether a plant of ``c`` rules out an optional feature of a compliant case."""
        return any(feature in PLANTS[key].suppresses for key in c.plants)

    # ---- predecessors ------------------------------------------------------------------

    def chains(self) -> None:
        """Each assessment's predecessor: same kind, same child, across the child's cases."""
        if self.pred:
            return  # dates do not change once the cases are built
        A = self.as_of
        for child in self.children:
            by_kind: dict[str, list[Assessment]] = {}
            for c in child.cases:
                for a in c.assessments:
                    if a.completed is not None and a.completed <= A:
                        by_kind.setdefault(a.kind, []).append(a)
            for items in by_kind.values():
                items.sort(key=lambda a: (a.completed, a.id))
                for prev, nxt in zip(items, items[1:], strict=False):
                    self.pred[nxt.id] = prev
