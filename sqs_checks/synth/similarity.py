"""The narrative similarity of SPEC §5 (``reoffending.copied_assessment``)."""

from __future__ import annotations

import re

_WORD_SPLIT = re.compile(r"[\W_]+")  # every non-alphanumeric character


def words(text: str) -> list[str]:
    """The words of ``text``: lower-cased, split at every non-alphanumeric character."""
    return [w for w in _WORD_SPLIT.split(text.lower()) if w]


def _trigrams(items: list[str]) -> set[tuple[str, str, str]]:
    return set(zip(items, items[1:], items[2:], strict=False))


def narrative_similarity(a: str, b: str) -> float:
    """Return the SPEC §5 similarity of two narratives.

    Jaccard index of the sets of word 3-grams, after lower-casing and replacing
    every non-alphanumeric character by a space. Two texts without any 3-gram
    have similarity 0.
    """
    ta, tb = _trigrams(words(a)), _trigrams(words(b))
    union = ta | tb
    return len(ta & tb) / len(union) if union else 0.0
