"""Builders of Xero's report rows and cells, and the text forms Xero renders values in.

Every form here is read off the spec's examples (``xero_accounting.yaml``, responses of ``/Reports/…``):

- amounts: ``"1234.56"`` / ``"-1850.00"`` (two decimals, no grouping; BalanceSheet, TrialBalance);
- ``ReportDate`` and titles: ``"23 April 2019"`` (day without leading zero, English month name);
- column headings: ``"30 Apr 2019"`` (BalanceSheet), ``"Nov 2019"`` (ExecutiveSummary), ``"Jan-20"``
  (BudgetSummary);
- attribute dates: ``"4/30/2019"`` (BalanceSheet ``fromDate``/``toDate`` attributes);
- document dates in the aged reports: ``"2018-05-13 00:00:00"``;
- percentages: ``"-21.8%"`` (ExecutiveSummary, one decimal).

English month names are spelled out here rather than taken from the process locale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from gateway.xero.models.reports import ReportAttribute, ReportCell, ReportRow, ReportRows, ReportWithRow

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
CENT = Decimal("0.01")
#: The account attribute of the virtual "Current Year Earnings" row (spec BalanceSheet example).
NO_ACCOUNT = "00000000-0000-0000-0000-000000000000"

Attrs = Sequence[tuple[str, str]]


# Text forms ---------------------------------------------------------------------------------------------------

def money(value: Decimal) -> str:
    """``Decimal`` → ``"1234.56"`` (half-up to cents; never ``"-0.00"``)."""
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:f}"


def long_date(day: dt.date) -> str:
    """``"23 April 2019"``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """``"30 Apr 2019"``."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def month_year(day: dt.date) -> str:
    """``"Nov 2019"``."""
    return f"{MONTHS[day.month - 1][:3]} {day.year}"


def long_month_year(day: dt.date) -> str:
    """``"November 2019"``."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def budget_month(day: dt.date) -> str:
    """``"Jan-20"``."""
    return f"{MONTHS[day.month - 1][:3]}-{day.year % 100:02d}"


def us_date(day: dt.date | None) -> str:
    """``"4/30/2019"`` (``""`` for ``None``)."""
    return "" if day is None else f"{day.month}/{day.day}/{day.year}"


def document_date(day: dt.date | None) -> str:
    """``"2018-05-13 00:00:00"`` (``""`` for ``None``)."""
    return "" if day is None else f"{day.isoformat()} 00:00:00"


def percent(value: Decimal) -> str:
    """``"-21.8%"`` (one decimal, half-up; never ``"-0.0%"``)."""
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:f}%"


# Builders -------------------------------------------------------------------------------------------------------

def cell(value: str, attrs: Attrs = ()) -> ReportCell:
    """One cell; ``attrs`` are ``(Id, Value)`` pairs rendered as ``Attributes`` (omitted when empty)."""
    return ReportCell(Value=value, Attributes=[ReportAttribute(Id=i, Value=v) for i, v in attrs] or None)


def header(labels: Iterable[str]) -> ReportRows:
    """The ``Header`` row."""
    return ReportRows(RowType="Header", Cells=[cell(label) for label in labels])


def section(title: str, rows: Iterable[ReportRow]) -> ReportRows:
    """A ``Section`` (``Title`` may be ``""``; ``Rows`` may be empty, as the spec's ``"Assets"`` section)."""
    return ReportRows(RowType="Section", Title=title, Rows=list(rows))


def row(cells: Iterable[ReportCell]) -> ReportRow:
    """A ``Row``."""
    return ReportRow(RowType="Row", Cells=list(cells))


def summary(cells: Iterable[ReportCell]) -> ReportRow:
    """A ``SummaryRow``."""
    return ReportRow(RowType="SummaryRow", Cells=list(cells))


def text_row(label: str, values: Iterable[str], *, summary_row: bool = False) -> ReportRow:
    """A row of plain cells: ``label`` then ``values``."""
    cells = [cell(label), *(cell(v) for v in values)]
    return summary(cells) if summary_row else row(cells)


def amount_row(label: str, amounts: Iterable[Decimal], *, summary_row: bool = False) -> ReportRow:
    """A row of a label and amounts without attributes (totals, "Net Profit", "Net Assets")."""
    return text_row(label, (money(a) for a in amounts), summary_row=summary_row)


def account_row(label: str, account_id: str, amounts: Iterable[Decimal],
                extra: Sequence[Attrs] | None = None) -> ReportRow:
    """An account's row: every cell carries ``("account", account_id)``; value cell ``i`` adds ``extra[i]``.

    Source: the spec's BalanceSheet and TrialBalance examples (``{"Value": "<AccountID>", "Id": "account"}`` on
    the label and every value cell; ``fromDate``/``toDate`` attributes on Current Year Earnings and Retained
    Earnings value cells).
    """
    account = (("account", account_id),)
    cells = [cell(label, account)]
    for i, amount in enumerate(amounts):
        more = tuple(extra[i]) if extra is not None and i < len(extra) else ()
        cells.append(cell(money(amount), account + more))
    return row(cells)


def report(*, report_type: str, name: str, titles: Sequence[str], date: dt.date, updated: dt.datetime,
           rows: Sequence[ReportRows]) -> ReportWithRow:
    """One report in Xero's shape.

    ``ReportID`` is the report type (as Xero answers the named reports, e.g. ``"ProfitAndLoss"``; unconfirmed:
    the spec's examples omit it), ``ReportDate`` the date the report was run (``"23 April 2019"``), ``Fields``
    empty as in every spec example.
    """
    return ReportWithRow(ReportID=report_type, ReportName=name, ReportType=report_type, ReportTitles=list(titles),
                         ReportDate=long_date(date), UpdatedDateUTC=updated, Fields=[], Rows=list(rows))
