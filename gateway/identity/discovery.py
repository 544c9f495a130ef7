"""OpenID Connect discovery, JWKS and userinfo (OIDC Discovery 1.0 §3, RFC 7517, OIDC Core §5.3).

The ``issuer`` is ``settings.issuer(code)`` (``{public_url}/{code}``), the same as the tokens' ``iss``: openid-client
(xero-node) checks that they match (xero-contract.md §1.5). Endpoints keep Xero's paths under that issuer.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from gateway.appkeys import IDENTITY
from gateway.xero.errors import Forbidden, Unauthorized

from .bearer import AUTHENTICATION_UNSUCCESSFUL, authenticate_bearer
from .records import xero_userid
from .state import IdentityState

CLAIMS_SUPPORTED = [
    "sub", "iss", "aud", "exp", "iat", "nbf", "auth_time", "nonce", "at_hash", "sid", "amr", "email",
    "preferred_username", "given_name", "family_name", "name", "xero_userid", "global_session_id",
]


def discovery_document(state: IdentityState, code: str, *, issuer: str | None = None,
                       login: str | None = None) -> dict[str, Any]:
    """The OpenID Provider metadata of source ``code``.

    Args:
        state: the identity state.
        code: the source code.
        issuer: the issuer; default ``settings.issuer(code)`` (host mode: ``https://identity.xero.com``).
        login: base URL of the authorization endpoint; default the issuer (host mode: ``https://login.xero.com``,
            as in Xero's own document).
    """
    issuer = issuer or state.settings.issuer(code)
    return {
        "issuer": issuer,
        "authorization_endpoint": f"{login or issuer}/identity/connect/authorize",
        "token_endpoint": f"{issuer}/connect/token",
        "userinfo_endpoint": f"{issuer}/connect/userinfo",
        "revocation_endpoint": f"{issuer}/connect/revocation",
        "jwks_uri": f"{issuer}/.well-known/openid-configuration/jwks",
        "scopes_supported": list(state.scopes.known),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": CLAIMS_SUPPORTED,
        "request_parameter_supported": False,
    }


def _json(body: Any, *, cache: str) -> web.Response:
    return web.Response(text=json.dumps(body), content_type="application/json", charset="utf-8",
                        headers={"Cache-Control": cache})


async def openid_configuration(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /{code}/.well-known/openid-configuration``."""
    return _json(discovery_document(request.app[IDENTITY], code), cache="public, max-age=3600")


async def jwks(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /{code}/.well-known/openid-configuration/jwks``: the public signing key with its ``kid``."""
    return _json(request.app[IDENTITY].keys.jwks, cache="public, max-age=3600")


async def userinfo(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /{code}/connect/userinfo`` → ``{sub, xero_userid, name, given_name, family_name, preferred_username,
    email}`` (xero-contract.md §1.5).

    Raises:
        Unauthorized: invalid token (see :func:`gateway.identity.bearer.authenticate_bearer`), or its user is gone.
        Forbidden: ``AuthorizationUnsuccessful`` when the token has no user or lacks the ``openid`` scope
            (OIDC Core §5.3).
    """
    state = request.app[IDENTITY]
    principal = await authenticate_bearer(request, code, fresh=True)
    if principal.user_id is None or "openid" not in principal.scopes:
        raise Forbidden("AuthorizationUnsuccessful")
    user = await state.servers[code].lookup_user(source_code=code, user_id=principal.user_id,
                                                 auth_event_id=principal.auth_event_id)
    if user is None:
        raise Unauthorized(AUTHENTICATION_UNSUCCESSFUL)
    name = " ".join(p for p in (user.given_name, user.family_name) if p) or user.email
    return _json({"sub": user.user_id, "xero_userid": xero_userid(user.user_id), "name": name,
                  "given_name": user.given_name, "family_name": user.family_name,
                  "preferred_username": user.email, "email": user.email}, cache="no-store")
