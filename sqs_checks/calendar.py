"""Working days and bank holidays (SPEC §3), in Python and as DuckDB macros.

Working days are Monday to Friday except the bank holidays of the configured
UK region (default England and Wales, from the ``holidays`` package; the years
1990 to 2050 are read from its table in :mod:`sqs_checks.bank_holiday_table`).

* ``wd_add(d, n)``: the n-th working day after ``d`` (``d`` itself not counted);
* ``wd_sub(d, n)``: the n-th working day before ``d``;
* ``add_months(d, m)``: same day of month, clamped to the month's end;
* ``uk(d)``: ``d`` as ``DD/MM/YYYY`` (for messages).

In SQL the macros call one vectorised function per chunk of rows: a binary
search in the working days of the calendar's range (1990 to a few years
ahead), not a join. A date outside it - a case "started" in 1973 by a typing
slip - is computed one day at a time, with that year's own bank holidays, so
no date a parser accepts gets a wrong or empty deadline.
"""

from __future__ import annotations

import bisect
import calendar as _cal
import datetime as dt
from collections.abc import Callable
from functools import cached_property
from typing import Any

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
        """The region's bank holidays in the calendar's range (from the table of
        :mod:`sqs_checks.bank_holiday_table` where it reaches, else from ``holidays``)."""
        from sqs_checks import bank_holiday_table as table

        first, last = self.first.year, self.last.year
        if table.FIRST_YEAR <= first and last <= table.LAST_YEAR:
            return table.bank_holidays(self.region, first, last)
        return table.from_package(self.region, range(first, last + 1))

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
            from sqs_checks import bank_holiday_table as table

            if table.FIRST_YEAR <= year <= table.LAST_YEAR:
                cached = table.bank_holidays(self.region, year, year)
            else:
                cached = table.from_package(self.region, year)
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

        ``wd_add`` and ``wd_sub`` call one vectorised function per chunk of rows
        (:meth:`vectorised`): a binary search in the working days of the range,
        and for a date outside it (or a count past its end) :meth:`wd_add` or
        :meth:`wd_sub` one date at a time, so every date a parser accepts gets
        its true deadline (SPEC §3, v2). Planning a query that uses them costs
        nothing, unlike constant lists, which the planner would copy into every
        query.
        """
        from duckdb import sqltypes

        for name, forward in (("sqs_wd_add_any", True), ("sqs_wd_sub_any", False)):
            try:
                con.remove_function(name)
            except Exception:  # noqa: BLE001, S110 - not defined yet on this connection
                pass
            con.create_function(
                name,
                self.vectorised(forward=forward),
                [sqltypes.DATE, sqltypes.BIGINT],
                sqltypes.DATE,
                type="arrow",
                null_handling="special",
                side_effects=False,
            )
        con.execute(
            """
            CREATE OR REPLACE MACRO wd_add(d, n) AS
                sqs_wd_add_any(CAST(d AS DATE), CAST(n AS BIGINT));
            CREATE OR REPLACE MACRO wd_sub(d, n) AS
                sqs_wd_sub_any(CAST(d AS DATE), CAST(n AS BIGINT));
            CREATE OR REPLACE MACRO add_months(d, m) AS CAST(d + to_months(m) AS DATE);
            CREATE OR REPLACE MACRO uk(d) AS strftime(d, '%d/%m/%Y');
            """
        )

    def vectorised(self, *, forward: bool) -> Callable[[Any, Any], Any]:
        """``wd_add`` (``forward``) or ``wd_sub`` over Arrow arrays of dates and counts.

        Null in either argument gives null. The answer equals :meth:`wd_add` or
        :meth:`wd_sub` for every row: inside the range it is the same index into
        the working days, outside it the same function is called.
        """
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        epoch = dt.date(1970, 1, 1)
        days = np.array([(d - epoch).days for d in self.working_days], dtype=np.int64)
        first, last = (self.first - epoch).days, (self.last - epoch).days
        one_at_a_time = self.wd_add if forward else self.wd_sub

        def apply(dates: Any, counts: Any) -> Any:
            if isinstance(dates, pa.ChunkedArray):
                dates = dates.combine_chunks()
            if isinstance(counts, pa.ChunkedArray):
                counts = counts.combine_chunks()
            size = len(dates)
            # the values as they lie in memory (a null's slot holds some value, masked below)
            d = _values(dates.cast(pa.int32()), np.int32, size).astype(np.int64)
            n = _values(counts.cast(pa.int64()), np.int64, size)
            null = None
            if dates.null_count or counts.null_count:
                null = np.asarray(pc.or_(pc.is_null(dates), pc.is_null(counts)), dtype=bool)
            if forward:  # bisect_right(days, day) + n - 1
                index = np.searchsorted(days, d, side="right") + n - 1
                ok = (d >= first) & (d <= last)
            else:  # bisect_left(days, day) - n
                index = np.searchsorted(days, d, side="left") - n
                ok = (d > first) & (d <= last)
            ok &= (index >= 0) & (index < len(days))
            if null is not None:
                ok &= ~null
            out = days[np.where(ok, index, 0)]
            if not ok.all():
                elsewhere = ~ok if null is None else ~ok & ~null
                for i in np.flatnonzero(elsewhere):
                    day = epoch + dt.timedelta(days=int(d[i]))
                    out[i] = (one_at_a_time(day, int(n[i])) - epoch).days
            out32 = out.astype(np.int32)
            if null is not None:
                return pa.array(out32, mask=null).cast(pa.date32())
            return pa.Array.from_buffers(pa.date32(), size, [None, pa.py_buffer(out32)])

        return apply


def _values(array: Any, dtype: Any, size: int) -> Any:
    """The values buffer of a fixed-width Arrow array as a NumPy array, without a copy (zeros
    for an array that has no values buffer, which only an all-null array may lack)."""
    import numpy as np

    values = array.buffers()[1]
    if values is None:
        return np.zeros(size, dtype=dtype)
    width = np.dtype(dtype).itemsize
    return np.frombuffer(values, dtype=dtype, count=size, offset=array.offset * width)
