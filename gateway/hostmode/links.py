"""One token, connections in several sources: host mode's authorisations linked by the browser that consented.

Xero's user is one login whatever the organisations; the gateway's users belong to their source (a native-ledger
user, a QuickBooks user…). In host mode the person connects each source through Xero's one authorize URL, from one
browser, so the browser stands for the Xero user: every code issued on a Xero hostname is recorded with the
browser's random cookie (:data:`BROWSER_COOKIE`, as a digest) in ``host_mode_grants``; the live authorisations of
one app consented from one browser are linked. A token of any of them then lists the connections of all
(``GET /connections``), deletes any of them, and calls any of their tenants: the call is made as the linked
authorisation of the tenant's source (:func:`acting_token`), so that the ``/{code}`` guard checks that
authorisation and its connection as usual (revoking it, or deleting the connection, ends access as ever).
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiohttp import web
from authlib.oauth2.rfc6749 import scope_to_list
from joserfc import jwt
from sqlalchemy import select

from gateway.identity.records import xero_userid
from gateway.identity.state import IdentityState
from gateway.identity.store import AuthEventRecord
from gateway.store.crypto import secret_hash
from gateway.store.models import AuthorizationCode

from .tables import HostModeGrant

#: The browser's host-mode id (random; stored as a SHA-256 digest only).
BROWSER_COOKIE = "xero_gateway_browser"
#: Seconds the browser id is kept (one year): within it, a new consent from the same browser links.
BROWSER_COOKIE_AGE = 365 * 86400


async def record_issuance(state: IdentityState, request: web.Request, response: web.StreamResponse) -> None:
    """After a ``/{code}`` view answered on a Xero hostname: if it sent the browser to an app with a fresh
    authorization code, record the code's authorisation with this browser (setting its cookie when new)."""
    location = response.headers.get("Location", "") if response.status in (302, 303) else ""
    code = parse_qs(urlsplit(location).query).get("code") if location else None
    if not code:
        return
    async with state.db.session() as s:
        row = await s.scalar(select(AuthorizationCode).where(AuthorizationCode.code_hash == secret_hash(code[0])))
    if row is None:
        return
    browser = request.cookies.get(BROWSER_COOKIE) or ""
    if len(browser) < 32:
        browser = secrets.token_urlsafe(32)
        response.set_cookie(BROWSER_COOKIE, browser, max_age=BROWSER_COOKIE_AGE, path="/", secure=request.secure,
                            httponly=True, samesite="Lax")
    async with state.db.write_session() as s:
        if await s.get(HostModeGrant, row.auth_event_id) is None:
            s.add(HostModeGrant(auth_event_id=row.auth_event_id, client_id=row.client_id,
                                browser_hash=secret_hash(browser), created_at=state.clock.now()))


async def linked_events(state: IdentityState, event: AuthEventRecord) -> list[AuthEventRecord]:
    """The live authorisations linked to ``event`` (itself first), oldest first after it."""
    async with state.db.session() as s:
        mine = await s.get(HostModeGrant, event.id)
        if mine is None:
            return [event]
        ids = list(await s.scalars(select(HostModeGrant.auth_event_id).where(
            HostModeGrant.browser_hash == mine.browser_hash, HostModeGrant.client_id == mine.client_id,
            HostModeGrant.auth_event_id != event.id).order_by(HostModeGrant.created_at)))
    out = [event]
    for other_id in ids:
        other = await state.store.get_auth_event(other_id, fresh=True)
        if other is not None and not other.revoked and other.client_id == event.client_id:
            out.append(other)
    return out


def acting_token(state: IdentityState, claims: dict[str, Any], event: AuthEventRecord) -> str:
    """An access token for ``event`` made from a verified token of a linked authorisation (same app, issuer and
    expiry; ``event``'s user and scopes). It only ever replaces the caller's token inside this process."""
    acting = {**claims, "sub": event.user_id, "xero_userid": xero_userid(event.user_id or ""),
              "authentication_event_id": event.id, "scope": scope_to_list(event.scope) or [],
              "jti": uuid.uuid4().hex.upper()}
    return jwt.encode({"alg": "RS256", "kid": state.keys.kid}, acting, state.keys.private)


def as_event(request: web.Request, token: str) -> web.Request:
    """``request`` with its bearer token replaced."""
    headers = request.headers.copy()
    headers["Authorization"] = f"Bearer {token}"
    return request.clone(headers=headers)
