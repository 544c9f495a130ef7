"""Native-ledger operations: Invoices, CreditNotes, Overpayments and Prepayments, and the Allocations of the
credits to invoices.

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`). The rules live in
the modules named in each docstring; this module maps requests to them and their rows to canonical models
(:mod:`adapters.native.translate.core`, :mod:`adapters.native.translate.documents`).

Lists: Invoices run their ``where``, ``order``, paging and ``If-Modified-Since`` in SQL
(:func:`adapters.native.listing.select_sql` with :mod:`adapters.native.translate.fieldmaps`); the others honour
``where`` and ``order`` in memory (paths the resource's model lacks are refused with ``QueryParseException``,
:func:`adapters.native.listing.check_paths`), ``If-Modified-Since`` (``UpdatedDateUTC``) and, where the spec
declares ``page``, paging; line items are shown on single GETs and paged lists. Default orders (a client's ``order``
sorts first and these break ties): ``UpdatedDateUTC`` then id, so that ``If-Modified-Since`` + paging walks changes
in order.

Writes run every element in the request's one transaction with ``summarizeErrors`` semantics
(:mod:`adapters.native.batch`); single-object operations (``POST …/{id}``) always summarise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound
from gateway.xero.models import documents as xd
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import batch, listing
from .books import Books
from .ops_base import OperationsBase, page_result, select_result
from .resources import (
    allocations,
    bank_transactions,
    credit_notes,
    credits,
    invoice_page,
    invoices,
)
from .tables.core import Invoice
from .tables.documents import CreditNote
from .translate import core as translate
from .translate import documents as td
from .translate import fieldmaps

_ORDER_INVOICES = [OrderTerm("UpdatedDateUTC"), OrderTerm("InvoiceID")]
_ORDER_CREDIT_NOTES = [OrderTerm("UpdatedDateUTC"), OrderTerm("CreditNoteID")]
_ORDER_OVERPAYMENTS = [OrderTerm("UpdatedDateUTC"), OrderTerm("OverpaymentID")]
_ORDER_PREPAYMENTS = [OrderTerm("UpdatedDateUTC"), OrderTerm("PrepaymentID")]



class DocumentOperations(OperationsBase):
    """Operations on Invoices, CreditNotes, Overpayments, Prepayments and their Allocations."""

    # Invoices ---------------------------------------------------------------------------------------------------------

    async def get_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices``: ``IDs``, ``InvoiceNumbers``, ``ContactIDs``, ``Statuses``, ``searchTerm``
        (InvoiceNumber, Reference), ``createdByMyApp`` (invoices created by the calling app's ``client_id``),
        ``includeArchived`` (no invoice is ever ARCHIVED), ``where``, ``order``, paging, ``If-Modified-Since``,
        ``summaryOnly`` (no ``LineItems``, no ``Payments``), ``unitdp`` (:func:`adapters.native.translate.fieldmaps.
        invoice_filters`). Without ``page`` the invoices carry no ``LineItems`` (Xero returns line items for a single
        invoice or a paged list)."""
        q = req.query

        async def work(books: Books) -> Result:
            async def to_models(rows: list[Invoice]) -> list[xm.Invoice]:
                with_lines = q.page is not None
                children = await invoice_page.load(books.session, rows, lines=with_lines and not q.summary_only,
                                                   payments=not q.summary_only)
                return [translate.invoice(r, with_lines=with_lines, unitdp=q.unitdp, summary=q.summary_only,
                                          children=children) for r in rows]
            statement = select(Invoice).options(*invoice_page.LIST_OPTIONS).where(
                Invoice.company_id == books.company.id, *fieldmaps.invoice_filters(q, client_id=ctx.client_id))
            return page_result(await listing.select_sql(
                books.session, statement, q, fields=fieldmaps.INVOICES, default_order=_ORDER_INVOICES,
                to_models=to_models, pushdown=self.sql_pushdown))
        return await self._read(ctx, work)

    async def get_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}`` or ``/Invoices/{InvoiceNumber}``, with line items. Raises ``NotFound``."""
        key = req.path_params.get("InvoiceID") or req.path_params.get("InvoiceNumber") or ""

        async def work(books: Books) -> Result:
            row = await invoices.get_by_id_or_number(books, key) if key else None
            if row is None:
                raise NotFound()
            return Result(items=[translate.invoice(row, unitdp=req.query.unitdp)])
        return await self._read(ctx, work)

    async def _write_invoices(self, ctx: RequestContext, req: XeroRequest, *, mode: str,
                              path_id: str | None = None) -> Result:
        unitdp = req.query.unitdp

        async def apply(books: Books, el: Any) -> xm.Invoice:
            row = await invoices.write(books, el, mode=mode, path_id=path_id, unitdp=unitdp,
                                       client_id=ctx.client_id)
            return translate.invoice(row, unitdp=unitdp)
        return await self._write_batch(ctx, req, apply, model=xm.Invoice)

    async def create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Invoices``: create only. Raises ``ValidationException`` (summarizeErrors)."""
        return await self._write_invoices(ctx, req, mode="create")

    async def update_or_create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Invoices``: update by ``InvoiceID`` or ``InvoiceNumber``, else create."""
        return await self._write_invoices(ctx, req, mode="upsert")

    async def update_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Invoices/{InvoiceID}``. Raises ``NotFound``, ``ValidationException``."""
        req.query.summarize_errors = True
        key = req.path_params.get("InvoiceID") or req.path_params.get("InvoiceNumber") or ""
        return await self._write_invoices(ctx, req, mode="update", path_id=key)

    # CreditNotes ------------------------------------------------------------------------------------------------------

    async def get_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes`` (every status) with ``where``, ``order``, paging, ``If-Modified-Since``, ``unitdp``
        (:mod:`adapters.native.resources.credit_notes`)."""
        q = req.query

        async def work(books: Books) -> Result:
            rows = await books.session.scalars(select(CreditNote).where(CreditNote.company_id == books.company.id))
            models = [td.credit_note(r, with_lines=q.page is not None, unitdp=q.unitdp) for r in rows]
            return select_result(models, q, xd.CreditNote, default_order=_ORDER_CREDIT_NOTES)
        return await self._read(ctx, work)

    async def get_credit_note(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes/{CreditNoteID}`` with line items. Raises ``NotFound``."""
        credit_note_id = req.path_params.get("CreditNoteID", "")

        async def work(books: Books) -> Result:
            row = await credit_notes.get_by_id(books, credit_note_id)
            if row is None:
                raise NotFound()
            return Result(items=[td.credit_note(row, unitdp=req.query.unitdp)])
        return await self._read(ctx, work)

    async def _write_credit_notes(self, ctx: RequestContext, req: XeroRequest, *, mode: str,
                                  path_id: str | None = None) -> Result:
        unitdp = req.query.unitdp

        async def apply(books: Books, el: Any) -> xd.CreditNote:
            row = await credit_notes.write(books, el, mode=mode, path_id=path_id, unitdp=unitdp)
            return td.credit_note(row, unitdp=unitdp)
        return await self._write_batch(ctx, req, apply, model=xd.CreditNote)

    async def create_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /CreditNotes``: create only. Raises ``ValidationException`` (summarizeErrors)."""
        return await self._write_credit_notes(ctx, req, mode="create")

    async def update_or_create_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /CreditNotes``: update by ``CreditNoteID`` or ``CreditNoteNumber``, else create."""
        return await self._write_credit_notes(ctx, req, mode="upsert")

    async def update_credit_note(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /CreditNotes/{CreditNoteID}``. Raises ``NotFound``, ``ValidationException``."""
        req.query.summarize_errors = True
        return await self._write_credit_notes(ctx, req, mode="update",
                                              path_id=req.path_params.get("CreditNoteID", ""))

    async def create_credit_note_allocation(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /CreditNotes/{CreditNoteID}/Allocations`` (:mod:`adapters.native.resources.allocations`). Raises
        ``NotFound``, ``ValidationException`` (summarizeErrors)."""
        credit_note_id = req.path_params.get("CreditNoteID", "")

        async def find(books: Books) -> credits.Credit | None:
            return await credit_notes.get_by_id(books, credit_note_id)
        return await self._allocate(ctx, req, find)

    async def delete_credit_note_allocations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /CreditNotes/{CreditNoteID}/Allocations/{AllocationID}``: the allocation with ``IsDeleted``.
        Raises ``NotFound``."""
        credit_note_id = req.path_params.get("CreditNoteID", "")

        async def find(books: Books) -> credits.Credit | None:
            return await credit_notes.get_by_id(books, credit_note_id)
        return await self._deallocate(ctx, req, find)

    # Overpayments and Prepayments -------------------------------------------------------------------------------------

    async def get_overpayments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Overpayments`` with ``References`` (CSV), ``where``, ``order``, paging, ``If-Modified-Since``,
        ``unitdp``."""
        q = req.query
        references = {r.strip('"').lower() for r in req.parameters.items_of("References")}

        def keep(model: xd.Overpayment) -> bool:
            return not references or (model.Reference or "").lower() in references

        async def work(books: Books) -> Result:
            rows = await bank_transactions.list_rows(books, credit="Overpayment")
            models = [td.overpayment(r, with_lines=q.page is not None, unitdp=q.unitdp) for r in rows]
            return select_result(models, q, xd.Overpayment, default_order=_ORDER_OVERPAYMENTS, keep=keep)
        return await self._read(ctx, work)

    async def get_overpayment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Overpayments/{OverpaymentID}``. Raises ``NotFound``."""
        overpayment_id = req.path_params.get("OverpaymentID", "")

        async def work(books: Books) -> Result:
            row = await bank_transactions.get_credit(books, overpayment_id, resource="Overpayments")
            if row is None:
                raise NotFound()
            return Result(items=[td.overpayment(row)])
        return await self._read(ctx, work)

    async def create_overpayment_allocations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Overpayments/{OverpaymentID}/Allocations``. Raises ``NotFound``, ``ValidationException``."""
        overpayment_id = req.path_params.get("OverpaymentID", "")

        async def find(books: Books) -> credits.Credit | None:
            return await bank_transactions.get_credit(books, overpayment_id, resource="Overpayments")
        return await self._allocate(ctx, req, find)

    async def delete_overpayment_allocations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /Overpayments/{OverpaymentID}/Allocations/{AllocationID}``. Raises ``NotFound``."""
        overpayment_id = req.path_params.get("OverpaymentID", "")

        async def find(books: Books) -> credits.Credit | None:
            return await bank_transactions.get_credit(books, overpayment_id, resource="Overpayments")
        return await self._deallocate(ctx, req, find)

    async def get_prepayments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Prepayments`` with ``InvoiceNumbers``, ``where``, ``order``, paging, ``If-Modified-Since``,
        ``unitdp``."""
        q = req.query
        numbers = {n.strip().lower() for n in q.invoice_numbers}

        def keep(model: xd.Prepayment) -> bool:
            return not numbers or (model.InvoiceNumber or "").lower() in numbers

        async def work(books: Books) -> Result:
            rows = await bank_transactions.list_rows(books, credit="Prepayment")
            models = [td.prepayment(r, with_lines=q.page is not None, unitdp=q.unitdp) for r in rows]
            return select_result(models, q, xd.Prepayment, default_order=_ORDER_PREPAYMENTS, keep=keep)
        return await self._read(ctx, work)

    async def get_prepayment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Prepayments/{PrepaymentID}``. Raises ``NotFound``."""
        prepayment_id = req.path_params.get("PrepaymentID", "")

        async def work(books: Books) -> Result:
            row = await bank_transactions.get_credit(books, prepayment_id, resource="Prepayments")
            if row is None:
                raise NotFound()
            return Result(items=[td.prepayment(row)])
        return await self._read(ctx, work)

    async def create_prepayment_allocations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Prepayments/{PrepaymentID}/Allocations``. Raises ``NotFound``, ``ValidationException``."""
        prepayment_id = req.path_params.get("PrepaymentID", "")

        async def find(books: Books) -> credits.Credit | None:
            return await bank_transactions.get_credit(books, prepayment_id, resource="Prepayments")
        return await self._allocate(ctx, req, find)

    async def delete_prepayment_allocations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /Prepayments/{PrepaymentID}/Allocations/{AllocationID}``. Raises ``NotFound``."""
        prepayment_id = req.path_params.get("PrepaymentID", "")

        async def find(books: Books) -> credits.Credit | None:
            return await bank_transactions.get_credit(books, prepayment_id, resource="Prepayments")
        return await self._deallocate(ctx, req, find)

    # Allocations ------------------------------------------------------------------------------------------------------

    async def _allocate(self, ctx: RequestContext, req: XeroRequest,
                        find: Callable[[Books], Awaitable[credits.Credit | None]]) -> Result:
        async def work(books: Books) -> Result:
            credit = await find(books)
            if credit is None:
                raise NotFound()

            async def apply(el: Any) -> xd.Allocation:
                return td.allocation(await allocations.create(books, credit, el))
            items = await batch.run_batch(req.elements, apply, model=xd.Allocation,
                                          summarize_errors=req.query.summarize_errors)
            return Result(items=list(items))
        return await self._write(ctx, req, work)

    async def _deallocate(self, ctx: RequestContext, req: XeroRequest,
                          find: Callable[[Books], Awaitable[credits.Credit | None]]) -> Result:
        allocation_id = req.path_params.get("AllocationID", "")

        async def work(books: Books) -> Result:
            credit = await find(books)
            if credit is None:
                raise NotFound()
            return Result(items=[td.allocation(await allocations.delete(books, credit, allocation_id))])
        return await self._write(ctx, req, work)
