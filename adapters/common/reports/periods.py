"""Report date rules, applied to the typed query parameters of ``XeroRequest.parameters``.

The front end parses the parameters by the spec's types (:mod:`gateway.xero.parameters`: dates, integers, booleans,
the ``timeframe`` enum ``MONTH``, ``QUARTER``, ``YEAR``); a bad value is its Xero-shaped 400 naming the parameter.

Date rules (as the gateway's reference adapter applies them where Xero's are unconfirmed):

- month arithmetic keeps month ends (30 April − 1 month = 31 March, as the spec's BalanceSheet example columns
  ``30 Apr 2019``, ``31 Mar 2019``, ``28 Feb 2019`` show);
- the financial year containing a day starts the day after the latest financial year end before it (the source
  gives the end's day and month: Sage ``financial_settings.year_end_date``, Sage 50 ``COMPANY.START_MONTH``).
"""

from __future__ import annotations

import calendar
import datetime as dt

from gateway.xero.errors import ValidationException
from gateway.xero.parameters import Parameters

TIMEFRAME_MONTHS = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}
MAX_PERIODS = 12


def invalid(message: str) -> ValidationException:
    return ValidationException.single(message)


def months_back(params: Parameters) -> tuple[int, int]:
    """``(periods, months per period)`` of the comparison columns (``periods`` 0–12; ``timeframe`` the spec's
    enum, checked by the front end; default ``MONTH``).

    Raises:
        ValidationException: ``periods`` out of bounds (the message names it).
    """
    periods = params.integer("periods", low=0, high=MAX_PERIODS) or 0
    return periods, TIMEFRAME_MONTHS[params.text("timeframe") or "MONTH"]


def date_range(params: Parameters, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """``(start, end)`` of ``fromDate``/``toDate`` (ProfitAndLoss, BankSummary): neither given → ``today``'s
    month; only ``toDate`` → from the first of its month; only ``fromDate`` → to the end of its month.

    Raises:
        ValidationException: ``fromDate`` after ``toDate``.
    """
    start, end = params.date("fromDate"), params.date("toDate")
    if start is None and end is None:
        start, end = month_start(today), month_end(today)
    elif start is None:
        start = month_start(end)  # type: ignore[arg-type]
    elif end is None:
        end = month_end(start)
    assert start is not None and end is not None
    if start > end:
        raise invalid(f"fromDate ({start.isoformat()}) must not be after toDate ({end.isoformat()})")
    return start, end


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def shift_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` (negative: back), keeping month ends."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    if day == month_end(day):
        return dt.date(year, month + 1, last)
    return dt.date(year, month + 1, min(day.day, last))


def year_start(day: dt.date, year_end: dt.date | None) -> dt.date:
    """First day of the financial year containing ``day`` (calendar year when the end is unknown)."""
    end_month, end_day = (year_end.month, year_end.day) if year_end else (12, 31)
    this_end = dt.date(day.year, end_month, min(end_day, calendar.monthrange(day.year, end_month)[1]))
    if day > this_end:
        return this_end + dt.timedelta(days=1)
    last_end = dt.date(day.year - 1, end_month, min(end_day, calendar.monthrange(day.year - 1, end_month)[1]))
    return last_end + dt.timedelta(days=1)
