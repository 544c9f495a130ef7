"""What the Receipts and ExpenseClaims operations share: a list read over the organisation's users and the receipts
that carry files (a receipt shows its ``User`` and ``HasAttachments``; a claim shows its receipts the same way).

:class:`ReceiptReads` is the base of :class:`adapters.native.ops_receipts.ReceiptOperations` and
:class:`adapters.native.ops_expense_claims.ExpenseClaimOperations`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from gateway.xero.models import XeroModel
from gateway.xero.models.catalogue import User
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import listing
from .books import Books
from .ops_base import OperationsBase
from .resources import receipts as receipt_docs

#: ``(books, users by UserID, ids of receipts with files) → models``.
ToModels = Callable[[Books, dict[str, User], set[str]], Awaitable[list[XeroModel]]]


class ReceiptReads(OperationsBase):
    """The receipts' users and files, and the list read built on them."""

    async def _receipt_owners(self, books: Books) -> tuple[dict[str, User], set[str]]:
        """The organisation's users by ``UserID`` and the ids of the receipts with at least one attachment."""
        users = await receipt_docs.user_models(books)
        return users, await self._documents_with_attachments(books, receipt_docs.RESOURCE)

    async def _list_with_owners(self, ctx: RequestContext, req: XeroRequest, *, model: type[XeroModel],
                                default_order: list[OrderTerm], to_models: ToModels) -> Result:
        """A ``GET`` of a whole collection: ``where``, ``order`` (ties broken by ``default_order``), paging.

        Raises:
            QueryParseException: a ``where`` or ``order`` path ``model`` lacks.
        """
        listing.check_paths(req.query, model)

        async def work(books: Books) -> Result:
            users, with_files = await self._receipt_owners(books)
            page = listing.select(await to_models(books, users, with_files), req.query, default_order=default_order)
            return Result(items=list(page.items), pagination=page.pagination)
        return await self._read(ctx, work)
