"""Sage's OAuth 2.0 as the emulator runs it: authorize → code → token → refresh rotation → reuse fails → expiry."""

from __future__ import annotations

import base64

import pytest

from emulators.sage_accounting import create_app
from emulators.sage_accounting.state import STATE
from tests.emulators.sage_accounting.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    REDIRECT_URI,
    authorize,
    connect,
    exchange,
    refresh,
)


async def whoami(client, token: str):
    return await client.get("/v3.1/user", headers={"Authorization": f"Bearer {token}"})


async def test_dance_rotation_and_reuse(client):
    callback = await authorize(client, state="xyz")
    assert callback["state"] == "xyz"
    assert set(callback) == {"code", "state"}
    response = await exchange(client, callback["code"])
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    tokens = await response.json()
    user_id = client.server.app[STATE].store.user["id"]
    assert tokens["expires_in"] == 300
    assert tokens["refresh_token_expires_in"] == 2678400
    assert tokens["token_type"] == "bearer"
    assert tokens["scope"] == "full_access"
    assert tokens["requested_by_id"] == user_id
    assert (await whoami(client, tokens["access_token"])).status == 200

    rotated_response = await refresh(client, tokens["refresh_token"])
    assert rotated_response.status == 200
    rotated = await rotated_response.json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    assert rotated["access_token"] != tokens["access_token"]
    reused = await refresh(client, tokens["refresh_token"])
    assert reused.status == 400
    assert await reused.json() == {"error": "invalid_grant"}  # Sage's documented body, nothing more
    assert (await whoami(client, rotated["access_token"])).status == 200
    again = await refresh(client, rotated["refresh_token"])
    assert again.status == 200


async def test_access_token_expires_after_300_seconds(client):
    sage = await connect(client)
    state = client.server.app[STATE]
    assert (await whoami(client, sage.access_token)).status == 200
    state.clock.advance(299)
    assert (await whoami(client, sage.access_token)).status == 200
    state.clock.advance(2)
    expired = await whoami(client, sage.access_token)
    assert expired.status == 401
    body = await expired.json()
    assert body[0]["$dataCode"] == "AuthorizationFailure"
    assert set(body[0]) == {"$severity", "$dataCode", "$message", "$source"}
    fresh = await (await refresh(client, sage.refresh_token)).json()
    assert (await whoami(client, fresh["access_token"])).status == 200


async def test_expiry_hook_and_refresh_token_lifetime(client):
    sage = await connect(client)
    expired = await client.post("/_emulator/tokens/expire")
    assert (await expired.json())["expired"] >= 1
    assert (await whoami(client, sage.access_token)).status == 401
    client.server.app[STATE].clock.advance(2678400)
    stale = await refresh(client, sage.refresh_token)
    assert stale.status == 400
    assert (await stale.json())["error"] == "invalid_grant"


async def test_code_is_single_use_short_lived_and_bound_to_redirect_uri(client):
    callback = await authorize(client)
    wrong = await exchange(client, callback["code"], redirect_uri=REDIRECT_URI + "/other")
    assert wrong.status == 400
    assert await wrong.json() == {"error": "invalid_grant"}
    callback = await authorize(client)
    assert (await exchange(client, callback["code"])).status == 200
    assert (await exchange(client, callback["code"])).status == 400
    callback = await authorize(client)
    client.server.app[STATE].clock.advance(61)
    late = await exchange(client, callback["code"])
    assert late.status == 400
    assert (await late.json())["error"] == "invalid_grant"


async def test_client_authentication_is_in_the_form_body(client):
    callback = await authorize(client)
    bad = await exchange(client, callback["code"], secret="wrong")
    assert bad.status == 400  # RFC 6749 §5.2: 401 only for a client that tried the Authorization header
    assert await bad.json() == {"error": "invalid_client"}
    basic = await client.post("/token", data={"grant_type": "authorization_code", "code": callback["code"],
                                              "redirect_uri": REDIRECT_URI},
                              headers={"Authorization": "Basic " + base64.b64encode(
                                  f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()})
    assert basic.status in (400, 401)
    assert (await basic.json())["error"] in ("invalid_client", "invalid_request")


async def test_unknown_client_on_authorize_is_refused(client):
    response = await client.get("/oauth2/auth/central", params={
        "client_id": "nobody", "response_type": "code", "redirect_uri": REDIRECT_URI, "state": "s"},
        allow_redirects=False)
    assert response.status == 400
    assert (await response.json())["error"] == "invalid_client"


async def test_clients_can_be_set_at_run_time(client):
    pinned = await client.put("/_emulator/clients", json=[{"client_id": "other", "client_secret": "s3cret"}])
    assert pinned.status == 200
    refused = await client.get("/oauth2/auth/central", params={
        "client_id": CLIENT_ID, "response_type": "code", "redirect_uri": REDIRECT_URI}, allow_redirects=False)
    assert refused.status == 400
    ok = await client.get("/oauth2/auth/central", params={
        "client_id": "other", "response_type": "code", "redirect_uri": REDIRECT_URI}, allow_redirects=False)
    assert ok.status == 302


@pytest.mark.parametrize("emulator_config", [{}])
async def test_open_registration_binds_the_first_secret(client, emulator_config):
    callback = await authorize(client)
    assert (await exchange(client, callback["code"], secret="first")).status == 200
    callback = await authorize(client)
    second = await exchange(client, callback["code"], secret="second")
    assert (await second.json()) == {"error": "invalid_client"}


async def test_lifetimes_are_configurable(aiohttp_client):
    client = await aiohttp_client(create_app({"clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}],
                                              "access_token_lifetime": 60, "refresh_token_lifetime": 120}))
    callback = await authorize(client)
    tokens = await (await exchange(client, callback["code"])).json()
    assert tokens["expires_in"] == 60
    assert tokens["refresh_token_expires_in"] == 120


async def test_readonly_scope_cannot_write(client):
    sage = await connect(client, scope="readonly")
    status, body = await sage.call("POST", "/contacts", body={"contact": {"name": "X", "contact_type_ids":
                                                                          ["CUSTOMER"]}})
    assert status == 403
    assert body == [{"$severity": "error", "$dataCode": "MultiUserAccessDenied",
                     "$message": "The current user is not allowed to access that resource with that method.",
                     "$source": ""}]
    assert (await sage.get("/contacts"))["$total"] >= 1


async def test_missing_bearer_is_401(client):
    response = await client.get("/v3.1/contacts", headers={"X-Business": "x"})
    assert response.status == 401
    assert (await response.json())[0]["$dataCode"] == "AuthorizationFailure"
