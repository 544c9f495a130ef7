"""``GET /Reports/AgedReceivablesByContact`` and ``/Reports/AgedPayablesByContact``: one contact's outstanding
invoices (or bills) as at a date, with how long each is overdue.

Parameters (spec): ``contactId`` (required, a GUID of one of the organisation's contacts), ``date`` (payments
are counted up to it; default today), ``fromDate``/``toDate`` (documents dated in that range are listed;
``toDate`` defaults to ``date``, ``fromDate`` to the contact's first document of the type, so that the opening
balance of the default report is 0.00 as in the spec's examples).

Layout — the spec's examples (not the bucketed summary Xero's web app also has):

- ``Header`` ``Date``, ``Number`` (payables: ``Reference``), ``Due Date``, ``""``, ``Total``, ``Paid``,
  ``Credited``, ``Due``;
- an untitled section with the ``Row`` "Opening Balance" dated ``fromDate``: what the documents dated before it
  still owe as at ``date``;
- an untitled section with one ``Row`` per document still owing as at ``date`` (cells carry the ``invoiceID``
  attribute; dates ``"2018-05-13 00:00:00"``; the fourth cell ``"305 days overdue"`` once the due date has
  passed, else ``""``), then the ``SummaryRow`` "Total";
- an untitled section with the ``SummaryRow`` "Closing Balance" (Due: opening + total).

Figures of a document as at ``date``: ``Paid`` is its payments dated up to ``date``; ``Credited`` the credit
notes, overpayments and prepayments allocated to it up to ``date`` (``Allocation`` rows not deleted); ``Due`` is
``Total − Paid − Credited``, which is the document's ``AmountDue`` when nothing is dated after ``date``.
Documents are the posted ones (``AUTHORISED`` or ``PAID``), by date then number. Titles ``["Invoices", <organisation>,
"From 10 October 2017 to 23 April 2019", "Showing payments to 23 April 2019"]`` as in the examples.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from adapters.native.books import Books
from adapters.native.models import Contact, Invoice
from adapters.native.models_documents import Allocation
from gateway.xero.models.reports import ReportRow, ReportWithRow
from gateway.xero.parameters import Parameters

from . import layout
from .periods import invalid

ZERO = Decimal("0")
POSTED = ("AUTHORISED", "PAID")


@dataclass(frozen=True)
class Kind:
    """Receivables or payables."""

    report_type: str
    name: str
    invoice_type: str
    number_heading: str


RECEIVABLES = Kind("AgedReceivablesByContact", "Aged Receivables By Contact", "ACCREC", "Number")
PAYABLES = Kind("AgedPayablesByContact", "Aged Payables By Contact", "ACCPAY", "Reference")


@dataclass(frozen=True)
class Outstanding:
    """One document's figures as at the report date."""

    invoice: Invoice
    paid: Decimal
    credited: Decimal

    @property
    def due(self) -> Decimal:
        return self.invoice.total - self.paid - self.credited


def as_at(invoice: Invoice, day: dt.date, credited: Decimal) -> Outstanding:
    """``invoice``'s figures as at ``day`` (module docstring); ``credited``: its allocations up to ``day``."""
    paid = sum((p.amount for p in invoice.payments if p.status == "AUTHORISED" and p.date <= day), ZERO)
    return Outstanding(invoice=invoice, paid=paid, credited=credited)


async def _credited(books: Books, invoice_ids: list[str], day: dt.date) -> dict[str, Decimal]:
    """Invoice id → the credit notes, overpayments and prepayments allocated to it on or before ``day``."""
    credited: dict[str, Decimal] = defaultdict(lambda: ZERO)
    if invoice_ids:
        rows = await books.session.execute(
            select(Allocation.invoice_id, Allocation.amount).where(
                Allocation.company_id == books.company.id, Allocation.invoice_id.in_(invoice_ids),
                Allocation.is_deleted.is_(False), Allocation.date <= day))
        for invoice_id, amount in rows:
            credited[invoice_id] += amount
    return credited


