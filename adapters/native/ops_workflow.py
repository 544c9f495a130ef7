"""Native-ledger operations: Quotes, PurchaseOrders, LinkedTransactions, History and Notes, Attachments and document
PDFs.

A mixin of :class:`adapters.native.adapter.NativeLedgerAdapter`: its methods are Xero operations (snake-cased
``operationId``, signature ``(self, ctx, req) -> Result``) and use the adapter's session helpers
(``self._read``, ``self._write``).

History and attachment operations exist in the spec once per resource (``getInvoiceHistory``,
``createQuoteAttachmentByFileName``…). They are not written out one by one: :func:`_install_resource_operations`
reads ``mappings/xero_operations.toml`` and defines, on :class:`WorkflowOperations`, every ``…/History`` and
``…/Attachments…`` operation of each resource listed in :data:`adapters.native.parents.PARENTS`, each delegating
to one generic implementation. Resources the ledger does not keep (Receipts, RepeatingInvoices, ExpenseClaims,
BatchPayments) get no method, so they answer 501 like any unsupported operation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select

import mappings
from adapters.base import snake_case
from gateway.xero import models as xm
from gateway.xero.errors import NotFound, OperationNotSupported, ValidationException
from gateway.xero.models.workflow import (
    HistoryRecord,
    LinkedTransaction,
    PurchaseOrder,
    Quote,
)
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import attachments, batch, history, linked_transactions, listing, messages, parents, pdf, purchase_orders
from . import quotes as quote_docs
from . import workflow_documents as wd
from .books import Books
from .models_workflow import AttachmentFile
from .validation import ElementInvalid

_ORDER_QUOTES = [OrderTerm("UpdatedDateUTC"), OrderTerm("QuoteID")]
_ORDER_PURCHASE_ORDERS = [OrderTerm("UpdatedDateUTC"), OrderTerm("PurchaseOrderID")]
_ORDER_LINKED = [OrderTerm("UpdatedDateUTC"), OrderTerm("LinkedTransactionID")]


def _between(value: dt.date | None, low: dt.date | None, high: dt.date | None) -> bool:
    """``low <= value <= high`` with open bounds; a missing value fails any bound."""
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


class WorkflowOperations:
    """Operations on Quotes, PurchaseOrders, LinkedTransactions, History and Notes, Attachments and document PDFs."""

    # Provided by NativeLedgerAdapter (declared for readers and type checkers).
    code: str
    settings: Any
    _read: Callable[..., Awaitable[Any]]
    _write: Callable[..., Awaitable[Any]]

    # Quotes -------------------------------------------------------------------------------------------------

    async def get_quotes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Quotes``: ``DateFrom``/``DateTo`` (quote date), ``ExpiryDateFrom``/``ExpiryDateTo``, ``ContactID``,
        ``Status``, ``QuoteNumber`` (case-insensitive), ``order``, ``page`` (100 a page), ``If-Modified-Since``.
        Date bounds are inclusive (unconfirmed). Every quote carries its line items (spec: "with line items shown
        for each quote").

        Raises:
            ValidationException: a date or GUID parameter that does not parse.
        """
        date_from, date_to = req.parameters.date("DateFrom"), req.parameters.date("DateTo")
        expiry_from, expiry_to = req.parameters.date("ExpiryDateFrom"), req.parameters.date("ExpiryDateTo")
        contact_id = req.parameters.guid("ContactID")
        status = (req.parameters.text("Status") or "").upper() or None
        number = (req.parameters.text("QuoteNumber") or "").lower() or None

        def keep(q: Quote) -> bool:
            return (_between(q.Date, date_from, date_to) and _between(q.ExpiryDate, expiry_from, expiry_to)
                    and (contact_id is None or (q.Contact is not None and q.Contact.ContactID == contact_id))
                    and (status is None or q.Status == status)
                    and (number is None or (q.QuoteNumber or "").lower() == number))

        async def work(books: Books) -> Result:
            models = [quote_docs.to_model(r, unitdp=req.query.unitdp) for r in await wd.all_rows(books, wd.QUOTE)]
            page = listing.select(models, req.query, default_order=_ORDER_QUOTES, keep=keep)
            return Result(items=list(page.items), pagination=page.pagination)
        return await self._read(ctx, work)

    async def get_quote(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Quotes/{QuoteID}``. Raises ``NotFound``."""
        quote_id = req.path_params.get("QuoteID", "")

        async def work(books: Books) -> Result:
            row = await wd.get_by_id(books, wd.QUOTE, quote_id)
            if row is None:
                raise NotFound()
            return Result(items=[quote_docs.to_model(row, unitdp=req.query.unitdp)])
        return await self._read(ctx, work)

    async def _write_quotes(self, ctx: RequestContext, req: XeroRequest, *, mode: str,
                            path_id: str | None = None) -> Result:
        unitdp = req.query.unitdp

        async def work(books: Books) -> Result:
            async def apply(el: Any) -> Quote:
                return quote_docs.to_model(await quote_docs.write(books, el, mode=mode, path_id=path_id,
                                                                  unitdp=unitdp), unitdp=unitdp)
            items = await batch.run_batch(req.elements, apply, model=Quote,
                                          summarize_errors=req.query.summarize_errors)
            return Result(items=list(items))
        return await self._write(ctx, work)

    async def create_quotes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Quotes``: create only. Raises ``ValidationException`` (``summarizeErrors``)."""
        return await self._write_quotes(ctx, req, mode="create")

    async def update_or_create_quotes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Quotes``: update by ``QuoteID`` or ``QuoteNumber``, else create."""
        return await self._write_quotes(ctx, req, mode="upsert")

    async def update_quote(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Quotes/{QuoteID}``. Raises ``NotFound``, ``ValidationException``."""
        req.query.summarize_errors = True
        return await self._write_quotes(ctx, req, mode="update", path_id=req.path_params.get("QuoteID", ""))

    async def get_quote_as_pdf(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Quotes/{QuoteID}/pdf`` (or ``Accept: application/pdf``): the quote as a PDF. Raises
        ``NotFound``."""
        quote = (await self.get_quote(ctx, req)).items[0]
        return await self._pdf(ctx, "QUOTE", quote)

    # Purchase orders ----------------------------------------------------------------------------------------

    async def get_purchase_orders(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders``: ``Status`` (the spec's enum, checked by the front end), ``DateFrom``/``DateTo``
        (inclusive, unconfirmed), ``order``, ``page``/``pageSize``, ``If-Modified-Since``; line items always
        included.

        Raises:
            ValidationException: a date that does not parse (the spec types these two as plain strings).
        """
        date_from, date_to = req.parameters.date("DateFrom"), req.parameters.date("DateTo")
        status = req.parameters.text("Status")

        def keep(po: PurchaseOrder) -> bool:
            return _between(po.Date, date_from, date_to) and (status is None or po.Status == status)

        async def work(books: Books) -> Result:
            rows = await wd.all_rows(books, wd.PURCHASE_ORDER)
            with_files = await self._documents_with_attachments(books, "PurchaseOrders")
            models = [purchase_orders.to_model(r, unitdp=req.query.unitdp, has_attachments=r.id in with_files)
                      for r in rows]
            page = listing.select(models, req.query, default_order=_ORDER_PURCHASE_ORDERS, keep=keep)
            return Result(items=list(page.items), pagination=page.pagination)
        return await self._read(ctx, work)

    async def _purchase_order(self, ctx: RequestContext, key: str, unitdp: int) -> Result:
        async def work(books: Books) -> Result:
            row = await purchase_orders.get_by_id_or_number(books, key) if key else None
            if row is None:
                raise NotFound()
            with_files = await self._documents_with_attachments(books, "PurchaseOrders")
            return Result(items=[purchase_orders.to_model(row, unitdp=unitdp, has_attachments=row.id in with_files)])
        return await self._read(ctx, work)

    async def get_purchase_order(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders/{PurchaseOrderID}``. Raises ``NotFound``."""
        return await self._purchase_order(ctx, req.path_params.get("PurchaseOrderID", ""), req.query.unitdp)

    async def get_purchase_order_by_number(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders/{PurchaseOrderNumber}`` (case-insensitive). Raises ``NotFound``."""
        return await self._purchase_order(ctx, req.path_params.get("PurchaseOrderNumber", ""), req.query.unitdp)

    async def _write_purchase_orders(self, ctx: RequestContext, req: XeroRequest, *, mode: str,
                                     path_id: str | None = None) -> Result:
        unitdp = req.query.unitdp

        async def work(books: Books) -> Result:
            with_files = await self._documents_with_attachments(books, "PurchaseOrders")

            async def apply(el: Any) -> PurchaseOrder:
                row = await purchase_orders.write(books, el, mode=mode, path_id=path_id, unitdp=unitdp)
                return purchase_orders.to_model(row, unitdp=unitdp, has_attachments=row.id in with_files)
            items = await batch.run_batch(req.elements, apply, model=PurchaseOrder,
                                          summarize_errors=req.query.summarize_errors)
            return Result(items=list(items))
        return await self._write(ctx, work)

    async def create_purchase_orders(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /PurchaseOrders``: create only. Raises ``ValidationException`` (``summarizeErrors``)."""
        return await self._write_purchase_orders(ctx, req, mode="create")

    async def update_or_create_purchase_orders(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /PurchaseOrders``: update by ``PurchaseOrderID`` or ``PurchaseOrderNumber``, else create."""
        return await self._write_purchase_orders(ctx, req, mode="upsert")

    async def update_purchase_order(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /PurchaseOrders/{PurchaseOrderID}``. Raises ``NotFound``, ``ValidationException``."""
        req.query.summarize_errors = True
        return await self._write_purchase_orders(ctx, req, mode="update",
                                                 path_id=req.path_params.get("PurchaseOrderID", ""))

    async def get_purchase_order_as_pdf(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders/{PurchaseOrderID}/pdf`` (or ``Accept: application/pdf``). Raises ``NotFound``."""
        key = req.path_params.get("PurchaseOrderID") or req.path_params.get("PurchaseOrderNumber") or ""
        order = (await self._purchase_order(ctx, key, req.query.unitdp)).items[0]
        return await self._pdf(ctx, "PURCHASEORDER", order)

    # Linked transactions ------------------------------------------------------------------------------------

    async def get_linked_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /LinkedTransactions``: ``LinkedTransactionID``, ``SourceTransactionID``, ``ContactID``, ``Status``,
        ``TargetTransactionID``, ``page`` (100 a page).

        Raises:
            ValidationException: a GUID parameter that does not parse.
        """
        filters = {name: req.parameters.guid(name) for name in ("LinkedTransactionID", "SourceTransactionID",
                                                             "ContactID", "TargetTransactionID")}
        status = (req.parameters.text("Status") or "").upper() or None

        def keep(lt: LinkedTransaction) -> bool:
            return (all(value is None or getattr(lt, name) == value for name, value in filters.items())
                    and (status is None or lt.Status == status))

        async def work(books: Books) -> Result:
            models = [await linked_transactions.to_model(books, r) for r in await linked_transactions.all_rows(books)]
            page = listing.select(models, req.query, default_order=_ORDER_LINKED, keep=keep)
            return Result(items=list(page.items), pagination=page.pagination)
        return await self._read(ctx, work)

    async def get_linked_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /LinkedTransactions/{LinkedTransactionID}``. Raises ``NotFound``."""
        linked_id = req.path_params.get("LinkedTransactionID", "")

        async def work(books: Books) -> Result:
            row = await linked_transactions.get_by_id(books, linked_id)
            if row is None:
                raise NotFound()
            return Result(items=[await linked_transactions.to_model(books, row)])
        return await self._read(ctx, work)

    async def _write_linked(self, ctx: RequestContext, req: XeroRequest, *, path_id: str | None) -> Result:
        if len(req.elements) != 1:
            raise ValidationException.single(messages.SINGLE_ELEMENT.format(operation=req.operation_id,
                                                                              count=len(req.elements)))

        async def work(books: Books) -> Result:
            async def apply(el: Any) -> LinkedTransaction:
                row = await linked_transactions.write(books, el, path_id=path_id)
                return await linked_transactions.to_model(books, row)
            return Result(items=[await batch.run_single(req.elements[0], apply)])
        return await self._write(ctx, work)

    async def create_linked_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /LinkedTransactions`` (one element; one carrying the ``LinkedTransactionID`` of an existing
        linked transaction updates it, unconfirmed). Raises ``ValidationException``, ``NotFound``."""
        return await self._write_linked(ctx, req, path_id=None)

    async def update_linked_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /LinkedTransactions/{LinkedTransactionID}``: assign the customer and target invoice. Raises
        ``NotFound``, ``ValidationException``."""
        return await self._write_linked(ctx, req, path_id=req.path_params.get("LinkedTransactionID", ""))

    async def delete_linked_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /LinkedTransactions/{LinkedTransactionID}``: HTTP 204. Raises ``NotFound``,
        ``ValidationException`` (billed or voided)."""
        linked_id = req.path_params.get("LinkedTransactionID", "")

        async def work(books: Books) -> Result:
            await linked_transactions.delete(books, linked_id)
            return Result(status=204)
        return await self._write(ctx, work)

    # PDFs of other documents --------------------------------------------------------------------------------

    async def get_invoice_as_pdf(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}/pdf`` (or ``Accept: application/pdf``; the id may be an ``InvoiceNumber``).
        Raises ``NotFound``."""
        invoice = (await self.get_invoice(ctx, req)).items[0]  # type: ignore[attr-defined]
        return await self._pdf(ctx, invoice.Type or "ACCREC", invoice)

    async def get_credit_note_as_pdf(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes/{CreditNoteID}/pdf`` (or ``Accept: application/pdf``), from ``getCreditNote``.

        Raises:
            NotFound: no such credit note.
            OperationNotSupported: the ledger does not serve credit notes.
        """
        get_credit_note = getattr(self, "get_credit_note", None)
        if get_credit_note is None:
            raise OperationNotSupported(req.operation_id, self.code, "credit notes are not kept by this ledger")
        note = (await get_credit_note(ctx, req)).items[0]
        return await self._pdf(ctx, getattr(note, "Type", None) or "ACCRECCREDIT", note)

    async def _pdf(self, ctx: RequestContext, kind: str, model: Any) -> Result:
        """Render a canonical document with the organisation and the full contact (for its address)."""
        organisation = (await self.get_organisations(  # type: ignore[attr-defined]
            ctx, XeroRequest(operation_id="getOrganisations"))).items[0]
        contact: xm.Contact | None = None
        contact_id = model.Contact.ContactID if getattr(model, "Contact", None) is not None else None
        if contact_id:
            try:
                found = await self.get_contact(  # type: ignore[attr-defined]
                    ctx, XeroRequest(operation_id="getContact", path_params={"ContactID": contact_id}))
                contact = found.items[0]
            except NotFound:
                contact = None
        content = pdf.render(pdf.from_model(kind, model, organisation=organisation, contact=contact))
        return Result(content=content, content_type="application/pdf")

    # History and notes (generic; the per-resource operations are installed below) ---------------------------

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
        return await self._write(ctx, work)

    # Attachments (generic; the per-resource operations are installed below) ---------------------------------

    def _attachment_store(self) -> attachments.AttachmentStore:
        return attachments.AttachmentStore(self.settings.data_dir / "attachments")

    def _api_base_url(self) -> str:
        """This source's Accounting API root as clients reach it (``{public_url}/{code}/api.xro/2.0``)."""
        return f"{self.settings.public_url}/{self.code}/api.xro/2.0"

    async def _parent(self, books: Books, req: XeroRequest, resource: str, id_param: str) -> parents.Found:
        return await parents.find(books.session, company_id=books.company.id, resource=resource,
                                  record_id=req.path_params.get(id_param, ""), operation_id=req.operation_id,
                                  source_code=self.code)

    async def _documents_with_attachments(self, books: Books, resource: str) -> set[str]:
        """Ids of the resource's documents that have at least one attachment (``HasAttachments``)."""
        rows = await books.session.scalars(
            select(AttachmentFile.record_id).where(AttachmentFile.company_id == books.company.id,
                                                   AttachmentFile.resource == resource).distinct())
        return set(rows)

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
        :func:`attachments.response_type` says. Raises ``NotFound``."""
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
        return Result(content=content, content_type=attachments.response_type(row.mime_type, req.accept))

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
        return await self._write(ctx, work)


# Per-resource History and Attachments operations, derived from the operation table -----------------------------

_ID = r"/(?P<resource>[A-Za-z]+)/\{(?P<id_param>[A-Za-z]+)\}"
#: (method, path pattern) → (generic implementation name, extra keyword arguments).
_SHAPES: tuple[tuple[str, re.Pattern[str], str, dict[str, str]], ...] = (
    ("GET", re.compile(_ID + r"/History$"), "_history_records", {}),
    ("PUT", re.compile(_ID + r"/History$"), "_add_notes", {}),
    ("GET", re.compile(_ID + r"/Attachments$"), "_attachment_list", {}),
    ("GET", re.compile(_ID + r"/Attachments/\{AttachmentID\}$"), "_attachment_content", {"by": "AttachmentID"}),
    ("GET", re.compile(_ID + r"/Attachments/\{FileName\}$"), "_attachment_content", {"by": "FileName"}),
    ("PUT", re.compile(_ID + r"/Attachments/\{FileName\}$"), "_attachment_upload", {}),
    ("POST", re.compile(_ID + r"/Attachments/\{FileName\}$"), "_attachment_upload", {}),
)


def _operation(operation_id: str, method: str, path: str, implementation: str, resource: str, id_param: str,
               extra: dict[str, str]) -> Callable[..., Awaitable[Result]]:
    async def operation(self: WorkflowOperations, ctx: RequestContext, req: XeroRequest) -> Result:
        return await getattr(self, implementation)(ctx, req, resource, id_param, **extra)

    operation.__name__ = operation.__qualname__ = snake_case(operation_id)
    operation.__doc__ = (f"``{method} {path}`` ({operation_id}): see "
                         f":meth:`WorkflowOperations.{implementation}`.")
    return operation


def resource_operations() -> dict[str, tuple[str, str, str]]:
    """Every History/Attachments ``operationId`` the native ledger serves → ``(implementation, resource,
    id parameter)``, from ``mappings/xero_operations.toml`` and :data:`parents.PARENTS`."""
    found: dict[str, tuple[str, str, str]] = {}
    for row in mappings.load("xero_operations")["operation"]:
        for method, pattern, implementation, _extra in _SHAPES:
            match = pattern.match(row["path"])
            if row["method"] == method and match and match["resource"] in parents.PARENTS:
                found[row["id"]] = (implementation, match["resource"], match["id_param"])
    return found


def _install_resource_operations() -> None:
    for row in mappings.load("xero_operations")["operation"]:
        for method, pattern, implementation, extra in _SHAPES:
            match = pattern.match(row["path"])
            if row["method"] != method or not match or match["resource"] not in parents.PARENTS:
                continue
            name = snake_case(row["id"])
            if name in WorkflowOperations.__dict__:  # pragma: no cover - a hand-written method wins
                continue
            setattr(WorkflowOperations, name, _operation(row["id"], method, row["path"], implementation,
                                                         match["resource"], match["id_param"], extra))


_install_resource_operations()
