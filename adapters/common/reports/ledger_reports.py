"""The aged reports and BankSummary laid out from figures a source computes (Sage Accounting, Sage 50).

**AgedReceivablesByContact / AgedPayablesByContact** (spec examples, as the native ledger lays them out): ``Header``
``Date``, ``Number`` (payables: ``Reference``), ``Due Date``, ``""``, ``Total``, ``Paid``, ``Credited``, ``Due``; an
untitled section with the row "Opening Balance" (what documents dated before ``fromDate`` still owe); an untitled
section with one row per document still owing (cells carry ``invoiceID``; the fourth cell ``"12 days overdue"`` once
the due date has passed) and the ``SummaryRow`` "Total"; an untitled section with the ``SummaryRow`` "Closing
Balance". Titles ``["Invoices", <organisation>, "From … to …", "Showing payments to …"]``. ``fromDate`` defaults to
the contact's first document, so that the default report's opening balance is 0.00 as in the spec's examples.

**BankSummary** (spec ``getReportBankSummary``): per bank account ``Opening Balance``, ``Cash Received``, ``Cash
Spent``, ``Closing Balance`` over ``fromDate … toDate``, then the ``SummaryRow`` "Total"; titles ``["Bank Summary",
<organisation>, "From … to …"]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from gateway.xero.models.reports import ReportRow, ReportWithRow

from . import layout
from .periods import invalid

ZERO = Decimal(0)


@dataclass(frozen=True)
class AgedKind:
    report_type: str
    name: str
    xero_type: str
    number_heading: str


RECEIVABLES = AgedKind("AgedReceivablesByContact", "Aged Receivables By Contact", "ACCREC", "Number")
PAYABLES = AgedKind("AgedPayablesByContact", "Aged Payables By Contact", "ACCPAY", "Reference")


@dataclass(frozen=True)
class Owing:
    """One document of the contact as at the report's ``date``."""

    guid: str
    day: dt.date
    due_date: dt.date | None
    number: str
    total: Decimal
    paid: Decimal
    credited: Decimal

    @property
    def due(self) -> Decimal:
        return self.total - self.paid - self.credited


def aged_report(kind: AgedKind, documents: Sequence[Owing], *, org_name: str, start: dt.date | None, end: dt.date,
                day: dt.date, today: dt.date, now: dt.datetime) -> ReportWithRow:
    """The aged report of ``kind`` over ``documents`` (every posted document dated up to ``end``, in date order).

    Raises:
        ValidationException: ``fromDate`` after ``toDate``.
    """
    start = start or min((o.day for o in documents), default=end)
    if start > end:
        raise invalid(f"fromDate ({start.isoformat()}) must not be after toDate ({end.isoformat()})")
    owing = [o for o in documents if o.due != 0]
    opening = sum((o.due for o in owing if o.day < start), ZERO)
    listed = [o for o in owing if o.day >= start]
    total, paid = sum((o.total for o in listed), ZERO), sum((o.paid for o in listed), ZERO)
    credited, due = sum((o.credited for o in listed), ZERO), sum((o.due for o in listed), ZERO)
    columns = [layout.money(total), layout.money(paid), layout.money(credited)]
    document_rows = []
    for item in listed:
        overdue = (day - item.due_date).days if item.due_date is not None else 0
        values = [layout.document_date(item.day), item.number, layout.document_date(item.due_date),
                  f"{overdue} days overdue" if overdue > 0 else "", layout.money(item.total), layout.money(item.paid),
                  layout.money(item.credited), layout.money(item.due)]
        document_rows.append(layout.row(values, attrs=(("invoiceID", item.guid),)))
    rows = [
        layout.header(["Date", kind.number_heading, "Due Date", "", "Total", "Paid", "Credited", "Due"]),
        layout.section("", [layout.row([layout.document_date(start), "Opening Balance", "", "", "", "", "",
                                        layout.money(opening)])]),
        layout.section("", [*document_rows, layout.row(["Total", "", "", "", *columns, layout.money(due)],
                                                       summary=True)]),
        layout.section("", [layout.row(["Closing Balance", "", "", "", *columns, layout.money(opening + due)],
                                       summary=True)]),
    ]
    titles = ["Invoices", org_name, f"From {layout.long_date(start)} to {layout.long_date(end)}",
              f"Showing payments to {layout.long_date(day)}"]
    return layout.report(report_type=kind.report_type, name=kind.name, titles=titles, date=today, updated=now,
                         rows=rows)


@dataclass(frozen=True)
class BankLine:
    """One bank account's figures over the period (cash received and spent as positive amounts)."""

    name: str
    guid: str
    opening: Decimal
    received: Decimal
    spent: Decimal


def bank_summary_report(lines: Sequence[BankLine], *, org_name: str, start: dt.date, end: dt.date, today: dt.date,
                        now: dt.datetime) -> ReportWithRow:
    """The BankSummary report, accounts by name."""
    rows: list[ReportRow] = []
    totals = [ZERO, ZERO, ZERO, ZERO]
    for line in sorted(lines, key=lambda b: (b.name.lower(), b.guid)):
        values = [line.opening, line.received, line.spent, line.opening + line.received - line.spent]
        rows.append(ReportRow(RowType="Row", Cells=[
            layout.cell(line.name, (("accountID", line.guid),)),
            *(layout.cell(layout.money(v), (("account", line.guid),)) for v in values)]))
        totals = [a + b for a, b in zip(totals, values, strict=True)]
    rows.append(layout.amounts("Total", totals, summary=True))
    titles = ["Bank Summary", org_name, f"From {layout.long_date(start)} to {layout.long_date(end)}"]
    return layout.report(report_type="BankSummary", name="Bank Summary", titles=titles, date=today, updated=now,
                         rows=[layout.header(["Bank Accounts", "Opening Balance", "Cash Received", "Cash Spent",
                                              "Closing Balance"]), layout.section("", rows)])
