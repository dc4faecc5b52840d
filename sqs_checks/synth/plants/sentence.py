"""Initial assessment without diversity, the child's views or the carer (SPEC §5, 4.1-4.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.plants import Hook, Plant, older_than

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Assessment, Case


def _not_true(attribute: str) -> Hook:
    """Finish: the first initial reoffending assessment says false (or nothing)."""

    def finish(gen: Generator, c: Case, initial: dict[str, Assessment]) -> None:
        first = initial.get("reoffending")
        if first is not None:
            setattr(first, attribute, False if gen.rng.random() < 0.7 else None)

    return finish


PLANTS = tuple(
    Plant(key, check, reason, "sentence", older_than(45), hooks={"finish": _not_true(attribute)})
    for key, check, reason, attribute in (
        ("div", "sentence.diversity", "not_assessed", "diversity"),
        ("child_inv", "sentence.involvement", "child_not_involved", "child_views"),
        ("carer_inv", "sentence.involvement", "carer_not_involved", "carer"),
    )
)
