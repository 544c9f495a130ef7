"""Source codes at the root of every URL: unknown → 404, known but not configured → 503 naming what to register."""

import pytest

from adapters import registry
from gateway.app import create_app
from gateway.settings import load_settings


@pytest.fixture
async def client(aiohttp_client, tmp_path, monkeypatch):
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.api.fake_adapter:FakeAdapter")
    return await aiohttp_client(create_app(load_settings(data_dir=tmp_path)))


async def test_unknown_code_is_404(client):
    for path in ("/9999/connections", "/9999/api.xro/2.0/Invoices", "/abc", "/"):
        resp = await client.get(path)
        assert resp.status == 404, path


@pytest.mark.parametrize("code, system", [("1004", "QuickBooks Online"), ("1009", "Sage Business Cloud Accounting")])
async def test_known_code_without_adapter_names_what_to_register(client, code, system):
    resp = await client.get(f"/{code}/api.xro/2.0/Invoices", headers={"Accept": "application/json"})
    assert resp.status == 503
    body = await resp.json()
    assert code in body["Message"] and system in body["Message"]
    assert f"xero-gateway sources set {code}" in body["Message"]


async def test_error_responses_carry_a_correlation_id(client):
    resp = await client.get("/1000/api.xro/2.0/Invoices")
    assert resp.status == 401 and resp.headers["Xero-Correlation-Id"]
