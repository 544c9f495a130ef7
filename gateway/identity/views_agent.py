"""The consent flow of agent-connected sources (Sage 50, code 1001): a pairing code instead of a sign-in.

1. ``GET /{code}/identity/connect/authorize`` (:func:`start`, called by :func:`.views_authorize.authorize` for a
   source whose adapter has ``sign_in == "agent"``): Authlib validates the partner app's request exactly as for code
   1000 (client, exact redirect URI, PKCE S256 for public clients, scopes, ``state``). The gateway records it with a
   one-time pairing code (:meth:`gateway.agents.store.AgentStore.create_pairing`); this browser's session keeps the
   code and a random handle; the browser goes to the pairing page.
2. ``GET /{code}/identity/pairing`` (:func:`pairing`): until an agent confirms the code
   (``sage50-connector pair --code …`` on the PC that holds the data), the page shows the code and the command,
   refreshes itself and offers "Continue"; afterwards it lists the companies that agent serves, to approve or deny.
3. ``POST /{code}/identity/pairing`` (:func:`pairing_submit`): CSRF checked, the pairing claimed (single use), the
   carried authorize request re-validated by Authlib, and the partner app receives ``code`` (approved, with the
   chosen companies as its Xero tenants) or ``error=access_denied``, with its ``state``.

The Xero user behind such a consent is derived from the agent (:func:`gateway.agents.store.agent_user_id`): the
person who controls that PC. Revoking the agent ends its consents' grants (the user is no longer found).
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from aiohttp import web
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import scope_to_list

from adapters.base import SourceAdapter, Tenant
from gateway.agents.state import AgentState
from gateway.agents.store import Pairing, agent_user_id
from gateway.appkeys import AGENTS, IDENTITY

from . import pages
from . import session as sessions
from .flow import canonical_query, carried_snapshot, oauth_error, oauth_response, path, redirect
from .records import GrantUser, grants_api_access, normalise_guid
from .requests import snapshot
from .server import run_core
from .state import IdentityState

PAIRING_PATH = "/identity/pairing"


def _session_key(code: str) -> str:
    return f"pair:{code}"


async def start(request: web.Request, code: str, adapter: SourceAdapter) -> web.StreamResponse:
    """``GET /{code}/identity/connect/authorize`` for an agent source: validate, create a pairing code, show it."""
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
    agents: AgentState = request.app[AGENTS]
    pairing_code, handle = await agents.store.create_pairing(
        code=code, client_id=grant.request.client.client_id, authorize_query=query)
    session = await sessions.load(state.session_storage, request)
    session[_session_key(code)] = {"h": handle, "c": pairing_code}
    return await sessions.save(state.session_storage, request, redirect(path(state, code, PAIRING_PATH)), session)


async def _current(request: web.Request, state: IdentityState, code: str):
    session = await sessions.load(state.session_storage, request)
    entry = session.get(_session_key(code))
    if not isinstance(entry, dict) or not isinstance(entry.get("h"), str):
        return session, None, ""
    pairing = await request.app[AGENTS].store.pairing_for_browser(code, entry["h"])
    return session, pairing, str(entry.get("c", ""))


def _gone() -> web.Response:
    return pages.error_page("This pairing code has expired or was already used. Start again from the application "
                            "you want to connect.", heading="Pairing cannot be completed")


async def _tenants(request: web.Request, code: str, pairing: Pairing) -> list[Tenant]:
    companies = await request.app[AGENTS].store.companies(code, agent_id=pairing.agent_id)
    return [Tenant(tenant_id=c.tenant_id, name=c.name, tenant_key=c.company_key) for c in companies]


async def _consent(request: web.Request, state: IdentityState, session, code: str, pairing: Pairing, *,
                   message: str = "", status: int = 200) -> web.Response:
    server = state.servers[code]
    try:
        grant = await run_core(lambda: server.get_consent_grant(
            carried_snapshot(state, request, code, pairing.authorize_query), end_user=None))
    except OAuth2Error as error:
        return oauth_error(server, error)
    agent_name = next((a.name for a in await request.app[AGENTS].store.summaries(code)
                       if a.agent_id == pairing.agent_id), "")
    scope = grant.request.scope or ""
    return pages.pairing_consent_page(
        code=code, action=path(state, code, PAIRING_PATH), csrf_token=sessions.csrf_token(session),
        app_name=grant.request.client.name, agent_name=agent_name or "your PC", scopes=scope_to_list(scope) or [],
        tenants=await _tenants(request, code, pairing), tenants_required=grants_api_access(scope), message=message,
        status=status)


async def pairing(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /{code}/identity/pairing``: the code while it waits for the agent, then the companies to approve."""
    state = request.app[IDENTITY]
    session, found, pairing_code = await _current(request, state, code)
    if found is None or not found.usable:
        return _gone()
    if found.agent_id is None:
        server = state.servers[code]
        try:
            grant = await run_core(lambda: server.get_consent_grant(
                carried_snapshot(state, request, code, found.authorize_query), end_user=None))
        except OAuth2Error as error:
            return oauth_error(server, error)
        command = f"sage50-connector pair --gateway {state.settings.public_url} --code {pairing_code}"
        response = pages.pairing_page(code=code, app_name=grant.request.client.name, pairing_code=pairing_code,
                                      command=command, action=path(state, code, PAIRING_PATH))
    else:
        response = await _consent(request, state, session, code, found)
    return await sessions.save(state.session_storage, request, response, session)


async def pairing_submit(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /{code}/identity/pairing``: approve (with the chosen companies) or deny; answered by Authlib as a
    redirect to the partner app."""
    state = request.app[IDENTITY]
    form = await request.post()
    session, found, _ = await _current(request, state, code)
    if not sessions.csrf_ok(session, _text(form.get("csrf_token"))):
        return pages.error_page("This form has expired. Go back to the application and start again.",
                                heading="Session expired")
    if found is None or not found.usable or found.agent_id is None:
        return _gone()
    server = state.servers[code]
    snap = carried_snapshot(state, request, code, found.authorize_query)
    try:
        grant = await run_core(lambda: server.get_consent_grant(snap, end_user=None))
    except OAuth2Error as error:
        return oauth_error(server, error)
    grant_user: GrantUser | None = None
    if _text(form.get("decision")) == "approve":
        allowed = {t.tenant_id: t for t in await _tenants(request, code, found)}
        wanted = [normalise_guid(_text(v) or "") for v in form.getall("tenant", [])]
        chosen = tuple(allowed[t] for t in dict.fromkeys(wanted) if t in allowed)
        if len(chosen) != len(wanted) or (not chosen and grants_api_access(grant.request.scope or "")):
            response = await _consent(request, state, session, code, found, status=400,
                                      message="Choose at least one of the companies.")
            return await sessions.save(state.session_storage, request, response, session)
        grant_user = GrantUser(
            user_id=agent_user_id(code, found.agent_id), email="", given_name="",
            family_name="", auth_event_id=str(uuid.uuid4()), global_session_id=uuid.uuid4().hex,
            auth_time=int(state.clock.time()), tenants=chosen)
    if not await request.app[AGENTS].store.claim_pairing(found):
        return _gone()
    session.pop(_session_key(code), None)
    result = await run_core(lambda: server.create_authorization_response(grant.request, grant_user=grant_user,
                                                                         grant=grant))
    return await sessions.save(state.session_storage, request, oauth_response(result), session)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
