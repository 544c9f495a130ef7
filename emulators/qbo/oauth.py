"""Intuit's OAuth 2.0 server as QBO apps meet it, on Authlib's authorization-server core.

Endpoints (paths mirror Intuit's; discovery document: samples/platform/OAuth2.json):

- ``GET /connect/oauth2?client_id&response_type=code&scope&redirect_uri&state``: approves at once and redirects to
  ``redirect_uri?code=…&state=…&realmId=…`` (Intuit's callback carries ``realmId``; upstream-contracts.md §1).
- ``POST /oauth2/v1/tokens/bearer``: ``authorization_code`` and ``refresh_token`` grants, client authentication
  ``client_secret_basic`` (or ``client_secret_post``; both are in Intuit's discovery document). Success::

      {"token_type": "bearer", "access_token", "expires_in": 3600, "refresh_token",
       "x_refresh_token_expires_in": 8640000}

  (OAuth2.json ``token_response_*``). Refresh tokens rotate on every use and the rolling expiry starts again; the
  five-year hard expiry (Intuit blog 2025-11-12) is reported as ``x_refresh_token_hard_expires_in`` when the request
  carries ``x-include-refresh-token-hard-expires-in: true`` (field and header as Intuit's SDKs name them;
  unconfirmed against the live service). Errors are RFC 6749 §5.2 JSON, e.g. ``{"error": "invalid_grant",
  "error_description": …}`` (OAuth2.json ``token_error_response``).
- ``POST /v2/oauth2/tokens/revoke``: JSON ``{"token": …}`` (or a form) with Basic client authentication; revoking
  a refresh or access token ends the whole grant. 200 on success.
- ``GET /.well-known/openid_configuration``: the discovery document with this emulator's URLs.

Access and refresh tokens are opaque random strings held in memory (the emulator never signs anything).
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

from aiohttp import web
from authlib.oauth2 import AuthorizationServer, OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Request, TokenMixin
from authlib.oauth2.rfc6749 import grants as rfc6749_grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc7009 import RevocationEndpoint as _RevocationEndpoint
from multidict import CIMultiDict

from .clock import Clock
from .config import EmulatorConfig

ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"
SCOPES = (ACCOUNTING_SCOPE, "com.intuit.quickbooks.payment", "openid", "profile", "email", "phone", "address")
AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


# ------------------------------------------------------------------------------------------------ models


@dataclass
class Client(ClientMixin):
    """A developer app (Intuit: Keys & credentials). Any redirect URI is accepted (the emulator approves all)."""

    client_id: str
    client_secret: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return bool(urlsplit(redirect_uri).scheme)

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(self.client_secret, client_secret or "")

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token")


@dataclass
class AuthorizationCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    realm_id: str
    expires_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass
class Grant:
    """One connection (app × company): its live tokens and the hard expiry of its refresh chain."""

    grant_id: str
    client_id: str
    realm_id: str
    scope: str
    hard_expires_at: float
    revoked: bool = False


@dataclass
class Token(TokenMixin):
    """An access or refresh token of a :class:`Grant`."""

    value: str
    kind: str  # "access" | "refresh"
    grant: Grant
    expires_at: float
    rotated_at: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.grant.client_id

    def get_scope(self) -> str:
        return self.grant.scope

    def get_expires_in(self) -> int:
        return max(0, int(self.expires_at - time.time()))

    def is_expired(self) -> bool:
        return False  # expiry is judged against the emulator's clock by the caller

    def is_revoked(self) -> bool:
        return self.grant.revoked


@dataclass
class User:
    """Whoever approved the grant: the emulator's single company user."""

    realm_id: str

    def get_user_id(self) -> str:
        return self.realm_id


# ------------------------------------------------------------------------------------------------ state


