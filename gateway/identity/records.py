"""Immutable snapshots of stored state, shaped as Authlib's model mixins.

Authlib's grants run in a worker thread and read these objects only; nothing here touches the database. They are
built by :mod:`gateway.identity.store` from the tables of :mod:`gateway.store.models`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin, list_to_scope, scope_to_list
from authlib.oidc.core import AuthorizationCodeMixin

from adapters.base import Tenant
from gateway.store.crypto import secret_matches
from gateway.xero.guids import normalise_guid

from .scopes import IDENTITY_SCOPES

#: ``xero_userid`` of tokens without a user (client credentials), as Xero's (xero-contract.md §1.5, unconfirmed).
ZERO_GUID = "00000000-0000-0000-0000-000000000000"
_XERO_USER_NAMESPACE = uuid.UUID("6f1c4d6e-2a43-4c4b-9a1e-3d1f0c6b7a55")


def xero_userid(user_id: str) -> str:
    """The ``xero_userid`` claim for an adapter's user id: the id itself when it is a GUID, else a stable UUIDv5."""
    return normalise_guid(user_id) or str(uuid.uuid5(_XERO_USER_NAMESPACE, user_id))


@dataclass(frozen=True)
class ClientModel(ClientMixin):
    """A registered partner app as Authlib sees it (RFC 6749 §2).

    Attributes:
        allowed_scopes: what the app may request: its configured scopes plus the identity scopes (openid, profile,
            email, offline_access), which every Xero app may request.
        api_scopes: for a custom connection, the scopes its tokens carry.
    """

    client_id: str
    name: str
    public: bool
    custom_connection: bool
    source_code: str | None
    tenant_id: str | None
    redirect_uris: tuple[str, ...]
    allowed_scopes: tuple[str, ...]
    api_scopes: tuple[str, ...]
    custom_auth_event_id: str | None = None
    secret_hash: str | None = field(default=None, repr=False)

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        """Never a default: Xero requires ``redirect_uri`` on every authorize request."""
        return None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """The scope to grant for a request, or ``None`` (→ ``invalid_scope``).

        A custom connection always gets its configured API scopes (Xero: the scopes chosen when the connection was
        set up). Other apps get exactly what they asked for when every requested scope is allowed; a request with
        no scope, or with a scope the app may not request, is refused (Xero answers such requests with an error
        rather than a narrower grant).
        """
        if self.custom_connection:
            return list_to_scope(list(self.api_scopes))
        requested = list(dict.fromkeys(scope_to_list(scope) or []))
        if not requested:
            return None
        allowed = set(self.allowed_scopes)
        if any(s not in allowed for s in requested):
            return None
        return list_to_scope(requested)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        """Exact match against the registered URIs: no wildcard, no prefix (developer.xero.com/faq/oauth2)."""
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secret_matches(client_secret, self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        """Public apps authenticate with ``none`` (PKCE); confidential ones with their secret, Basic or in the body."""
        if self.public:
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and not self.custom_connection

    def check_grant_type(self, grant_type: str) -> bool:
        if self.custom_connection:
            return grant_type == "client_credentials"
        return grant_type in ("authorization_code", "refresh_token")


@dataclass(frozen=True)
class GrantUser:
    """The signed-in user behind one authorisation event, as the grants and token generators see them.

    Attributes:
        user_id: the adapter's user id (token ``sub``).
        auth_event_id: the authorisation event (``authentication_event_id`` claim).
        global_session_id: the sign-in session (``global_session_id`` and id_token ``sid``).
        auth_time: epoch seconds of the sign-in.
        tenants: the tenants chosen on the consent page (only while issuing a code).
    """

    user_id: str
    email: str
    given_name: str
    family_name: str
    auth_event_id: str
    global_session_id: str
    auth_time: int
    tenants: tuple[Tenant, ...] = ()

    def get_user_id(self) -> str:
        return self.user_id

    @property
    def xero_userid(self) -> str:
        return xero_userid(self.user_id)

    def profile(self) -> dict[str, str]:
        """id_token/userinfo profile claims (xero-contract.md §1.5)."""
        name = " ".join(p for p in (self.given_name, self.family_name) if p) or self.email
        return {"sub": self.user_id, "xero_userid": self.xero_userid, "email": self.email,
                "preferred_username": self.email, "given_name": self.given_name, "family_name": self.family_name,
                "name": name}


@dataclass(frozen=True)
class AuthorizationCodeModel(AuthorizationCodeMixin):
    """A stored authorization code, already claimed for this exchange (single use)."""

    auth_event_id: str
    client_id: str
    user_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_amr(self) -> list[str]:
        return ["pwd"]


class LiveRefreshToken(TokenMixin):
    """Authlib's ``TokenMixin`` for a refresh token its store found usable: the store has already refused expired
    and revoked ones, so the grant only checks the client. Subclasses carry ``client_id`` and ``scope``; shared by
    the Xero identity (:class:`RefreshTokenModel`) and the partner API
    (``adapters.native.partner.web.oauth.RefreshRecord``)."""

    client_id: str
    scope: str

    def check_client(self, client: ClientMixin) -> bool:
        return client.get_client_id() == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return 0

    def is_expired(self) -> bool:
        return False

    def is_revoked(self) -> bool:
        return False


@dataclass(frozen=True)
class RefreshTokenModel(LiveRefreshToken):
    """A stored refresh token that is still usable (live, or rotated less than the grace period ago)."""

    token_hash: str = field(repr=False)
    auth_event_id: str
    client_id: str
    scope: str


def grants_api_access(scope: str) -> bool:
    """Whether a scope string contains anything beyond the identity scopes (then a tenant must be chosen)."""
    return any(s not in IDENTITY_SCOPES for s in scope_to_list(scope) or [])
