"""Native-ledger operations: Attachments of every document the ledger keeps.

The spec has these operations once per resource (``getInvoiceAttachments``, ``createQuoteAttachmentByFileName``…).
Each is an ordinary method here that names its resource and id parameter and delegates to one generic
implementation (:meth:`AttachmentOperations._attachment_list`, :meth:`AttachmentOperations._attachment_content`,
:meth:`AttachmentOperations._attachment_upload`). The resources are those of
:data:`adapters.native.resources.parents.PARENTS` that the spec gives attachments; resources the ledger does not keep
have no method, so they answer 501. A test checks this list against ``mappings/xero_operations.toml``
(:func:`adapters.native.resources.parents.resource_operations`). Files are stored by
:class:`adapters.native.resources.attachments.AttachmentStore` under ``{data_dir}/attachments``.
"""

from __future__ import annotations

from adapters.common.attachments import response_type
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import messages
from .books import Books
from .ops_base import OperationsBase
from .resources import (
    attachments,
    history,
)
from .tables.workflow import AttachmentFile


class AttachmentOperations(OperationsBase):
    """Attachments (``…/{id}/Attachments…``) of each resource the ledger keeps."""

    # Generic implementations ------------------------------------------------------------------------------------------

    def _attachment_store(self) -> attachments.AttachmentStore:
        return attachments.AttachmentStore(self.settings.data_dir / "attachments")

    def _api_base_url(self) -> str:
        """This source's Accounting API root as clients reach it (``{public_url}/{code}/api.xro/2.0``)."""
        return f"{self.settings.public_url}/{self.code}/api.xro/2.0"

    async def _attachment_list(self, ctx: RequestContext, req: XeroRequest, resource: str, id_param: str) -> Result:
        """``GET /{Resource}/{id}/Attachments``: the ``Attachments`` envelope. Raises ``NotFound``."""
        async def work(books: Books) -> Result:
            parent = await self._parent(books, req, resource, id_param)
            rows = await attachments.list_rows(books.session, company_id=books.company.id, resource=resource,
                                               record_id=parent.record_id)
            base = self._api_base_url()
            return Result(items=[attachments.to_model(r, base_url=base) for r in rows])
        return await self._read(ctx, work)

    async def _attachment_content(self, ctx: RequestContext, req: XeroRequest, resource: str, id_param: str, *,
                                  by: str) -> Result:
        """``GET /{Resource}/{id}/Attachments/{AttachmentID|FileName}``: the raw file, typed as
        :func:`adapters.common.attachments.response_type` says. Raises ``NotFound``."""
        async def work(books: Books) -> AttachmentFile:
            parent = await self._parent(books, req, resource, id_param)
            rows = await attachments.list_rows(books.session, company_id=books.company.id, resource=resource,
                                               record_id=parent.record_id)
            key = req.path_params.get(by, "")
            row = attachments.by_id(rows, key) if by == "AttachmentID" else attachments.by_file_name(rows, key)
            if row is None:
                raise NotFound()
            return row
        row = await self._read(ctx, work)
        content = await self._attachment_store().read(row.company_id, row.id)
        return Result(content=content, content_type=response_type(row.mime_type, req.accept))

    async def _attachment_upload(self, ctx: RequestContext, req: XeroRequest, resource: str, id_param: str
                                 ) -> Result:
        """``PUT``/``POST /{Resource}/{id}/Attachments/{FileName}``: store the body as the named attachment
        (replacing one of the same name), record "Attached a file" in the document's history, answer the
        ``Attachments`` envelope. Raises ``NotFound``, ``ValidationException``."""
        if len(req.elements) != 1:
            raise ValidationException.single(messages.ATTACHMENT_EMPTY)
        upload = attachments.Upload.from_element(req.elements[0])
        include_online = req.parameters.boolean("IncludeOnline")
        store = self._attachment_store()

        async def work(books: Books) -> Result:
            parent = await self._parent(books, req, resource, id_param)
            row = await attachments.save(
                books.session, store, company_id=books.company.id, resource=resource, record_id=parent.record_id,
                document_type=parent.document_type, upload=upload, include_online=include_online,
                new_id=books.new_id("attachment"), now=books.now())
            if resource in history.RESOURCES:
                await history.record(books.session, company_id=books.company.id, resource=resource,
                                     record_id=parent.record_id, changes=history.ATTACHED,
                                     details=messages.ATTACHMENT_HISTORY.format(
                                         name=row.file_name, app=ctx.app_name or self.settings.server.provider_name),
                                     when=books.now())
            return Result(items=[attachments.to_model(row, base_url=self._api_base_url())])
        return await self._write(ctx, req, work)

    # Accounts ---------------------------------------------------------------------------------------------------------

    async def get_account_attachments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts/{AccountID}/Attachments`` (``getAccountAttachments``)."""
        return await self._attachment_list(ctx, req, "Accounts", "AccountID")

    async def get_account_attachment_by_id(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts/{AccountID}/Attachments/{AttachmentID}`` (``getAccountAttachmentById``)."""
        return await self._attachment_content(ctx, req, "Accounts", "AccountID", by="AttachmentID")

    async def get_account_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts/{AccountID}/Attachments/{FileName}`` (``getAccountAttachmentByFileName``)."""
        return await self._attachment_content(ctx, req, "Accounts", "AccountID", by="FileName")

    async def create_account_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Accounts/{AccountID}/Attachments/{FileName}`` (``createAccountAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "Accounts", "AccountID")

    async def update_account_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Accounts/{AccountID}/Attachments/{FileName}`` (``updateAccountAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "Accounts", "AccountID")

    # Contacts ---------------------------------------------------------------------------------------------------------

    async def get_contact_attachments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactID}/Attachments`` (``getContactAttachments``)."""
        return await self._attachment_list(ctx, req, "Contacts", "ContactID")

    async def get_contact_attachment_by_id(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactID}/Attachments/{AttachmentID}`` (``getContactAttachmentById``)."""
        return await self._attachment_content(ctx, req, "Contacts", "ContactID", by="AttachmentID")

    async def get_contact_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactID}/Attachments/{FileName}`` (``getContactAttachmentByFileName``)."""
        return await self._attachment_content(ctx, req, "Contacts", "ContactID", by="FileName")

    async def create_contact_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Contacts/{ContactID}/Attachments/{FileName}`` (``createContactAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "Contacts", "ContactID")

    async def update_contact_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Contacts/{ContactID}/Attachments/{FileName}`` (``updateContactAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "Contacts", "ContactID")

    # Invoices ---------------------------------------------------------------------------------------------------------

    async def get_invoice_attachments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}/Attachments`` (``getInvoiceAttachments``)."""
        return await self._attachment_list(ctx, req, "Invoices", "InvoiceID")

    async def get_invoice_attachment_by_id(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}/Attachments/{AttachmentID}`` (``getInvoiceAttachmentById``)."""
        return await self._attachment_content(ctx, req, "Invoices", "InvoiceID", by="AttachmentID")

    async def get_invoice_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}/Attachments/{FileName}`` (``getInvoiceAttachmentByFileName``)."""
        return await self._attachment_content(ctx, req, "Invoices", "InvoiceID", by="FileName")

    async def create_invoice_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Invoices/{InvoiceID}/Attachments/{FileName}`` (``createInvoiceAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "Invoices", "InvoiceID")

    async def update_invoice_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Invoices/{InvoiceID}/Attachments/{FileName}`` (``updateInvoiceAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "Invoices", "InvoiceID")

    # Quotes -----------------------------------------------------------------------------------------------------------

    async def get_quote_attachments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Quotes/{QuoteID}/Attachments`` (``getQuoteAttachments``)."""
        return await self._attachment_list(ctx, req, "Quotes", "QuoteID")

    async def get_quote_attachment_by_id(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Quotes/{QuoteID}/Attachments/{AttachmentID}`` (``getQuoteAttachmentById``)."""
        return await self._attachment_content(ctx, req, "Quotes", "QuoteID", by="AttachmentID")

    async def get_quote_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Quotes/{QuoteID}/Attachments/{FileName}`` (``getQuoteAttachmentByFileName``)."""
        return await self._attachment_content(ctx, req, "Quotes", "QuoteID", by="FileName")

    async def create_quote_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Quotes/{QuoteID}/Attachments/{FileName}`` (``createQuoteAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "Quotes", "QuoteID")

    async def update_quote_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Quotes/{QuoteID}/Attachments/{FileName}`` (``updateQuoteAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "Quotes", "QuoteID")

    # PurchaseOrders ---------------------------------------------------------------------------------------------------

    async def get_purchase_order_attachments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders/{PurchaseOrderID}/Attachments`` (``getPurchaseOrderAttachments``)."""
        return await self._attachment_list(ctx, req, "PurchaseOrders", "PurchaseOrderID")

    async def get_purchase_order_attachment_by_id(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders/{PurchaseOrderID}/Attachments/{AttachmentID}`` (``getPurchaseOrderAttachmentById``)."""
        return await self._attachment_content(ctx, req, "PurchaseOrders", "PurchaseOrderID", by="AttachmentID")

    async def get_purchase_order_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders/{PurchaseOrderID}/Attachments/{FileName}``
        (``getPurchaseOrderAttachmentByFileName``)."""
        return await self._attachment_content(ctx, req, "PurchaseOrders", "PurchaseOrderID", by="FileName")

    async def create_purchase_order_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /PurchaseOrders/{PurchaseOrderID}/Attachments/{FileName}``
        (``createPurchaseOrderAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "PurchaseOrders", "PurchaseOrderID")

    async def update_purchase_order_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /PurchaseOrders/{PurchaseOrderID}/Attachments/{FileName}``
        (``updatePurchaseOrderAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "PurchaseOrders", "PurchaseOrderID")

    # CreditNotes ------------------------------------------------------------------------------------------------------

    async def get_credit_note_attachments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes/{CreditNoteID}/Attachments`` (``getCreditNoteAttachments``)."""
        return await self._attachment_list(ctx, req, "CreditNotes", "CreditNoteID")

    async def get_credit_note_attachment_by_id(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes/{CreditNoteID}/Attachments/{AttachmentID}`` (``getCreditNoteAttachmentById``)."""
        return await self._attachment_content(ctx, req, "CreditNotes", "CreditNoteID", by="AttachmentID")

    async def get_credit_note_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes/{CreditNoteID}/Attachments/{FileName}`` (``getCreditNoteAttachmentByFileName``)."""
        return await self._attachment_content(ctx, req, "CreditNotes", "CreditNoteID", by="FileName")

    async def create_credit_note_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /CreditNotes/{CreditNoteID}/Attachments/{FileName}`` (``createCreditNoteAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "CreditNotes", "CreditNoteID")

    async def update_credit_note_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /CreditNotes/{CreditNoteID}/Attachments/{FileName}`` (``updateCreditNoteAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "CreditNotes", "CreditNoteID")

    # BankTransactions -------------------------------------------------------------------------------------------------

    async def get_bank_transaction_attachments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions/{BankTransactionID}/Attachments`` (``getBankTransactionAttachments``)."""
        return await self._attachment_list(ctx, req, "BankTransactions", "BankTransactionID")

    async def get_bank_transaction_attachment_by_id(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions/{BankTransactionID}/Attachments/{AttachmentID}``
        (``getBankTransactionAttachmentById``)."""
        return await self._attachment_content(ctx, req, "BankTransactions", "BankTransactionID", by="AttachmentID")

    async def get_bank_transaction_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions/{BankTransactionID}/Attachments/{FileName}``
        (``getBankTransactionAttachmentByFileName``)."""
        return await self._attachment_content(ctx, req, "BankTransactions", "BankTransactionID", by="FileName")

    async def create_bank_transaction_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /BankTransactions/{BankTransactionID}/Attachments/{FileName}``
        (``createBankTransactionAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "BankTransactions", "BankTransactionID")

    async def update_bank_transaction_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransactions/{BankTransactionID}/Attachments/{FileName}``
        (``updateBankTransactionAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "BankTransactions", "BankTransactionID")

    # BankTransfers ----------------------------------------------------------------------------------------------------

    async def get_bank_transfer_attachments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers/{BankTransferID}/Attachments`` (``getBankTransferAttachments``)."""
        return await self._attachment_list(ctx, req, "BankTransfers", "BankTransferID")

    async def get_bank_transfer_attachment_by_id(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers/{BankTransferID}/Attachments/{AttachmentID}`` (``getBankTransferAttachmentById``)."""
        return await self._attachment_content(ctx, req, "BankTransfers", "BankTransferID", by="AttachmentID")

    async def get_bank_transfer_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers/{BankTransferID}/Attachments/{FileName}`` (``getBankTransferAttachmentByFileName``)."""
        return await self._attachment_content(ctx, req, "BankTransfers", "BankTransferID", by="FileName")

    async def create_bank_transfer_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /BankTransfers/{BankTransferID}/Attachments/{FileName}``
        (``createBankTransferAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "BankTransfers", "BankTransferID")

    async def update_bank_transfer_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransfers/{BankTransferID}/Attachments/{FileName}``
        (``updateBankTransferAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "BankTransfers", "BankTransferID")

    # ManualJournals ---------------------------------------------------------------------------------------------------

    async def get_manual_journal_attachments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals/{ManualJournalID}/Attachments`` (``getManualJournalAttachments``)."""
        return await self._attachment_list(ctx, req, "ManualJournals", "ManualJournalID")

    async def get_manual_journal_attachment_by_id(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals/{ManualJournalID}/Attachments/{AttachmentID}`` (``getManualJournalAttachmentById``)."""
        return await self._attachment_content(ctx, req, "ManualJournals", "ManualJournalID", by="AttachmentID")

    async def get_manual_journal_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals/{ManualJournalID}/Attachments/{FileName}``
        (``getManualJournalAttachmentByFileName``)."""
        return await self._attachment_content(ctx, req, "ManualJournals", "ManualJournalID", by="FileName")

    async def create_manual_journal_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /ManualJournals/{ManualJournalID}/Attachments/{FileName}``
        (``createManualJournalAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "ManualJournals", "ManualJournalID")

    async def update_manual_journal_attachment_by_file_name(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ManualJournals/{ManualJournalID}/Attachments/{FileName}``
        (``updateManualJournalAttachmentByFileName``)."""
        return await self._attachment_upload(ctx, req, "ManualJournals", "ManualJournalID")
