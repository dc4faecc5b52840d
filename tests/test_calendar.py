"""Working days with England and Wales bank holidays, in Python and in SQL."""

from __future__ import annotations

import datetime as dt

import pytest

from sqs_checks.calendar import REGIONS, Calendar, add_months
from sqs_checks.engine import connect

D = dt.date


@pytest.fixture(scope="module")
def cal():
    return Calendar(last_year=2030)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2013, 3, 22), 1, D(2013, 3, 25)),  # Friday -> Monday
        (D(2013, 3, 28), 1, D(2013, 4, 2)),  # over Good Friday and Easter Monday
        (D(2013, 3, 30), 1, D(2013, 4, 2)),  # from a Saturday in the Easter weekend
        (D(2013, 3, 11), 15, D(2013, 4, 3)),  # a 15-day deadline across Easter
        (D(2013, 3, 11), 20, D(2013, 4, 10)),  # a referral order's 20 days
        (D(2012, 12, 21), 5, D(2013, 1, 2)),  # Christmas, Boxing Day, New Year's Day
        (D(2013, 3, 18), 0, D(2013, 3, 18)),
    ],
)
def test_wd_add(cal, day, n, expected):
    assert cal.wd_add(day, n) == expected
    con = connect()
    cal.install(con)
    assert con.execute("SELECT wd_add($d, $n)", {"d": day, "n": n}).fetchone()[0] == expected


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2013, 4, 2), 1, D(2013, 3, 28)),
        (D(2013, 4, 15), 10, D(2013, 3, 28)),
        (D(2013, 3, 25), 1, D(2013, 3, 22)),
    ],
)
def test_wd_sub(cal, day, n, expected):
    assert cal.wd_sub(day, n) == expected
    con = connect()
    cal.install(con)
    assert con.execute("SELECT wd_sub($d, $n)", {"d": day, "n": n}).fetchone()[0] == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2013, 1, 31), 1, D(2013, 2, 28)),
        (D(2012, 1, 31), 1, D(2012, 2, 29)),
        (D(2013, 5, 31), -3, D(2013, 2, 28)),
        (D(2013, 3, 18), -6, D(2012, 9, 18)),
        (D(2013, 12, 15), 1, D(2014, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected
    con = connect()
    Calendar(last_year=2015).install(con)
    assert (
        con.execute("SELECT add_months($d, $m)", {"d": day, "m": months}).fetchone()[0] == expected
    )


def test_uk_dates_in_messages():
    con = connect()
    Calendar(last_year=2015).install(con)
    assert con.execute("SELECT uk(DATE '2013-02-04')").fetchone()[0] == "04/02/2013"


def test_unknown_region_is_a_clear_error():
    from sqs_checks.errors import ConfigError

    with pytest.raises(ConfigError, match="allowed: england-and-wales"):
        Calendar("narnia")


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(1973, 12, 21), 1, D(1973, 12, 24)),  # a 1973 start: Friday -> Monday
        (D(1973, 12, 21), 2, D(1973, 12, 27)),  # over Christmas Day and Boxing Day 1973
        (D(1973, 3, 1), 15, D(1973, 3, 22)),
        (D(1989, 12, 29), 1, D(1990, 1, 2)),  # from before the lists into them (New Year)
        (D(2099, 12, 24), 1, D(2099, 12, 29)),  # Christmas 2099 (Fri), Boxing Day moved to Mon
    ],
)
def test_wd_add_outside_the_precomputed_years(day, n, expected):
    """SPEC §3 (v2): any date a parser accepts gets its true deadline, in Python and SQL."""
    cal = Calendar(last_year=2030)
    assert cal.wd_add(day, n) == expected
    con = connect()
    cal.install(con)
    assert con.execute("SELECT wd_add($d, $n)", {"d": day, "n": n}).fetchone()[0] == expected


def test_wd_sub_outside_the_precomputed_years():
    cal = Calendar(last_year=2030)
    con = connect()
    cal.install(con)
    for day, n, expected in [
        (D(1973, 12, 27), 1, D(1973, 12, 24)),
        (D(1990, 1, 2), 1, D(1989, 12, 29)),
        (D(2099, 12, 29), 1, D(2099, 12, 24)),
    ]:
        assert cal.wd_sub(day, n) == expected
        assert con.execute("SELECT wd_sub($d, $n)", {"d": day, "n": n}).fetchone()[0] == expected


