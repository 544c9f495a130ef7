"""The calendar of a repeating invoice's ``Schedule``: its occurrences and each invoice's due date.

Rules (spec ``Schedule``; https://developer.xero.com/documentation/api/accounting/repeatinginvoices):

- ``Period`` (a whole number ≥ 1) of ``Unit`` ``WEEKLY`` or ``MONTHLY``: occurrence *k* falls ``k × Period`` weeks
  or months after ``StartDate``. Months are counted from the start date, so a schedule starting on the 31st falls
  on the last day of shorter months and returns to the 31st after them (no drift).
- ``EndDate``: no occurrence after it.
- The due date of an invoice dated *d* (``DueDate`` = *n*, ``DueDateType``):
  ``DAYSAFTERBILLDATE``/``DAYSAFTERINVOICEDATE``: *d* + *n* days; ``DAYSAFTERBILLMONTH``/``DAYSAFTERINVOICEMONTH``:
  *n* days after the end of *d*'s month; ``OFCURRENTMONTH``: day *n* of *d*'s month; ``OFFOLLOWINGMONTH``: day *n*
  of the next month (a day past the month's end is its last day).
"""

from __future__ import annotations

import calendar
import datetime as dt

from dateutil.relativedelta import relativedelta

UNITS = ("WEEKLY", "MONTHLY")
DUE_DATE_TYPES = ("DAYSAFTERBILLDATE", "DAYSAFTERBILLMONTH", "DAYSAFTERINVOICEDATE", "DAYSAFTERINVOICEMONTH",
                  "OFCURRENTMONTH", "OFFOLLOWINGMONTH")


def occurrence(start: dt.date, *, period: int, unit: str, index: int) -> dt.date:
    """The date of occurrence ``index`` (0 is ``start``).

    Raises:
        ValueError: an unknown unit or a period below 1.
    """
    if period < 1 or unit not in UNITS:
        raise ValueError(f"bad schedule: every {period} {unit}")
    if unit == "WEEKLY":
        return start + dt.timedelta(weeks=period * index)
    return start + relativedelta(months=period * index)


def _day_of(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, max(1, min(day, calendar.monthrange(year, month)[1])))


def due_date(invoice_date: dt.date, *, due: int, due_date_type: str) -> dt.date:
    """The due date of an invoice dated ``invoice_date`` (the rules of the module docstring).

    Raises:
        ValueError: an unknown ``due_date_type``.
    """
    if due_date_type in ("DAYSAFTERBILLDATE", "DAYSAFTERINVOICEDATE"):
        return invoice_date + dt.timedelta(days=due)
    if due_date_type in ("DAYSAFTERBILLMONTH", "DAYSAFTERINVOICEMONTH"):
        end = _day_of(invoice_date.year, invoice_date.month, 31)
        return end + dt.timedelta(days=due)
    if due_date_type == "OFCURRENTMONTH":
        return _day_of(invoice_date.year, invoice_date.month, due)
    if due_date_type == "OFFOLLOWINGMONTH":
        following = invoice_date.replace(day=1) + relativedelta(months=1)
        return _day_of(following.year, following.month, due)
    raise ValueError(f"unknown DueDateType {due_date_type!r}")
