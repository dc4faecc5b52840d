"""Working days and bank holidays (SPEC §3), in Python and as DuckDB macros.

Working days are Monday to Friday except the bank holidays of the configured
UK region (default England and Wales, from the ``holidays`` package).

* ``wd_add(d, n)``: the n-th working day after ``d`` (``d`` itself not counted);
* ``wd_sub(d, n)``: the n-th working day before ``d``;
* ``add_months(d, m)``: same day of month, clamped to the month's end;
* ``uk(d)``: ``d`` as ``DD/MM/YYYY`` (for messages).

In SQL the macros read two lists stored as DuckDB variables, so a deadline is
a list lookup, not a join.
"""

from __future__ import annotations

import bisect
import calendar as _cal
import datetime as dt
from functools import cached_property

REGIONS = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}
"""Bank-holiday regions and their ``holidays`` subdivision codes."""

FIRST_YEAR = 1990


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _cal.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def uk(day: dt.date | None) -> str:
    """A date as ``DD/MM/YYYY`` ("" for None)."""
    return day.strftime("%d/%m/%Y") if day else ""


class Calendar:
    """The working-day calendar of a region for the years around the run."""

    def __init__(
        self,
        region: str = "england-and-wales",
        first_year: int = FIRST_YEAR,
        last_year: int | None = None,
    ) -> None:
        if region not in REGIONS:
            from sqs_checks.errors import ConfigError

            raise ConfigError(
                f"Unknown bank-holiday region {region!r} (allowed: {', '.join(REGIONS)})."
            )
        self.region = region
        self.first = dt.date(first_year, 1, 1)
        self.last = dt.date(last_year or dt.date.today().year + 6, 12, 31)

    @cached_property
    def bank_holidays(self) -> set[dt.date]:
        """The region's bank holidays in the calendar's range."""
        import holidays

        years = range(self.first.year, self.last.year + 1)
        return set(holidays.country_holidays("GB", subdiv=REGIONS[self.region], years=years))

    @cached_property
    def working_days(self) -> list[dt.date]:
        """Every working day in the range, in order."""
        days = []
        day = self.first
        one = dt.timedelta(days=1)
        holidays = self.bank_holidays
        while day <= self.last:
            if day.weekday() < 5 and day not in holidays:
                days.append(day)
            day += one
        return days

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day."""
        return day.weekday() < 5 and day not in self.bank_holidays

    def wd_add(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (``day`` not counted)."""
        days = self.working_days
        return days[bisect.bisect_right(days, day) + n - 1]

    def wd_sub(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day before ``day``."""
        days = self.working_days
        return days[bisect.bisect_left(days, day) - n]

    def install(self, con) -> None:
        """Define ``wd_add``, ``wd_sub``, ``add_months`` and ``uk`` on a DuckDB connection.

        ``cum`` lists, for every calendar day of the range, how many working
        days fall on or before it; ``wd_dates`` lists the working days.
        """
        days = self.working_days
        cum: list[int] = []
        count = 0
        index = 0
        day = self.first
        one = dt.timedelta(days=1)
        while day <= self.last:
            if index < len(days) and days[index] == day:
                count += 1
                index += 1
            cum.append(count)
            day += one
        con.execute("SET VARIABLE sqs_wd_dates = $d", {"d": days})
        con.execute("SET VARIABLE sqs_wd_cum = $c", {"c": cum})
        con.execute("SET VARIABLE sqs_wd_first = $f", {"f": self.first})
        con.execute(
            """
            CREATE OR REPLACE MACRO sqs_wd_cum(d) AS
                getvariable('sqs_wd_cum')[date_diff('day', getvariable('sqs_wd_first'), d) + 1];
            CREATE OR REPLACE MACRO wd_add(d, n) AS
                getvariable('sqs_wd_dates')[sqs_wd_cum(d) + n];
            CREATE OR REPLACE MACRO wd_sub(d, n) AS
                getvariable('sqs_wd_dates')[sqs_wd_cum(CAST(d AS DATE) - 1) - n + 1];
            CREATE OR REPLACE MACRO add_months(d, m) AS CAST(d + to_months(m) AS DATE);
            CREATE OR REPLACE MACRO uk(d) AS strftime(d, '%d/%m/%Y');
            """
        )
