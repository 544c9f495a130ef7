"""Native-ledger operations: RepeatingInvoices (templates, their History and Attachments) and the schedule that
generates their invoices.

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`); the rules are in
:mod:`adapters.native.resources.repeating_invoices`, the generation in
:mod:`adapters.native.resources.repeating_runs`. The History and Attachments operations come from the shared
derivation of :mod:`adapters.common.records` over the generic implementations of ``ops_history`` and
``ops_attachments`` (the template is a parent of :data:`adapters.native.resources.parents.PARENTS`).

The schedule runs in the adapter: :meth:`RepeatingInvoiceOperations.start_repeating_schedule` generates what is due
at start-up, then every :attr:`RepeatingInvoiceOperations.repeating_interval` seconds in an asyncio task, with
"today" read from the adapter's injected clock; :meth:`RepeatingInvoiceOperations.stop_repeating_schedule` ends it.

Default order (a client's ``order`` sorts first): ``RepeatingInvoiceID``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import structlog
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from adapters.common import records
from gateway.xero.errors import NotFound
from gateway.xero.models.repeating import RepeatingInvoice
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from .books import Books
from .concurrency import LedgerBusy, TenantQueues
from .ids import random_id
from .ops_base import OperationsBase, all_or_nothing, select_result
from .resources import attachments, repeating_runs
from .resources import repeating_invoices as templates
from .tables.core import Company

T = TypeVar("T")

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

log = structlog.get_logger("adapters.native.repeating")

_ORDER = [OrderTerm("RepeatingInvoiceID")]
#: Bounds of the schedule's interval, in seconds.
MIN_INTERVAL, MAX_INTERVAL = 1.0, 86_400.0


class RepeatingInvoiceOperations(OperationsBase):
    """Operations on RepeatingInvoices, and the task generating their invoices."""

    #: Seconds between two runs of the schedule (bounded by :data:`MIN_INTERVAL` and :data:`MAX_INTERVAL`).
    repeating_interval: float = 3600.0
    _repeating_task: asyncio.Task[None] | None = None

    if TYPE_CHECKING:
        clock: Callable[[], dt.datetime]
        _tenant_queues: TenantQueues

        async def _transaction(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T: ...

        def _session(self) -> AsyncSession: ...
        def _api_base_url(self) -> str: ...

    # Reads ------------------------------------------------------------------------------------------------------------

    async def _models(self, books: Books, rows: list[Any], unitdp: int) -> list[RepeatingInvoice]:
        with_files = await self._documents_with_attachments(books, templates.RESOURCE)
        return [templates.to_model(r, await templates.contact_of(books, r), has_attachments=r.id in with_files,
                                   unitdp=unitdp) for r in rows]

    async def get_repeating_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /RepeatingInvoices``: every template (deleted ones too; filter with ``where``), ``where`` and
        ``order`` (spec query parameters). Raises ``QueryParseException``."""
        async def work(books: Books) -> Result:
            models = await self._models(books, await templates.all_rows(books), req.query.unitdp)
            return select_result(models, req.query, RepeatingInvoice, default_order=_ORDER)
        return await self._read(ctx, work)

    async def get_repeating_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /RepeatingInvoices/{RepeatingInvoiceID}``, with its ``Attachments`` (spec ``RepeatingInvoice``).
        Raises ``NotFound``."""
        async def work(books: Books) -> Result:
            row = await templates.get_by_id(books, req.path_params.get("RepeatingInvoiceID", ""))
            if row is None:
                raise NotFound()
            (model,) = await self._models(books, [row], req.query.unitdp)
            files = await attachments.list_rows(books.session, company_id=books.company.id,
                                                resource=templates.RESOURCE, record_id=row.id)
            model.Attachments = [attachments.to_model(f, base_url=self._api_base_url()) for f in files]
            return Result(items=[model])
        return await self._read(ctx, work)

    # Writes -----------------------------------------------------------------------------------------------------------

    async def _write_templates(self, ctx: RequestContext, req: XeroRequest, *, mode: str,
                               path_id: str | None = None) -> Result:
        unitdp = req.query.unitdp

        async def work(books: Books) -> Result:
            async def apply(el: Any) -> RepeatingInvoice:
                row = await templates.write(books, el, mode=mode, path_id=path_id, unitdp=unitdp)
                return (await self._models(books, [row], unitdp))[0]
            # The spec's RepeatingInvoice has no ValidationErrors to flag an element with: all or nothing.
            return Result(items=await all_or_nothing(req.elements, apply))
        return await self._write(ctx, req, work)

    async def create_repeating_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /RepeatingInvoices``: create only. Raises ``ValidationException`` (nothing written)."""
        return await self._write_templates(ctx, req, mode="create")

    async def update_or_create_repeating_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /RepeatingInvoices``: update by ``RepeatingInvoiceID``, else create; ``Status`` ``DELETED``
        deletes. Raises ``ValidationException``."""
        return await self._write_templates(ctx, req, mode="upsert")

    async def update_repeating_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /RepeatingInvoices/{RepeatingInvoiceID}``: update (``Status`` ``DELETED`` deletes). Raises
        ``NotFound``, ``ValidationException``."""
        return await self._write_templates(ctx, req, mode="update",
                                           path_id=req.path_params.get("RepeatingInvoiceID", ""))

    # The schedule -----------------------------------------------------------------------------------------------------

    async def generate_repeating_invoices(self, *, today: dt.date | None = None) -> int:
        """Generate every company's due invoices (:func:`repeating_runs.generate_due`), one transaction per company.

        Args:
            today: the date to generate up to; default the adapter clock's date.

        Returns:
            How many invoices were created. A company whose occurrences another process recorded first (the unique
            (template, date) constraint) or whose database was busy is left for the next run.
        """
        day = today or self.clock().date()
        async with self._session() as session:
            companies = list(await session.scalars(select(Company.id)))
        made = 0
        for company_id in companies:
            async def generate(session: AsyncSession, company_id: str = company_id) -> int:
                # the company row first, as every write of the ledger (adapters.native.concurrency)
                books = await Books.load(session, company_id, new_id=random_id, now=self.clock, for_update=True)
                return len(await repeating_runs.generate_due(books, today=day))

            try:
                async with self._tenant_queues.turn(company_id):
                    made += await self._transaction(generate)
            except (IntegrityError, OperationalError, LedgerBusy) as exc:
                log.info("repeating_invoices_deferred", tenant_id=company_id, reason=type(exc).__name__)
        return made

    async def _repeating_loop(self) -> None:
        interval = min(max(self.repeating_interval, MIN_INTERVAL), MAX_INTERVAL)
        while True:
            await asyncio.sleep(interval)
            try:
                await self.generate_repeating_invoices()
            except Exception:  # noqa: BLE001 - the schedule must outlive one failed run; the next run retries
                log.exception("repeating_invoices_failed")

    async def start_repeating_schedule(self) -> None:
        """Generate what is due now, then start the periodic task (called by the adapter's ``startup``)."""
        await self.generate_repeating_invoices()
        self._repeating_task = asyncio.get_running_loop().create_task(self._repeating_loop())

    async def stop_repeating_schedule(self) -> None:
        """Cancel the periodic task (called by the adapter's ``shutdown``)."""
        task, self._repeating_task = self._repeating_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


records.install(RepeatingInvoiceOperations, serves=lambda collection, _param: collection == templates.RESOURCE,
                has_files=lambda _collection: True)