async def _contact(books: Books, params: Parameters) -> Contact:
    contact_id = params.guid("contactId")
    if contact_id is None:
        raise invalid("contactId is required: the GUID of the contact to report on")
    contact = await books.session.get(Contact, contact_id)
    if contact is None or contact.company_id != books.company.id:
        raise invalid(f"contactId '{contact_id}' is not a contact of this organisation")
    return contact


async def _documents(books: Books, *, invoice_type: str, contact_id: str, end: dt.date) -> list[Invoice]:
    """The contact's posted documents of ``invoice_type`` dated on or before ``end``, by date then number."""
    rows = await books.session.scalars(
        select(Invoice).where(Invoice.company_id == books.company.id, Invoice.type == invoice_type,
                              Invoice.contact_id == contact_id, Invoice.status.in_(POSTED), Invoice.date <= end)
        .order_by(Invoice.date, Invoice.number, Invoice.id))
    return list(rows)


def _document_row(item: Outstanding, day: dt.date) -> ReportRow:
    invoice = item.invoice
    overdue = (day - invoice.due_date).days if invoice.due_date is not None else 0
    values = [layout.document_date(invoice.date), invoice.number or "", layout.document_date(invoice.due_date),
              f"{overdue} days overdue" if overdue > 0 else "", layout.money(invoice.total),
              layout.money(item.paid), layout.money(item.credited), layout.money(item.due)]
    attrs = (("invoiceID", invoice.id),)
    return layout.row(layout.cell(v, attrs) for v in values)


async def build(books: Books, params: Parameters, kind: Kind) -> ReportWithRow:
    """The aged report of ``kind`` (module docstring).

    Raises:
        ValidationException: missing or unknown ``contactId``, a bad date, ``fromDate`` after ``toDate``.
    """
    contact = await _contact(books, params)
    day = params.date("date") or books.today()
    end = params.date("toDate") or day
    start = params.date("fromDate")
    invoices = await _documents(books, invoice_type=kind.invoice_type, contact_id=contact.id, end=end)
    if start is None:
        start = min((i.date for i in invoices), default=end)
    if start > end:
        raise invalid(f"fromDate ({start.isoformat()}) must not be after toDate ({end.isoformat()})")
    credited_by = await _credited(books, [i.id for i in invoices], day)
    owing = [item for item in (as_at(i, day, credited_by.get(i.id, ZERO)) for i in invoices) if item.due != 0]
    opening = sum((item.due for item in owing if item.invoice.date < start), ZERO)
    listed = [item for item in owing if item.invoice.date >= start]
    total = sum((item.invoice.total for item in listed), ZERO)
    paid = sum((item.paid for item in listed), ZERO)
    credited = sum((item.credited for item in listed), ZERO)
    due = sum((item.due for item in listed), ZERO)
    columns = [layout.money(total), layout.money(paid), layout.money(credited)]
    rows = [
        layout.header(["Date", kind.number_heading, "Due Date", "", "Total", "Paid", "Credited", "Due"]),
        layout.section("", [layout.text_row(layout.document_date(start),
                                            ["Opening Balance", "", "", "", "", "", layout.money(opening)])]),
        layout.section("", [*(_document_row(item, day) for item in listed),
                            layout.text_row("Total", ["", "", "", *columns, layout.money(due)], summary_row=True)]),
        layout.section("", [layout.text_row("Closing Balance", ["", "", "", *columns, layout.money(opening + due)],
                                            summary_row=True)]),
    ]
    titles = ["Invoices", books.company.name, f"From {layout.long_date(start)} to {layout.long_date(end)}",
              f"Showing payments to {layout.long_date(day)}"]
    return layout.report(report_type=kind.report_type, name=kind.name, titles=titles, date=books.today(),
                         updated=books.now(), rows=rows)
