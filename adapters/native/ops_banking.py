"""Native-ledger operations: Payments (on invoices; refunds of credits are listed with them), BankTransactions,
BankTransfers and ManualJournals.

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`). The rules live in
the modules named in each docstring.

Lists: Payments run their ``where``, ``order``, paging and ``If-Modified-Since`` in SQL
(:func:`adapters.native.listing.select_sql`) unless the company has refunds; the others honour ``where`` and
``order`` in memory (:func:`adapters.native.listing.check_paths`), ``If-Modified-Since`` (``UpdatedDateUTC``; bank
transfers, which have none, by their creation or deletion) and, where the spec declares ``page``, paging. Default
orders (a client's ``order`` sorts first and these break ties): ``UpdatedDateUTC`` then id; bank transfers by
``Date`` then id.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound
from gateway.xero.models import documents as xd
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import batch, listing
from .books import Books
from .ops_base import OperationsBase, page_result, select_result, single_element
from .resources import (
    bank_transactions,
    bank_transfers,
    batch_payments,
    manual_journals,
    payments,
    refunds,
)
from .tables.core import Payment
from .translate import core as translate
from .translate import documents as td
from .translate import fieldmaps

_ORDER_PAYMENTS = [OrderTerm("UpdatedDateUTC"), OrderTerm("PaymentID")]
_ORDER_BANK_TRANSACTIONS = [OrderTerm("UpdatedDateUTC"), OrderTerm("BankTransactionID")]
_ORDER_BANK_TRANSFERS = [OrderTerm("Date"), OrderTerm("BankTransferID")]
_ORDER_MANUAL_JOURNALS = [OrderTerm("UpdatedDateUTC"), OrderTerm("ManualJournalID")]



class BankingOperations(OperationsBase):
    """Operations on Payments, BankTransactions, BankTransfers and ManualJournals."""

    # Payments ---------------------------------------------------------------------------------------------------------

    async def get_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Payments`` (every status) with ``where``, ``order``, paging and ``If-Modified-Since``.

        Refunds of credit notes, prepayments and overpayments are payments too in Xero's list (PaymentType
        ``ARCREDITPAYMENT``…); they live in their own table, so a company that has any is listed in memory.
        """
        async def work(books: Books) -> Result:
            async def to_models(rows: list[Payment]) -> list[xm.Payment]:
                return await batch_payments.stamp(books, [translate.payment(r) for r in rows])
            statement = select(Payment).where(Payment.company_id == books.company.id)
            refund_rows = await refunds.list_rows(books)
            if refund_rows:
                listing.check_paths(req.query, fieldmaps.PAYMENTS.model)
                rows = [*await books.session.scalars(statement), *refund_rows]
                models = await batch_payments.stamp(books, [translate.payment(r) for r in rows])
                return page_result(listing.select(models, req.query, default_order=_ORDER_PAYMENTS))
            return page_result(await listing.select_sql(
                books.session, statement, req.query, fields=fieldmaps.PAYMENTS, default_order=_ORDER_PAYMENTS,
                to_models=to_models, pushdown=self.sql_pushdown))
        return await self._read(ctx, work)

    async def get_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Payments/{PaymentID}``. Raises ``NotFound``."""
        payment_id = req.path_params.get("PaymentID", "")

        async def work(books: Books) -> Result:
            row = await payments.get_by_id(books, payment_id)
            if row is None:
                raise NotFound()
            return Result(items=await batch_payments.stamp(books, [translate.payment(row)]))
        return await self._read(ctx, work)

    async def create_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Payments``: one or more payments. Raises ``ValidationException`` (summarizeErrors)."""
        async def apply(books: Books, el: Any) -> xm.Payment:
            return translate.payment(await payments.create(books, el))
        return await self._write_batch(ctx, req, apply, model=xm.Payment)

    async def create_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Payments``: one payment. Raises ``ValidationException``."""
        element = single_element(req)

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: payments.create(books, el))
            return Result(items=[translate.payment(row)])
        return await self._write(ctx, req, work)

    async def delete_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Payments/{PaymentID}`` with ``{"Status": "DELETED"}``. Raises ``NotFound``,
        ``ValidationException``."""
        element = single_element(req)
        payment_id = req.path_params.get("PaymentID", "")

        async def work(books: Books) -> Result:
            row = await payments.delete(books, payment_id, element)
            return Result(items=[translate.payment(row)])
        return await self._write(ctx, req, work)

    # BankTransactions -------------------------------------------------------------------------------------------------

    async def get_bank_transactions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransactions`` (every type and status, transfer sides included) with ``where``, ``order``,
        paging, ``If-Modified-Since``, ``unitdp`` (:mod:`adapters.native.resources.bank_transactions`)."""
        q = req.query

        async def work(books: Books) -> Result:
            rows = await bank_transactions.list_rows(books)
            models = [td.bank_transaction(r, with_lines=q.page is not None, unitdp=q.unitdp) for r in rows]
            return select_result(models, q, xd.BankTransaction, default_order=_ORDER_BANK_TRANSACTIONS)
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

        async def apply(books: Books, el: Any) -> xd.BankTransaction:
            row = await bank_transactions.write(books, el, mode=mode, path_id=path_id, unitdp=unitdp)
            return td.bank_transaction(row, unitdp=unitdp)
        return await self._write_batch(ctx, req, apply, model=xd.BankTransaction)

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

    # BankTransfers ----------------------------------------------------------------------------------------------------

    async def get_bank_transfers(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BankTransfers`` with ``where``, ``order``, ``includeDeleted`` (DELETED transfers are hidden
        otherwise) and ``If-Modified-Since`` (transfers created or deleted after it)
        (:mod:`adapters.native.resources.bank_transfers`)."""
        q = req.query
        include_deleted = bool(req.parameters.boolean("includeDeleted"))

        async def work(books: Books) -> Result:
            rows = [r for r in await bank_transfers.list_rows(books)
                    if (include_deleted or r.status != "DELETED")
                    and (q.if_modified_since is None or r.updated_utc > q.if_modified_since)]
            return select_result([td.bank_transfer(r) for r in rows], q, xd.BankTransfer,
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
        async def apply(books: Books, el: Any) -> xd.BankTransfer:
            return td.bank_transfer(await bank_transfers.create(books, el))
        return await self._write_batch(ctx, req, apply, model=xd.BankTransfer, summarize_errors=True)

    async def delete_bank_transfers(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransfers`` (v16): delete the transfers named by ``BankTransferID`` with ``Status``
        ``DELETED`` (spec ``BankTransfersDelete``). Raises ``ValidationException`` (summarizeErrors)."""
        async def apply(books: Books, el: Any) -> xd.BankTransfer:
            transfer_id = el.get("BankTransferID") if isinstance(el, dict) else None
            row = await bank_transfers.delete(books, str(transfer_id) if transfer_id else None, el,
                                              missing_is_invalid=True)
            return td.bank_transfer(row)
        return await self._write_batch(ctx, req, apply, model=xd.BankTransfer)

    async def delete_bank_transfer(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BankTransfers/{BankTransferID}`` with ``{"Status": "DELETED"}`` (v16). Raises ``NotFound``,
        ``ValidationException``."""
        element = req.elements[0] if len(req.elements) == 1 else {}
        transfer_id = req.path_params.get("BankTransferID", "")

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: bank_transfers.delete(books, transfer_id, el))
            return Result(items=[td.bank_transfer(row)])
        return await self._write(ctx, req, work)

    # ManualJournals ---------------------------------------------------------------------------------------------------

    async def get_manual_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ManualJournals`` with ``where``, ``order``, paging and ``If-Modified-Since``
        (:mod:`adapters.native.resources.manual_journals`)."""
        q = req.query

        async def work(books: Books) -> Result:
            rows = await manual_journals.list_rows(books)
            models = [td.manual_journal(r, with_lines=q.page is not None) for r in rows]
            return select_result(models, q, xd.ManualJournal, default_order=_ORDER_MANUAL_JOURNALS)
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
        async def apply(books: Books, el: Any) -> xd.ManualJournal:
            row, warnings = await manual_journals.write(books, el, mode=mode, path_id=path_id)
            return td.manual_journal(row, warnings=warnings)
        return await self._write_batch(ctx, req, apply, model=xd.ManualJournal)

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
