"""What every operation mixin of the Sage adapter shares: the unit of work they open, and the helpers of lists.

The mixins (:mod:`.ops_settings`, :mod:`.ops_contacts`, :mod:`.ops_documents`, :mod:`.ops_banking`,
:mod:`.ops_reports`) derive from :class:`OpsBase` and import only this module, :mod:`.unit` and the shared helpers
(:mod:`.contacts`, :mod:`.batch`, :mod:`.listing`, :mod:`.parents`), never one another.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from functools import partial
from typing import Any

from gateway.xero import query as xq
from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid
from gateway.xero.request import ListQuery, RequestContext, Result, XeroRequest

from .batch import Perform, run_batch
from .query import Collection, Plan, guid_literals, plan
from .translate.common import xero_text
from .unit import SageUnit

#: ``(unit, tx, index, element, **options) → perform``: a named ``_prepare_…`` function of an operation module.
PrepareElement = Callable[..., Awaitable[Perform]]


class OpsBase(ABC):
    """Base of the operation mixins of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter`."""

    code: str

    @abstractmethod
    def unit(self, ctx: RequestContext, req: XeroRequest) -> AbstractAsyncContextManager[SageUnit]:
        """The unit of work of one Xero call (``async with self.unit(ctx, req) as unit``); the adapter implements
        it (:meth:`adapters.sage_accounting.adapter.SageAccountingAdapter.unit`)."""

    async def write_batch(self, ctx: RequestContext, req: XeroRequest, prepare: PrepareElement, *, collection: str,
                          kinds: tuple[str, ...], **options: Any) -> Result:
        """Write the request's elements: one unit, reference ``kinds`` loaded, then
        :func:`adapters.sage_accounting.batch.run_batch` with ``prepare(unit, tx, index, element, **options)``.

        Args:
            prepare: validates and translates one element, answering the named function that writes it.
            collection: the Xero collection (error flags).
            kinds: reference kinds loaded before the first element (none: each prepare loads what it needs).
            options: keyword arguments of ``prepare``.

        Raises:
            ValidationException: with ``summarizeErrors``, any element failure.
        """
        async with self.unit(ctx, req) as unit:
            tx = await unit.tx(*kinds)
            out = await run_batch(unit, req.elements, partial(prepare, unit, tx, **options), collection=collection,
                                  summarize_errors=req.query.summarize_errors)
            return Result(items=out)


def check_query(query: ListQuery, model: type) -> None:
    """Refuse a ``where``/``order`` naming a field ``model`` does not have.

    Raises:
        QueryParseException: an unknown field (:func:`gateway.xero.query.check_fields`).
    """
    if query.where is not None:
        xq.check_fields(query.where, model)
    if query.order:
        xq.check_fields(query.order, model)


async def resolve_guids(unit: SageUnit, guids: list[str]) -> dict[str, tuple[str, str] | None]:
    """lower-case GUID → ``(resource, sage id)`` of whole records (``None`` when unknown), for the list planner."""
    out: dict[str, tuple[str, str] | None] = {}
    for guid in guids:
        key = normalise_guid(guid)
        if not key or key in out:
            continue
        refs = [r for r in await unit.resolve(key) if not r.part]
        out[key] = (refs[0].resource, refs[0].sage_id) if refs else None
    return out


async def plan_list(unit: SageUnit, collection: Collection, query: ListQuery) -> Plan:
    """The list plan of ``query`` over ``collection`` (:func:`adapters.sage_accounting.query.plan`), the GUIDs its
    ``where`` and ``ContactIDs`` name resolved to Sage ids first."""
    guids = [g for _, g in guid_literals(query.where, collection)] + list(query.contact_ids)
    return plan(collection, query, resolved=await resolve_guids(unit, guids))


async def list_by_ids(unit: SageUnit, ids: list[str], resources: tuple[str, ...]) -> list[tuple[str, dict[str, Any]]]:
    """``(resource, record)`` of each GUID in ``ids`` (Xero's ``IDs`` parameter) that names one of ``resources``.

    One ``GET /{resource}/{id}`` each; unknown GUIDs are skipped, as Xero answers only the ids it has.
    """
    out = []
    for guid in dict.fromkeys(ids):
        ref = await unit.find(guid, resources)
        if ref is None:
            continue
        try:
            out.append((ref.resource, await unit.read(ref.resource, ref.sage_id)))
        except NotFound:
            continue
    return out


async def account_ids_of(unit: SageUnit, elements: list[dict[str, Any]]) -> dict[str, str]:
    """lower-case AccountID GUIDs named by lines → Sage ledger account ids."""
    out: dict[str, str] = {}
    for element in elements:
        for line in element.get("LineItems") or element.get("JournalLines") or []:
            guid = xero_text(line, "AccountID") if isinstance(line, dict) else None
            if guid and guid.lower() not in out:
                ref = await unit.find(guid, ("ledger_accounts",))
                if ref is not None:
                    out[guid.lower()] = ref.sage_id
    return out
