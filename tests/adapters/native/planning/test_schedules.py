"""The calendar of repeating-invoice schedules: occurrences without drift, due dates of every DueDateType."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters.native.resources import schedules

D = dt.date


def test_monthly_occurrences_count_from_the_start_date() -> None:
    dates = [schedules.occurrence(D(2026, 1, 31), period=1, unit="MONTHLY", index=k) for k in range(4)]
    assert dates == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)]
    assert schedules.occurrence(D(2026, 1, 15), period=2, unit="MONTHLY", index=3) == D(2026, 7, 15)


def test_weekly_occurrences() -> None:
    assert schedules.occurrence(D(2026, 3, 2), period=2, unit="WEEKLY", index=3) == D(2026, 4, 13)


@pytest.mark.parametrize(("kind", "due", "expected"), [
    ("DAYSAFTERBILLDATE", 10, D(2026, 2, 24)),
    ("DAYSAFTERINVOICEDATE", 0, D(2026, 2, 14)),
    ("DAYSAFTERBILLMONTH", 5, D(2026, 3, 5)),
    ("OFCURRENTMONTH", 31, D(2026, 2, 28)),
    ("OFFOLLOWINGMONTH", 20, D(2026, 3, 20)),
])
def test_due_dates(kind: str, due: int, expected: dt.date) -> None:
    assert schedules.due_date(D(2026, 2, 14), due=due, due_date_type=kind) == expected


def test_bad_schedules_raise() -> None:
    with pytest.raises(ValueError):
        schedules.occurrence(D(2026, 1, 1), period=0, unit="MONTHLY", index=1)
    with pytest.raises(ValueError):
        schedules.due_date(D(2026, 1, 1), due=1, due_date_type="NEVER")
