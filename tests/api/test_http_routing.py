"""Routing over HTTP: case, trailing slash, collisions, aliases, PDF by Accept, 401/403 first, 404, 405, 501."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import API
from tests.api.fake_adapter import INVOICE_2_ID, INVOICE_ID, PDF_BYTES, TENANT_ID

GUID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


@pytest.mark.parametrize("path", ["/Invoices", "/invoices/", "/INVOICES", "/Invoices/"])
async def test_case_insensitive_and_trailing_slash(api, adapter, path):
    resp, body = await api.call("GET", path)
    assert resp.status == 200
    assert [i["InvoiceID"] for i in json.loads(body)["Invoices"]] == [INVOICE_ID, INVOICE_2_ID]
    assert adapter.calls[-1].operation_id == "getInvoices"


async def test_single_invoice_by_id_and_by_number(api, adapter):
    resp, body = await api.call("GET", f"/Invoices/{INVOICE_ID}")
    assert resp.status == 200 and json.loads(body)["Invoices"][0]["InvoiceNumber"] == "INV-001"
    assert adapter.calls[-1].path_params == {"InvoiceID": INVOICE_ID}

    resp, body = await api.call("GET", "/invoices/INV-002")
    assert resp.status == 200 and json.loads(body)["Invoices"][0]["InvoiceNumber"] == "INV-002"
    assert adapter.calls[-1].operation_id == "getInvoice"
    assert adapter.calls[-1].path_params == {"InvoiceNumber": "INV-002"}


@pytest.mark.parametrize("path", ["/Organisation", "/Organisations", "/organisations/"])
async def test_organisation_and_pyxero_alias(api, path):
    resp, body = await api.call("GET", path)
    data = json.loads(body)
    assert resp.status == 200 and data["Organisations"][0]["Name"] == "Fake Org"
    assert data["Organisations"][0]["OrganisationID"] == TENANT_ID


async def test_pdf_by_accept_header(api, adapter):
    for path in (f"/Invoices/{INVOICE_ID}", "/Invoices/INV-001", f"/Invoices/{INVOICE_ID}/pdf"):
        resp, body = await api.call("GET", path, headers={"Accept": "application/pdf"})
        assert resp.status == 200 and body == PDF_BYTES, path
        assert resp.headers["Content-Type"] == "application/pdf"
        assert adapter.calls[-1].operation_id == "getInvoiceAsPdf"
        assert adapter.calls[-1].accept == "application/pdf"
    # JSON still wins when asked for.
    resp, body = await api.call("GET", f"/Invoices/{INVOICE_ID}", headers={"Accept": "application/json"})
    assert resp.status == 200 and json.loads(body)["Invoices"]


@pytest.mark.parametrize("path, operation_id", [
    (f"/CreditNotes/{GUID}", "getCreditNoteAsPdf"),
    (f"/Quotes/{GUID}", "getQuoteAsPdf"),
    (f"/PurchaseOrders/{GUID}", "getPurchaseOrderAsPdf"),
])
async def test_pdf_accept_dispatches_to_the_pdf_operation(api, path, operation_id):
    resp, body = await api.call("GET", path, headers={"Accept": "application/pdf"})
    assert resp.status == 501 and operation_id in json.loads(body)["Message"]


async def test_named_reports_beat_report_id(api, adapter):
    resp, body = await api.call("GET", "/Reports/BalanceSheet")
    assert resp.status == 200 and json.loads(body)["Reports"][0]["ReportName"] == "Balance Sheet"
    assert adapter.calls[-1].operation_id == "getReportBalanceSheet"
    resp, body = await api.call("GET", "/reports/balancesheet/")
    assert adapter.calls[-1].operation_id == "getReportBalanceSheet"
    resp, body = await api.call("GET", "/Reports/1099-published")
    assert resp.status == 200 and json.loads(body)["Reports"][0]["ReportID"] == "1099-published"
    assert adapter.calls[-1].operation_id == "getReportFromId"


@pytest.mark.parametrize("path, operation_id", [
    ("/Contacts/CUST-001", "getContactByContactNumber"),
    (f"/Contacts/{GUID}", "getContact"),
    (f"/Contacts/{GUID.replace('-', '')}", "getContact"),
    ("/Journals/42", "getJournalByNumber"),
    (f"/Journals/{GUID}", "getJournal"),
    ("/PurchaseOrders/PO-0007", "getPurchaseOrderByNumber"),
    (f"/Invoices/{GUID}/Attachments/{GUID}", "getInvoiceAttachmentById"),
    (f"/Invoices/{GUID}/Attachments/scan.pdf", "getInvoiceAttachmentByFileName"),
    ("/TaxRates/OUTPUT2", "getTaxRateByTaxType"),
    (f"/invoices/{GUID}/history", "getInvoiceHistory"),
    (f"/Invoices/{GUID}/Attachments/", "getInvoiceAttachments"),
])
async def test_collisions_reach_the_right_operation(api, path, operation_id):
    """The fake adapter lacks these, so the 501 names the operation the router chose."""
    resp, body = await api.call("GET", path)
    assert resp.status == 501
    data = json.loads(body)
    assert data["Type"] == "NotImplementedException" and data["ErrorNumber"] == 20
    assert f"{operation_id} is not supported for source 1000" in data["Message"]


async def test_unknown_path_is_404(api, client, auth):
    resp, body = await api.call("GET", "/Nothing")
    assert resp.status == 404 and body == b"The resource you're looking for cannot be found"
    resp = await client.get("/9999/api.xro/2.0/Invoices", headers=auth)
    assert resp.status == 404


async def test_wrong_method_on_known_path_is_405(api):
    resp, _ = await api.call("DELETE", "/Invoices")
    assert resp.status == 405
    resp, _ = await api.call("PATCH", f"/Invoices/{INVOICE_ID}")
    assert resp.status == 405


async def test_authentication_comes_first(api, guard_calls):
    # No token: 401 even for an unsupported operation or an unknown invoice.
    for path in ("/Budgets", f"/Invoices/{GUID}", "/Invoices?where=Status=="):
        resp, body = await api.call("GET", path, headers={"Authorization": None})
        assert resp.status == 401, path
        assert json.loads(body)["Title"] == "Unauthorized"
    # Wrong tenant: 403.
    resp, body = await api.call("GET", "/Invoices", headers={"xero-tenant-id": GUID})
    assert resp.status == 403 and json.loads(body)["Detail"] == "AuthenticationUnsuccessful"
    # The guard is told the operation's scopes and spec path.
    assert guard_calls.calls[-1]["path"] == "/Invoices"
    assert "accounting.transactions.read" in guard_calls.calls[-1]["scopes"]
    await api.call("GET", f"/Invoices/{INVOICE_ID}", headers={"Accept": "application/pdf"})
    assert guard_calls.calls[-1]["path"] == "/Invoices/{InvoiceID}/pdf"


async def test_unsupported_operation_is_501_naming_operation_and_source(api):
    resp, body = await api.call("GET", "/Budgets")
    assert resp.status == 501
    assert resp.headers["Content-Type"].startswith("application/json")
    data = json.loads(body)
    assert data == {"ErrorNumber": 20, "Type": "NotImplementedException",
                    "Message": "The method you have called has not been implemented: getBudgets is not "
                               "supported for source 1000"}


async def test_no_content_operation_answers_204(api, adapter):
    resp, body = await api.call("DELETE", f"/Items/{GUID}")
    assert resp.status == 204 and body == b""
    assert adapter.calls[-1].operation_id == "deleteItem"


async def test_api_prefix_is_case_insensitive(client, auth):
    resp = await client.get("/1000/API.XRO/2.0/Organisation", headers=auth)
    assert resp.status == 200
    assert API.startswith("/1000/")


async def test_501_is_xml_for_clients_that_speak_xml(api):
    """pyxero sends Content-Type: application/xml on every call and parses 501 bodies as XML."""
    from defusedxml.ElementTree import fromstring

    for headers in ({"Content-Type": "application/xml"}, {"Accept": "application/xml"}):
        resp, body = await api.call("GET", "/Budgets", headers=headers)
        assert resp.status == 501 and resp.headers["Content-Type"] == "text/xml; charset=utf-8"
        root = fromstring(body)
        assert root.tag == "ApiException" and root.findtext("ErrorNumber") == "20"
        assert "getBudgets is not supported for source 1000" in root.findtext("Message")
