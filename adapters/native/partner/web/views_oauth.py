"""The partner API's OAuth endpoints under ``/ledger/api`` (issue 16; RFC 6749, RFC 7636, RFC 7591, RFC 8414).

- ``POST /ledger/api/oauth/register``: RFC 7591 registration (the issue's ``/api/oauth/register``, placed under the
  partner API's base). 201 with the client's metadata; errors 400 ``{"error", "error_description"}``
  (``invalid_redirect_uri``, ``invalid_client_metadata``).
- ``GET /ledger/api/oauth/authorize``: validates the request (Authlib) and shows the consent page; ``POST`` the
  same URL with the page's form: the firm owner's or admin's e-mail and password and ``decision`` ``allow`` or
  ``deny`` → ``302`` to the client's ``redirect_uri`` with ``code`` and ``state`` (or ``error=access_denied``).
- ``POST /ledger/api/oauth/token``: ``authorization_code`` (+ PKCE ``code_verifier``) and ``refresh_token``.
- ``GET /ledger/api/.well-known/oauth-authorization-server``: RFC 8414 metadata.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from pathlib import Path
from string import Template

from aiohttp import web
from authlib.oauth2 import OAuth2Error

from adapters.native.partner.errors import PartnerError
from gateway.identity.requests import RequestSnapshot, snapshot
from gateway.identity.server import OAuthResponse, run_core

from .keys import partner_state
from .oauth import PartnerUser
from .responses import answers_errors

OAUTH = "/ledger/api/oauth"
_TEMPLATES = Path(__file__).resolve().parent / "templates"
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_PAGE_HEADERS = {**_NO_STORE, "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
                 "Referrer-Policy": "no-referrer",
                 "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"}
#: The authorization request's parameters the consent form carries back (RFC 6749 §4.1.1, RFC 7636 §4.3).
_CARRIED = ("response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method")


def _oauth_response(result: OAuthResponse) -> web.Response:
    headers = {k: v for k, v in result.headers if k.lower() != "content-type"}
    headers.update(_NO_STORE)
    if result.status in (301, 302, 303) and "Location" in headers:
        return web.Response(status=result.status, headers=headers)
    body = result.body if isinstance(result.body, (dict, list)) else {"error": "server_error"}
    return web.Response(status=result.status, text=json.dumps(body), content_type="application/json",
                        charset="utf-8", headers=headers)


@cache
def _template() -> Template:
    return Template((_TEMPLATES / "consent.html").read_text(encoding="utf-8"))


def _consent_page(snap: RequestSnapshot, *, client_name: str, scope: str, email: str = "", message: str = "",
                  status: int = 200) -> web.Response:
    params = snap.form if snap.method == "POST" else snap.args
    hidden = "".join(f'<input type="hidden" name="{name}" value="{escape(params[name], quote=True)}">'
                     for name in _CARRIED if name in params)
    html = _template().substitute(
        client_name=escape(client_name), action=escape(OAUTH + "/authorize", quote=True), hidden=hidden,
        scopes="".join(f"<li>{escape(s)}</li>" for s in scope.split()), email=escape(email, quote=True),
        message=f'<p class="error" role="alert">{escape(message)}</p>' if message else "")
    return web.Response(status=status, text=html, content_type="text/html", charset="utf-8", headers=_PAGE_HEADERS)


def _error_page(error: OAuth2Error) -> web.Response:
    text = f"{error.error}: {error.description}" if error.description else error.error
    return web.Response(status=400, text=text, content_type="text/plain", headers=_PAGE_HEADERS)


@answers_errors
async def register(request: web.Request) -> web.StreamResponse:
    state = partner_state(request.app)
    snap = await snapshot(request, public_url=state.public_url)
    body = await request.read()
    result = await run_core(lambda: state.server.create_endpoint_response("client_registration", (snap, body)))
    return _oauth_response(result)


@answers_errors
async def authorize(request: web.Request) -> web.StreamResponse:
    """The consent page (GET) and its answer (POST)."""
    state = partner_state(request.app)
    snap = await snapshot(request, public_url=state.public_url)
    try:
        grant = await run_core(lambda: state.server.get_consent_grant(request=snap))
    except OAuth2Error as exc:
        if exc.redirect_uri:  # client and redirect URI are valid: the error goes back to the client (§4.1.2.1)
            return _oauth_response(OAuthResponse(*exc()))
        return _error_page(exc)
    client, scope = grant.client, grant.request.scope or ""
    if request.method == "GET":
        return _consent_page(snap, client_name=client.client_name, scope=scope)
    user = None
    email = snap.form.get("email", "")
    if snap.form.get("decision") == "allow":
        try:
            ledger_user = await state.ledger.consenting_user(email, snap.form.get("password", ""))
        except PartnerError as exc:
            return _consent_page(snap, client_name=client.client_name, scope=scope, email=email,
                                 message=exc.message, status=403 if exc.code == "forbidden" else 401)
        user = PartnerUser(ledger_user.user_id)
    result = await run_core(lambda: state.server.create_authorization_response(request=snap, grant_user=user))
    return _oauth_response(result)


@answers_errors
async def token(request: web.Request) -> web.StreamResponse:
    state = partner_state(request.app)
    snap = await snapshot(request, public_url=state.public_url)
    result = await run_core(lambda: state.server.create_token_response(request=snap))
    return _oauth_response(result)


@answers_errors
async def metadata(request: web.Request) -> web.StreamResponse:
    return web.json_response(partner_state(request.app).server.metadata)


def register_routes(app: web.Application) -> None:
    """Add the OAuth routes to ``app.router`` (before the gateway's ``/{code}`` catch-all)."""
    app.router.add_post(OAUTH + "/register", register)
    app.router.add_route("GET", OAUTH + "/authorize", authorize)
    app.router.add_route("POST", OAUTH + "/authorize", authorize)
    app.router.add_post(OAUTH + "/token", token)
    app.router.add_get("/ledger/api/.well-known/oauth-authorization-server", metadata)
