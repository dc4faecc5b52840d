"""Frameworks: the headings a suite scores its checks under.

By default the scorecard is grouped by the catalog's areas, the headings of the
2013 Short Quality Screening report. A suite may instead declare a
*framework*: its own headings (each with an id, a title and optionally a
parent, so headings nest) and, for each check, the headings it counts under -
for the whole check, or reason by reason::

    framework:
      name: My service's practice standards (2024)
      source: Practice standards, section 3
      headings:
        - {id: A, title: Assessment}
        - {id: A.safety, title: "Assessment: keeping the child safe", parent: A}
        - {id: OOC, title: Out-of-court work, disposals: [out_of_court]}
      checks:
        child.vulnerability_assessment: [A.safety]
        reoffending.court_report:            # reason by reason
          no_quality_assurance: [A]
          "*": [A.safety]                    # every other reason
      outside:                               # checks left out, with the reason
        data.*: describes the export, not the work

A heading may restrict the cases it counts to some ``disposals`` (its
sub-headings inherit the restriction) and may take every check of some
catalog ``areas``. Keys of ``checks`` and ``outside`` are check ids or globs.

Per heading, *relevant* counts the distinct cases relevant to any check
counted under it or under its sub-headings, and *flagged* those of them with
a finding of such a check (of the mapped reasons, for a check mapped reason
by reason): the same "X of Y relevant cases" as everywhere else. ``data``
checks describe the export, not the work: they are never counted under a
heading.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqs_checks.checks import AREAS, Check
from sqs_checks.errors import ConfigError

FRAMEWORK_KEYS = ("name", "source", "headings", "checks", "outside")
"""The keys a suite's ``framework`` block may have."""

HEADING_KEYS = ("id", "title", "parent", "disposals", "areas")
"""The keys of one heading."""

SCORED_STATUSES = ("ran", "partial")
"""Check statuses whose counts are scored (a check that did not run counts nowhere)."""

DATA_AREA = "data"
"""The area whose checks describe the export: counted, never scored under a heading."""

DATA_REASON = "describes the export, not the work: counted, never scored"
"""Why a ``data`` check is outside every framework, unless the suite says otherwise."""

OUTSIDE_TITLE = "Outside the framework"
"""The title of the group listing the checks that count under no heading."""

OTHER_REASONS = "*"
"""The reason key meaning every reason the mapping does not name."""

ReasonMap = dict[str | None, tuple[str, ...]]
"""Reason code (``None`` for every reason, ``"*"`` for the others) -> heading ids."""


@dataclass(frozen=True)
class Reasons:
    """Which findings of a check count under a heading.

    ``only`` lists the reason codes that count (``None``: every reason),
    ``excluding`` those that do not (for a ``"*"`` mapping: the reasons mapped
    elsewhere).
    """

    only: frozenset[str] | None = None
    excluding: frozenset[str] = frozenset()

    @property
    def every(self) -> bool:
        """True when every finding of the check counts."""
        return self.only is None and not self.excluding

    def union(self, other: Reasons) -> Reasons:
        """The reasons that count under either."""
        if self.only is not None and other.only is not None:
            return Reasons(only=self.only | other.only)
        if self.only is None and other.only is None:
            return Reasons(excluding=self.excluding & other.excluding)
        listed, broad = (self, other) if self.only is not None else (other, self)
        return Reasons(excluding=broad.excluding - (listed.only or frozenset()))

    def describe(self) -> str:
        """In words, for reports: "" for every reason."""
        if self.only is not None:
            return ", ".join(sorted(self.only))
        if self.excluding:
            return "every reason but " + ", ".join(sorted(self.excluding))
        return ""


@dataclass(frozen=True)
class Heading:
    """One heading of a framework.

    Attributes:
        id: stable id, unique in the framework (text, e.g. ``"2.1.rosh"``).
        title: what reports show ("Assessment: keeping other people safe").
        parent: the id of the heading it sits under, or ``None`` at the top.
        disposals: the disposal types whose cases it counts (``None``: every
            case); sub-headings inherit it.
        areas: catalog areas whose every check counts under it.
    """

    id: str
    title: str
    parent: str | None = None
    disposals: tuple[str, ...] | None = None
    areas: tuple[str, ...] = ()


