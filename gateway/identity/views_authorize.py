"""The browser side of the authorization-code flow: authorize, sign-in and consent pages.

Flow (RFC 6749 §4.1; Xero's https://developer.xero.com/documentation/guides/oauth2/auth-flow):

1. ``GET /{code}/identity/connect/authorize?response_type=code&client_id=…&redirect_uri=…&scope=…&state=…
   [&code_challenge=…&code_challenge_method=S256][&nonce=…]`` is validated by Authlib first. An unknown client or a
   redirect URI that is not registered exactly gives an error page, never a redirect (RFC 6749 §4.1.2.1); other
   errors go back to the verified redirect URI with ``error`` and ``state``.
2. Nobody gets a code without signing in: without a session the browser goes to ``/{code}/identity/login`` (sources
   whose ``sign_in`` is ``"local"``, i.e. the native ledger); a user with a TOTP second factor (:mod:`.totp`) then
   enters the authenticator's code. Sources whose ``sign_in`` is ``"upstream"`` (QBO,
   Sage) send the browser to the source's own consent instead (:mod:`.views_upstream`); the login and consent
   pages below do not apply to them.
3. The consent page shows the app's name, each requested scope in words with a checkbox the user may untick, and one
   checkbox per tenant of the user; "Allow" issues the code for the scopes left ticked
   (``redirect_uri?code=…&state=…&scope=…``; rules for ``openid``, ``profile``, ``email`` and ``offline_access`` in
   :mod:`.consent`), "Deny" answers ``error=access_denied&state=…``.

Every form carries the session's CSRF token, checked on every POST.
"""

from __future__ import annotations

import uuid
from urllib.parse import parse_qsl, urlencode

from aiohttp import web
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import scope_to_list

from adapters.base import LedgerUser, SourceAdapter, Tenant
from gateway.appkeys import IDENTITY
from gateway.store.activity import record as record_activity
from gateway.store.crypto import SecretBox
from gateway.xero.errors import XeroApiError
from gateway.xero.guids import normalise_guid

from . import consent, pages, totp, views_agent, views_upstream
from . import session as sessions
from .flow import (
    AUTHORIZE_PATH,
    MAX_AUTHORIZE_QUERY,
    canonical_query,
    carried_snapshot,
    oauth_error,
    oauth_response,
    path,
    redirect,
)
from .records import GrantUser, grants_api_access
from .requests import snapshot
from .server import run_core
from .state import IdentityState
from .throttle import THROTTLED_MESSAGE, WINDOW_S

__all__ = ["AUTHORIZE_PATH", "CONSENT_PATH", "LOGIN_PATH", "MAX_AUTHORIZE_QUERY", "authorize", "consent_submit",
           "login_form", "login_submit"]

LOGIN_PATH = "/identity/login"
CONSENT_PATH = "/identity/consent"
#: Seconds between a right password and the TOTP code before the user must sign in again.
SECOND_FACTOR_WINDOW = 300


async def _source(state: IdentityState, code: str) -> SourceAdapter | web.Response:
    """The started adapter of ``code``, or an error page (unknown or unconfigured source)."""
    try:
        return await state.sources.get(code)
    except XeroApiError as exc:
        return pages.error_page(exc.message, status=exc.status, heading="This source is not available")


async def _adapter(state: IdentityState, code: str) -> SourceAdapter | web.Response:
    """The adapter of a source whose users sign in at the gateway (login and consent pages)."""
    adapter = await _source(state, code)
    if isinstance(adapter, web.Response) or adapter.sign_in == "local":
        return adapter
    return pages.error_page(
        f"Users of {pages.source_label(code)} sign in and consent at {pages.source_label(code)} itself: start from "
        "the application you want to connect.", status=404, heading="Sign-in not available here")


async def _current_user(adapter: SourceAdapter, session, code: str) -> LedgerUser | None:
    info = sessions.signed_in(session, code)
    if info is None:
        return None
    user = await adapter.get_ledger_user(info["uid"])
    if user is None:
        sessions.sign_out(session, code)
    return user


