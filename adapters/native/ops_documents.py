"""Native-ledger operations: CreditNotes (+Allocations), Overpayments, Prepayments (+Allocations), BankTransactions,
BankTransfers and ManualJournals.

A mixin of :class:`adapters.native.adapter.NativeLedgerAdapter`: its methods are Xero operations (snake-cased
``operationId``, signature ``(self, ctx, req) -> Result``) and use the adapter's session helpers
(``self._read``, ``self._write``). The rules live in the modules named in each docstring; this module maps
requests to them and their rows to canonical models (:mod:`adapters.native.translate_documents`).

Lists: every one honours ``where`` and ``order`` (paths the resource's model lacks are refused with
``QueryParseException``, :func:`adapters.native.listing.check_paths`), ``If-Modified-Since`` (``UpdatedDateUTC``;
bank transfers, which have none, by their creation or deletion) and, where the spec declares ``page``, paging; line
items are shown on single GETs and paged lists. Default orders (a client's ``order`` sorts first and these break
ties): ``UpdatedDateUTC`` then id, so that ``If-Modified-Since`` + paging walks changes in order; bank transfers
by ``Date`` then id.

Writes run every element in the request's one transaction with ``summarizeErrors`` semantics
(:mod:`adapters.native.batch`); single-object operations (``POST …/{id}``) always summarise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select

from gateway.xero.errors import NotFound
from gateway.xero.models import XeroModel
from gateway.xero.models import documents as xd
from gateway.xero.request import ListQuery, OrderTerm, RequestContext, Result, XeroRequest

from . import (
    allocations,
    bank_transactions,
    bank_transfers,
    batch,
    credit_notes,
    credits,
    listing,
    manual_journals,
    models_documents,  # noqa: F401  (registers the document tables before create_all)
)
from . import translate_documents as td
from .books import Books
from .models_documents import CreditNote

T = TypeVar("T")
M = TypeVar("M", bound=XeroModel)

_ORDER_CREDIT_NOTES = [OrderTerm("UpdatedDateUTC"), OrderTerm("CreditNoteID")]
_ORDER_OVERPAYMENTS = [OrderTerm("UpdatedDateUTC"), OrderTerm("OverpaymentID")]
_ORDER_PREPAYMENTS = [OrderTerm("UpdatedDateUTC"), OrderTerm("PrepaymentID")]
_ORDER_BANK_TRANSACTIONS = [OrderTerm("UpdatedDateUTC"), OrderTerm("BankTransactionID")]
_ORDER_BANK_TRANSFERS = [OrderTerm("Date"), OrderTerm("BankTransferID")]
_ORDER_MANUAL_JOURNALS = [OrderTerm("UpdatedDateUTC"), OrderTerm("ManualJournalID")]


def _select(models: list[M], query: ListQuery, model: type[XeroModel], *, default_order: list[OrderTerm],
            keep: Callable[[M], bool] | None = None) -> Result:
    listing.check_paths(query, model)
    page = listing.select(models, query, default_order=default_order, keep=keep)
    return Result(items=list(page.items), pagination=page.pagination)


class DocumentOperations:
    """Operations on CreditNotes (+Allocations), Overpayments, Prepayments (+Allocations), BankTransactions,
    BankTransfers and ManualJournals."""

    if TYPE_CHECKING:
        async def _read(self, ctx: RequestContext, work: Callable[[Books], Awaitable[T]]) -> T: ...
        async def _write(self, ctx: RequestContext, work: Callable[[Books], Awaitable[T]]) -> T: ...

    # CreditNotes -----------------------------------------------------------------------------------------------

    async def get_credit_notes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /CreditNotes`` (every status) with ``where``, ``order``, paging, ``If-Modified-Since``, ``unitdp``
        (:mod:`adapters.native.credit_notes`)."""
        q = req.query

        async def work(books: Books) -> Result:
            rows = await books.session.scalars(select(CreditNote).where(CreditNote.company_id == books.company.id))
            models = [td.credit_note(r, with_lines=q.page is not None, unitdp=q.unitdp) for r in rows]
            return _select(models, q, xd.CreditNote, default_order=_ORDER_CREDIT_NOTES)
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

        async def work(books: Books) -> Result:
            async def apply(el: Any) -> xd.CreditNote:
                row = await credit_notes.write(books, el, mode=mode, path_id=path_id, unitdp=unitdp)
                return td.credit_note(row, unitdp=unitdp)
            items = await batch.run_batch(req.elements, apply, model=xd.CreditNote,
                                          summarize_errors=req.query.summarize_errors)
            return Result(items=list(items))
        return await self._write(ctx, work)

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
        """``PUT /CreditNotes/{CreditNoteID}/Allocations`` (:mod:`adapters.native.allocations`). Raises
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

    # Overpayments and Prepayments -------------------------------------------------------------------------------

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
            return _select(models, q, xd.Overpayment, default_order=_ORDER_OVERPAYMENTS, keep=keep)
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
            return _select(models, q, xd.Prepayment, default_order=_ORDER_PREPAYMENTS, keep=keep)
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
        return await self._write(ctx, work)

    async def _deallocate(self, ctx: RequestContext, req: XeroRequest,
                          find: Callable[[Books], Awaitable[credits.Credit | None]]) -> Result:
        allocation_id = req.path_params.get("AllocationID", "")

        async def work(books: Books) -> Result:
            credit = await find(books)
            if credit is None:
                raise NotFound()
            return Result(items=[td.allocation(await allocations.delete(books, credit, allocation_id))])
        return await self._write(ctx, work)

    # BankTransactions -----------------------------------------------------------------------------------------

    async def get_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions`` (every type and status, transfer sides included) with ``where``, ``order``,
        paging, ``If-Modified-Since``, ``unitdp`` (:mod:`adapters.native.bank_transactions`)."""
        q = req.query

        async def work(books: Books) -> Result:
            rows = await bank_transactions.list_rows(books)
            models = [td.bank_transaction(r, with_lines=q.page is not None, unitdp=q.unitdp) for r in rows]
            return _select(models, q, xd.BankTransaction, default_order=_ORDER_BANK_TRANSACTIONS)
        return await self._read(ctx, work)

    async def get_bank_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions/{BankTransactionID}``. Raises ``NotFound``."""
        transaction_id = req.path_params.get("BankTransactionID", "")

        async def work(books: Books) -> Result:
            row = await bank_transactions.get_by_id(books, transaction_id)
            if row is None:
                raise NotFound()
            return Result(items=[td.bank_transaction(row, unitdp=req.query.unitdp)])
        return await self._read(ctx, work)

    async def _write_bank_transactions(self, ctx: RequestContext, req: XeroRequest, *, mode: str,
                                       path_id: str | None = None) -> Result:
        unitdp = req.query.unitdp

        async def work(books: Books) -> Result:
            async def apply(el: Any) -> xd.BankTransaction:
                row = await bank_transactions.write(books, el, mode=mode, path_id=path_id, unitdp=unitdp)
                return td.bank_transaction(row, unitdp=unitdp)
            items = await batch.run_batch(req.elements, apply, model=xd.BankTransaction,
                                          summarize_errors=req.query.summarize_errors)
            return Result(items=list(items))
        return await self._write(ctx, work)

    async def create_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /BankTransactions``: create only. Raises ``ValidationException`` (summarizeErrors)."""
        return await self._write_bank_transactions(ctx, req, mode="create")

    async def update_or_create_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransactions``: update by ``BankTransactionID``, else create."""
        return await self._write_bank_transactions(ctx, req, mode="upsert")

    async def update_bank_transaction(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransactions/{BankTransactionID}`` (``Status: DELETED`` deletes). Raises ``NotFound``,
        ``ValidationException``."""
        req.query.summarize_errors = True
        return await self._write_bank_transactions(ctx, req, mode="update",
                                                   path_id=req.path_params.get("BankTransactionID", ""))

    # BankTransfers ---------------------------------------------------------------------------------------------

    async def get_bank_transfers(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers`` with ``where``, ``order``, ``includeDeleted`` (DELETED transfers are hidden
        otherwise) and ``If-Modified-Since`` (transfers created or deleted after it)
        (:mod:`adapters.native.bank_transfers`)."""
        q = req.query
        include_deleted = bool(req.parameters.boolean("includeDeleted"))

        async def work(books: Books) -> Result:
            rows = [r for r in await bank_transfers.list_rows(books)
                    if (include_deleted or r.status != "DELETED")
                    and (q.if_modified_since is None or r.updated_utc > q.if_modified_since)]
            return _select([td.bank_transfer(r) for r in rows], q, xd.BankTransfer,
                           default_order=_ORDER_BANK_TRANSFERS)
        return await self._read(ctx, work)

    async def get_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers/{BankTransferID}`` (a deleted transfer too). Raises ``NotFound``."""
        transfer_id = req.path_params.get("BankTransferID", "")

        async def work(books: Books) -> Result:
            row = await bank_transfers.get_by_id(books, transfer_id)
            if row is None:
                raise NotFound()
            return Result(items=[td.bank_transfer(row)])
        return await self._read(ctx, work)

    async def create_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /BankTransfers``: one transfer or more, all or nothing. Raises ``ValidationException``."""
        async def work(books: Books) -> Result:
            async def apply(el: Any) -> xd.BankTransfer:
                return td.bank_transfer(await bank_transfers.create(books, el))
            items = await batch.run_batch(req.elements, apply, model=xd.BankTransfer, summarize_errors=True)
            return Result(items=list(items))
        return await self._write(ctx, work)

    async def delete_bank_transfers(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransfers`` (v16): delete the transfers named by ``BankTransferID`` with ``Status``
        ``DELETED`` (spec ``BankTransfersDelete``). Raises ``ValidationException`` (summarizeErrors)."""
        async def work(books: Books) -> Result:
            async def apply(el: Any) -> xd.BankTransfer:
                transfer_id = el.get("BankTransferID") if isinstance(el, dict) else None
                row = await bank_transfers.delete(books, str(transfer_id) if transfer_id else None, el,
                                                  missing_is_invalid=True)
                return td.bank_transfer(row)
            items = await batch.run_batch(req.elements, apply, model=xd.BankTransfer,
                                          summarize_errors=req.query.summarize_errors)
            return Result(items=list(items))
        return await self._write(ctx, work)

    async def delete_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransfers/{BankTransferID}`` with ``{"Status": "DELETED"}`` (v16). Raises ``NotFound``,
        ``ValidationException``."""
        element = req.elements[0] if len(req.elements) == 1 else {}
        transfer_id = req.path_params.get("BankTransferID", "")

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: bank_transfers.delete(books, transfer_id, el))
            return Result(items=[td.bank_transfer(row)])
        return await self._write(ctx, work)

    # ManualJournals --------------------------------------------------------------------------------------------

    async def get_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals`` with ``where``, ``order``, paging and ``If-Modified-Since``
        (:mod:`adapters.native.manual_journals`)."""
        q = req.query

        async def work(books: Books) -> Result:
            rows = await manual_journals.list_rows(books)
            models = [td.manual_journal(r, with_lines=q.page is not None) for r in rows]
            return _select(models, q, xd.ManualJournal, default_order=_ORDER_MANUAL_JOURNALS)
        return await self._read(ctx, work)

    async def get_manual_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals/{ManualJournalID}``. Raises ``NotFound``."""
        journal_id = req.path_params.get("ManualJournalID", "")

        async def work(books: Books) -> Result:
            row = await manual_journals.get_by_id(books, journal_id)
            if row is None:
                raise NotFound()
            return Result(items=[td.manual_journal(row)])
        return await self._read(ctx, work)

    async def _write_manual_journals(self, ctx: RequestContext, req: XeroRequest, *, mode: str,
                                     path_id: str | None = None) -> Result:
        async def work(books: Books) -> Result:
            async def apply(el: Any) -> xd.ManualJournal:
                row, warnings = await manual_journals.write(books, el, mode=mode, path_id=path_id)
                return td.manual_journal(row, warnings=warnings)
            items = await batch.run_batch(req.elements, apply, model=xd.ManualJournal,
                                          summarize_errors=req.query.summarize_errors)
            return Result(items=list(items))
        return await self._write(ctx, work)

    async def create_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /ManualJournals``: create only. Raises ``ValidationException`` (summarizeErrors)."""
        return await self._write_manual_journals(ctx, req, mode="create")

    async def update_or_create_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ManualJournals``: update by ``ManualJournalID``, else create."""
        return await self._write_manual_journals(ctx, req, mode="upsert")

    async def update_manual_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ManualJournals/{ManualJournalID}``. Raises ``NotFound``, ``ValidationException``."""
        req.query.summarize_errors = True
        return await self._write_manual_journals(ctx, req, mode="update",
                                                 path_id=req.path_params.get("ManualJournalID", ""))

