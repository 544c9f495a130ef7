"""Bearer-token authentication shared by the Accounting API guard, ``/connections`` and ``/connect/userinfo``.

A token is accepted when its signature, ``iss`` (this source's issuer), ``aud`` and ``exp`` verify
(:func:`~.tokens.verify_access_token`), its app is still enabled and its authorisation event is still live (revoking a
refresh token or an app ends its access tokens at once). Errors are Xero's ProblemDetails
(xero-contract.md §3): ``Unauthorized("AuthenticationUnsuccessful")`` or ``Unauthorized("TokenExpired: token expired
at MM/DD/YYYY HH:MM:SS")``.

A token that verified is remembered until its ``exp``, and the app status and authorisation event are read through
the identity cache (:mod:`.cache`), which every revocation empties: a steady-state call reads no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from gateway.appkeys import IDENTITY
from gateway.xero.errors import Unauthorized

from .state import request_issuer
from .tokens import ExpiredAccessToken, InvalidAccessToken, verify_access_token

AUTHENTICATION_UNSUCCESSFUL = "AuthenticationUnsuccessful"


@dataclass(frozen=True)
class Principal:
    """The verified caller.

    Attributes:
        user_id: the adapter's user id (token ``sub``); ``None`` for a custom connection.
        custom_tenant_id: the one tenant of a custom connection.
        scopes: the token's scopes.
    """

    code: str
    client_id: str
    app_name: str
    custom_connection: bool
    custom_tenant_id: str | None
    user_id: str | None
    auth_event_id: str
    scopes: frozenset[str]
    claims: dict[str, Any]


def _bearer(request: web.Request) -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    value = value.strip()
    return value if scheme.lower() == "bearer" and value else None


async def authenticate_bearer(request: web.Request, code: str, *, fresh: bool = False) -> Principal:
    """Verify the request's ``Authorization: Bearer`` access token for source ``code``.

    Args:
        request: the aiohttp request.
        code: the source code from the URL.
        fresh: read the app and the authorisation from the database rather than the cache: the identity
            endpoints (``/connections``, ``/connect/userinfo``) are called rarely and must see a revocation made by
            another process at once; the Accounting API, called all the time, accepts the cache's bound.

    Returns:
        The :class:`Principal`.

    Raises:
        Unauthorized: no token, a token that does not verify, an expired token (``TokenExpired: …``), a disabled
            app or a revoked authorisation.
    """
    state = request.app[IDENTITY]
    token = _bearer(request)
    if token is None:
        raise Unauthorized(AUTHENTICATION_UNSUCCESSFUL)
    issuer = request_issuer(request, state.settings, code)
    cache = state.store.cache
    key = cache.token_key(token, issuer)
    claims = cache.tokens.get(key)
    if claims is None:
        try:
            claims = verify_access_token(token, keys=state.keys, issuer=issuer, now=state.clock.time())
        except ExpiredAccessToken as exc:
            raise Unauthorized(f"TokenExpired: token expired at {exc.expired_at:%m/%d/%Y %H:%M:%S}") from None
        except InvalidAccessToken:
            raise Unauthorized(AUTHENTICATION_UNSUCCESSFUL) from None
        cache.tokens[key] = claims
    client_id = str(claims["client_id"])
    status = await state.store.client_status(client_id, fresh=fresh)
    event = await state.store.get_auth_event(str(claims["authentication_event_id"]), fresh=fresh)
    if (status is None or event is None or event.revoked or event.client_id != client_id
            or event.source_code != code):
        raise Unauthorized(AUTHENTICATION_UNSUCCESSFUL)
    app_name, custom, tenant_id = status
    if not custom and event.user_id != claims.get("sub"):
        raise Unauthorized(AUTHENTICATION_UNSUCCESSFUL)
    return Principal(code=code, client_id=client_id, app_name=app_name, custom_connection=custom,
                     custom_tenant_id=tenant_id if custom else None, user_id=None if custom else event.user_id,
                     auth_event_id=event.id, scopes=frozenset(str(s) for s in claims["scope"]), claims=claims)
