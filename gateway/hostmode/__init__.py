"""Host mode: the gateway answers at Xero's own hostnames and paths, so that SDKs work unmodified.

With ``[host_mode] enabled`` (or ``serve --host-mode``), a request whose ``Host`` is one of Xero's hostnames
(:mod:`.hosts`) and whose first path segment is not a source code is served at Xero's path
(``https://identity.xero.com/connect/token``, ``https://api.xero.com/api.xro/2.0/Invoices``…) by the routes of
:mod:`.views`, which find the source from the grant, token or tenant (:mod:`.lookup`) and call the same views the
``/{code}`` routes use, with the issuer ``https://identity.xero.com`` (``gateway.identity.state.HOST_ISSUER``).
Every other request, ``/{code}/…`` on any host included, is served as without host mode; on a Xero hostname, an
authorization code a source's pages issue is recorded with the consenting browser (:mod:`.links`, table
:mod:`.tables`), so that one token reaches the tenants of every source that browser connected. TLS: :mod:`.tls`.

Sources whose users consent at the source itself (QBO 1004, Sage Accounting 1009: gateway/identity/views_upstream.py)
leave the gateway for the source's authorize page and come back to the redirect URI sent there: for a flow begun on
a Xero hostname, ``https://login.xero.com/{code}/callback`` (``views_upstream.CALLBACK_ORIGIN``, set here), which the
operator registers with the developer app at Intuit or Sage. The callback then lands on the host that holds the
browser's session and host-mode cookies, and its code is linked like any other. The ``/{code}`` routes keep
``{public_url}/{code}/callback``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from gateway.appkeys import HOST_MODE_LOOKUP, IDENTITY, SETTINGS
from gateway.http.routing import Router
from gateway.identity.state import HOST_ISSUER
from gateway.identity.views_source import SOURCE_PATH
from gateway.identity.views_upstream import CALLBACK_ORIGIN
from gateway.observability.context import ROUTED_OPERATION, ROUTED_TAIL
from gateway.settings import SOURCE_CODES

from . import links, views
from .hosts import HOSTS, XeroHosts, xero_hosts
from .lookup import SourceLookup

__all__ = ["setup"]

Dispatch = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _routes() -> Router:
    router = Router()
    router.add("GET", "/.well-known/openid-configuration", views.openid_configuration)
    router.add("GET", "/.well-known/openid-configuration/jwks", views.jwks)
    router.add("GET", "/identity/connect/authorize", views.authorize)
    router.add("GET", SOURCE_PATH, views.chosen)
    router.add("POST", "/connect/token", views.token)
    router.add("POST", "/identity/connect/token", views.token)
    router.add("POST", "/connect/revocation", views.revocation)
    router.add("GET", "/connect/userinfo", views.userinfo)
    router.add("GET", "/connections", views.list_connections)
    router.add("DELETE", "/connections/{id}", views.delete_connection)
    return router


def setup(app: web.Application, fallback: Dispatch) -> Dispatch:
    """Start host mode's source lookup with the identity server (after it in ``cleanup_ctx``) and return the
    catch-all handler: host-mode requests to :mod:`.views`, every other one to ``fallback`` (the ``/{code}``
    dispatcher)."""
    routes = _routes()

    async def lookup_context(app: web.Application) -> AsyncIterator[None]:
        app[HOST_MODE_LOOKUP] = SourceLookup(app[IDENTITY], cache_size=app[SETTINGS].identity.cache_size)
        yield

    app.cleanup_ctx.append(lookup_context)

    async def dispatch(request: web.Request) -> web.StreamResponse:
        hosts: XeroHosts | None = xero_hosts(request, request.app[SETTINGS].host_mode)
        if hosts is None:
            return await fallback(request)
        if request.match_info["code"] in SOURCE_CODES:  # a source's own pages on login.xero.com
            request[CALLBACK_ORIGIN] = hosts.login  # QBO and Sage send the browser back here, not to public_url
            response = await fallback(request)
            await links.record_issuance(request.app[IDENTITY], request, response)
            return response
        request[HOSTS] = hosts
        request[HOST_ISSUER] = hosts.identity
        path = request.rel_url.path
        route, params, known = routes.resolve(request.method, path)
        if route is not None:
            request[ROUTED_OPERATION] = route.template  # the metrics' label (gateway/observability)
            return await route.handler(request, "", params)
        request[ROUTED_TAIL] = path
        if known:
            raise web.HTTPMethodNotAllowed(request.method, [])
        return await views.api(request, path)

    return dispatch
