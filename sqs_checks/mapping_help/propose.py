"""``sqs-checks map``: propose a mapping profile for an export, right or silent.

Tables are matched first (:mod:`.tables`), then each table's headers in the
canonical order (:mod:`.columns`), so that the ids and names of the tables
already matched are evidence for the next ("these values are case ids").
Then the codes of every mapped code column (:mod:`.codes`) and the date
form of every mapped date column (:mod:`.dates`).
"""

from __future__ import annotations

from sqs_checks.contract import Contract
from sqs_checks.mapping_help.codes import match_codes
from sqs_checks.mapping_help.columns import (
    Context,
    assign,
    common_prefix,
    raw_headers,
    role,
    score_header,
)
from sqs_checks.mapping_help.dates import DateAdvice, advise_date_format
from sqs_checks.mapping_help.proposal import Proposal, TableProposal
from sqs_checks.mapping_help.tables import match_tables, profiles
from sqs_checks.mapping_help.values import ValueProfile
from sqs_checks.readers.base import RawExport, RawTable


def propose_profile(raw: RawExport, contract: Contract) -> Proposal:
    """Propose a mapping profile for ``raw``: what is certain, and what is left open."""
    values = {name: profiles(table) for name, table in raw.tables.items()}
    found = match_tables(raw, contract, values)
    proposal = Proposal(open_tables=found.open)
    ctx = Context()
    for spec in contract:
        guess = found.tables.get(spec.name)
        if guess is None:
            if not spec.required:
                proposal.absent.append(spec.name)
            continue
        table = raw.tables[guess.local]
        prop = _propose_table(spec.name, table, values[guess.local], contract, ctx)
        prop.evidence = guess.evidence
        proposal.tables[spec.name] = prop
    return proposal


def _propose_table(
    name: str,
    raw: RawTable,
    values: dict[str, ValueProfile],
    contract: Contract,
    ctx: Context,
) -> TableProposal:
    columns = contract.columns(name)
    keys = [c for c in raw.frame.columns if c != "__row__"]
    headers = raw_headers(raw)
    prefix = common_prefix(headers)
    scored = {
        key: score_header(key.split("\0")[0], values[key], name, columns, contract, ctx, prefix)
        for key in keys
    }
    decided = assign(keys, scored)
    prop = TableProposal(table=name, source=raw.name)
    for key in keys:
        match = decided[key]
        match.header = key.split("\0")[0]
        prop.headers.append(match)
        if match.column is None:
            continue
        column = columns[match.column]
        kind = role(name, column, contract)
        profile = values[key]
        if kind in ("enum", "bool", "int"):
            prop.codes[column.name] = match_codes(profile.distinct, name, column)
        if kind == "date":
            prop.dates[column.name] = _date_advice(raw, key)
        if kind in ("id", "ref", "person") or column.name == "child_id":
            known = _all_values(raw, key)
            ctx.ids[f"{name}.{column.name}"] = known
            if kind == "person":
                ctx.people |= known
    mapped = {h.column for h in prop.headers if h.column}
    prop.missing = [c.name for c in columns.values() if c.required and c.name not in mapped]
    return prop


def _non_blank(raw: RawTable, key: str):
    """Row numbers and trimmed text of the column's non-blank values."""
    import polars as pl

    from sqs_checks.parsing import NULL_TOKENS

    text = pl.col(key).cast(pl.Utf8).str.strip_chars()
    return raw.frame.select(pl.col("__row__"), text.alias("v")).filter(
        pl.col("v").is_not_null()
        & (pl.col("v") != "")
        & ~pl.col("v").str.to_lowercase().is_in(NULL_TOKENS)
    )


def _all_values(raw: RawTable, key: str) -> set[str]:
    """Every distinct value of the column, in lower case (ids and names other tables refer to)."""
    return {v.lower() for v in _non_blank(raw, key).get_column("v").unique().to_list()}


def _date_advice(raw: RawTable, key: str) -> DateAdvice:
    frame = _non_blank(raw, key)
    return advise_date_format(
        frame.get_column("v").to_list(), frame.get_column("__row__").to_list()
    )
