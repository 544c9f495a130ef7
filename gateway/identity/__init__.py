"""The gateway's OAuth2 / OpenID Connect identity server, compatible with Xero's (login.xero.com, identity.xero.com).

Built on Authlib's ``AuthorizationServer`` (grants, PKCE, OIDC, revocation) with a thin aiohttp integration; tokens
are RS256 JWTs (joserfc). Routes, under every source code ``/{code}`` (xero-contract.md §1):

- ``GET /identity/connect/authorize`` and the gateway's own ``/identity/login`` and ``/identity/consent`` pages
  (local sign-in), or the source's own consent and ``GET /callback`` (upstream sign-in: QBO, Sage;
  :mod:`.views_upstream`);
- ``POST /connect/token`` (also ``/identity/connect/token``), ``POST /connect/revocation``;
- ``GET /connect/userinfo``, ``GET /.well-known/openid-configuration`` and ``…/jwks``;
- ``GET /connections``, ``DELETE /connections/{id}`` (case-insensitive: ``/Connections``).

Other modules use :func:`gateway.identity.guard.authenticate_api_call` (the Accounting API guard) and
:mod:`gateway.identity.apps` (the partner-app registry of the CLI).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from gateway import appkeys
from gateway.appkeys import IDENTITY
from gateway.http.routing import Router
from gateway.settings import SOURCE_CODES

from . import connections, discovery, views_agent, views_authorize, views_token, views_upstream
from .cache import IdentityCache
from .clock import Clock, LoopBridge
from .keys import SigningKeys, load_session_key
from .scopes import scope_table
from .session import make_storage
from .state import IdentityState
from .throttle import SignInThrottle

__all__ = ["setup"]


def _register_routes(router: Router) -> None:
    router.add("GET", views_authorize.AUTHORIZE_PATH, views_authorize.authorize)
    router.add("GET", views_authorize.LOGIN_PATH, views_authorize.login_form)
    router.add("POST", views_authorize.LOGIN_PATH, views_authorize.login_submit)
    router.add("POST", views_authorize.CONSENT_PATH, views_authorize.consent_submit)
    router.add("GET", views_upstream.CALLBACK_PATH, views_upstream.callback)
    router.add("GET", views_agent.PAIRING_PATH, views_agent.pairing)
    router.add("POST", views_agent.PAIRING_PATH, views_agent.pairing_submit)
    router.add("POST", "/connect/token", views_token.token)
    router.add("POST", "/identity/connect/token", views_token.token)
    router.add("POST", "/connect/revocation", views_token.revocation)
    router.add("GET", "/connect/userinfo", discovery.userinfo)
    router.add("GET", "/.well-known/openid-configuration", discovery.openid_configuration)
    router.add("GET", "/.well-known/openid-configuration/jwks", discovery.jwks)
    router.add("GET", "/connections", connections.list_connections)
    router.add("DELETE", "/connections/{id}", connections.delete_connection)


async def _identity_context(app: web.Application) -> AsyncIterator[None]:
    """Start-up: keys (generated on first start), scope table, store and its cache (with the task that watches for
    other processes' revocations), one Authlib server per source code."""
    from .server import GatewayAuthorizationServer
    from .store import IdentityStore

    settings = app[appkeys.SETTINGS]
    data_dir = settings.data_dir
    keys, session_key = await asyncio.to_thread(
        lambda: (SigningKeys.load_or_create(data_dir), load_session_key(data_dir)))
    scopes = scope_table()
    clock = Clock()
    db = app[appkeys.DB]
    cache = IdentityCache(size=settings.identity.cache_size, timer=clock.time)
    state = IdentityState(
        settings=settings, db=db, sources=app[appkeys.SOURCES], keys=keys, scopes=scopes, clock=clock,
        bridge=LoopBridge(asyncio.get_running_loop()), store=IdentityStore(db, clock, settings, scopes, cache),
        session_storage=make_storage(session_key, settings),
        sign_in_throttle=SignInThrottle(clock=clock.time), client_throttle=SignInThrottle(clock=clock.time))
    state.servers = {code: GatewayAuthorizationServer(
        code=code, settings=settings, keys=keys, scopes=scopes, clock=clock, bridge=state.bridge, store=state.store,
        sources=state.sources) for code in SOURCE_CODES}
    app[IDENTITY] = state
    cache.attach(db)
    watcher = asyncio.create_task(cache.watch(db, interval=settings.identity.revocation_poll_interval))
    yield
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher
    cache.detach(db)


def setup(app: web.Application, router: Router) -> None:
    """Register the identity routes on ``router`` and the identity start-up on ``app.cleanup_ctx`` (it runs after
    the app's state context, which provides ``appkeys.DB`` and ``appkeys.SOURCES``)."""
    # Authlib logs issued tokens at DEBUG ("Issue token %r to %r"): never let them reach a log.
    logging.getLogger("authlib").setLevel(logging.INFO)
    _register_routes(router)
    app.cleanup_ctx.append(_identity_context)
