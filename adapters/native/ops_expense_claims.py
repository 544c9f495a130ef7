"""Native-ledger operations: ExpenseClaims, with their History.

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`); the rules, the
posting of an approved claim and its reversal when voided are in :mod:`adapters.native.resources.expense_claims`. The
History operations of ``ExpenseClaims`` are named methods given by :func:`adapters.common.records.install` over the
generic implementations of :mod:`adapters.native.ops_history` (the spec gives claims no attachments).

Default order (a client's ``order`` sorts first; these break ties): ``UpdatedDateUTC`` then ``ExpenseClaimID``.
"""

from __future__ import annotations

from typing import Any

from adapters.common.records import install
from gateway.xero.errors import NotFound
from gateway.xero.models import XeroModel
from gateway.xero.models.catalogue import User
from gateway.xero.models.expenses import ExpenseClaim
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from .books import Books
from .ops_base import single_element
from .ops_receipt_reads import ReceiptReads
from .resources import expense_claims as claims
from .tables.expenses import ExpenseClaimRow

_ORDER = [OrderTerm("UpdatedDateUTC"), OrderTerm("ExpenseClaimID")]


class ExpenseClaimOperations(ReceiptReads):
    """Operations on ExpenseClaims."""

    async def _claim_model(self, books: Books, row: ExpenseClaimRow, unitdp: int = 2) -> ExpenseClaim:
        users, with_files = await self._receipt_owners(books)
        return claims.to_model(row, users, unitdp=unitdp, with_attachments=with_files)

    async def get_expense_claims(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ExpenseClaims``: ``where``, ``order``, ``If-Modified-Since``; every claim with its receipts.

        Raises:
            QueryParseException: a ``where`` or ``order`` path ``ExpenseClaim`` lacks.
        """
        async def to_models(books: Books, users: dict[str, User], with_files: set[str]) -> list[XeroModel]:
            return [claims.to_model(r, users, with_attachments=with_files) for r in await claims.all_rows(books)]
        return await self._list_with_owners(ctx, req, model=ExpenseClaim, default_order=_ORDER, to_models=to_models)

    async def get_expense_claim(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ExpenseClaims/{ExpenseClaimID}``. Raises ``NotFound``."""
        async def work(books: Books) -> Result:
            row = await claims.get_by_id(books, req.path_params.get("ExpenseClaimID", ""))
            if row is None:
                raise NotFound()
            return Result(items=[await self._claim_model(books, row)])
        return await self._read(ctx, work)

    async def create_expense_claims(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /ExpenseClaims``: create claims (``SUBMITTED`` or ``AUTHORISED``, the latter posted). Raises
        ``ValidationException`` (``summarizeErrors``)."""
        async def apply(books: Books, el: Any) -> ExpenseClaim:
            return await self._claim_model(books, await claims.write(books, el))
        return await self._write_batch(ctx, req, apply, model=ExpenseClaim)

    async def update_expense_claim(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ExpenseClaims/{ExpenseClaimID}``: one element (approve, void, delete, or change the receipts
        of a submitted claim). Raises ``NotFound``, ``ValidationException``."""
        single_element(req)
        claim_id = req.path_params.get("ExpenseClaimID", "")

        async def apply(books: Books, el: Any) -> ExpenseClaim:
            return await self._claim_model(books, await claims.write(books, el, path_id=claim_id))
        return await self._write_batch(ctx, req, apply, model=ExpenseClaim, summarize_errors=True)


# The spec gives expense claims History only (no Attachments operations).
install(ExpenseClaimOperations, serves=lambda collection, _id_param: collection == claims.RESOURCE,
        has_files=lambda _collection: False)
