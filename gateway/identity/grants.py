"""Authlib's grants and endpoints, with the gateway's storage hooks and Xero's few deviations.

Spec logic stays Authlib's. What is added here:

- storage hooks (through :class:`~gateway.identity.clock.LoopBridge`, since Authlib runs in a worker thread);
- PKCE (RFC 7636) with ``S256`` only, required for public clients at the authorization endpoint already;
- ``scope`` echoed on the authorization redirect (``redirect_uri?code=…&scope=…&state=…``; pyxero's docstring,
  xero-contract.md §1.1);
- refresh: rotation on every use with a grace period (store), and the ``scope`` parameter accepted whatever it
  holds but never narrowing the grant (xero-python and pyxero always send it, sometimes garbled;
  xero-contract.md §1.2 — a deliberate deviation from RFC 6749 §6, which would refuse a wider scope);
- an id_token on refresh too when ``openid`` was granted (OIDC Core §12.2 allows it; Authlib's ``OpenIDToken``).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, Protocol

from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749 import InvalidGrantError, InvalidRequestError
from authlib.oauth2.rfc6749 import grants as rfc6749_grants
from authlib.oauth2.rfc7009 import RevocationEndpoint as _RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import OpenIDCode, OpenIDToken

from .records import ClientModel, GrantUser

if TYPE_CHECKING:
    from .clock import Clock, LoopBridge
    from .keys import SigningKeys
    from .store import IdentityStore

_SECRET_OR_NONE = ["client_secret_basic", "client_secret_post", "none"]


class GrantServer(Protocol):
    """What the grants use of their server (:class:`gateway.identity.server.GatewayAuthorizationServer`)."""

    code: str
    issuer: str
    keys: SigningKeys
    clock: Clock
    bridge: LoopBridge
    store: IdentityStore
    id_token_lifetime: int

    def load_grant_user(self, auth_event_id: str) -> Awaitable[GrantUser | None]: ...


class AuthorizationCodeGrant(rfc6749_grants.AuthorizationCodeGrant):
    """RFC 6749 §4.1 with confidential (secret, Basic or body) and public (``none`` + PKCE) clients."""

    TOKEN_ENDPOINT_AUTH_METHODS = _SECRET_OR_NONE
    server: GrantServer

    def create_authorization_response(self, redirect_uri: str, grant_user: GrantUser | None):
        status, body, headers = super().create_authorization_response(redirect_uri, grant_user)
        location = add_params_to_uri(dict(headers)["Location"], [("scope", self.request.scope)])
        return status, body, [("Location", location)]

    def save_authorization_code(self, code: str, request) -> None:
        data = request.payload.data
        challenge = data.get("code_challenge") or None
        self.server.bridge.run(self.server.store.create_authorization(
            code=self.server.code, client=request.client, user=request.user, scope=request.scope,
            redirect_uri=request.payload.redirect_uri, code_value=code, nonce=data.get("nonce") or None,
            code_challenge=challenge, code_challenge_method=(data.get("code_challenge_method") if challenge else None)))

    def query_authorization_code(self, code: str, client: ClientModel):
        return self.server.bridge.run(self.server.store.claim_code(code, client_id=client.client_id,
                                                                   code=self.server.code))

    def delete_authorization_code(self, authorization_code) -> None:
        """Nothing left to do: :meth:`query_authorization_code` already consumed the code (single use)."""

    def authenticate_user(self, authorization_code) -> GrantUser | None:
        return self.server.bridge.run(self.server.load_grant_user(authorization_code.auth_event_id))


class S256CodeChallenge(CodeChallenge):
    """PKCE with ``S256`` only (``plain`` refused, the method must be named), and a ``code_challenge`` required from
    public clients at the authorization endpoint (RFC 7636 §4.4.1; RFC 9700 §2.1.1)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri: str) -> None:
        data = grant.request.payload.data
        challenge = data.get("code_challenge")
        client: ClientModel = grant.request.client
        if client is not None and client.public and not challenge:
            raise InvalidRequestError("Public clients must send a 'code_challenge' (PKCE, S256).")
        super().validate_code_challenge(grant, redirect_uri)
        if challenge and data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Unsupported 'code_challenge_method': only S256 is accepted.")


