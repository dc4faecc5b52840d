"""How dates are written in a column, and the ``date_format`` that reads them.

The parser reads ISO ``2013-03-05``, UK ``05/03/2013`` and ``5/3/2013`` and
spreadsheet dates by itself (SPEC §2). Any other form needs an explicit
format in the profile; :func:`advise_date_format` proposes it when most of a
column's values share one form, and names the rows that form does not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DateForm = tuple[str, "re.Pattern[str]", "str | None", str]

FORMS: list[DateForm] = [
    ("iso", re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}.*)?$"), None, "2013-03-05"),
    ("uk", re.compile(r"^\d{1,2}/\d{1,2}/\d{4}(?:[T ]\d{1,2}:\d{2}.*)?$"), None, "05/03/2013"),
    ("dotted", re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$"), "%d.%m.%Y", "05.03.2013"),
    ("dashed", re.compile(r"^\d{1,2}-\d{1,2}-\d{4}$"), "%d-%m-%Y", "05-03-2013"),
    ("uk_short_year", re.compile(r"^\d{1,2}/\d{1,2}/\d{2}$"), "%d/%m/%y", "05/03/13"),
    ("iso_slash", re.compile(r"^\d{4}/\d{1,2}/\d{1,2}$"), "%Y/%m/%d", "2013/03/05"),
    (
        "compact",
        re.compile(r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$"),
        "%Y%m%d",
        "20130305",
    ),
    ("month_space", re.compile(r"^\d{1,2} [A-Za-z]{3} \d{4}$"), "%d %b %Y", "05 Mar 2013"),
    ("month_dash", re.compile(r"^\d{1,2}-[A-Za-z]{3}-\d{4}$"), "%d-%b-%Y", "05-Mar-2013"),
    ("month_long", re.compile(r"^\d{1,2} [A-Za-z]{4,9} \d{4}$"), "%d %B %Y", "5 March 2013"),
]
"""Date forms seen in exports: name, shape, strptime format (None: the default parser), example."""

DEFAULT_FORMS = {name for name, _, fmt, _ in FORMS if fmt is None}

SAMPLE = 5000
"""Values looked at to choose a column's form (every value is then tried with it)."""


def date_form(value: str) -> str | None:
    """The name of the form ``value`` is written in, or None when it is not shaped like a date."""
    text = value.strip()
    for name, pattern, _, _ in FORMS:
        if pattern.match(text):
            return name
    return None


def form_format(name: str) -> str | None:
    """The strptime format of form ``name`` (None for forms the parser reads by itself)."""
    return next(fmt for n, _, fmt, _ in FORMS if n == name)


def form_example(name: str) -> str:
    """How a date looks in form ``name``."""
    return next(example for n, _, _, example in FORMS if n == name)


@dataclass
class DateAdvice:
    """What :func:`advise_date_format` found for one column.

    Attributes:
        date_format: the format to set in the profile (None: the default parser reads them).
        form: the form most values are written in.
        unreadable: ``(row, value)`` of the values that would still not be read.
    """

    date_format: str | None = None
    form: str | None = None
    unreadable: list[tuple[int, str]] = field(default_factory=list)


def readable(values: list[str], fmt: str | None) -> list[bool]:
    """Whether each value is read as a date with ``fmt`` (None: the default parser)."""
    import polars as pl

    from sqs_checks.parsing import parse_date

    frame = pl.DataFrame({"v": values}, schema={"v": pl.Utf8})
    value, _ = parse_date(pl.col("v"), pl.Utf8, fmt)
    parsed = frame.select(value.alias("d")).get_column("d")
    return [d is not None for d in parsed.to_list()]


def advise_date_format(values: list[str], rows: list[int]) -> DateAdvice:
    """The ``date_format`` for a column holding ``values`` (non-blank, with their ``rows``).

    A format is proposed when at least half the values (of the first
    :data:`SAMPLE`) share one form the default parser does not read; the rows
    it still cannot read are listed
    (other forms, or impossible dates such as 31.02.2013).
    """
    sample = values[:SAMPLE]
    forms: dict[str, int] = {}
    for value in sample:
        name = date_form(value)
        if name:
            forms[name] = forms.get(name, 0) + 1
    advice = DateAdvice()
    if not values:
        return advice
    local = {n: c for n, c in forms.items() if n not in DEFAULT_FORMS}
    if local:
        name, count = max(local.items(), key=lambda item: item[1])
        if count * 2 >= len(sample):
            advice.date_format = form_format(name)
            advice.form = name
    if advice.form is None and forms:
        advice.form = max(forms.items(), key=lambda item: item[1])[0]
    ok = readable(values, advice.date_format)
    advice.unreadable = [(r, v) for r, v, good in zip(rows, values, ok, strict=True) if not good]
    return advice


def shared_form(values: list[str]) -> str | None:
    """The one non-default form all ``values`` are written in (None when they differ)."""
    names = {date_form(v) for v in values}
    if len(names) == 1:
        name = names.pop()
        if name and name not in DEFAULT_FORMS:
            return name
    return None
