"""Near misses: a header or table that looks like one the export lacks.

When a run cannot find ``completed_date`` but the export has a header
``completion_date``, the user should hear about it in the same sentence:
"`completion_date` looks like `completed_date`; map it in a profile". A
header looks like a column when its words stem alike, when it is a close
spelling, or when the vocabulary reads it as that column with confidence;
and its values must be able to be that column (dates for a date column).
A hint is only given when exactly one header looks like the column.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqs_checks.contract import ColumnSpec
from sqs_checks.mapping_help.vocabulary import words

if TYPE_CHECKING:  # pragma: no cover
    from sqs_checks.contract import Contract
    from sqs_checks.mapping import MappingProfile, TableMapping
    from sqs_checks.readers.base import RawExport, RawTable

SPELLING = 88
"""Lowest rapidfuzz ratio between two names written as snake case."""

CONFIDENT = 0.9
"""Lowest vocabulary score for a header to be read as a column."""

_SUFFIXES = ("ions", "ion", "ing", "ed", "es", "s", "e")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _snake(text: str) -> str:
    return "_".join(words(text))


def _alike(local: str, canonical: str) -> bool:
    """Same words once stemmed, or a close spelling."""
    from rapidfuzz import fuzz

    mine, theirs = words(local), words(canonical.replace("_", " "))
    if sorted(map(_stem, mine)) == sorted(map(_stem, theirs)):
        return True
    return fuzz.ratio(_snake(local), canonical) >= SPELLING


def looks_like_column(
    header: str, table: str, column: ColumnSpec, contract: Contract | None
) -> bool:
    """Whether ``header`` looks like ``table.column`` (by spelling or by the vocabulary)."""
    if _alike(header, column.name):
        return True
    from sqs_checks.contract import Contract as _Contract
    from sqs_checks.mapping_help.columns import name_score, read_header, role, signatures
    from sqs_checks.mapping_help.vocabulary import vocabulary

    vocab = vocabulary()
    if table not in vocab.tables:
        return False
    kind = role(table, column, contract or _Contract())
    score = name_score(
        read_header(header, table), vocab.tables[table].nouns, signatures(table, column, kind)
    )
    return score >= CONFIDENT


def near_miss(
    column: ColumnSpec,
    headers: list[str],
    table: str,
    contract: Contract | None = None,
    raw: RawTable | None = None,
) -> str | None:
    """The one header among ``headers`` that looks like ``column`` (None: none, or several).

    With ``raw``, a header whose values cannot be the column does not count.
    """
    found = [
        h
        for h in headers
        if looks_like_column(h, table, column, contract) and _values_fit(raw, h, table, column)
    ]
    return found[0] if len(found) == 1 else None


def _values_fit(raw: RawTable | None, header: str, table: str, column: ColumnSpec) -> bool:
    """Whether the values under ``header`` could be ``column`` (True when unknown)."""
    if raw is None:
        return True
    from sqs_checks.contract import Contract as _Contract
    from sqs_checks.mapping_help.columns import Context, role, value_evidence
    from sqs_checks.mapping_help.values import profile_values

    key = next((c for c in raw.frame.columns if c.split("\0")[0] == header), None)
    if key is None:
        return True
    kind = role(table, column, _Contract())
    values = profile_values(raw.frame.get_column(key))
    return value_evidence(kind, table, column, values, Context()) is not None


def unmatched_headers(
    raw: RawTable, columns: dict[str, ColumnSpec], mapping: TableMapping
) -> list[str]:
    """Headers that neither the profile nor a canonical name matches."""
    from sqs_checks.mapping import norm

    headers = [c.split("\0")[0] for c in raw.frame.columns if c != "__row__"]
    return [h for h in headers if norm(h) not in mapping.columns and norm(h) not in columns]


def missing_column_fix(
    raw: RawTable, table: str, column: str, columns: dict[str, ColumnSpec], mapping: TableMapping
) -> str:
    """How to supply a missing required column: the near miss if any, else the general fix."""
    header = near_miss(columns[column], unmatched_headers(raw, columns, mapping), table, raw=raw)
    if header:
        return (
            f"`{header}` looks like `{column}`; map it in a profile "
            f"(tables.{table}.columns: {{'{header}': {column}}})"
        )
    return (
        "add it, or map your column to it in the mapping profile "
        f"(tables.{table}.columns: {{'Your header': {column}}})"
    )


def header_hints(
    raw: RawTable, table: str, columns: dict[str, ColumnSpec], profile: MappingProfile
) -> list[str]:
    """One sentence per absent optional column that an unmatched header looks like."""
    from sqs_checks.mapping import norm

    mapping = profile.table(table)
    headers = [norm(c.split("\0")[0]) for c in raw.frame.columns if c != "__row__"]
    present = {mapping.columns.get(h, h) for h in headers}
    unmatched = unmatched_headers(raw, columns, mapping)
    absent = [c for c in columns.values() if not c.required and c.name not in present]
    hints = []
    for column in absent:
        header = near_miss(column, unmatched, table, raw=raw)
        if header and sum(1 for c in absent if looks_like_column(header, table, c, None)) == 1:
            hints.append(
                f"`{header}` looks like `{column.name}`; map it in a profile "
                f"(tables.{table}.columns: {{'{header}': {column.name}}})"
            )
    return hints


def looks_like_table(local: str, table: str) -> bool:
    """Whether a local table name looks like canonical ``table``."""
    if _alike(local, table):
        return True
    from sqs_checks.mapping_help.columns import name_score
    from sqs_checks.mapping_help.vocabulary import vocabulary

    vocab = vocabulary()
    spec = vocab.tables.get(table)
    return spec is not None and name_score(vocab.read(local), set(), spec.names) >= CONFIDENT


def missing_table_fix(raw: RawExport, table: str) -> str:
    """How to supply a missing required table: the near miss if any, else the general fix."""
    found = [name for name in raw.tables if looks_like_table(name, table)]
    if len(found) == 1:
        return (
            f"`{found[0]}` looks like the `{table}` table; name it in a profile "
            f"(tables.{table}.source: {found[0]})"
        )
    return (
        f"add {table}.csv (or a sheet/table named {table}), or name the local table in the "
        f"mapping profile under tables.{table}.source"
    )


def table_hints(
    raw: RawExport, contract: Contract, profile: MappingProfile, found: set[str]
) -> list[str]:
    """One sentence per absent optional table that an unused local table looks like.

    ``found`` names the canonical tables the export has.
    """
    used = set()
    for table in found:
        local = raw.find(profile.table(table).source or table)
        if local is not None:
            used.add(local.name)
    unused = [name for name in raw.tables if name not in used]
    hints = []
    for spec in contract:
        if spec.name in found:
            continue
        found = [name for name in unused if looks_like_table(name, spec.name)]
        if len(found) == 1:
            hints.append(
                f"`{found[0]}` looks like the `{spec.name}` table; name it in a profile "
                f"(tables.{spec.name}.source: {found[0]})"
            )
    return hints
