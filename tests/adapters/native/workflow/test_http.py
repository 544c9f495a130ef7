"""The workflow operations through the real app and the real native adapter: every JSON answer validates against
Xero's spec; attachments round-trip byte for byte; PDFs come back for the ``…/pdf`` paths, for
``Accept: application/pdf`` and for xero-python's ``get_invoice_as_pdf``."""

from __future__ import annotations

import asyncio
import io
import json
import time
from pathlib import Path

from pypdf import PdfReader

from .conftest import APP_NAME, TENANT, TOKEN, bill_element, invoice_element, purchase_order_element, quote_element

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


async def _create(api, path: str, key: str, element: dict) -> dict:
    resp, body = await api.call("PUT", path, json={key: [element]})
    assert resp.status == 200, body
    return json.loads(body)[key][0]


async def test_attachment_round_trip(api, http) -> None:
    invoice = await _create(api, "/Invoices", "Invoices", invoice_element())
    base = f"/Invoices/{invoice['InvoiceID']}/Attachments"

    resp, body = await api.call("PUT", f"{base}/scan%201.png?IncludeOnline=true", data=PNG,
                                headers={"Content-Type": "image/png"})
    assert resp.status == 200, body
    created = json.loads(body)["Attachments"][0]
    assert created["FileName"] == "scan 1.png" and created["MimeType"] == "image/png"
    assert created["ContentLength"] == len(PNG) and created["IncludeOnline"] is True
    assert created["Url"] == f"http://127.0.0.1:8080/1000/api.xro/2.0{base}/scan%201.png"

    resp, body = await api.call("GET", base)
    listed = json.loads(body)["Attachments"]
    assert [a["AttachmentID"] for a in listed] == [created["AttachmentID"]]

    resp, by_name = await api.call("GET", f"{base}/scan%201.png")
    assert resp.status == 200 and resp.headers["Content-Type"] == "application/octet-stream" and by_name == PNG
    resp, by_id = await api.call("GET", f"{base}/{created['AttachmentID']}", validate=False,
                                 headers={"Accept": "image/png"})
    assert resp.status == 200 and resp.headers["Content-Type"] == "image/png" and by_id == PNG

    # POST by file name replaces the same-named file; the history shows both uploads.
    resp, body = await api.call("POST", f"{base}/scan%201.png", data=b"v2", headers={"Content-Type": "image/png"})
    assert resp.status == 200, body
    replaced = json.loads(body)["Attachments"][0]
    assert replaced["ContentLength"] == 2 and replaced["IncludeOnline"] is True
    resp, body = await api.call("GET", base)
    assert [a["ContentLength"] for a in json.loads(body)["Attachments"]] == [2]
    resp, content = await api.call("GET", f"{base}/SCAN%201.PNG")
    assert content == b"v2"
    resp, body = await api.call("GET", f"/Invoices/{invoice['InvoiceID']}/History")
    records = json.loads(body)["HistoryRecords"]
    assert [r["Changes"] for r in records] == ["Created", "Attached a file", "Attached a file"]
    assert records[-1]["Details"] == f"Attached the file scan 1.png through the Xero API using {APP_NAME}"


async def test_attachment_errors_over_http(api) -> None:
    invoice = await _create(api, "/Invoices", "Invoices", invoice_element())
    base = f"/Invoices/{invoice['InvoiceID']}/Attachments"
    resp, body = await api.call("PUT", f"{base}/empty.txt", data=b"", headers={"Content-Type": "text/plain"})
    assert resp.status == 400 and json.loads(body)["Type"] == "ValidationException"
    resp, _ = await api.call("GET", f"{base}/missing.txt")
    assert resp.status == 404
    resp, _ = await api.call("GET", "/Invoices/00000000-0000-0000-0000-000000000001/Attachments")
    assert resp.status == 404
    resp, body = await api.call("PUT", f"{base}/a.txt?IncludeOnline=maybe", data=b"x")
    assert resp.status == 400


async def test_history_and_notes_over_http(api) -> None:
    quote = await _create(api, "/Quotes", "Quotes", quote_element())
    path = f"/Quotes/{quote['QuoteID']}/History"
    resp, body = await api.call("PUT", path, json={"HistoryRecords": [{"Details": "Called the customer"}]})
    assert resp.status == 200, body
    created = json.loads(body)["HistoryRecords"]
    assert created[0]["Details"] == "Called the customer" and created[0]["Changes"] == "Note"
    resp, body = await api.call("GET", path.lower())  # pyxero spells …/history in lower case
    assert [r["Changes"] for r in json.loads(body)["HistoryRecords"]] == ["Created", "Note"]
    resp, body = await api.call("PUT", path, json={"HistoryRecords": [{"Details": "x" * 251}]})
    assert resp.status == 400


