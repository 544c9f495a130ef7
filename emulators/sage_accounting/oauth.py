"""Sage's OAuth 2.0 server as apps meet it, on Authlib's authorization-server core.

Endpoints (upstream-contracts.md §2 "OAuth 2.0"; developer.sage.com Authentication guide and "Frequently Raised
Errors"):

- ``GET /oauth2/auth/central?filter=apiv3.1&client_id&response_type=code&redirect_uri&scope&state[&country&locale]``
  (Sage: ``https://www.sageone.com/oauth2/auth/central?filter=apiv3.1``): the user approves at once; the browser is
  redirected to ``redirect_uri?code=…&state=…``. ``scope`` is ``full_access`` or ``readonly`` (``full_access`` when
  absent: unconfirmed default); ``filter``, ``country`` and ``locale`` are accepted and ignored.
- ``POST /token`` (Sage: ``https://oauth.accounting.sage.com/token``), a form body with ``client_id`` and
  ``client_secret`` (client_secret_post; Sage documents no Basic authentication): ``authorization_code`` and
  ``refresh_token`` grants. Success (Sage's documented members)::

      {"access_token", "expires_in": 300, "token_type": "bearer", "refresh_token",
       "refresh_token_expires_in": 2678400, "scope": "full_access", "requested_by_id": "<user id>"}

  The authorisation code is single-use and lives 60 seconds; refresh tokens rotate on every use and a used one
  fails. Errors are ``{"error": "invalid_grant"}`` with HTTP 400 (the documented body; Authlib's
  ``error_description`` is not sent), ``invalid_client`` 401 and so on (RFC 6749 §5.2).

Tokens are opaque random strings held in memory; lifetimes come from the config and are judged against the
emulator's clock, so tests can expire them (``POST /_emulator/clock``, ``POST /_emulator/tokens/expire``).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from aiohttp import web
from authlib.oauth2 import AuthorizationServer, OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Request, TokenMixin
from authlib.oauth2.rfc6749 import grants as rfc6749_grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from multidict import CIMultiDict

from .clock import Clock
from .config import EmulatorConfig, OAuthClient

SCOPES = ("full_access", "readonly")
DEFAULT_SCOPE = "full_access"
AUTH_METHODS = ["client_secret_post"]
AUTHORIZE_PATH = "/oauth2/auth/central"
TOKEN_PATH = "/token"  # noqa: S105 - a URL path, not a secret


# ------------------------------------------------------------------------------------------------ models


@dataclass
class Client(ClientMixin):
    """A developer app. Any absolute redirect URI is accepted (the emulator approves every request)."""

    client_id: str
    client_secret: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        allowed = [s for s in (scope or "").split() if s in SCOPES]
        return " ".join(allowed) or DEFAULT_SCOPE

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
    user_id: str
    expires_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass
class Grant:
    """One connection (app × user)."""

    grant_id: str
    client_id: str
    user_id: str
    scope: str
    revoked: bool = False


@dataclass
class Token(TokenMixin):
    """An access or refresh token of a :class:`Grant`."""

    value: str
    kind: str  # "access" | "refresh"
    grant: Grant
    expires_at: float
    rotated_at: float | None = None

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.grant.client_id

    def get_scope(self) -> str:
        return self.grant.scope

    def get_expires_in(self) -> int:
        return 0

    def is_expired(self) -> bool:
        return False  # judged against the emulator's clock by the caller

    def is_revoked(self) -> bool:
        return self.grant.revoked


@dataclass
class User:
    """The emulator's single user (``/user``)."""

    user_id: str

    def get_user_id(self) -> str:
        return self.user_id


# ------------------------------------------------------------------------------------------------ state


