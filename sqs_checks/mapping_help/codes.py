"""Local codes to canonical codes, one column at a time.

A local code is matched only against the codes of the column it sits in
(an event kind is never read as a plan kind), by the vocabulary first, then
by a vocabulary phrase it contains ("Youth Rehabilitation Order with ISS"),
then as an abbreviation of a vocabulary phrase ("VSP" for victim safety
plan, "THF" for theft, "NEWOFF" for new offence), then by spelling
("Resetlement plan"). A code that could be two canonical
codes, or none, is left open with its candidates: a wrong code silently
changes findings. ``other`` is only proposed for the words listed under it
(a value containing "other" alone is not enough).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from sqs_checks.contract import ColumnSpec
from sqs_checks.mapping_help.values import local_yes_no
from sqs_checks.mapping_help.vocabulary import phrase, vocabulary
from sqs_checks.parsing import FALSE_WORDS, NULL_TOKENS, TRUE_WORDS

SPELLING = 90
"""Lowest rapidfuzz ratio for a misspelt code (phrases of 6 characters or more)."""


@dataclass(frozen=True)
class CodeGuess:
    """One local code: the canonical code proposed (None: left open) and how it was found."""

    local: str
    code: str | None
    how: str = ""
    candidates: list[str] = field(default_factory=list)


def is_canonical(value: str, column: ColumnSpec) -> bool:
    """Whether the parser reads ``value`` in ``column`` without a mapping."""
    text = value.strip().lower()
    if text in NULL_TOKENS or not text:
        return True
    if column.kind == "bool":
        return text in TRUE_WORDS or text in FALSE_WORDS
    if column.kind == "int":
        return re.fullmatch(r"\d+(?:\.0+)?", text) is not None and (
            not column.choices or int(float(text)) in column.choices
        )
    return re.sub(r"[\s\-]+", "_", text) in column.choices


@functools.cache
def _phrases(table: str, column: ColumnSpec) -> dict[str, list[str]]:
    """code -> phrases: the vocabulary's, plus each canonical code written as words."""
    found = {
        code: list(texts)
        for code, texts in vocabulary().codes.get(f"{table}.{column.name}", {}).items()
    }
    for choice in column.choices:
        found.setdefault(str(choice), []).append(phrase(str(choice).replace("_", " ")))
    return found


def _negated(text: str) -> bool:
    return text.startswith(("no ", "not ", "non ")) or " not " in f" {text} "


@functools.cache
def _containable(table: str, column: ColumnSpec) -> frozenset[str]:
    """Phrases that may be found inside a longer value: several words, an acronym
    ("DTO", "CAMHS"), or a word the vocabulary lists as distinctive for the column.

    A lone common word is not enough: "Moved school" is no change of address,
    "Missing appointment" no missing episode.
    """
    distinctive = set(vocabulary().distinctive.get(f"{table}.{column.name}", []))
    return frozenset(
        p
        for texts in _phrases(table, column).values()
        for p in texts
        if (" " in p or p in distinctive) and len(p) >= 3
    )


@functools.lru_cache(maxsize=65536)
def match_code(value: str, table: str, column: ColumnSpec) -> CodeGuess:
    """The canonical code of local code ``value`` in ``table.column`` (or an open guess)."""
    if column.kind == "bool":
        answer = local_yes_no(value)
        if answer is None:
            return CodeGuess(value, None)
        return CodeGuess(value, "yes" if answer else "no", "vocabulary")
    phrases = _phrases(table, column)
    text = phrase(value)
    exact = {code for code, texts in phrases.items() if text in texts}
    if len(exact) == 1:
        return CodeGuess(value, exact.pop(), "vocabulary")
    if exact:
        return CodeGuess(value, None, candidates=sorted(exact))
    if column.kind == "int":
        digits = re.findall(r"\d+", text)
        words = set(text.split()) - set(digits)
        if len(digits) == 1 and words <= {"level", "lvl", "l", "mappa", "tier"}:
            number = int(digits[0])
            if number in column.choices:
                return CodeGuess(value, str(number), "number")
        return CodeGuess(value, None)
    if not _negated(text):
        inside = _containable(table, column)
        contained = {
            code
            for code, texts in phrases.items()
            for p in texts
            if p in inside and f" {p} " in f" {text} " and (code != "other" or " " in p)
        }
        if len(contained) == 1:
            return CodeGuess(value, contained.pop(), "contains")
        if contained:
            return CodeGuess(value, None, candidates=sorted(contained))
    initials = {c for c, texts in phrases.items() for p in texts if is_initials(text, p)}
    if len(initials) == 1:
        return CodeGuess(value, initials.pop(), "abbreviation")
    abbreviated = {c for c, texts in phrases.items() for p in texts if abbreviates(text, p)}
    if len(abbreviated) == 1:
        return CodeGuess(value, abbreviated.pop(), "abbreviation")
    if abbreviated:
        return CodeGuess(value, None, candidates=sorted(abbreviated))
    return _by_spelling(value, text, phrases)


