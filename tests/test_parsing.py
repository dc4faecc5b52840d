"""Parsing rules of SPEC §2: dates, booleans, enums, null tokens, encodings."""

from __future__ import annotations

import datetime as dt

import polars as pl

from sqs_checks.parsing import parse_bool, parse_date, parse_enum, parse_int, parse_text


def _run(parser, values, *args):
    frame = pl.DataFrame({"v": values}, schema={"v": pl.Utf8})
    value, error = parser(pl.col("v"), *args)
    out = frame.select(value.alias("value"), error.alias("error"))
    return out["value"].to_list(), out["error"].to_list()


def test_dates_iso_uk_spreadsheet_and_datetime():
    values, errors = _run(
        parse_date,
        [
            "2013-03-18",
            "18/03/2013",
            "3/4/2013",
            "41351",
            "2013-03-18 14:22:00",
            "2013-03-18T14:22",
            "18/03/2013 09:30",
            "",
            "NA",
            "n/a",
        ],
        pl.Utf8,
    )
    d = dt.date
    assert values == [
        d(2013, 3, 18),
        d(2013, 3, 18),
        d(2013, 4, 3),
        d(2013, 3, 18),
        d(2013, 3, 18),
        d(2013, 3, 18),
        d(2013, 3, 18),
        None,
        None,
        None,
    ]
    assert errors == [None] * 10


def test_dates_never_us_order_and_bad_values_are_errors():
    values, errors = _run(
        parse_date, ["03/04/2013", "12/25/2013", "31/02/2013", "next week", "3/4/13"], pl.Utf8
    )
    assert values[0] == dt.date(2013, 4, 3)  # 3 April, not 4 March
    assert values[1:] == [None, None, None, None]
    assert errors[1] == "is not a valid calendar date"
    assert errors[2] == "is not a valid calendar date"
    assert "is not a date" in errors[3] and "is not a date" in errors[4]


def test_explicit_date_format_from_profile():
    values, errors = _run(parse_date, ["18.03.2013", "2013-03-18"], pl.Utf8, "%d.%m.%Y")
    assert values == [dt.date(2013, 3, 18), None]
    assert errors[0] is None and "%d.%m.%Y" in errors[1]


def test_booleans():
    values, errors = _run(
        parse_bool, ["true", "FALSE", "Yes", "no", "Y", "n", "1", "0", "", "NULL", "maybe"], pl.Utf8
    )
    assert values == [True, False, True, False, True, False, True, False, None, None, None]
    assert errors[-1] is not None and errors[:-1] == [None] * 10


def test_enums_case_spaces_hyphens_and_local_codes():
    choices = ["low", "medium", "high", "very_high"]
    values, errors = _run(
        parse_enum,
        ["Very High", "very-high", " HIGH ", "H", "None", "extreme"],
        choices,
        {"h": "high"},
    )
    assert values == ["very_high", "very_high", "high", "high", None, None]
    assert errors[:5] == [None] * 5 and "allowed: low, medium, high, very_high" in errors[5]


def test_text_keeps_na_tokens_and_trims():
    values, errors = _run(parse_text, ["  Ann  ", "NA", "", "None"])
    assert values == ["Ann", "NA", None, "None"]
    assert errors == [None] * 4


def test_ints_with_choices():
    values, errors = _run(parse_int, ["1", "2.0", "4", "x", "N/A"], pl.Utf8, (1, 2, 3))
    assert values == [1, 2, None, None, None]
    assert errors[0] is None and errors[1] is None
    assert (
        "is not one of 1, 2, 3" in errors[2] and "whole number" in errors[3] and errors[4] is None
    )
