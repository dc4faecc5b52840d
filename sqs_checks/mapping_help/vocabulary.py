"""The youth justice vocabulary (``vocabulary.yml``) and how a header is read with it.

A header, a table name or a local code is split into words (``CaseRef``,
``case_ref`` and ``Case Ref`` all give ``case ref``), and the words into
*concepts* by the longest phrase the vocabulary knows ("date of birth" is
one concept, not "date" + "birth"). Words the vocabulary does not know are
kept apart: they lower the confidence of a match, never raise it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yml")
"""Where the vocabulary lives (package data)."""

_CAMEL_LOWER_UPPER = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CAMEL_ACRONYM = re.compile(r"(?<=[A-Z])(?=[A-Z][a-z])")


def words(
    text: str, known: frozenset[str] | set[str] = frozenset(), camel: bool = True
) -> list[str]:
    """The words of ``text``, lower case, ``&`` read as "and".

    Punctuation separates words. With ``camel``, a run of letters the
    vocabulary does not know as one word is split into ``known`` words when
    it can be (``RoSHYN`` is "rosh yn", ``CntrSgnBy`` "cntr sgn by"), else
    at each change of case (``CaseRef`` is "case ref").
    """
    text = str(text).replace("&", " and ").replace("’", "'")
    text = re.sub(r"'[sd]\b", "", text).replace("'", "")
    out: list[str] = []
    for chunk in re.split(r"[^0-9A-Za-z]+", text):
        if not chunk:
            continue
        lower = chunk.lower()
        if camel and re.fullmatch(r"[A-Z]{2,}s", chunk) and lower[:-1] in known:
            out.append(lower[:-1])  # an acronym's plural: PSRs, RMPs
            continue
        if camel and lower not in known:
            pieces = _segment(lower, known)
            if pieces:
                out += pieces
                continue
            chunk = _CAMEL_ACRONYM.sub(" ", _CAMEL_LOWER_UPPER.sub(" ", chunk))
        out += chunk.lower().split()
    return out


def _segment(text: str, known: frozenset[str] | set[str]) -> list[str] | None:
    """``text`` as the fewest known words of two letters or more, or None when it is not."""
    if not known:
        return None
    best: list[list[str] | None] = [[]] + [None] * len(text)
    for end in range(2, len(text) + 1):
        for start in range(0, end - 1):
            before = best[start]
            if before is None or text[start:end] not in known:
                continue
            if best[end] is None or len(before) + 1 < len(best[end]):
                best[end] = [*before, text[start:end]]
    return best[-1] if best[-1] and len(best[-1]) > 1 else None


def phrase(text: str) -> str:
    """``text`` as one normalised phrase (its words, without camel-case splitting)."""
    return " ".join(words(text, camel=False))


@dataclass(frozen=True)
class Signature:
    """Concepts a header must say to mean a column, and how strongly it then does (0-1)."""

    concepts: frozenset[str]
    weight: float = 1.0


@dataclass(frozen=True)
class Reading:
    """What a header (or table name) says.

    Attributes:
        concepts: the concepts found, in order.
        unknown: words the vocabulary does not know (never guessed from their spelling:
            "Identified" is not a misspelt "identifier").
    """

    concepts: tuple[str, ...]
    unknown: tuple[str, ...] = ()

    def without(self, dropped: set[str]) -> frozenset[str]:
        """The set of concepts, less ``dropped`` (a table's own nouns)."""
        return frozenset(c for c in self.concepts if c not in dropped)


@dataclass
class TableVocabulary:
    """One canonical table in the vocabulary: its nouns, names and column signatures."""

    nouns: set[str] = field(default_factory=set)
    names: list[Signature] = field(default_factory=list)
    columns: dict[str, list[Signature]] = field(default_factory=dict)


@dataclass
class Vocabulary:
    """The loaded vocabulary (see ``vocabulary.yml`` for what each part holds)."""

    phrases: dict[tuple[str, ...], str | None]
    known: frozenset[str]
    longest: int
    tables: dict[str, TableVocabulary]
    truthy: set[str]
    falsy: set[str]
    codes: dict[str, dict[str, list[str]]]
    distinctive: dict[str, list[str]] = field(default_factory=dict)
    """``table.column`` -> single words that name their code inside a longer value
    (the file's ``distinctive`` words, and the acronyms of its codes)."""

    def read(self, text: str) -> Reading:
        """The concepts ``text`` says (longest phrases first; plurals read as singulars)."""
        tokens = words(text, self.known)
        concepts: list[str] = []
        unknown: list[str] = []
        i = 0
        while i < len(tokens):
            for length in range(min(self.longest, len(tokens) - i), 0, -1):
                found, concept = self._lookup(tokens[i : i + length])
                if found:
                    if concept:
                        concepts.append(concept)
                    i += length
                    break
            else:
                unknown.append(tokens[i])
                i += 1
        return Reading(tuple(concepts), tuple(unknown))

    def _lookup(self, tokens: list[str]) -> tuple[bool, str | None]:
        key = tuple(tokens)
        if key in self.phrases:
            return True, self.phrases[key]
        last = tokens[-1]
        for singular in _singulars(last):
            alt = (*key[:-1], singular)
            if alt in self.phrases:
                return True, self.phrases[alt]
        return False, None


def _singulars(token: str) -> list[str]:
    out = []
    if len(token) > 4 and token.endswith("ies"):
        out.append(token[:-3] + "y")
    if len(token) > 3 and token.endswith("s"):
        out.append(token[:-1])
    return out


def _signature(text: str) -> Signature:
    parts = str(text).split()
    weight = 1.0
    if parts and re.fullmatch(r"\d*\.\d+|\d+", parts[-1]):
        weight = float(parts.pop())
    return Signature(frozenset(parts), weight)


def _check_all_text(data: object, where: str) -> None:
    """Every word in the file must be text: YAML reads a bare ``no`` or ``on`` as a boolean."""
    if isinstance(data, dict):
        for key, value in data.items():
            _check_all_text(value, f"{where}: {key}")
    elif isinstance(data, list):
        for item in data:
            if not isinstance(item, str):
                raise ValueError(
                    f"{where} lists {item!r}, which YAML did not read as text; quote it."
                )


@functools.cache
def vocabulary() -> Vocabulary:
    """The vocabulary, loaded once from :data:`VOCABULARY_FILE`."""
    import yaml

    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    _check_all_text(data, VOCABULARY_FILE.name)
    phrases: dict[tuple[str, ...], str | None] = {}
    for concept, texts in data["concepts"].items():
        for text in texts:
            phrases.setdefault(tuple(words(text, camel=False)), concept)
    for text in data["stopwords"]:
        phrases.setdefault(tuple(words(text, camel=False)), None)
    tables = {
        name: TableVocabulary(
            nouns=set(spec.get("nouns") or []),
            names=[_signature(s) for s in spec.get("names") or []],
            columns={c: [_signature(s) for s in sigs] for c, sigs in spec["columns"].items()},
        )
        for name, spec in data["tables"].items()
    }
    codes = {
        column: {str(code): [phrase(p) for p in texts] for code, texts in spec.items()}
        for column, spec in data["codes"].items()
    }
    distinctive = {
        column: [phrase(w) for w in texts] for column, texts in data["distinctive"].items()
    }
    for column, spec in data["codes"].items():
        acronyms = [phrase(p) for texts in spec.values() for p in texts if p.isupper()]
        distinctive.setdefault(column, []).extend(acronyms)
    return Vocabulary(
        phrases=phrases,
        known=frozenset(k[0] for k in phrases if len(k) == 1),
        longest=max(len(k) for k in phrases),
        tables=tables,
        truthy={phrase(w) for w in data["booleans"]["truthy"]},
        falsy={phrase(w) for w in data["booleans"]["falsy"]},
        codes=codes,
        distinctive=distinctive,
    )
