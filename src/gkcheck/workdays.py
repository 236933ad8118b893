"""Working-day arithmetic on China's official calendar.

The notice sets its deadlines in working days (工作日): the plan is filed 5 working days
before the event, photos and text reach the column within 2 working days after it, and
the summary report within 5. A working day is what the State Council calendar says it
is, so 调休 make-up days (2023-04-23 Sunday, 2023-05-06 Saturday, 2023-10-07 Saturday,
2023-10-08 Sunday) count and statutory holidays on weekdays do not. The calendar comes
from the ``chinese_calendar`` package; dates it has no data for raise
:class:`CalendarRangeError` instead of being guessed, because a guessed calendar would
silently produce wrong deadlines around holidays.

Convention (the way a clerk counts)
-----------------------------------
The event day is day 0, whatever kind of day it is. "Within *n* working days after"
means: the *n*-th working day after the event day is the last day on time. "*n* working
days before" means: the *n*-th working day before the event day is the last day on
time. The deadline itself is therefore always a working day; a submission on a rest day
that follows the deadline is late, because the office's stated deadline has passed.

* Event Friday 2023-04-28, 2 working days after: Apr 29 to May 3 are the Labour Day
  holiday, so day 1 is Thu May 4 and day 2 is Fri May 5 -> deadline 2023-05-05. With 5
  working days: May 4, 5, **Sat May 6 (make-up)**, Mon May 8, Tue May 9 -> 2023-05-09.
* Event Monday 2023-05-08, plan 5 working days before: Sat May 6 (make-up), Fri May 5,
  Thu May 4, Fri Apr 28, Thu Apr 27 -> file on or before 2023-04-27.
* Event Thursday 2023-09-28, 2 working days after: Sep 29 to Oct 6 are the Mid-Autumn
  and National Day holiday, so **Sat Oct 7** and **Sun Oct 8** (make-up) are days 1 and
  2 -> deadline 2023-10-08, a Sunday.
* Event Monday 2023-10-09, plan 5 working days before: Oct 8, Oct 7, Sep 28, Sep 27,
  Sep 26 -> file on or before 2023-09-26.

:func:`workdays_between` counts elapsed working days in the half-open interval
``(a, b]``; it is what messages quote ("sent 3 working days after the event"). For
a working-day ``b`` it agrees with the deadlines exactly: ``b <= deadline_after(e, n)``
iff ``workdays_between(e, b) <= n``. :func:`workdays_ahead` is the matching count for
plans.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import chinese_calendar
from chinese_calendar import constants as _cc_constants

from gkcheck.catalogue import Msg

__all__ = [
    "CalendarRangeError",
    "add_workdays",
    "deadline_after",
    "deadline_before",
    "is_workday",
    "supported_years",
    "workdays_ahead",
    "workdays_between",
]


class CalendarRangeError(ValueError):
    """The official calendar for this date is not known to the installed package."""

    def __init__(self, day: dt.date) -> None:
        first, last = supported_years()
        self.day = day
        self.words = Msg(
            "common",
            "no_calendar",
            {
                "day": day.isoformat(),
                "version": getattr(chinese_calendar, "__version__", ""),
                "first": first,
                "last": last,
            },
        )
        super().__init__(self.words.text("en"))


@cache
def supported_years() -> tuple[int, int]:
    """First and last year the installed calendar data covers."""
    years = [d.year for d in _cc_constants.holidays]
    return min(years), max(years)


def _as_date(day: dt.date) -> dt.date:
    # datetime is a subclass of date; drop the clock so comparisons are by day.
    if isinstance(day, dt.datetime):
        return day.date()
    return day


def is_workday(day: dt.date) -> bool:
    """Whether ``day`` is an official working day (make-up days included)."""
    day = _as_date(day)
    first, last = supported_years()
    if not first <= day.year <= last:
        raise CalendarRangeError(day)
    return _is_workday(day)


@cache
def _is_workday(day: dt.date) -> bool:
    # The package re-validates its whole table on every call; counting a season of
    # days one by one would be slow without the memo.
    return bool(chinese_calendar.is_workday(day))


def add_workdays(day: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``day`` (before it if ``n`` is negative).

    ``day`` itself is never counted, so ``add_workdays(d, 1)`` is the next working day
    even when ``d`` is one; ``n == 0`` returns ``day`` unchanged.
    """
    day = _as_date(day)
    if n == 0:
        is_workday(day)  # range check, so every call validates its input alike
        return day
    step = dt.timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    current = day
    while remaining:
        current = current + step
        if is_workday(current):
            remaining -= 1
    return current


def workdays_between(a: dt.date, b: dt.date) -> int:
    """Working days strictly after ``a`` up to and including ``b``.

    Negative when ``b`` is before ``a`` (``-workdays_between(b, a)``), zero when equal.
    """
    a, b = _as_date(a), _as_date(b)
    if b < a:
        return -workdays_between(b, a)
    is_workday(a)
    count = 0
    current = a
    one = dt.timedelta(days=1)
    while current < b:
        current += one
        if is_workday(current):
            count += 1
    return count


def workdays_ahead(filed: dt.date, event: dt.date) -> int:
    """Working days from ``filed`` (inclusive) to ``event`` (exclusive).

    This is how far ahead a plan was filed in the notice's sense:
    ``filed <= deadline_before(event, n)`` iff ``workdays_ahead(filed, event) >= n``, for every
    n >= 0. Zero when filed on the event day, negative when filed after it -- at most -1 even
    when only rest days lie between (a plan filed on the Sunday after a Saturday event is not
    "0 working days ahead": with n = 0 that would have read as on time).
    """
    filed, event = _as_date(filed), _as_date(event)
    one = dt.timedelta(days=1)
    ahead = workdays_between(filed - one, event - one)
    return min(ahead, -1) if filed > event else ahead


def deadline_after(event: dt.date, n: int) -> dt.date:
    """Last date still "within ``n`` working days after" ``event``: the n-th one."""
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    return add_workdays(event, n)


def deadline_before(event: dt.date, n: int) -> dt.date:
    """Latest date a plan may be filed to be ``n`` working days ahead of ``event``."""
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    return add_workdays(event, -n)
