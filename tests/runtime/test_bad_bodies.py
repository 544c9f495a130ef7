"""Hostile bodies, query strings and attachment names are a Xero-shaped 4xx that writes nothing (issue 11, "a
bad-input suite": malformed JSON and XML, XXE, billion laughs, deep nesting, a body over the 3.5 MB cap, invalid
UTF-8, path traversal in attachment file names).

The real app on the native ledger's demo company, as :mod:`tests.runtime.test_bad_input` runs it. Each case counts
what it could have written (invoices, the invoice's attachments, the files under ``attachments/``) before and after.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from yarl import URL

from gateway.app import create_app
from gateway.appkeys import SETTINGS
from gateway.settings import load_settings
from gateway.xero.request import RequestContext
from tests.runtime.test_bad_input import API, HEADERS, TENANT, invoice, invoice_count

pytestmark = pytest.mark.asyncio(loop_scope="module")  # one app (one seeded demo company) for the module


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def client(tmp_path_factory):
    """The real app on a fresh data directory, the identity guard replaced as in :mod:`.test_bad_input`."""
    async def guard(request, code, *, scopes, path, tenant_required=True) -> RequestContext:
        return RequestContext(source_code=code, tenant_id=TENANT, client_id="test", app_name="Tests",
                              user_id=None, scopes=frozenset(scopes))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("gateway.api.handler.authenticate_api_call", guard)
        settings = load_settings(data_dir=tmp_path_factory.mktemp("bad-bodies"))
        # the module's many calls share one tenant: Xero's per-minute budget is lifted (the limits are not tested)
        limits = settings.rate_limits.model_copy(update={"tenant_per_minute": 100_000, "tenant_per_day": 1_000_000})
        app = create_app(settings.model_copy(update={"rate_limits": limits}))
        async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
            yield test_client

XML = {**HEADERS, "Content-Type": "application/xml"}
JSON = {**HEADERS, "Content-Type": "application/json"}
NOT_FOUND = "The resource you're looking for cannot be found"
BOUND = 60  # seconds: a refused expansion or nesting must answer well before this (a bound, not a timing check)


async def xero_error(response, status: int = 400) -> dict:
    """The Xero-shaped error body (``ErrorNumber``, ``Type``, ``Message``) of a ``status`` answer."""
    assert response.status == status, await response.text()
    body = await response.json()
    assert body["Type"] and body["Message"] and isinstance(body["ErrorNumber"], int), body
    return body


def xml_invoice(reference: str) -> str:
    return ("<Invoices><Invoice><Type>ACCREC</Type><Contact><Name>Meridian University</Name></Contact>"
            f"<Date>2026-03-10</Date><DueDate>2026-04-09</DueDate><Reference>{reference}</Reference>"
            "<LineItems><LineItem><Description>Consulting</Description><Quantity>1</Quantity>"
            "<UnitAmount>100</UnitAmount><AccountCode>200</AccountCode><TaxType>OUTPUT2</TaxType></LineItem>"
            "</LineItems></Invoice></Invoices>")


async def test_a_well_formed_xml_invoice_is_written(client):
    """The control case: the XML cases below are refused for what they hold, not for being XML."""
    before = await invoice_count(client)
    response = await client.put(f"{API}/Invoices", data=xml_invoice("XML-OK").encode(), headers=XML)
    assert response.status == 200, await response.text()
    assert await invoice_count(client) == before + 1


@pytest.mark.parametrize("raw, headers", [
    pytest.param(b'{"Invoices": [{"Type": "ACCREC",', JSON, id="json-truncated"),
    pytest.param(b'{"Invoices": [{"Type": ACCREC}]}', JSON, id="json-bare-word"),
    pytest.param(b'{"Invoices": [] trailing', JSON, id="json-trailing"),
    pytest.param(b"<Invoices><Invoice><Type>ACCREC</Type></Invoices>", XML, id="xml-mismatched"),
    pytest.param(b"<Invoices><Invoice>", XML, id="xml-unclosed"),
    pytest.param(b"<Invoices><Invoice a='1' a='2'/></Invoices>", XML, id="xml-duplicate-attribute"),
])
async def test_malformed_bodies_are_400(client, raw, headers):
    before = await invoice_count(client)
    body = await xero_error(await client.put(f"{API}/Invoices", data=raw, headers=headers))
    assert body["Type"] == "PostDataInvalidException"
    assert await invoice_count(client) == before


async def test_an_external_entity_is_never_resolved(client, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7f3a")
    before = await invoice_count(client)
    for target in (secret.as_uri(), "file:///etc/passwd", "http://127.0.0.1:9/xxe"):
        raw = (f'<?xml version="1.0"?><!DOCTYPE Invoices [<!ENTITY xxe SYSTEM "{target}">]>'
               + xml_invoice("&xxe;"))
        response = await client.put(f"{API}/Invoices", data=raw.encode(), headers=XML)
        text = await response.text()
        assert "TOP-SECRET-7f3a" not in text and "root:" not in text
        assert (await xero_error(response))["Type"] == "PostDataInvalidException"
    assert await invoice_count(client) == before


async def test_a_billion_laughs_is_refused_without_expanding(client):
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    raw = ('<?xml version="1.0"?><!DOCTYPE Invoices [<!ENTITY lol0 "lol">' + entities + "]>"
           + xml_invoice("&lol9;"))
    before = await invoice_count(client)
    response = await asyncio.wait_for(client.put(f"{API}/Invoices", data=raw.encode(), headers=XML), BOUND)
    assert (await xero_error(response))["Type"] == "PostDataInvalidException"
    assert await invoice_count(client) == before


@pytest.mark.parametrize("raw, headers", [
    pytest.param(b'{"Invoices": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", JSON, id="json-arrays"),
    pytest.param(b'{"Invoices": [' + b'{"a": ' * 100_000 + b"1" + b"}" * 100_000 + b"]}", JSON, id="json-objects"),
    pytest.param(b"<Invoices><Invoice>" + b"<a>" * 100_000 + b"x" + b"</a>" * 100_000 + b"</Invoice></Invoices>",
                 XML, id="xml"),
])
async def test_deep_nesting_is_400(client, raw, headers):
    before = await invoice_count(client)
    response = await asyncio.wait_for(client.put(f"{API}/Invoices", data=raw, headers=headers), BOUND)
    assert (await xero_error(response))["Type"] == "PostDataInvalidException"
    assert await invoice_count(client) == before


async def test_a_body_over_the_write_cap_is_413(client):
    """Xero's 3.5 MB per request (gateway.api.body.MAX_WRITE_BODY), below the app-wide 10 MB."""
    element = invoice()
    elements = [element] * (3_600_000 // len(json.dumps(element)) + 1)
    raw = json.dumps({"Invoices": elements}).encode()
    assert 3_500_000 < len(raw) < 10_000_000
    before = await invoice_count(client)
    for data in (raw, _chunks(raw)):  # with a Content-Length, and chunked (no length stated)
        body = await xero_error(await client.put(f"{API}/Invoices", data=data, headers=JSON), 413)
        assert body["Type"]
    assert await invoice_count(client) == before


async def _chunks(raw: bytes, size: int = 256 * 1024):
    for start in range(0, len(raw), size):
        yield raw[start:start + size]


@pytest.mark.parametrize("raw", [
    pytest.param(b'{"Invoices": [{"Type": "ACCREC", "Reference": "\xff\xfe"}]}', id="invalid-byte"),
    pytest.param(b'{"Invoices": [{"Type": "ACCREC", "Reference": "\xc3"}]}', id="truncated-sequence"),
    pytest.param(b'{"Invoices": [{"Type": "ACCREC", "Reference": "\xed\xa0\x80"}]}', id="encoded-surrogate"),
])
async def test_invalid_utf8_in_a_json_body_is_400(client, raw):
    before = await invoice_count(client)
    body = await xero_error(await client.put(f"{API}/Invoices", data=raw, headers=JSON))
    assert body["Type"] == "PostDataInvalidException"
    assert await invoice_count(client) == before


@pytest.mark.parametrize("method, query", [
    ("GET", 'where=Reference%3D%3D%22%FF%FE%22'),
    ("GET", "order=%C3"),
    ("GET", "page=%FF"),
    ("PUT", "summarizeErrors=%FF"),
    ("PUT", "unitdp=%ED%A0%80"),
])
async def test_invalid_utf8_in_a_query_string_is_400(client, method, query):
    before = await invoice_count(client)
    url = URL(f"{API}/Invoices?{query}", encoded=True)
    data = json.dumps({"Invoices": [invoice()]}).encode() if method == "PUT" else None
    response = await client.request(method, url, data=data, headers=JSON)
    assert 400 <= response.status < 500, await response.text()
    await xero_error(response, response.status)
    assert await invoice_count(client) == before


# Attachments -----------------------------------------------------------------------------------------------------

async def an_invoice(client) -> str:
    response = await client.get(f"{API}/Invoices?pageSize=1", headers=HEADERS)
    assert response.status == 200
    return (await response.json())["Invoices"][0]["InvoiceID"]


async def attachment_count(client, invoice_id: str) -> int:
    response = await client.get(f"{API}/Invoices/{invoice_id}/Attachments", headers=HEADERS)
    assert response.status == 200, await response.text()
    return len((await response.json())["Attachments"])


TRAVERSALS = [
    pytest.param("..%2F..%2Fetc%2Fpasswd", id="encoded-slashes"),
    pytest.param("..%2f..%2f..%2ftmp%2fowned.txt", id="lower-case-encoding"),
    pytest.param("..%5C..%5Cwindows%5Cwin.ini", id="encoded-backslashes"),
    pytest.param("%2Fetc%2Fpasswd", id="absolute"),
    pytest.param("..", id="dot-dot"),
    pytest.param("%2E%2E", id="encoded-dot-dot"),
    pytest.param("evil%00.txt", id="nul"),
    pytest.param("report.pdf%00.exe", id="nul-extension"),
    pytest.param("line%0Abreak.txt", id="newline"),
]


@pytest.mark.parametrize("method", ["PUT", "POST"])
@pytest.mark.parametrize("name", TRAVERSALS)
async def test_a_path_in_an_attachment_file_name_is_refused_and_nothing_is_stored(client, method, name):
    invoice_id = await an_invoice(client)
    before, files = await attachment_count(client, invoice_id), stored_files_of(client)
    url = URL(f"{API}/Invoices/{invoice_id}/Attachments/{name}", encoded=True)
    response = await client.request(method, url, data=b"root:x:0:0", headers={
        **HEADERS, "Content-Type": "text/plain"})
    if "%2F" in name.upper():  # the decoded path has more segments: no route matches, Xero's plain-text 404
        assert (response.status, await response.text()) == (404, NOT_FOUND)
    elif "%0A" in name:  # gateway/app.py's catch-all "{tail:.*}" stops at a newline: aiohttp's own plain 404
        assert response.status == 404, await response.text()
    elif name in ("..", "%2E%2E"):  # may resolve as a dot segment: the invoice's own URL (no JSON body: 400; 405)
        assert response.status in (400, 404, 405), await response.text()
        if response.status == 400:
            await xero_error(response)
    else:
        assert (await xero_error(response))["Type"] == "ValidationException"
    assert await attachment_count(client, invoice_id) == before
    assert stored_files_of(client) == files


async def test_raw_dot_segments_in_an_attachment_url_store_nothing(client):
    """``../../etc/passwd`` sent unencoded, as a hostile client can (no client-side normalisation)."""
    invoice_id = await an_invoice(client)
    before, files = await attachment_count(client, invoice_id), stored_files_of(client)
    reader, writer = await asyncio.open_connection("127.0.0.1", client.port)
    target = f"{API}/Invoices/{invoice_id}/Attachments/../../etc/passwd".encode()
    writer.write(b"PUT " + target + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer test\r\nxero-tenant-id: "
                 + HEADERS["xero-tenant-id"].encode() + b"\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n"
                 b"Connection: close\r\n\r\nroot")
    answer = await asyncio.wait_for(reader.read(), BOUND)
    writer.close()
    status = int(answer.split(b" ", 2)[1])
    assert 400 <= status < 500, answer[:500]
    assert await attachment_count(client, invoice_id) == before
    assert stored_files_of(client) == files


async def test_a_plain_attachment_name_is_stored(client):
    """The control case: the names above are refused for their path, not for being attachments."""
    invoice_id = await an_invoice(client)
    before, files = await attachment_count(client, invoice_id), stored_files_of(client)
    response = await client.put(f"{API}/Invoices/{invoice_id}/Attachments/passwd.txt", data=b"x",
                                headers={**HEADERS, "Content-Type": "text/plain"})
    assert response.status == 200, await response.text()
    assert await attachment_count(client, invoice_id) == before + 1
    assert len(stored_files_of(client)) == len(files) + 1


def stored_files_of(client) -> list[Path]:
    """Every file under the data directory's ``attachments/``."""
    root = Path(client.app[SETTINGS].data_dir) / "attachments"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
