"""The request limit, fault injection, request counters and the error shape of protocol errors."""

from __future__ import annotations

import json

import pytest

from emulators.sage_accounting import spec
from tests.emulators.sage_accounting.conftest import CLIENT_ID, CLIENT_SECRET, connect


@pytest.mark.parametrize("emulator_config", [{"clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}],
                                              "requests_per_minute": 3, "retry_after": 30}])
async def test_request_limit_per_business(client, emulator_config):
    sage = await connect(client)
    for _ in range(3):
        await sage.get("/contacts")
    status, body = await sage.call("GET", "/contacts")
    assert status == 429
    assert body[0]["$dataCode"] == "TooManyRequests"
    response = await client.get("/v3.1/contacts", headers=sage.headers())
    assert response.headers["Retry-After"] == "30"
    other = list(sage.state.store.businesses)[1]
    status, _ = await sage.call("GET", "/contacts", business=other)
    assert status == 200  # the limit is per business
    sage.state.clock.advance(61)
    assert (await sage.get("/contacts"))["$total"] >= 1


@pytest.mark.parametrize("emulator_config", [{"clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}],
                                              "requests_per_minute": 1000, "requests_per_day": 2}])
async def test_daily_limit_and_no_retry_after_by_default(client, emulator_config):
    sage = await connect(client)
    await sage.get("/contacts")
    await sage.get("/contacts")
    response = await client.get("/v3.1/contacts", headers=sage.headers())
    assert response.status == 429 and "Retry-After" not in response.headers
    await client.post("/_emulator/throttle/reset")
    assert (await sage.get("/contacts"))["$total"] >= 1


async def test_faults_switch_at_run_time(sage, client):
    put = await client.put("/_emulator/faults", json={"faults": [
        {"kind": "server_error", "path": "/contacts", "method": "GET", "count": 1, "status": 503},
        {"kind": "unauthorized", "path": "/sales_invoices*", "count": 1},
        {"kind": "throttle", "path": "/products", "count": 1},
        {"kind": "malformed", "path": "/services", "count": 1},
        {"kind": "latency", "path": "/tax_rates", "count": 1, "latency_ms": 5}]})
    assert put.status == 200 and len((await put.json())["faults"]) == 5
    status, body = await sage.call("GET", "/contacts")
    assert status == 503 and body == [{"$severity": "error", "$dataCode": "UnexpectedError",
                                       "$message": "An unexpected error occurred.", "$source": ""}]
    assert (await sage.get("/contacts"))["$total"] >= 1  # count 1: used up
    status, body = await sage.call("GET", "/sales_invoices")
    assert status == 401 and body[0]["$dataCode"] == "AuthorizationFailure"
    status, _ = await sage.call("GET", "/products")
    assert status == 429
    response = await client.get("/v3.1/services", headers=sage.headers())
    assert response.status == 200
    with pytest.raises(ValueError):
        json.loads(await response.read())
    assert (await sage.get("/tax_rates"))["$total"] == 5
    rules = await (await client.get("/_emulator/faults")).json()
    assert all(rule["count"] == 0 for rule in rules["faults"])
    cleared = await client.delete("/_emulator/faults")
    assert (await cleared.json())["faults"] == []
    bad = await client.put("/_emulator/faults", json={"faults": [{"kind": "meteor"}]})
    assert bad.status == 400


@pytest.mark.parametrize("emulator_config", [{"clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}],
                                              "faults": [{"kind": "server_error", "path": "*", "method": "POST"}]}])
async def test_faults_from_config(client, emulator_config):
    sage = await connect(client)
    status, _ = await sage.call("POST", "/contacts", body={"contact": {"name": "X", "contact_type_ids": ["VENDOR"]}})
    assert status == 500
    assert (await sage.get("/contacts"))["$total"] == 4  # nothing was written


async def test_request_counters(sage, client):
    await client.delete("/_emulator/requests")
    await sage.get("/contacts")
    await sage.get("/contacts", page=1)
    await sage.call("GET", "/no_such_thing")
    snapshot = await (await client.get("/_emulator/requests")).json()
    assert snapshot["by_path"] == {"GET /v3.1/contacts": 2, "GET /v3.1/no_such_thing": 1}
    assert snapshot["total"] == 3
    assert snapshot["log"][0]["business"] == sage.business_id and snapshot["log"][2]["status"] == 404


async def test_protocol_errors_have_sages_shape(sage, client):
    status, body = await sage.call("GET", "/no_such_thing")
    assert status == 404 and body[0]["$dataCode"] == "RecordNotFound"
    status, body = await sage.call("DELETE", "/contact_types/CUSTOMER")
    assert status == 405
    status, body = await sage.call("GET", "/contacts/0123456789abcdef0123456789abcdef")
    assert status == 404 and body[0]["$dataCode"] == "RecordNotFound"
    response = await client.post("/v3.1/contacts", data="name=x", headers=sage.headers(
        {"Content-Type": "application/x-www-form-urlencoded"}))
    assert response.status == 415
    spec.validate("POST", "/v3.1/contacts", 415, await response.read())
    response = await client.post("/v3.1/contacts", data="{not json", headers=sage.headers(
        {"Content-Type": "application/json"}))
    assert response.status == 422
    assert (await response.json())[0]["$dataCode"] == "RecordInvalid"


async def test_unexpected_exception_is_a_500_without_trace(sage, monkeypatch):
    handler = sage.state.engine.handler("contacts")

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(handler, "create", explode)
    status, body = await sage.call("POST", "/contacts", body={"contact": {"name": "X", "contact_type_ids":
                                                                          ["VENDOR"]}})
    assert status == 500
    assert body == [{"$severity": "error", "$dataCode": "UnexpectedError",
                     "$message": "An unexpected error occurred.", "$source": ""}]
