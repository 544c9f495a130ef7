"""Host mode's routes: Xero's paths at the root, each handed to the ``/{code}`` view of the source it belongs to.

Paths (case-insensitive, as under ``/{code}``), on any of the configured Xero hosts:

- ``GET /.well-known/openid-configuration`` (issuer ``https://identity.xero.com``, the authorize endpoint on
  ``https://login.xero.com``, the rest on the identity host: as Xero's own document) and ``…/jwks``;
- ``GET /identity/connect/authorize``: the source chooser (gateway/identity/views_source.py), then the source's
  own flow under ``/{code}``;
- ``POST /connect/token`` (also ``/identity/connect/token``), ``POST /connect/revocation``, ``GET
  /connect/userinfo``, ``GET /connections``, ``DELETE /connections/{id}``;
- everything else (``/api.xro/2.0/…``, other Xero APIs' 501s): the ``/{code}`` routes of the tenant's source.

A token's linked authorisations in other sources (:mod:`.links`) are used for ``/connections`` and for the calls to
their tenants.
"""

from __future__ import annotations

import json

from aiohttp import BasicAuth, web

from gateway.appkeys import HOST_MODE_LOOKUP, IDENTITY
from gateway.http.dispatch import serve_tail
from gateway.identity import connections, discovery, views_source, views_token
from gateway.identity.guard import TENANT_HEADER
from gateway.identity.state import HOST_ISSUER
from gateway.observability.context import ROUTED_SOURCE
from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid

from . import links
from .hosts import HOSTS
from .lookup import DEFAULT_CODE, SourceLookup


def _lookup(request: web.Request) -> SourceLookup:
    return request.app[HOST_MODE_LOOKUP]


def _bearer(request: web.Request) -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


async def _bearer_code(request: web.Request) -> str:
    return await _lookup(request).of_access_token(_bearer(request), issuer=request[HOST_ISSUER])


def _routed(request: web.Request, code: str) -> str:
    """``code``, recorded on ``request`` as the source it was routed to (the metrics' label, gateway/observability)."""
    request[ROUTED_SOURCE] = code
    return code


async def openid_configuration(request: web.Request, _code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /.well-known/openid-configuration`` under the Xero hostnames the client used."""
    hosts = request[HOSTS]
    document = discovery.discovery_document(request.app[IDENTITY], DEFAULT_CODE, issuer=hosts.identity,
                                            login=hosts.login)
    return web.Response(text=json.dumps(document), content_type="application/json", charset="utf-8",
                        headers={"Cache-Control": "public, max-age=3600"})


async def jwks(request: web.Request, _code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /.well-known/openid-configuration/jwks``: one key signs every source's tokens."""
    return await discovery.jwks(request, DEFAULT_CODE, params)


async def authorize(request: web.Request, _code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /identity/connect/authorize``: which accounting system, then that source's consent."""
    return await views_source.choose(request)


async def chosen(request: web.Request, _code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /identity/connect/source``: the chooser's answer."""
    return await views_source.chosen(request)


async def token(request: web.Request, _code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /connect/token``, at the source of the grant presented (code, refresh token or custom connection)."""
    lookup = _lookup(request)
    form = await request.post()  # aiohttp keeps it: the token view reads the same body again
    grant_type = form.get("grant_type")
    code = DEFAULT_CODE
    if grant_type == "authorization_code" and isinstance(form.get("code"), str):
        code = await lookup.of_authorization_code(str(form["code"]))
    elif grant_type == "refresh_token" and isinstance(form.get("refresh_token"), str):
        code = await lookup.of_refresh_token(str(form["refresh_token"]))
    elif grant_type == "client_credentials":
        code = await lookup.of_client(_client_id(request, form))
    return await views_token.token(request, _routed(request, code), params)


def _client_id(request: web.Request, form) -> str:
    """The ``client_id`` of HTTP Basic (RFC 6749 §2.3.1) or of the form; ``""`` when none."""
    header = request.headers.get("Authorization", "")
    if header[:6].lower() == "basic ":
        try:
            return BasicAuth.decode(header).login
        except ValueError:
            return ""
    value = form.get("client_id")
    return value if isinstance(value, str) else ""


async def revocation(request: web.Request, _code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /connect/revocation``, at the source of the refresh token presented."""
    form = await request.post()
    value = form.get("token")
    code = await _lookup(request).of_refresh_token(value) if isinstance(value, str) else DEFAULT_CODE
    return await views_token.revocation(request, _routed(request, code), params)


async def userinfo(request: web.Request, _code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /connect/userinfo``, at the source of the bearer token's authorisation."""
    return await discovery.userinfo(request, _routed(request, await _bearer_code(request)), params)


async def _as_each_linked(request: web.Request) -> list[tuple[web.Request, str]]:
    """``(request, code)`` for the token's own authorisation, then as each linked one (:mod:`.links`)."""
    found = await _lookup(request).token_event(_bearer(request), issuer=request[HOST_ISSUER])
    if found is None:
        return [(request, _routed(request, await _bearer_code(request)))]
    claims, event = found
    state = request.app[IDENTITY]
    out = [(request, _routed(request, event.source_code))]
    for other in (await links.linked_events(state, event))[1:]:
        out.append((links.as_event(request, links.acting_token(state, claims, other)), other.source_code))
    return out


async def list_connections(request: web.Request, _code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /connections``: the token's connections, and those of its linked authorisations in other sources."""
    rows: dict[str, dict] = {}
    first: web.StreamResponse | None = None
    for each, code in await _as_each_linked(request):
        response = await connections.list_connections(each, code, params)
        first = first or response
        if isinstance(response, web.Response) and response.status == 200 and response.text:
            for row in json.loads(response.text):
                rows.setdefault(row["id"], row)
    if first is None or len(rows) == 0:
        return first or web.json_response([])
    return web.Response(text=json.dumps(list(rows.values())), content_type="application/json", charset="utf-8",
                        headers={"Cache-Control": "no-store"})


async def delete_connection(request: web.Request, _code: str, params: dict[str, str]) -> web.StreamResponse:
    """``DELETE /connections/{id}``: a connection of the token's authorisation or of a linked one.

    Raises:
        NotFound: none of them holds the connection (404).
    """
    for each, code in await _as_each_linked(request):
        try:
            return await connections.delete_connection(each, code, params)
        except NotFound:
            continue
    raise NotFound()


async def api(request: web.Request, path: str) -> web.StreamResponse:
    """Any other path: the ``/{code}`` route of the source of ``xero-tenant-id`` (or, without the header, of the
    token: a custom connection's own tenant)."""
    original = request
    tenant = request.headers.get(TENANT_HEADER, "").strip()
    lookup = _lookup(request)
    code = await lookup.of_tenant(tenant) if tenant else None
    if code is None:
        return await serve_tail(request, _routed(request, await _bearer_code(request)), path)
    found = await lookup.token_event(_bearer(request), issuer=request[HOST_ISSUER])
    if found is not None and found[1].source_code != code:  # a tenant of a linked authorisation's source
        claims, event = found
        state = request.app[IDENTITY]
        tenant_id = normalise_guid(tenant) or ""
        for other in (await links.linked_events(state, event))[1:]:
            if other.source_code == code and await state.store.has_connection(
                    code=code, client_id=other.client_id, user_id=other.user_id, tenant_id=tenant_id):
                request = links.as_event(request, links.acting_token(state, claims, other))
                break
        else:  # not one of the caller's tenants: its own source's guard answers Xero's 403
            code = event.source_code
    _routed(original, code)  # the caller's request: a linked authorisation's clone is not the one observed
    return await serve_tail(request, code, path)
