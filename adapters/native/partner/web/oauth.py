"""The partner API's OAuth 2.0 server: Authlib's grants and RFC 7591 registration with the ledger's storage hooks.

What it serves (issue 16; ``docs/partner-api.md``):

- dynamic client registration (RFC 7591) at ``POST /ledger/api/oauth/register``, open to anyone (§3: "the
  authorization server MAY allow open registration"), ``client_name`` and ``redirect_uris`` required;
  ``token_endpoint_auth_method`` ``none`` makes a public client (no secret), the RFC's default
  ``client_secret_basic`` a confidential one;
- the authorization code grant (RFC 6749 §4.1) with PKCE ``S256`` required from public clients (RFC 7636; the
  identity server's :class:`gateway.identity.grants.S256CodeChallenge`), consented by a firm owner or admin;
- refresh tokens with rotation (RFC 6749 §6; RFC 9700 §4.14.2) for clients registered with that grant type.

Access and refresh tokens are opaque (Authlib's :class:`~authlib.oauth2.rfc6750.BearerTokenGenerator`), stored as
digests in the ledger's database (:mod:`adapters.native.partner.oauth_store`). The Authlib core runs in a worker
thread (:func:`gateway.identity.server.run_core`) and its storage hooks await the store through a
:class:`gateway.identity.clock.LoopBridge`, as the identity server's do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authlib.common.security import generate_token
from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, InvalidGrantError, list_to_scope, scope_to_list
from authlib.oauth2.rfc6749 import grants as rfc6749_grants
from authlib.oauth2.rfc6749.requests import JsonPayload, JsonRequest, OAuth2Request
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7591 import ClientRegistrationEndpoint, InvalidClientMetadataError, InvalidRedirectURIError

from gateway.identity.grants import S256CodeChallenge
from gateway.identity.records import LiveRefreshToken
from gateway.identity.requests import AiohttpOAuth2Request, RequestSnapshot
from gateway.identity.server import OAuthResponse
from gateway.store.crypto import secret_matches

from .scopes import SCOPES

if TYPE_CHECKING:
    from adapters.native.partner.oauth_store import OAuthStore
    from adapters.native.partner.tables import PartnerClient, PartnerCode, PartnerToken
    from gateway.identity.clock import LoopBridge

#: Access token lifetime, seconds (RFC 6749 §5.1 ``expires_in``).
ACCESS_TOKEN_LIFETIME = 3600
#: Authorization code lifetime, seconds (RFC 6749 §4.1.2: "a maximum authorization code lifetime of 10 minutes").
CODE_LIFETIME = 600
AUTH_METHODS = ["none", "client_secret_basic", "client_secret_post"]
GRANT_TYPES = ["authorization_code", "refresh_token"]


@dataclass(frozen=True)
class PartnerUser:
    """The firm user who consented (token ``sub``)."""

    user_id: str


@dataclass(frozen=True)
class PartnerClientModel(ClientMixin):
    """A registered client as Authlib sees it; ``metadata`` is its RFC 7591 metadata as registered."""

    client_id: str
    client_name: str
    secret_hash: str | None
    metadata: dict[str, Any]

    @classmethod
    def of(cls, row: PartnerClient) -> PartnerClientModel:
        return cls(client_id=row.client_id, client_name=row.client_name, secret_hash=row.secret_hash,
                   metadata=dict(row.metadata_json))

    @property
    def public(self) -> bool:
        """Public clients authenticate with ``none`` (and must use PKCE)."""
        return self.metadata.get("token_endpoint_auth_method") == "none"

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        """The one registered URI, when there is exactly one (RFC 6749 §3.1.2.3)."""
        uris = self.metadata.get("redirect_uris") or []
        return uris[0] if len(uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """Exactly the requested scopes when each is allowed (the registered ``scope``, else every partner scope);
        ``None`` (``invalid_scope``) otherwise."""
        allowed = set(scope_to_list(self.metadata.get("scope")) or SCOPES)
        requested = list(dict.fromkeys(scope_to_list(scope) or []))
        if not requested or any(s not in allowed for s in requested):
            return None
        return list_to_scope(requested)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in (self.metadata.get("redirect_uris") or [])

    def check_client_secret(self, client_secret: str) -> bool:
        return secret_matches(client_secret, self.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == self.metadata.get("token_endpoint_auth_method")

    def check_response_type(self, response_type: str) -> bool:
        return response_type in (self.metadata.get("response_types") or ["code"])

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in (self.metadata.get("grant_types") or ["authorization_code"])


@dataclass(frozen=True)
class CodeRecord:
    """A claimed authorization code (Authlib's ``AuthorizationCodeMixin`` plus the PKCE fields)."""

    user_id: str
    redirect_uri: str
    scope: str
    code_challenge: str | None
    code_challenge_method: str | None

    @classmethod
    def of(cls, row: PartnerCode) -> CodeRecord:
        return cls(user_id=row.user_id, redirect_uri=row.redirect_uri, scope=row.scope,
                   code_challenge=row.code_challenge, code_challenge_method=row.code_challenge_method)

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass(frozen=True)
class RefreshRecord(LiveRefreshToken):
    """A live refresh token (Authlib's ``TokenMixin``)."""

    token_hash: str
    client_id: str
    user_id: str
    scope: str

    @classmethod
    def of(cls, row: PartnerToken) -> RefreshRecord:
        return cls(token_hash=row.refresh_hash or "", client_id=row.client_id, user_id=row.user_id, scope=row.scope)



class AuthorizationCodeGrant(rfc6749_grants.AuthorizationCodeGrant):
    """RFC 6749 §4.1 for public (``none`` + PKCE) and confidential clients."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    server: PartnerAuthorizationServer

    def save_authorization_code(self, code: str, request) -> None:
        data = request.payload.data
        challenge = data.get("code_challenge") or None
        self.server.bridge.run(self.server.store.save_code(
            code=code, client_id=request.client.client_id, user_id=request.user.user_id, scope=request.scope,
            redirect_uri=request.payload.redirect_uri, code_challenge=challenge,
            code_challenge_method=data.get("code_challenge_method") if challenge else None, lifetime=CODE_LIFETIME))

    def query_authorization_code(self, code: str, client: PartnerClientModel) -> CodeRecord | None:
        row = self.server.bridge.run(self.server.store.claim_code(code, client_id=client.client_id))
        return CodeRecord.of(row) if row is not None else None

    def delete_authorization_code(self, authorization_code: CodeRecord) -> None:
        """Nothing left to do: :meth:`query_authorization_code` deleted the code as it read it (single use)."""

    def authenticate_user(self, authorization_code: CodeRecord) -> PartnerUser:
        return PartnerUser(authorization_code.user_id)


class RefreshTokenGrant(rfc6749_grants.RefreshTokenGrant):
    """RFC 6749 §6 with rotation: every use issues a new refresh token and revokes the old grant's tokens."""

    TOKEN_ENDPOINT_AUTH_METHODS = AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True
    server: PartnerAuthorizationServer

    def authenticate_refresh_token(self, refresh_token: str) -> RefreshRecord | None:
        row = self.server.bridge.run(self.server.store.find_refresh_token(refresh_token))
        return RefreshRecord.of(row) if row is not None else None

    def authenticate_user(self, refresh_token: RefreshRecord) -> PartnerUser:
        if not refresh_token.user_id:
            raise InvalidGrantError("The grant has no user.")
        return PartnerUser(refresh_token.user_id)

    def revoke_old_credential(self, refresh_token: RefreshRecord) -> None:
        self.server.bridge.run(self.server.store.revoke_refresh_token(refresh_token.token_hash))


class _JsonBody(JsonPayload):
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    @property
    def data(self) -> dict[str, Any]:
        return self._data


class RegistrationEndpoint(ClientRegistrationEndpoint):
    """RFC 7591 §3 open registration; ``client_name`` and ``redirect_uris`` are required here (issue 16)."""

    server: PartnerAuthorizationServer

    def authenticate_token(self, request) -> str:
        """Open registration: no initial access token is needed (RFC 7591 §3)."""
        return "open-registration"

    def get_server_metadata(self) -> dict[str, Any]:
        return self.server.metadata

    def extract_client_metadata(self, request) -> dict[str, Any]:
        data = request.payload.data
        if not data:
            raise InvalidClientMetadataError("The request body must be a JSON object of client metadata")
        if not isinstance(data.get("redirect_uris"), list) or not data["redirect_uris"]:
            raise InvalidRedirectURIError("'redirect_uris' is required (a non-empty list)")
        if not isinstance(data.get("client_name"), str) or not data["client_name"].strip():
            raise InvalidClientMetadataError("'client_name' is required")
        metadata = super().extract_client_metadata(request)
        metadata.setdefault("grant_types", ["authorization_code"])  # RFC 7591 §2 defaults
        metadata.setdefault("response_types", ["code"])
        if not set(metadata["grant_types"]) <= set(GRANT_TYPES):
            raise InvalidClientMetadataError(f"'grant_types' may hold only {', '.join(GRANT_TYPES)}")
        return metadata

    def generate_client_info(self, request) -> dict[str, Any]:
        info = super().generate_client_info(request)
        if request.payload.data.get("token_endpoint_auth_method") == "none":
            info.pop("client_secret")  # a public client has no secret (RFC 7591 §3.2.1: "client_secret OPTIONAL")
            info.pop("client_secret_expires_at")
        return info

    def save_client(self, client_info: dict[str, Any], client_metadata: dict[str, Any], request):
        row = self.server.bridge.run(self.server.store.save_client(
            client_id=client_info["client_id"], client_secret=client_info.get("client_secret"),
            client_name=client_metadata["client_name"], metadata=client_metadata,
            issued_at=client_info["client_id_issued_at"]))
        return PartnerClientModel.of(row)


class PartnerAuthorizationServer(AuthorizationServer):
    """Authlib's authorization server for the partner API (one per gateway).

    Args:
        store: the ledger-side OAuth storage.
        bridge: runs the async store from Authlib's worker thread.
        issuer: ``{public_url}/ledger/api`` (RFC 8414 ``issuer``).
    """

    def __init__(self, *, store: OAuthStore, bridge: LoopBridge, issuer: str) -> None:
        super().__init__(scopes_supported=list(SCOPES))
        self.store = store
        self.bridge = bridge
        self.issuer = issuer
        self.register_token_generator("default", BearerTokenGenerator(
            access_token_generator=_opaque_token, refresh_token_generator=_opaque_token,
            expires_generator=ACCESS_TOKEN_LIFETIME))
        self.register_grant(AuthorizationCodeGrant, [S256CodeChallenge(required=True)])
        self.register_grant(RefreshTokenGrant)
        self.register_endpoint(RegistrationEndpoint)

    @property
    def metadata(self) -> dict[str, Any]:
        """RFC 8414 authorization server metadata."""
        return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/oauth/authorize",
                "token_endpoint": f"{self.issuer}/oauth/token",
                "registration_endpoint": f"{self.issuer}/oauth/register",
                "scopes_supported": list(SCOPES), "response_types_supported": ["code"],
                "grant_types_supported": GRANT_TYPES, "token_endpoint_auth_methods_supported": AUTH_METHODS,
                "code_challenge_methods_supported": ["S256"]}

    def query_client(self, client_id: str) -> PartnerClientModel | None:
        row = self.bridge.run(self.store.get_client(client_id))
        return PartnerClientModel.of(row) if row is not None else None

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.bridge.run(self.store.save_token(
            access_token=token["access_token"], refresh_token=token.get("refresh_token"),
            client_id=request.client.client_id, user_id=request.user.user_id, scope=token.get("scope", ""),
            expires_in=int(token.get("expires_in", ACCESS_TOKEN_LIFETIME))))

    def create_oauth2_request(self, request: RequestSnapshot | OAuth2Request) -> OAuth2Request:
        return request if isinstance(request, OAuth2Request) else AiohttpOAuth2Request(request)

    def create_json_request(self, request: tuple[RequestSnapshot, bytes]) -> JsonRequest:
        """``(snapshot, body)`` of a JSON request (registration) → Authlib's request; a body that is not a JSON
        object reads as ``{}`` (refused by :meth:`RegistrationEndpoint.extract_client_metadata`)."""
        snap, raw = request
        try:
            data = json.loads(raw or b"null")
        except ValueError:
            data = None
        out = JsonRequest(snap.method, snap.uri, snap.headers)
        out.payload = _JsonBody(data if isinstance(data, dict) else {})
        return out

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> OAuthResponse:
        return OAuthResponse(status, body, list(headers))

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """Authlib's signals are not used."""


def _opaque_token(**_kwargs: Any) -> str:
    """An opaque bearer token (48 characters of Authlib's ``generate_token``)."""
    return generate_token(48)
