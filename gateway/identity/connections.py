"""``GET /{code}/connections`` and ``DELETE /{code}/connections/{id}`` (Xero's identity spec, xero-identity.yaml;
xero-contract.md §1.4). Bearer token only, no ``xero-tenant-id``.

A user token sees the live connections of its user and app; a custom-connection token sees its one tenant.
Deleting a connection ends the app's access to that tenant at once (it empties the identity cache the API guard
reads: gateway/identity/cache.py).

The operators' view of every connection (the console and ``xero-gateway connections …``) is here too:
:func:`operator_connections` and :func:`operator_delete_connection`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from sqlalchemy import select

from gateway.appkeys import IDENTITY
from gateway.store.activity import event as activity_event
from gateway.store.activity import record as record_activity
from gateway.store.db import Database
from gateway.store.models import App, AuthEvent, Connection
from gateway.xero.dates import to_connection_datetime
from gateway.xero.errors import NotFound, XeroApiError
from gateway.xero.guids import normalise_guid

from .bearer import authenticate_bearer
from .cache import revoked
from .store import revoke_auth_events


def _query_param(request: web.Request, name: str) -> str | None:
    wanted = name.lower()
    return next((v for k, v in request.query.items() if k.lower() == wanted), None)


async def list_connections(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /connections[?authEventId=<uuid>]`` → a bare JSON array of
    ``{id, authEventId, tenantId, tenantType, tenantName, createdDateUtc, updatedDateUtc}``; dates are ISO-8601 with
    seven fractional digits and no offset (:func:`gateway.xero.dates.to_connection_datetime`).

    Raises:
        Unauthorized: see :func:`gateway.identity.bearer.authenticate_bearer`.
    """
    state = request.app[IDENTITY]
    principal = await authenticate_bearer(request, code, fresh=True)
    rows = await state.store.list_connections(code=code, client_id=principal.client_id, user_id=principal.user_id)
    auth_event = _query_param(request, "authEventId")
    if auth_event is not None:
        wanted = normalise_guid(auth_event)
        rows = [r for r in rows if r.auth_event_id == wanted]
    names: dict[str, str] = {}
    if rows:
        try:  # current names from the source; the stored ones when the source is unavailable
            adapter = await state.sources.get(code)
            names = {(normalise_guid(t.tenant_id) or t.tenant_id): t.name for t in await adapter.list_tenants()}
        except XeroApiError:
            names = {}
    body = [{"id": r.id, "authEventId": r.auth_event_id, "tenantId": r.tenant_id, "tenantType": r.tenant_type,
             "tenantName": names.get(r.tenant_id, r.tenant_name),
             "createdDateUtc": to_connection_datetime(r.created_at),
             "updatedDateUtc": to_connection_datetime(r.updated_at)} for r in rows]
    return web.Response(text=json.dumps(body), content_type="application/json", charset="utf-8",
                        headers={"Cache-Control": "no-store"})


async def delete_connection(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``DELETE /connections/{id}`` → 204 with no body.

    Raises:
        Unauthorized: see :func:`gateway.identity.bearer.authenticate_bearer`.
        NotFound: the id is not one of the caller's live connections (404).
    """
    state = request.app[IDENTITY]
    principal = await authenticate_bearer(request, code, fresh=True)
    connection_id = normalise_guid(params.get("id", ""))
    if connection_id is None or not await state.store.delete_connection(
            connection_id, code=code, client_id=principal.client_id, user_id=principal.user_id):
        raise NotFound()
    await record_activity(state.db, "connection_deleted", actor=principal.client_id, at=state.clock.now(),
                          client_address=request.remote or "", client_id=principal.client_id, source_code=code,
                          detail=f"connection {connection_id} deleted by the app (DELETE /connections)")
    return web.Response(status=204)


async def operator_connections(db: Database, *, now: datetime | None = None,
                               client_id: str | None = None) -> list[dict[str, Any]]:
    """Every live connection, for operators, oldest first.

    Returns:
        ``[{"id", "code", "client_id", "app_name", "tenant_id", "tenant_name", "user_id" (who consented; ``None``
        for a custom connection), "auth_event_id", "consented_at", "last_used_at" (ISO-8601 or None),
        "scopes" (list), "idle_days" (int: whole days since the last use, or since the consent)}]``.
    """
    now = now or datetime.now(UTC)
    stmt = (select(Connection, App.name, AuthEvent).join(App, App.client_id == Connection.client_id)
            .join(AuthEvent, AuthEvent.id == Connection.auth_event_id).where(Connection.deleted_at.is_(None)))
    if client_id:
        stmt = stmt.where(Connection.client_id == client_id)
    async with db.session() as s:
        rows = (await s.execute(stmt.order_by(Connection.created_at, Connection.id))).all()
    out = []
    for c, app_name, ev in rows:
        used = c.last_used_at or ev.created_at
        out.append({"id": c.id, "code": c.source_code, "client_id": c.client_id, "app_name": app_name,
                    "tenant_id": c.tenant_id, "tenant_name": c.tenant_name, "user_id": c.user_id,
                    "auth_event_id": ev.id, "consented_at": ev.created_at.isoformat(),
                    "last_used_at": c.last_used_at.isoformat() if c.last_used_at else None,
                    "scopes": ev.scope.split(), "idle_days": max(0, (now - used).days)})
    return out


async def operator_delete_connection(db: Database, connection_id: str, *, actor: str = "cli",
                                     client_address: str = "", now: datetime | None = None) -> dict[str, Any]:
    """Delete a live connection and revoke the authorisation it came from: its refresh tokens stop working at once
    (the app must ask for consent again), and so do its access tokens, for every tenant of that consent (Xero:
    revoking a grant removes all its connections, xero-contract.md §1.3). The identity caches are emptied after the
    commit (:func:`gateway.identity.cache.revoked`).

    Returns:
        ``{"id", "client_id", "tenant_id", "deleted": True}``.

    Raises:
        LookupError: no live connection ``connection_id``.
    """
    now = now or datetime.now(UTC)
    wanted = normalise_guid(connection_id or "")
    async with db.session() as s, s.begin():
        c = await s.get(Connection, wanted) if wanted else None
        if c is None or c.deleted_at is not None:
            raise LookupError(f"no live connection {connection_id}")
        c.deleted_at = now
        await revoke_auth_events(s, [c.auth_event_id], now)
        s.add(activity_event("connection_deleted", actor=actor, at=now, client_address=client_address,
                             client_id=c.client_id, tenant_id=c.tenant_id, source_code=c.source_code,
                             detail=f"connection {c.id} deleted; its authorisation and refresh tokens revoked"))
        result = {"id": c.id, "client_id": c.client_id, "tenant_id": c.tenant_id, "deleted": True}
    revoked(db)
    return result
