"""``verify_access_token`` as a unit: issuer, audience, expiry, signature."""

from __future__ import annotations

import time

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from gateway.identity.keys import SigningKeys
from gateway.identity.tokens import (
    ACCESS_TOKEN_AUDIENCE,
    ExpiredAccessToken,
    InvalidAccessToken,
    verify_access_token,
)

ISSUER = "http://127.0.0.1:18080/1000"


@pytest.fixture(scope="module")
def keys(signing_pem) -> SigningKeys:
    return SigningKeys(RSAKey.import_key(signing_pem, parameters={"use": "sig", "alg": "RS256"}))


def sign(keys: SigningKeys, **overrides) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": ACCESS_TOKEN_AUDIENCE, "iat": now, "nbf": now, "exp": now + 1800,
              "client_id": "C", "sub": "U", "authentication_event_id": "E", "scope": ["openid"], **overrides}
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode({"alg": "RS256"}, claims, keys.private)


def test_valid_token(keys):
    assert verify_access_token(sign(keys), keys=keys, issuer=ISSUER, now=time.time())["client_id"] == "C"


@pytest.mark.parametrize("overrides", [
    {"iss": "http://127.0.0.1:18080/1001"},
    {"aud": "C"},
    {"client_id": None},
    {"authentication_event_id": None},
    {"scope": "openid"},
])
def test_invalid_claims(keys, overrides):
    with pytest.raises(InvalidAccessToken):
        verify_access_token(sign(keys, **overrides), keys=keys, issuer=ISSUER, now=time.time())


def test_expired(keys):
    token = sign(keys, exp=1_700_000_000)
    with pytest.raises(ExpiredAccessToken) as err:
        verify_access_token(token, keys=keys, issuer=ISSUER, now=time.time())
    assert int(err.value.expired_at.timestamp()) == 1_700_000_000


def test_foreign_key_and_garbage(keys):
    other = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True)
    other.ensure_kid()
    forged = jwt.encode({"alg": "RS256", "kid": keys.kid}, {"iss": ISSUER}, other)
    for value in (forged, "not.a.jwt", ""):
        with pytest.raises(InvalidAccessToken):
            verify_access_token(value, keys=keys, issuer=ISSUER, now=time.time())
    unsigned = jwt.encode({"alg": "HS256"}, {"iss": ISSUER}, OctKey.import_key(b"x" * 32),
                          algorithms=["HS256"])
    with pytest.raises(InvalidAccessToken):
        verify_access_token(unsigned, keys=keys, issuer=ISSUER, now=time.time())