class _IdTokenClaims:
    """id_token content shared by the code and refresh flows (xero-contract.md §1.5)."""

    def __init__(self, server: GrantServer) -> None:
        self.server = server

    def resolve_client_private_key(self, client: ClientModel):
        return self.server.keys.private

    def get_client_algorithm(self, client: ClientModel) -> str:
        return "RS256"

    def get_client_claims(self, client: ClientModel) -> dict[str, Any]:
        now = int(self.server.clock.time())
        lifetime = self.server.id_token_lifetime
        return {"iss": self.server.issuer, "aud": client.client_id, "iat": now, "nbf": now, "exp": now + lifetime}

    def generate_user_info(self, user: GrantUser, scope: str) -> dict[str, Any]:
        return {**user.profile(), "sid": user.global_session_id, "global_session_id": user.global_session_id,
                "auth_time": user.auth_time, "amr": ["pwd"]}


class GatewayOpenIDCode(_IdTokenClaims, OpenIDCode):
    """OIDC Core §3.1: an id_token on the code exchange when ``openid`` was granted (``nonce`` echoed, ``at_hash``)."""

    def __init__(self, server: GrantServer) -> None:
        _IdTokenClaims.__init__(self, server)
        OpenIDCode.__init__(self, require_nonce=False)

    def exists_nonce(self, nonce: str, request) -> bool:
        return self.server.bridge.run(self.server.store.nonce_exists(request.payload.client_id, nonce))


class GatewayOpenIDToken(_IdTokenClaims, OpenIDToken):
    """OIDC Core §12.2: a fresh id_token on refresh when ``openid`` was granted."""


class RefreshTokenGrant(rfc6749_grants.RefreshTokenGrant):
    """RFC 6749 §6 with rotation on every use (the store keeps the previous token for the grace period)."""

    TOKEN_ENDPOINT_AUTH_METHODS = _SECRET_OR_NONE
    INCLUDE_NEW_REFRESH_TOKEN = True
    server: GrantServer

    def _validate_token_scope(self, token) -> None:
        """Accept any ``scope`` parameter: it never changes the grant (xero-contract.md §1.2)."""

    def issue_token(self, user: GrantUser, refresh_token):
        return self.generate_token(user=user, scope=refresh_token.get_scope(),
                                   include_refresh_token=self.INCLUDE_NEW_REFRESH_TOKEN)

    def authenticate_refresh_token(self, refresh_token: str):
        return self.server.bridge.run(self.server.store.find_refresh_token(refresh_token, code=self.server.code))

    def authenticate_user(self, refresh_token) -> GrantUser:
        user = self.server.bridge.run(self.server.load_grant_user(refresh_token.auth_event_id))
        if user is None:
            raise InvalidGrantError("The user of this grant no longer exists.")
        return user

    def revoke_old_credential(self, refresh_token) -> None:
        self.server.bridge.run(self.server.store.mark_rotated(refresh_token.token_hash))


class ClientCredentialsGrant(rfc6749_grants.ClientCredentialsGrant):
    """RFC 6749 §4.4 for custom connections (one tenant of one source; no refresh token)."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


class RevocationEndpoint(_RevocationEndpoint):
    """RFC 7009 for refresh tokens: revoking one revokes its whole authorisation and removes its connections
    (xero-contract.md §1.3). Access tokens are self-contained JWTs; revoking one is a no-op (RFC 7009 §2.2)."""

    CLIENT_AUTH_METHODS = _SECRET_OR_NONE
    server: GrantServer

    def query_token(self, token_string: str, token_type_hint: str | None):
        return self.server.bridge.run(self.server.store.find_refresh_token(
            token_string, code=self.server.code, for_revocation=True))

    def revoke_token(self, token, request) -> None:
        self.server.bridge.run(self.server.store.revoke_auth_event(token.auth_event_id))

