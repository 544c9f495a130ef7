"""Xero's report rows and cells (:mod:`gateway.xero.models.reports`) and the text forms Xero renders values in.

The forms are read off the spec's examples (``xero_accounting.yaml``, responses of ``/Reports/…``), the same
conventions the native ledger's reports follow: amounts ``"1234.56"`` (two decimals, no grouping, never
``"-0.00"``); ``ReportDate`` and titles ``"23 April 2019"``; column headings ``"30 Apr 2019"``; document dates in the
aged reports ``"2018-05-13 00:00:00"``; account rows whose every cell carries ``{"Id": "account", "Value":
<AccountID>}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from gateway.xero.models.reports import ReportAttribute, ReportCell, ReportRow, ReportRows, ReportWithRow

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
CENT = Decimal("0.01")


def money(value: Decimal) -> str:
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{abs(rounded) if rounded == 0 else rounded:f}"


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def document_date(day: dt.date | None) -> str:
    return "" if day is None else f"{day.isoformat()} 00:00:00"


def cell(value: str, attrs: Sequence[tuple[str, str]] = ()) -> ReportCell:
    return ReportCell(Value=value, Attributes=[ReportAttribute(Id=i, Value=v) for i, v in attrs] or None)


def header(labels: Iterable[str]) -> ReportRows:
    return ReportRows(RowType="Header", Cells=[cell(label) for label in labels])


def section(title: str, rows: Iterable[ReportRow]) -> ReportRows:
    return ReportRows(RowType="Section", Title=title, Rows=list(rows))


def row(values: Iterable[str], *, attrs: Sequence[tuple[str, str]] = (), summary: bool = False) -> ReportRow:
    """A ``Row`` (or ``SummaryRow``) of plain values, every cell carrying ``attrs``."""
    return ReportRow(RowType="SummaryRow" if summary else "Row", Cells=[cell(v, attrs) for v in values])


def amounts(label: str, values: Iterable[Decimal], *, summary: bool = False) -> ReportRow:
    return row([label, *(money(v) for v in values)], summary=summary)


def account_row(label: str, account_id: str, values: Iterable[str]) -> ReportRow:
    """An account's row: every cell carries ``("account", account_id)`` (spec BalanceSheet/TrialBalance examples)."""
    return row([label, *values], attrs=(("account", account_id),))


def report(*, report_type: str, name: str, titles: Sequence[str], date: dt.date, updated: dt.datetime,
           rows: Sequence[ReportRows]) -> ReportWithRow:
    """One report: ``ReportID`` the report type, ``ReportDate`` the day it was run, ``Fields`` empty (as in every
    spec example)."""
    return ReportWithRow(ReportID=report_type, ReportName=name, ReportType=report_type, ReportTitles=list(titles),
                         ReportDate=long_date(date), UpdatedDateUTC=updated, Fields=[], Rows=list(rows))