async def _user_tenants(adapter: SourceAdapter, user: LedgerUser) -> list[Tenant]:
    """The tenants the user may grant, with ids in the canonical lower-case hyphenated form."""
    mine = {normalise_guid(t) or t.lower() for t in user.tenant_ids}
    out = []
    for tenant in await adapter.list_tenants():
        tenant_id = normalise_guid(tenant.tenant_id) or tenant.tenant_id.lower()
        if tenant_id in mine:
            out.append(Tenant(tenant_id=tenant_id, name=tenant.name, tenant_type=tenant.tenant_type))
    return out


async def authorize(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /{code}/identity/connect/authorize``: validate, then sign-in or consent page (local sources), or the
    source's own consent (upstream sources, :func:`.views_upstream.start`)."""
    state = request.app[IDENTITY]
    adapter = await _source(state, code)
    if isinstance(adapter, web.Response):
        return adapter
    if adapter.sign_in == "upstream":
        return await views_upstream.start(request, code, adapter)
    if adapter.sign_in == "agent":
        return await views_agent.start(request, code, adapter)
    session = await sessions.load(state.session_storage, request)
    user = await _current_user(adapter, session, code)
    server = state.servers[code]
    snap = await snapshot(request, public_url=state.settings.public_url)
    try:
        grant = await run_core(lambda: server.get_consent_grant(snap, end_user=user))
    except OAuth2Error as error:
        return oauth_error(server, error)
    query = urlencode(list(request.query.items()))
    if user is None:
        location = path(state, code, LOGIN_PATH) + "?" + urlencode({"authorize": query})
        return await sessions.save(state.session_storage, request, redirect(location), session)
    response = await _render_consent(state, adapter, session, code, user, grant, query)
    return await sessions.save(state.session_storage, request, response, session)


async def _render_consent(state: IdentityState, adapter: SourceAdapter, session, code: str, user: LedgerUser,
                          grant, query: str, *, ticked: set[str] | None = None, message: str = "",
                          status: int = 200) -> web.Response:
    scope = grant.request.scope or ""
    return pages.consent_page(
        code=code, action=path(state, code, CONSENT_PATH), csrf_token=sessions.csrf_token(session),
        authorize=query, app_name=grant.request.client.name, email=user.email,
        permissions=consent.permissions(scope_to_list(scope) or []), ticked=ticked,
        tenants=await _user_tenants(adapter, user), tenants_required=grants_api_access(scope), message=message,
        status=status)


async def login_form(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /{code}/identity/login?authorize=<query>``: the sign-in form."""
    state = request.app[IDENTITY]
    adapter = await _adapter(state, code)
    if isinstance(adapter, web.Response):
        return adapter
    query = canonical_query(request.query.get("authorize", ""))
    if query is None:
        return pages.error_page("Start signing in from the application you want to connect.")
    session = await sessions.load(state.session_storage, request)
    if await _current_user(adapter, session, code) is not None:
        response = redirect(path(state, code, AUTHORIZE_PATH) + "?" + query)
    else:
        response = pages.login_page(code=code, action=path(state, code, LOGIN_PATH),
                                    csrf_token=sessions.csrf_token(session), authorize=query)
    return await sessions.save(state.session_storage, request, response, session)


async def login_submit(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /{code}/identity/login``: check the CSRF token and the credentials (``adapter.authenticate_user``),
    then, for a user with a TOTP second factor, ask for its code (a second POST here with ``totp``), then back to
    the authorize URL."""
    state = request.app[IDENTITY]
    adapter = await _adapter(state, code)
    if isinstance(adapter, web.Response):
        return adapter
    form = await request.post()
    session = await sessions.load(state.session_storage, request)
    if not sessions.csrf_ok(session, _text(form.get("csrf_token"))):
        return pages.error_page("This form has expired. Go back to the application and start again.",
                                heading="Session expired")
    query = canonical_query(_text(form.get("authorize")) or "")
    if query is None:
        return pages.error_page("Start signing in from the application you want to connect.")
    if "totp" in form:
        return await _second_factor(request, state, session, code, query, _text(form.get("totp")) or "")
    email = (_text(form.get("email")) or "").strip()
    password = _text(form.get("password")) or ""
    throttle, address = state.sign_in_throttle, request.remote or ""
    if throttle is not None and email and throttle.blocked(account=email, address=address):
        # refused before the password is checked: a right password does not get in either (issue 11, item 2)
        response = pages.login_page(code=code, action=path(state, code, LOGIN_PATH),
                                    csrf_token=sessions.csrf_token(session), authorize=query, email=email,
                                    message=THROTTLED_MESSAGE)
        response.set_status(429)
        response.headers["Retry-After"] = str(WINDOW_S)
        return await sessions.save(state.session_storage, request, response, session)
    user = await adapter.authenticate_user(email, password) if email and password else None
    if user is None and throttle is not None and email:
        throttle.failed(account=email, address=address)
    if user is None:
        await record_activity(state.db, "sign_in_failed", actor=email[:250] or "unknown", at=state.clock.now(),
                              client_address=address, source_code=code, detail="ledger sign-in refused")
        response = pages.login_page(code=code, action=path(state, code, LOGIN_PATH),
                                    csrf_token=sessions.csrf_token(session), authorize=query, email=email,
                                    message="The e-mail or password is not correct.")
    elif await totp.enrolled(state.db, code=code, user_id=user.user_id):
        # The password was right; signed in only once the authenticator's code is (second step, same URL).
        sessions.await_second_factor(session, code, user_id=user.user_id,
                                     until=int(state.clock.time()) + SECOND_FACTOR_WINDOW)
        response = _totp_page(state, session, code, query)
    else:
        sessions.sign_in(session, code, user_id=user.user_id, auth_time=int(state.clock.time()))
        response = redirect(path(state, code, AUTHORIZE_PATH) + "?" + query)
    return await sessions.save(state.session_storage, request, response, session)


def _totp_page(state: IdentityState, session, code: str, query: str, *, message: str = "",
               status: int = 200) -> web.Response:
    return pages.totp_page(code=code, action=path(state, code, LOGIN_PATH), csrf_token=sessions.csrf_token(session),
                           authorize=query, issuer=totp.ISSUER, message=message, status=status)


async def _second_factor(request: web.Request, state: IdentityState, session, code: str, query: str,
                         otp: str) -> web.StreamResponse:
    """The second step of signing in: the TOTP code of the user whose password was right (:mod:`.totp`). Wrong
    codes count against the same sign-in throttle as wrong passwords (per user and client address)."""
    now = state.clock.time()
    user_id = sessions.second_factor_user(session, code, now=now)
    if user_id is None:  # no password step in this browser, or its time ran out
        response = pages.login_page(code=code, action=path(state, code, LOGIN_PATH),
                                    csrf_token=sessions.csrf_token(session), authorize=query,
                                    message="Sign in again: the time to enter the code ran out.")
        return await sessions.save(state.session_storage, request, response, session)
    throttle, address, account = state.sign_in_throttle, request.remote or "", f"totp:{code}:{user_id}"
    if throttle is not None and throttle.blocked(account=account, address=address):
        response = _totp_page(state, session, code, query, message=THROTTLED_MESSAGE, status=429)
        response.headers["Retry-After"] = str(WINDOW_S)
        return await sessions.save(state.session_storage, request, response, session)
    box = SecretBox.from_data_dir(state.settings.data_dir)
    if not await totp.verify(state.db, box, code=code, user_id=user_id, otp=otp, now=now):
        if throttle is not None:
            throttle.failed(account=account, address=address)
        response = _totp_page(state, session, code, query, message="The code is not correct.")
        return await sessions.save(state.session_storage, request, response, session)
    sessions.forget_second_factor(session, code)
    sessions.sign_in(session, code, user_id=user_id, auth_time=int(now))
    return await sessions.save(state.session_storage, request,
                               redirect(path(state, code, AUTHORIZE_PATH) + "?" + query), session)


async def consent_submit(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /{code}/identity/consent``: approve (with the chosen tenants) or deny, answered by Authlib as a
    redirect to the client."""
    state = request.app[IDENTITY]
    adapter = await _adapter(state, code)
    if isinstance(adapter, web.Response):
        return adapter
    form = await request.post()
    session = await sessions.load(state.session_storage, request)
    if not sessions.csrf_ok(session, _text(form.get("csrf_token"))):
        return pages.error_page("This form has expired. Go back to the application and start again.",
                                heading="Session expired")
    query = canonical_query(_text(form.get("authorize")) or "")
    if query is None:
        return pages.error_page("Start from the application you want to connect.")
    user = await _current_user(adapter, session, code)
    if user is None:
        location = path(state, code, LOGIN_PATH) + "?" + urlencode({"authorize": query})
        return await sessions.save(state.session_storage, request, redirect(location), session)
    server = state.servers[code]
    snap = carried_snapshot(state, request, code, query)
    try:
        grant = await run_core(lambda: server.get_consent_grant(snap, end_user=user))
    except OAuth2Error as error:
        return oauth_error(server, error)

    grant_user: GrantUser | None = None
    if _text(form.get("decision")) == "approve":
        ticked = {v for v in (_text(x) for x in form.getall("scope", [])) if v}
        scope = consent.granted_scope(scope_to_list(grant.request.scope or "") or [], ticked)
        allowed = {t.tenant_id: t for t in await _user_tenants(adapter, user)}
        wanted = [normalise_guid(_text(v) or "") for v in form.getall("tenant", [])]
        chosen = [allowed[t] for t in dict.fromkeys(wanted) if t in allowed]
        problem = ""
        if not scope:
            problem = "Leave at least one permission ticked, or choose Deny."
        elif len(chosen) != len(wanted) or (not chosen and grants_api_access(scope)):
            problem = "Choose at least one of your organisations."
        if problem:
            response = await _render_consent(state, adapter, session, code, user, grant, query, ticked=ticked,
                                             status=400, message=problem)
            return await sessions.save(state.session_storage, request, response, session)
        if scope != (grant.request.scope or ""):
            # The request as the user narrowed it, validated by Authlib like any authorization request: its scope
            # is what the code, the redirect and every token carry from here.
            narrowed = carried_snapshot(state, request, code, _with_scope(query, scope))
            try:
                grant = await run_core(lambda: server.get_consent_grant(narrowed, end_user=user))
            except OAuth2Error as error:
                return oauth_error(server, error)
        info = sessions.signed_in(session, code) or {}
        grant_user = GrantUser(
            user_id=user.user_id, email=user.email, given_name=user.given_name, family_name=user.family_name,
            auth_event_id=str(uuid.uuid4()), global_session_id=str(info.get("sid") or uuid.uuid4().hex),
            auth_time=int(info.get("at") or state.clock.time()), tenants=tuple(chosen))
    result = await run_core(lambda: server.create_authorization_response(grant.request, grant_user=grant_user,
                                                                         grant=grant))
    await record_activity(  # the issue-15 activity log: who consented to which app, for which tenants
        state.db, "consent_granted" if grant_user else "consent_denied", actor=user.email or user.user_id,
        at=state.clock.now(), client_address=request.remote or "", client_id=grant.client.get_client_id(),
        tenant_id=grant_user.tenants[0].tenant_id if grant_user and len(grant_user.tenants) == 1 else None,
        source_code=code, detail=(f"scope {grant.request.scope}; tenants "
                                  + " ".join(t.tenant_id for t in grant_user.tenants)) if grant_user else "denied")
    return await sessions.save(state.session_storage, request, oauth_response(result), session)


def _with_scope(query: str, scope: str) -> str:
    """``query`` (an authorization request's query string) with its ``scope`` replaced."""
    return urlencode([(k, scope if k == "scope" else v) for k, v in parse_qsl(query, keep_blank_values=True)])


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
