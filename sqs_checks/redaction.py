"""Stable pseudonyms for reports that leave the team (``--redact``).

Every child id becomes ``Child 0001``, ``Child 0002``, ... and every staff name
(case managers, authors, signers, quality assurers, the ``staff`` table)
becomes ``Staff 001``, ``Staff 002``, ... The numbering is deterministic: the
names are put in the order of a SHA-256 digest of their normalised form (so the
numbers reveal nothing about alphabetical order) and numbered from one. Staff
names are normalised trimmed and case-insensitively, as the checks compare
them, so ``"Sam Lee"`` and ``" sam lee"`` are the same person and get the same
pseudonym. The same name therefore maps to the same pseudonym in every output
of a run.

Names also appear inside text: finding messages quote signers ("signed off by
its own author (Sam Lee)"), evidence holds authors, an input problem may show a
raw name. :meth:`Redactor.text` replaces every whole-word occurrence of any
known child id or staff name (as it was spelled in the export) in a string.
Case ids and team names are kept: case managers need the case id to find the
case, and a team is not a person.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

STAFF_COLUMNS: dict[str, tuple[str, ...]] = {
    "cases": ("case_manager",),
    "assessments": ("author", "signed_off_by"),
    "plans": ("author", "signed_off_by"),
    "plan_reviews": ("author",),
    "court_reports": ("author", "quality_assured_by"),
    "staff": ("name",),
}
"""Canonical columns that hold staff names."""

CHILD_COLUMNS: dict[str, tuple[str, ...]] = {"cases": ("child_id",), "offences": ("child_id",)}
"""Canonical columns that hold child ids."""

STAFF_KEYS = frozenset(c for cols in STAFF_COLUMNS.values() for c in cols) | {
    "signer",
    "assessor",
    "manager",
    "staff",
}
"""Field names (in findings and evidence) whose whole value is a staff name."""

CHILD_KEYS = frozenset({"child_id", "child"})
"""Field names (in findings and evidence) whose whole value is a child id."""


def _norm(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _numbered(keys: Iterable[str], label: str, width: int) -> dict[str, str]:
    ordered = sorted(set(keys), key=lambda k: (_digest(k), k))
    width = max(width, len(str(len(ordered))))
    return {key: f"{label} {i:0{width}d}" for i, key in enumerate(ordered, start=1)}


def _trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, longest first, built as a trie.

    Python's regex engine tries alternatives one by one; a trie keeps matching
    fast with tens of thousands of names.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


class Redactor:
    """Maps child ids and staff names to stable pseudonyms, in values and in text."""

    def __init__(self, children: Iterable[str], staff: Iterable[str]) -> None:
        """Number ``children`` (child ids) and ``staff`` (names) as described above."""
        child_forms = {str(c).strip() for c in children if c is not None and str(c).strip()}
        staff_forms = {str(s).strip() for s in staff if s is not None and str(s).strip()}
        self.children = _numbered(child_forms, "Child", 4)
        """child id (trimmed) -> ``Child 0001``."""
        self.staff_names = _numbered({_norm(s) for s in staff_forms}, "Staff", 3)
        """normalised staff name -> ``Staff 001``."""
        self._text_map: dict[str, str] = {}
        for form in staff_forms:
            self._text_map[form] = self.staff_names[_norm(form)]
        for form in child_forms:
            self._text_map[form] = self.children[form]
        words = sorted(self._text_map, key=lambda w: (-len(w), w))
        self._regex = (
            re.compile(r"(?<!\w)(?:" + _trie_pattern(words) + r")(?!\w)") if words else None
        )

    @classmethod
    def from_result(cls, result: Any) -> Redactor:
        """Collect every child id and staff name of the run's export (valid and quarantined)."""
        children: set[str] = set()
        staff: set[str] = set()
        columns = result.loaded.columns
        wanted = [(t, c, staff) for t, cols in STAFF_COLUMNS.items() for c in cols]
        wanted += [(t, c, children) for t, cols in CHILD_COLUMNS.items() for c in cols]
        for table, column, target in wanted:
            if column not in columns.get(table, set()):
                continue
            query = f'SELECT DISTINCT CAST("{column}" AS VARCHAR) FROM src_{table}'
            try:
                rows = result.con.execute(query).fetchall()
            except Exception:  # noqa: BLE001 - a table absent from this run has no names
                continue
            target.update(r[0] for r in rows if r[0] is not None)
        for problem in result.input_problems():
            column, value = problem.get("column"), problem.get("value")
            if value in (None, ""):
                continue
            if column in STAFF_KEYS:
                staff.add(str(value))
            elif column in CHILD_KEYS:
                children.add(str(value))
        return cls(children, staff)

    # --- values ---------------------------------------------------------------------------

    def child(self, value: Any) -> Any:
        """The pseudonym of a child id; an unknown id becomes ``Child (unlisted)``."""
        if value is None or str(value).strip() == "":
            return value
        return self.children.get(str(value).strip(), "Child (unlisted)")

    def staff(self, value: Any) -> Any:
        """The pseudonym of a staff name; an unknown name becomes ``Staff (unlisted)``."""
        if value is None or str(value).strip() == "":
            return value
        return self.staff_names.get(_norm(str(value)), "Staff (unlisted)")

    def text(self, value: Any) -> Any:
        """``value`` with every known child id and staff name in it replaced."""
        if not isinstance(value, str) or self._regex is None:
            return value
        return self._regex.sub(lambda m: self._text_map[m.group(0)], value)

    def field(self, key: str, value: Any) -> Any:
        """Redact ``value`` knowing the name of the field that holds it."""
        if isinstance(value, Mapping):
            return {k: self.field(k, v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.field(key, v) for v in value]
        if not isinstance(value, str):
            return value
        if key in CHILD_KEYS:
            return self.child(value)
        if key in STAFF_KEYS:
            return self.staff(value)
        return self.text(value)

    # --- records --------------------------------------------------------------------------

    def finding(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """A finding (as output) with its child, case manager, message and evidence redacted."""
        out = dict(row)
        for key in ("child_id", "case_manager", "message", "evidence"):
            if key in out:
                out[key] = self.field(key, out[key])
        return out

    def problem(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """An input problem with a raw name or child id (and any name in its text) redacted."""
        out = dict(row)
        column = out.get("column")
        if isinstance(out.get("value"), str):
            out["value"] = self.field(str(column or ""), out["value"])
        if isinstance(out.get("problem"), str):
            out["problem"] = self.text(out["problem"])
        return out
