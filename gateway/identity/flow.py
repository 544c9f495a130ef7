"""Pieces shared by the browser flows of the identity server (local sign-in and consent, upstream consent).

Paths on this gateway, redirects that are never cached, Authlib's answers at the authorization endpoint rendered as a
redirect to a verified client or as an error page, and the re-validation of an authorize query carried through a
form or a pending upstream consent.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from aiohttp import web
from authlib.oauth2 import OAuth2Error
from multidict import MultiDict, MultiDictProxy

from . import pages
from .requests import RequestSnapshot
from .server import GatewayAuthorizationServer, OAuthResponse
from .state import IdentityState

AUTHORIZE_PATH = "/identity/connect/authorize"
#: Longest authorize query string carried through the sign-in and consent forms or an upstream consent.
MAX_AUTHORIZE_QUERY = 8192


def path(state: IdentityState, code: str, tail: str) -> str:
    """An absolute path on this gateway (keeps a path prefix of ``public_url``)."""
    prefix = urlsplit(state.settings.public_url).path.rstrip("/")
    return f"{prefix}/{code}{tail}"


def redirect(location: str) -> web.Response:
    """A 302 that is never cached."""
    return web.Response(status=302, headers={"Location": location, "Cache-Control": "no-store"})


def canonical_query(query: str) -> str | None:
    """Re-encode an authorize query string; ``None`` when absent or oversized."""
    if not query or len(query) > MAX_AUTHORIZE_QUERY:
        return None
    return urlencode(parse_qsl(query, keep_blank_values=True))


def oauth_response(result: OAuthResponse) -> web.Response:
    """Render Authlib's answer at the authorization endpoint: a redirect to the (verified) client, or an error page
    when Authlib could not verify where to send the browser."""
    headers = dict(result.headers)
    if result.status in (301, 302, 303) and "Location" in headers:
        return redirect(headers["Location"])
    body = result.body if isinstance(result.body, dict) else {}
    return pages.error_page(str(body.get("error_description") or body.get("error") or "Invalid request"),
                            detail=str(body.get("error", "")), status=result.status or 400)


def oauth_error(server: GatewayAuthorizationServer, error: OAuth2Error) -> web.Response:
    """Render an ``OAuth2Error`` raised while validating an authorize request."""
    return oauth_response(OAuthResponse(*error(server.get_error_uri(None, error))))


def carried_snapshot(state: IdentityState, request: web.Request, code: str, query: str) -> RequestSnapshot:
    """The authorize request ``GET {issuer}/identity/connect/authorize?{query}`` rebuilt for Authlib."""
    args = MultiDict(parse_qsl(query, keep_blank_values=True))
    return RequestSnapshot(method="GET", uri=f"{state.settings.issuer(code)}{AUTHORIZE_PATH}?{query}",
                           headers=request.headers, args=MultiDictProxy(args))