class TokenStore:
    """Clients, codes and tokens of one emulator (in memory).

    Args:
        config: the emulator's settings (clients, lifetimes).
        clock: the emulator's clock.
        user_id: the id of the user every grant belongs to (``requested_by_id``).
    """

    def __init__(self, config: EmulatorConfig, clock: Clock, user_id: str) -> None:
        self.config = config
        self.clock = clock
        self.user_id = user_id
        self.clients: dict[str, Client] = {}
        self.open_registration = True
        self.set_clients(config.clients)
        self.codes: dict[str, AuthorizationCode] = {}
        self.tokens: dict[str, Token] = {}

    def set_clients(self, clients: list[OAuthClient]) -> None:
        """Accept exactly ``clients`` from now on (an empty list re-opens registration for demos)."""
        self.clients = {c.client_id: Client(c.client_id, c.client_secret) for c in clients}
        self.open_registration = not clients

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

    def issue(self, grant: Grant) -> dict[str, Any]:
        """A new access/refresh pair for ``grant``: the token response body."""
        now = self.clock.time()
        access = Token(secrets.token_urlsafe(40), "access", grant, now + self.config.access_token_lifetime)
        refresh = Token(secrets.token_urlsafe(40), "refresh", grant, now + self.config.refresh_token_lifetime)
        self.tokens[access.value] = access
        self.tokens[refresh.value] = refresh
        return {"access_token": access.value, "expires_in": self.config.access_token_lifetime,
                "token_type": "bearer", "refresh_token": refresh.value,
                "refresh_token_expires_in": self.config.refresh_token_lifetime, "scope": grant.scope,
                "requested_by_id": grant.user_id}


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
    """RFC 6749 §4.1 as Sage runs it: confidential clients, secret in the form body."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    server: SageAuthorizationServer

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        store = self.server.store
        store.codes[code] = AuthorizationCode(
            code=code, client_id=request.client.client_id, redirect_uri=request.payload.redirect_uri or "",
            scope=request.scope or DEFAULT_SCOPE, user_id=request.user.user_id,
            expires_at=store.clock.time() + store.config.authorization_code_lifetime)

    def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
        found = self.server.store.codes.pop(code, None)  # single use
        if found is None or found.client_id != client.client_id or found.expires_at <= self.server.store.clock.time():
            return None
        return found

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Already consumed by :meth:`query_authorization_code`."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> User:
        return User(authorization_code.user_id)

    def generate_token(self, user=None, scope=None, grant_type=None, expires_in=None, include_refresh_token=True):
        code: AuthorizationCode = self.request.authorization_code
        grant = Grant(grant_id=secrets.token_hex(8), client_id=code.client_id, user_id=code.user_id,
                      scope=code.scope)
        return self.server.store.issue(grant)


class RefreshGrant(rfc6749_grants.RefreshTokenGrant):
    """RFC 6749 §6 with rotation: every refresh answers a new refresh token and retires the one used."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True
    server: SageAuthorizationServer

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        store = self.server.store
        token = store.tokens.get(refresh_token)
        now = store.clock.time()
        if token is None or token.kind != "refresh" or token.grant.revoked or token.expires_at <= now:
            return None
        if token.rotated_at is not None and now - token.rotated_at >= store.config.refresh_grace_seconds:
            return None
        return token

    def _validate_token_scope(self, token: Token) -> None:
        """A ``scope`` on refresh is ignored; the grant's scope is kept."""

    def authenticate_user(self, refresh_token: Token) -> User:
        return User(refresh_token.grant.user_id)

    def issue_token(self, user: User, refresh_token: Token) -> dict[str, Any]:
        return self.server.store.issue(refresh_token.grant)

    def revoke_old_credential(self, refresh_token: Token) -> None:
        if refresh_token.rotated_at is None:
            refresh_token.rotated_at = self.server.store.clock.time()


class SageAuthorizationServer(AuthorizationServer):
    """Authlib's server with the emulator's storage hooks; called on the event loop (storage is in memory)."""

    def __init__(self, store: TokenStore) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self.store = store
        self.register_grant(CodeGrant)
        self.register_grant(RefreshGrant)

    def query_client(self, client_id: str) -> Client | None:
        request = getattr(self, "_current_request", None)
        secret = request.form.get("client_secret") if request is not None else None
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


# ------------------------------------------------------------------------------------------------ views


OAUTH = web.AppKey("sage_oauth", SageAuthorizationServer)


def _json(status: int, body: Any) -> web.Response:
    return web.Response(status=status, text=json.dumps(body), content_type="application/json",
                        headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


async def _read(request: web.Request) -> _Request:
    params: dict[str, str] = dict(request.query)
    if request.method == "POST":
        posted = await request.post()
        params.update({k: v for k, v in posted.items() if isinstance(v, str)})
    uri = urlunsplit(("http", request.host, request.path, request.query_string, ""))
    return _Request(request.method, uri, CIMultiDict(request.headers), params)


async def authorize(request: web.Request) -> web.StreamResponse:
    """``GET /oauth2/auth/central``: approve at once; redirect with ``code`` and ``state``."""
    server = request.app[OAUTH]
    oauth_request = await _read(request)
    try:
        grant = server.get_consent_grant(oauth_request)
        _, _, headers = grant.create_authorization_response(grant.redirect_uri, User(server.store.user_id))
    except OAuth2Error as error:
        status, body, headers = error()
        if error.redirect_uri:
            raise web.HTTPFound(dict(headers)["Location"]) from None
        return _json(status, {"error": dict(body).get("error", "invalid_request")})
    raise web.HTTPFound(dict(headers)["Location"])


async def token(request: web.Request) -> web.StreamResponse:
    """``POST /token``."""
    server = request.app[OAUTH]
    status, body, _ = server.create_token_response(await _read(request))
    body = dict(body)
    if status != 200:
        body = {"error": body.get("error", "invalid_request")}
    return _json(status, body)


def add_routes(app: web.Application) -> None:
    app.router.add_get(AUTHORIZE_PATH, authorize)
    app.router.add_post(TOKEN_PATH, token)
