"""Intuit's OAuth 2.0 as the emulator runs it: authorize → code → token → refresh rotation → revoke."""

from __future__ import annotations

import pytest

from emulators.qbo.state import STATE
from tests.emulators.qbo.conftest import CLIENT_ID, REDIRECT_URI, authorize, basic, connect, exchange


async def company_info(client, realm_id: str, token: str):
    return await client.get(f"/v3/company/{realm_id}/companyinfo/{1}",
                            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})


async def refresh(client, refresh_token: str, *, headers: dict | None = None):
    return await client.post("/oauth2/v1/tokens/bearer", data={"grant_type": "refresh_token",
                                                                "refresh_token": refresh_token},
                             headers={"Authorization": basic(), **(headers or {})})


async def test_dance_end_to_end(client):
    callback = await authorize(client, state="xyz")
    assert callback["state"] == "xyz"
    assert callback["realmId"] == client.server.app[STATE].store.default_realm_id
    response = await exchange(client, callback["code"])
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    tokens = await response.json()
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 3600
    assert tokens["x_refresh_token_expires_in"] == 100 * 86400
    assert "x_refresh_token_hard_expires_in" not in tokens
    assert (await company_info(client, callback["realmId"], tokens["access_token"])).status == 200

    # refresh: a new pair; the used refresh token is retired; the rolling expiry starts again
    rotated = await (await refresh(client, tokens["refresh_token"])).json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    assert rotated["access_token"] != tokens["access_token"]
    assert rotated["x_refresh_token_expires_in"] == 100 * 86400
    again = await refresh(client, tokens["refresh_token"])
    assert again.status == 400
    assert (await again.json())["error"] == "invalid_grant"
    assert (await company_info(client, callback["realmId"], rotated["access_token"])).status == 200

    # revoke the refresh token: the grant ends, access tokens included
    revoked = await client.post("/v2/oauth2/tokens/revoke", json={"token": rotated["refresh_token"]},
                                headers={"Authorization": basic(), "Accept": "application/json"})
    assert revoked.status == 200
    after = await company_info(client, callback["realmId"], rotated["access_token"])
    assert after.status == 401
    body = await after.json()
    assert body["fault"]["type"] == "AUTHENTICATION"
    assert body["fault"]["error"][0]["code"] == "3200"
    assert (await refresh(client, rotated["refresh_token"])).status == 400


async def test_code_is_single_use_and_bound_to_redirect_uri(client):
    callback = await authorize(client)
    wrong = await client.post("/oauth2/v1/tokens/bearer", data={
        "grant_type": "authorization_code", "code": callback["code"], "redirect_uri": REDIRECT_URI + "/other"},
        headers={"Authorization": basic()})
    assert wrong.status == 400
    assert (await wrong.json())["error"] == "invalid_grant"
    callback = await authorize(client)
    assert (await exchange(client, callback["code"])).status == 200
    reused = await exchange(client, callback["code"])
    assert reused.status == 400
    assert (await reused.json())["error"] == "invalid_grant"


async def test_client_authentication(client):
    callback = await authorize(client)
    bad = await client.post("/oauth2/v1/tokens/bearer", data={
        "grant_type": "authorization_code", "code": callback["code"], "redirect_uri": REDIRECT_URI},
        headers={"Authorization": basic(secret="wrong")})
    assert bad.status == 401
    assert (await bad.json())["error"] == "invalid_client"
    missing = await client.post("/oauth2/v1/tokens/bearer", data={
        "grant_type": "authorization_code", "code": callback["code"], "redirect_uri": REDIRECT_URI})
    assert missing.status in (400, 401)
    assert (await missing.json())["error"] == "invalid_client"


async def test_unknown_client_at_authorize(client):
    response = await client.get("/connect/oauth2", params={
        "client_id": "nobody", "response_type": "code", "scope": "com.intuit.quickbooks.accounting",
        "redirect_uri": REDIRECT_URI, "state": "s"}, allow_redirects=False)
    assert response.status in (400, 401)
    assert (await response.json())["error"] == "invalid_client"


async def test_hard_expiry_on_request_header(client):
    callback = await authorize(client)
    tokens = await (await exchange(client, callback["code"], headers={
        "x-include-refresh-token-hard-expires-in": "true"})).json()
    assert tokens["x_refresh_token_hard_expires_in"] == 5 * 365 * 86400


@pytest.mark.parametrize("emulator_config", [{
    "clients": [{"client_id": CLIENT_ID, "client_secret": "emulator-test-secret"}],
    "access_token_lifetime": 60, "refresh_token_lifetime": 600, "refresh_token_hard_lifetime": 900}])
async def test_configured_lifetimes_expire(client):
    qbo = await connect(client)
    state = qbo.state
    assert (await company_info(client, qbo.realm_id, qbo.access_token)).status == 200
    state.clock.advance(61)
    expired = await company_info(client, qbo.realm_id, qbo.access_token)
    assert expired.status == 401
    assert "Token expired" in (await expired.json())["fault"]["error"][0]["detail"]
    renewed = await (await refresh(client, qbo.refresh_token)).json()
    assert renewed["expires_in"] == 60
    # the rolling refresh expiry never passes the hard expiry of the grant
    state.clock.advance(500)
    last = await (await refresh(client, renewed["refresh_token"])).json()
    assert last["x_refresh_token_expires_in"] <= 900 - 561
    state.clock.advance(400)
    assert (await refresh(client, last["refresh_token"])).status == 400


async def test_admin_expires_access_tokens(client):
    qbo = await connect(client)
    expired = await client.post("/_emulator/tokens/expire")
    assert (await expired.json())["expired"] == 1
    assert (await company_info(client, qbo.realm_id, qbo.access_token)).status == 401


@pytest.mark.parametrize("emulator_config", [{}])
async def test_open_registration_binds_first_secret(client):
    callback = await authorize(client)
    assert (await exchange(client, callback["code"])).status == 200
    callback = await authorize(client)
    other = await client.post("/oauth2/v1/tokens/bearer", data={
        "grant_type": "authorization_code", "code": callback["code"], "redirect_uri": REDIRECT_URI},
        headers={"Authorization": basic(secret="another")})
    assert other.status == 401


async def test_token_of_another_company_is_refused(client):
    qbo = await connect(client)
    response = await client.get("/v3/company/1234/companyinfo/1",
                                headers={"Authorization": f"Bearer {qbo.access_token}"})
    assert response.status == 403
    assert (await response.json())["Fault"]["type"] == "AuthorizationFault"


async def test_discovery_document(client):
    doc = await (await client.get("/.well-known/openid_configuration")).json()
    assert doc["authorization_endpoint"].endswith("/connect/oauth2")
    assert doc["token_endpoint"].endswith("/oauth2/v1/tokens/bearer")
    assert doc["revocation_endpoint"].endswith("/v2/oauth2/tokens/revoke")
