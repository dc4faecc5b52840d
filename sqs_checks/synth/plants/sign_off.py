"""Documents not signed off, signed late, by their author, before completion, or by
someone who is not a manager (SPEC §5, management oversight)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.catalog import SIGN_OFF_PLAN_KINDS
from sqs_checks.synth.plants import Hook, Plant, older_than

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Assessment, Case, Plan


def documents(c: Case) -> list[tuple[int, Assessment | Plan]]:
    """The case's documents needing sign-off, with their completion dates."""
    docs: list[tuple[int, Assessment | Plan]] = []
    for a in c.assessments:
        if a.completed is None:
            continue
        if a.stage == "initial" or a.level in ("high", "very_high"):
            docs.append((a.completed, a))
    for p in c.plans:
        if p.kind in SIGN_OFF_PLAN_KINDS:
            docs.append((p.created, p))
    return docs


def choose_document(
    gen: Generator, c: Case, *, overdue: bool = False, late_possible: bool = False
) -> tuple[int, Assessment | Plan] | None:
    """A document of the case needing sign-off that no other plant uses (then taken).

    ``overdue``: its sign-off deadline (5 working days) has passed by as_of;
    ``late_possible``: a sign-off after the deadline can still be dated by as_of.
    """
    A, cal = gen.as_of, gen.cal
    options = []
    for done, doc in documents(c):
        if doc.id in c.taken or done > A:
            continue
        if overdue and cal.add(done, 5) >= A:
            continue
        if late_possible and cal.add(done, 6) > A:
            continue
        options.append((done, doc))
    if not options:
        return None
    chosen = options[int(gen.rng.random() * len(options))]
    c.taken.add(chosen[1].id)
    return chosen


def _missing(gen: Generator, c: Case, doc: Assessment | Plan, done: int) -> None:
    A = gen.as_of
    doc.signer = doc.sign_date = None
    if A < gen.today and gen.rng.random() < 0.3:
        # signed, but only after as_of: not signed off at as_of
        doc.signer = gen.pm[c.team]
        doc.sign_date = A + gen.randint(1, gen.today - A)


def _late(gen: Generator, c: Case, doc: Assessment | Plan, done: int) -> None:
    cal = gen.cal
    room = len(cal.between(cal.add(done, 5), gen.as_of))
    doc.signer = gen.pm[c.team]
    doc.sign_date = cal.add(done, 5 + gen.randint(1, max(1, min(room, 15))))


def _self(gen: Generator, c: Case, doc: Assessment | Plan, done: int) -> None:
    r = gen.rng.random
    if r() < 0.5:
        doc.author = gen.pm[c.team]
        doc.signer = gen.pm[c.team].upper() if r() < 0.5 else gen.pm[c.team]
    else:
        doc.signer = doc.author
    doc.sign_date = min(gen.as_of, gen.cal.add(done, gen.randint(0, 3)))


def _before(gen: Generator, c: Case, doc: Assessment | Plan, done: int) -> None:
    doc.signer = gen.pm[c.team]
    doc.sign_date = done - gen.randint(1, 6)


def _not_a_manager(gen: Generator, c: Case, doc: Assessment | Plan, done: int) -> None:
    r = gen.rng.random
    u = r()
    colleagues = [n for n in gen.cms_by_team[c.team] if n != doc.author]
    if u < 0.4 and colleagues:
        doc.signer = colleagues[0]
    elif u < 0.7:
        doc.signer = gen.others[int(r() * len(gen.others))]
    else:
        doc.signer = "Agency Cover"
    doc.sign_date = min(gen.as_of, gen.cal.add(done, gen.randint(0, 3)))


def _finish(key: str, change: Hook) -> Hook:
    """Finish: ``change`` one document needing sign-off that no other plant uses."""

    def finish(gen: Generator, c: Case, initial: dict[str, Assessment]) -> None:
        chosen = choose_document(
            gen, c, overdue=key == "so_missing", late_possible=key == "so_late"
        )
        if chosen is None:
            return
        done, doc = chosen
        change(gen, c, doc, done)
        if doc.sign_date is not None and doc.sign_date > gen.today:
            doc.sign_date = gen.today

    return finish


def _staff_listed(gen: Generator, c: Case) -> bool:
    """``not_a_manager`` is judged only against a staff table with rows."""
    return gen.staff_listed and gen.as_of - c.start >= 60


PLANTS = tuple(
    Plant(
        key,
        "oversight.sign_off",
        reason,
        "signoff",
        _staff_listed if key == "so_not_manager" else older_than(60),
        hooks={"finish": _finish(key, change)},
    )
    for key, reason, change in (
        ("so_missing", "missing", _missing),
        ("so_late", "late", _late),
        ("so_self", "self_sign_off", _self),
        ("so_before", "before_completion", _before),
        ("so_not_manager", "not_a_manager", _not_a_manager),
    )
)
