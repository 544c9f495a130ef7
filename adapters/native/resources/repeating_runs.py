"""Generating the invoices of repeating invoice templates on their scheduled dates.

For every template of the company that is not deleted and whose ``NextScheduledDate`` is on or before "today",
:func:`generate_due` creates one invoice per due occurrence, oldest first, through the invoice rules of
:mod:`adapters.native.resources.invoices` (numbered, posted when approved), then advances the schedule
(:mod:`adapters.native.resources.schedules`):

- the invoice is dated on the occurrence, due as the schedule's ``DueDate``/``DueDateType`` say, with the
  template's contact, lines, reference, currency and branding theme;
- its status is the template's (``DRAFT``, or ``AUTHORISED`` — also when ``ApprovedForSending``); ``MarkAsSent``
  (and ``ApprovedForSending``, which sends it) marks it ``SentToContact``;
- every occurrence is recorded once (:class:`~adapters.native.tables.repeating.RepeatingInvoiceRun`, unique per
  template and date) in the same transaction as its invoice, so that two processes generating at once cannot both
  commit an invoice for the same (template, date): the second commit fails on the constraint and rolls back;
- an occurrence whose invoice the rules refuse (an account archived since, a lock date) is recorded with the
  reason and skipped, so that the schedule moves on;
- at most ``limit`` occurrences per template per call (a template started long ago catches up over several calls).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import structlog
from sqlalchemy import select

from ..books import Books
from ..tables.core import Invoice
from ..tables.repeating import RepeatingInvoiceRow, RepeatingInvoiceRun
from ..validation import ElementInvalid
from . import history, invoices, repeating_invoices, schedules

log = structlog.get_logger("adapters.native.repeating")

#: Most occurrences one template generates per call (bounded work per transaction).
DEFAULT_LIMIT = 60


def invoice_element(row: RepeatingInvoiceRow, when: dt.date) -> dict[str, Any]:
    """The invoice the template makes for the occurrence on ``when`` (Xero field names)."""
    element: dict[str, Any] = {
        "Type": row.type, "Contact": {"ContactID": row.contact_id}, "Date": when.isoformat(),
        "DueDate": schedules.due_date(when, due=row.due_date, due_date_type=row.due_date_type).isoformat(),
        "LineAmountTypes": row.line_amount_types, "CurrencyCode": row.currency_code, "Status": row.status,
        "LineItems": [{k: v for k, v in ln.items() if k not in ("LineItemID", "TaxAmount", "LineAmount")}
                      for ln in row.line_items]}
    if row.reference:
        element["Reference"] = row.reference
    if row.branding_theme_id:
        element["BrandingThemeID"] = row.branding_theme_id
    if row.status == "AUTHORISED" and (row.mark_as_sent or row.approved_for_sending):
        element["SentToContact"] = True
    return element


async def generate_due(books: Books, *, today: dt.date, limit: int = DEFAULT_LIMIT) -> list[Invoice]:
    """Create the invoices of every occurrence due on or before ``today`` and advance the schedules.

    Args:
        books: the tenant's books, in a write transaction (the caller commits).
        today: the company's current date (the adapter's injected clock).
        limit: most occurrences per template in this call.

    Returns:
        The invoices created, in order.

    Raises:
        sqlalchemy.exc.IntegrityError: another process already recorded one of these occurrences (roll back; the
            schedule is that process's to advance).
    """
    due = await books.session.scalars(select(RepeatingInvoiceRow).where(
        RepeatingInvoiceRow.company_id == books.company.id, RepeatingInvoiceRow.status.in_(("DRAFT", "AUTHORISED")),
        RepeatingInvoiceRow.next_scheduled_date.is_not(None), RepeatingInvoiceRow.next_scheduled_date <= today)
        .order_by(RepeatingInvoiceRow.next_scheduled_date, RepeatingInvoiceRow.id))
    made: list[Invoice] = []
    for row in list(due):
        for _ in range(limit):
            when = row.next_scheduled_date
            if when is None or when > today:
                break
            run = RepeatingInvoiceRun(id=books.new_id("repeatingrun"), company_id=books.company.id,
                                      repeating_invoice_id=row.id, scheduled_date=when, created_utc=books.now())
            books.session.add(run)
            await books.session.flush()  # the (template, date) constraint is checked here
            try:
                invoice = await invoices.write(books, invoice_element(row, when), mode="create")
            except ElementInvalid as exc:
                run.problem = "; ".join(exc.messages)[:500]
                log.warning("repeating_invoice_skipped", repeating_invoice_id=row.id, date=str(when),
                            problem=run.problem)
            else:
                run.invoice_id = invoice.id
                made.append(invoice)
                await history.record(books.session, company_id=books.company.id,
                                     resource=repeating_invoices.RESOURCE, record_id=row.id, changes="Generated",
                                     details=f"Invoice {invoice.number or invoice.id} for {when.isoformat()}.",
                                     when=books.now())
            row.next_index += 1
            row.next_scheduled_date = repeating_invoices.next_date(row)
        await books.session.flush()
    return made
