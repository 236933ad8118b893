"""Working days on the 2023 official calendar, including 调休 make-up days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gkcheck.workdays import (
    CalendarRangeError,
    add_workdays,
    deadline_after,
    deadline_before,
    is_workday,
    supported_years,
    workdays_ahead,
    workdays_between,
)

D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2023, 4, 22), False),  # ordinary Saturday
        (D(2023, 4, 23), True),  # Sunday make-up day for Labour Day
        (D(2023, 4, 28), True),
        (D(2023, 4, 29), False),  # Labour Day holiday Apr 29 .. May 3
        (D(2023, 5, 1), False),
        (D(2023, 5, 2), False),  # a Tuesday, but a holiday
        (D(2023, 5, 3), False),
        (D(2023, 5, 4), True),
        (D(2023, 5, 6), True),  # Saturday make-up day
        (D(2023, 5, 7), False),
        (D(2023, 9, 28), True),
        (D(2023, 9, 29), False),  # Mid-Autumn Festival, start of the long holiday
        (D(2023, 10, 2), False),
        (D(2023, 10, 6), False),  # a Friday, still holiday
        (D(2023, 10, 7), True),  # Saturday make-up day
        (D(2023, 10, 8), True),  # Sunday make-up day
        (D(2023, 10, 9), True),
        (D(2023, 6, 22), False),  # Dragon Boat Festival
        (D(2023, 6, 25), True),  # its Sunday make-up day
    ],
)
def test_official_calendar(day: dt.date, working: bool) -> None:
    assert is_workday(day) is working


def test_labour_day_after_deadlines() -> None:
    event = D(2023, 4, 28)  # Friday before the holiday
    assert deadline_after(event, 1) == D(2023, 5, 4)
    assert deadline_after(event, 2) == D(2023, 5, 5)
    assert deadline_after(event, 3) == D(2023, 5, 6)  # make-up Saturday counts
    assert deadline_after(event, 5) == D(2023, 5, 9)
    # Sending during the holiday is on time; no working day has passed.
    assert workdays_between(event, D(2023, 5, 1)) == 0
    assert workdays_between(event, D(2023, 5, 5)) == 2
    assert workdays_between(event, D(2023, 5, 6)) == 3  # late for the 2-day rule


def test_event_on_rest_day_counts_from_next_working_day() -> None:
    # Saturday event: Sunday Apr 23 is a make-up working day, so it is day 1.
    assert deadline_after(D(2023, 4, 22), 2) == D(2023, 4, 24)
    # An event on a holiday: the first working day after the holiday is day 1.
    assert deadline_after(D(2023, 5, 1), 2) == D(2023, 5, 5)
    assert deadline_after(D(2023, 10, 1), 2) == D(2023, 10, 8)


def test_labour_day_plan_deadlines() -> None:
    # Monday after the make-up Saturday: May 6, 5, 4, Apr 28, Apr 27.
    assert deadline_before(D(2023, 5, 8), 5) == D(2023, 4, 27)
    assert workdays_ahead(D(2023, 4, 27), D(2023, 5, 8)) == 5
    assert workdays_ahead(D(2023, 4, 28), D(2023, 5, 8)) == 4
    # Holiday days in between do not count towards the lead time.
    assert workdays_ahead(D(2023, 4, 29), D(2023, 5, 8)) == 3
    # Event on Thursday May 4, right after the holiday: Apr 28, 27, 26, 25, 24.
    assert deadline_before(D(2023, 5, 4), 5) == D(2023, 4, 24)
    # ... but with Sunday Apr 23 as a make-up day, filing then is six days ahead.
    assert workdays_ahead(D(2023, 4, 23), D(2023, 5, 4)) == 6


def test_national_day_deadlines() -> None:
    event = D(2023, 9, 28)  # last working day before the eight-day holiday
    assert deadline_after(event, 1) == D(2023, 10, 7)  # Saturday, make-up
    assert deadline_after(event, 2) == D(2023, 10, 8)  # Sunday, make-up
    assert deadline_after(event, 5) == D(2023, 10, 11)
    assert workdays_between(event, D(2023, 10, 6)) == 0
    assert workdays_between(event, D(2023, 10, 9)) == 3
    assert deadline_before(D(2023, 10, 9), 5) == D(2023, 9, 26)
    assert deadline_before(D(2023, 10, 10), 2) == D(2023, 10, 8)
    assert workdays_ahead(D(2023, 9, 28), D(2023, 10, 9)) == 3


def test_ordinary_weeks() -> None:
    assert deadline_after(D(2023, 4, 18), 2) == D(2023, 4, 20)
    assert deadline_after(D(2023, 6, 8), 2) == D(2023, 6, 12)  # over the weekend
    # Thursday Apr 20: Friday, then the make-up Sunday Apr 23.
    assert deadline_after(D(2023, 4, 20), 2) == D(2023, 4, 23)
    assert deadline_before(D(2023, 4, 17), 5) == D(2023, 4, 10)  # Monday -> Monday
    assert workdays_between(D(2023, 4, 18), D(2023, 4, 18)) == 0
    assert workdays_between(D(2023, 4, 20), D(2023, 4, 17)) == -3
    assert add_workdays(D(2023, 4, 15), 0) == D(2023, 4, 15)


def test_datetimes_are_reduced_to_days() -> None:
    assert deadline_after(dt.datetime(2023, 4, 28, 17, 30), 2) == D(2023, 5, 5)


def test_out_of_range_is_a_clear_error() -> None:
    first, last = supported_years()
    assert first <= 2023 <= last
    with pytest.raises(CalendarRangeError, match=str(last + 1)):
        is_workday(D(last + 1, 3, 1))
    with pytest.raises(CalendarRangeError, match="covers"):
        deadline_after(D(last, 12, 30), 10)
    with pytest.raises(CalendarRangeError):
        workdays_between(D(first - 1, 12, 1), D(first, 1, 5))
    with pytest.raises(ValueError, match="negative"):
        deadline_after(D(2023, 4, 3), -1)


days_2023 = st.dates(min_value=D(2023, 1, 15), max_value=D(2023, 12, 15))


@given(days_2023, st.integers(min_value=1, max_value=10))
def test_deadline_is_the_nth_working_day(event: dt.date, n: int) -> None:
    after = deadline_after(event, n)
    assert is_workday(after)
    assert workdays_between(event, after) == n
    before = deadline_before(event, n)
    assert is_workday(before)
    assert workdays_ahead(before, event) == n


def test_filed_after_a_weekend_event_is_not_zero_days_ahead() -> None:
    # hypothesis found it: Saturday Jun 10 event, plan filed Sunday Jun 11
    assert workdays_ahead(D(2023, 6, 11), D(2023, 6, 10)) == -1
    assert not D(2023, 6, 11) <= deadline_before(D(2023, 6, 10), 0)
    assert workdays_ahead(D(2023, 6, 10), D(2023, 6, 10)) == 0


@given(days_2023, days_2023, st.integers(min_value=0, max_value=6))
@example(D(2023, 6, 10), D(2023, 6, 11), 0)
def test_counts_agree_with_deadlines(event: dt.date, other: dt.date, n: int) -> None:
    if is_workday(other):
        assert (other <= deadline_after(event, n)) == (
            workdays_between(event, other) <= n
        )
    assert (other <= deadline_before(event, n)) == (workdays_ahead(other, event) >= n)


@given(days_2023, days_2023, days_2023)
def test_between_is_additive(a: dt.date, b: dt.date, c: dt.date) -> None:
    assert workdays_between(a, b) + workdays_between(b, c) == workdays_between(a, c)


@given(days_2023, st.integers(min_value=0, max_value=8))
def test_add_then_count_round_trips(day: dt.date, n: int) -> None:
    assert workdays_between(day, add_workdays(day, n)) == n
    assert workdays_ahead(add_workdays(day, -n), day) == n
