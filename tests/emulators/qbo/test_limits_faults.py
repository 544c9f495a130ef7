"""Throttling (429 with QBO's XML body), fault injection (config and admin), and the request log."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET  # noqa: S405 - parsing the emulator's own output

import pytest

from emulators.qbo import create_app
from tests.emulators.qbo.conftest import CLIENT_ID, CLIENT_SECRET, connect

NS = "{http://schema.intuit.com/finance/v3}"
CLIENTS = [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}]


def throttled(text: str) -> None:
    root = ET.fromstring(text)  # noqa: S314
    assert root.tag == f"{NS}IntuitResponse"
    error = root.find(f"{NS}Fault/{NS}Error")
    assert root.find(f"{NS}Fault").get("type") == "SERVICE"
    assert error.get("code") == "3001"
    assert error.findtext(f"{NS}Message") == "message=ThrottleExceeded; errorCode=003001; statusCode=429"


@pytest.mark.parametrize("emulator_config", [{"clients": CLIENTS, "requests_per_minute": 5}])
async def test_per_minute_limit(client):
    qbo = await connect(client)
    statuses = [(await qbo.get("/companyinfo/1")).status for _ in range(5)]
    assert statuses == [200] * 5
    response = await qbo.get("/companyinfo/1")
    assert response.status == 429
    assert response.content_type == "application/xml"
    throttled(await response.text())
    qbo.state.clock.advance(61)
    assert (await qbo.get("/companyinfo/1")).status == 200


@pytest.mark.parametrize("emulator_config", [{"clients": CLIENTS, "batch_requests_per_minute": 2}])
async def test_batch_limit(client):
    qbo = await connect(client)
    body = {"BatchItemRequest": [{"bId": "1", "Query": "select * from Customer"}]}
    assert [(await qbo.post("/batch", body)).status for _ in range(2)] == [200, 200]
    assert (await qbo.post("/batch", body)).status == 429
    assert (await qbo.get("/companyinfo/1")).status == 200  # other requests still pass


@pytest.mark.parametrize("emulator_config", [{
    "clients": CLIENTS, "concurrent_requests": 2,
    "faults": [{"kind": "latency", "path": "/companyinfo/*", "latency_ms": 400, "count": 3}]}])
async def test_concurrency_limit(client):
    qbo = await connect(client)
    first = [asyncio.ensure_future(qbo.get("/companyinfo/1")) for _ in range(2)]
    for _ in range(200):  # bounded: until both are in flight
        if qbo.state.throttle.realms.get(qbo.realm_id) and qbo.state.throttle.realms[qbo.realm_id].in_flight == 2:
            break
        await asyncio.sleep(0.01)
    third = await qbo.get("/preferences")
    assert third.status == 429
    assert sorted(r.status for r in await asyncio.gather(*first)) == [200, 200]


@pytest.mark.parametrize("emulator_config", [{"clients": CLIENTS, "faults": [
    {"kind": "server_error", "status": 503, "path": "/query", "count": 1}]}])
async def test_configured_fault_then_recovery(client):
    qbo = await connect(client)
    failed = await qbo.get("/query", query="select * from Customer")
    assert failed.status == 503
    assert "InternalServerError" in await failed.text()
    assert (await qbo.get("/query", query="select * from Customer")).status == 200


async def test_admin_switches_faults_at_run_time(client):
    qbo = await connect(client)
    rules = [{"kind": "malformed", "path": "/companyinfo/*", "count": 1},
             {"kind": "unauthorized", "method": "POST", "count": 1},
             {"kind": "throttle", "path": "/preferences", "count": 1}]
    assert (await client.put("/_emulator/faults", json={"faults": rules})).status == 200
    malformed = await qbo.get("/companyinfo/1")
    assert malformed.status == 200
    with pytest.raises(ValueError):
        await malformed.json(content_type=None)
    unauthorized = await qbo.post("/customer", {"DisplayName": "X"})
    assert unauthorized.status == 401
    assert (await unauthorized.json())["fault"]["error"][0]["code"] == "3200"
    throttled(await (await qbo.get("/preferences")).text())
    assert (await qbo.get("/companyinfo/1")).status == 200
    listed = await (await client.get("/_emulator/faults")).json()
    assert [r["count"] for r in listed["faults"]] == [0, 0, 0]
    bad = await client.put("/_emulator/faults", json={"faults": [{"kind": "explode"}]})
    assert bad.status == 400
    await client.delete("/_emulator/faults")
    assert (await (await client.get("/_emulator/faults")).json())["faults"] == []


async def test_request_log_counts_calls(client):
    qbo = await connect(client)
    await client.delete("/_emulator/requests")
    for _ in range(3):
        await qbo.get("/companyinfo/1")
    await qbo.get("/query", query="select * from Customer")
    log = await (await client.get("/_emulator/requests")).json()
    assert log["by_path"][f"GET /v3/company/{qbo.realm_id}/companyinfo/1"] == 3
    assert log["by_path"][f"GET /v3/company/{qbo.realm_id}/query"] == 1
    assert log["total"] == 4
    assert log["log"][-1]["status"] == 200 and "select" in log["log"][-1]["query"]


async def test_responses_carry_intuit_tid(qbo):
    response = await qbo.get("/companyinfo/1")
    assert response.headers["intuit_tid"]


def test_invalid_config_is_refused():
    with pytest.raises(ValueError):
        create_app({"requests_per_minute": 0})
    with pytest.raises(ValueError):
        create_app({"faults": [{"kind": "server_error", "status": 200}]})
