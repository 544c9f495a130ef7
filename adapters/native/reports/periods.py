"""Report parameters and date rules: dates, ``periods``, ``timeframe``, comparison columns, financial years.

Parameters arrive raw in ``XeroRequest.params`` (names as the client spelled them). :class:`ReportParams` reads
them case-insensitively, as Xero matches query parameter names, and turns a bad value into a Xero-shaped 400
``ValidationException`` whose message names the parameter (spec parameter types: ``format: date``,
``type: integer``, ``type: boolean``, the ``timeframe`` enum).

Accepted forms: dates ``YYYY-MM-DD`` (spec ``format: date``; xero-python serialises ``date`` objects so), also an
ISO date-time or ``/Date(ms)/`` (their calendar date is used); booleans ``true``/``false`` in any case
(xero-python sends Python's ``True``/``False``); integers in decimal digits.

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
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from gateway.xero.dates import parse_date
from gateway.xero.errors import ValidationException

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


class ReportParams:
    """The raw query parameters of one report call, read case-insensitively.

    Args:
        raw: ``XeroRequest.params`` (name as sent → value; repeated values already comma-joined).
    """

    def __init__(self, raw: Mapping[str, str]) -> None:
        self._values = {name.lower(): value for name, value in raw.items()}

    def text(self, name: str) -> str | None:
        """The parameter's stripped text, or ``None`` when absent or empty."""
        value = self._values.get(name.lower())
        if value is None or not value.strip():
            return None
        return value.strip()

    def date(self, name: str) -> dt.date | None:
        """A date parameter. Raises ``ValidationException`` naming ``name`` when it is not a date."""
        value = self.text(name)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise invalid(f"{name} must be a date in the form YYYY-MM-DD; '{value}' is not") from None

    def integer(self, name: str, *, low: int, high: int) -> int | None:
        """A whole-number parameter within ``low … high``. Raises ``ValidationException`` naming ``name``."""
        value = self.text(name)
        if value is None:
            return None
        digits = value[1:] if value[:1] in "+-" else value
        if not (digits.isascii() and digits.isdigit()) or not low <= int(value) <= high:
            raise invalid(f"{name} must be a whole number from {low} to {high}; '{value}' is not")
        return int(value)

    def boolean(self, name: str) -> bool | None:
        """A boolean parameter (``true``/``false``, any case). Raises ``ValidationException`` naming ``name``."""
        value = self.text(name)
        if value is None:
            return None
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise invalid(f"{name} must be true or false; '{value}' is not")

    def timeframe(self, name: str = "timeframe") -> int:
        """``timeframe`` (``MONTH``, ``QUARTER``, ``YEAR``; any case; default ``MONTH``) in months."""
        value = self.text(name)
        if value is None:
            return 1
        months = TIMEFRAME_MONTHS.get(value.upper())
        if months is None:
            raise invalid(f"{name} must be one of MONTH, QUARTER, YEAR; '{value}' is not")
        return months

    def guid(self, name: str) -> str | None:
        """A GUID parameter, normalised to lower-case hyphenated form. Raises ``ValidationException``."""
        value = self.text(name)
        if value is None:
            return None
        try:
            return str(uuid.UUID(value))
        except ValueError:
            raise invalid(f"{name} must be a GUID; '{value}' is not") from None


def date_range(params: ReportParams, *, today: dt.date) -> Period:
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
    """``day`` shifted by ``months`` (negative: back); a month end stays a month end, other days are clamped."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
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
