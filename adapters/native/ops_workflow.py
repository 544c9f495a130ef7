"""Native-ledger operations: Quotes, PurchaseOrders and LinkedTransactions.

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`); the rules are in
:mod:`adapters.native.resources.quotes`, :mod:`adapters.native.resources.purchase_orders` (both over
:mod:`adapters.native.resources.workflow_documents`) and :mod:`adapters.native.resources.linked_transactions`. Their
PDFs are in :mod:`adapters.native.ops_pdf`.

Default orders (a client's ``order`` sorts first; these break ties): ``UpdatedDateUTC`` then id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.models.workflow import (
    LinkedTransaction,
    PurchaseOrder,
    Quote,
)
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import batch, listing, messages
from .books import Books
from .ops_base import OperationsBase
from .resources import (
    linked_transactions,
    purchase_orders,
)
from .resources import quotes as quote_docs
from .resources import workflow_documents as wd

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


class WorkflowOperations(OperationsBase):
    """Operations on Quotes, PurchaseOrders and LinkedTransactions."""

    # Quotes -----------------------------------------------------------------------------------------------------------

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

        async def apply(books: Books, el: Any) -> Quote:
            return quote_docs.to_model(await quote_docs.write(books, el, mode=mode, path_id=path_id,
                                                              unitdp=unitdp), unitdp=unitdp)
        return await self._write_batch(ctx, req, apply, model=Quote)

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

    # Purchase orders --------------------------------------------------------------------------------------------------

    async def get_purchase_orders(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /PurchaseOrders``: ``Status`` (the spec's enum), ``DateFrom``/``DateTo`` (inclusive, unconfirmed),
        ``order``, ``page``/``pageSize``, ``If-Modified-Since``; line items always included.

        Raises:
            ValidationException: an unknown ``Status`` or a date that does not parse.
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
        return await self._write(ctx, req, work)

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

    # Linked transactions ----------------------------------------------------------------------------------------------

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
        return await self._write(ctx, req, work)

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
        return await self._write(ctx, req, work)
