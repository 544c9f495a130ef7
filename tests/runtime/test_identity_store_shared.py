"""Smoke of the identity store on each gateway database (SQLite file, PostgreSQL): the whole OAuth2 flow, refresh
rotation, connections, custom connections and revocation, then an Accounting API call through the real guard, the
rate limiter and the idempotency store; and a second gateway process on the same database honouring it all."""

from __future__ import annotations

import pytest

from adapters import registry
from gateway.app import create_app
from gateway.appkeys import IDENTITY
from tests.identity.fake_adapter import TENANT_A, TENANT_B
from tests.identity.helpers import Gateway, pkce_pair
from tests.runtime.conftest import runtime_settings


@pytest.fixture
async def two_gateways(aiohttp_client, tmp_path, database_url, monkeypatch) -> tuple[Gateway, Gateway]:
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.identity.fake_adapter:FakeAdapter")
    # Rate limits shared through the database too (the default store counts each process apart).
    shared = {"store": "database"}
    first = await aiohttp_client(create_app(runtime_settings(tmp_path / "data", database_url, rate_limits=shared)))
    # The second process shares the data directory (signing keys) and the database, as a scaled-out deployment.
    second = await aiohttp_client(create_app(runtime_settings(tmp_path / "data", database_url, rate_limits=shared)))
    return (Gateway(client=first, state=first.app[IDENTITY]), Gateway(client=second, state=second.app[IDENTITY]))


async def test_identity_flow_and_api_call_on_the_shared_database(two_gateways):
    gw, other = two_gateways
    app = await gw.create_app()
    verifier, challenge = pkce_pair()
    callback = await gw.authorize(app["client_id"], challenge=challenge)
    tokens = await gw.exchange(app, callback, verifier=verifier)

    # The other process refreshes (rotation) and lists the connections written by the first one.
    status, refreshed = await other.refresh(app, tokens["refresh_token"])
    assert status == 200, refreshed
    status, again = await gw.refresh(app, tokens["refresh_token"])  # within the grace period
    assert status == 200, again
    listed = await (await other.get("/connections", refreshed["access_token"])).json()
    assert sorted(c["tenantId"] for c in listed) == sorted([TENANT_A, TENANT_B])

    api = {"Authorization": f"Bearer {refreshed['access_token']}", "xero-tenant-id": TENANT_A,
           "Accept": "application/json", "Idempotency-Key": "smoke"}
    for client in (gw.client, other.client):
        resp = await client.put("/1000/api.xro/2.0/Invoices", headers=api, json={"Invoices": [{"Type": "ACCREC"}]})
        assert resp.status == 501  # the identity fake adapter has no Accounting operation
        assert resp.headers["X-MinLimit-Remaining"] in ("59", "58")
    assert {resp.headers["X-MinLimit-Remaining"]} == {"58"}

    custom = await gw.create_app(name="Custom Co", redirect_uris=[], scopes=["accounting.contacts"],
                                 custom_connection=True, code="1000", tenant_id=TENANT_B)
    status, token = await other.token({"grant_type": "client_credentials"},
                                      basic=(custom["client_id"], custom["client_secret"]))
    assert status == 200, token
    resp = await gw.get("/api.xro/2.0/Contacts", token["access_token"], headers={"Accept": "application/json"})
    assert resp.status == 501  # past the guard: its own tenant, no header needed; the adapter lacks getContacts
    assert resp.headers["X-MinLimit-Remaining"] == "59"  # a budget of its own (another app)

    resp = await other.client.post(other.url("/connect/revocation"), data={
        "token": refreshed["refresh_token"], "client_id": app["client_id"], "client_secret": app["client_secret"]})
    assert resp.status == 200
    assert (await gw.get("/connections", refreshed["access_token"])).status == 401  # the grant is gone
    status, body = await gw.refresh(app, again["refresh_token"])
    assert status == 400 and body["error"] == "invalid_grant"
