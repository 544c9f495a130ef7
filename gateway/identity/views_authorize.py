"""The browser side of the authorization-code flow: authorize, sign-in and consent pages.

Flow (RFC 6749 §4.1; Xero's https://developer.xero.com/documentation/guides/oauth2/auth-flow):

1. ``GET /{code}/identity/connect/authorize?response_type=code&client_id=…&redirect_uri=…&scope=…&state=…
   [&code_challenge=…&code_challenge_method=S256][&nonce=…]`` is validated by Authlib first. An unknown client or a
   redirect URI that is not registered exactly gives an error page, never a redirect (RFC 6749 §4.1.2.1); other
   errors go back to the verified redirect URI with ``error`` and ``state``.
2. Nobody gets a code without signing in: without a session the browser goes to ``/{code}/identity/login`` (sources
   whose ``sign_in`` is ``"local"``, i.e. the native ledger; ``"upstream"`` sources are not supported yet).
3. The consent page shows the app's name and scopes and one checkbox per tenant of the user; "Allow" issues the code
   (``redirect_uri?code=…&state=…&scope=…``), "Deny" answers ``error=access_denied&state=…``.

Every form carries the session's CSRF token, checked on every POST.
"""

from __future__ import annotations

import uuid
from urllib.parse import parse_qsl, urlencode, urlsplit

from aiohttp import web
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import scope_to_list
from multidict import MultiDict, MultiDictProxy

from adapters.base import LedgerUser, SourceAdapter, Tenant
from gateway.xero.errors import XeroApiError

from . import pages
from . import session as sessions
from .records import GrantUser, grants_api_access, normalise_guid
from .requests import RequestSnapshot, snapshot
from .server import GatewayAuthorizationServer, OAuthResponse, run_core
from .state import IDENTITY, IdentityState

AUTHORIZE_PATH = "/identity/connect/authorize"
LOGIN_PATH = "/identity/login"
CONSENT_PATH = "/identity/consent"
#: Longest authorize query string carried through the sign-in and consent forms.
MAX_AUTHORIZE_QUERY = 8192


def _path(state: IdentityState, code: str, tail: str) -> str:
    """An absolute path on this gateway (keeps a path prefix of ``public_url``)."""
    prefix = urlsplit(state.settings.public_url).path.rstrip("/")
    return f"{prefix}/{code}{tail}"


def _redirect(location: str) -> web.Response:
    return web.Response(status=302, headers={"Location": location, "Cache-Control": "no-store"})


def _canonical_query(query: str) -> str | None:
    """Re-encode an authorize query string carried in a form; ``None`` when absent or oversized."""
    if not query or len(query) > MAX_AUTHORIZE_QUERY:
        return None
    return urlencode(parse_qsl(query, keep_blank_values=True))


def _oauth_response(result: OAuthResponse) -> web.Response:
    """Render Authlib's answer at the authorization endpoint: a redirect to the (verified) client, or an error page
    when Authlib could not verify where to send the browser."""
    headers = dict(result.headers)
    if result.status in (301, 302, 303) and "Location" in headers:
        return _redirect(headers["Location"])
    body = result.body if isinstance(result.body, dict) else {}
    return pages.error_page(str(body.get("error_description") or body.get("error") or "Invalid request"),
                            detail=str(body.get("error", "")), status=result.status or 400)


def _oauth_error(server: GatewayAuthorizationServer, error: OAuth2Error) -> web.Response:
    return _oauth_response(OAuthResponse(*error(server.get_error_uri(None, error))))


async def _adapter(state: IdentityState, code: str) -> SourceAdapter | web.Response:
    try:
        adapter = await state.sources.get(code)
    except XeroApiError as exc:
        return pages.error_page(exc.message, status=exc.status, heading="This source is not available")
    if adapter.sign_in != "local":
        return pages.error_page(
            f"Signing in to {pages.source_label(code)} through its own consent page is not supported by this gateway "
            "yet.", status=501, heading="Sign-in not available")
    return adapter


async def _current_user(adapter: SourceAdapter, session, code: str) -> LedgerUser | None:
    info = sessions.signed_in(session, code)
    if info is None:
        return None
    user = await adapter.get_user(info["uid"])
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


def _consent_snapshot(state: IdentityState, request: web.Request, code: str, query: str) -> RequestSnapshot:
    args = MultiDict(parse_qsl(query, keep_blank_values=True))
    return RequestSnapshot(method="GET", uri=f"{state.settings.issuer(code)}{AUTHORIZE_PATH}?{query}",
                           headers=request.headers, args=MultiDictProxy(args))


