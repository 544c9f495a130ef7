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


@pytest.mark.parametrize("path, api", [
    ("/1000/payroll.xro/1.0/Employees", "Payroll API"),
    ("/1000/payroll.xro/2.0/employees", "Payroll API"),
    ("/1000/Assets.xro/1.0/Assets", "Assets API"),
    ("/1000/files.xro/1.0/Files", "Files API"),
    ("/1000/projects.xro/2.0/Projects", "Projects API"),
    ("/1000/bankfeeds.xro/1.0/Statements", "Bank Feeds API"),
    ("/1000/finance.xro/1.0/CashValidation", "Finance API"),
    ("/1000/appstore/2.0/subscriptions/1", "App Store API"),
])
async def test_other_xero_apis_answer_a_xero_shaped_501(client, path, api):
    """Issue 12: not a plain-text 404, but the NotImplementedException Xero's SDKs parse, naming the API."""
    resp = await client.get(path, headers={"Accept": "application/json"})
    assert resp.status == 501
    body = await resp.json()
    assert body["Type"] == "NotImplementedException" and body["ErrorNumber"] == 20
    assert api in body["Message"]


async def test_unknown_accounting_path_stays_a_plain_404(client):
    resp = await client.get("/1000/api.xro/2.0/NoSuchThing", headers={"Accept": "application/json"})
    assert resp.status == 404 and resp.content_type == "text/plain"
