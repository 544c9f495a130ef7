"""Native-ledger operations: Receipts, with their History and Attachments.

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`); the rules are in
:mod:`adapters.native.resources.receipts`. The History and Attachments operations of ``Receipts`` are named methods
given by :func:`adapters.common.records.install` over the generic implementations of
:mod:`adapters.native.ops_history` and :mod:`adapters.native.ops_attachments` (parent table:
:data:`adapters.native.resources.parents.PARENTS`).

Default order (a client's ``order`` sorts first; these break ties): ``UpdatedDateUTC`` then ``ReceiptID``.
"""

from __future__ import annotations

from typing import Any

from adapters.common.records import install
from gateway.xero.errors import NotFound
from gateway.xero.models import XeroModel
from gateway.xero.models.catalogue import User
from gateway.xero.models.expenses import Receipt
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from .books import Books
from .ops_base import single_element
from .ops_receipt_reads import ReceiptReads
from .resources import attachments
from .resources import receipts as receipt_docs

_ORDER = [OrderTerm("UpdatedDateUTC"), OrderTerm("ReceiptID")]


class ReceiptOperations(ReceiptReads):
    """Operations on Receipts."""

    async def get_receipts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Receipts``: ``where``, ``order``, ``If-Modified-Since``, ``unitdp``; every receipt with its lines
        and user.

        Raises:
            QueryParseException: a ``where`` or ``order`` path ``Receipt`` lacks.
        """
        async def to_models(books: Books, users: dict[str, User], with_files: set[str]) -> list[XeroModel]:
            return [receipt_docs.to_model(r, users, unitdp=req.query.unitdp, has_attachments=r.id in with_files)
                    for r in await receipt_docs.all_rows(books)]
        return await self._list_with_owners(ctx, req, model=Receipt, default_order=_ORDER, to_models=to_models)

    async def get_receipt(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Receipts/{ReceiptID}``: the receipt with its ``Attachments`` when it has any. Raises
        ``NotFound``."""
        async def work(books: Books) -> Result:
            row = await receipt_docs.get_by_id(books, req.path_params.get("ReceiptID", ""))
            if row is None:
                raise NotFound()
            return Result(items=[await self._receipt_model(books, row, req.query.unitdp)])
        return await self._read(ctx, work)

    async def _receipt_model(self, books: Books, row: Any, unitdp: int) -> Receipt:
        files = await attachments.list_rows(books.session, company_id=books.company.id,
                                            resource=receipt_docs.RESOURCE, record_id=row.id)
        model = receipt_docs.to_model(row, await receipt_docs.user_models(books), unitdp=unitdp,
                                      has_attachments=bool(files))
        if files:
            base = self._api_base_url()  # type: ignore[attr-defined]
            model.Attachments = [attachments.to_model(f, base_url=base) for f in files]
        return model

    async def create_receipt(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Receipts``: create receipts (``DRAFT``). Raises ``ValidationException`` (``summarizeErrors``)."""
        unitdp = req.query.unitdp

        async def apply(books: Books, el: Any) -> Receipt:
            row = await receipt_docs.write(books, el, unitdp=unitdp)
            return receipt_docs.to_model(row, await receipt_docs.user_models(books), unitdp=unitdp)
        return await self._write_batch(ctx, req, apply, model=Receipt)

    async def update_receipt(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Receipts/{ReceiptID}``: one element. Raises ``NotFound``, ``ValidationException``."""
        single_element(req)
        unitdp, receipt_id = req.query.unitdp, req.path_params.get("ReceiptID", "")

        async def apply(books: Books, el: Any) -> Receipt:
            row = await receipt_docs.write(books, el, path_id=receipt_id, unitdp=unitdp)
            return await self._receipt_model(books, row, unitdp)
        return await self._write_batch(ctx, req, apply, model=Receipt, summarize_errors=True)


# Receipts take attachments (spec: getReceiptAttachments…); the parent table is parents.PARENTS["Receipts"].
install(ReceiptOperations, serves=lambda collection, _id_param: collection == receipt_docs.RESOURCE,
        has_files=lambda _collection: True)
