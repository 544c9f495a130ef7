"""The in-memory records of an emulator's OAuth 2.0 server: developer apps, codes, grants, tokens, and their store.

The record classes implement Authlib's model mixins (``ClientMixin``, ``TokenMixin``); lifetimes are judged against
the emulator's clock by :class:`TokenStore` and the grants of :mod:`emulators.common.oauth`, never by Authlib.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin

from .clock import Clock
from .config import OAuthClient


class ClientRules(Protocol):
    """An upstream's rules for developer apps (the emulator's authorization server class states them)."""

    SCOPES: tuple[str, ...]
    DEFAULT_SCOPE: str
    AUTH_METHODS: tuple[str, ...]


class OAuthSettings(Protocol):
    """The settings the server reads (:class:`~emulators.common.config.BaseEmulatorConfig` has them), in seconds."""

    clients: list[Any]
    access_token_lifetime: int
    refresh_token_lifetime: int
    refresh_grace_seconds: int
    authorization_code_lifetime: int


# ------------------------------------------------------------------------------------------------ models


@dataclass
class Client(ClientMixin):
    """A developer app. Any absolute redirect URI is accepted (the emulator approves every request).

    Attributes:
        rules: the upstream's client rules (the emulator's authorization server class).
    """

    client_id: str
    client_secret: str
    rules: ClientRules

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        allowed = [s for s in (scope or "").split() if s in self.rules.SCOPES]
        return " ".join(allowed) or self.rules.DEFAULT_SCOPE

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return bool(urlsplit(redirect_uri).scheme)

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(self.client_secret, client_secret or "")

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in self.rules.AUTH_METHODS

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
    owner: str
    expires_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass
class Grant:
    """One connection (app × resource owner) and, where the upstream has one, the hard expiry of its refresh chain.

    Attributes:
        owner: who approved it: the company id (Intuit's ``realmId``) or the user id (Sage's ``requested_by_id``).
        hard_expires_at: POSIX seconds after which no refresh token of the grant works, or ``None``.
    """

    grant_id: str
    client_id: str
    owner: str
    scope: str
    hard_expires_at: float | None = None
    revoked: bool = False


@dataclass
class Token(TokenMixin):
    """An access or refresh token of a :class:`Grant`; ``expires_at`` is POSIX seconds on the emulator's clock."""

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
        return max(0, int(self.expires_at - time.time()))

    def is_expired(self) -> bool:
        return False  # judged against the emulator's clock by the caller

    def is_revoked(self) -> bool:
        return self.grant.revoked


@dataclass
class User:
    """The resource owner who approves every request: the emulator's single company or user."""

    owner: str

    def get_user_id(self) -> str:
        return self.owner


# ------------------------------------------------------------------------------------------------ state


class TokenStore:
    """Clients, codes and tokens of one emulator (in memory).

    Args:
        config: the emulator's settings (clients, lifetimes).
        clock: the emulator's clock.
        owner: the resource owner every grant belongs to (the default realm id, or the user id).
        rules: the upstream's client rules (:class:`Client`).
    """

    def __init__(self, config: OAuthSettings, clock: Clock, owner: str, rules: ClientRules) -> None:
        self.config = config
        self.clock = clock
        self.owner = owner
        self.rules = rules
        self.clients: dict[str, Client] = {}
        self.open_registration = True
        self.set_clients(config.clients)
        self.codes: dict[str, AuthorizationCode] = {}
        self.tokens: dict[str, Token] = {}

    def set_clients(self, clients: list[OAuthClient]) -> None:
        """Accept exactly ``clients`` from now on (an empty list re-opens registration for demos)."""
        self.clients = {c.client_id: Client(c.client_id, c.client_secret, self.rules) for c in clients}
        self.open_registration = not clients

    def client(self, client_id: str, presented_secret: str | None = None) -> Client | None:
        """The client, registering it on first authentication when no clients are configured."""
        found = self.clients.get(client_id)
        if found is None and self.open_registration and client_id:
            if presented_secret is None:
                return Client(client_id, "", self.rules)  # authorize endpoint: no secret involved yet
            found = self.clients[client_id] = Client(client_id, presented_secret, self.rules)
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

    def add(self, token: Token) -> Token:
        """Keep ``token`` (looked up by its value from now on); returns it."""
        self.tokens[token.value] = token
        return token
