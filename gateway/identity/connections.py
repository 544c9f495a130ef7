"""``GET /{code}/connections`` and ``DELETE /{code}/connections/{id}`` (Xero's identity spec, xero-identity.yaml;
xero-contract.md §1.4). Bearer token only, no ``xero-tenant-id``.

A user token sees the live connections of its user and app; a custom-connection token sees its one tenant.
Deleting a connection ends the app's access to that tenant at once (it empties the identity cache the API guard
reads: gateway/identity/cache.py).
"""

from __future__ import annotations

import json

from aiohttp import web

from gateway.appkeys import IDENTITY
from gateway.xero.dates import to_connection_datetime
from gateway.xero.errors import NotFound, XeroApiError
from gateway.xero.guids import normalise_guid

from .bearer import authenticate_bearer


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
    return web.Response(status=204)
