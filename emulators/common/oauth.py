"""An upstream's OAuth 2.0 authorization server on Authlib's core, integrated with aiohttp; storage in memory.

Authlib keeps the spec logic (RFC 6749 §4.1 authorization code, §6 refresh, §2.3.1 client authentication, RFC 7009
revocation); this module writes only the glue (each aiohttp request is read completely, then handed to the
synchronous core) and the storage hooks over :mod:`.tokens`. Every emulator subclasses
:class:`EmulatorAuthorizationServer` for its upstream's rules:

- who a grant belongs to (:attr:`Grant.owner`: the company for Intuit, the user for Sage) and what the callback adds;
- the scopes, the default scope, the client authentication methods (``client_secret_basic``/``_post``);
- the token response members and the refresh chain's expiry (:meth:`EmulatorAuthorizationServer.token_response`,
  :meth:`~EmulatorAuthorizationServer.refresh_expiry`, :meth:`~EmulatorAuthorizationServer.start_grant`);
- the error body members (:meth:`EmulatorAuthorizationServer.error_body`).

Common to every upstream: the emulator approves every authorization request at once; authorization codes are
single use and expire; refresh tokens rotate on every use (a used one fails after ``refresh_grace_seconds``);
tokens are opaque random strings whose lifetimes come from the config and are judged against the emulator's clock,
so tests can expire them (``POST /_emulator/clock``, ``POST /_emulator/tokens/expire``).
"""

from __future__ import annotations

import json
import secrets
from typing import Any, ClassVar
from urllib.parse import urlencode, urlunsplit

from aiohttp import web
from authlib.oauth2 import AuthorizationServer, OAuth2Error
from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oauth2.rfc6749 import grants as rfc6749_grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc7009 import RevocationEndpoint as _RevocationEndpoint
from multidict import CIMultiDict

from .clock import Clock
from .tokens import AuthorizationCode, Client, Grant, OAuthSettings, Token, TokenStore, User

__all__ = ["OAUTH", "EmulatorAuthorizationServer", "Grant", "Token", "TokenStore", "add_routes", "bearer",
           "json_response"]


# ------------------------------------------------------------------------------------------------ Authlib glue


class _Request(OAuth2Request):
    """Authlib's request over parameters read completely from the aiohttp request beforehand."""

    def __init__(self, method: str, uri: str, headers: Any, params: dict[str, str]) -> None:
        super().__init__(method=method, uri=uri, headers=headers)
        self._params = params
        self.payload = BasicOAuth2Payload(params)

    @property
    def args(self) -> dict[str, str]:
        return self._params

    @property
    def form(self) -> dict[str, str]:
        return self._params


class CodeGrant(rfc6749_grants.AuthorizationCodeGrant):
    """RFC 6749 §4.1 for confidential clients, authenticated by the server's ``AUTH_METHODS``."""

    server: EmulatorAuthorizationServer

    @property
    def TOKEN_ENDPOINT_AUTH_METHODS(self) -> list[str]:  # noqa: N802 - Authlib's attribute name
        return list(self.server.AUTH_METHODS)

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        store = self.server.store
        store.codes[code] = AuthorizationCode(
            code=code, client_id=request.client.client_id, redirect_uri=request.payload.redirect_uri or "",
            scope=request.scope or self.server.DEFAULT_SCOPE, owner=request.user.owner,
            expires_at=store.clock.time() + store.config.authorization_code_lifetime)

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        found = self.server.store.codes.pop(code, None)  # single use
        if found is None or found.client_id != client.client_id or found.expires_at <= self.server.store.clock.time():
            return None
        return found

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Already consumed by :meth:`query_authorization_code`."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> User:
        return User(authorization_code.owner)

    def generate_token(self, user=None, scope=None, grant_type=None, expires_in=None, include_refresh_token=True):
        code: AuthorizationCode = self.request.authorization_code
        grant = self.server.start_grant(Grant(grant_id=secrets.token_hex(8), client_id=code.client_id,
                                              owner=code.owner, scope=code.scope))
        return self.server.issue(grant, self.request)


