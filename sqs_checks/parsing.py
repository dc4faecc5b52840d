"""Parsing rules of SPEC §2 as polars expressions.

Each ``parse_*`` function takes the expression of a raw column and returns a
pair ``(value, error)``: the typed value, and a text expression that is the
problem with that cell (null when the cell is fine). Rules:

* dates: ISO ``YYYY-MM-DD``, UK ``DD/MM/YYYY`` and ``D/M/YYYY`` (never US
  order), spreadsheet serial numbers, date-times (time dropped), or an explicit
  format from the mapping profile;
* booleans: ``true/false``, ``yes/no``, ``y/n``, ``1/0`` in any case;
* enums: any case, spaces and hyphens read as ``_``, local codes mapped first;
* blank cells are null everywhere; ``NA``, ``N/A``, ``NULL``, ``None`` are null
  in date, boolean, number and enum columns and in ``signed_off_by`` and
  ``quality_assured_by``; values are trimmed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import polars as pl

NULL_TOKENS = ["na", "n/a", "null", "none"]
TRUE_WORDS = ["true", "yes", "y", "1"]
FALSE_WORDS = ["false", "no", "n", "0"]
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _text(expr: pl.Expr, null_tokens: bool) -> pl.Expr:
    """Trimmed text; blank (and, optionally, NA-like tokens) as null."""
    s = expr.cast(pl.Utf8).str.strip_chars()
    blank = s == ""
    if null_tokens:
        blank = blank | s.str.to_lowercase().is_in(NULL_TOKENS)
    return pl.when(blank).then(None).otherwise(s)


def parse_text(expr: pl.Expr, na_is_null: bool = False) -> tuple[pl.Expr, pl.Expr]:
    """Text: trimmed, blank as null, never an error.

    With ``na_is_null`` (the sign-off and quality-assurance person columns),
    ``NA``, ``N/A``, ``NULL`` and ``None`` are null too.
    """
    return _text(expr, null_tokens=na_is_null), pl.lit(None, dtype=pl.Utf8)


def text_is_clean(values: pl.Series, na_is_null: bool = False) -> bool:
    """Whether :func:`parse_text` would leave every value of the text ``values`` as it is.

    True when no value starts or ends with white space, none is empty and, with
    ``na_is_null``, none is an NA-like token: the column can then be used as it
    is, without copying its text.
    """
    first, last = values.str.head(1), values.str.tail(1)
    changed = first.str.contains(r"\s") | last.str.contains(r"\s") | (values == "")
    if na_is_null:
        changed = changed | values.str.to_lowercase().is_in(NULL_TOKENS)
    return not changed.any()


def parse_date(
    expr: pl.Expr, dtype: pl.DataType, fmt: str | None = None
) -> tuple[pl.Expr, pl.Expr]:
    """A calendar date from text, a native date, or a date-time."""
    if dtype == pl.Date:
        return expr, pl.lit(None, dtype=pl.Utf8)
    if isinstance(dtype, pl.Datetime):
        return expr.dt.date(), pl.lit(None, dtype=pl.Utf8)
    s = _text(expr, null_tokens=True)
    if fmt:
        value = s.str.strptime(pl.Date, fmt, strict=False)
        hint = f"is not a date in the profile's format {fmt}"
    else:
        day = s.str.replace(r"[T ]\d{1,2}:\d{2}.*$", "")
        iso = pl.when(day.str.contains(r"^\d{4}-\d{1,2}-\d{1,2}$")).then(
            day.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        )
        uk = pl.when(day.str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$")).then(
            day.str.strptime(pl.Date, "%d/%m/%Y", strict=False)
        )
        serial_text = day.str.extract(r"^(\d{5})(?:\.0+)?$", 1)
        serial = pl.when(serial_text.is_not_null()).then(
            pl.lit(_EXCEL_EPOCH) + pl.duration(days=serial_text.cast(pl.Int64, strict=False))
        )
        value = pl.coalesce(iso, uk, serial.cast(pl.Date))
        shaped = day.str.contains(r"^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})$")
        hint = None
        error = (
            pl.when(s.is_not_null() & value.is_null() & shaped)
            .then(pl.lit("is not a valid calendar date"))
            .when(s.is_not_null() & value.is_null())
            .then(pl.lit("is not a date; write it as YYYY-MM-DD or DD/MM/YYYY"))
        )
        return value, error
    error = pl.when(s.is_not_null() & value.is_null()).then(pl.lit(hint))
    return value, error


def parse_bool(expr: pl.Expr, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    """true/false, yes/no, y/n, 1/0 in any case."""
    if dtype == pl.Boolean:
        return expr, pl.lit(None, dtype=pl.Utf8)
    s = _text(expr, null_tokens=True).str.to_lowercase()
    value = pl.when(s.is_in(TRUE_WORDS)).then(True).when(s.is_in(FALSE_WORDS)).then(False)
    error = pl.when(s.is_not_null() & value.is_null()).then(
        pl.lit("is not a yes/no value; use true/false, yes/no, y/n or 1/0")
    )
    return value.cast(pl.Boolean), error


def parse_int(
    expr: pl.Expr, dtype: pl.DataType, choices: Sequence[int] = ()
) -> tuple[pl.Expr, pl.Expr]:
    """A whole number (optionally one of ``choices``)."""
    if dtype.is_integer():
        value = expr.cast(pl.Int64)
        error = pl.lit(None, dtype=pl.Utf8)
    else:
        s = _text(expr, null_tokens=True)
        number = s.str.replace(r"\.0+$", "")
        value = number.cast(pl.Int64, strict=False)
        error = pl.when(s.is_not_null() & value.is_null()).then(pl.lit("is not a whole number"))
    if choices:
        allowed = ", ".join(str(c) for c in choices)
        error = pl.coalesce(
            error,
            pl.when(value.is_not_null() & ~value.is_in(list(choices))).then(
                pl.lit(f"is not one of {allowed}")
            ),
        )
        value = pl.when(value.is_in(list(choices))).then(value)
    return value, error


def normalise_code(expr: pl.Expr) -> pl.Expr:
    """Lower case, spaces and hyphens as ``_``."""
    return expr.str.to_lowercase().str.replace_all(r"[\s\-]+", "_")


def parse_enum(
    expr: pl.Expr, choices: Sequence[str], local_codes: Mapping[str, str] | None = None
) -> tuple[pl.Expr, pl.Expr]:
    """One of ``choices``, after mapping local codes (matched case-insensitively)."""
    s = _text(expr, null_tokens=True)
    if local_codes:
        keys = list(local_codes)
        mapped = s.str.to_lowercase().replace_strict(
            keys, [local_codes[k] for k in keys], default=s, return_dtype=pl.Utf8
        )
    else:
        mapped = s
    code = normalise_code(mapped)
    value = pl.when(code.is_in(list(choices))).then(code)
    allowed = ", ".join(choices)
    error = pl.when(s.is_not_null() & value.is_null()).then(
        pl.lit(f"is not a known value (allowed: {allowed})")
    )
    return value, error
