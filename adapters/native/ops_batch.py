"""Native-ledger operations: BatchPayments and their History.

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`); the rules are in
:mod:`adapters.native.resources.batch_payments`. The History operations come from the shared derivation of
:mod:`adapters.common.records` over the generic implementations of ``ops_history`` (the spec gives batch payments
no attachments).

Every write is all or nothing: a batch's payments are written one by one, so one invalid element rolls the whole
request back (``summarizeErrors`` cannot keep a half-written batch).

Default order (a client's ``order`` sorts first): ``Date`` then ``BatchPaymentID``.
"""

from __future__ import annotations

from typing import Any

from adapters.common import records
from gateway.xero.errors import NotFound
from gateway.xero.models.batch_payments import BatchPayment
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from .books import Books
from .ops_base import OperationsBase, all_or_nothing, select_result, single_element
from .resources import batch_payments

_ORDER = [OrderTerm("Date"), OrderTerm("BatchPaymentID")]


class BatchPaymentOperations(OperationsBase):
    """Operations on BatchPayments."""

    async def get_batch_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BatchPayments``: every batch (deleted ones too), ``where``, ``order``, ``If-Modified-Since``.
        Raises ``QueryParseException``."""
        async def work(books: Books) -> Result:
            models = [await batch_payments.to_model(books, r) for r in await batch_payments.all_rows(books)]
            return select_result(models, req.query, BatchPayment, default_order=_ORDER)
        return await self._read(ctx, work)

    async def get_batch_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BatchPayments/{BatchPaymentID}``. Raises ``NotFound``."""
        async def work(books: Books) -> Result:
            row = await batch_payments.get_by_id(books, req.path_params.get("BatchPaymentID", ""))
            if row is None:
                raise NotFound()
            return Result(items=[await batch_payments.to_model(books, row)])
        return await self._read(ctx, work)

    async def create_batch_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /BatchPayments``: create each batch and its payments. Raises ``ValidationException`` (nothing
        written)."""
        async def work(books: Books) -> Result:
            async def apply(el: Any) -> BatchPayment:
                return await batch_payments.to_model(books, await batch_payments.create(books, el))
            return Result(items=await all_or_nothing(req.elements, apply))
        return await self._write(ctx, req, work)

    async def _delete(self, ctx: RequestContext, req: XeroRequest, batch_id: str | None) -> Result:
        element = single_element(req)

        async def work(books: Books) -> Result:
            key = batch_id if batch_id is not None else str(element.get("BatchPaymentID") or "")
            row = await batch_payments.delete(books, key, element)
            return Result(items=[await batch_payments.to_model(books, row)])
        return await self._write(ctx, req, work)

    async def delete_batch_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BatchPayments`` with ``{"BatchPaymentID": …, "Status": "DELETED"}`` (spec
        ``BatchPaymentDelete``). Raises ``NotFound``, ``ValidationException``."""
        return await self._delete(ctx, req, None)

    async def delete_batch_payment_by_url_param(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /BatchPayments/{BatchPaymentID}`` with ``{"Status": "DELETED"}``. Raises ``NotFound``,
        ``ValidationException``."""
        return await self._delete(ctx, req, req.path_params.get("BatchPaymentID", ""))


records.install(BatchPaymentOperations, serves=lambda collection, _param: collection == batch_payments.RESOURCE,
                has_files=lambda _collection: False)