async def test_documents_over_http(api) -> None:
    quote = await _create(api, "/Quotes", "Quotes", quote_element())
    assert quote["QuoteNumber"].startswith("QU-") and quote["LineAmountTypes"] == "EXCLUSIVE"
    resp, body = await api.call("GET", "/Quotes?Status=DRAFT&DateFrom=2026-03-01&page=1")
    assert quote["QuoteID"] in [q["QuoteID"] for q in json.loads(body)["Quotes"]]
    resp, body = await api.call("POST", f"/Quotes/{quote['QuoteID']}", json={"Quotes": [{"Status": "SENT"}]})
    assert resp.status == 200 and json.loads(body)["Quotes"][0]["Status"] == "SENT"
    resp, body = await api.call("GET", "/Quotes?DateFrom=not-a-date")
    assert resp.status == 400

    order = await _create(api, "/PurchaseOrders", "PurchaseOrders", purchase_order_element())
    resp, body = await api.call("GET", f"/PurchaseOrders/{order['PurchaseOrderNumber']}")
    assert resp.status == 200 and json.loads(body)["PurchaseOrders"][0]["PurchaseOrderID"] == order["PurchaseOrderID"]
    resp, body = await api.call("GET", "/PurchaseOrders?Status=DRAFT&page=1&pageSize=5")
    assert json.loads(body)["pagination"]["pageSize"] == 5
    resp, body = await api.call("PUT", "/PurchaseOrders?summarizeErrors=false",
                                json={"PurchaseOrders": [purchase_order_element(), {"Contact": {}}]})
    answered = json.loads(body)["PurchaseOrders"]
    assert resp.status == 200 and [o["StatusAttributeString"] for o in answered] == ["OK", "ERROR"]

    bill = await _create(api, "/Invoices", "Invoices", bill_element())
    resp, body = await api.call("PUT", "/LinkedTransactions", json={
        "SourceTransactionID": bill["InvoiceID"], "SourceLineItemID": bill["LineItems"][0]["LineItemID"]})
    assert resp.status == 200, body
    linked = json.loads(body)["LinkedTransactions"][0]
    assert linked["Status"] == "APPROVED" and linked["SourceTransactionTypeCode"] == "ACCPAY"
    resp, body = await api.call("GET", f"/LinkedTransactions?SourceTransactionID={bill['InvoiceID']}")
    assert [lt["LinkedTransactionID"] for lt in json.loads(body)["LinkedTransactions"]] == [
        linked["LinkedTransactionID"]]
    resp, _ = await api.call("DELETE", f"/LinkedTransactions/{linked['LinkedTransactionID']}")
    assert resp.status == 204
    resp, _ = await api.call("GET", f"/LinkedTransactions/{linked['LinkedTransactionID']}")
    assert resp.status == 404


async def test_pdfs_by_path_and_by_accept(api) -> None:
    invoice = await _create(api, "/Invoices", "Invoices", invoice_element())
    quote = await _create(api, "/Quotes", "Quotes", quote_element())
    order = await _create(api, "/PurchaseOrders", "PurchaseOrders", purchase_order_element())
    for path, number in ((f"/Invoices/{invoice['InvoiceID']}", invoice["InvoiceNumber"]),
                         (f"/Quotes/{quote['QuoteID']}", quote["QuoteNumber"]),
                         (f"/PurchaseOrders/{order['PurchaseOrderID']}", order["PurchaseOrderNumber"])):
        for url, headers in ((f"{path}/pdf", {}), (path, {"Accept": "application/pdf"})):
            resp, body = await api.call("GET", url, headers=headers)
            assert resp.status == 200 and resp.headers["Content-Type"] == "application/pdf", (url, body[:200])
            assert body.startswith(b"%PDF-") and number in _text(body)
    resp, _ = await api.call("GET", "/Quotes/00000000-0000-0000-0000-000000000002/pdf")
    assert resp.status == 404


async def test_xero_python_get_invoice_as_pdf(api, http) -> None:
    from xero_python.accounting import AccountingApi
    from xero_python.api_client import ApiClient, Configuration
    from xero_python.api_client.oauth2 import OAuth2Token

    invoice = await _create(api, "/Invoices", "Invoices", invoice_element())
    token = {"access_token": TOKEN, "refresh_token": "", "token_type": "Bearer", "expires_in": 1800,
             "expires_at": time.time() + 1800, "scope": ["accounting.transactions"], "id_token": None}
    api_client = ApiClient(Configuration(oauth2_token=OAuth2Token(client_id="c", client_secret="s")),
                           pool_threads=1, oauth2_token_getter=lambda: token, oauth2_token_saver=lambda t: None)
    accounting = AccountingApi(api_client, base_url=str(http.make_url("/1000/api.xro/2.0")))
    path = await asyncio.to_thread(accounting.get_invoice_as_pdf, TENANT, invoice["InvoiceID"])
    content = await asyncio.to_thread(Path(path).read_bytes)
    assert content.startswith(b"%PDF-") and invoice["InvoiceNumber"] in _text(content)

    history = await asyncio.to_thread(accounting.get_invoice_history, TENANT, invoice["InvoiceID"])
    assert history.history_records[0].changes == "Created"
    quotes = await asyncio.to_thread(accounting.get_quotes, TENANT, status="DRAFT")
    assert quotes.quotes == [] or all(q.status.value == "DRAFT" for q in quotes.quotes)
