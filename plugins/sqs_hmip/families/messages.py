"""Finding messages written as templates and turned into SQL.

A template is plain English with ``{name}`` placeholders; each placeholder is
replaced by a SQL expression (typically ``uk(some_date)``), so a family can
take its wording as a parameter without hand-writing ``printf`` calls.
"""

from __future__ import annotations

from string import Formatter


def quote(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def message_sql(template: str, **values: str) -> str:
    """SQL concatenating ``template``'s text with the expressions in ``values``.

    ``message_sql("Due by {deadline}.", deadline="uk(deadline)")`` gives
    ``'Due by ' || uk(deadline) || '.'``. Every placeholder must be given.
    """
    parts: list[str] = []
    for text, name, _spec, _conv in Formatter().parse(template):
        if text:
            parts.append(quote(text))
        if name is not None:
            if name not in values:
                raise KeyError(f"message template needs a value for {{{name}}}")
            parts.append(f"({values[name]})")
    return " || ".join(parts) if parts else "''"


def sql_list(values: tuple[str, ...] | list[str]) -> str:
    """A SQL ``IN`` list of string literals (for fixed, non-user values)."""
    return "(" + ", ".join(quote(v) for v in values) + ")"


def case_sql(column: str, labels: dict[str, str], default: str) -> str:
    """A SQL ``CASE`` mapping the codes in ``column`` to labels (``default`` otherwise)."""
    whens = " ".join(f"WHEN {quote(k)} THEN {quote(v)}" for k, v in labels.items())
    return f"CASE {column} {whens} ELSE {quote(default)} END"
