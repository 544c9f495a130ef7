"""Events from the gateway's own Accounting API writes, for every source at once.

After a successful PUT/POST of ``/{Collection}`` or ``/{Collection}/{ID}`` for a collection of
:data:`gateway.webhooks.categories.COLLECTIONS`, each returned item becomes one event: ``UPDATE`` when the request
named its ID (path or body element), else ``CREATE``. ``CreditNotes`` events carry ``data`` (``Type``, ``Status``;
Xero's ``CreditNoteWebhookEvent``). A ``Payment`` also yields an ``INVOICE`` ``UPDATE`` of the paid invoice (a
payment surfaces as an invoice update in Xero: shared/notes/webhooks.md §2, inferred). Items the adapter answered
with ``StatusAttributeString: "ERROR"`` (``summarizeErrors=false``) changed nothing and yield no event.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import structlog
from aiohttp import web

from gateway import appkeys
from gateway.xero.request import RequestContext, Result, XeroRequest

from .categories import COLLECTIONS
from .changemap import change_maps
from .events import ChangeEvent
from .outbox import emit
from .own_writes import remember

if TYPE_CHECKING:  # gateway.api imports this module
    from gateway.api.operations import Operation

log = structlog.get_logger("gateway.webhooks")


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    value = getattr(value, "value", value)  # enums
    return str(value)


def written_collection(op: Operation) -> str | None:
    """The collection ``op`` writes to, when it is a create/update of a collection events are emitted for."""
    if op.method not in ("PUT", "POST"):
        return None
    parts = op.path.strip("/").split("/")
    collection = parts[0]
    if collection not in COLLECTIONS or collection != op.response_key:
        return None
    if len(parts) == 1 or (len(parts) == 2 and parts[1] == "{" + COLLECTIONS[collection][1] + "}"):
        return collection
    return None


def write_events(op: Operation, ctx: RequestContext, request: XeroRequest, result: Result, *,
                 now: datetime | None = None) -> list[ChangeEvent]:
    """The events of one successful write (empty for any other operation).

    Args:
        op: the operation served.
        ctx: the caller (source code and tenant).
        request: the request (path parameters and body elements name the IDs that existed before).
        result: the adapter's answer (``items`` are models or, for failed elements, dicts).
        now: the change time (default: now, UTC).
    """
    collection = written_collection(op)
    if collection is None or result.content is not None:
        return []
    category, id_field = COLLECTIONS[collection]
    now = now or datetime.now(UTC)
    named = {str(v).lower() for v in request.path_params.values()}
    named |= {str(e[id_field]).lower() for e in request.elements if isinstance(e, Mapping) and e.get(id_field)}
    events: list[ChangeEvent] = []

    def add(cat: str, event_type: str, resource_id: Any, data: dict[str, str] | None = None) -> None:
        events.append(ChangeEvent(source_code=ctx.source_code, tenant_id=ctx.tenant_id, category=cat,
                                  event_type=event_type, resource_id=str(resource_id).lower(), occurred_at=now,
                                  data=data))

    for item in result.items:
        resource_id = _field(item, id_field)
        if not resource_id or _field(item, "StatusAttributeString") == "ERROR":
            continue
        event_type = "UPDATE" if str(resource_id).lower() in named else "CREATE"
        data = None
        if category == "CREDITNOTE":
            data = {"Type": _text(_field(item, "Type")), "Status": _text(_field(item, "Status"))}
            if None in data.values():
                continue  # Xero's CreditNoteWebhookEvent requires both
        add(category, event_type, resource_id, data)
        if collection == "Payments":
            invoice_id = _field(_field(item, "Invoice"), "InvoiceID")
            if invoice_id:
                add("INVOICE", "UPDATE", invoice_id)
    return events


async def emit_write_events(app: web.Application, op: Operation, ctx: RequestContext, request: XeroRequest,
                            result: Result) -> None:
    """Queue the events of a successful write and wake this process's dispatcher.

    The write already happened at the source, so a failure to queue is logged and the answer still goes out (a
    500 would make the client repeat the write). For a source whose changes a detector also observes, the written
    resources are remembered in the same transaction (:mod:`.own_writes`), so that the detector does not announce
    them again.
    """
    events = write_events(op, ctx, request, result)
    if not events:
        return
    try:
        async with app[appkeys.DB].session() as s, s.begin():
            queued = await emit(s, events)
            if ctx.source_code in change_maps():
                await remember(s, events, now=datetime.now(UTC))
        if queued and appkeys.WEBHOOKS in app:
            app[appkeys.WEBHOOKS].wake()
    except Exception:  # noqa: BLE001 - see the docstring
        log.exception("webhook_emit_failed", operation=op.id, source_code=ctx.source_code, tenant_id=ctx.tenant_id)
