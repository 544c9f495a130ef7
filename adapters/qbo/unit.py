"""One Xero call against one QBO realm: reference data, reads, writes and the id bookkeeping around them.

A :class:`QboUnit` (over :class:`adapters.common.unit.Unit`) is opened by every adapter operation
(``async with adapter.unit(ctx, req) as unit``). It

- reads the credentials once (the realm is their ``tenant_key``) and loads the realm's id aliases
  (:mod:`adapters.qbo.ids`);
- gives the translation context (:meth:`QboUnit.tx`) with the reference kinds the operation needs, loading the missing
  ones in one upstream request (:mod:`adapters.qbo.cache`, :mod:`adapters.qbo.refdata`);
- reads (``GET /{entity}/{Id}``, queries, ``Id IN (…)`` look-ups batched per entity: never one call per row);
- writes with QBO's rules (upstream-contracts.md §1 "CRUD", §4 hard case 10): creates, *sparse* updates carrying the
  current ``SyncToken`` (a stale one, Fault 5010, is re-read and retried once), ``operation=delete``,
  ``operation=void``; every write carries a ``requestid`` (:meth:`QboUnit.request_id`) so that a retried write never
  posts twice;
- invalidates the caches a write makes stale;
- when the call succeeds, keeps a Xero history entry ("Created", "Edited", "Voided", "Deleted") for each write of a
  record of the collection the operation acts on (:mod:`adapters.common.history`; :data:`adapters.qbo.parents.PARENTS`);
- at the end, persists the GUIDs the call handed out in one write and logs the upstream calls it cost.

It takes its collaborators (client, GUID map, cache), never the adapter.

Request ids: the client's ``Idempotency-Key`` becomes QBO's ``requestid`` (at most 50 characters, §1
"Idempotency"; upstream-contracts.md): ``sha256(client_id, tenant_id, key, operationId, label)`` cut to 50 hex digits,
where the label names the write (``main:0``, ``counterpart:1``, ``item:42``…) so that a retried Xero call derives the
same ids for the same writes. A key is the client's own (gateway/api/idempotency.py keeps keys per client and tenant)
while QBO dedupes ``requestid`` per realm, so the partner app and the tenant are part of the id: two apps (or two
tenants on one realm) sending the same key never replay each other's writes. Without a key, each write gets a random
id (its own transport retries still replay).
"""

from __future__ import annotations

import hashlib
import uuid
from collections import deque
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from types import TracebackType
from typing import Any

import structlog

import mappings
from adapters.common import history as gateway_history
from adapters.common.ids import Emitted
from adapters.common.refcache import RefCache
from adapters.common.unit import CallRecord, Unit
from gateway.xero.errors import NotFound, XeroApiError
from gateway.xero.request import RequestContext, XeroRequest

from . import cache as reference
from . import refdata
from .client import QboClient
from .errors import STALE_OBJECT, QboFault, to_xero_error
from .ids import IdStore, QboRef
from .parents import PARENTS
from .refdata import RefData
from .translate.common import Tx
from .translated import TranslatedRecords

log = structlog.get_logger("adapters.qbo")

MAX_REQUEST_ID = 50
#: Ids per ``Id IN (…)`` query.
IDS_PER_QUERY = 200


def derive_request_id(key: str | None, operation_id: str, label: str, *, client_id: str, tenant_id: str) -> str:
    """The ``requestid`` of one write (rule in the module docstring).

    Args:
        key: the call's ``Idempotency-Key``, or ``None`` (a random id).
        operation_id: Xero's ``operationId`` of the call (``createInvoices``).
        label: the write within the call (``main:0``).
        client_id: the partner app's ``client_id``.
        tenant_id: the Xero tenant id of the call.

    Returns:
        ``MAX_REQUEST_ID`` lower-case hex digits for a keyed write (the same for the same five inputs), 32 otherwise.
    """
    if key is None:
        return uuid.uuid4().hex
    # \x1f (unit separator) cannot occur in a client id, a tenant GUID or an operationId: the fields stay apart.
    scoped = "\x1f".join((client_id, tenant_id, key, operation_id, label))
    return hashlib.sha256(scoped.encode()).hexdigest()[:MAX_REQUEST_ID]


