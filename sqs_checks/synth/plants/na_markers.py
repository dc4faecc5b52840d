"""Sign-off and quality assurance recorded as "N/A" (SPEC §2 v2: an NA marker in
``signed_off_by`` or ``quality_assured_by`` is null, so no sign-off, no QA)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.plants import Plant, older_than
from sqs_checks.synth.plants.sign_off import choose_document
from sqs_checks.synth.records import write_raw

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator
    from sqs_checks.synth.records import Assessment, Case, Report

#: How exports spell "nobody": every one of them is null to a reader.
MARKERS = ("N/A", "n/a", "NA", "NULL", "None", " n/a ", "null")


def _marker(gen: Generator) -> str:
    return MARKERS[int(gen.rng.random() * len(MARKERS))]


def _signed_by_nobody(gen: Generator, c: Case, initial: dict[str, Assessment]) -> None:
    """A document past its sign-off deadline whose signer reads "N/A" (date or not)."""
    chosen = choose_document(gen, c, overdue=True)
    if chosen is None:
        return
    _, doc = chosen
    write_raw(doc, "signed_off_by", _marker(gen))
    doc.signer = None
    if doc.sign_date is None or gen.rng.random() < 0.7:
        doc.sign_date = None


def _quality_assured_by_nobody(gen: Generator, c: Case, report: Report) -> None:
    """A submitted report whose quality assurer reads "N/A"."""
    if report.submitted is None:
        return
    write_raw(report, "quality_assured_by", _marker(gen))
    report.qa_by = None


def _with_report(gen: Generator, c: Case) -> bool:
    return c.psr and gen.as_of - c.start >= 10


PLANTS = (
    Plant(
        "so_na",
        "oversight.sign_off",
        "missing",
        "signoff",
        older_than(60),
        hooks={"finish": _signed_by_nobody},
    ),
    Plant(
        "psr_na",
        "reoffending.court_report",
        "no_quality_assurance",
        "psr",
        _with_report,
        hooks={"psr_written": _quality_assured_by_nobody},
    ),
)
