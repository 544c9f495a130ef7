"""Report date rules: date ranges, ``periods``, ``timeframe``, comparison columns, financial years.

Parameters arrive typed in ``XeroRequest.parameters`` (:class:`gateway.xero.parameters.Parameters`: dates,
integers, booleans and the ``timeframe`` enum parsed by the front end, by the spec's types); this module holds the
date arithmetic the reports apply to them, and the bounds the spec states in words (``periods``).

Date rules (the native ledger's, stated where Xero's are unconfirmed):

- Month arithmetic keeps month ends: shifting 30 April by one month gives 31 March (the spec's BalanceSheet
  example compares ``30 Apr 2019``, ``31 Mar 2019``, ``28 Feb 2019``); other days are clamped to the target
  month's length.
- Comparison columns (``periods`` > 0) shift the report's own period back by ``k × timeframe`` months,
  ``k = 1 … periods``; the columns run newest first, as in the spec's BalanceSheet example. ``periods`` counts
  the comparison columns (so a 12-month report is ``periods=11&timeframe=MONTH``; unconfirmed wording of Xero's
  docs: "The number of periods to compare (integer between 1 and 12)"); ``0`` means none.
- The financial year containing a date starts the day after the most recent financial year end
  (``Organisation.FinancialYearEndDay``/``FinancialYearEndMonth``) before that date.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from gateway.xero.errors import ValidationException
from gateway.xero.parameters import Parameters

#: ``timeframe`` of ProfitAndLoss / BalanceSheet (spec enum ``MONTH``, ``QUARTER``, ``YEAR``) → months.
TIMEFRAME_MONTHS = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}
#: ``timeframe`` of BudgetSummary (spec: "The period size to compare to (1=month, 3=quarter, 12=year)").
BUDGET_TIMEFRAMES = (1, 3, 12)
#: Most comparison periods (spec: "integer between 1 and 12").
MAX_PERIODS = 12


@dataclass(frozen=True)
class Period:
    """An inclusive date range ``start … end`` (``start`` ``None``: from the beginning of the books)."""

    start: dt.date | None
    end: dt.date


def invalid(message: str) -> ValidationException:
    """A 400 ``ValidationException`` with one message (the report parameters' error)."""
    return ValidationException.single(message)


def timeframe_months(params: Parameters) -> int:
    """``timeframe`` of ProfitAndLoss / BalanceSheet in months (default ``MONTH``; the front end checked the
    spec's enum)."""
    return TIMEFRAME_MONTHS[params.text("timeframe") or "MONTH"]


def date_range(params: Parameters, *, today: dt.date) -> Period:
    """``fromDate``/``toDate`` of a period report (ProfitAndLoss, BankSummary).

    Defaults (the spec's BankSummary example, run on 23 April 2019, covers "From 1 April 2019 to 30 April 2019";
    the one-sided cases are the native ledger's rule): neither given → ``today``'s month; only ``toDate`` → from
    the first of its month; only ``fromDate`` → to the end of its month.

    Raises:
        ValidationException: a bad date, or ``fromDate`` after ``toDate``.
    """
    start, end = params.date("fromDate"), params.date("toDate")
    if start is None and end is None:
        start, end = month_start(today), month_end(today)
    elif start is None:
        assert end is not None
        start = month_start(end)
    elif end is None:
        end = month_end(start)
    if start > end:
        raise invalid(f"fromDate ({start.isoformat()}) must not be after toDate ({end.isoformat()})")
    return Period(start, end)


# Calendar arithmetic ----------------------------------------------------------------------------------------

def month_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` shifted by ``months`` (negative: back); a month end stays a month end, other days are clamped.

    Raises:
        ValidationException: the result falls outside years 1-9999 (Python's ``date`` range).
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not dt.MINYEAR <= year <= dt.MAXYEAR:  # e.g. 11 months before 31 Jan 0001: a client's value, not a 500
        raise ValidationException.single(f"The report's periods reach beyond the calendar (years {dt.MINYEAR} to "
                                         f"{dt.MAXYEAR}) from {day.isoformat()}")
    last = calendar.monthrange(year, month + 1)[1]
    if day == month_end(day):
        return dt.date(year, month + 1, last)
    return dt.date(year, month + 1, min(day.day, last))


def comparisons(base: Period, *, periods: int, months: int) -> list[Period]:
    """``base`` followed by ``periods`` earlier copies shifted by ``months`` each (newest first)."""
    out = [base]
    for k in range(1, periods + 1):
        start = add_months(base.start, -k * months) if base.start is not None else None
        out.append(Period(start, add_months(base.end, -k * months)))
    return out


def year_end_on(year: int, *, end_day: int, end_month: int) -> dt.date:
    """The financial year end falling in calendar ``year`` (the day clamped to the month's length)."""
    last = calendar.monthrange(year, end_month)[1]
    return dt.date(year, end_month, min(max(end_day, 1), last))


def financial_year_start(day: dt.date, *, end_day: int, end_month: int) -> dt.date:
    """The first day of the financial year containing ``day``.

    Args:
        day: any date.
        end_day, end_month: ``Organisation.FinancialYearEndDay`` / ``FinancialYearEndMonth``.
    """
    end = year_end_on(day.year, end_day=end_day, end_month=end_month)
    if end >= day:
        end = year_end_on(day.year - 1, end_day=end_day, end_month=end_month)
    return end + dt.timedelta(days=1)
