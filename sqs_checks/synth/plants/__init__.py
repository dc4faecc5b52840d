"""Planted defects: one module per family, each listing its plants in ``PLANTS``.

A :class:`Plant` names the finding it must produce (check and reason), the *slot*
it occupies (one plant per slot per case), which cases may carry it, and how it
changes the build of a case through *hooks*. The build (:mod:`sqs_checks.synth.build`)
asks a case's plants at fixed points; without a plant it builds compliant records.
Every module of this package is found and loaded by :mod:`sqs_checks.synth.planting`,
so a new planted defect is one new file here.

Hook points (name: arguments → result):

- ``flags``: (gen, case) → None. Case attributes the plant needs, set when the plant
  is assigned (before any case is built).
- ``rosh_level``, ``vulnerability_level``: (gen, case) → level or None. The level the
  case's assessments of that kind record.
- ``psr_submitted``: (gen, case, court date, submitted) → submitted or None.
- ``psr_basis``: (gen, case, basis day) → date of the reoffending assessment the
  pre-sentence report is based on, or None (the initial one is then dated as usual).
- ``psr_written``: (gen, case, report) → None, once quality assurance is recorded.
- ``psr_assessment_id``: (gen, case, report, initial reoffending assessment or None).
- ``initial_date:<kind>``: (gen, case, due) → completion date of the initial
  assessment of that kind, or None (none).
- ``plan_date:intervention``, ``plan_date:custody``: (gen, case, due) → creation
  date or None; ``plan_date:risk_management``, ``plan_date:vulnerability_management``:
  (gen, case, date of the first assessment of the kind) → creation date or None.
- ``contingency:<plan kind>``: (gen, case) → the plan's ``has_contingency``.
- ``events`` (every plant): (gen, case, events, firsts, base) → None; may add events.
- ``review_points`` (every plant): (gen, case, firsts, points, members, events) →
  None; may take a review sequence out of review points.
- ``release_plan_date``: (gen, case, deadline) → creation date or None.
- ``victim_dates``: (gen, case) → (first, second or None) dates of the victim
  liaison referral and victim safety plan, or None (neither).
- ``reserve`` (every plant): (gen, case) → None; marks records other plants must
  leave alone (``case.taken``).
- ``finish`` (every plant): (gen, case, initial assessments by kind) → None; changes
  records already built.
- ``after_build`` (every plant): (gen, case) → None, once every case is built.

``suppresses`` names optional features of a compliant case the plant rules out:
``same_day:rosh`` and ``same_day:vulnerability`` (an initial assessment completed the
same day as another), ``mappa_referral``, ``pending_psr`` (a report for a new
matter due after as_of).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Case

#: Which cases may carry a plant.
Eligibility = Callable[["Generator", "Case"], bool]
#: A handler at a hook point (arguments and result depend on the point).
Hook = Callable[..., Any]


@dataclass(frozen=True)
class Plant:
    """One planted defect: the finding it produces and how it is built."""

    key: str
    check: str
    reason: str
    slot: str
    eligible: Eligibility
    conflicts: frozenset[str] = frozenset()  # slots it excludes in the same case
    suppresses: frozenset[str] = frozenset()
    hooks: Mapping[str, Hook] = field(default_factory=dict)


def age(gen: Generator, c: Case) -> int:
    """Days from the case's start to as_of."""
    return gen.as_of - c.start


def older_than(days: int) -> Eligibility:
    """Eligibility: the case started at least ``days`` days before as_of."""

    def eligible(gen: Generator, c: Case) -> bool:
        return gen.as_of - c.start >= days

    return eligible


def medium_or_higher(gen: Generator, c: Case) -> str:
    """A level that calls for a management plan."""
    return ("medium", "high", "very_high")[int(gen.rng.random() * 3)]


def no_level(gen: Generator, c: Case) -> None:
    """No level recorded."""
    return None
