"""The upstream consent flow: sources whose users authorise the gateway at the source itself (QBO, Sage).

1. ``GET /{code}/identity/connect/authorize`` (:func:`start`, called by :func:`.views_authorize.authorize` for a
   source whose adapter has ``sign_in == "upstream"``): Authlib validates the partner app's request exactly as for
   code 1000 (client, exact redirect URI, PKCE S256 for public clients, scopes, ``state``); the request is recorded
   server-side (:mod:`gateway.upstream.pending`: single use, 15 minutes) under a fresh random upstream ``state``,
   which this browser's session also remembers; the browser goes to the source's authorize URL with the registered
   ``client_id``, ``redirect_uri={issuer}/callback``, the adapter's upstream scopes and that ``state``
   (RFC 6749 §4.1.1).
2. ``GET /{code}/callback?code=…&state=…[&realmId=…]`` or ``?error=…&state=…`` (:func:`callback`): the ``state`` must
   name a recorded request that this browser started. The request is claimed (first use only), the code exchanged
   with the same ``redirect_uri`` (:func:`gateway.upstream.consent.complete_consent`: Authlib client, tokens sealed,
   the adapter's tenants with stable ids), and Authlib issues the gateway's own authorization code under a new
   authorisation event, whose Xero connections are the consented tenants: ``redirect_uri?code=…&scope=…&state=…``.
   The partner then exchanges it at ``/{code}/connect/token`` as usual.

Host mode (gateway/hostmode): when the partner's authorize request came on Xero's hostnames, host mode sets
:data:`CALLBACK_ORIGIN` and ``redirect_uri`` is ``https://login.xero.com/{code}/callback`` instead of
``{issuer}/callback``; the operator registers that URL at the source too (README, "Host mode"). So the browser comes
back to the host whose cookie holds its session (a cookie belongs to one host: at ``public_url`` the callback would
find none and answer "started in another browser"), and host mode links the consent to the browser's others there.

Failures: a denied consent (``error=access_denied`` or any other ``error`` from the source), a failed code exchange,
an adapter failure, a consent with no tenant while API scopes were requested, or a request already used or expired
all reach the partner app as ``error=access_denied`` with its original ``state`` (issued by Authlib; nothing of the
source's answer is passed on). A ``state`` that names no recorded request, or one started in another browser, gives
an error page: there is no verified partner redirect to answer to (RFC 6749 §4.1.2.1).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from urllib.parse import urlencode

import structlog
from aiohttp import web
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import scope_to_list

from adapters.base import SourceAdapter
from gateway.appkeys import IDENTITY
from gateway.upstream import oauth, pending, registry
from gateway.upstream.consent import complete_consent
from gateway.upstream.errors import UpstreamError
from gateway.xero.errors import XeroApiError

from . import pages
from . import session as sessions
from .flow import canonical_query, carried_snapshot, oauth_error, oauth_response, path, redirect
from .records import GrantUser, grants_api_access
from .requests import snapshot
from .server import run_core
from .state import IdentityState

log = structlog.get_logger("gateway.identity")

CALLBACK_PATH = "/callback"
#: Request key: the origin a ``/{code}`` request is served under in host mode (``https://login.xero.com``, with the
#: port the client used; set by gateway/hostmode on Xero's hostnames). The source's redirect then comes back to
#: ``{origin}/{code}/callback`` rather than to ``{issuer}/callback``; absent, the registered ``{issuer}/callback``.
CALLBACK_ORIGIN: web.RequestKey[str] = web.RequestKey("upstream_callback_origin", str)
#: Longest upstream ``error`` value written to the log.
MAX_LOGGED_ERROR = 64


def _not_configured(code: str) -> web.Response:
    return pages.error_page(
        f"{pages.source_label(code)} (source {code}) is not configured: the operator must register the gateway's "
        f"developer app (xero-gateway sources set {code} --client-id … --client-secret …).", status=503,
        heading="This source is not available")


async def _registration(request: web.Request, state: IdentityState, code: str) -> registry.Registration | None:
    """The source's registration, its ``redirect_uri`` the callback of the origin ``request`` is served under
    (:data:`CALLBACK_ORIGIN`): the one sent to the source and, at the callback, the one its code was issued for."""
    try:
        reg = await registry.get_registration(state.db, state.settings, code)
    except ValueError:
        log.error("upstream_registration_unreadable", code=code)
        return None
    origin = request.get(CALLBACK_ORIGIN)
    if reg is None or origin is None:
        return reg
    return replace(reg, redirect_uri=origin + path(state, code, CALLBACK_PATH))  # as the chooser's redirect


async def start(request: web.Request, code: str, adapter: SourceAdapter) -> web.StreamResponse:
    """``GET /{code}/identity/connect/authorize`` for an upstream source: validate, record, redirect upstream."""
    state = request.app[IDENTITY]
    server = state.servers[code]
    snap = await snapshot(request, public_url=state.settings.public_url)
    try:
        grant = await run_core(lambda: server.get_consent_grant(snap, end_user=None))
    except OAuth2Error as error:
        return oauth_error(server, error)
    query = canonical_query(urlencode(list(request.query.items())))
    if query is None:
        return pages.error_page("The authorization request is too long.")
    reg = await _registration(request, state, code)
    if reg is None:
        return _not_configured(code)
    scopes = adapter.upstream_scopes(frozenset(scope_to_list(grant.request.scope or "") or []))
    payload = grant.request.payload
    upstream_state = await pending.create(
        state.db, code=code, client_id=grant.request.client.client_id, redirect_uri=payload.redirect_uri,
        partner_state=payload.state, authorize_query=query, now=state.clock.now())
    session = await sessions.load(state.session_storage, request)
    sessions.remember_pending(session, pending.state_digest(upstream_state))
    location = oauth.authorization_url(reg, state=upstream_state, scope=scopes)
    return await sessions.save(state.session_storage, request, redirect(location), session)


async def callback(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /{code}/callback``: the source's redirect back; answers the partner app (see the module docstring)."""
    state = request.app[IDENTITY]
    now = state.clock.now()
    found = await pending.find(state.db, request.query.get("state", ""), code=code, now=now)
    if found is None:
        return pages.error_page("This answer from the source does not match a sign-in started here. Start again "
                                "from the application you want to connect.", heading="Sign-in cannot be completed")
    session = await sessions.load(state.session_storage, request)
    if not sessions.take_pending(session, found.state_hash):
        return pages.error_page("This sign-in was started in another browser. Start again from the application you "
                                "want to connect.", heading="Sign-in cannot be completed")
    sessions.remember_pending(session, found.state_hash)  # a replay in this browser answers access_denied
    if found.usable and await pending.claim(state.db, found, now=now):
        response = await _complete(request, state, code, found)
    else:
        log.info("upstream_consent_replayed_or_expired", code=code)
        response = await _answer(request, state, code, found, grant_user=None)
    return await sessions.save(state.session_storage, request, response, session)


