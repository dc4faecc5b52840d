"""``sqs-checks validate``: load an export with a profile and say what still does not fit.

Problems are grouped by table, column and kind, and each group is one
sentence that reads right for one row and for many ("1 row names a case that
is not in the cases table", "3 rows name cases that ..."), with the values
seen, the fix and the rows. A date the parser cannot read, when the values
share one form, comes with the ``date_format`` that reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqs_checks.contract import Contract
from sqs_checks.mapping_help.dates import form_example, form_format, readable, shared_form
from sqs_checks.mapping_help.proposal import rows_text

# (pattern of the loader's problem text, one row, several rows, the fix)
_KINDS: list[tuple[str, str, str, str]] = [
    (
        r"^is blank, but every \w+ row needs an? \w+$",
        "has a blank {column}",
        "have a blank {column}",
        "every {table} row needs one: fill it in",
    ),
    (
        r"^is after today",
        "has a {column} after today",
        "have a {column} after today",
        "a date that records something done cannot be in the future: correct {it}",
    ),
    (
        r"^is not a valid calendar date",
        "has a {column} that is not a real date",
        "have {column} values that are not real dates",
        "correct the day or the month",
    ),
    (
        r"^is not a date in the profile's format (?P<fmt>.+)$",
        "has a {column} that does not match the profile's date format {fmt}",
        "have {column} values that do not match the profile's date format {fmt}",
        "correct {it}, or the format in the profile",
    ),
    (
        r"^is not a date",
        "has a {column} that is not a date",
        "have {column} values that are not dates",
        "write dates as YYYY-MM-DD or DD/MM/YYYY",
    ),
    (
        r"^is not a yes/no value",
        "has a {column} that is not yes or no",
        "have {column} values that are not yes or no",
        "use true/false, yes/no, y/n or 1/0, or map the local words under "
        "tables.{table}.values.{column}",
    ),
    (
        r"^is not a whole number",
        "has a {column} that is not a whole number",
        "have {column} values that are not whole numbers",
        "correct {it}",
    ),
    (
        r"^is not one of (?P<allowed>.+)$",
        "has a {column} that is not one of {allowed}",
        "have {column} values that are not one of {allowed}",
        "correct {it}, or map the local {values} under tables.{table}.values.{column}",
    ),
    (
        r"^is not a known value \(allowed: (?P<allowed>.+)\)$",
        "has a {column} that is not a known code",
        "have {column} codes that are not known",
        "map {each} under tables.{table}.values.{column}, or correct {it} (allowed: {allowed})",
    ),
    (
        r"^repeats the (?P<idc>\w+) of row",
        "repeats the {idc} of an earlier row",
        "repeat the {idc} of an earlier row",
        "the first is used: remove or renumber the repeats",
    ),
    (
        r"^names case .*, which is not in the cases table",
        "names a case that is not in the cases table",
        "name cases that are not in the cases table",
        "add the cases, or correct the case_id",
    ),
    (
        r"^names (?P<tc>\w+) .*, which is not in the (?P<target>\w+) table",
        "names a {tc} that is not in the {target} table",
        "name {tc} values that are not in the {target} table",
        "correct {it}",
    ),
    (
        r"^belongs to an excluded case",
        "belongs to a case whose cases row has a problem",
        "belong to cases whose cases rows have a problem",
        "fix those cases rows first",
    ),
    (
        r"^belongs to an excluded (?P<target>\w+) row",
        "belongs to a {target} row that has a problem",
        "belong to {target} rows that have a problem",
        "fix those {target} rows first",
    ),
    (
        r"^has \d+ fields where the header has",
        "has the wrong number of fields",
        "have the wrong number of fields",
        "fix the quoting or the separators on those lines",
    ),
    (
        r"^has values beyond the last header column",
        "has values beyond the last header column",
        "have values beyond the last header column",
        "give the column a header or delete the stray cells",
    ),
    (
        r"^is before the case's start_date",
        "has an end_date before its start_date",
        "have an end_date before their start_date",
        "correct one of the two dates",
    ),
    (
        r"^fails the contract check (?P<check>.+)$",
        "fails the contract check {check}",
        "fail the contract check {check}",
        "correct {it}",
    ),
]


def _kind(problem: str) -> tuple[int, dict[str, str]]:
    for i, (pattern, *_rest) in enumerate(_KINDS):
        found = re.search(pattern, problem)
        if found:
            return i, found.groupdict()
    return -1, {"problem": problem}


def problem_sentence(table: str, column: str, problem: str, items: list[dict[str, Any]]) -> str:
    """One grammatical line for a group of problems of one kind in one column."""
    index, params = _kind(problem)
    count = len(items)
    noun = "row" if count == 1 else "rows"
    rows = rows_text(sorted({int(i["row"]) for i in items if i.get("row") is not None}))
    values = sorted({str(i["value"]) for i in items if i.get("value") not in (None, "")})
    shown = ""
    if values:
        quoted = ", ".join(repr(v) for v in values[:3]) + (", ..." if len(values) > 3 else "")
        shown = f" ({'value' if len(values) == 1 else 'values'} {quoted})"
    if index < 0:
        return f"{table}.{column}: {count} {noun} with this problem: {problem}{shown} ({rows})."
    _, one, many, fix = _KINDS[index]
    several = len(values) > 1 or (not values and count > 1)
    names = {
        "table": table,
        "column": column,
        "it": "them" if several else "it",
        "each": "each" if several else "it",
        "values": "values" if several else "value",
        **params,
    }
    predicate = (one if count == 1 else many).format(**names)
    fix = fix.format(**names)
    form = (
        _date_form_to_set(values, params.get("fmt"))
        if problem.startswith("is not a date")
        else None
    )
    if form:
        fix = (
            f"{'they are' if several else 'it is'} written like {form_example(form)}: set "
            f'date_format: {{{column}: "{form_format(form)}"}} under tables.{table} in the profile'
        )
    dropped = all(i.get("action") == "value_dropped" for i in items) and "action" in items[0]
    after = " (the value is dropped and the row checked)" if dropped else ""
    return f"{table}.{column}: {count} {noun} {predicate}{shown}{after}; {fix} ({rows})."


def _date_form_to_set(values: list[str], current: str | None) -> str | None:
    """The one form the unread ``values`` share, when its format reads them all (and is new)."""
    form = shared_form(values) if values else None
    if form is None or form_format(form) == current:
        return None
    return form if all(readable(values, form_format(form))) else None


@dataclass
class Validation:
    """What ``sqs-checks validate`` found.

    Attributes:
        fatal: why the export does not load at all (a missing table or column), or None.
        tables: canonical table -> where it was read from.
        ignored_headers: canonical table -> headers that match no column.
        problems: the input problems (as in ``findings.json``).
        rows_read: canonical table -> rows read.
        hints: near misses: headers or tables that look like ones the export lacks.
    """

    fatal: str | None = None
    tables: dict[str, str] = field(default_factory=dict)
    ignored_headers: dict[str, list[str]] = field(default_factory=dict)
    problems: list[dict[str, Any]] = field(default_factory=list)
    rows_read: dict[str, int] = field(default_factory=dict)
    hints: list[str] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        """True when the export loads with no input problem (ignored headers are only noted)."""
        return self.fatal is None and not self.problems

    def lines(self) -> list[str]:
        """The report, one sentence each."""
        if self.fatal:
            return [f"Does not load: {self.fatal}"]
        out = []
        for table, source in self.tables.items():
            n = self.rows_read.get(table, 0)
            out.append(f"{table}: {n} {'row' if n == 1 else 'rows'} from {source}")
        for table, headers in self.ignored_headers.items():
            for header in headers:
                out.append(f"{table}: header {header!r} matches no column and is ignored")
        out += [f"Hint: {hint}." for hint in self.hints]
        groups: dict[tuple[str, str, int, str], list[dict[str, Any]]] = {}
        for p in self.problems:
            index, params = _kind(str(p["problem"]))
            key = (p["table"], str(p.get("column") or "-"), index, repr(sorted(params.items())))
            groups.setdefault(key, []).append(p)
        for (table, column, _, _), items in groups.items():
            out.append(problem_sentence(table, column, str(items[0]["problem"]), items))
        if self.fits:
            out.append("Everything fits.")
        return out


def validate_export(
    source: str, *, readers: list[Any], contract: Contract, profile: Any = None
) -> Validation:
    """Load ``source`` with ``profile`` and report what does not fit.

    An export that cannot be read at all raises :class:`~sqs_checks.errors.ExportError`.
    """
    from sqs_checks.errors import ExportError
    from sqs_checks.loading import canonicalise, choose_reader
    from sqs_checks.mapping import MappingProfile, norm

    profile = profile or MappingProfile()
    raw = choose_reader(str(source), readers).read(str(source))
    report = Validation()
    try:
        loaded = canonicalise(raw, contract=contract, profile=profile)
    except ExportError as exc:
        report.fatal = str(exc)
        return report
    report.tables = dict(loaded.sources)
    report.rows_read = dict(loaded.rows_read)
    report.problems = loaded.problem_list()
    report.hints = list(getattr(loaded, "hints", []))
    for spec in contract:
        mapping = profile.table(spec.name)
        table = raw.find(mapping.source or spec.name)
        if table is None:
            continue
        columns = contract.columns(spec.name)
        report.ignored_headers[spec.name] = [
            col.split("\0")[0]
            for col in table.frame.columns
            if col != "__row__"
            and norm(col.split("\0")[0]) not in mapping.columns
            and norm(col.split("\0")[0]) not in columns
        ]
    return report
