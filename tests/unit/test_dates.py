"""Calendar arithmetic: months clamp to the month end, windows end on the as-of date, days leave them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from validator.dates import Term, add_months, add_term, leaves_window, window_first

DAYS_90 = Term(days=90)
MONTHS_12 = Term(months=12)


@pytest.mark.parametrize(
    "start,months,expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # February lacks the 31st: its last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # a leap February's last day
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # 29 February steps back to 28 February
        (date(2028, 2, 29), -12, date(2027, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),  # four years on, a leap day again
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # across the year end, forwards
        (date(2026, 1, 15), -1, date(2025, 12, 15)),  # and backwards
        (date(2026, 5, 20), 0, date(2026, 5, 20)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(start, months, expected) -> None:
    assert add_months(start, months) == expected


def test_add_term_adds_days_or_months() -> None:
    assert add_term(date(2026, 4, 10), Term(months=12)) == date(2027, 4, 10)
    assert add_term(date(2028, 2, 29), Term(months=12)) == date(2029, 2, 28)
    assert add_term(date(2026, 12, 31), Term(days=1)) == date(2027, 1, 1)


# windows in days: D-(N-1) .. D
def test_a_days_window_starts_n_minus_1_days_before_the_as_of_date() -> None:
    assert window_first(date(2026, 11, 25), DAYS_90) == date(2026, 8, 28)  # D-89
    assert window_first(date(2026, 11, 25), Term(days=1)) == date(2026, 11, 25)  # just D


def test_a_days_window_across_29_february() -> None:
    assert window_first(date(2028, 3, 1), Term(days=2)) == date(2028, 2, 29)


def test_a_day_leaves_a_days_window_n_days_later() -> None:
    assert leaves_window(date(2026, 11, 15), DAYS_90) == date(2027, 2, 13)  # D-10 drops out on D+80
    last_inside = leaves_window(date(2026, 11, 15), DAYS_90) - timedelta(days=1)
    assert window_first(last_inside, DAYS_90) == date(2026, 11, 15)


# windows in months: the day after the same date N months earlier .. D
@pytest.mark.parametrize(
    "as_of,first",
    [
        (date(2026, 11, 25), date(2025, 11, 26)),
        (date(2028, 2, 28), date(2027, 3, 1)),
        (date(2028, 2, 29), date(2027, 3, 1)),  # 2028-02-29 a year back is 2027-02-28; the day after
        (date(2028, 3, 1), date(2027, 3, 2)),
        (date(2029, 2, 28), date(2028, 2, 29)),  # the leap day is the first day of this trailing year
        (date(2029, 3, 1), date(2028, 3, 2)),
    ],
)
def test_the_trailing_year_starts_the_day_after_the_same_date_a_year_earlier(as_of, first) -> None:
    assert window_first(as_of, MONTHS_12) == first


def test_a_one_month_window_at_a_month_end() -> None:
    assert window_first(date(2027, 3, 31), Term(months=1)) == date(2027, 3, 1)  # 2027-02-28 + 1
    assert window_first(date(2026, 5, 31), Term(months=1)) == date(2026, 5, 1)


@pytest.mark.parametrize(
    "day,leaves",
    [
        (date(2025, 12, 10), date(2026, 12, 10)),
        (date(2027, 2, 28), date(2028, 2, 28)),  # on 2028-02-28 the trailing year starts 2027-03-01
        (date(2027, 3, 1), date(2028, 3, 1)),  # still inside on 2028-02-29, gone on 2028-03-01
        (date(2028, 2, 29), date(2029, 3, 1)),  # still inside on 2029-02-28 (first day 2028-02-29)
    ],
)
def test_a_day_leaves_the_trailing_year_on_the_first_as_of_date_whose_window_starts_after_it(
    day, leaves
) -> None:
    assert window_first(leaves, MONTHS_12) > day
    assert window_first(leaves - timedelta(days=1), MONTHS_12) <= day
    assert leaves_window(day, MONTHS_12) == leaves


@pytest.mark.parametrize("window", [DAYS_90, Term(days=1), Term(months=1), MONTHS_12, Term(months=3)])
def test_leaves_window_agrees_with_window_first_on_every_day_of_two_years(window) -> None:
    start = date(2027, 1, 1)
    for n in range(2 * 366):
        day = start + timedelta(days=n)
        leaves = leaves_window(day, window)
        assert window_first(leaves - timedelta(days=1), window) <= day < window_first(leaves, window), day


@pytest.mark.parametrize("window", [Term(months=1), MONTHS_12])
def test_a_months_window_never_starts_earlier_on_a_later_as_of_date(window) -> None:
    firsts = [window_first(date(2027, 1, 1) + timedelta(days=n), window) for n in range(2 * 366)]
    assert firsts == sorted(firsts)
