"""Bad input is a Xero-shaped 400 that writes nothing, never a 500 (issue 11, items 5, 7 and 11).

The real app on the native ledger (demo company), with the identity guard replaced as in tests/runtime/conftest.py.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest
from aiohttp import web

from adapters.native.demo import company as demo
from gateway.app import create_app
from gateway.settings import load_settings
from gateway.xero.request import RequestContext

API = "/1000/api.xro/2.0"
TENANT = demo.DEMO_TENANT_ID
HEADERS = {"Authorization": "Bearer test", "xero-tenant-id": TENANT, "Accept": "application/json"}


def invoice(**line: Any) -> dict[str, Any]:
    return {"Type": "ACCREC", "Contact": {"Name": "Meridian University"}, "Date": "2026-03-10",
            "DueDate": "2026-04-09", "LineAmountTypes": "Exclusive",
            "LineItems": [{"Description": "Consulting", "Quantity": 1, "UnitAmount": 100, "AccountCode": "200",
                           "TaxType": "OUTPUT2", **line}]}


@pytest.fixture
async def client(aiohttp_client, tmp_path, monkeypatch):
    async def guard(request: web.Request, code: str, *, scopes: Sequence[str], path: str,
                    tenant_required: bool = True) -> RequestContext:
        return RequestContext(source_code=code, tenant_id=TENANT, client_id="test", app_name="Tests",
                              user_id=None, scopes=frozenset(scopes))

    monkeypatch.setattr("gateway.api.handler.authenticate_api_call", guard)
    return await aiohttp_client(create_app(load_settings(data_dir=tmp_path)))


async def invoice_count(client) -> int:
    response = await client.get(f"{API}/Invoices?pageSize=1000", headers=HEADERS)
    assert response.status == 200
    return len((await response.json())["Invoices"])


async def put(client, collection: str, body: str | dict, query: str = ""):
    text = body if isinstance(body, str) else json.dumps(body)
    return await client.put(f"{API}/{collection}{query}", data=text.encode(),
                            headers={**HEADERS, "Content-Type": "application/json"})


@pytest.mark.parametrize("query, error_type", [
    ("Invoices?where=" + "(" * 166 + "Total>1" + ")" * 166, "QueryParseException"),
    ("Invoices?where=" + "!" * 1200 + "true", "QueryParseException"),
    ("Invoices?page=100000000000000000000", "ValidationException"),
    ("Journals?offset=100000000000000000000", "ValidationException"),
    ("Reports/BalanceSheet?periods=11&date=0001-01-31&timeframe=MONTH", "ValidationException"),
])
async def test_bad_queries_are_400(client, query, error_type):
    response = await client.get(f"{API}/{query}", headers=HEADERS)
    assert response.status == 400
    assert (await response.json())["Type"] == error_type


@pytest.mark.parametrize("element", [
    {**invoice(), "Date": 12345},
    invoice(UnitAmount=1e30),
    invoice(UnitAmount=-1e30),
    invoice(UnitAmount=1e26),
    invoice(UnitAmount=100000000000),
    invoice(Quantity=1e20),
    invoice(DiscountRate=-50),
    invoice(DiscountRate=101),
    {**invoice(), "CurrencyRate": -5},
    {**invoice(), "CurrencyRate": 0},
])
async def test_bad_values_are_validation_exceptions_that_write_nothing(client, element):
    before = await invoice_count(client)
    response = await put(client, "Invoices", {"Invoices": [element]})
    assert response.status == 400
    assert (await response.json())["Type"] == "ValidationException"
    assert await invoice_count(client) == before


async def test_amount_beyond_twenty_digits_is_refused_not_rounded(client):
    before = await invoice_count(client)
    body = json.dumps({"Invoices": [invoice()]}).replace('"UnitAmount": 100', '"UnitAmount": 99999999999999999999.99')
    response = await put(client, "Invoices", body)
    assert response.status == 400 and (await response.json())["Type"] == "ValidationException"
    assert await invoice_count(client) == before


async def test_amounts_within_the_bound_are_exact(client):
    response = await put(client, "Invoices", {"Invoices": [invoice(UnitAmount=12345678901.2345, Quantity=3)]},
                         "?unitdp=4")
    assert response.status == 200
    invoice_id = (await response.json())["Invoices"][0]["InvoiceID"]
    response = await client.get(f"{API}/Invoices/{invoice_id}?unitdp=4", headers=HEADERS)
    found = (await response.json(loads=lambda text: json.loads(text, parse_float=Decimal)))["Invoices"][0]
    assert found["LineItems"][0]["UnitAmount"] == Decimal("12345678901.2345")
    assert found["SubTotal"] == Decimal("37037036703.70")  # 3 x 12345678901.2345 = 37037036703.7035, to the cent
    assert found["Total"] == Decimal("44444444044.44")


async def test_a_total_beyond_the_bound_is_refused(client):
    before = await invoice_count(client)
    response = await put(client, "Invoices", {"Invoices": [invoice(UnitAmount=99999999999.9999)]})  # + 20% VAT
    assert response.status == 400 and (await response.json())["Type"] == "ValidationException"
    assert await invoice_count(client) == before


async def test_huge_manual_journal_line_is_a_validation_exception(client):
    body = {"ManualJournals": [{"Narration": "n", "Date": "2026-03-10", "JournalLines": [
        {"LineAmount": -1.69e234, "AccountCode": "200"}, {"LineAmount": 1.69e234, "AccountCode": "400"}]}]}
    response = await put(client, "ManualJournals", body)
    assert response.status == 400
    assert (await response.json())["Type"] == "ValidationException"


async def test_lone_surrogate_is_400(client):
    before = await invoice_count(client)
    body = json.dumps({"Invoices": [invoice()]}).replace('"Consulting"', '"\\ud800"')
    response = await put(client, "Invoices", body)
    assert response.status == 400
    assert (await response.json())["Type"] == "PostDataInvalidException"
    assert await invoice_count(client) == before


async def test_raw_byte_in_idempotency_key_is_400(client):
    reader, writer = await asyncio.open_connection("127.0.0.1", client.port)
    body = json.dumps({"Invoices": [invoice()]}).encode()
    writer.write(b"PUT " + API.encode() + b"/Invoices HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test\r\n"
                 b"xero-tenant-id: " + TENANT.encode() + b"\r\nAccept: application/json\r\n"
                 b"Content-Type: application/json\r\nIdempotency-Key: a\xffb\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
    answer = await reader.read()
    writer.close()
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert json.loads(payload)["Type"] == "ValidationException"


async def test_xml_collection_holding_text_is_400(client):
    response = await client.put(f"{API}/Invoices", data=b"<Invoices>hello</Invoices>",
                                headers={**HEADERS, "Content-Type": "application/xml"})
    assert response.status == 400


async def test_put_with_an_id_that_is_no_guid_is_a_validation_exception(client):
    before = await invoice_count(client)
    response = await put(client, "Invoices", {"Invoices": [{**invoice(), "InvoiceID": "not-a-guid"}]})
    assert response.status == 400
    body = await response.json()
    assert body["Type"] == "ValidationException"
    assert "not-a-guid" in body["Elements"][0]["ValidationErrors"][0]["Message"]
    assert await invoice_count(client) == before
