"""History and notes of native-ledger documents: one generic table, written by every write path.

Xero keeps, per document, a list of history records ``{Changes, DateUTC, User, Details}`` (spec
``components.schemas.HistoryRecord``; https://developer.xero.com/documentation/api/history-and-notes).
``GET …/{id}/History`` lists them; ``PUT …/{id}/History`` adds notes (``Changes`` ``"Note"``).

**How other modules record history** (call it inside the write's transaction, after the row is flushed)::

    from adapters.native import history
    await history.record(books.session, company_id=books.company.id, resource="Invoices",
                         record_id=row.id, changes=history.APPROVED,
                         details="INV-0001 to City Limousines for 100.00.", when=books.now())

- ``resource`` is the parent's Xero collection name: exactly the path segment of its ``…/History`` route
  (``Invoices``, ``Contacts``, ``CreditNotes``, ``BankTransactions``, ``BankTransfers``, ``ManualJournals``,
  ``Payments``, ``Items``, ``Quotes``, ``PurchaseOrders``, ``Overpayments``, ``Prepayments``, ``BatchPayments``,
  ``ExpenseClaims``, ``RepeatingInvoices``, ``Receipts``) — see :data:`RESOURCES`.
- ``changes`` is one of the constants below (Xero's words: ``Created``, ``Edited``, ``Approved``, ``Voided``,
  ``Deleted``, ``Paid``, ``Note``, ``Attached a file``…); :func:`status_change` picks the word for a status
  transition.
- ``user`` is the name shown in Xero's history: :data:`SYSTEM_USER` (``"System Generated"``) for everything done
  through the API, notes included ("System Generated when the change happens via API",
  https://developer.xero.com/documentation/api/history-and-notes; also the spec's ``HistoryRetrieved``
  example). A person's name is for changes made in a UI, which the native ledger does not have.
- ``details`` is free text: the spec's example "Attached the file sample2.jpg through the Xero API using Xero API
  Partner"; for documents "INV-0001 to City Limousines for 100.00." (:func:`document_details`; Xero's exact
  wording is unconfirmed).

Entries are listed oldest first (the order they happened; Xero's own order is unconfirmed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.xero.dates import utcnow

from ..tables.workflow import HistoryEntry

#: ``User`` of entries no person made (spec: ``components.responses.HistoryRetrieved`` example).
SYSTEM_USER = "System Generated"

#: Longest note ``Details`` a PUT …/History accepts ("Max Length 250 characters",
#: https://developer.xero.com/documentation/api/history-and-notes).
NOTE_MAX_LENGTH = 250

# ``Changes`` words. "Attached a file" and "Credit Applied" are in the spec's HistoryRetrieved example; "Note" is
# what a PUT …/History records (https://developer.xero.com/documentation/api/history-and-notes: "Notes are the
# only type of Change that can be manually created"). "Created", "Edited", "Approved", "Reconciled", "Deleted"
# and "Voided" are the values a third-party Xero connector documents
# (https://help.odatalink.com, "Xero Accounting Endpoint: GetHistoryCreditNote"); the remaining words follow
# the same pattern (unconfirmed).
CREATED = "Created"
#: An edit that did not change the status (Xero's word is "Edited", not "Updated").
UPDATED = "Edited"
SUBMITTED = "Submitted"
APPROVED = "Approved"
SENT = "Sent"
RECONCILED = "Reconciled"
VOIDED = "Voided"
DELETED = "Deleted"
PAID = "Paid"
ARCHIVED = "Archived"
NOTE = "Note"
ATTACHED = "Attached a file"
CREDIT_APPLIED = "Credit Applied"

#: Collection names of every resource with ``…/History`` operations in the spec (mappings/xero_operations.toml).
RESOURCES = frozenset({
    "BatchPayments", "BankTransactions", "BankTransfers", "Contacts", "CreditNotes", "ExpenseClaims", "Invoices",
    "Items", "ManualJournals", "Overpayments", "Payments", "Prepayments", "PurchaseOrders", "Quotes", "Receipts",
    "RepeatingInvoices",
})

#: Status → the ``Changes`` word recorded when a document reaches it (see :func:`status_change`).
_STATUS_WORDS = {
    "SUBMITTED": SUBMITTED, "AUTHORISED": APPROVED, "APPROVED": APPROVED, "SENT": SENT, "VOIDED": VOIDED,
    "DELETED": DELETED, "PAID": PAID, "ARCHIVED": ARCHIVED, "ACCEPTED": "Accepted", "DECLINED": "Declined",
    "INVOICED": "Invoiced", "BILLED": "Billed",
}


async def record(session: AsyncSession, *, company_id: str, resource: str, record_id: str, changes: str,
                 details: str, user: str = SYSTEM_USER, when: dt.datetime | None = None) -> HistoryEntry:
    """Append one history entry for a document (inside the caller's transaction).

    Args:
        session: the request's DB session (``books.session``).
        company_id: the tenant (``books.company.id``).
        resource: the parent's collection name, one of :data:`RESOURCES` (``"Invoices"``).
        record_id: the parent's id (GUID string).
        changes: what happened (:data:`CREATED`, :data:`APPROVED`, :data:`NOTE`…), at most 100 characters.
        details: free text.
        user: who did it (default :data:`SYSTEM_USER`, what Xero shows for API changes).
        when: aware UTC time of the change (default: now); pass ``books.now()`` so tests with a fixed clock
            get fixed dates.

    Returns:
        The added (flushed) entry.

    Raises:
        ValueError: ``resource`` is not one of :data:`RESOURCES` (a programming error, never a client's).
    """
    if resource not in RESOURCES:
        raise ValueError(f"history.record: unknown resource {resource!r}")
    entry = HistoryEntry(company_id=company_id, resource=resource, record_id=record_id.lower(),
                         changes=changes[:100], details=details or "", user=user[:255], date_utc=when or utcnow())
    session.add(entry)
    await session.flush()
    return entry


async def entries(session: AsyncSession, *, company_id: str, resource: str, record_id: str
                  ) -> Sequence[HistoryEntry]:
    """Every entry of one document, oldest first (ties in insertion order)."""
    rows = await session.scalars(
        select(HistoryEntry)
        .where(HistoryEntry.company_id == company_id, HistoryEntry.resource == resource,
               HistoryEntry.record_id == record_id.lower())
        .order_by(HistoryEntry.date_utc, HistoryEntry.id))
    return list(rows)


def status_change(old: str | None, new: str) -> str:
    """The ``Changes`` word for a write that moved a document from ``old`` to ``new`` status.

    Returns:
        :data:`CREATED` for a new document (``old`` is ``None``), the status word (``Approved``, ``Voided``,
        ``Deleted``, ``Paid``…) when the status changed, :data:`UPDATED` (``"Edited"``) when it did not.
    """
    if old is None:
        return CREATED
    if old != new:
        return _STATUS_WORDS.get(new, UPDATED)
    return UPDATED


def amount_text(value: Decimal) -> str:
    """Money as Xero writes it in history details: two decimals, thousands separated (``1,234.50``)."""
    return f"{value:,.2f}"


def document_details(number: str | None, contact_name: str | None, total: Decimal) -> str:
    """Details of a document's history entry: ``"INV-0001 to City Limousines for 100.00."`` (unconfirmed
    wording; numbers and names left out when the document has none)."""
    text = number or "Document"
    if contact_name:
        text += f" to {contact_name}"
    return f"{text} for {amount_text(total)}."
