"""OIDC discovery, JWKS and userinfo (xero-contract §1.5)."""

from __future__ import annotations

from authlib.oidc.discovery import OpenIDProviderMetadata
from joserfc import jwt
from joserfc.jwk import KeySet

from .fake_adapter import EMAIL, TENANT_A, USER_ID
from .helpers import claims_of


async def test_discovery_issuer_equals_token_iss_for_each_code(gw):
    for code in ("1000", "1004"):
        response = await gw.get("/.well-known/openid-configuration", code=code)
        assert response.status == 200
        doc = await response.json()
        OpenIDProviderMetadata(doc).validate()
        issuer = doc["issuer"]
        assert issuer == f"http://127.0.0.1:18080/{code}"
        assert doc["authorization_endpoint"] == f"{issuer}/identity/connect/authorize"
        assert doc["token_endpoint"] == f"{issuer}/connect/token"
        assert doc["userinfo_endpoint"] == f"{issuer}/connect/userinfo"
        assert doc["revocation_endpoint"] == f"{issuer}/connect/revocation"
        assert doc["jwks_uri"] == f"{issuer}/.well-known/openid-configuration/jwks"
        assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
        assert doc["token_endpoint_auth_methods_supported"] == ["client_secret_basic", "client_secret_post", "none"]
        assert doc["code_challenge_methods_supported"] == ["S256"]
        assert doc["response_types_supported"] == ["code"]
        assert {"authorization_code", "refresh_token", "client_credentials"} == set(doc["grant_types_supported"])
        assert {"openid", "offline_access", "accounting.transactions", "accounting.invoices"} <= set(
            doc["scopes_supported"])
    app, token = await gw.user_token()
    doc = await (await gw.get("/.well-known/openid-configuration")).json()
    assert claims_of(token["access_token"], gw.state)["iss"] == doc["issuer"]
    assert claims_of(token["id_token"], gw.state)["iss"] == doc["issuer"]


async def test_jwks_verifies_tokens_and_has_kid(gw):
    response = await gw.get("/.well-known/openid-configuration/jwks")
    jwks = await response.json()
    (key,) = jwks["keys"]
    assert key["kty"] == "RSA" and key["kid"] and key["alg"] == "RS256" and "d" not in key
    app, token = await gw.user_token()
    keyset = KeySet.import_key_set(jwks)
    for value in (token["access_token"], token["id_token"]):
        decoded = jwt.decode(value, keyset, algorithms=["RS256"])
        assert decoded.header["kid"] == key["kid"] and decoded.header["alg"] == "RS256"


async def test_userinfo(gw):
    app, token = await gw.user_token()
    response = await gw.get("/connect/userinfo", token["access_token"])
    assert response.status == 200
    assert await response.json() == {"sub": USER_ID, "xero_userid": USER_ID, "name": "Alice Example",
                                     "given_name": "Alice", "family_name": "Example",
                                     "preferred_username": EMAIL, "email": EMAIL}
    assert (await gw.get("/connect/userinfo")).status == 401
    _, no_openid = await gw.user_token(app, scope="accounting.transactions", tenants=[TENANT_A])
    assert (await gw.get("/connect/userinfo", no_openid["access_token"])).status == 403
