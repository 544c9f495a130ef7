"""Native-ledger operations: History and notes of every document the ledger keeps.

The spec has these operations once per resource (``getInvoiceHistory``, ``createQuoteHistory``…). Each is an
ordinary method here that names its resource and id parameter and delegates to one generic implementation
(:meth:`HistoryOperations._history_records`, :meth:`HistoryOperations._add_notes`). The resources are those of
:data:`adapters.native.resources.parents.PARENTS` (Receipts and ExpenseClaims get theirs from
:func:`adapters.common.records.install` in :mod:`adapters.native.ops_receipts` and
:mod:`adapters.native.ops_expense_claims`); resources the ledger does not keep have no method, so they answer 501
like any unsupported operation. A test checks this
list against ``mappings/xero_operations.toml`` (:func:`adapters.native.resources.parents.resource_operations`).
"""

from __future__ import annotations

from typing import Any

from gateway.xero.errors import ValidationException
from gateway.xero.models.workflow import (
    HistoryRecord,
)
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import batch, messages
from .books import Books
from .ops_base import OperationsBase
from .resources import (
    history,
)
from .validation import ElementInvalid


class HistoryOperations(OperationsBase):
    """History records and notes (``…/{id}/History``) of each resource the ledger keeps."""

    # Generic implementations ------------------------------------------------------------------------------------------

    async def _history_records(self, ctx: RequestContext, req: XeroRequest, resource: str, id_param: str
                               ) -> Result:
        """``GET /{Resource}/{id}/History``: the document's history records and notes, oldest first. Raises
        ``NotFound`` (no such document for this tenant), ``OperationNotSupported``."""
        async def work(books: Books) -> Result:
            parent = await self._parent(books, req, resource, id_param)
            rows = await history.entries(books.session, company_id=books.company.id, resource=resource,
                                         record_id=parent.record_id)
            return Result(items=[HistoryRecord(Changes=r.changes, DateUTC=r.date_utc, User=r.user, Details=r.details)
                                 for r in rows])
        return await self._read(ctx, work)

    async def _add_notes(self, ctx: RequestContext, req: XeroRequest, resource: str, id_param: str) -> Result:
        """``PUT /{Resource}/{id}/History``: add each element's ``Details`` as a note (``Changes`` "Note", user
        "System Generated"; at most 250 characters, https://developer.xero.com/documentation/api/history-and-notes).
        Answers the created records. Raises ``NotFound``, ``ValidationException`` (nothing written)."""
        if not req.elements:
            raise ValidationException.single(messages.NOTE_DETAILS_REQUIRED)

        async def work(books: Books) -> Result:
            parent = await self._parent(books, req, resource, id_param)

            async def apply(el: Any) -> HistoryRecord:
                details = el.get("Details") if isinstance(el, dict) else None
                details = details.strip() if isinstance(details, str) else ""
                if not details:
                    raise ElementInvalid([messages.NOTE_DETAILS_REQUIRED])
                if len(details) > history.NOTE_MAX_LENGTH:
                    raise ElementInvalid([messages.NOTE_DETAILS_TOO_LONG.format(limit=history.NOTE_MAX_LENGTH)])
                entry = await history.record(books.session, company_id=books.company.id, resource=resource,
                                             record_id=parent.record_id, changes=history.NOTE, details=details,
                                             when=books.now())
                return HistoryRecord(Changes=entry.changes, DateUTC=entry.date_utc, User=entry.user,
                                     Details=entry.details, ValidationErrors=[])
            items = await batch.run_batch(req.elements, apply, model=HistoryRecord, summarize_errors=True)
            return Result(items=list(items))
        return await self._write(ctx, req, work)

    # Contacts ---------------------------------------------------------------------------------------------------------

    async def get_contact_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactID}/History`` (``getContactHistory``)."""
        return await self._history_records(ctx, req, "Contacts", "ContactID")

    async def create_contact_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Contacts/{ContactID}/History`` (``createContactHistory``)."""
        return await self._add_notes(ctx, req, "Contacts", "ContactID")

    # Invoices ---------------------------------------------------------------------------------------------------------

    async def get_invoice_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}/History`` (``getInvoiceHistory``)."""
        return await self._history_records(ctx, req, "Invoices", "InvoiceID")

    async def create_invoice_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Invoices/{InvoiceID}/History`` (``createInvoiceHistory``)."""
        return await self._add_notes(ctx, req, "Invoices", "InvoiceID")

    # Payments ---------------------------------------------------------------------------------------------------------

    async def get_payment_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Payments/{PaymentID}/History`` (``getPaymentHistory``)."""
        return await self._history_records(ctx, req, "Payments", "PaymentID")

    async def create_payment_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Payments/{PaymentID}/History`` (``createPaymentHistory``)."""
        return await self._add_notes(ctx, req, "Payments", "PaymentID")

    # Quotes -----------------------------------------------------------------------------------------------------------

    async def get_quote_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Quotes/{QuoteID}/History`` (``getQuoteHistory``)."""
        return await self._history_records(ctx, req, "Quotes", "QuoteID")

    async def create_quote_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Quotes/{QuoteID}/History`` (``createQuoteHistory``)."""
        return await self._add_notes(ctx, req, "Quotes", "QuoteID")

    # PurchaseOrders ---------------------------------------------------------------------------------------------------

    async def get_purchase_order_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders/{PurchaseOrderID}/History`` (``getPurchaseOrderHistory``)."""
        return await self._history_records(ctx, req, "PurchaseOrders", "PurchaseOrderID")

    async def create_purchase_order_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /PurchaseOrders/{PurchaseOrderID}/History`` (``createPurchaseOrderHistory``)."""
        return await self._add_notes(ctx, req, "PurchaseOrders", "PurchaseOrderID")

    # Items ------------------------------------------------------------------------------------------------------------

    async def get_item_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Items/{ItemID}/History`` (``getItemHistory``)."""
        return await self._history_records(ctx, req, "Items", "ItemID")

    async def create_item_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Items/{ItemID}/History`` (``createItemHistory``)."""
        return await self._add_notes(ctx, req, "Items", "ItemID")

    # CreditNotes ------------------------------------------------------------------------------------------------------

    async def get_credit_note_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes/{CreditNoteID}/History`` (``getCreditNoteHistory``)."""
        return await self._history_records(ctx, req, "CreditNotes", "CreditNoteID")

    async def create_credit_note_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /CreditNotes/{CreditNoteID}/History`` (``createCreditNoteHistory``)."""
        return await self._add_notes(ctx, req, "CreditNotes", "CreditNoteID")

    # BankTransactions -------------------------------------------------------------------------------------------------

    async def get_bank_transactions_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions/{BankTransactionID}/History`` (``getBankTransactionsHistory``)."""
        return await self._history_records(ctx, req, "BankTransactions", "BankTransactionID")

    async def create_bank_transaction_history_record(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /BankTransactions/{BankTransactionID}/History`` (``createBankTransactionHistoryRecord``)."""
        return await self._add_notes(ctx, req, "BankTransactions", "BankTransactionID")

    # BankTransfers ----------------------------------------------------------------------------------------------------

    async def get_bank_transfer_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers/{BankTransferID}/History`` (``getBankTransferHistory``)."""
        return await self._history_records(ctx, req, "BankTransfers", "BankTransferID")

    async def create_bank_transfer_history_record(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /BankTransfers/{BankTransferID}/History`` (``createBankTransferHistoryRecord``)."""
        return await self._add_notes(ctx, req, "BankTransfers", "BankTransferID")

    # ManualJournals ---------------------------------------------------------------------------------------------------

    async def get_manual_journals_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals/{ManualJournalID}/History`` (``getManualJournalsHistory``)."""
        return await self._history_records(ctx, req, "ManualJournals", "ManualJournalID")

    async def create_manual_journal_history_record(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /ManualJournals/{ManualJournalID}/History`` (``createManualJournalHistoryRecord``)."""
        return await self._add_notes(ctx, req, "ManualJournals", "ManualJournalID")

    # Overpayments -----------------------------------------------------------------------------------------------------

    async def get_overpayment_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Overpayments/{OverpaymentID}/History`` (``getOverpaymentHistory``)."""
        return await self._history_records(ctx, req, "Overpayments", "OverpaymentID")

    async def create_overpayment_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Overpayments/{OverpaymentID}/History`` (``createOverpaymentHistory``)."""
        return await self._add_notes(ctx, req, "Overpayments", "OverpaymentID")

    # Prepayments ------------------------------------------------------------------------------------------------------

    async def get_prepayment_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Prepayments/{PrepaymentID}/History`` (``getPrepaymentHistory``)."""
        return await self._history_records(ctx, req, "Prepayments", "PrepaymentID")

    async def create_prepayment_history(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Prepayments/{PrepaymentID}/History`` (``createPrepaymentHistory``)."""
        return await self._add_notes(ctx, req, "Prepayments", "PrepaymentID")
