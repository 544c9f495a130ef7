"""Access tokens: issued by Authlib's RFC 9068 JWT generator, verified with joserfc.

Claims (xero-contract.md §1.5, after xero-node's ``XeroAccessToken`` type and Xero's docs): ``iss`` (the gateway's
issuer for the source code), ``aud`` ``https://identity.xero.com/resources``, ``iat``/``nbf``/``exp``, ``client_id``,
``sub``, ``auth_time``, ``xero_userid``, ``global_session_id``, ``jti``, ``authentication_event_id``, ``amr`` and
``scope`` as a JSON array. RS256 with the ``kid`` of the JWKS. Client-credentials tokens carry ``xero_userid`` =
the all-zero GUID and ``sub`` = the client id (RFC 9068 §2.2).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from authlib.oauth2.rfc6749 import scope_to_list
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwt import JWTClaimsRegistry

from .clock import Clock
from .keys import SigningKeys
from .records import ZERO_GUID, ClientModel, GrantUser

#: ``aud`` of Xero's access tokens (xero-contract.md §1.5); kept so that clients that check it keep working.
ACCESS_TOKEN_AUDIENCE = "https://identity.xero.com/resources"  # noqa: S105 - a URL, not a secret


def _new_refresh_token(**_: Any) -> str:
    return secrets.token_urlsafe(48)


class GatewayTokenGenerator(JWTBearerTokenGenerator):
    """Authlib's JWT access-token generator with Xero's claims, the gateway's key and clock.

    A refresh token is issued only when ``offline_access`` was granted (Xero: "refresh_token only with
    offline_access", xero-contract.md §1.2).

    Args:
        issuer: ``settings.issuer(code)``.
        keys: the signing keys.
        clock: source of ``iat``/``nbf``/``exp``.
        lifetime: access-token lifetime in seconds (``expires_in``).
    """

    def __init__(self, *, issuer: str, keys: SigningKeys, clock: Clock, lifetime: int) -> None:
        super().__init__(issuer=issuer, alg="RS256", refresh_token_generator=_new_refresh_token,
                         expires_generator=lifetime)
        self.keys = keys
        self.clock = clock
        self.lifetime = lifetime

    def get_jwks(self):
        return self.keys.private

    def get_audiences(self, client, user, scope) -> str:
        return ACCESS_TOKEN_AUDIENCE

    def get_jti(self, client, grant_type, user, scope) -> str:
        return uuid.uuid4().hex.upper()

    def get_auth_time(self, user: GrantUser | None) -> int | None:
        return user.auth_time if user is not None else None

    def get_amr(self, user: GrantUser | None) -> list[str] | None:
        return ["pwd"] if user is not None else None

    def get_extra_claims(self, client: ClientModel, grant_type: str, user: GrantUser | None, scope: str):
        now = int(self.clock.time())
        claims: dict[str, Any] = {"iat": now, "nbf": now, "exp": now + self.lifetime,
                                  "scope": scope_to_list(scope) or []}
        if user is not None:
            claims.update(xero_userid=user.xero_userid, global_session_id=user.global_session_id,
                          authentication_event_id=user.auth_event_id)
        else:
            claims.update(xero_userid=ZERO_GUID, global_session_id=uuid.uuid4().hex, auth_time=now,
                          authentication_event_id=client.custom_auth_event_id or ZERO_GUID)
        return claims

    def generate(self, grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=True):
        include_refresh_token = include_refresh_token and "offline_access" in (scope_to_list(scope) or [])
        return super().generate(grant_type, client, user=user, scope=scope, expires_in=expires_in,
                                include_refresh_token=include_refresh_token)


class InvalidAccessToken(Exception):
    """The bearer token is not one of this gateway's access tokens for this source (bad signature, issuer,
    audience, malformed…)."""


class ExpiredAccessToken(InvalidAccessToken):
    """The bearer token is valid but past its ``exp``.

    Attributes:
        expired_at: ``exp`` as aware UTC.
    """

    def __init__(self, expired_at: datetime) -> None:
        super().__init__("access token expired")
        self.expired_at = expired_at


def verify_access_token(value: str, *, keys: SigningKeys, issuer: str, now: float) -> dict[str, Any]:
    """Verify an access token and return its claims.

    Checks (RFC 9068 §4): RS256 signature by the gateway's key, ``iss`` == ``issuer``, ``aud`` ==
    :data:`ACCESS_TOKEN_AUDIENCE`, ``exp``/``nbf`` against ``now``, and presence of ``client_id``, ``sub``,
    ``authentication_event_id`` and an array ``scope``.

    Args:
        value: the compact JWT.
        keys: the gateway's keys.
        issuer: ``settings.issuer(code)`` of the source being called.
        now: epoch seconds.

    Raises:
        ExpiredAccessToken: past ``exp``.
        InvalidAccessToken: anything else wrong.
    """
    try:
        token = jwt.decode(value, keys.public, algorithms=["RS256"])
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise InvalidAccessToken("undecodable token") from exc
    claims = token.claims
    registry = JWTClaimsRegistry(
        now=int(now), iss={"essential": True, "value": issuer}, aud={"essential": True, "value": ACCESS_TOKEN_AUDIENCE},
        exp={"essential": True}, client_id={"essential": True}, sub={"essential": True},
        authentication_event_id={"essential": True})
    try:
        registry.validate(claims)
    except ExpiredTokenError as exc:
        raise ExpiredAccessToken(datetime.fromtimestamp(int(claims["exp"]), UTC)) from exc
    except (JoseError, ValueError, TypeError) as exc:
        raise InvalidAccessToken("invalid claims") from exc
    if not isinstance(claims.get("scope"), list):
        raise InvalidAccessToken("scope must be an array")
    return claims
