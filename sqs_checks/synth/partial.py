"""Exports without some tables or optional columns (SPEC §5 "Partial inputs").

The generator builds the full records; :func:`leave_out_problems` drops the input
problems the files will not show, and, once the files are written,
:func:`as_read` makes the records what a reader of those files gets: absent tables
empty, absent columns null.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.synth.schema import Inputs

if TYPE_CHECKING:
    from sqs_checks.synth.generator import Generator

#: Record attribute holding each optional column the evaluator reads.
ATTRIBUTES: dict[str, dict[str, str]] = {
    "cases": {
        "sentence_date": "sentence_date",
        "end_date": "end",
        "release_date": "release",
        "mappa_eligible": "mappa_eligible",
        "mappa_level": "mappa_level",
        "has_identified_victim": "victim",
    },
    "assessments": {
        "completed_date": "completed",
        "level": "level",
        "narrative": "narrative",
        "signed_off_by": "signer",
        "signed_off_date": "sign_date",
        "diversity_assessed": "diversity",
        "child_views_recorded": "child_views",
        "parent_carer_involved": "carer",
    },
    "plans": {
        "has_contingency": "contingency",
        "signed_off_by": "signer",
        "signed_off_date": "sign_date",
    },
    "plan_reviews": {"author": "author"},
    "events": {"significant": "significant"},
    "court_reports": {
        "court_date": "court_date",
        "submitted_date": "submitted",
        "quality_assured_by": "qa_by",
        "quality_assured_date": "qa_date",
        "assessment_id": "assessment_id",
        "rosh_addressed": "rosh_addressed",
    },
}


def leave_out_problems(gen: Generator, inputs: Inputs) -> None:
    """Keep the input problems the export shows.

    A table left out takes its bad rows with it; an extra bad row with a problem in
    a column left out is not written at all; a record's dropped value in a column
    left out is no problem any more.
    """
    kept = []
    for row in gen.problems:
        if not inputs.has(row.table):
            continue
        present = [c for c in row.columns if inputs.has(row.table, c)]
        if row.values is not None and len(present) < len(row.columns):
            continue
        if present:
            row.columns = present
            kept.append(row)
    gen.problems = kept


def _records(gen: Generator, table: str) -> list:
    if table == "cases":
        return gen.cases
    if table == "plan_reviews":
        return [rv for c in gen.cases for p in c.plans for rv in p.reviews]
    attr = {
        "assessments": "assessments",
        "plans": "plans",
        "events": "events",
        "court_reports": "reports",
    }[table]
    return [x for c in gen.cases for x in getattr(c, attr)]


def as_read(gen: Generator, inputs: Inputs) -> None:
    """Make the records what a reader of the written files gets (after writing)."""
    for table, attributes in ATTRIBUTES.items():
        if not inputs.has(table):
            continue
        for column, attribute in attributes.items():
            if not inputs.has(table, column):
                for record in _records(gen, table):
                    setattr(record, attribute, None)
    lists = {
        "assessments": "assessments",
        "plans": "plans",
        "events": "events",
        "court_reports": "reports",
        "referrals": "referrals",
    }
    for table, attr in lists.items():
        if not inputs.has(table):
            for c in gen.cases:
                setattr(c, attr, [])
    if not inputs.has("plan_reviews"):
        for c in gen.cases:
            for p in c.plans:
                p.reviews = []
    if not inputs.has("offences"):
        for child in gen.children:
            child.offences = []
