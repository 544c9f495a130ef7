"""The gateway as an OAuth 2.0 client of a source system: Authlib's ``AsyncOAuth2Client`` (httpx2 transport).

Only glue lives here (RFC 6749 grant logic is Authlib's):

- :func:`authorization_url`: the upstream authorize redirect (RFC 6749 §4.1.1, Authlib's ``prepare_grant_uri``):
  ``client_id``, ``response_type=code``, ``redirect_uri`` (``{issuer}/callback``), ``scope``, ``state``; parameters
  already in the registered URL (Sage's ``filter=apiv3.1``) are kept.
- :func:`exchange_code` and :func:`refresh`: the token requests (§4.1.3, §6) with the client authentication the
  source documents (QBO: HTTP Basic; Sage: ``client_id``/``client_secret`` in the form body).
- :func:`issued_tokens`: a token response (§5.1) → :class:`IssuedTokens` with absolute expiry times.

Token requests are never retried: a refresh token rotates on use (QBO and Sage both rotate, upstream-contracts.md
§1 and §2), so a replay after a lost answer would only fail with ``invalid_grant``. Nothing here logs a secret or a
token.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx2
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri

from .errors import UpstreamGrantInvalid, UpstreamTokenError
from .registry import Registration

#: Seconds a token request may take (connect + read), below the refresh lease of :mod:`.tokens`.
DEFAULT_TIMEOUT = 20.0
#: Access-token lifetime assumed when a token response has no ``expires_in`` (RFC 6749 §5.1 makes it optional).
DEFAULT_EXPIRES_IN = 3600
#: Token-response members that are credentials: never handed on, never stored in clear.
SECRET_MEMBERS = frozenset({"access_token", "refresh_token"})


@dataclass(frozen=True)
class IssuedTokens:
    """A successful token response.

    Attributes:
        expires_at: when the access token expires (aware UTC).
        refresh_expires_at: when the refresh token expires, when the response says so.
        response: the response's other members (``id_token``, ``x_refresh_token_expires_in``,
            ``requested_by_id``…), for the adapter's hooks; never stored.
    """

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    token_type: str
    scope: str
    expires_at: datetime
    refresh_expires_at: datetime | None
    response: Mapping[str, Any]


def _client(reg: Registration, timeout: float) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(client_id=reg.client_id, client_secret=reg.client_secret,
                             token_endpoint_auth_method=reg.token_endpoint_auth_method,
                             redirect_uri=reg.redirect_uri, timeout=httpx2.Timeout(timeout))


def authorization_url(reg: Registration, *, state: str, scope: Sequence[str]) -> str:
    """The URL to send the browser to for the upstream consent.

    Args:
        reg: the source's registration.
        state: the fresh opaque value bound to the pending authorization (RFC 6749 §10.12).
        scope: upstream scopes, space-joined on the wire.
    """
    return prepare_grant_uri(reg.authorize_url, reg.client_id, "code", redirect_uri=reg.redirect_uri,
                             scope=list(scope), state=state)


async def _token_request(reg: Registration, call, http_timeout: float) -> dict[str, Any]:
    try:
        async with _client(reg, http_timeout) as client:
            token = await call(client)
    except OAuthError as exc:
        if exc.error == "invalid_grant":
            raise UpstreamGrantInvalid(f"source {reg.code}: the token endpoint answered invalid_grant") from None
        raise UpstreamTokenError(f"source {reg.code}: the token endpoint answered {exc.error}") from None
    except (httpx2.HTTPError, ValueError) as exc:
        raise UpstreamTokenError(f"source {reg.code}: token request failed ({type(exc).__name__})") from None
    if not isinstance(token, Mapping) or not isinstance(token.get("access_token"), str) or not token["access_token"]:
        raise UpstreamTokenError(f"source {reg.code}: the token response has no access_token")
    return dict(token)


async def exchange_code(reg: Registration, *, code: str, http_timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """Exchange an upstream authorization code (RFC 6749 §4.1.3) at ``reg.token_url``.

    Returns:
        The token response (JSON object with at least ``access_token``).

    Raises:
        UpstreamGrantInvalid: ``invalid_grant`` (code expired, reused, or issued for another redirect URI).
        UpstreamTokenError: any other failure (transport, HTTP 5xx, OAuth error, not a token response).
    """
    return await _token_request(reg, lambda c: c.fetch_token(
        reg.token_url, grant_type="authorization_code", code=code, redirect_uri=reg.redirect_uri), http_timeout)


async def refresh(reg: Registration, *, refresh_token: str, http_timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """Refresh an access token (RFC 6749 §6) at ``reg.token_url``.

    Raises:
        UpstreamGrantInvalid: ``invalid_grant`` (refresh token expired, revoked or already rotated).
        UpstreamTokenError: any other failure.
    """
    return await _token_request(
        reg, lambda c: c.refresh_token(reg.token_url, refresh_token=refresh_token), http_timeout)


def _seconds(value: Any) -> int | None:
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds >= 0 else None


def issued_tokens(token: Mapping[str, Any], *, reg: Registration, now: datetime) -> IssuedTokens:
    """Read a token response (RFC 6749 §5.1).

    ``expires_in`` gives the access token's lifetime (default :data:`DEFAULT_EXPIRES_IN`); the refresh token's comes
    from the first of ``reg.refresh_token_expires_in`` present (QBO ``x_refresh_token_expires_in``, Sage
    ``refresh_token_expires_in``; upstream-contracts.md §1, §2).
    """
    expires_in = _seconds(token.get("expires_in"))
    refresh_in = next((s for s in (_seconds(token.get(f)) for f in reg.refresh_token_expires_in) if s is not None),
                      None)
    refresh_token = token.get("refresh_token")
    return IssuedTokens(
        access_token=str(token["access_token"]),
        refresh_token=refresh_token if isinstance(refresh_token, str) and refresh_token else None,
        token_type=str(token.get("token_type") or "Bearer"), scope=str(token.get("scope") or ""),
        expires_at=now + timedelta(seconds=DEFAULT_EXPIRES_IN if expires_in is None else expires_in),
        refresh_expires_at=None if refresh_in is None else now + timedelta(seconds=refresh_in),
        response={k: v for k, v in token.items() if k not in SECRET_MEMBERS})