def test_slow_path_agrees_with_the_lists_day_by_day():
    """A calendar whose lists start in 2012 computes 2010-2011 one day at a time: same answers."""
    wide, narrow = (
        Calendar(first_year=2005, last_year=2016),
        Calendar(first_year=2012, last_year=2013),
    )
    con = connect()
    narrow.install(con)
    days = [D(2010, 1, 1) + dt.timedelta(days=i) for i in range(0, 365 * 5, 3)]
    for n in (0, 1, 10, 20):
        rows = con.execute(
            "SELECT wd_add(d, $n), wd_sub(d, $n) FROM unnest($days) t(d)", {"n": n, "days": days}
        ).fetchall()
        for day, (added, subtracted) in zip(days, rows, strict=True):
            assert narrow.wd_add(day, n) == wide.wd_add(day, n) == added, (day, n)
            assert narrow.wd_sub(day, n) == wide.wd_sub(day, n) == subtracted, (day, n)


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_the_bank_holiday_table_equals_the_holidays_package(region):
    import holidays

    from sqs_checks import bank_holiday_table as table

    years = range(table.FIRST_YEAR, table.LAST_YEAR + 1)
    package = set(holidays.country_holidays("GB", subdiv=REGIONS[region], years=years))
    assert table.bank_holidays(region, table.FIRST_YEAR, table.LAST_YEAR) == package
    for year in (1990, 2020, 2023, 2050):  # one year at a time, as Calendar reads it
        assert table.bank_holidays(region, year, year) == {d for d in package if d.year == year}


def test_the_bank_holiday_table_is_written_afresh_unchanged():
    from pathlib import Path

    from sqs_checks import bank_holiday_table as table

    assert table.render() == Path(table.__file__).read_text(encoding="utf-8")


def test_years_past_the_table_come_from_the_holidays_package():
    import holidays

    from sqs_checks import bank_holiday_table as table

    beyond = Calendar(last_year=table.LAST_YEAR + 3)
    package = set(
        holidays.country_holidays("GB", subdiv="ENG", years=range(1990, table.LAST_YEAR + 4))
    )
    assert beyond.bank_holidays == package
    assert dt.date(table.LAST_YEAR + 2, 12, 25) in beyond.bank_holidays
    assert beyond.wd_add(dt.date(1985, 12, 24), 1) == dt.date(1985, 12, 27)  # before the table
    with pytest.raises(ValueError, match="not all in the table"):
        table.bank_holidays("scotland", 1989, 1990)


@pytest.mark.parametrize("with_nulls", [False, True])
def test_sql_columns_agree_with_python_row_by_row(with_nulls):
    """Whole columns through the vectorised functions - thousands of rows in several chunks,
    dates inside and outside the lists, nulls in either argument or none - give what the
    Python functions give for each row (null where either argument is null)."""
    cal = Calendar(first_year=2010, last_year=2016)
    con = connect()
    cal.install(con)
    days = [D(2008, 6, 1) + dt.timedelta(days=i) for i in range(0, 3650, 2)] * 3
    counts = [(i * 7) % 23 for i in range(len(days))]
    if with_nulls:
        days = [None if i % 11 == 0 else d for i, d in enumerate(days)]
        counts = [None if i % 13 == 5 else n for i, n in enumerate(counts)]
    rows = con.execute(
        "SELECT wd_add(d, n), wd_sub(d, n) FROM (SELECT unnest($days) AS d, unnest($counts) AS n)",
        {"days": days, "counts": counts},
    ).fetchall()
    assert len(rows) == len(days) > 2048 * 2
    for day, n, (added, subtracted) in zip(days, counts, rows, strict=True):
        if day is None or n is None:
            assert (added, subtracted) == (None, None)
        else:
            assert (added, subtracted) == (cal.wd_add(day, n), cal.wd_sub(day, n)), (day, n)
