"""What a column's values look like: dates, yes/no, numbers, ids, names, free text.

A header says what a column is meant to hold; its values say what it holds.
:func:`profile_values` summarises a raw column so the matcher can rule out a
canonical column whose type does not fit ("a column whose values parse as
dates is a date column") and weigh the evidence of those that do.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from sqs_checks.mapping_help.dates import date_form
from sqs_checks.mapping_help.vocabulary import phrase, vocabulary
from sqs_checks.parsing import FALSE_WORDS, NULL_TOKENS, TRUE_WORDS

SAMPLE = 2000
"""Values looked at for shares (the distinct values are taken from the whole column)."""

MAX_DISTINCT = 5000
"""Distinct values kept for code matching and overlaps with other tables."""

_NAME_WORD = r"[^\W\d_]+(?:['’.\-][^\W\d_]+)*"
_PERSON = re.compile(rf"^{_NAME_WORD}(?: {_NAME_WORD}){{1,3}}$")
_ID = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-_/.]{0,24}$")


@dataclass
class ValueProfile:
    """A summary of one raw column's non-blank values.

    Attributes:
        count: non-blank values (blank and NA-like cells are not counted).
        distinct: the distinct values (trimmed; at most :data:`MAX_DISTINCT`).
        n_distinct: how many distinct values there are.
        date_share: share of the sampled values shaped like a date, in any form.
        bool_share: share that reads as yes/no (the parser's words or local ones).
        int_share: share of whole numbers.
        words: mean number of words per value.
        person_share: share that looks like a person's name ("Priya Shah").
        id_share: share that looks like an identifier ("C0000123", "YOT-001").
        native: the column's own type when the reader gave one ("date", "bool", "int").
    """

    count: int = 0
    distinct: list[str] = field(default_factory=list)
    n_distinct: int = 0
    date_share: float = 0.0
    bool_share: float = 0.0
    int_share: float = 0.0
    words: float = 0.0
    person_share: float = 0.0
    id_share: float = 0.0
    native: str | None = None

    @property
    def unique_share(self) -> float:
        """Distinct values per value (1.0: every value differs)."""
        return self.n_distinct / self.count if self.count else 0.0

    def overlap(self, known: set[str]) -> float:
        """Share of the distinct values found in ``known`` (compared case-insensitively)."""
        if not self.distinct or not known:
            return 0.0
        return sum(1 for v in self.distinct if v.lower() in known) / len(self.distinct)


def is_yes_no(value: str) -> bool:
    """Whether ``value`` reads as yes or no, in the parser's words or a service's own."""
    text = value.strip().lower()
    if text in TRUE_WORDS or text in FALSE_WORDS:
        return True
    return local_yes_no(value) is not None


@functools.lru_cache(maxsize=65536)
def local_yes_no(value: str) -> bool | None:
    """True/False for a local yes/no word ("Recorded", "Not recorded"), None for anything else."""
    if len(value) > 40:
        return None
    vocab = vocabulary()
    text = phrase(value)
    if text in vocab.truthy:
        return True
    if text in vocab.falsy:
        return False
    for negation in ("not ", "no ", "non "):
        if text.startswith(negation) and text[len(negation) :] in vocab.truthy:
            return False
    return None


def profile_values(series) -> ValueProfile:
    """Summarise a raw column (a polars Series) as a :class:`ValueProfile`."""
    import polars as pl

    dtype = series.dtype
    native = None
    if dtype == pl.Date or isinstance(dtype, pl.Datetime):
        native = "date"
    elif dtype == pl.Boolean:
        native = "bool"
    elif dtype.is_integer():
        native = "int"
    text = series.cast(pl.Utf8).str.strip_chars()
    text = text.filter(
        text.is_not_null() & (text != "") & ~text.str.to_lowercase().is_in(NULL_TOKENS)
    )
    profile = ValueProfile(count=text.len(), native=native)
    if not profile.count:
        return profile
    unique = text.unique(maintain_order=True)
    profile.n_distinct = unique.len()
    profile.distinct = unique.head(MAX_DISTINCT).to_list()
    counts = text.head(SAMPLE).value_counts()
    pairs = list(zip(counts[counts.columns[0]].to_list(), counts["count"].to_list(), strict=True))
    n = sum(c for _, c in pairs)

    def share(test) -> float:
        """Share of the sampled values that pass ``test``."""
        return sum(c for v, c in pairs if test(v)) / n

    profile.date_share = 1.0 if native == "date" else share(date_form)
    profile.bool_share = 1.0 if native == "bool" else share(is_yes_no)
    profile.int_share = share(str.isdigit)
    profile.words = sum(len(v.split()) * c for v, c in pairs) / n
    profile.person_share = share(_PERSON.match)
    profile.id_share = share(lambda v: _ID.match(v) and not date_form(v))
    return profile