class RefreshGrant(rfc6749_grants.RefreshTokenGrant):
    """RFC 6749 §6 with rotation: every refresh answers a new refresh token and retires the one used."""

    INCLUDE_NEW_REFRESH_TOKEN = True
    server: EmulatorAuthorizationServer

    @property
    def TOKEN_ENDPOINT_AUTH_METHODS(self) -> list[str]:  # noqa: N802 - Authlib's attribute name
        return list(self.server.AUTH_METHODS)

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        store = self.server.store
        token = store.tokens.get(refresh_token)
        now = store.clock.time()
        if token is None or token.kind != "refresh" or token.grant.revoked or token.expires_at <= now:
            return None
        if token.rotated_at is not None and now - token.rotated_at >= store.config.refresh_grace_seconds:
            return None
        if token.grant.hard_expires_at is not None and token.grant.hard_expires_at <= now:
            return None
        return token

    def _validate_token_scope(self, token: Token) -> None:
        """A ``scope`` on refresh is ignored; the grant's scope is kept."""

    def authenticate_user(self, refresh_token: Token) -> User:
        return User(refresh_token.grant.owner)

    def issue_token(self, user: User, refresh_token: Token) -> dict[str, Any]:
        return self.server.issue(refresh_token.grant, self.request)

    def revoke_old_credential(self, refresh_token: Token) -> None:
        if refresh_token.rotated_at is None:
            refresh_token.rotated_at = self.server.store.clock.time()


class RevocationEndpoint(_RevocationEndpoint):
    """RFC 7009: revoking either token of a grant ends the grant (the app is disconnected)."""

    server: EmulatorAuthorizationServer

    @property
    def CLIENT_AUTH_METHODS(self) -> list[str]:  # noqa: N802 - Authlib's attribute name
        return list(self.server.AUTH_METHODS)

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        return self.server.store.tokens.get(token_string)

    def revoke_token(self, token: Token, request: OAuth2Request) -> None:
        token.grant.revoked = True


