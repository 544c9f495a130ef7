"""Online invoices on the native ledger: getOnlineInvoice answers a stable, unguessable OnlineInvoiceUrl for an
approved sales invoice, and the gateway serves that URL without sign-in as the invoice's PDF."""

from __future__ import annotations

import io
import json
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from gateway.xero.errors import NotFound, ValidationException

from .conftest import call, invoice_element


async def test_online_invoice_urls(adapter) -> None:
    invoice, draft = (await call(adapter, "createInvoices", elements=[
        invoice_element(), invoice_element(Status="DRAFT")])).items
    path = {"InvoiceID": invoice.InvoiceID}
    first = (await call(adapter, "getOnlineInvoice", path=path)).items[0].OnlineInvoiceUrl
    again = (await call(adapter, "getOnlineInvoice", path=path)).items[0].OnlineInvoiceUrl
    assert first == again and first.startswith("http://127.0.0.1:8080/1000/online/invoice/")
    token = first.rsplit("/", 1)[1]
    assert len(token) >= 40
    page = await adapter.online_invoice(token)
    assert page is not None and page.content.startswith(b"%PDF-")
    assert await adapter.online_invoice("not-a-token") is None
    with pytest.raises(ValidationException):
        await call(adapter, "getOnlineInvoice", path={"InvoiceID": draft.InvoiceID})
    with pytest.raises(NotFound):
        await call(adapter, "getOnlineInvoice", path={"InvoiceID": "00000000-0000-0000-0000-000000000001"})
    # A voided invoice's page is gone.
    await call(adapter, "updateInvoice", path=path, elements=[{"Status": "VOIDED"}])
    assert await adapter.online_invoice(token) is None


async def test_the_online_page_is_served_without_sign_in(api, http) -> None:
    resp, body = await api.call("PUT", "/Invoices", json={"Invoices": [invoice_element(Reference="Online page")]})
    invoice = json.loads(body)["Invoices"][0]
    resp, body = await api.call("GET", f"/Invoices/{invoice['InvoiceID']}/OnlineInvoice")
    assert resp.status == 200, body
    url = json.loads(body)["OnlineInvoices"][0]["OnlineInvoiceUrl"]
    page = await http.get(urlsplit(url).path)  # no Authorization header, no tenant
    assert page.status == 200 and page.headers["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(await page.read())).pages)
    assert invoice["InvoiceNumber"] in text
    missing = await http.get("/1000/online/invoice/" + "x" * 43)
    assert missing.status == 404
