"""From an export to valid canonical tables plus the quarantined rows.

``load_export`` reads the export with a reader, applies the mapping profile,
parses every value (:mod:`sqs_checks.parsing`), validates the contract with
pandera and sorts out what is wrong (SPEC §2):

* a bad row (a bad value in a required column or in ``completed_date``, a
  blank required value, a duplicate id, a reference to a case or plan that
  does not exist, an end date before its start date, a ragged line) is
  *quarantined*: left out of the checks and listed in ``input_problems`` with
  ``action: "row_excluded"``;
* a bad value in any other optional column is *dropped*: the value becomes
  null, the row is checked, and the problem is listed with
  ``action: "value_dropped"``.

Every problem carries the row number a person sees in the file. Every input
row is either kept or listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from sqs_checks.chunks import chunk_lengths, chunks_aligned
from sqs_checks.contract import (
    EXCLUDING_OPTIONAL,
    NA_IS_NULL_TEXT,
    ColumnSpec,
    Contract,
    TableContract,
)
from sqs_checks.errors import ExportError
from sqs_checks.mapping import MappingProfile, norm, recode
from sqs_checks.mapping_help.hints import (
    header_hints,
    missing_column_fix,
    missing_table_fix,
    table_hints,
)
from sqs_checks.parsing import (
    parse_bool,
    parse_date,
    parse_enum,
    parse_int,
    parse_text,
    text_is_clean,
)
from sqs_checks.readers.base import RawExport, RawTable, Reader, without_blank_rows
from sqs_checks.timings import Timings, measured

ROW = "__row__"
LINK_COLUMNS = ("case_id", "plan_id", "child_id")
"""Columns kept from quarantined rows to tell which case they belong to."""
PROBLEM_SCHEMA = {
    "table": pl.Utf8,
    "row": pl.Int64,
    "column": pl.Utf8,
    "value": pl.Utf8,
    "problem": pl.Utf8,
    "action": pl.Utf8,
}
"""The columns of ``input_problems``."""
ROW_EXCLUDED = "row_excluded"
VALUE_DROPPED = "value_dropped"
EXCLUDES = "__excludes__"
"""While loading: whether a problem excludes its row (True) or only drops its value."""
_WORK_SCHEMA = {**{k: v for k, v in PROBLEM_SCHEMA.items() if k != "action"}, EXCLUDES: pl.Boolean}
DROPPED_SCHEMA = {
    "table": pl.Utf8,
    "row": pl.Int64,
    "case_id": pl.Utf8,
    "column": pl.Utf8,
    "value": pl.Utf8,
}
"""One row per dropped value and case it belongs to (for ``data.value_dropped``)."""


@dataclass
class LoadedExport:
    """The valid canonical tables and everything left out of them.

    Attributes:
        tables: canonical table name -> valid rows (typed; ``__row__`` keeps
            the row number). Only the columns the export has are present.
        problems: one row per problem: table, row, column, value, problem,
            action (``row_excluded`` or ``value_dropped``).
        quarantine: one row per quarantined row that belongs to a known case:
            table, row, case_id (for ``data.record_excluded``).
        dropped: one row per dropped value and known case its row belongs to:
            table, row, case_id, column, value (for ``data.value_dropped``).
        sources: canonical table name -> where it was read from.
        rows_read: canonical table name -> number of rows read.
        hints: one sentence per absent optional table or column that an
            unmatched local one looks like (for the run's warnings).
        fingerprint: SHA-256 of the export's content.
        description: the export as given (path or URL without password).
        copied: the tables already copied where the checks read them (``canonicalise``'s
            ``sink``): their frames here are empty, with their columns.
    """

    tables: dict[str, pl.DataFrame]
    problems: pl.DataFrame
    quarantine: pl.DataFrame
    sources: dict[str, str]
    rows_read: dict[str, int]
    fingerprint: str
    description: str
    reader: str = ""
    columns: dict[str, set[str]] = field(default_factory=dict)
    dropped: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=DROPPED_SCHEMA))
    hints: list[str] = field(default_factory=list)
    copied: set[str] = field(default_factory=set)

    def problem_list(self) -> list[dict[str, Any]]:
        """``input_problems`` as plain dicts, in table and row order."""
        return self.problems.to_dicts()


def choose_reader(source: str, readers: list[Reader], name: str | None = None) -> Reader:
    """The reader named ``name``, or the first that recognises ``source``."""
    if name:
        for reader in readers:
            if reader.name == name:
                return reader
        names = ", ".join(r.name for r in readers)
        raise ExportError(f"There is no reader called {name!r}; use one of: {names}.")
    for reader in readers:
        if reader.detect(source):
            return reader
    from pathlib import Path

    if "://" not in source and not Path(source).exists():
        raise ExportError(f"The export {source} does not exist; check the path.")
    if Path(source).is_dir() and not any(
        p.is_file() and not p.name.startswith(".") for p in Path(source).iterdir()
    ):
        raise ExportError(
            f"The export folder {source} has no files, so no cases table; put the export's "
            "files there (cases.csv, assessments.csv, ...) or give the folder that holds them."
        )
    raise ExportError(
        f"Cannot tell how to read {source}: give a folder of .csv or .parquet files, an .xlsx "
        "workbook, or a database URL such as sqlite:///export.db (or name a reader with --reader)."
    )


def load_export(
    source: str,
    *,
    readers: list[Reader],
    contract: Contract,
    profile: MappingProfile | None = None,
    reader_name: str | None = None,
    today: dt.date | None = None,
) -> LoadedExport:
    """Read ``source`` and return its valid canonical tables and problems."""
    reader = choose_reader(str(source), readers, reader_name)
    raw = reader.read(str(source))
    return canonicalise(raw, contract=contract, profile=profile, today=today, reader=reader.name)


class Handover:
    """A canonical table handed to a sink, held nowhere else: whoever takes it holds the
    only reference, so its memory can go part by part as it is copied."""

    def __init__(self, frame: pl.DataFrame) -> None:
        """Hold ``frame`` until it is taken."""
        self._frame: pl.DataFrame | None = frame

    def take(self) -> pl.DataFrame:
        """The table; the handover keeps no reference to it (it can be taken once)."""
        frame, self._frame = self._frame, None
        if frame is None:
            raise RuntimeError("this table was taken already")
        return frame


Sink = Callable[[str, Handover], None]
"""Takes a canonical table's valid rows as soon as they are final (``canonicalise``)."""


def canonicalise(
    raw: RawExport,
    *,
    contract: Contract,
    profile: MappingProfile | None = None,
    today: dt.date | None = None,
    reader: str = "",
    sink: Sink | None = None,
    timings: Timings | None = None,
) -> LoadedExport:
    """Map, parse and validate the raw tables of an export.

    The tables are taken one at a time, in the contract's order: each is parsed
    (a reader may read it only then), checked against the tables it references,
    and - with ``sink`` - handed to ``sink(name, frame)`` at once, so that a
    large export is never held twice. A table handed to the sink stays in
    ``tables`` as an empty frame with its columns and is named in ``copied``.
    With ``timings``, reading and parsing are measured as the phases ``read``
    and ``parse`` (each summed over the tables).
    """
    state = _Canonicalising(
        raw, contract, profile or MappingProfile(), today or dt.date.today(), timings
    )
    for spec in contract:
        if state.parse(spec.name):
            state.finish(spec, sink)
    with measured(timings, "parse", accumulate=True):
        return state.loaded(reader)


@dataclass
class _Canonicalising:
    """What ``canonicalise`` knows so far: the tables parsed, checked and handed on.

    Attributes:
        parsed: tables parsed but not yet checked against their references.
        final: tables checked against their references: whole, or, once handed
            to the sink, only the columns the later steps read (row number,
            links to cases and plans, the columns other tables reference).
        bad: per table, the link columns of its excluded rows.
        problems: per table, the problems parsing found.
        orphans: the problems of rows naming a record that is not there, in the
            order they were found.
    """

    raw: RawExport
    contract: Contract
    profile: MappingProfile
    today: dt.date
    timings: Timings | None
    parsed: dict[str, pl.DataFrame] = field(default_factory=dict)
    final: dict[str, pl.DataFrame] = field(default_factory=dict)
    emptied: dict[str, pl.DataFrame] = field(default_factory=dict)
    bad: dict[str, pl.DataFrame] = field(default_factory=dict)
    problems: dict[str, pl.DataFrame] = field(default_factory=dict)
    orphans: list[pl.DataFrame] = field(default_factory=list)
    hints: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    rows_read: dict[str, int] = field(default_factory=dict)
    columns: dict[str, set[str]] = field(default_factory=dict)
    absent: set[str] = field(default_factory=set)
    excluded: pl.Series | None = None

    def parse(self, name: str) -> bool:
        """Parse table ``name`` unless done already; False when the export has no such table."""
        if name in self.parsed or name in self.final:
            return True
        if name in self.absent or name not in self.contract:
            return False
        spec = self.contract[name]
        raw_table = self.raw.find(self.profile.table(name).source or name)
        if raw_table is None:
            if spec.required:
                raise ExportError(_no_cases_table(self.raw, name))
            self.absent.add(name)
            return False
        with measured(self.timings, "read", accumulate=True):
            raw_frame = raw_table.frame  # a reader may read the table only now
        with measured(self.timings, "parse", accumulate=True):
            self.sources[name] = raw_table.source
            self.rows_read[name] = raw_frame.height + len(raw_table.problems)
            del raw_frame
            columns = self.contract.columns(name)
            frame, problems, bad_rows = _parse_table(
                raw_table, spec, columns, self.profile, self.today
            )
            self.parsed[name] = frame
            self.hints[name] = header_hints(raw_table, name, columns, self.profile)
            self.problems[name] = problems
            self.bad[name] = bad_rows
            raw_table.frame = raw_table.frame.clear()  # parsed: the raw rows may go (memory)
        return True

    def finish(self, spec: TableContract, sink: Sink | None) -> None:
        """Check parsed table ``spec`` against the tables it references; hand it to ``sink``."""
        with measured(self.timings, "parse", accumulate=True):
            frame = self.parsed.pop(spec.name)
            if spec.name != "cases":
                frame = self._without_orphans(spec, frame)
            self.columns[spec.name] = {c for c in frame.columns if c != ROW}
        if sink is None:
            self.final[spec.name] = frame
            return
        self.final[spec.name] = frame.select(self._kept_after_sink(spec.name, frame))
        self.emptied[spec.name] = frame.clear()
        handover = Handover(frame)
        del frame  # the sink holds the only reference: the rows can go as they are copied
        sink(spec.name, handover)

    def _kept_after_sink(self, name: str, frame: pl.DataFrame) -> list[str]:
        """The columns of ``name`` that later steps read: row, links, referenced columns."""
        referenced = {
            column
            for spec in self.contract
            for target, column in spec.references.values()
            if target == name
        }
        return [c for c in frame.columns if c == ROW or c in LINK_COLUMNS or c in referenced]

    def _table(self, name: str) -> pl.DataFrame | None:
        """Table ``name`` as its references are checked against: final, else just parsed."""
        if not self.parse(name):
            return None
        return self.final.get(name, self.parsed.get(name))

    def _without_orphans(self, spec: TableContract, frame: pl.DataFrame) -> pl.DataFrame:
        """``frame`` without the rows naming a case, plan, ... that is not there.

        Each such row is a problem and joins the table's excluded rows.
        """
        for column, (target, target_col) in spec.references.items():
            if column not in frame.columns:
                continue
            target_frame = self._table(target)
            if target_frame is None:
                continue
            known = target_frame.get_column(target_col)
            orphan = frame.filter(~pl.col(column).is_in(known.implode()))
            if not orphan.height:
                continue
            problem = self._orphan_problem(column, target, target_col)
            self.orphans.append(_problem_rows(orphan, spec.name, column, problem))
            links = [c for c in self.bad[spec.name].columns if c in orphan.columns]
            self.bad[spec.name] = pl.concat(
                [self.bad[spec.name], orphan.select(links)], how="diagonal_relaxed"
            )
            frame = frame.filter(pl.col(column).is_in(known.implode()))
        return frame

    def _orphan_problem(self, column: str, target: str, target_col: str) -> pl.Expr:
        """The problem of a row whose ``column`` names a ``target`` record that is not there."""
        if target == "cases":
            return (
                pl.when(pl.col(column).is_in(self._excluded_cases().implode()))
                .then(pl.lit("belongs to an excluded case (its cases row has a problem)"))
                .otherwise(
                    pl.format(
                        "names case {}, which is not in the cases table; add the case or "
                        "correct the case_id",
                        pl.col(column),
                    )
                )
            )
        excluded_targets = self.bad.get(target)
        gone = (
            excluded_targets.get_column(target_col)
            if excluded_targets is not None and target_col in excluded_targets.columns
            else pl.Series([], dtype=pl.Utf8)
        )
        return (
            pl.when(pl.col(column).is_in(gone.implode()))
            .then(pl.format("belongs to an excluded {} row", pl.lit(target)))
            .otherwise(
                pl.format(
                    "names {} {}, which is not in the {} table; correct it",
                    pl.lit(target_col),
                    pl.col(column),
                    pl.lit(target),
                )
            )
        )

    def _excluded_cases(self) -> pl.Series:
        """The case ids of excluded cases rows that no valid row has."""
        if self.excluded is None:
            valid = self._table("cases").get_column("case_id")
            bad = self.bad["cases"]
            ids = bad.get_column("case_id").drop_nulls() if "case_id" in bad.columns else None
            self.excluded = (
                ids.filter(~ids.is_in(valid.implode()))
                if ids is not None
                else pl.Series("case_id", [], dtype=pl.Utf8)
            )
        return self.excluded

    def loaded(self, reader: str) -> LoadedExport:
        """The export as loaded: every table finished, the problems in table and row order."""
        contract = self.contract
        parts = [self.problems[spec.name] for spec in contract if spec.name in self.problems]
        work = pl.concat(parts) if parts else pl.DataFrame(schema=_WORK_SCHEMA)
        if self.orphans:
            work = pl.concat([work, *[e.cast(_WORK_SCHEMA) for e in self.orphans]])
        hints = [h for spec in contract for h in self.hints.get(spec.name, [])]
        hints += table_hints(self.raw, contract, self.profile, set(self.final))
        valid_cases = self.final["cases"].get_column("case_id")
        quarantine = _quarantine_cases(self.final, self.bad, contract, valid_cases)
        problem_frame = _with_actions(work)
        dropped = _dropped_values(self.final, problem_frame, contract)
        order = {spec.name: i for i, spec in enumerate(contract)}
        position = pl.col("table").replace_strict(order, default=99, return_dtype=pl.Int64)
        problem_frame = (
            problem_frame.with_columns(position.alias("__o"))
            .sort(["__o", "row", "column"], nulls_last=False)
            .drop("__o")
            .unique(maintain_order=True)
        )
        return LoadedExport(
            tables={name: self.emptied.get(name, frame) for name, frame in self.final.items()},
            problems=problem_frame,
            quarantine=quarantine,
            sources=self.sources,
            rows_read=self.rows_read,
            fingerprint=self.raw.fingerprint,
            description=self.raw.description,
            reader=reader,
            columns=self.columns,
            dropped=dropped,
            hints=hints,
            copied=set(self.emptied),
        )


def _no_cases_table(raw: RawExport, name: str) -> str:
    """The sentence for an export without its required ``name`` table."""
    if not raw.tables:
        return (
            f"The export {raw.description} has no files or tables at all, so no {name} table; "
            f"put the export's files there ({name}.csv, ...) or give the right folder."
        )
    found = ", ".join(sorted(raw.tables))
    return (
        f"The export {raw.description} has no {name} table (found: {found}); "
        f"{missing_table_fix(raw, name)}."
    )


def _with_actions(work: pl.DataFrame) -> pl.DataFrame:
    """The input problems with their ``action``.

    Every problem of a row that is excluded for any reason is ``row_excluded``;
    a problem of a row that is kept only dropped its value.
    """
    excluded = (
        work.filter(pl.col(EXCLUDES))
        .select("table", "row")
        .unique()
        .with_columns(pl.lit(True).alias("__gone"))
    )
    return (
        work.join(excluded, on=["table", "row"], how="left", nulls_equal=True)
        .with_columns(
            pl.when(pl.col("__gone"))
            .then(pl.lit(ROW_EXCLUDED))
            .otherwise(pl.lit(VALUE_DROPPED))
            .alias("action")
        )
        .select(list(PROBLEM_SCHEMA))
        .cast(PROBLEM_SCHEMA)
    )


def _match_headers(
    raw: RawTable, spec: TableContract, columns: dict[str, ColumnSpec], profile: MappingProfile
) -> dict[str, str]:
    """canonical column -> raw column name, per the profile and the canonical names."""
    mapping = profile.table(spec.name)
    matched: dict[str, str] = {}
    for raw_name in raw.frame.columns:
        if raw_name == ROW:
            continue
        header = raw_name.split("\0")[0]
        key = norm(header)
        canonical = mapping.columns.get(key, key if key in columns else None)
        if canonical is None:
            continue
        if canonical not in columns:
            raise ExportError(
                f"The mapping profile maps {header!r} of {raw.source} to {canonical!r}, which is "
                f"not a column of {spec.name} (columns: {', '.join(columns)})."
            )
        if canonical in matched:
            first = matched[canonical].split("\0")[0]
            raise ExportError(
                f"In {raw.source}, the columns {first!r} and {header!r} both match {canonical}; "
                "remove or rename one of them (or map only one in the mapping profile)."
            )
        matched[canonical] = raw_name
    for column in columns.values():
        if column.required and column.name not in matched:
            fix = missing_column_fix(raw, spec.name, column.name, columns, mapping)
            raise ExportError(
                f"{raw.source} has no {column.name} column, which the {spec.name} table needs; "
                f"{fix}."
            )
    return matched


def _a(word: str) -> str:
    """``word`` with its indefinite article ("a case_id", "an author")."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _parse_table(
    raw: RawTable,
    spec: TableContract,
    columns: dict[str, ColumnSpec],
    profile: MappingProfile,
    today: dt.date,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """One table parsed: its kept rows, its problems, and the link columns of excluded rows.

    A problem in a required column, in ``completed_date``, a duplicate id, an
    end date before the start date and a ragged line exclude the row; a
    problem in another optional column nulls the value and keeps the row.
    """
    matched = _match_headers(raw, spec, columns, profile)
    mapping = profile.table(spec.name)
    frame = without_blank_rows(raw.frame)  # a database or Parquet file may have them
    if frame.height != raw.frame.height:
        raw = RawTable(raw.name, raw.source, frame, raw.problems)
    schema = raw.frame.schema
    happened = set(spec.happened_dates())
    values: list[pl.Expr] = [pl.col(ROW)]
    errors: list[tuple[str, pl.Expr]] = []
    for name, raw_name in matched.items():
        column = columns[name]
        src = pl.col(raw_name)
        dtype = schema[raw_name]
        if column.kind in ("bool", "int") and mapping.values.get(name):
            src, dtype = recode(src, mapping.values[name]), pl.Utf8
        if column.kind == "date":
            fmt = (
                mapping.date_format.get(name) or mapping.date_format.get("*") or profile.date_format
            )
            value, error = parse_date(src, dtype, fmt)
        elif column.kind == "bool":
            value, error = parse_bool(src, dtype)
        elif column.kind == "int":
            value, error = parse_int(src, dtype, column.choices)
        elif column.kind == "enum":
            value, error = parse_enum(src, column.choices, mapping.values.get(name))
        else:
            codes = mapping.values.get(name)
            value, error = parse_text(src, na_is_null=name in NA_IS_NULL_TEXT)
            if _text_kept_as_is(raw.frame, raw_name, name in NA_IS_NULL_TEXT):
                value = src  # the same values, without a copy of the text
            if codes:
                value = value.replace(codes)
        if column.kind != "str" and schema[raw_name] in (pl.Utf8, pl.String):
            value, error = _on_distinct(raw.frame, raw_name, value, error)
        if column.required:
            error = pl.coalesce(
                error,
                pl.when(value.is_null()).then(
                    pl.lit(f"is blank, but every {spec.name} row needs {_a(name)}")
                ),
            )
        if column.kind == "date" and name in happened:
            error = pl.coalesce(
                error,
                pl.when(value > pl.lit(today)).then(
                    pl.lit(f"is after today ({today:%d/%m/%Y}): it cannot have happened yet")
                ),
            )
        if not _excludes(column):
            value = pl.when(error.is_null()).then(value)  # a dropped value is null
        values.append(value.alias(name))
        errors.append((name, error.alias(f"__err__{name}")))
    parsed = _select_in_parts(raw.frame, [*values, *(e for _, e in errors)])

    def with_raw(mask: pl.Series, name: str) -> pl.DataFrame:
        """The parsed rows of ``mask`` with the raw text of ``name`` (read for these rows only)."""
        text = raw.frame.filter(mask).select(pl.col(matched[name]).cast(pl.Utf8).alias("__raw__"))
        return pl.concat([parsed.filter(mask), text], how="horizontal")

    found: list[pl.DataFrame] = []
    for name, _ in errors:
        mask = parsed.get_column(f"__err__{name}").is_not_null()
        if mask.any():
            found.append(
                with_raw(mask, name).select(
                    pl.lit(spec.name).alias("table"),
                    pl.col(ROW).alias("row"),
                    pl.lit(name).alias("column"),
                    pl.col("__raw__").alias("value"),
                    pl.col(f"__err__{name}").alias("problem"),
                    pl.lit(_excludes(columns[name])).alias(EXCLUDES),
                )
            )
    if spec.name == "cases" and "end_date" in matched:
        mask = (parsed.get_column("end_date") < parsed.get_column("start_date")).fill_null(False)
        if mask.any():
            found.append(
                with_raw(mask, "end_date").select(
                    pl.lit(spec.name).alias("table"),
                    pl.col(ROW).alias("row"),
                    pl.lit("end_date").alias("column"),
                    pl.col("__raw__").alias("value"),
                    pl.lit("is before the case's start_date; correct one of the two dates").alias(
                        "problem"
                    ),
                    pl.lit(True).alias(EXCLUDES),
                )
            )
    if spec.id_column and spec.id_column in matched and _may_repeat(parsed, spec.id_column):
        idc = spec.id_column
        first = parsed.select(pl.col(idc), pl.col(ROW)).filter(pl.col(idc).is_not_null())
        dup = first.filter(~pl.col(idc).is_first_distinct())
        if dup.height:
            firsts = first.group_by(idc).agg(pl.col(ROW).min().alias("__first"))
            dup = dup.join(firsts, on=idc, how="left")
            found.append(
                dup.select(
                    pl.lit(spec.name).alias("table"),
                    pl.col(ROW).alias("row"),
                    pl.lit(idc).alias("column"),
                    pl.col(idc).alias("value"),
                    pl.format(
                        "repeats the {} of row {}, which is used; remove or renumber this row",
                        pl.lit(idc),
                        pl.col("__first"),
                    ).alias("problem"),
                    pl.lit(True).alias(EXCLUDES),
                )
            )
    if raw.problems:
        found.append(
            pl.DataFrame(
                [
                    {
                        "table": spec.name,
                        "row": ragged["row"],
                        "column": None,
                        "value": ragged["value"],
                        "problem": ragged["problem"],
                        EXCLUDES: True,
                    }
                    for ragged in raw.problems
                ],
                schema=_WORK_SCHEMA,
            )
        )
    problems = (
        pl.concat([f.cast(_WORK_SCHEMA) for f in found])
        if found
        else pl.DataFrame(schema=_WORK_SCHEMA)
    )
    bad_rows = problems.filter(pl.col(EXCLUDES)).get_column("row").unique()
    valid = parsed.select(pl.col(ROW), *(pl.col(n) for n in matched)).filter(
        ~pl.col(ROW).is_in(bad_rows.implode())
    )
    valid, extra = _validate_contract(valid, spec, columns, matched)
    if extra.height:
        problems = pl.concat([problems, extra])
        valid = valid.filter(~pl.col(ROW).is_in(extra.get_column("row").implode()))
        bad_rows = problems.filter(pl.col(EXCLUDES)).get_column("row").unique()
    links = [c for c in LINK_COLUMNS if c in matched]
    bad = parsed.filter(pl.col(ROW).is_in(bad_rows.implode())).select(ROW, *links)
    if raw.problems and links:
        ragged_links = pl.DataFrame(
            [
                {
                    ROW: r["row"],
                    **{
                        n: (r.get("fields", {}).get(matched[n]) or "").strip() or None
                        for n in links
                    },
                }
                for r in raw.problems
            ],
            schema={ROW: pl.Int64, **{n: pl.Utf8 for n in links}},
        )
        bad = pl.concat([bad, ragged_links], how="diagonal_relaxed")
    return valid, problems, bad


LARGE_TEXT_BYTES = 1 << 26
"""A text column this large is looked at before it is trimmed: trimming copies it."""


def _text_kept_as_is(frame: pl.DataFrame, raw_name: str, na_is_null: bool) -> bool:
    """Whether text column ``raw_name`` is large and parses to itself (:func:`text_is_clean`).

    A narrative column of a national export is gigabytes; when none of its values
    needs trimming or blanking, the parsed column shares the read one's memory.
    """
    values = frame.get_column(raw_name)
    if values.dtype not in (pl.Utf8, pl.String) or values.estimated_size() < LARGE_TEXT_BYTES:
        return False
    return text_is_clean(values, na_is_null)


DISTINCT_SHARE = 0.5
"""A typed text column is parsed value by distinct value when they are at most this share."""


PARSE_PART_ROWS = 1_000_000
"""Rows parsed at a time. A national export's assessments (7.5 million rows) parse in
parts that stay parts, so loading can hand each to DuckDB and free it in turn."""


def _select_in_parts(frame: pl.DataFrame, exprs: list[pl.Expr]) -> pl.DataFrame:
    """``frame.select(*exprs)``, about :data:`PARSE_PART_ROWS` rows at a time.

    The expressions must work row by row (parsing does). Selected at once, a column
    computed whole (an error column) would make polars copy every other column into
    one chunk to match it. A part is whole chunks of ``frame`` where it has them (a
    CSV piece, a Parquet row group), and each part's columns are lined up
    (:func:`~sqs_checks.chunks.chunks_aligned`), so that the parts stay parts.
    """
    import polars as pl

    if frame.height <= PARSE_PART_ROWS:
        return frame.select(*exprs)
    parts = []
    for start, length in _part_bounds(frame):
        parts.append(chunks_aligned(frame.slice(start, length).select(*exprs)))
    return pl.concat(parts, rechunk=False)


def _part_bounds(frame: pl.DataFrame) -> list[tuple[int, int]]:
    """(start, rows) of consecutive parts of ``frame``: its chunks
    (:func:`~sqs_checks.chunks.chunk_lengths`) put together up to :data:`PARSE_PART_ROWS`
    rows, else that many rows each."""
    lengths = chunk_lengths(frame)
    if lengths is None:
        lengths = [PARSE_PART_ROWS] * -(-frame.height // PARSE_PART_ROWS)
    bounds: list[tuple[int, int]] = []
    start, rows = 0, 0
    for length in lengths:
        if rows and rows + length > PARSE_PART_ROWS:
            bounds.append((start, rows))
            start, rows = start + rows, 0
        rows += length
    if rows:
        bounds.append((start, min(rows, frame.height - start)))
    return bounds


def _on_distinct(
    frame: pl.DataFrame, raw_name: str, value: pl.Expr, error: pl.Expr
) -> tuple[pl.Expr, pl.Expr]:
    """``value`` and ``error`` computed once per distinct text, then looked up per row.

    Dates, yes/no flags, numbers and codes repeat a few thousand values over
    millions of rows: parsing each distinct text once is the same answer,
    many times faster. The expressions must depend on ``raw_name`` alone, and
    a missing value must parse to (null, null).
    """
    distinct = frame.select(pl.col(raw_name).drop_nulls().unique())
    if distinct.height > DISTINCT_SHARE * frame.height:
        return value, error
    table = distinct.select(pl.col(raw_name), value.alias("__v"), error.alias("__e"))
    keys, values, errors = table.get_column(raw_name), table["__v"], table["__e"]
    source = pl.col(raw_name)
    return (
        source.replace_strict(keys, values, default=None, return_dtype=values.dtype),
        source.replace_strict(keys, errors, default=None, return_dtype=pl.Utf8),
    )


def _may_repeat(frame: pl.DataFrame, column: str) -> bool:
    """Whether ``column`` may hold a value twice: as many distinct hashes as values says no.

    A hash collision can only lower the distinct count, so "no" is certain; a
    "maybe" is settled by the exact (slower) search for repeats.
    """
    values = frame.select(
        pl.col(column).drop_nulls().hash().n_unique().alias("distinct"),
        pl.col(column).drop_nulls().len().alias("values"),
    ).row(0)
    return values[0] < values[1]


def _excludes(column: ColumnSpec) -> bool:
    """Whether a bad value in ``column`` excludes its row (else only the value is dropped)."""
    return column.required or column.name in EXCLUDING_OPTIONAL


def _a(word: str) -> str:
    """``word`` with its indefinite article ("an author", "a case_id")."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def _validate_contract(
    frame: pl.DataFrame,
    spec: TableContract,
    columns: dict[str, ColumnSpec],
    matched: dict[str, str],
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Validate the parsed rows against the pandera model (the contract's gate).

    The parser already quarantines what the rules catch, so this normally
    finds nothing; anything it does find is quarantined too.
    """
    import pandera.polars as pa

    schema = spec.schema
    present = {name: col for name, col in schema.columns.items() if name in matched}
    schema = schema.remove_columns([n for n in schema.columns if n not in present])
    schema = schema.update_columns({n: {"unique": False} for n in present})
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        if "index" not in cases.columns:
            return frame, pl.DataFrame(schema=_WORK_SCHEMA)
        cases = cases.filter(pl.col("index").is_not_null())
        rows = frame.get_column(ROW)
        extra = pl.DataFrame(
            {
                "table": [spec.name] * cases.height,
                "row": [rows[int(i)] for i in cases.get_column("index")],
                "column": cases.get_column("column").cast(pl.Utf8).to_list(),
                "value": cases.get_column("failure_case").cast(pl.Utf8).to_list(),
                "problem": [f"fails the contract check {c}" for c in cases.get_column("check")],
                EXCLUDES: [True] * cases.height,
            },
            schema=_WORK_SCHEMA,
        )
        return frame, extra
    return frame, pl.DataFrame(schema=_WORK_SCHEMA)


def _problem_rows(frame: pl.DataFrame, table: str, column: str, problem: pl.Expr) -> pl.DataFrame:
    """Problems excluding the rows of ``frame`` (orphans)."""
    return frame.select(
        pl.lit(table).alias("table"),
        pl.col(ROW).alias("row"),
        pl.lit(column).alias("column"),
        pl.col(column).cast(pl.Utf8).alias("value"),
        problem.alias("problem"),
        pl.lit(True).alias(EXCLUDES),
    )


def _quarantine_cases(
    tables: dict[str, pl.DataFrame],
    bad: dict[str, pl.DataFrame],
    contract: Contract,
    valid_cases: pl.Series,
) -> pl.DataFrame:
    """table, row, case_id for every quarantined row that belongs to a known case."""
    cases = tables["cases"].select("case_id", "child_id")
    parts: list[pl.DataFrame] = []
    all_plans = None
    if "plans" in tables:
        all_plans = pl.concat(
            [tables["plans"].select(ROW, "plan_id", "case_id"), bad["plans"]],
            how="diagonal_relaxed",
        )
        if "case_id" in all_plans.columns and "plan_id" in all_plans.columns:
            all_plans = (
                all_plans.sort(ROW).unique("plan_id", keep="first").select("plan_id", "case_id")
            )
        else:
            all_plans = None
    for spec in contract:
        rows = bad.get(spec.name)
        if rows is None or rows.height == 0:
            continue
        linked = _link_to_cases(rows, spec.case_link, all_plans, cases)
        if linked is None:
            continue
        linked = linked.filter(pl.col("case_id").is_in(valid_cases.implode()))
        parts.append(
            linked.select(
                pl.lit(spec.name).alias("table"), pl.col(ROW).cast(pl.Int64).alias("row"), "case_id"
            )
        )
    schema = {"table": pl.Utf8, "row": pl.Int64, "case_id": pl.Utf8}
    if not parts:
        return pl.DataFrame(schema=schema)
    return pl.concat([p.cast(schema) for p in parts]).unique(maintain_order=True)


def _link_to_cases(
    rows: pl.DataFrame,
    case_link: str | None,
    plans: pl.DataFrame | None,
    cases: pl.DataFrame,
) -> pl.DataFrame | None:
    """``__row__, case_id`` of ``rows``: by their own case, their plan's, or their child's cases.

    ``plans`` maps plan_id to case_id, ``cases`` child_id to case_id; None when
    the rows cannot be linked (no such link, or the column is missing).
    """
    if case_link == "case_id" and "case_id" in rows.columns:
        return rows.select(ROW, "case_id")
    if case_link == "plan_id" and "plan_id" in rows.columns and plans is not None:
        return rows.select(ROW, "plan_id").join(plans, on="plan_id").select(ROW, "case_id")
    if case_link == "child_id" and "child_id" in rows.columns:
        return rows.select(ROW, "child_id").join(cases, on="child_id").select(ROW, "case_id")
    return None


def _dropped_values(
    tables: dict[str, pl.DataFrame], problems: pl.DataFrame, contract: Contract
) -> pl.DataFrame:
    """table, row, case_id, column, value for each dropped value of a row of a known case."""
    dropped = problems.filter(pl.col("action") == VALUE_DROPPED)
    parts: list[pl.DataFrame] = []
    for spec in contract:
        rows = dropped.filter(pl.col("table") == spec.name)
        if rows.height == 0:
            continue
        frame = tables.get(spec.name)
        plans = tables["plans"].select("plan_id", "case_id") if "plans" in tables else None
        cases = tables["cases"].select("case_id", "child_id")
        links = _link_to_cases(frame, spec.case_link, plans, cases) if frame is not None else None
        if links is None:
            continue
        parts.append(
            rows.join(links.rename({ROW: "row"}), on="row", how="inner").select(
                list(DROPPED_SCHEMA)
            )
        )
    if not parts:
        return pl.DataFrame(schema=DROPPED_SCHEMA)
    return pl.concat([p.cast(DROPPED_SCHEMA) for p in parts])
