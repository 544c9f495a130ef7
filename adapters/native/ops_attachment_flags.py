"""Native-ledger operations: ``HasAttachments`` and ``Attachments`` on the resources that take attachments.

Xero's spec gives attachment operations (``…/{id}/Attachments``) to Accounts, BankTransactions, BankTransfers,
Contacts, CreditNotes, Invoices, ManualJournals, PurchaseOrders, Quotes, Receipts and RepeatingInvoices. Their
schemas carry ``HasAttachments`` ("boolean to indicate if … has an attachment", spec
``components.schemas.Invoice.HasAttachments`` and its siblings) and, for Contacts, Invoices, ManualJournals and
PurchaseOrders, an ``Attachments`` array (spec ``components.schemas.Invoice.Attachments``…; Quote has neither
field in the spec). Xero fills the array on single GETs: xero-node's sample app reads
``manualJournal.attachments`` from ``GET /ManualJournals/{id}`` (issue 12).

:class:`AttachmentFlagOperations` wraps the list and single GETs of the resources whose own operations do not set
these fields (PurchaseOrders get the array here; Receipts and RepeatingInvoices set both themselves): it calls the
resource's operation (``super()``) and sets the flags from the ``attachments`` table in one more read. It comes
first in the adapter's bases so that its methods are the ones dispatched.

Writes: the answers of the ``POST`` writes that may update an existing record (``POST /Invoices``,
``POST /Invoices/{InvoiceID}``… of Accounts, BankTransactions, Contacts, CreditNotes, Invoices and ManualJournals)
carry ``HasAttachments`` the same way (the list rule: one read of the ids with files), so an update of a record
with files does not answer ``false``. ``PUT`` creates new records, which have no files yet (their ``false`` is
true); BankTransfers have no update; PurchaseOrders, Receipts and RepeatingInvoices set the flag in their own
writes; Quotes have no ``HasAttachments`` in the spec.

``where``/``order`` on ``HasAttachments``: Accounts, Contacts and Invoices filter and sort in SQL on an ``EXISTS``
over the ``attachments`` table (:mod:`adapters.native.translate.fieldmaps`), so they see the true flag. Limitation:
what is evaluated in memory — the other resources' lists, these three on databases without the SQL push-down
(:func:`adapters.native.sqlquery.supports_pushdown`: SQLite only), and a ``where`` whose ``HasAttachments`` term
the SQL cannot take (an ``OR`` with an in-memory path) — still sees the stored default (``false``), because the
models are filtered before the flags are set here.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.xero.request import RequestContext, Result, XeroRequest

from .books import Books
from .ops_attachments import AttachmentOperations
from .ops_banking import BankingOperations
from .ops_contacts import ContactOperations
from .ops_documents import DocumentOperations
from .ops_settings import SettingsOperations
from .ops_workflow import WorkflowOperations
from .resources import attachments
from .tables.workflow import AttachmentFile


@dataclass(frozen=True)
class Flagged:
    """A resource whose answers get the flags.

    Attributes:
        resource: the collection name attachments are filed under (``Invoices``).
        id_field: the model's id field (``InvoiceID``).
        listed: the spec's schema has the ``Attachments`` array (filled on single GETs).
    """

    resource: str
    id_field: str
    listed: bool


ACCOUNTS = Flagged("Accounts", "AccountID", listed=False)
BANK_TRANSACTIONS = Flagged("BankTransactions", "BankTransactionID", listed=False)
BANK_TRANSFERS = Flagged("BankTransfers", "BankTransferID", listed=False)
CONTACTS = Flagged("Contacts", "ContactID", listed=True)
CREDIT_NOTES = Flagged("CreditNotes", "CreditNoteID", listed=False)
INVOICES = Flagged("Invoices", "InvoiceID", listed=True)
MANUAL_JOURNALS = Flagged("ManualJournals", "ManualJournalID", listed=True)
PURCHASE_ORDERS = Flagged("PurchaseOrders", "PurchaseOrderID", listed=True)
#: Every resource this module flags (a test walks them all).
FLAGGED = (ACCOUNTS, BANK_TRANSACTIONS, BANK_TRANSFERS, CONTACTS, CREDIT_NOTES, INVOICES, MANUAL_JOURNALS,
           PURCHASE_ORDERS)


class AttachmentFlagOperations(SettingsOperations, ContactOperations, DocumentOperations, BankingOperations,
                               WorkflowOperations, AttachmentOperations):
    """The GETs of :data:`FLAGGED`, with ``HasAttachments`` (lists and single GETs) and ``Attachments`` (single
    GETs of resources whose schema has the array)."""

    async def _flagged(self, ctx: RequestContext, result: Result, flagged: Flagged, *, single: bool) -> Result:
        """Set the flags on ``result``'s models in place and answer it.

        Args:
            result: the resource operation's answer (models with ``flagged.id_field``).
            single: a single GET: also fill ``Attachments`` (an empty list when there are none) if the schema has it.
        """
        if not result.items:
            return result
        base = self._api_base_url()
        if not single:
            # A list may hold every record: read the ids that have files (few), not the files of every id.
            async def ids_with_files(books: Books) -> set[str]:
                return await self._documents_with_attachments(books, flagged.resource)
            with_files = await self._read(ctx, ids_with_files)
            for model in result.items:
                model.HasAttachments = getattr(model, flagged.id_field, None) in with_files  # type: ignore[attr-defined]
            return result
        (model,) = result.items
        record_id = getattr(model, flagged.id_field, None) or ""

        async def files_of(books: Books) -> list[AttachmentFile]:
            return await attachments.list_rows(books.session, company_id=books.company.id,
                                               resource=flagged.resource, record_id=record_id)
        files = await self._read(ctx, files_of)
        model.HasAttachments = bool(files)  # type: ignore[attr-defined]
        if flagged.listed:
            model.Attachments = [attachments.to_model(f, base_url=base) for f in files]  # type: ignore[attr-defined]
        return result

    # Accounts ---------------------------------------------------------------------------------------------------------

    async def get_accounts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().get_accounts(ctx, req), ACCOUNTS, single=False)

    async def get_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts/{AccountID}`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().get_account(ctx, req), ACCOUNTS, single=True)

    # Contacts ---------------------------------------------------------------------------------------------------------

    async def get_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().get_contacts(ctx, req), CONTACTS, single=False)

    async def get_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactID}`` with ``HasAttachments`` and ``Attachments``."""
        return await self._flagged(ctx, await super().get_contact(ctx, req), CONTACTS, single=True)

    async def get_contact_by_contact_number(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactNumber}`` with ``HasAttachments`` and ``Attachments``."""
        return await self._flagged(ctx, await super().get_contact_by_contact_number(ctx, req), CONTACTS,
                                   single=True)

    # Invoices and CreditNotes -----------------------------------------------------------------------------------------

    async def get_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().get_invoices(ctx, req), INVOICES, single=False)

    async def get_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}`` with ``HasAttachments`` and ``Attachments``."""
        return await self._flagged(ctx, await super().get_invoice(ctx, req), INVOICES, single=True)

    async def get_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().get_credit_notes(ctx, req), CREDIT_NOTES, single=False)

    async def get_credit_note(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes/{CreditNoteID}`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().get_credit_note(ctx, req), CREDIT_NOTES, single=True)

    # Banking ----------------------------------------------------------------------------------------------------------

    async def get_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().get_bank_transactions(ctx, req), BANK_TRANSACTIONS,
                                   single=False)

    async def get_bank_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions/{BankTransactionID}`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().get_bank_transaction(ctx, req), BANK_TRANSACTIONS,
                                   single=True)

    async def get_bank_transfers(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().get_bank_transfers(ctx, req), BANK_TRANSFERS, single=False)

    async def get_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers/{BankTransferID}`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().get_bank_transfer(ctx, req), BANK_TRANSFERS, single=True)

    async def get_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().get_manual_journals(ctx, req), MANUAL_JOURNALS, single=False)

    async def get_manual_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals/{ManualJournalID}`` with ``HasAttachments`` and ``Attachments``."""
        return await self._flagged(ctx, await super().get_manual_journal(ctx, req), MANUAL_JOURNALS, single=True)

    # PurchaseOrders (their operations set HasAttachments; the array is added here) ---------------------------------

    async def get_purchase_order(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders/{PurchaseOrderID}`` with ``Attachments``."""
        return await self._flagged(ctx, await super().get_purchase_order(ctx, req), PURCHASE_ORDERS, single=True)

    async def get_purchase_order_by_number(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders/{PurchaseOrderNumber}`` with ``Attachments``."""
        return await self._flagged(ctx, await super().get_purchase_order_by_number(ctx, req), PURCHASE_ORDERS,
                                   single=True)

    # Writes that may update a record with files (see the module docstring) -------------------------------------------

    async def update_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Accounts/{AccountID}`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().update_account(ctx, req), ACCOUNTS, single=False)

    async def update_or_create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Contacts`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().update_or_create_contacts(ctx, req), CONTACTS, single=False)

    async def update_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Contacts/{ContactID}`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().update_contact(ctx, req), CONTACTS, single=False)

    async def update_or_create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Invoices`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().update_or_create_invoices(ctx, req), INVOICES, single=False)

    async def update_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Invoices/{InvoiceID}`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().update_invoice(ctx, req), INVOICES, single=False)

    async def update_or_create_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /CreditNotes`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().update_or_create_credit_notes(ctx, req), CREDIT_NOTES,
                                   single=False)

    async def update_credit_note(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /CreditNotes/{CreditNoteID}`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().update_credit_note(ctx, req), CREDIT_NOTES, single=False)

    async def update_or_create_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransactions`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().update_or_create_bank_transactions(ctx, req),
                                   BANK_TRANSACTIONS, single=False)

    async def update_bank_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransactions/{BankTransactionID}`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().update_bank_transaction(ctx, req), BANK_TRANSACTIONS,
                                   single=False)

    async def update_or_create_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ManualJournals`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().update_or_create_manual_journals(ctx, req), MANUAL_JOURNALS,
                                   single=False)

    async def update_manual_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ManualJournals/{ManualJournalID}`` with ``HasAttachments``."""
        return await self._flagged(ctx, await super().update_manual_journal(ctx, req), MANUAL_JOURNALS,
                                   single=False)
