"""Local files, sheets and tables to canonical tables: by name and by what they hold.

A table's name counts ("Case List", "ASMT", "Offending History"), and so do
its headers and values: a sheet called "Sheet3" whose columns are an event
id, a case reference, a date and codes the events vocabulary knows is the
events table. As for columns, a table is only proposed when one reading
clearly wins; the rest are left open.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqs_checks.contract import Contract
from sqs_checks.mapping_help.columns import (
    ACCEPT,
    Context,
    common_prefix,
    name_score,
    raw_headers,
    score_header,
)
from sqs_checks.mapping_help.values import ValueProfile, profile_values
from sqs_checks.mapping_help.vocabulary import vocabulary, words
from sqs_checks.readers.base import RawExport, RawTable

TABLE_ACCEPT = 0.8
"""Lowest name + content score for a table to be proposed (headers alone can reach it)."""

TABLE_MARGIN = 0.3
"""How far the best reading of a table must lead the next."""


@dataclass
class TableGuess:
    """A local table proposed for a canonical table, with its score and what it rests on."""

    local: str
    table: str
    score: float
    evidence: str


@dataclass
class TableMatches:
    """Which local table holds which canonical table, and what is left over."""

    tables: dict[str, TableGuess] = field(default_factory=dict)
    open: dict[str, list[str]] = field(default_factory=dict)


def profiles(raw: RawTable) -> dict[str, ValueProfile]:
    """A value profile per header of ``raw`` (keyed by the raw column name)."""
    return {c: profile_values(raw.frame.get_column(c)) for c in raw.frame.columns if c != "__row__"}


def _name(local: str, table: str) -> float:
    if words(local) == words(table) or words(local) == words(table.replace("_", " ")):
        return 2.0
    vocab = vocabulary()
    spec = vocab.tables.get(table)
    if spec is None:
        return 0.0
    return min(1.0, name_score(vocab.read(local), set(), spec.names))


def _content(raw: RawTable, table: str, contract: Contract, values: dict) -> float:
    """How well the table's headers and values fit ``table``'s columns (0-1)."""
    columns = contract.columns(table)
    headers = [c for c in raw.frame.columns if c != "__row__"]
    if not headers:
        return 0.0
    prefix = common_prefix(raw_headers(raw))
    hit_columns: set[str] = set()
    hit_headers = 0
    for col in headers:
        found = score_header(
            col.split("\0")[0], values[col], table, columns, contract, Context(), prefix
        )
        good = [c for c in found if c.score >= ACCEPT]
        if good:
            hit_headers += 1
            hit_columns.add(good[0].column)
    required = [c.name for c in columns.values() if c.required]
    req = sum(1 for c in required if c in hit_columns) / len(required) if required else 0.0
    return 0.6 * req + 0.4 * hit_headers / len(headers)


def match_tables(
    raw: RawExport, contract: Contract, values: dict[str, dict[str, ValueProfile]] | None = None
) -> TableMatches:
    """Propose a local table for each canonical table it can decide.

    ``values`` (local table -> :func:`profiles`) is computed when not given.
    """
    if values is None:
        values = {name: profiles(table) for name, table in raw.tables.items()}
    scores: dict[tuple[str, str], tuple[float, str]] = {}
    for local, table in raw.tables.items():
        for spec in contract:
            name = _name(local, spec.name)
            content = _content(table, spec.name, contract, values[local])
            evidence = (
                "name and headers"
                if name >= 0.5 and content >= 0.3
                else ("name" if name >= 0.5 else "headers and values")
            )
            scores[(local, spec.name)] = (name + content, evidence)
    result = TableMatches()
    used: set[str] = set()
    ranked = sorted(scores.items(), key=lambda item: -item[1][0])
    for (local, table), (score, evidence) in ranked:
        if local in used or table in result.tables or score < TABLE_ACCEPT:
            continue
        rivals = [
            s
            for (lo, t), (s, _) in scores.items()
            if lo == local and t != table and t not in result.tables
        ]
        rivals += [
            s for (lo, t), (s, _) in scores.items() if t == table and lo != local and lo not in used
        ]
        if score < 2.0 and rivals and score - max(rivals) < TABLE_MARGIN:
            continue
        result.tables[table] = TableGuess(local, table, round(score, 3), evidence)
        used.add(local)
    for local in raw.tables:
        if local not in used:
            near = sorted(
                ((s, t) for (lo, t), (s, _) in scores.items() if lo == local and s >= 0.5),
                reverse=True,
            )
            result.open[local] = [t for _, t in near[:2]]
    return result