async def _answer(request: web.Request, state: IdentityState, code: str, found: pending.PendingAuthorization, *,
                  grant_user: GrantUser | None) -> web.Response:
    """Authlib's answer to the recorded request: a code for ``grant_user``, ``access_denied`` for ``None``."""
    server = state.servers[code]
    snap = carried_snapshot(state, request, code, found.authorize_query)
    try:
        grant = await run_core(lambda: server.get_consent_grant(snap, end_user=grant_user))
    except OAuth2Error as error:
        return oauth_error(server, error)
    result = await run_core(lambda: server.create_authorization_response(grant.request, grant_user=grant_user,
                                                                         grant=grant))
    return oauth_response(result)


async def _complete(request: web.Request, state: IdentityState, code: str,
                    found: pending.PendingAuthorization) -> web.Response:
    query = request.query
    if "error" in query or not query.get("code"):
        log.info("upstream_consent_denied", code=code, error=str(query.get("error", "no code"))[:MAX_LOGGED_ERROR])
        return await _answer(request, state, code, found, grant_user=None)
    server = state.servers[code]
    try:
        grant = await run_core(lambda: server.get_consent_grant(
            carried_snapshot(state, request, code, found.authorize_query), end_user=None))
    except OAuth2Error as error:
        return oauth_error(server, error)
    try:
        adapter = await state.sources.get(code)
    except XeroApiError:
        adapter = None
    reg = await _registration(request, state, code) if adapter is not None else None
    if adapter is None or reg is None or adapter.sign_in != "upstream":
        log.warning("upstream_consent_failed", code=code, reason="source not configured")
        return await _answer(request, state, code, found, grant_user=None)
    auth_event_id = str(uuid.uuid4())
    callback_params = {k: v for k, v in query.items() if k not in ("code", "state")}
    try:
        done = await complete_consent(state.sources.upstream, adapter, reg, code_value=query["code"],
                                      callback_params=callback_params, auth_event_id=auth_event_id,
                                      require_tenant=grants_api_access(grant.request.scope or ""))
    except UpstreamError as exc:
        log.warning("upstream_consent_failed", code=code, reason=str(exc))
        return await _answer(request, state, code, found, grant_user=None)
    user = done.user
    grant_user = GrantUser(user_id=user.user_id, email=user.email, given_name=user.given_name,
                           family_name=user.family_name, auth_event_id=auth_event_id,
                           global_session_id=uuid.uuid4().hex, auth_time=int(state.clock.time()),
                           tenants=done.tenants)
    log.info("upstream_consent_completed", code=code, authorization_id=done.authorization_id,
             tenants=len(done.tenants))
    result = await run_core(lambda: server.create_authorization_response(grant.request, grant_user=grant_user,
                                                                         grant=grant))
    return oauth_response(result)
