"""Working days and bank holidays (SPEC §3), in Python and as DuckDB macros.

Working days are Monday to Friday except the bank holidays of the configured
UK region (default England and Wales, from the ``holidays`` package).

* ``wd_add(d, n)``: the n-th working day after ``d`` (``d`` itself not counted);
* ``wd_sub(d, n)``: the n-th working day before ``d``;
* ``add_months(d, m)``: same day of month, clamped to the month's end;
* ``uk(d)``: ``d`` as ``DD/MM/YYYY`` (for messages).

In SQL the macros read two lists stored as DuckDB variables, so a deadline is
a list lookup, not a join. The lists cover the calendar's range (1990 to a few
years ahead); a date outside it - a case "started" in 1973 by a typing slip -
is computed one day at a time, with that year's own bank holidays, so no date
a parser accepts gets a wrong or empty deadline.
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
        self._other_years: dict[int, set[dt.date]] = {}

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
        """Whether ``day`` is a working day (any year: holidays outside the range are computed)."""
        if self.first <= day <= self.last:
            return day.weekday() < 5 and day not in self.bank_holidays
        return day.weekday() < 5 and day not in self._holidays_of(day.year)

    def _holidays_of(self, year: int) -> set[dt.date]:
        """The region's bank holidays of one year outside the range (computed once)."""
        cached = self._other_years.get(year)
        if cached is None:
            import holidays

            cached = set(holidays.country_holidays("GB", subdiv=REGIONS[self.region], years=year))
            self._other_years[year] = cached
        return cached

    def wd_add(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (``day`` not counted), for any date.

        ``wd_add(day, 0)`` is the last working day on or before ``day``.
        """
        days = self.working_days
        if self.first <= day <= self.last:
            index = bisect.bisect_right(days, day) + n - 1
            if 0 <= index < len(days):
                return days[index]
        return self._step(day, n, forward=True)

    def wd_sub(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day before ``day``, for any date.

        ``wd_sub(day, 0)`` is the first working day on or after ``day``.
        """
        days = self.working_days
        if self.first < day <= self.last:
            index = bisect.bisect_left(days, day) - n
            if 0 <= index < len(days):
                return days[index]
        return self._step(day, n, forward=False)

    def _step(self, day: dt.date, n: int, *, forward: bool) -> dt.date:
        """Count ``n`` working days from ``day`` one day at a time (dates outside the range)."""
        one = dt.timedelta(days=1 if forward else -1)
        if n == 0:  # the nearest working day behind (forward) or ahead of (backward) the day
            while not self.is_working_day(day):
                day -= one
            return day
        count = 0
        while count < n:
            day += one
            if self.is_working_day(day):
                count += 1
        return day

    def install(self, con) -> None:
        """Define ``wd_add``, ``wd_sub``, ``add_months`` and ``uk`` on a DuckDB connection.

        ``cum`` lists, for every calendar day of the range, how many working
        days fall on or before it; ``wd_dates`` lists the working days. A list
        lookup outside the range is null (an index of 0 or past the end), and
        then ``coalesce`` asks :meth:`wd_add` or :meth:`wd_sub` through a
        Python function, so every date a parser accepts gets its true deadline
        (SPEC §3, v2); DuckDB calls it only for those rows. The macros stay
        small on purpose: the planner expands them wherever they are used.
        """
        from duckdb import sqltypes

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
        for name, function in (("sqs_wd_add_any", self.wd_add), ("sqs_wd_sub_any", self.wd_sub)):
            try:
                con.remove_function(name)
            except Exception:  # noqa: BLE001, S110 - not defined yet on this connection
                pass
            con.create_function(
                name,
                function,
                [sqltypes.DATE, sqltypes.BIGINT],
                sqltypes.DATE,
                side_effects=False,
            )
        con.execute(
            """
            CREATE OR REPLACE MACRO sqs_wd_cum(d) AS CASE WHEN d >= getvariable('sqs_wd_first')
                THEN getvariable('sqs_wd_cum')[date_diff('day', getvariable('sqs_wd_first'), d) + 1]
                END;
            CREATE OR REPLACE MACRO wd_add(d, n) AS coalesce(
                getvariable('sqs_wd_dates')[greatest(sqs_wd_cum(CAST(d AS DATE)) + n, 0)],
                sqs_wd_add_any(CAST(d AS DATE), CAST(n AS BIGINT)));
            CREATE OR REPLACE MACRO wd_sub(d, n) AS coalesce(
                getvariable('sqs_wd_dates')[greatest(sqs_wd_cum(CAST(d AS DATE) - 1) - n + 1, 0)],
                sqs_wd_sub_any(CAST(d AS DATE), CAST(n AS BIGINT)));
            CREATE OR REPLACE MACRO add_months(d, m) AS CAST(d + to_months(m) AS DATE);
            CREATE OR REPLACE MACRO uk(d) AS strftime(d, '%d/%m/%Y');
            """
        )
