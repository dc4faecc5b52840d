"""Local headers to canonical columns: name, type and values together.

Each header is scored against each column of its table:

* by **name**: the concepts the header says (see :mod:`.vocabulary`) against
  the column's signatures; the table's own nouns are dropped first ("Plan
  Type" in the plans table says "Type");
* by **type**: a column whose values are dates can only be a date column, a
  yes/no column only a flag, and so on; a column that does not fit is not a
  candidate at all;
* by **values**: codes the column's vocabulary knows, ids found in the table
  they refer to, names of staff, long free text.

A header is mapped only when its best column scores at least :data:`ACCEPT`
and beats every other reading, of the header and of the column, by
:data:`MARGIN`; a column is never mapped twice. Anything else is left open,
with its candidates, for a person to decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqs_checks.contract import ColumnSpec, Contract
from sqs_checks.mapping_help.codes import code_fit
from sqs_checks.mapping_help.values import ValueProfile
from sqs_checks.mapping_help.vocabulary import Reading, Signature, vocabulary, words

if TYPE_CHECKING:  # pragma: no cover
    from sqs_checks.readers.base import RawTable

ACCEPT = 0.8
"""Lowest score a header needs to be mapped."""

MARGIN = 0.2
"""How far the best reading must lead the next one (of the header or of the column)."""

SHOW = 0.4
"""Lowest score worth naming as a candidate in an open header's comment."""

EXACT = 2.0
"""The score of a header that is the canonical name itself (the loader matches it anyway)."""

PERSON_COLUMNS = {"case_manager", "author", "signed_off_by", "quality_assured_by", "name"}
TEXT_COLUMNS = {"narrative"}
LABEL_COLUMNS = {"team"}
REFERENCE_TARGETS = {
    "case_id": "cases.case_id",
    "child_id": "cases.child_id",
    "plan_id": "plans.plan_id",
    "assessment_id": "assessments.assessment_id",
}
"""Columns that name a row of another table, and the column they name."""


@dataclass
class Candidate:
    """A canonical column a header may be, with its score and what it rests on.

    ``taken_by`` names the header the column was mapped from instead, if any.
    """

    column: str
    score: float
    evidence: str
    taken_by: str | None = None


@dataclass
class HeaderMatch:
    """The decision for one header: the column (None: left open) and the other candidates."""

    header: str
    column: str | None = None
    score: float = 0.0
    evidence: str = ""
    candidates: list[Candidate] = field(default_factory=list)


@dataclass
class Context:
    """What the tables already matched say about the next one.

    Attributes:
        ids: ``table.column`` -> the ids in that column (lower case).
        people: staff and case manager names seen so far (lower case).
    """

    ids: dict[str, set[str]] = field(default_factory=dict)
    people: set[str] = field(default_factory=set)


def role(table: str, column: ColumnSpec, contract: Contract) -> str:
    """What kind of thing a canonical column holds: its type, or for text what the text is."""
    if column.kind != "str":
        return column.kind
    spec = contract[table] if table in contract else None
    if column.name in PERSON_COLUMNS:
        return "person"
    if spec is not None and spec.id_column == column.name:
        return "id"
    if column.name in REFERENCE_TARGETS:
        return "ref"
    if column.name in TEXT_COLUMNS:
        return "text"
    if column.name in LABEL_COLUMNS:
        return "label"
    return "str"


def signatures(table: str, column: ColumnSpec, kind: str) -> list[Signature]:
    """The column's signatures, each also with the words that only say its type."""
    base = vocabulary().tables.get(table)
    sigs = list(base.columns.get(column.name, [])) if base else []
    if not sigs:
        sigs = [Signature(frozenset(c for c in vocabulary().read(column.name).concepts))]
    extra: list[frozenset[str]] = []
    if kind == "date":
        extra = [frozenset({"DATE"})]
    elif kind == "person":
        extra = [frozenset({"BY"}), frozenset({"NAME"}), frozenset({"BY", "NAME"})]
    return sigs + [Signature(s.concepts | e, s.weight) for s in sigs for e in extra]


def name_score(reading: Reading, nouns: set[str], signatures: list[Signature]) -> float:
    """How well a header's concepts say one of ``signatures`` (0-1)."""
    concepts = reading.without(nouns)
    if not concepts:
        return 0.0
    best = 0.0
    for sig in signatures:
        if concepts == sig.concepts:
            score = sig.weight
        elif sig.concepts < concepts:
            score = sig.weight * 0.6 ** len(concepts - sig.concepts)
        elif concepts < sig.concepts:
            score = sig.weight * 0.55 ** len(sig.concepts - concepts)
        else:
            continue
        best = max(best, score)
    return best * 0.85 ** len(reading.unknown)