_SKIPPED = {"and", "of", "the", "for", "to", "a", "in", "from", "with", "on"}


def abbreviates(code: str, words_: str) -> bool:
    """Whether one-word ``code`` (3 to 8 letters) abbreviates phrase ``words_``.

    The code must split, in order, into one piece per word of the phrase or
    of its first words (small words like "and" may be skipped): initials
    ("vsp": victim safety plan), the start of each word ("newoff": new
    offence, "vict": victim concern), or, for one word, letters of it in
    order from its first ("thf": theft, "rvw": review).
    """
    if not (3 <= len(code) <= 8 and code.isalpha()):
        return False
    parts = words_.split()
    if len(parts) == 1 and len(code) >= len(parts[0]):
        return False
    return any(_pieces(code, parts[:k]) for k in range(1, len(parts) + 1))


def is_initials(code: str, words_: str) -> bool:
    """Whether ``code`` is the initials of every word of ``words_`` (small words optional)."""
    if not (2 <= len(code) <= 8 and code.isalpha()):
        return False
    parts = words_.split()
    if len(parts) < 2:
        return False
    big = "".join(w[0] for w in parts if w not in _SKIPPED)
    return code in (big, "".join(w[0] for w in parts))


def _pieces(code: str, parts: list[str]) -> bool:
    """Whether ``code`` splits into one piece per word: a shortening of a single word, or
    the first letters of each of several words ("newoff", not "psr" for "progress review")."""
    if not parts:
        return not code
    word, rest = parts[0], parts[1:]
    if word in _SKIPPED and _pieces(code, rest):
        return True
    if not code or code[0] != word[0]:
        return False
    for end in range(1, len(code) + 1):
        piece = code[:end]
        fits = _in_order(piece[1:], word[1:]) if len(parts) == 1 else word.startswith(piece)
        if fits and _pieces(code[end:], rest):
            return True
    return False


def _in_order(letters: str, word: str) -> bool:
    found = iter(word)
    return all(ch in found for ch in letters)


def _by_spelling(value: str, text: str, phrases: dict[str, list[str]]) -> CodeGuess:
    from rapidfuzz import fuzz

    scores: dict[str, float] = {}
    for code, texts in phrases.items():
        for p in texts:
            score = fuzz.ratio(text, p)
            if score > scores.get(code, 0):
                scores[code] = score
    close = {c for c, s in scores.items() if s >= SPELLING}
    long_enough = len(text) >= 6
    if len(close) == 1 and long_enough:
        code = close.pop()
        if code != "other":
            return CodeGuess(value, code, "spelling")
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    return CodeGuess(value, None, candidates=[c for c, s in ranked[:2] if s >= 60])


def match_codes(distinct: list[str], table: str, column: ColumnSpec) -> list[CodeGuess]:
    """A guess for every distinct local value of the column the parser would not read itself."""
    return [match_code(v, table, column) for v in distinct if not is_canonical(v, column)]


def code_fit(distinct: list[str], table: str, column: ColumnSpec) -> float:
    """Share of the distinct values that are canonical codes or local codes the vocabulary knows."""
    if not distinct:
        return 0.0
    known = 0
    for value in distinct:
        if is_canonical(value, column) or match_code(value, table, column).code is not None:
            known += 1
    return known / len(distinct)