class TokenStore:
    """Clients, codes, grants and tokens of one emulator (in memory).

    Args:
        config: the emulator's settings (clients, lifetimes).
        clock: the emulator's clock.
    """

    def __init__(self, config: EmulatorConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        self.clients = {c.client_id: Client(c.client_id, c.client_secret) for c in config.clients}
        self.open_registration = not config.clients
        self.codes: dict[str, AuthorizationCode] = {}
        self.tokens: dict[str, Token] = {}

    def client(self, client_id: str, presented_secret: str | None = None) -> Client | None:
        """The client, registering it on first authentication when no clients are configured."""
        found = self.clients.get(client_id)
        if found is None and self.open_registration and client_id:
            if presented_secret is None:
                return Client(client_id, "")  # authorize endpoint: no secret involved yet
            found = self.clients[client_id] = Client(client_id, presented_secret)
        return found

    def access_token(self, value: str) -> Token | None:
        """A live access token, or ``None`` (unknown, expired against the clock, or its grant revoked)."""
        token = self.tokens.get(value)
        if token is None or token.kind != "access" or token.grant.revoked:
            return None
        if token.expires_at <= self.clock.time():
            return None
        return token

    def expire_access_tokens(self) -> int:
        """Expire every access token now (tests); returns how many were live."""
        now = self.clock.time()
        live = [t for t in self.tokens.values() if t.kind == "access" and t.expires_at > now]
        for token in live:
            token.expires_at = now
        return len(live)

    def issue(self, grant: Grant, *, include_hard_expiry: bool) -> dict[str, Any]:
        now = self.clock.time()
        access = Token(secrets.token_urlsafe(48), "access", grant, now + self.config.access_token_lifetime)
        refresh_expiry = min(now + self.config.refresh_token_lifetime, grant.hard_expires_at)
        refresh = Token("RT1-" + secrets.token_urlsafe(36), "refresh", grant, refresh_expiry)
        self.tokens[access.value] = access
        self.tokens[refresh.value] = refresh
        body = {"token_type": "bearer", "access_token": access.value, "expires_in": self.config.access_token_lifetime,
                "refresh_token": refresh.value, "x_refresh_token_expires_in": round(refresh_expiry - now)}
        if include_hard_expiry:
            body["x_refresh_token_hard_expires_in"] = round(grant.hard_expires_at - now)
        return body


# ------------------------------------------------------------------------------------------------ Authlib glue


class _Request(OAuth2Request):
    """Authlib's request over parameters read completely from the aiohttp request beforehand."""

    def __init__(self, method: str, uri: str, headers: dict[str, str], params: dict[str, str]) -> None:
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
    """RFC 6749 §4.1 as Intuit runs it: confidential clients only (Basic or body secret)."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    server: IntuitAuthorizationServer

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        store = self.server.store
        store.codes[code] = AuthorizationCode(
            code=code, client_id=request.client.client_id, redirect_uri=request.payload.redirect_uri or "",
            scope=request.scope or "", realm_id=request.user.realm_id,
            expires_at=store.clock.time() + store.config.authorization_code_lifetime)

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        found = self.server.store.codes.pop(code, None)  # single use
        if found is None or found.client_id != client.client_id or found.expires_at <= self.server.store.clock.time():
            return None
        return found

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Already consumed by :meth:`query_authorization_code`."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> User:
        return User(authorization_code.realm_id)

    def generate_token(self, user=None, scope=None, grant_type=None, expires_in=None, include_refresh_token=True):
        store = self.server.store
        code: AuthorizationCode = self.request.authorization_code
        grant = Grant(grant_id=secrets.token_hex(8), client_id=code.client_id, realm_id=code.realm_id,
                      scope=code.scope, hard_expires_at=store.clock.time() + store.config.refresh_token_hard_lifetime)
        return store.issue(grant, include_hard_expiry=self.server.include_hard_expiry(self.request))


class RefreshGrant(rfc6749_grants.RefreshTokenGrant):
    """RFC 6749 §6 with rotation: every refresh answers a new refresh token and retires the one used."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True
    server: IntuitAuthorizationServer

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        store = self.server.store
        token = store.tokens.get(refresh_token)
        now = store.clock.time()
        if token is None or token.kind != "refresh" or token.grant.revoked or token.expires_at <= now:
            return None
        if token.rotated_at is not None and now - token.rotated_at >= store.config.refresh_grace_seconds:
            return None
        if token.grant.hard_expires_at <= now:
            return None
        return token

    def _validate_token_scope(self, token: Token) -> None:
        """Intuit ignores a ``scope`` on refresh; the grant's scope is kept."""

    def authenticate_user(self, refresh_token: Token) -> User:
        return User(refresh_token.grant.realm_id)

    def issue_token(self, user: User, refresh_token: Token) -> dict[str, Any]:
        return self.server.store.issue(refresh_token.grant,
                                       include_hard_expiry=self.server.include_hard_expiry(self.request))

    def revoke_old_credential(self, refresh_token: Token) -> None:
        if refresh_token.rotated_at is None:
            refresh_token.rotated_at = self.server.store.clock.time()


class RevocationEndpoint(_RevocationEndpoint):
    """RFC 7009: revoking either token of a grant ends the grant (Intuit disconnects the app)."""

    CLIENT_AUTH_METHODS = AUTH_METHODS
    server: IntuitAuthorizationServer

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        return self.server.store.tokens.get(token_string)

    def revoke_token(self, token: Token, request: OAuth2Request) -> None:
        token.grant.revoked = True


class IntuitAuthorizationServer(AuthorizationServer):
    """Authlib's server with the emulator's storage hooks; called on the event loop (storage is in memory)."""

    def __init__(self, store: TokenStore) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self.store = store
        self.register_grant(CodeGrant)
        self.register_grant(RefreshGrant)
        self.register_endpoint(RevocationEndpoint)

    def query_client(self, client_id: str) -> Client | None:
        request = getattr(self, "_current_request", None)
        secret = None
        if request is not None:
            secret = request.form.get("client_secret") or _basic_secret(request.headers, client_id)
        return self.store.client(client_id, secret)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        """Tokens are stored by :meth:`TokenStore.issue`."""

    def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
        self._current_request = request
        return request

    def create_json_request(self, request: OAuth2Request) -> OAuth2Request:
        return request

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> tuple:
        return status, body, headers

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """No signals."""

    @staticmethod
    def include_hard_expiry(request: OAuth2Request) -> bool:
        return str(request.headers.get("x-include-refresh-token-hard-expires-in", "")).lower() == "true"


def _basic_secret(headers: Any, client_id: str) -> str | None:
    """The secret of an ``Authorization: Basic`` header naming ``client_id`` (RFC 6749 §2.3.1), else ``None``."""
    value = headers.get("Authorization") or headers.get("authorization") or ""
    if not value.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(value[6:].strip()).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, _, secret = decoded.partition(":")
    return unquote(secret) if unquote(user) == client_id else None


# ------------------------------------------------------------------------------------------------ views


OAUTH = web.AppKey("qbo_oauth", IntuitAuthorizationServer)
DEFAULT_REALM = web.AppKey("qbo_default_realm", str)


def _json(status: int, body: Any) -> web.Response:
    return web.Response(status=status, text=json.dumps(body), content_type="application/json",
                        headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


async def _read(request: web.Request) -> _Request:
    params: dict[str, str] = dict(request.query)
    if request.method == "POST":
        if request.content_type == "application/json":
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
    """``GET /connect/oauth2``: approve at once; redirect with ``code``, ``state`` and ``realmId``."""
    server = request.app[OAUTH]
    oauth_request = await _read(request)
    realm_id = request.app[DEFAULT_REALM]
    try:
        grant = server.get_consent_grant(oauth_request)
        status, _, headers = grant.create_authorization_response(grant.redirect_uri, User(realm_id))
    except OAuth2Error as error:
        status, body, headers = error()
        if error.redirect_uri:
            raise web.HTTPFound(dict(headers)["Location"]) from None
        return _json(status, dict(body))
    location = dict(headers)["Location"]
    separator = "&" if "?" in location else "?"
    raise web.HTTPFound(f"{location}{separator}{urlencode({'realmId': realm_id})}")


async def token(request: web.Request) -> web.StreamResponse:
    """``POST /oauth2/v1/tokens/bearer``."""
    server = request.app[OAUTH]
    status, body, _ = server.create_token_response(await _read(request))
    return _json(status, dict(body))


async def revoke(request: web.Request) -> web.StreamResponse:
    """``POST /v2/oauth2/tokens/revoke``."""
    server = request.app[OAUTH]
    status, body, _ = server.create_endpoint_response("revocation", await _read(request))
    if status == 200:
        return web.Response(status=200)
    return _json(status, dict(body) if isinstance(body, (dict, list)) else {"error": "invalid_request"})


async def discovery(request: web.Request) -> web.StreamResponse:
    """``GET /.well-known/openid_configuration``: Intuit's document (OAuth2.json) with this emulator's URLs."""
    base = f"{request.scheme}://{request.host}"
    return _json(200, {
        "issuer": f"{base}/op/v1",
        "authorization_endpoint": f"{base}/connect/oauth2",
        "token_endpoint": f"{base}/oauth2/v1/tokens/bearer",
        "revocation_endpoint": f"{base}/v2/oauth2/tokens/revoke",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "scopes_supported": list(SCOPES),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
    })


def add_routes(app: web.Application) -> None:
    app.router.add_get("/connect/oauth2", authorize)
    app.router.add_post("/oauth2/v1/tokens/bearer", token)
    app.router.add_post("/v2/oauth2/tokens/revoke", revoke)
    app.router.add_get("/.well-known/openid_configuration", discovery)