def value_evidence(
    kind: str, table: str, column: ColumnSpec, values: ValueProfile, ctx: Context
) -> float | None:
    """A bonus (or malus) for what the values say; None when they cannot be this column."""
    if values.count == 0:
        return 0.0
    not_date = values.date_share < 0.3 and values.native != "date"
    if kind == "date":
        if values.native == "date" or values.date_share >= 0.8:
            return 0.1
        return 0.0 if values.date_share >= 0.6 else None
    if kind == "bool":
        if values.bool_share >= 0.9:
            return 0.1
        small = values.n_distinct <= 4 and values.words <= 3 and values.id_share < 0.5
        return 0.0 if not_date and (values.bool_share >= 0.5 or small) else None
    if kind == "int":
        small = values.n_distinct <= 8 and any(ch.isdigit() for v in values.distinct for ch in v)
        return 0.0 if not_date and (values.native == "int" or small) else None
    if not not_date or values.bool_share >= 0.9:
        return None
    if kind == "enum":
        if values.words > 8 or values.n_distinct > 200:
            return None
        fit = code_fit(values.distinct, table, column)
        if fit >= 0.5:
            return 0.3 * fit
        return -0.2 if values.n_distinct >= 3 and fit < 0.2 else 0.0
    if kind == "id":
        if values.unique_share < 0.9 or values.person_share > 0.5 or values.words > 3:
            return None
        return 0.1 if values.unique_share >= 0.98 and values.id_share >= 0.8 else 0.0
    if kind == "ref":
        if values.person_share > 0.5 or values.words > 3:
            return None
        known = ctx.ids.get(REFERENCE_TARGETS.get(column.name, ""), set())
        if not known:
            return 0.0
        overlap = values.overlap(known)
        return 0.3 if overlap >= 0.8 else (0.0 if overlap >= 0.3 else None)
    if kind == "person":
        if values.words > 5 or values.id_share > 0.8:
            return None
        if values.overlap(ctx.people) >= 0.7 or values.person_share >= 0.7:
            return 0.1
        return 0.0
    if kind == "text":
        return 0.2 if values.words >= 5 else (-0.3 if values.words < 1.5 else 0.0)
    if kind == "label":
        return 0.0 if values.words <= 5 and values.n_distinct <= 100 else None
    return 0.0


def common_prefix(headers: list[str]) -> str | None:
    """A first word most headers of a table share and that says nothing ("yj_", "tbl_", "asmt_").

    Returned only when at least three headers and 70% of them start with it,
    and the word is not a concept of its own (other than the table's noun).
    """
    known = vocabulary().known
    firsts = [w[0] for w in (words(h, known) for h in headers) if len(w) > 1]
    if len(firsts) < 3:
        return None
    word = max(set(firsts), key=firsts.count)
    if firsts.count(word) < 0.7 * len(headers):
        return None
    concepts = vocabulary().read(word).concepts
    return word if len(concepts) <= 1 else None


def read_header(header: str, table: str, prefix: str | None = None) -> Reading:
    """What ``header`` says, without a shared ``prefix`` (unless the prefix is all it says)."""
    vocab = vocabulary()
    parts = words(header, vocab.known)
    if prefix and len(parts) > 1 and parts[0] == prefix:
        first = vocab.read(prefix).concepts
        nouns = vocab.tables[table].nouns if table in vocab.tables else set()
        if not first or set(first) <= nouns:
            return vocab.read(" ".join(parts[1:]))
    return vocab.read(header)


def score_header(
    header: str,
    values: ValueProfile,
    table: str,
    columns: dict[str, ColumnSpec],
    contract: Contract,
    ctx: Context,
    prefix: str | None = None,
) -> list[Candidate]:
    """Every column ``header`` may be, best first (exact canonical names score :data:`EXACT`)."""
    vocab = vocabulary()
    nouns = vocab.tables[table].nouns if table in vocab.tables else set()
    reading = read_header(header, table, prefix)
    key = header.strip().lower()
    found: list[Candidate] = []
    for column in columns.values():
        if key == column.name:
            found.append(Candidate(column.name, EXACT, "canonical name"))
            continue
        kind = role(table, column, contract)
        bonus = value_evidence(kind, table, column, values, ctx)
        if bonus is None:
            continue
        name = name_score(reading, nouns, signatures(table, column, kind))
        if name >= 0.4:
            score, evidence = name + bonus, "name and values" if bonus > 0 else "name"
        elif bonus >= 0.25 and kind in ("enum", "ref"):
            score, evidence = 0.5 + bonus, "values"
        else:
            continue
        if score >= 0.3:
            found.append(Candidate(column.name, round(score, 3), evidence))
    return sorted(found, key=lambda c: -c.score)


def assign(headers: list[str], scored: dict[str, list[Candidate]]) -> dict[str, HeaderMatch]:
    """Decide each header: the best clear reading wins, a column is used once, the rest wait."""
    matches = {
        h: HeaderMatch(h, candidates=[c for c in scored[h] if c.score >= SHOW]) for h in headers
    }
    pairs = sorted(
        ((c.score, h, c) for h in headers for c in scored[h]),
        key=lambda p: (-p[0], headers.index(p[1])),
    )
    taken: dict[str, str] = {}
    for score, header, cand in pairs:
        match = matches[header]
        if match.column or cand.column in taken or score < ACCEPT:
            continue
        rivals = [
            c.score for c in scored[header] if c.column != cand.column and c.column not in taken
        ]
        rivals += [
            c.score
            for other in headers
            if other != header and not matches[other].column
            for c in scored[other]
            if c.column == cand.column
        ]
        if score < EXACT and rivals and score - max(rivals) < MARGIN:
            continue
        match.column, match.score, match.evidence = cand.column, score, cand.evidence
        taken[cand.column] = header
    for match in matches.values():
        match.candidates = [
            Candidate(c.column, c.score, c.evidence, taken.get(c.column))
            for c in match.candidates
            if c.column != match.column
        ]
    return matches


def raw_headers(raw: RawTable) -> list[str]:
    """The table's headers as a person wrote them (without the row-number column)."""
    return [c.split("\0")[0] for c in raw.frame.columns if c != "__row__"]
