"""What every native operations mixin shares: the adapter's session helpers it calls, and the answers it builds.

The ``ops_*`` modules hold the native ledger's Xero operations, one module per group of resources, as mixins of
:class:`adapters.native.adapter.NativeLedgerAdapter`: each method is a Xero operation (the snake-cased
``operationId``, signature ``(self, ctx, req) -> Result``) that opens a session through ``self._read`` or
``self._write`` (one transaction, one tenant's :class:`~adapters.native.books.Books`; a write also commits its
``Idempotency-Key`` there, :mod:`adapters.native.keyed`), calls the rules of its
resource (``adapters/native/resources/``) and answers canonical models (``adapters/native/translate/``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select

from gateway.xero.errors import ValidationException, element_with_errors
from gateway.xero.models import XeroModel
from gateway.xero.request import ListQuery, OrderTerm, RequestContext, Result, XeroRequest

from . import batch, listing, messages
from .books import Books
from .resources import parents
from .tables.workflow import AttachmentFile
from .validation import ElementInvalid

if TYPE_CHECKING:
    from gateway.settings import Settings

T = TypeVar("T")
M = TypeVar("M", bound=XeroModel)


class OperationsBase:
    """The adapter's members the operations use (provided by :class:`~adapters.native.adapter.NativeLedgerAdapter`),
    and the lookups several groups of operations share."""

    code: str
    settings: Settings

    if TYPE_CHECKING:
        async def _read(self, ctx: RequestContext, work: Callable[[Books], Awaitable[T]]) -> T: ...
        async def _write(self, ctx: RequestContext, req: XeroRequest,
                         work: Callable[[Books], Awaitable[T]]) -> T: ...

    async def _write_batch(self, ctx: RequestContext, req: XeroRequest, apply: Callable[[Books, Any], Awaitable[M]],
                           *, model: type[M], summarize_errors: bool | None = None) -> Result:
        """Apply every element of a write in the request's one transaction and answer the results.

        Args:
            apply: writes one element on the tenant's books and answers its canonical model; raises
                ``ElementInvalid`` for an invalid element.
            model: the canonical model an invalid element is echoed as (its ``ValidationErrors``).
            summarize_errors: overrides the request's ``summarizeErrors`` (``True`` for all-or-nothing writes).

        Raises:
            ValidationException: as :func:`adapters.native.batch.run_batch` decides.
        """
        summarize = req.query.summarize_errors if summarize_errors is None else summarize_errors

        async def work(books: Books) -> Result:
            async def one(el: Any) -> M:
                return await apply(books, el)
            items = await batch.run_batch(req.elements, one, model=model, summarize_errors=summarize)
            return Result(items=list(items))
        return await self._write(ctx, req, work)

    async def _parent(self, books: Books, req: XeroRequest, resource: str, id_param: str) -> parents.Found:
        """The document a history or attachment operation hangs off (:func:`parents.find`). Raises ``NotFound``,
        ``OperationNotSupported``."""
        return await parents.find(books.session, company_id=books.company.id, resource=resource,
                                  record_id=req.path_params.get(id_param, ""), operation_id=req.operation_id,
                                  source_code=self.code)

    async def _documents_with_attachments(self, books: Books, resource: str) -> set[str]:
        """Ids of the resource's documents that have at least one attachment (``HasAttachments``)."""
        rows = await books.session.scalars(
            select(AttachmentFile.record_id).where(AttachmentFile.company_id == books.company.id,
                                                   AttachmentFile.resource == resource).distinct())
        return set(rows)


def single_element(req: XeroRequest) -> dict[str, Any]:
    """The one element of a single-object body.

    Raises:
        ValidationException: no element, or more than one.
    """
    if len(req.elements) != 1:
        raise ValidationException.single(
            messages.SINGLE_ELEMENT.format(operation=req.operation_id, count=len(req.elements)))
    return req.elements[0]


def page_result(page: listing.Page[Any]) -> Result:
    """A selected page as the operation's answer (items and, when paged, ``pagination``)."""
    return Result(items=list(page.items), pagination=page.pagination)


def select_result(models: list[M], query: ListQuery, model: type[XeroModel], *, default_order: list[OrderTerm],
                  keep: Callable[[M], bool] | None = None) -> Result:
    """``where``, ``order``, ``If-Modified-Since`` and paging over models listed in memory.

    Raises:
        QueryParseException: a ``where`` or ``order`` path the resource's model lacks
            (:func:`adapters.native.listing.check_paths`).
    """
    listing.check_paths(query, model)
    return page_result(listing.select(models, query, default_order=default_order, keep=keep))


def invalid(element: dict[str, Any], exc: ElementInvalid) -> ValidationException:
    """The element echoed with the rule's messages as its ``ValidationErrors``."""
    return ValidationException([element_with_errors(element, exc.messages)])


async def all_or_nothing(elements: list[dict[str, Any]], apply: Callable[[Any], Awaitable[T]]) -> list[T]:
    """Apply every element in order inside the caller's transaction (operations without ``summarizeErrors``).

    Raises:
        ValidationException: any element is invalid; every element is echoed, the invalid ones with their
            ``ValidationErrors`` (the caller's transaction rolls back, so nothing is written).
    """
    out: list[T] = []
    failures: list[list[str]] = []
    for element in elements:
        try:
            out.append(await apply(element))
            failures.append([])
        except ElementInvalid as exc:
            failures.append(exc.messages)
    if any(failures):
        raise ValidationException([element_with_errors(el if isinstance(el, dict) else {}, errs)
                                   for el, errs in zip(elements, failures, strict=True)])
    return out