@cache
def resource_of(operation_id: str) -> str:
    """The Xero collection an operation acts on (its path's first segment, ``mappings/xero_operations.toml``)."""
    paths = {row["id"]: row["path"] for row in mappings.load("xero_operations")["operation"]}
    return paths.get(operation_id, "/").strip("/").split("/")[0]


def history_details(row: dict[str, Any]) -> str:
    """Details of a write's history entry, as the native ledger writes them: ``"1001 to Amy's Bird Sanctuary for
    100.00."`` (number, party and total where the record has them; Xero's exact wording is unconfirmed)."""
    party = next((row[k].get("name") for k in ("CustomerRef", "VendorRef", "EntityRef")
                  if isinstance(row.get(k), dict) and row[k].get("name")), None)
    total = row.get("TotalAmt")
    parts = [str(row["DocNumber"])] if row.get("DocNumber") else []
    if party:
        parts.append(f"to {party}")
    if total is not None:
        parts.append(f"for {Decimal(str(total)):,.2f}")
    return (" ".join(parts) + ".") if parts else ""


def path_of(entity: str) -> str:
    """The URL segment of an entity (``CreditMemo`` → ``/creditmemo``; QBO's paths are lower-case names)."""
    return "/" + entity.lower()


class QboUnit(Unit):
    """See the module docstring. Created by :meth:`adapters.qbo.adapter.QboAdapter.unit`.

    Args:
        client: the adapter's client.
        ids: the adapter's GUID map.
        cache: the adapter's reference cache.
        translated: the adapter's cache of translated records (:mod:`adapters.qbo.translated`; none by default).
        ctx, req: the Xero call.
        recent: the adapter's ``recent_calls``.
    """

    client: QboClient
    ids: IdStore

    def __init__(self, *, client: QboClient, ids: IdStore, cache: RefCache, ctx: RequestContext, req: XeroRequest,
                 recent: deque[CallRecord] | None = None,
                 history: gateway_history.HistoryLog | None = None,
                 translated: TranslatedRecords | None = None) -> None:
        super().__init__(client=client, ids=ids, ctx=ctx, req=req, recent=recent)
        self.cache = cache
        self.translated = translated if translated is not None else TranslatedRecords(0)
        self.warnings: list[str] = []
        self._tx: Tx | None = None
        self.history = history
        self._written: list[tuple[str, str, str, dict[str, Any]]] = []

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        try:
            if exc_type is None:
                await self._record_history()
        finally:
            await super().__aexit__(exc_type, exc, tb)

    def wrote(self, entity: str, row: dict[str, Any], changes: str) -> None:
        """Note a write of the call's own record for its Xero history (saved when the call succeeds)."""
        if row.get("Id") is not None:
            self._written.append((entity, str(row["Id"]), changes, row))

    async def _record_history(self) -> None:
        """The history entries of the call's writes to records of the collection it acts on (counterparts, items
        made for lines and the like are not that record's history): ``adapters.common.history``."""
        parent = PARENTS.get(resource_of(self.req.operation_id))
        if self.history is None or parent is None or parent.parts:  # a part's GUID is not its record's
            return
        for entity, qbo_id, changes, row in self._written:
            if entity in parent.entities:
                await self.history.add(tenant_id=self.ctx.tenant_id, resource=resource_of(self.req.operation_id),
                                       record_id=self.ids.forward(self.realm_id, entity, qbo_id),
                                       changes=changes, details=history_details(row))
        self._written.clear()

    @property
    def realm_id(self) -> str:
        """The QBO company (``realmId``) of the call."""
        return self.tenant_key

    def emitted(self) -> Iterable[Emitted]:
        return list(self._tx.emitted) if self._tx is not None else ()

    def emitted_saved(self) -> None:
        if self._tx is not None:
            self._tx.emitted.clear()

    # Reference data -------------------------------------------------------------------------------------------------

    async def tx(self, *kinds: str) -> Tx:
        """The translation context with (at least) the reference ``kinds`` loaded (and their cache stamps,
        :attr:`Tx.stamps`)."""
        stamped = await self.cache.get_stamped(self.realm_id, kinds, self._load) if kinds else {}
        values = {kind: value for kind, (_, value) in stamped.items()}
        stamps = {kind: stamp for kind, (stamp, _) in stamped.items()}
        if self._tx is None:
            self._tx = Tx(realm_id=self.realm_id, tenant_id=self.ctx.tenant_id, refs=RefData(values),
                          forward=lambda entity, qbo_id, part: self.ids.forward(self.realm_id, entity, qbo_id, part),
                          stamps=stamps, alias_version=lambda: self.ids.alias_version(self.realm_id))
        elif any(self._tx.stamps.get(kind) != stamp for kind, stamp in stamps.items()):
            self._tx.refs.values.update(values)
            self._tx.refs.forget_derived()  # the company is derived from companyinfo and preferences
            self._tx.stamps.update(stamps)
        return self._tx

    async def refresh(self, *kinds: str) -> Tx:
        """Drop ``kinds`` from the cache and load them again (after the call itself changed them)."""
        self.cache.invalidate(self.realm_id, *kinds)
        return await self.tx(*kinds)

    async def _load(self, missing: list[str]) -> dict[str, Any]:
        return await reference.load(missing, queries=self.queries, query=self.query)

    # Reads --------------------------------------------------------------------------------------------------

    async def query(self, text: str) -> dict[str, Any]:
        """One QBO query (its ``QueryResponse``)."""
        try:
            return await self.client.query(self.auth, text)
        except QboFault as fault:
            raise to_xero_error(fault) from None

    async def queries(self, texts: list[str]) -> list[dict[str, Any]]:
        """Several queries in as few requests as possible (:meth:`adapters.qbo.client.QboClient.queries`)."""
        if not texts:
            return []
        try:
            return await self.client.queries(self.auth, texts)
        except QboFault as fault:
            raise to_xero_error(fault) from None

    async def read(self, entity: str, qbo_id: str) -> dict[str, Any]:
        """``GET /{entity}/{Id}``.

        Raises:
            NotFound: QBO has no such record (610).
        """
        try:
            answer = await self.client.get(self.auth, f"{path_of(entity)}/{qbo_id}")
        except QboFault as fault:
            raise to_xero_error(fault, reading_one=True) from None
        row = answer.get(entity)
        if not isinstance(row, dict):
            raise NotFound()
        return row

    async def read_many(self, wanted: Iterable[tuple[str, str]], *, fields: str = "*"
                        ) -> dict[tuple[str, str], dict[str, Any]]:
        """Records by ``(entity, Id)``, read with ``Id IN (…)`` queries batched in one request (no N+1)."""
        by_entity: dict[str, list[str]] = {}
        for entity, qbo_id in wanted:
            by_entity.setdefault(entity, [])
            if qbo_id not in by_entity[entity]:
                by_entity[entity].append(qbo_id)
        texts, owners = [], []
        for entity, ids in by_entity.items():
            for start in range(0, len(ids), IDS_PER_QUERY):
                chunk = ids[start:start + IDS_PER_QUERY]
                quoted = ", ".join("'" + i.replace("'", "\\'") + "'" for i in chunk)
                texts.append(f"SELECT {fields} FROM {entity} WHERE Id IN ({quoted}) "  # noqa: S608 - quoted ids
                             f"MAXRESULTS {len(chunk)}")
                owners.append(entity)
        out = {}
        for entity, answer in zip(owners, await self.queries(texts), strict=True):
            for row in answer.get(entity) or []:
                out[(entity, str(row.get("Id")))] = row
        return out

    async def resolve(self, guid: str) -> tuple[QboRef, ...]:
        """The QBO records behind a Xero GUID of this realm."""
        return await self.ids.resolve(self.realm_id, guid)

    async def find(self, guid: str, entities: Iterable[str]) -> QboRef | None:
        """The record of one of ``entities`` behind ``guid`` (whole records only), or ``None``."""
        wanted = tuple(entities)
        for ref in await self.resolve(guid):
            if ref.entity in wanted and not ref.part:
                return ref
        return None

    # Writes -------------------------------------------------------------------------------------------------

    def request_id(self, label: str) -> str:
        """The ``requestid`` of the write named ``label`` (module docstring)."""
        return derive_request_id(self.req.idempotency_key, self.req.operation_id, label,
                                 client_id=self.ctx.client_id, tenant_id=self.ctx.tenant_id)

    async def _post(self, entity: str, body: dict[str, Any], *, label: str, element: dict[str, Any] | None,
                    params: dict[str, str] | None = None) -> dict[str, Any]:
        try:
            answer = await self.client.post(self.auth, path_of(entity), body,
                                            request_id=self.request_id(label), params=params)
        except QboFault as fault:
            if STALE_OBJECT in fault.codes:
                raise
            raise to_xero_error(fault, element=element) from None
        finally:
            self.invalidate(entity)
        row = answer.get(entity)
        if not isinstance(row, dict):
            raise XeroApiError(f"QuickBooks Online answered a {entity} write without the {entity}")
        return row

    async def create(self, entity: str, body: dict[str, Any], *, label: str,
                     element: dict[str, Any] | None = None) -> dict[str, Any]:
        """Create a record; returns it as QBO holds it.

        Raises:
            ValidationException (and the other mappings of :func:`adapters.qbo.errors.to_xero_error`).
        """
        row = await self._post(entity, body, label=label, element=element)
        self.wrote(entity, row, gateway_history.CREATED)
        return row

    async def update(self, entity: str, current: dict[str, Any], changes: dict[str, Any], *, label: str,
                     element: dict[str, Any] | None = None, params: dict[str, str] | None = None) -> dict[str, Any]:
        """A sparse update of ``current`` with ``changes`` and its ``SyncToken``; after a stale-object fault (5010)
        the record is read again and the update retried once."""
        for attempt in range(2):
            body = {**changes, "Id": str(current["Id"]), "SyncToken": str(current.get("SyncToken", "0")),
                    "sparse": True}
            try:
                row = await self._post(entity, body, label=f"{label}:{attempt}", element=element, params=params)
                self.wrote(entity, row, gateway_history.UPDATED)
                return row
            except QboFault as fault:
                if attempt == 1:
                    raise to_xero_error(fault, element=element) from None
                log.info("qbo_stale_object_retry", entity=entity, qbo_id=current.get("Id"))
                current = await self.read(entity, str(current["Id"]))
        raise AssertionError("unreachable")  # pragma: no cover

    async def delete(self, entity: str, current: dict[str, Any], *, label: str,
                     element: dict[str, Any] | None = None) -> None:
        """``POST /{entity}?operation=delete`` (transactions only)."""
        body = {"Id": str(current["Id"]), "SyncToken": str(current.get("SyncToken", "0"))}
        try:
            await self.client.post(self.auth, path_of(entity), body, request_id=self.request_id(label),
                                   params={"operation": "delete"})
        except QboFault as fault:
            raise to_xero_error(fault, element=element) from None
        finally:
            self.invalidate(entity)
        self.wrote(entity, current, gateway_history.DELETED)

    async def void(self, entity: str, current: dict[str, Any], *, label: str,
                   element: dict[str, Any] | None = None) -> dict[str, Any]:
        """Void a transaction: ``operation=void`` (Invoice, Payment, SalesReceipt), or for a BillPayment a sparse
        update with ``include=void`` (upstream-contracts.md §1 "CRUD")."""
        if entity == "BillPayment":
            return await self.update(entity, current, {}, label=label, element=element,
                                     params={"operation": "update", "include": "void"})
        body = {"Id": str(current["Id"]), "SyncToken": str(current.get("SyncToken", "0"))}
        row = await self._post(entity, body, label=label, element=element, params={"operation": "void"})
        self.wrote(entity, row, gateway_history.VOIDED)
        return row

    def invalidate(self, entity: str) -> None:
        """Drop what a write to ``entity`` makes stale: its reference kind and every count of it (and of the
        documents a payment changes)."""
        self.cache.invalidate(self.realm_id, *refdata.INVALIDATES.get(entity, ()))
        related = {"Payment": ("Invoice",), "BillPayment": ("Bill",)}.get(entity, ())
        self.cache.invalidate_counts(self.realm_id, entity, *related)
