"""One Xero call against one Sage business: reference data, reads, lists, writes and the id bookkeeping around them.

A :class:`Call` is opened by every adapter operation (``async with adapter.call(ctx, req) as call``). It

- finds the business (``creds.tenant_key``, the ``X-Business`` of every request);
- gives the translation context (:meth:`Call.tx`) with the reference kinds the operation needs, loading the missing
  ones (:mod:`adapters.sage_accounting.cache`, :mod:`adapters.sage_accounting.refdata`);
- reads one record, lists pages (updating the cached ``$total`` of the filters), resolves GUIDs;
- writes: ``POST`` creates through the write ledger (:mod:`adapters.sage_accounting.writes`) when the Xero call
  carries an ``Idempotency-Key``, ``PUT`` updates, ``DELETE`` (Sage voids documents that way), ``POST …/release``;
- invalidates the caches a write makes stale;
- at the end, persists the GUIDs the call handed out and logs the upstream calls it cost.

Every Sage error is turned into the Xero error of :func:`adapters.sage_accounting.errors.to_xero_error` here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import structlog

from gateway.upstream.http import CallTally
from gateway.xero.errors import NotFound, XeroApiError
from gateway.xero.request import RequestContext, XeroRequest

from . import refdata
from .client import MAX_ITEMS_PER_PAGE, ListPage
from .errors import SageError, to_xero_error
from .ids import SageRef
from .query import Stream
from .refdata import RefData
from .translate.common import Tx
from .writes import DONE, FINGERPRINTS, LOOKUP_FILTERS, PENDING, SKEW, matches, scope_of

if TYPE_CHECKING:
    from .adapter import SageAccountingAdapter

log = structlog.get_logger("adapters.sage_accounting")

#: Pages a look-up of a lost write reads at most (200 records each).
LOOKUP_PAGES = 5
#: Query parameters of single reads, per resource (documents: their payments and allocations).
READ_PARAMS: dict[str, dict[str, str]] = {
    resource: {"show_payments_allocations": "true"}
    for resource in ("sales_invoices", "purchase_invoices", "sales_credit_notes", "purchase_credit_notes")
}


class Call:
    """See the module docstring. Created by :meth:`adapters.sage_accounting.adapter.SageAccountingAdapter.call`."""

    def __init__(self, adapter: SageAccountingAdapter, ctx: RequestContext, req: XeroRequest, tally: CallTally) -> None:
        self.adapter = adapter
        self.ctx = ctx
        self.req = req
        self.tally = tally
        self.client = adapter.client
        self.business_id = ""
        self._tx: Tx | None = None
        #: ``(resource, sage id, ledger scope)`` of the records this call created (or found made by an earlier
        #: attempt with its key), for compensation (:mod:`adapters.sage_accounting.batch`).
        self.created: list[tuple[str, str, str | None]] = []

    async def open(self) -> None:
        self.business_id = await self.client.business_id(self.ctx.tenant_id)

    async def close(self) -> None:
        if self._tx is not None and self._tx.emitted:
            await self.adapter.ids.record(self.business_id, self._tx.emitted)
            self._tx.emitted.clear()
        log.info("sage_call", operation=self.tally.operation_id, upstream_calls=self.tally.calls,
                 by_path=dict(self.tally.by_path))

    def today(self) -> date:
        """Today (UTC) for defaulted dates."""
        return datetime.now(UTC).date()

    # Reference data -----------------------------------------------------------------------------------------

    async def tx(self, *kinds: str) -> Tx:
        """The translation context with (at least) the reference ``kinds`` loaded."""
        values = await self.adapter.cache.get(self.business_id, kinds, self._load) if kinds else {}
        if self._tx is None:
            self._tx = Tx(business_id=self.business_id, tenant_id=self.ctx.tenant_id, refs=RefData(dict(values)))
        else:
            self._tx.refs.refresh(values)
        return self._tx

    async def _load(self, missing: list[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for kind in missing:
            if kind == "business":
                out[kind] = await self.get_one(f"/businesses/{self.business_id}")
            elif kind in refdata.OBJECT_KINDS:
                out[kind] = await self.get_one(f"/{kind}")
            else:
                params = {"attributes": "all", **refdata.LIST_PARAMS.get(kind, {})}
                out[kind] = await self.list_all(refdata.LIST_PATHS[kind], params)
        return out

    # Reads --------------------------------------------------------------------------------------------------

    async def _request(self, method: str, path: str, *, params: dict[str, str] | None = None, body: Any = None,
                       element: dict[str, Any] | None = None, reading_one: bool = False) -> Any:
        try:
            return await self.client.request(self.ctx.tenant_id, method, path, params=params, body=body)
        except SageError as error:
            raise to_xero_error(error, element=element, reading_one=reading_one) from None

    async def get_one(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        """``GET`` one object.

        Raises:
            NotFound: Sage has no such record (404 / RecordNotFound).
        """
        found = await self._request("GET", path, params=params, reading_one=True)
        if not isinstance(found, dict):
            raise NotFound()
        return found

    async def read(self, resource: str, sage_id: str) -> dict[str, Any]:
        """``GET /{resource}/{id}`` with the resource's read parameters."""
        return await self.get_one(f"/{resource}/{sage_id}", READ_PARAMS.get(resource))

    async def list_page(self, stream: Stream, *, page: int, items_per_page: int) -> ListPage:
        """One page of a stream; its ``$total`` refreshes the totals cache."""
        try:
            answer = await self.client.list_page(self.ctx.tenant_id, f"/{stream.resource}", stream.params,
                                                 page=page, items_per_page=items_per_page)
        except SageError as error:
            raise to_xero_error(error) from None
        if answer.total is not None:
            self.adapter.cache.set_total(self.business_id, stream.resource, stream.key(), answer.total)
        return answer

    def cached_total(self, stream: Stream) -> int | None:
        return self.adapter.cache.total(self.business_id, stream.resource, stream.key())

    async def list_all(self, path: str, params: dict[str, str] | None = None, *, max_pages: int = 50
                       ) -> list[dict[str, Any]]:
        """Every record of a list (200 per call, ``max_pages`` calls at most)."""
        out: list[dict[str, Any]] = []
        for page in range(1, max_pages + 1):
            try:
                answer = await self.client.list_page(self.ctx.tenant_id, path, params, page=page,
                                                     items_per_page=MAX_ITEMS_PER_PAGE)
            except SageError as error:
                raise to_xero_error(error) from None
            if answer.page != page:
                break
            out.extend(answer.items)
            if len(answer.items) < MAX_ITEMS_PER_PAGE or (answer.total is not None and len(out) >= answer.total):
                break
        return out

    async def resolve(self, guid: str) -> tuple[SageRef, ...]:
        """The Sage records behind a Xero GUID of this business."""
        return await self.adapter.ids.resolve(self.business_id, guid)

    async def find(self, guid: str | None, resources: Iterable[str]) -> SageRef | None:
        """The record of one of ``resources`` behind ``guid`` (whole records only), or ``None``."""
        if not guid:
            return None
        wanted = tuple(resources)
        for ref in await self.resolve(str(guid)):
            if ref.resource in wanted and not ref.part:
                return ref
        return None

    # Writes -------------------------------------------------------------------------------------------------

    def _scope(self, label: str) -> str | None:
        key = self.req.idempotency_key
        if not key:
            return None
        return scope_of(code=self.adapter.code, client_id=self.ctx.client_id, tenant_id=self.ctx.tenant_id, key=key,
                        operation_id=self.req.operation_id, label=label)

    async def create(self, resource: str, wrapper: str, body: dict[str, Any], *, label: str,
                     element: dict[str, Any] | None = None) -> dict[str, Any]:
        """``POST /{resource}`` ``{wrapper: body}``, at most once per ``Idempotency-Key`` and ``label``.

        With a key: a write the ledger knows as done is read back instead of made again; one left pending (unknown
        outcome) is looked up in Sage first (:mod:`adapters.sage_accounting.writes`).

        Raises:
            ValidationException (and the other mappings of :func:`adapters.sage_accounting.errors.to_xero_error`).
        """
        ledger = self.adapter.writes
        scope = self._scope(label)
        if scope is not None:
            state = await ledger.get(scope)
            if state is not None and state.state == DONE and state.sage_id:
                try:
                    existing = await self.read(resource, state.sage_id)
                    log.info("sage_write_replayed", resource=resource, label=label)
                    self.created.append((resource, state.sage_id, scope))
                    return existing
                except NotFound:
                    pass
            elif state is not None and state.state == PENDING:
                found = await self.look_up(resource, body, since=state.started_at - SKEW)
                if found is not None:
                    await ledger.done(scope, str(found["id"]))
                    log.info("sage_write_reconciled", resource=resource, label=label)
                    self.created.append((resource, str(found["id"]), scope))
                    return found
            await ledger.pending(scope, business_id=self.business_id, resource=resource)
        try:
            created = await self.client.request(self.ctx.tenant_id, "POST", f"/{resource}", body={wrapper: body})
        except SageError as error:
            if scope is not None and 400 <= error.status < 500:
                await ledger.forget(scope)  # Sage refused: nothing was made
            raise to_xero_error(error, element=element) from None
        finally:
            self.invalidate(resource)
        if not isinstance(created, dict) or not created.get("id"):
            raise XeroApiError(f"Sage Accounting answered a {resource} create without the record")
        if scope is not None:
            await ledger.done(scope, str(created["id"]))
        self.created.append((resource, str(created["id"]), scope))
        return created

    async def look_up(self, resource: str, body: Mapping[str, Any], *, since: float) -> dict[str, Any] | None:
        """The record a lost ``POST`` of ``body`` made, if Sage has it (created at or after ``since``, epoch s)."""
        fingerprint = FINGERPRINTS.get(resource)
        if fingerprint is None:
            return None
        params = {"attributes": "all",
                  "updated_or_created_since": datetime.fromtimestamp(since, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        for key, param in LOOKUP_FILTERS.get(resource, {}).items():
            if body.get(key):
                params[param] = str(body[key])
        for row in await self.list_all(f"/{resource}", params, max_pages=LOOKUP_PAGES):
            if matches(body, row, fingerprint):
                return row
        return None

    async def update(self, resource: str, wrapper: str, sage_id: str, body: dict[str, Any], *,
                     element: dict[str, Any] | None = None) -> dict[str, Any]:
        """``PUT /{resource}/{id}`` ``{wrapper: body}`` (retried on transient failures: a full replacement)."""
        try:
            found = await self._request("PUT", f"/{resource}/{sage_id}", body={wrapper: body}, element=element)
        finally:
            self.invalidate(resource)
        if not isinstance(found, dict):
            raise XeroApiError(f"Sage Accounting answered a {resource} update without the record")
        return found

    async def delete(self, resource: str, sage_id: str, *, params: dict[str, str] | None = None,
                     element: dict[str, Any] | None = None) -> Any:
        """``DELETE /{resource}/{id}`` (Sage deletes, or voids a posted document)."""
        try:
            return await self._request("DELETE", f"/{resource}/{sage_id}", params=params, element=element)
        finally:
            self.invalidate(resource)

    async def action(self, path: str, *, resource: str, element: dict[str, Any] | None = None) -> Any:
        """``POST {path}`` without a body (``/sales_invoices/{id}/release``)."""
        try:
            return await self._request("POST", path, element=element)
        finally:
            self.invalidate(resource)

    def invalidate(self, resource: str) -> None:
        """Drop what a write to ``resource`` makes stale: its reference kinds and its totals (documents: payments
        change them too)."""
        self.adapter.cache.invalidate(self.business_id, *refdata.INVALIDATES.get(resource, ()))
        related = {"contact_payments": ("sales_invoices", "purchase_invoices", "sales_credit_notes",
                                        "purchase_credit_notes"),
                   "contact_allocations": ("sales_invoices", "purchase_invoices", "sales_credit_notes",
                                           "purchase_credit_notes")}.get(resource, ())
        self.adapter.cache.invalidate_totals(self.business_id, resource, *related)