class EmulatorAuthorizationServer(AuthorizationServer):
    """Authlib's server with the emulator's storage hooks; called on the event loop (storage is in memory).

    A subclass states its upstream's rules in the class attributes and overrides :meth:`token_response` (and,
    where the upstream differs from the defaults, the other hooks below).

    Attributes:
        SCOPES: the scopes the upstream grants; others in a request are dropped.
        DEFAULT_SCOPE: granted when a request names none of ``SCOPES`` (``""``: none).
        AUTH_METHODS: client authentication at the token (and revocation) endpoint.
        JSON_BODIES: whether a POST may carry its parameters as a JSON object (else a form only).

    Args:
        config: the emulator's settings (clients, lifetimes).
        clock: the emulator's clock.
        owner: the resource owner every grant belongs to (:attr:`Grant.owner`).
    """

    SCOPES: ClassVar[tuple[str, ...]] = ()
    DEFAULT_SCOPE: ClassVar[str] = ""
    AUTH_METHODS: ClassVar[tuple[str, ...]] = ("client_secret_post",)
    JSON_BODIES: ClassVar[bool] = False

    def __init__(self, config: OAuthSettings, clock: Clock, *, owner: str) -> None:
        super().__init__(scopes_supported=list(self.SCOPES))
        self.store = TokenStore(config, clock, owner, type(self))
        self.register_grant(CodeGrant)
        self.register_grant(RefreshGrant)
        self.register_endpoint(RevocationEndpoint)  # served only where the emulator routes it (add_routes)

    # ---- the upstream's rules (hooks)

    def start_grant(self, grant: Grant) -> Grant:
        """A new grant from an authorization code (set :attr:`Grant.hard_expires_at` here); as is by default."""
        return grant

    def refresh_expiry(self, grant: Grant, now: float) -> float:
        """When a refresh token issued ``now`` expires: ``refresh_token_lifetime`` later, capped by the grant's."""
        expiry = now + self.store.config.refresh_token_lifetime
        return expiry if grant.hard_expires_at is None else min(expiry, grant.hard_expires_at)

    def new_token_value(self, kind: str) -> str:
        """A fresh opaque ``access`` or ``refresh`` token."""
        return secrets.token_urlsafe(40)

    def token_response(self, grant: Grant, access: Token, refresh: Token, request: OAuth2Request,
                       now: float) -> dict[str, Any]:
        """The token endpoint's success body for a newly issued pair (the upstream's members)."""
        raise NotImplementedError

    def error_body(self, body: dict[str, Any]) -> dict[str, Any]:
        """The JSON body of an error at the authorize or token endpoint from Authlib's (RFC 6749 §5.2) one."""
        return body

    def client_secret(self, request: OAuth2Request, client_id: str) -> str | None:
        """The secret a request presents for ``client_id`` (binds it under open registration): the form's."""
        return request.form.get("client_secret")

    def callback_params(self, owner: str) -> dict[str, str]:
        """Parameters the authorization callback carries besides ``code`` and ``state``."""
        return {}

    # ---- issuing

    def issue(self, grant: Grant, request: OAuth2Request) -> dict[str, Any]:
        """A new access/refresh pair for ``grant``, stored; the token response body."""
        store = self.store
        now = store.clock.time()
        access = store.add(Token(self.new_token_value("access"), "access", grant,
                                 now + store.config.access_token_lifetime))
        refresh = store.add(Token(self.new_token_value("refresh"), "refresh", grant, self.refresh_expiry(grant, now)))
        return self.token_response(grant, access, refresh, request, now)

    # ---- Authlib's framework hooks

    def query_client(self, client_id: str) -> Client | None:
        request = getattr(self, "_current_request", None)
        secret = self.client_secret(request, client_id) if request is not None else None
        return self.store.client(client_id, secret)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        """Tokens are stored by :meth:`issue`."""

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        self._current_request = request
        return request

    def create_json_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> tuple:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No signals."""


# ------------------------------------------------------------------------------------------------ views


OAUTH = web.AppKey("emulator_oauth", EmulatorAuthorizationServer)


def bearer(request: web.Request) -> str:
    """The token of an ``Authorization: Bearer`` header (RFC 6750 §2.1), else ``""``."""
    value = request.headers.get("Authorization", "")
    return value[7:].strip() if value.lower().startswith("bearer ") else ""


def json_response(status: int, body: Any) -> web.Response:
    """A JSON answer of the OAuth endpoints, never cached (RFC 6749 §5.1)."""
    return web.Response(status=status, text=json.dumps(body), content_type="application/json",
                        headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


async def _read(request: web.Request) -> _Request:
    params: dict[str, str] = dict(request.query)
    if request.method == "POST":
        if request.content_type == "application/json" and request.app[OAUTH].JSON_BODIES:
            try:
                data = await request.json()
            except ValueError:
                data = {}
            if isinstance(data, dict):
                params.update({k: str(v) for k, v in data.items() if v is not None})
        else:
            posted = await request.post()
            params.update({k: v for k, v in posted.items() if isinstance(v, str)})
    uri = urlunsplit(("http", request.host, request.path, request.query_string, ""))
    return _Request(request.method, uri, CIMultiDict(request.headers), params)


async def authorize(request: web.Request) -> web.StreamResponse:
    """The authorize endpoint: approve at once; redirect with ``code``, ``state`` and the callback parameters."""
    server = request.app[OAUTH]
    oauth_request = await _read(request)
    owner = server.store.owner
    try:
        grant = server.get_consent_grant(oauth_request)
        _, _, headers = grant.create_authorization_response(grant.redirect_uri, User(owner))
    except OAuth2Error as error:
        status, body, headers = error()
        if error.redirect_uri:
            raise web.HTTPFound(dict(headers)["Location"]) from None
        return json_response(status, server.error_body(dict(body)))
    location = dict(headers)["Location"]
    extra = server.callback_params(owner)
    if extra:
        location = f"{location}{'&' if '?' in location else '?'}{urlencode(extra)}"
    raise web.HTTPFound(location)


async def token(request: web.Request) -> web.StreamResponse:
    """The token endpoint: ``authorization_code`` and ``refresh_token`` grants."""
    server = request.app[OAUTH]
    status, body, _ = server.create_token_response(await _read(request))
    body = dict(body)
    return json_response(status, body if status == 200 else server.error_body(body))


async def revoke(request: web.Request) -> web.StreamResponse:
    """The RFC 7009 revocation endpoint: 200 with no body on success."""
    server = request.app[OAUTH]
    status, body, _ = server.create_endpoint_response("revocation", await _read(request))
    if status == 200:
        return web.Response(status=200)
    return json_response(status, dict(body) if isinstance(body, (dict, list)) else {"error": "invalid_request"})


def add_routes(app: web.Application, server: EmulatorAuthorizationServer, *, authorize_path: str,
               token_path: str, revoke_path: str | None = None) -> None:
    """Serve ``server`` at the upstream's paths; RFC 7009 revocation only where ``revoke_path`` is given."""
    app[OAUTH] = server
    app.router.add_get(authorize_path, authorize)
    app.router.add_post(token_path, token)
    if revoke_path is not None:
        app.router.add_post(revoke_path, revoke)
