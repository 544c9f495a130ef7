"""Organisation lock dates: no document dated on or before them can be created, edited, voided, deleted or paid.

Xero keeps two (spec ``components.schemas.Organisation``: ``PeriodLockDate``, ``EndOfYearLockDate``, "Shown if
set. See lock dates"); Xero's help describes them as "stop all users except advisers making changes on and before"
(period) and "stop all users making changes on and before" (end of year). An API call acts as a user without the
adviser role here (unconfirmed: Xero does not document which role an API call carries), so the later of the two
dates locks. They are stored on the company (``Company.period_lock_date`` / ``end_of_year_lock_date``) and
rendered on ``GET /Organisation``; the demo company takes them from ``mappings/native_demo.toml`` (none by
default).

Messages (:mod:`adapters.native.messages`): the end-of-year wording is seen in a real response
(https://github.com/waynerobinson/xeroizer/issues/92, dates as ``31-Jul-2013``); the period wording follows it.
"""

from __future__ import annotations

import datetime as dt

from .. import messages
from ..tables.core import Company

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def lock_date(company: Company) -> dt.date | None:
    """The date on and before which nothing may change (the later lock date), or ``None``."""
    dates = [d for d in (company.period_lock_date, company.end_of_year_lock_date) if d is not None]
    return max(dates) if dates else None


def format_date(day: dt.date) -> str:
    """``31-Jul-2013``: the form of the date in Xero's lock-date message (independent of the process locale)."""
    return f"{day.day:02d}-{_MONTHS[day.month - 1]}-{day.year}"


def violation(company: Company, day: dt.date | None) -> str | None:
    """The validation message when a document dated ``day`` falls on or before a lock date, else ``None``.

    The end-of-year lock date is named when it locks ``day``; otherwise the period lock date.
    """
    if day is None:
        return None
    year_end, period = company.end_of_year_lock_date, company.period_lock_date
    if year_end is not None and day <= year_end:
        return messages.LOCK_DATE_END_OF_YEAR.format(date=format_date(year_end))
    if period is not None and day <= period:
        return messages.LOCK_DATE_PERIOD.format(date=format_date(period))
    return None


def violations(company: Company, *days: dt.date | None) -> list[str]:
    """Every distinct lock-date message for documents dated ``days`` (an edit checks the old and the new date)."""
    found: list[str] = []
    for day in days:
        message = violation(company, day)
        if message is not None and message not in found:
            found.append(message)
    return found
