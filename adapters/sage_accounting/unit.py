"""The unit of work of one Xero call against one Sage business: reference data, reads, lists, writes and the id
bookkeeping around them.

A :class:`SageUnit` (a :class:`adapters.common.unit.Unit`) is opened by every adapter operation
(``async with self.unit(ctx, req) as unit``). It is handed the adapter's collaborators (client, GUID store,
reference cache, write ledger), never the adapter itself. The common unit reads the tenant's credentials ONCE for
the whole call (the business id, ``X-Business``, comes with them), counts the upstream requests, and at the end
persists the GUIDs the call handed out. This one adds Sage's work:

- the translation context (:meth:`SageUnit.tx`) with the reference kinds the operation needs, loading the missing ones
  (:mod:`adapters.sage_accounting.cache`, :mod:`adapters.sage_accounting.refdata`);
- reads of one record, list pages (updating the cached ``$total`` of the filters), GUID resolution;
- writes: ``POST`` creates through the write ledger (:mod:`adapters.sage_accounting.ledger`) when the Xero call
  carries an ``Idempotency-Key``, ``PUT`` updates, ``DELETE`` (Sage voids documents that way), ``POST …/release``;
  each drops the caches it makes stale (:func:`adapters.sage_accounting.cache.invalidate_after_write`).

Every Sage error is turned into the Xero error of :func:`adapters.sage_accounting.errors.to_xero_error` here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import structlog

from adapters.common import unit as common_unit
from adapters.common.ids import Emitted
from adapters.common.ledger import WriteLedger
from gateway.xero.errors import NotFound, XeroApiError
from gateway.xero.request import RequestContext, XeroRequest

from . import refdata
from .cache import RefCache, invalidate_after_write
from .client import MAX_ITEMS_PER_PAGE, ListPage, SageClient
from .errors import SageError, to_xero_error
from .ids import IdStore, SageRef
from .ledger import DONE, FINGERPRINTS, LOOKUP_FILTERS, PENDING, SKEW, matches, scope_of
from .query import Stream
from .refdata import RefData
from .translate.common import Tx

log = structlog.get_logger("adapters.sage_accounting")

#: Pages a look-up of a lost write reads at most (200 records each).
LOOKUP_PAGES = 5
#: Query parameters of single reads, per resource (documents: their payments and allocations).
READ_PARAMS: dict[str, dict[str, str]] = {
    resource: {"show_payments_allocations": "true"}
    for resource in ("sales_invoices", "purchase_invoices", "sales_credit_notes", "purchase_credit_notes")
}


class SageUnit(common_unit.Unit):
    """See the module docstring. Opened by :meth:`adapters.sage_accounting.adapter.SageAccountingAdapter.unit`.

    Args:
        code: the gateway source code (``"1009"``), part of every write-ledger scope.
        client: the adapter's HTTP client.
        ids: the GUID store (reverse map).
        cache: the per-business reference data and list totals.
        ledger: the write ledger of keyed creates.
        ctx: the Xero call's context (tenant, app).
        req: the Xero request (operation, ``Idempotency-Key``).
    """

    client: SageClient
    ids: IdStore

    def __init__(self, *, code: str, client: SageClient, ids: IdStore, cache: RefCache, ledger: WriteLedger,
                 ctx: RequestContext, req: XeroRequest) -> None:
        super().__init__(client=client, ids=ids, ctx=ctx, req=req)
        self.code = code
        self.cache = cache
        self.ledger = ledger
        self._tx: Tx | None = None
        #: The GUIDs the call's translations handed out (the translation context appends to it).
        self._emitted: list[Emitted] = []
        #: ``(resource, sage id, ledger scope)`` of the records this call created (or found made by an earlier
        #: attempt with its key), for compensation (:mod:`adapters.sage_accounting.batch`).
        self.created: list[tuple[str, str, str | None]] = []

    @property
    def business_id(self) -> str:
        """The Sage business of the call (the tenant key of its credentials; known once the unit is open)."""
        return self.tenant_key

    def emitted(self) -> Iterable[Emitted]:
        """The GUIDs the call's translations handed out."""
        return self._emitted

    def emitted_saved(self) -> None:
        """Forget the GUIDs once saved."""
        self._emitted.clear()

    def today(self) -> date:
        """Today (UTC) for defaulted dates."""
        return datetime.now(UTC).date()

    # Reference data -----------------------------------------------------------------------------------------

    async def tx(self, *kinds: str) -> Tx:
        """The translation context with (at least) the reference ``kinds`` loaded."""
        values = await self.cache.get(self.business_id, kinds, self._load) if kinds else {}
        if self._tx is None:
            self._tx = Tx(business_id=self.business_id, tenant_id=self.ctx.tenant_id, refs=RefData(dict(values)),
                          emitted=self._emitted)
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
            return await self.client.send(self.auth, method, path, params=params, body=body)
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

    async def download(self, path: str) -> bytes:
        """``GET`` a file (``/attachments/{key}/file``): its bytes.

        Raises:
            NotFound: Sage has no such file (and the other mappings of :func:`.errors.to_xero_error`).
        """
        try:
            return await self.client.download(self.auth, path)
        except SageError as error:
            raise to_xero_error(error, reading_one=True) from None

    async def read(self, resource: str, sage_id: str) -> dict[str, Any]:
        """``GET /{resource}/{id}`` with the resource's read parameters."""
        return await self.get_one(f"/{resource}/{sage_id}", READ_PARAMS.get(resource))

    async def list_page(self, stream: Stream, *, page: int, items_per_page: int) -> ListPage:
        """One page of a stream; its ``$total`` refreshes the totals cache."""
        try:
            answer = await self.client.list_page(self.auth, f"/{stream.resource}", stream.params, page=page,
                                                 items_per_page=items_per_page)
        except SageError as error:
            raise to_xero_error(error) from None
        if answer.total is not None:
            self.cache.set_count(self.business_id, stream.resource, stream.key(), answer.total)
        return answer

    def cached_total(self, stream: Stream) -> int | None:
        """The cached ``$total`` of a stream (``None`` when unknown)."""
        return self.cache.count(self.business_id, stream.resource, stream.key())

    async def list_all(self, path: str, params: dict[str, str] | None = None, *, max_pages: int = 50
                       ) -> list[dict[str, Any]]:
        """Every record of a list (200 per call, ``max_pages`` calls at most)."""
        out: list[dict[str, Any]] = []
        for page in range(1, max_pages + 1):
            try:
                answer = await self.client.list_page(self.auth, path, params, page=page,
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
        return await self.ids.resolve(self.business_id, guid)

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
        return scope_of(code=self.code, client_id=self.ctx.client_id, tenant_id=self.ctx.tenant_id, key=key,
                        operation_id=self.req.operation_id, label=label)

    async def attempted(self, label: str) -> bool:
        """Whether an earlier attempt of this keyed Xero call already sent the create ``label`` (a write-ledger row
        exists: its record is reconciled by :meth:`create`, not refused as a duplicate)."""
        scope = self._scope(label)
        return scope is not None and await self.ledger.get(scope) is not None

    async def create(self, resource: str, wrapper: str, body: dict[str, Any], *, label: str,
                     element: dict[str, Any] | None = None) -> dict[str, Any]:
        """``POST /{resource}`` ``{wrapper: body}``, at most once per ``Idempotency-Key`` and ``label``.

        With a key: a write the ledger knows as done is read back instead of made again; one left pending (unknown
        outcome) is looked up in Sage first (:mod:`adapters.sage_accounting.ledger`).

        Raises:
            ValidationException (and the other mappings of :func:`adapters.sage_accounting.errors.to_xero_error`).
        """
        ledger = self.ledger
        scope = self._scope(label)
        if scope is not None:
            state = await ledger.get(scope)
            if state is not None and state.state == DONE and state.upstream_id:
                try:
                    existing = await self.read(resource, state.upstream_id)
                    log.info("sage_write_replayed", resource=resource, label=label)
                    self.created.append((resource, state.upstream_id, scope))
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
            await ledger.pending(scope, tenant_key=self.business_id, resource=resource)
        try:
            created = await self.client.send(self.auth, "POST", f"/{resource}", body={wrapper: body})
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
        """Drop what a write to ``resource`` makes stale (:func:`.cache.invalidate_after_write`)."""
        invalidate_after_write(self.cache, self.business_id, resource)
