"""Working days and months of SPEC §3, on date ordinals.

Kept apart from :mod:`sqs_checks.calendar` on purpose: the generator and its
evaluator compute deadlines on their own, so that they check the engine rather than
repeat it.
"""

from __future__ import annotations

import bisect
import calendar as _stdcal
from datetime import date
from functools import lru_cache

import holidays


class WorkingDays:
    """Working days (Mon-Fri less England and Wales bank holidays) as date ordinals."""

    def __init__(self, first_year: int, last_year: int) -> None:
        bank = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
        hol = {d.toordinal() for d in bank}
        lo = date(first_year, 1, 1).toordinal()
        hi = date(last_year, 12, 31).toordinal()
        # date.fromordinal(1) is a Monday, so (o - 1) % 7 is the weekday.
        self.days = [o for o in range(lo, hi + 1) if (o - 1) % 7 < 5 and o not in hol]

    def add(self, d: int, n: int) -> int:
        """``wd_add``: the n-th working day after d (d not counted); n = 0 gives d."""
        if n == 0:
            return d
        return self.days[bisect.bisect_right(self.days, d) + n - 1]

    def sub(self, d: int, n: int) -> int:
        """``wd_sub``: the n-th working day before d; n = 0 gives d."""
        if n == 0:
            return d
        return self.days[bisect.bisect_left(self.days, d) - n]

    def next_on_or_after(self, d: int) -> int:
        """The first working day on or after d."""
        return self.days[bisect.bisect_left(self.days, d)]

    def between(self, lo: int, hi: int) -> list[int]:
        """The working days after ``lo`` and on or before ``hi``."""
        days = self.days
        return days[bisect.bisect_right(days, lo) : bisect.bisect_right(days, hi)]


@lru_cache(maxsize=65536)
def add_months(d: int, months: int) -> int:
    """SPEC §3 ``add_months`` on date ordinals (day clamped to the month's end)."""
    x = date.fromordinal(d)
    years, month0 = divmod(x.month - 1 + months, 12)
    year = x.year + years
    day = min(x.day, _stdcal.monthrange(year, month0 + 1)[1])
    return date(year, month0 + 1, day).toordinal()
