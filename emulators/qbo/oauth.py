"""Intuit's OAuth 2.0 server as QBO apps meet it: the common emulator server (:mod:`emulators.common.oauth`) with
Intuit's rules.

Endpoints (paths mirror Intuit's; discovery document: samples/platform/OAuth2.json):

- ``GET /connect/oauth2?client_id&response_type=code&scope&redirect_uri&state``: approves at once and redirects to
  ``redirect_uri?code=…&state=…&realmId=…`` (Intuit's callback carries ``realmId``; upstream-contracts.md §1). A
  grant belongs to the company (realm), the emulator's default realm.
- ``POST /oauth2/v1/tokens/bearer``: ``authorization_code`` and ``refresh_token`` grants, client authentication
  ``client_secret_basic`` (or ``client_secret_post``; both are in Intuit's discovery document). Success::

      {"token_type": "bearer", "access_token", "expires_in": 3600, "refresh_token",
       "x_refresh_token_expires_in": 8640000}

  (OAuth2.json ``token_response_*``). Refresh tokens rotate on every use and the rolling expiry starts again; the
  five-year hard expiry (Intuit blog 2025-11-12) caps the rolling one and is reported as
  ``x_refresh_token_hard_expires_in`` when the request carries ``x-include-refresh-token-hard-expires-in: true``
  (field and header as Intuit's SDKs name them; unconfirmed against the live service). Errors are RFC 6749 §5.2
  JSON, e.g. ``{"error": "invalid_grant", "error_description": …}`` (OAuth2.json ``token_error_response``).
- ``POST /v2/oauth2/tokens/revoke``: JSON ``{"token": …}`` (or a form) with Basic client authentication; revoking
  a refresh or access token ends the whole grant. 200 on success.
- ``GET /.well-known/openid_configuration``: the discovery document with this emulator's URLs.

Access and refresh tokens are opaque random strings held in memory (the emulator never signs anything).
"""

from __future__ import annotations

import secrets
from typing import Any

from aiohttp import web
from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oauth2.rfc6749.util import extract_basic_authorization

from emulators.common import oauth
from emulators.common.oauth import Grant, Token

ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"
SCOPES = (ACCOUNTING_SCOPE, "com.intuit.quickbooks.payment", "openid", "profile", "email", "phone", "address")
AUTHORIZE_PATH = "/connect/oauth2"
TOKEN_PATH = "/oauth2/v1/tokens/bearer"  # noqa: S105 - a URL path, not a secret
REVOKE_PATH = "/v2/oauth2/tokens/revoke"
HARD_EXPIRY_HEADER = "x-include-refresh-token-hard-expires-in"


class IntuitAuthorizationServer(oauth.EmulatorAuthorizationServer):
    """Intuit's rules: grants of a realm, a hard refresh-token expiry, Basic or form client authentication.

    Args:
        config: the QBO emulator's settings (:class:`~emulators.qbo.config.EmulatorConfig`).
        clock: the emulator's clock.
        owner: the default realm id: every grant is for that company.
    """

    SCOPES = SCOPES
    AUTH_METHODS = ("client_secret_basic", "client_secret_post")
    JSON_BODIES = True  # the revocation endpoint takes {"token": …}

    def start_grant(self, grant: Grant) -> Grant:
        """The refresh chain of a new grant ends ``refresh_token_hard_lifetime`` after the first grant at most."""
        grant.hard_expires_at = self.store.clock.time() + self.store.config.refresh_token_hard_lifetime
        return grant

    def new_token_value(self, kind: str) -> str:
        """Opaque strings; the ``RT1-`` prefix marking a refresh token is the emulator's choice, not Intuit's."""
        return secrets.token_urlsafe(48) if kind == "access" else "RT1-" + secrets.token_urlsafe(36)

    def token_response(self, grant: Grant, access: Token, refresh: Token, request: OAuth2Request,
                       now: float) -> dict[str, Any]:
        """OAuth2.json ``token_response_*`` members; the hard expiry only when the request header asks for it."""
        body = {"token_type": "bearer", "access_token": access.value,
                "expires_in": self.store.config.access_token_lifetime, "refresh_token": refresh.value,
                "x_refresh_token_expires_in": round(refresh.expires_at - now)}
        if str(request.headers.get(HARD_EXPIRY_HEADER, "")).lower() == "true" and grant.hard_expires_at is not None:
            body["x_refresh_token_hard_expires_in"] = round(grant.hard_expires_at - now)
        return body

    def client_secret(self, request: OAuth2Request, client_id: str) -> str | None:
        """The form's secret, else that of an ``Authorization: Basic`` header naming ``client_id`` (RFC 6749 §2.3.1)."""
        if request.form.get("client_secret"):
            return request.form["client_secret"]
        user, secret = extract_basic_authorization(request.headers)
        return secret if user == client_id else None

    def callback_params(self, owner: str) -> dict[str, str]:
        """Intuit's callback names the company: ``realmId``."""
        return {"realmId": owner}


async def discovery(request: web.Request) -> web.StreamResponse:
    """``GET /.well-known/openid_configuration``: Intuit's document (OAuth2.json) with this emulator's URLs."""
    base = f"{request.scheme}://{request.host}"
    return oauth.json_response(200, {
        "issuer": f"{base}/op/v1",
        "authorization_endpoint": f"{base}{AUTHORIZE_PATH}",
        "token_endpoint": f"{base}{TOKEN_PATH}",
        "revocation_endpoint": f"{base}{REVOKE_PATH}",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "scopes_supported": list(SCOPES),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
    })


def add_routes(app: web.Application, server: IntuitAuthorizationServer) -> None:
    """Serve ``server`` at Intuit's authorize, token and revoke paths, and the discovery document."""
    oauth.add_routes(app, server, authorize_path=AUTHORIZE_PATH, token_path=TOKEN_PATH, revoke_path=REVOKE_PATH)
    app.router.add_get("/.well-known/openid_configuration", discovery)
