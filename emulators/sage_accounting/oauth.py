"""Sage's OAuth 2.0 server as apps meet it: the common emulator server (:mod:`emulators.common.oauth`) with Sage's
rules.

Endpoints (upstream-contracts.md §2 "OAuth 2.0"; developer.sage.com Authentication guide and "Frequently Raised
Errors"):

- ``GET /oauth2/auth/central?filter=apiv3.1&client_id&response_type=code&redirect_uri&scope&state[&country&locale]``
  (Sage: ``https://www.sageone.com/oauth2/auth/central?filter=apiv3.1``): the user approves at once; the browser is
  redirected to ``redirect_uri?code=…&state=…``. ``scope`` is ``full_access`` or ``readonly`` (``full_access`` when
  absent: unconfirmed default); ``filter``, ``country`` and ``locale`` are accepted and ignored. A grant belongs to
  the emulator's single user (``/user``).
- ``POST /token`` (Sage: ``https://oauth.accounting.sage.com/token``), a form body with ``client_id`` and
  ``client_secret`` (client_secret_post; Sage documents no Basic authentication): ``authorization_code`` and
  ``refresh_token`` grants. Success (Sage's documented members)::

      {"access_token", "expires_in": 300, "token_type": "bearer", "refresh_token",
       "refresh_token_expires_in": 2678400, "scope": "full_access", "requested_by_id": "<user id>"}

  The authorisation code is single-use and lives 60 seconds; refresh tokens rotate on every use and a used one
  fails. Errors are ``{"error": "invalid_grant"}`` with HTTP 400 (the documented body; Authlib's
  ``error_description`` is not sent), ``invalid_client`` 401 and so on (RFC 6749 §5.2).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from authlib.oauth2.rfc6749 import OAuth2Request

from emulators.common import oauth
from emulators.common.oauth import Grant, Token

SCOPES = ("full_access", "readonly")
DEFAULT_SCOPE = "full_access"
AUTHORIZE_PATH = "/oauth2/auth/central"
TOKEN_PATH = "/token"  # noqa: S105 - a URL path, not a secret


class SageAuthorizationServer(oauth.EmulatorAuthorizationServer):
    """Sage's rules: grants of the user, ``full_access`` by default, the client secret in the form body only.

    Args:
        config: the Sage emulator's settings (:class:`~emulators.sage_accounting.config.EmulatorConfig`).
        clock: the emulator's clock.
        owner: the user id every grant belongs to (``requested_by_id``).
    """

    SCOPES = SCOPES
    DEFAULT_SCOPE = DEFAULT_SCOPE
    AUTH_METHODS = ("client_secret_post",)

    def token_response(self, grant: Grant, access: Token, refresh: Token, request: OAuth2Request,
                       now: float) -> dict[str, Any]:
        """Sage's documented token members, ``scope`` and ``requested_by_id`` (the user) included."""
        config = self.store.config
        return {"access_token": access.value, "expires_in": config.access_token_lifetime, "token_type": "bearer",
                "refresh_token": refresh.value, "refresh_token_expires_in": config.refresh_token_lifetime,
                "scope": grant.scope, "requested_by_id": grant.owner}

    def error_body(self, body: dict[str, Any]) -> dict[str, Any]:
        """Sage's documented error body has ``error`` only."""
        return {"error": body.get("error", "invalid_request")}


def add_routes(app: web.Application, server: SageAuthorizationServer) -> None:
    """Serve ``server`` at Sage's authorize and token paths (no revocation endpoint is emulated)."""
    oauth.add_routes(app, server, authorize_path=AUTHORIZE_PATH, token_path=TOKEN_PATH)
