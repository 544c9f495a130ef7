"""Report parameters and date rules.

Parameters arrive raw in ``XeroRequest.params`` (names as the client spelled them) and are read case-insensitively,
as Xero matches query parameter names; a bad value is a Xero-shaped 400 ``ValidationException`` naming the parameter
(spec parameter types: ``format: date``, ``type: integer``, ``type: boolean``, the ``timeframe`` enum ``MONTH``,
``QUARTER``, ``YEAR``). Dates are ``YYYY-MM-DD`` (xero-python sends ``date`` objects so), an ISO date-time or
``/Date(ms)/``.

Date rules (as the gateway's reference adapter applies them where Xero's are unconfirmed):

- month arithmetic keeps month ends (30 April − 1 month = 31 March, as the spec's BalanceSheet example columns
  ``30 Apr 2019``, ``31 Mar 2019``, ``28 Feb 2019`` show);
- the financial year containing a day starts the day after the latest financial year end before it (Sage
  ``financial_settings.year_end_date`` gives the end's day and month).
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Mapping

from gateway.xero.dates import parse_date
from gateway.xero.errors import ValidationException

TIMEFRAME_MONTHS = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}
MAX_PERIODS = 12


def invalid(message: str) -> ValidationException:
    return ValidationException.single(message)


class ReportParams:
    """Case-insensitive, validated access to a report's query parameters."""

    def __init__(self, params: Mapping[str, str]) -> None:
        self._params = {k.lower(): v for k, v in params.items()}

    def text(self, name: str) -> str | None:
        value = self._params.get(name.lower())
        return value.strip() if value is not None and value.strip() else None

    def date(self, name: str) -> dt.date | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return parse_date(value)
        except ValueError:
            raise invalid(f"{name} '{value}' is not a valid date (YYYY-MM-DD)") from None

    def integer(self, name: str, *, low: int, high: int) -> int | None:
        value = self.text(name)
        if value is None:
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            raise invalid(f"{name} must be a whole number from {low} to {high}")
        return int(value)

    def boolean(self, name: str) -> bool | None:
        value = self.text(name)
        if value is None:
            return None
        if value.lower() not in ("true", "false"):
            raise invalid(f"{name} must be true or false")
        return value.lower() == "true"

    def guid(self, name: str) -> str | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return str(uuid.UUID(value))
        except ValueError:
            raise invalid(f"{name} '{value}' is not a valid GUID") from None

    def date_range(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """``(fromDate, toDate)``: default the month of ``today``; a missing end is the month end of ``fromDate``, a
        missing start the month start of ``toDate``.

        Raises:
            ValidationException: a bad date, or ``fromDate`` after ``toDate``.
        """
        start, end = self.date("fromDate"), self.date("toDate")
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

    def months_back(self) -> tuple[int, int]:
        """``(periods, months per period)`` of the comparison columns (``periods``/``timeframe``)."""
        periods = self.integer("periods", low=0, high=MAX_PERIODS) or 0
        timeframe = (self.text("timeframe") or "MONTH").upper()
        if timeframe not in TIMEFRAME_MONTHS:
            raise invalid("timeframe must be MONTH, QUARTER or YEAR")
        return periods, TIMEFRAME_MONTHS[timeframe]


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
