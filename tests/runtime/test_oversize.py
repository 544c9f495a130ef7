"""A request body over the app's ``client_max_size`` is answered with a Xero-shaped 413 (``Error`` schema), never
aiohttp's plain text, on the Accounting API and on the identity endpoints alike."""

from __future__ import annotations

import pytest

from gateway import app as gateway_app
from tests.runtime.conftest import API, headers

LIMIT = 2048


@pytest.fixture
def small_bodies(monkeypatch):
    monkeypatch.setattr(gateway_app, "CLIENT_MAX_SIZE", LIMIT)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_an_oversize_accounting_body_is_a_xero_shaped_413(small_bodies, gateways, gate):
    client = await gateways.start()
    big = {"Contacts": [{"Name": "x" * (2 * LIMIT)}]}
    resp = await client.put(API + "/Contacts", headers=headers(), json=big)
    assert resp.status == 413
    assert resp.headers["Content-Type"].startswith("application/json")
    assert await resp.json() == {"ErrorNumber": 413, "Type": "RequestTooLarge",
                                 "Message": f"The request body is too large: at most {LIMIT} bytes are accepted"}
    assert resp.headers["X-MinLimit-Remaining"] == "59"  # the tenant was known: the call counted
    assert gate.calls == []
    resp = await client.put(API + "/Contacts", headers=headers(), json={"Contacts": [{"Name": "small"}]})
    assert resp.status == 200


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_an_oversize_token_request_is_a_xero_shaped_413(small_bodies, gateways):
    client = await gateways.start()
    resp = await client.post("/1000/connect/token", data={"grant_type": "client_credentials", "pad": "x" * LIMIT})
    assert resp.status == 413
    body = await resp.json()
    assert body["ErrorNumber"] == 413 and body["Type"] == "RequestTooLarge"