async def authorize(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /{code}/identity/connect/authorize``: validate, then sign-in or consent page."""
    state = request.app[IDENTITY]
    adapter = await _adapter(state, code)
    if isinstance(adapter, web.Response):
        return adapter
    session = await sessions.load(state.session_storage, request)
    user = await _current_user(adapter, session, code)
    server = state.servers[code]
    snap = await snapshot(request, public_url=state.settings.public_url)
    try:
        grant = await run_core(lambda: server.get_consent_grant(snap, end_user=user))
    except OAuth2Error as error:
        return _oauth_error(server, error)
    query = urlencode(list(request.query.items()))
    if user is None:
        location = _path(state, code, LOGIN_PATH) + "?" + urlencode({"authorize": query})
        return await sessions.save(state.session_storage, request, _redirect(location), session)
    response = await _render_consent(state, adapter, session, code, user, grant, query)
    return await sessions.save(state.session_storage, request, response, session)


async def _render_consent(state: IdentityState, adapter: SourceAdapter, session, code: str, user: LedgerUser,
                          grant, query: str, *, message: str = "", status: int = 200) -> web.Response:
    scope = grant.request.scope or ""
    return pages.consent_page(
        code=code, action=_path(state, code, CONSENT_PATH), csrf_token=sessions.csrf_token(session),
        authorize=query, app_name=grant.request.client.name, email=user.email, scopes=scope_to_list(scope) or [],
        tenants=await _user_tenants(adapter, user), tenants_required=grants_api_access(scope), message=message,
        status=status)


async def login_form(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /{code}/identity/login?authorize=<query>``: the sign-in form."""
    state = request.app[IDENTITY]
    adapter = await _adapter(state, code)
    if isinstance(adapter, web.Response):
        return adapter
    query = _canonical_query(request.query.get("authorize", ""))
    if query is None:
        return pages.error_page("Start signing in from the application you want to connect.")
    session = await sessions.load(state.session_storage, request)
    if await _current_user(adapter, session, code) is not None:
        response = _redirect(_path(state, code, AUTHORIZE_PATH) + "?" + query)
    else:
        response = pages.login_page(code=code, action=_path(state, code, LOGIN_PATH),
                                    csrf_token=sessions.csrf_token(session), authorize=query)
    return await sessions.save(state.session_storage, request, response, session)


async def login_submit(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /{code}/identity/login``: check the CSRF token and the credentials (``adapter.authenticate_user``),
    then back to the authorize URL."""
    state = request.app[IDENTITY]
    adapter = await _adapter(state, code)
    if isinstance(adapter, web.Response):
        return adapter
    form = await request.post()
    session = await sessions.load(state.session_storage, request)
    if not sessions.csrf_ok(session, _text(form.get("csrf_token"))):
        return pages.error_page("This form has expired. Go back to the application and start again.",
                                heading="Session expired")
    query = _canonical_query(_text(form.get("authorize")) or "")
    if query is None:
        return pages.error_page("Start signing in from the application you want to connect.")
    email = (_text(form.get("email")) or "").strip()
    password = _text(form.get("password")) or ""
    user = await adapter.authenticate_user(email, password) if email and password else None
    if user is None:
        response = pages.login_page(code=code, action=_path(state, code, LOGIN_PATH),
                                    csrf_token=sessions.csrf_token(session), authorize=query, email=email,
                                    message="The e-mail or password is not correct.")
    else:
        sessions.sign_in(session, code, user_id=user.user_id, auth_time=int(state.clock.time()))
        response = _redirect(_path(state, code, AUTHORIZE_PATH) + "?" + query)
    return await sessions.save(state.session_storage, request, response, session)


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
    query = _canonical_query(_text(form.get("authorize")) or "")
    if query is None:
        return pages.error_page("Start from the application you want to connect.")
    user = await _current_user(adapter, session, code)
    if user is None:
        location = _path(state, code, LOGIN_PATH) + "?" + urlencode({"authorize": query})
        return await sessions.save(state.session_storage, request, _redirect(location), session)
    server = state.servers[code]
    snap = _consent_snapshot(state, request, code, query)
    try:
        grant = await run_core(lambda: server.get_consent_grant(snap, end_user=user))
    except OAuth2Error as error:
        return _oauth_error(server, error)

    grant_user: GrantUser | None = None
    if _text(form.get("decision")) == "approve":
        allowed = {t.tenant_id: t for t in await _user_tenants(adapter, user)}
        wanted = [normalise_guid(_text(v) or "") for v in form.getall("tenant", [])]
        chosen = [allowed[t] for t in dict.fromkeys(wanted) if t in allowed]
        if len(chosen) != len(wanted) or (not chosen and grants_api_access(grant.request.scope or "")):
            response = await _render_consent(state, adapter, session, code, user, grant, query, status=400,
                                             message="Choose at least one of your organisations.")
            return await sessions.save(state.session_storage, request, response, session)
        info = sessions.signed_in(session, code) or {}
        grant_user = GrantUser(
            user_id=user.user_id, email=user.email, given_name=user.given_name, family_name=user.family_name,
            auth_event_id=str(uuid.uuid4()), global_session_id=str(info.get("sid") or uuid.uuid4().hex),
            auth_time=int(info.get("at") or state.clock.time()), tenants=tuple(chosen))
    result = await run_core(lambda: server.create_authorization_response(grant.request, grant_user=grant_user,
                                                                         grant=grant))
    return await sessions.save(state.session_storage, request, _oauth_response(result), session)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