@dataclass
class Framework:
    """A suite's headings and which checks count under each (see the module docs)."""

    name: str = ""
    source: str = ""
    headings: list[Heading] = field(default_factory=list)
    checks: dict[str, ReasonMap] = field(default_factory=dict)
    outside: dict[str, str] = field(default_factory=dict)

    # --- the tree ------------------------------------------------------------------

    @property
    def by_id(self) -> dict[str, Heading]:
        """The headings by id."""
        return {h.id: h for h in self.headings}

    def ordered(self) -> list[tuple[Heading, int]]:
        """Every heading with its depth (0 at the top), parents before their children.

        Siblings keep the order in which the suite declares them, which is the
        order of the standards the framework follows.
        """
        children: dict[str | None, list[Heading]] = {}
        for heading in self.headings:
            children.setdefault(heading.parent, []).append(heading)
        out: list[tuple[Heading, int]] = []

        def walk(parent: str | None, depth: int) -> None:
            for heading in children.get(parent, []):
                out.append((heading, depth))
                walk(heading.id, depth + 1)

        walk(None, 0)
        return out

    def subtree(self, heading_id: str) -> list[str]:
        """``heading_id`` and the ids of every heading under it."""
        ids = [heading_id]
        for heading, _depth in self.ordered():
            if heading.parent in ids and heading.id not in ids:
                ids.append(heading.id)
        return ids

    def disposals_of(self, heading_id: str) -> tuple[str, ...] | None:
        """The disposals a heading counts: its own and its ancestors' restrictions together."""
        by_id = self.by_id
        allowed: set[str] | None = None
        current: str | None = heading_id
        while current is not None:
            heading = by_id[current]
            if heading.disposals is not None:
                own = set(heading.disposals)
                allowed = own if allowed is None else allowed & own
            current = heading.parent
        if allowed is None:
            return None
        order = [d for h in self.headings for d in (h.disposals or ())]
        return tuple(sorted(allowed, key=order.index))

    # --- checks ---------------------------------------------------------------------

    def contributions(self, check: Check) -> dict[str, Reasons]:
        """The headings ``check`` counts under directly, each with the reasons that count."""
        if check.area == DATA_AREA:
            return {}
        found: dict[str, Reasons] = {}

        def add(heading_id: str, reasons: Reasons) -> None:
            found[heading_id] = found[heading_id].union(reasons) if heading_id in found else reasons

        for heading in self.headings:
            if check.area in heading.areas:
                add(heading.id, Reasons())
        for key, mapping in self.checks.items():
            if not fnmatch.fnmatchcase(check.id, key):
                continue
            named = frozenset(r for r in mapping if r not in (None, OTHER_REASONS))
            for reason, heading_ids in mapping.items():
                if reason is None:
                    reasons = Reasons()
                elif reason == OTHER_REASONS:
                    reasons = Reasons(excluding=named)
                else:
                    reasons = Reasons(only=frozenset({reason}))
                for heading_id in heading_ids:
                    add(heading_id, reasons)
        order = {h.id: i for i, h in enumerate(self.headings)}
        return dict(sorted(found.items(), key=lambda item: order[item[0]]))

    def heading_ids(self, check: Check) -> list[str]:
        """The ids of the headings ``check`` counts under, in the standards' order."""
        position = {h.id: i for i, (h, _d) in enumerate(self.ordered())}
        return sorted(self.contributions(check), key=position.__getitem__)

    def outside_reason(self, check: Check) -> str | None:
        """Why ``check`` counts under no heading, or None when it counts under one."""
        if self.contributions(check):
            return None
        for key, reason in self.outside.items():
            if fnmatch.fnmatchcase(check.id, key):
                return reason
        if check.area == DATA_AREA:
            return DATA_REASON
        return None

    # --- building and checking --------------------------------------------------------

    def merged_with(self, child: Framework) -> Framework:
        """This framework extended by ``child`` (a suite that ``extend``s this one).

        The child's name and source replace these; a heading with an id already
        here replaces it in place, a new one is added at the end; ``checks`` and
        ``outside`` entries replace those of the same key.
        """
        headings = {h.id: h for h in self.headings}
        for heading in child.headings:
            headings[heading.id] = heading
        return Framework(
            name=child.name or self.name,
            source=child.source or self.source,
            headings=list(headings.values()),
            checks={**self.checks, **child.checks},
            outside={**self.outside, **child.outside},
        )

    def check_structure(self, where: str, disposal_types: Sequence[str]) -> None:
        """Raise a one-sentence ConfigError for a heading tree that cannot work.

        Duplicate or unknown heading ids, a cycle of parents, an unknown
        disposal type or area, or a mapping naming a heading that does not exist.
        """
        if not self.headings:
            raise ConfigError(f"The framework of the suite {where} has no headings; add some.")
        seen: set[str] = set()
        for heading in self.headings:
            if heading.id in seen:
                raise ConfigError(
                    f"The framework of the suite {where} declares heading {heading.id!r} twice."
                )
            seen.add(heading.id)
        for heading in self.headings:
            if heading.parent is not None and heading.parent not in seen:
                raise ConfigError(
                    f"In the suite {where}, heading {heading.id!r} has parent "
                    f"{heading.parent!r}, which is not a heading of the framework."
                )
            bad = [d for d in heading.disposals or () if d not in disposal_types]
            if bad:
                raise ConfigError(
                    f"In the suite {where}, heading {heading.id!r} has disposal {bad[0]!r} "
                    f"(allowed: {', '.join(disposal_types)})."
                )
            bad = [a for a in heading.areas if a not in AREAS or a == DATA_AREA]
            if bad:
                allowed = ", ".join(a for a in AREAS if a != DATA_AREA)
                raise ConfigError(
                    f"In the suite {where}, heading {heading.id!r} takes the checks of area "
                    f"{bad[0]!r} (allowed: {allowed}; data checks are never scored)."
                )
        by_id = self.by_id
        for heading in self.headings:
            path = [heading.id]
            current = heading.parent
            while current is not None:
                if current in path:
                    cycle = " -> ".join([*path, current])
                    raise ConfigError(
                        f"In the suite {where}, the headings' parents go round in a circle "
                        f"({cycle}); give one of them another parent."
                    )
                path.append(current)
                current = by_id[current].parent
        for key, mapping in self.checks.items():
            for heading_ids in mapping.values():
                for heading_id in heading_ids:
                    if heading_id not in seen:
                        raise ConfigError(
                            f"In the suite {where}, framework.checks.{key} names heading "
                            f"{heading_id!r}, which the framework does not declare."
                        )

    def validate(self, catalog: Iterable[Check], where: str) -> None:
        """Raise a one-sentence ConfigError when the mapping does not fit ``catalog``.

        A key that matches no check, a reason the check does not raise, a check
        both counted and left outside, a data check under a heading, or a
        heading with no check under it (nor under its sub-headings).
        """
        checks = list(catalog)
        for section, keys in (("checks", self.checks), ("outside", self.outside)):
            for key in keys:
                if not any(fnmatch.fnmatchcase(c.id, key) for c in checks):
                    raise ConfigError(
                        f"The framework of the suite {where} names check {key!r} under "
                        f"{section}, which no plugin or instance provides "
                        "(see `sqs-checks checks` for the ids)."
                    )
        for check in checks:
            matched = [k for k in self.checks if fnmatch.fnmatchcase(check.id, k)]
            if check.area == DATA_AREA and matched:
                raise ConfigError(
                    f"In the suite {where}, data check {check.id!r} is mapped to a heading; "
                    "data checks describe the export and are never scored: list them "
                    "under framework.outside."
                )
            for key in matched:
                unknown = [
                    r
                    for r in self.checks[key]
                    if r not in (None, OTHER_REASONS) and check.reasons and r not in check.reasons
                ]
                if unknown:
                    raise ConfigError(
                        f"In the suite {where}, framework.checks.{key} names reason "
                        f"{unknown[0]!r}, which {check.id} does not raise "
                        f"(reasons: {', '.join(check.reasons)})."
                    )
            outside = [k for k in self.outside if fnmatch.fnmatchcase(check.id, k)]
            if outside and self.contributions(check):
                raise ConfigError(
                    f"In the suite {where}, check {check.id!r} is both counted under a "
                    "heading and listed under framework.outside; keep one."
                )
        counted: set[str] = set()
        for check in checks:
            counted.update(self.contributions(check))
        for heading, _depth in self.ordered():
            if not counted.intersection(self.subtree(heading.id)):
                raise ConfigError(
                    f"In the suite {where}, heading {heading.id!r} has no check under it; "
                    "map a check to it or remove it."
                )


