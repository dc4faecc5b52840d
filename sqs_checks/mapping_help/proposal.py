"""A proposed mapping profile, and how it is written out as commented YAML.

The YAML holds only what ``map`` is sure of; everything it could not decide
is a comment beside it, with its candidates, so that loading the file as it
stands never maps anything wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqs_checks.mapping_help.codes import CodeGuess
from sqs_checks.mapping_help.columns import HeaderMatch
from sqs_checks.mapping_help.dates import DateAdvice, form_example


def rows_text(rows: list[int], limit: int = 5) -> str:
    """``row 4`` / ``rows 4, 9 and 12`` / ``rows 4, 9, 12, 15, 20 and 3 more``."""
    if len(rows) == 1:
        return f"row {rows[0]}"
    shown = [str(r) for r in rows[:limit]]
    if len(rows) > limit:
        return f"rows {', '.join(shown)} and {len(rows) - limit} more"
    return f"rows {', '.join(shown[:-1])} and {shown[-1]}"


def either(names: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _q(text: str) -> str:
    """``text`` as a YAML scalar (quoted only when it has to be)."""
    import yaml

    return yaml.safe_dump(str(text), default_style=None, width=10_000).strip().removesuffix("\n...")


@dataclass
class TableProposal:
    """What ``map`` proposes for one canonical table.

    Attributes:
        table: the canonical table.
        source: the local file, sheet or table holding it.
        evidence: what the choice of ``source`` rests on.
        headers: the decision for every local header, in the file's order.
        codes: canonical column -> a guess per local code the parser would not read.
        dates: canonical date column -> its ``date_format`` advice.
        missing: required columns no header was mapped to.
    """

    table: str
    source: str
    evidence: str = ""
    headers: list[HeaderMatch] = field(default_factory=list)
    codes: dict[str, list[CodeGuess]] = field(default_factory=dict)
    dates: dict[str, DateAdvice] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def columns(self) -> dict[str, str]:
        """Local header -> canonical column, for the headers that need a mapping line."""
        return {
            h.header: h.column
            for h in self.headers
            if h.column and h.header.strip().lower() != h.column
        }

    def values(self) -> dict[str, dict[str, str]]:
        """Canonical column -> {local code: canonical code}, for the codes decided."""
        out = {c: {g.local: g.code for g in guesses if g.code} for c, guesses in self.codes.items()}
        return {c: v for c, v in out.items() if v}

    def date_formats(self) -> dict[str, str]:
        """Canonical column -> the ``date_format`` proposed for it."""
        return {c: a.date_format for c, a in self.dates.items() if a.date_format}


@dataclass
class Proposal:
    """A proposed mapping profile: the tables decided, and the local tables left open."""

    tables: dict[str, TableProposal] = field(default_factory=dict)
    open_tables: dict[str, list[str]] = field(default_factory=dict)
    absent: list[str] = field(default_factory=list)

    def profile(self, name: str = "local-export") -> dict[str, Any]:
        """The profile as data (what :func:`sqs_checks.mapping.profile_from_dict` reads)."""
        tables: dict[str, Any] = {}
        for table, prop in self.tables.items():
            spec: dict[str, Any] = {"source": prop.source}
            if prop.columns():
                spec["columns"] = prop.columns()
            if prop.values():
                spec["values"] = prop.values()
            if prop.date_formats():
                spec["date_format"] = prop.date_formats()
            tables[table] = spec
        return {"name": name, "tables": tables}

    def to_yaml(self, name: str = "local-export") -> str:
        """The profile as YAML, with what was left open (and why) in comments."""
        lines = [
            f"# Mapping profile proposed by sqs-checks map for {name}.",
            "# Each mapping was decided from the header, the column's values and the youth",
            "# justice vocabulary (docs/mapping.md). What map could not decide is left open in a",
            "# comment with its candidates: map it by hand, or leave it ignored. Then check with",
            "#   sqs-checks validate EXPORT --mapping THIS-FILE",
            f"name: {_q(name)}",
            "tables:",
        ]
        for prop in self.tables.values():
            lines += _table_lines(prop)
        for local, candidates in self.open_tables.items():
            if candidates:
                lines.append(
                    f"# open: table {local!r} could be {either(candidates)}; name it by hand "
                    "under tables.<table>.source, or leave it ignored"
                )
            else:
                lines.append(f"# not matched (ignored): table {local!r}")
        if self.absent:
            lines.append(
                f"# not found: {', '.join(self.absent)} (optional tables: the checks that need "
                "them are skipped and say so)"
            )
        return "\n".join(lines) + "\n"


def _table_lines(prop: TableProposal) -> list[str]:
    lines = [f"  {prop.table}:"]
    if prop.source.strip().lower() != prop.table:
        lines.append(f"    source: {_q(prop.source)}  # by {prop.evidence}")
    lines.append("    columns:")
    for h in prop.headers:
        if h.column:
            if h.header.strip().lower() != h.column:
                lines.append(f"      {_q(h.header)}: {h.column}  # by {h.evidence}")
        elif h.candidates:
            names = [
                c.column + (f" (mapped from {c.taken_by!r})" if c.taken_by else "")
                for c in h.candidates[:3]
            ]
            lines.append(
                f"      # open: header {h.header!r} could be {either(names)}; "
                "map it by hand, or leave it ignored"
            )
        else:
            lines.append(f"      # not matched (ignored): header {h.header!r}")
    lines += _values_lines(prop)
    lines += _date_lines(prop)
    for column in prop.missing:
        lines.append(f"    # MISSING required column {column}: map a header to it")
    return lines


def _values_lines(prop: TableProposal) -> list[str]:
    lines: list[str] = []
    for column, guesses in prop.codes.items():
        if not guesses:
            continue
        if not lines:
            lines.append("    values:")
        lines.append(f"      {column}:")
        for g in guesses:
            if g.code:
                lines.append(f"        {_q(g.local)}: {_q(g.code)}  # by {g.how}")
            else:
                could = f"; it could be {either(g.candidates)}" if g.candidates else ""
                lines.append(
                    f"        # not matched: {column} value {g.local!r}{could}: "
                    "map it by hand, or correct it in the export"
                )
    return lines


def _date_lines(prop: TableProposal) -> list[str]:
    lines: list[str] = []
    formats = prop.date_formats()
    if formats:
        lines.append("    date_format:")
        for column, fmt in formats.items():
            advice = prop.dates[column]
            note = f"dates written like {form_example(advice.form)}" if advice.form else ""
            lines.append(f"      {column}: {_q(fmt)}  # {note}")
    for column, advice in prop.dates.items():
        if advice.unreadable:
            rows = rows_text([r for r, _ in advice.unreadable])
            shown = ", ".join(repr(v) for _, v in advice.unreadable[:3])
            how = f"with {advice.date_format}" if advice.date_format else "as dates"
            lines.append(f"    # {column}: {rows} could not be read {how} ({shown})")
    return lines
