"""Help with mapping profiles: propose one from an export, and say what still does not fit.

``propose_profile`` matches the export's table names, headers and codes to the
canonical model by fuzzy matching (rapidfuzz) plus a short list of names
commonly seen in youth justice case-management exports ("Worker" for
``case_manager``, "YRO" for ``community``). The result is a YAML profile with
a comment on every guess, for a person to confirm.

``validate_export`` loads the export with a profile and reports what does not
fit yet: missing tables and columns, headers that match nothing, and values
that do not parse (grouped, with examples).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqs_checks.contract import Contract
from sqs_checks.readers.base import RawExport

TABLE_SYNONYMS: dict[str, list[str]] = {
    "cases": ["case list", "case", "orders", "interventions", "caseload"],
    "assessments": ["assessment", "asset", "assetplus"],
    "plans": ["plan", "intervention plans"],
    "plan_reviews": ["plan review", "reviews"],
    "events": ["event", "significant events", "changes of circumstance"],
    "court_reports": ["court report", "psr", "reports"],
    "offences": ["offence", "offending", "offending history"],
    "referrals": ["referral"],
    "staff": ["workers", "users", "staff list"],
}
"""Local table names often seen, per canonical table."""

COLUMN_SYNONYMS: dict[str, list[str]] = {
    "case_id": ["case ref", "case reference", "case no", "case number", "order id", "order ref"],
    "child_id": ["child ref", "young person id", "yp id", "person id", "client id", "yp ref"],
    "case_manager": ["worker", "case worker", "allocated worker", "yot worker", "officer"],
    "disposal_type": ["disposal", "order type", "sentence type", "outcome type"],
    "start_date": ["order start", "start", "date started", "commencement date"],
    "end_date": ["order end", "end", "date ended", "closure date"],
    "completed_date": ["completed", "date completed", "completion date"],
    "assessment_id": ["assessment ref", "asset id"],
    "plan_id": ["plan ref", "plan reference", "plan no"],
    "review_id": ["review ref"],
    "event_id": ["event ref"],
    "report_id": ["report ref", "psr ref"],
    "offence_id": ["offence ref"],
    "referral_id": ["referral ref"],
    "kind": ["type", "assessment type", "plan type", "category"],
    "signed_off_by": ["countersigned by", "signed by", "manager sign off"],
    "signed_off_date": ["countersigned on", "countersigned date", "date signed", "signed on"],
    "created_date": ["date created", "plan date", "created"],
    "event_date": ["date of event", "date"],
    "author": ["written by", "completed by", "created by", "assessor"],
    "narrative": ["evidence", "notes", "summary", "free text"],
    "level": ["risk level", "rating", "score band"],
}
"""Local header names often seen, per canonical column."""

VALUE_SYNONYMS: dict[str, str] = {
    "yro": "community",
    "youth_rehabilitation_order": "community",
    "dto": "custody",
    "detention_and_training_order": "custody",
    "ro": "referral_order",
    "h": "high",
    "m": "medium",
    "l": "low",
    "vh": "very_high",
    "isp": "intervention",
    "rmp": "risk_management",
    "vmp": "vulnerability_management",
    "asset": "reoffending",
    "assetplus": "reoffending",
}
"""Local codes often seen, and the canonical value they stand for."""


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def _code(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(text).strip().lower())


@dataclass
class Guess:
    """One proposed match, with its score (0-100)."""

    local: str
    canonical: str
    score: float


@dataclass
class Proposal:
    """A proposed mapping profile, and what could not be matched."""

    tables: dict[str, Guess] = field(default_factory=dict)
    columns: dict[str, list[Guess]] = field(default_factory=dict)
    values: dict[str, dict[str, list[Guess]]] = field(default_factory=dict)
    unmatched_headers: dict[str, list[str]] = field(default_factory=dict)
    unmatched_values: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    missing_required: dict[str, list[str]] = field(default_factory=dict)
    unused_tables: list[str] = field(default_factory=list)

    def to_yaml(self, name: str = "local-export") -> str:
        """The profile as YAML, every guess commented with its score."""
        import yaml

        def q(text: str) -> str:
            return yaml.safe_dump(str(text), default_style=None).strip().removesuffix("\n...")

        lines = [
            f"# Mapping profile proposed by sqs-checks map for {name}.",
            "# Check every line marked 'guess', then use it with --mapping.",
            f"name: {q(name)}",
            "tables:",
        ]
        for table, guess in self.tables.items():
            lines.append(f"  {table}:")
            note = "" if guess.score >= 100 else f"  # guess ({guess.score:.0f}%)"
            lines.append(f"    source: {q(guess.local)}{note}")
            cols = self.columns.get(table) or []
            if cols:
                lines.append("    columns:")
                for g in cols:
                    lines.append(f"      {q(g.local)}: {g.canonical}  # guess ({g.score:.0f}%)")
            vals = self.values.get(table) or {}
            if any(vals.values()):
                lines.append("    values:")
                for column, guesses in vals.items():
                    if not guesses:
                        continue
                    lines.append(f"      {column}:")
                    for g in guesses:
                        note = f"# guess ({g.score:.0f}%)"
                        lines.append(f"        {q(g.local)}: {g.canonical}  {note}")
            for header in self.unmatched_headers.get(table, []):
                lines.append(f"    # not matched (ignored): header {header!r}")
            for column, codes in (self.unmatched_values.get(table) or {}).items():
                for code in codes:
                    lines.append(f"    # not matched: {column} value {code!r}")
            for column in self.missing_required.get(table, []):
                lines.append(f"    # MISSING required column {column}: map a header to it")
        for table in self.unused_tables:
            lines.append(f"# not matched (ignored): table {table!r}")
        return "\n".join(lines) + "\n"


def _best(query: str, choices: dict[str, str], threshold: float) -> Guess | None:
    """The best match of ``query`` among ``choices`` (label -> canonical)."""
    from rapidfuzz import fuzz, process

    if not choices:
        return None
    found = process.extractOne(_norm(query), list(choices), scorer=fuzz.WRatio)
    if found is None or found[1] < threshold:
        return None
    return Guess(query, choices[found[0]], float(found[1]))


def propose_profile(raw: RawExport, contract: Contract, *, threshold: float = 80) -> Proposal:
    """Propose a mapping profile for ``raw`` (see the module docs)."""
    proposal = Proposal()
    names = {n: t for n, t in raw.tables.items()}
    table_choices: dict[str, str] = {}
    for spec in contract:
        table_choices[_norm(spec.name)] = spec.name
        for alias in TABLE_SYNONYMS.get(spec.name, []):
            table_choices[_norm(alias)] = spec.name
    taken: set[str] = set()
    scored: list[tuple[float, str, str]] = []
    for local in names:
        guess = _best(local, table_choices, threshold)
        if guess:
            exact = _norm(local) == _norm(guess.canonical)
            scored.append((101.0 if exact else guess.score, local, guess.canonical))
    for score, local, canonical in sorted(scored, reverse=True):
        if canonical in proposal.tables or local in taken:
            continue
        proposal.tables[canonical] = Guess(local, canonical, min(score, 100.0))
        taken.add(local)
    proposal.unused_tables = [n for n in names if n not in taken]
    for canonical, tguess in proposal.tables.items():
        table = names[tguess.local]
        columns = contract.columns(canonical)
        headers = [c.split("\0")[0] for c in table.frame.columns if c != "__row__"]
        exact = {h for h in headers if h.strip().lower() in columns}
        free = [c for c in columns if c not in {h.strip().lower() for h in exact}]
        choices: dict[str, str] = {}
        for col in free:
            choices[_norm(col)] = col
            for alias in COLUMN_SYNONYMS.get(col, []):
                choices[_norm(alias)] = col
        pairs: list[tuple[float, str, str]] = []
        for header in headers:
            if header in exact:
                continue
            guess = _best(header, choices, threshold)
            if guess:
                pairs.append((guess.score, header, guess.canonical))
        used_cols: set[str] = set()
        used_headers: set[str] = set()
        guesses: list[Guess] = []
        for score, header, col in sorted(pairs, reverse=True):
            if col in used_cols or header in used_headers:
                continue
            guesses.append(Guess(header, col, score))
            used_cols.add(col)
            used_headers.add(header)
        proposal.columns[canonical] = guesses
        proposal.unmatched_headers[canonical] = [
            h for h in headers if h not in exact and h not in used_headers
        ]
        mapped = {h.strip().lower(): h for h in exact} | {g.canonical: g.local for g in guesses}
        proposal.missing_required[canonical] = [
            c.name for c in columns.values() if c.required and c.name not in mapped
        ]
        raw_names = {c.split("\0")[0]: c for c in table.frame.columns if c != "__row__"}
        proposal.values[canonical] = {}
        proposal.unmatched_values[canonical] = {}
        for col, header in mapped.items():
            spec = columns.get(col)
            if spec is None or spec.kind != "enum":
                continue
            distinct = (
                table.frame.get_column(raw_names[header]).cast(str).drop_nulls().unique().to_list()
            )
            value_guesses, unmatched = _match_values(distinct, list(spec.choices), threshold)
            proposal.values[canonical][col] = value_guesses
            if unmatched:
                proposal.unmatched_values[canonical][col] = unmatched
    return proposal


NULLS = {"", "na", "n/a", "null", "none"}


def _match_values(
    distinct: Iterable[str], choices: list[str], threshold: float
) -> tuple[list[Guess], list[str]]:
    """Guesses for local codes that are not canonical already, and those left over."""
    guesses: list[Guess] = []
    unmatched: list[str] = []
    options = {_norm(c): c for c in choices}
    for value in sorted({str(v).strip() for v in distinct}):
        code = _code(value)
        if value.lower() in NULLS or code in choices:
            continue
        if VALUE_SYNONYMS.get(code) in choices:
            guesses.append(Guess(value, VALUE_SYNONYMS[code], 95.0))
            continue
        guess = _best(value, options, threshold)
        if guess:
            guesses.append(guess)
        else:
            unmatched.append(value)
    return guesses, unmatched


@dataclass
class Validation:
    """What ``sqs-checks validate`` found."""

    fatal: str | None = None
    tables: dict[str, str] = field(default_factory=dict)
    ignored_headers: dict[str, list[str]] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)

    @property
    def fits(self) -> bool:
        """True when the export loads with no input problem (ignored headers are only noted)."""
        return self.fatal is None and not self.problems

    def lines(self) -> list[str]:
        """The report, one line each."""
        if self.fatal:
            return [f"Does not load: {self.fatal}"]
        out = [f"{t}: {self.rows_read.get(t, 0)} rows from {src}" for t, src in self.tables.items()]
        for table, headers in self.ignored_headers.items():
            for header in headers:
                out.append(f"{table}: header {header!r} matches no column and is ignored")
        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for p in self.problems:
            key = (p["table"], str(p.get("column") or "-"), _problem_kind(str(p["problem"])))
            groups.setdefault(key, []).append(p)
        for (table, column, kind), items in groups.items():
            rows = ", ".join(str(i["row"]) for i in items[:3]) + (" ..." if len(items) > 3 else "")
            values = sorted({str(i["value"]) for i in items if i.get("value") is not None})[:3]
            shown = f" (values: {', '.join(repr(v) for v in values)})" if values else ""
            out.append(f"{table}.{column}: {len(items)} rows {kind}{shown}; rows {rows}")
        if self.fits:
            out.append("Everything fits.")
        return out


def _problem_kind(problem: str) -> str:
    """A problem without its row-specific detail (for grouping)."""
    return re.sub(r"\b(row|case|plan_id|case_id) \S+", r"\1 ...", problem)


def validate_export(
    source: str, *, readers: list[Any], contract: Contract, profile: Any = None
) -> Validation:
    """Load ``source`` with ``profile`` and report what does not fit."""
    from sqs_checks.errors import ExportError
    from sqs_checks.loading import canonicalise, choose_reader
    from sqs_checks.mapping import MappingProfile, norm

    profile = profile or MappingProfile()
    reader = choose_reader(str(source), readers)
    raw = reader.read(str(source))
    report = Validation()
    try:
        loaded = canonicalise(raw, contract=contract, profile=profile)
    except ExportError as exc:
        report.fatal = str(exc)
        return report
    report.tables = dict(loaded.sources)
    report.rows_read = dict(loaded.rows_read)
    report.problems = loaded.problem_list()
    for spec in contract:
        mapping = profile.table(spec.name)
        table = raw.find(mapping.source or spec.name)
        if table is None:
            continue
        columns = contract.columns(spec.name)
        ignored = []
        for col in table.frame.columns:
            if col == "__row__":
                continue
            header = col.split("\0")[0]
            key = norm(header)
            if key not in mapping.columns and key not in columns:
                ignored.append(header)
        report.ignored_headers[spec.name] = ignored
    return report