# --- reading the YAML -------------------------------------------------------------------


def _text(value: Any, where: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        hint = f" (quote it: '{value}')" if isinstance(value, (int, float)) else ""
        raise ConfigError(f"In the suite {where}, {what} must be text{hint}.")
    return value.strip()


def _texts(value: Any, where: str, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ConfigError(f"In the suite {where}, {what} must be a list.")
    return tuple(_text(v, where, what) for v in value)


def _heading(data: Any, where: str, index: int) -> Heading:
    if not isinstance(data, dict):
        raise ConfigError(
            f"In the suite {where}, framework.headings item {index + 1} must be a mapping "
            "with an id and a title."
        )
    for key in data:
        if key not in HEADING_KEYS:
            raise ConfigError(
                f"In the suite {where}, framework.headings item {index + 1} has an unknown key "
                f"{key!r} (allowed: {', '.join(HEADING_KEYS)})."
            )
    heading_id = _text(data.get("id"), where, f"the id of framework.headings item {index + 1}")
    title = _text(data.get("title"), where, f"the title of heading {heading_id!r}")
    parent = data.get("parent")
    disposals = data.get("disposals")
    return Heading(
        id=heading_id,
        title=title,
        parent=None if parent is None else _text(parent, where, f"the parent of {heading_id!r}"),
        disposals=None
        if disposals is None
        else _texts(disposals, where, f"the disposals of heading {heading_id!r}"),
        areas=_texts(data.get("areas") or [], where, f"the areas of heading {heading_id!r}"),
    )


def _reason_map(value: Any, where: str, key: str) -> ReasonMap:
    what = f"framework.checks.{key}"
    if isinstance(value, (str, list)):
        return {None: _texts(value, where, what)}
    if isinstance(value, dict) and value:
        return {
            _text(reason, where, f"a reason of {what}"): _texts(ids, where, f"{what}.{reason}")
            for reason, ids in value.items()
        }
    raise ConfigError(
        f"In the suite {where}, {what} must be a list of heading ids or map reasons to them."
    )


def reject_unknown_keys(data: dict[str, Any], allowed: Sequence[str], where: str, at: str) -> None:
    """Raise one sentence for the first key of ``data`` a suite may not have there.

    ``where`` is the suite's file, ``at`` the dotted place of ``data`` in it
    ("scope.", "framework.", "" at the top).
    """
    for key in data:
        if key not in allowed:
            raise ConfigError(
                f"The suite {where} has an unknown key {at}{key} (allowed: {', '.join(allowed)})."
            )


def parse_framework(data: Any, where: str) -> Framework:
    """A framework from a suite's ``framework`` block (structure checked later, once merged)."""
    if not isinstance(data, dict):
        raise ConfigError(f"In the suite {where}, framework must be a mapping with headings.")
    reject_unknown_keys(data, FRAMEWORK_KEYS, where, "framework.")
    headings = data.get("headings") or []
    if not isinstance(headings, list):
        raise ConfigError(f"In the suite {where}, framework.headings must be a list.")
    checks = data.get("checks") or {}
    outside = data.get("outside") or {}
    for section, value in (("checks", checks), ("outside", outside)):
        if not isinstance(value, dict):
            raise ConfigError(
                f"In the suite {where}, framework.{section} must map check ids to "
                + ("heading ids." if section == "checks" else "the reason they are left out.")
            )
    return Framework(
        name=str(data.get("name") or ""),
        source=str(data.get("source") or ""),
        headings=[_heading(h, where, i) for i, h in enumerate(headings)],
        checks={str(k): _reason_map(v, where, str(k)) for k, v in checks.items()},
        outside={
            str(k): _text(v, where, f"the reason framework.outside.{k}") for k, v in outside.items()
        },
    )
