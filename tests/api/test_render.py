"""Rendering: Xero's envelope, /Date()/ dates, content types, ProviderName, summarizeErrors=false."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from gateway.api.render import render_result
from gateway.xero.envelope import build_envelope, to_json_bytes
from gateway.xero.models import Invoice, Pagination, ValidationError
from gateway.xero.models.documents import BankTransaction
from gateway.xero.request import Result
from tests.api.conftest import APP_NAME
from tests.api.fake_adapter import CONTACT_ID, INVOICE_ID

MSDATE = re.compile(r"^/Date\(-?\d+(\+0000)?\)/$")


def test_build_envelope():
    now = datetime(2019, 3, 11, 18, 46, 41, 318000, tzinfo=UTC)
    body = build_envelope("Invoices", [Invoice(InvoiceID=INVOICE_ID, Total=Decimal("12.50"))],
                          provider_name="My App", now=now, envelope_id="e1",
                          pagination=Pagination(page=1, pageSize=100, pageCount=1, itemCount=1),
                          warnings=["Rounding applied"])
    assert body == {"Id": "e1", "Status": "OK", "ProviderName": "My App", "DateTimeUTC": "/Date(1552330001318+0000)/",
                    "Invoices": [{"InvoiceID": INVOICE_ID, "Total": 12.5}],
                    "pagination": {"page": 1, "pageSize": 100, "pageCount": 1, "itemCount": 1},
                    "Warnings": [{"Message": "Rounding applied"}]}
    bare = build_envelope("Invoices", [], provider_name="p")
    assert set(bare) == {"Id", "Status", "ProviderName", "DateTimeUTC", "Invoices"}
    assert uuid.UUID(bare["Id"]) and MSDATE.match(bare["DateTimeUTC"])


def test_to_json_bytes_handles_loose_values():
    out = json.loads(to_json_bytes({"a": Decimal("1.50"), "b": Decimal("2"), "c": datetime(1970, 1, 1, tzinfo=UTC),
                                    "d": uuid.UUID(INVOICE_ID), "e": "é"}))
    assert out == {"a": 1.5, "b": 2, "c": "/Date(0+0000)/", "d": INVOICE_ID, "e": "é"}


def test_render_single_object_and_empty(monkeypatch):
    from gateway.api.operations import load_operations

    ops = load_operations()
    resp = render_result(Result(items=[Invoice(InvoiceID=INVOICE_ID)]), op=ops["deleteCreditNoteAllocations"],
                         provider_name="p")
    assert resp.status == 200 and json.loads(resp.body) == {"InvoiceID": INVOICE_ID}  # bare Allocation
    resp = render_result(Result(), op=ops["emailInvoice"], provider_name="p")
    assert resp.status == 204 and not resp.body
    resp = render_result(Result(status=201), op=ops["createInvoices"], provider_name="p", summarize_errors=False)
    assert resp.status == 200


async def test_envelope_over_http(api):
    resp, body = await api.call("GET", "/Invoices")
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(body)
    assert list(data)[:4] == ["Id", "Status", "ProviderName", "DateTimeUTC"]
    assert data["Status"] == "OK" and data["ProviderName"] == APP_NAME
    assert uuid.UUID(data["Id"]) and MSDATE.match(data["DateTimeUTC"])
    assert "pagination" not in data and "Warnings" not in data  # unpaged, no warnings
    invoice = data["Invoices"][0]
    assert invoice["Date"] == "/Date(1710460800000+0000)/" and invoice["DateString"] == "2024-03-15T00:00:00"
    assert invoice["DueDate"] == "/Date(1713052800000+0000)/"
    assert invoice["UpdatedDateUTC"] == "/Date(1710583200000+0000)/"
    assert invoice["Total"] == 120 and invoice["AmountDue"] == 120
    assert all(v is not None for v in invoice.values())
    # The Id is new for every response.
    _, again = await api.call("GET", "/Invoices")
    assert json.loads(again)["Id"] != data["Id"]


async def test_single_get_uses_plural_key(api):
    _, body = await api.call("GET", f"/Invoices/{INVOICE_ID}")
    data = json.loads(body)
    assert "Invoice" not in data and len(data["Invoices"]) == 1


async def test_provider_name_falls_back_to_settings(api, monkeypatch):
    from dataclasses import replace

    from gateway.api import handler

    real = handler.authenticate_api_call

    async def nameless(request, code, **kwargs):
        return replace(await real(request, code, **kwargs), app_name="")

    monkeypatch.setattr(handler, "authenticate_api_call", nameless)
    _, body = await api.call("GET", "/Organisation")
    assert json.loads(body)["ProviderName"] == "Xero Gateway"


async def test_validation_error_with_summarize_errors_is_400(api, adapter):
    payload = {"Invoices": [{"Type": "ACCREC"}]}
    resp, body = await api.call("PUT", "/Invoices", json=payload)
    assert resp.status == 400
    data = json.loads(body)
    assert data["Type"] == "ValidationException" and data["ErrorNumber"] == 10
    assert data["Elements"][0]["ValidationErrors"][0]["Message"] == "A Contact must be specified"


async def test_summarize_errors_false_is_200_with_per_element_errors(api):
    payload = {"Invoices": [{"Type": "ACCREC"}, {"Type": "ACCREC", "Contact": {"ContactID": CONTACT_ID}}]}
    resp, body = await api.call("PUT", "/Invoices?summarizeErrors=false", json=payload)
    assert resp.status == 200
    first, second = json.loads(body)["Invoices"]
    assert first["HasErrors"] is True and first["StatusAttributeString"] == "ERROR"
    assert first["ValidationErrors"] == [{"Message": "A Contact must be specified"}]
    assert second["StatusAttributeString"] == "OK" and uuid.UUID(second["InvoiceID"])



def test_summarize_errors_false_fills_what_the_spec_requires_of_any_adapters_failed_echo():
    """The front end, not each adapter, gives a failed element the fields its schema requires (gateway.xero.echo):
    an adapter that echoes a bare failed model still answers the spec's shape; written elements and elements already
    rendered as dicts are left as they are."""
    from gateway.api.operations import load_operations

    failed = BankTransaction(StatusAttributeString="ERROR", ValidationErrors=[ValidationError(Message="No type")])
    written = BankTransaction(Type="SPEND", StatusAttributeString="OK")
    rendered = {"StatusAttributeString": "ERROR", "ValidationErrors": [{"Message": "No lines"}]}
    result = Result(items=[failed, written, rendered])
    resp = render_result(result, op=load_operations()["createBankTransactions"], provider_name="p",
                         summarize_errors=False)
    first, second, third = json.loads(resp.body)["BankTransactions"]
    assert (first["Type"], first["LineItems"], first["BankAccount"]) == (
        "RECEIVE", [], {"AccountID": "00000000-0000-0000-0000-000000000000"})
    assert second == {"Type": "SPEND", "StatusAttributeString": "OK"}
    assert third == rendered

async def test_summarize_errors_false_when_adapter_raises_anyway(api):
    """The safety net: an adapter that raises ValidationException still yields Xero's 200 answer."""
    payload = {"Contacts": [{"EmailAddress": "x@example.com"}]}
    resp, body = await api.call("PUT", "/Contacts?SummarizeErrors=FALSE", json=payload)
    assert resp.status == 200
    (contact,) = json.loads(body)["Contacts"]
    assert contact["StatusAttributeString"] == "ERROR" and contact["EmailAddress"] == "x@example.com"
    assert contact["ValidationErrors"] == [{"Message": "The contact name must be specified"}]
    resp, body = await api.call("PUT", "/Contacts", json=payload)
    assert resp.status == 400


async def test_pdf_is_raw_bytes(api):
    resp, body = await api.call("GET", f"/Invoices/{INVOICE_ID}/pdf")
    assert resp.status == 200 and body.startswith(b"%PDF")
    assert resp.headers["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("path", ["/Invoices?page=1&pageSize=1", "/Invoices?page=2&pageSize=1",
                                  "/Invoices?page=9"])
async def test_pagination_rendered(api, path):
    resp, body = await api.call("GET", path)
    data = json.loads(body)
    assert resp.status == 200 and set(data["pagination"]) == {"page", "pageSize", "pageCount", "itemCount"}
    assert data["pagination"]["itemCount"] == 2


# --- XML answers (gateway.xero.xmlrender), chosen by Accept ------------------------------------------------------


async def test_xml_for_clients_that_ask_for_it(api):
    from defusedxml.ElementTree import fromstring

    resp, body = await api.call("GET", f"/Invoices/{INVOICE_ID}", headers={"Accept": "text/xml"}, validate=False)
    assert resp.status == 200 and resp.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = fromstring(body)
    assert root.tag == "Response" and root.findtext("ProviderName") == APP_NAME
    assert [el.findtext("InvoiceID") for el in root.find("Invoices")] == [INVOICE_ID]


async def test_pyxero_headers_keep_json_answers_and_errors(api):
    """pyxero sends ``Content-Type: application/xml`` and ``Accept: application/json``: its 200s and 400s stay
    JSON (pyxero 0.9.5 parses 200 bodies as JSON only); only its 501s are XML (test_http_routing)."""
    xml_body = b"<Invoices><Invoice><Type>ACCREC</Type></Invoice></Invoices>"
    resp, body = await api.call("PUT", "/Invoices", data=xml_body, headers={"Content-Type": "application/xml"})
    assert resp.status == 400 and json.loads(body)["Type"] == "ValidationException"
    resp, body = await api.call("GET", "/Invoices", headers={"Content-Type": "application/xml"})
    assert resp.status == 200 and json.loads(body)["Status"] == "OK"


async def test_xml_validation_error_names_the_elements(api):
    from defusedxml.ElementTree import fromstring

    resp, body = await api.call("PUT", "/Contacts", json={"Contacts": [{"EmailAddress": "x@example.com"}]},
                                headers={"Accept": "application/xml"}, validate=False)
    assert resp.status == 400 and resp.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = fromstring(body)
    (element,) = root.find("Elements")
    assert element.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "Contact"
    assert element.findtext("EmailAddress") == "x@example.com"
    assert element.findtext("ValidationErrors/ValidationError/Message") == "The contact name must be specified"


@pytest.mark.parametrize(("headers", "status"), [({"Authorization": "Bearer wrong"}, 401),
                                                 ({"xero-tenant-id": "0" * 32}, 403)])
async def test_identity_errors_stay_problem_details_for_xml_clients(api, headers, status):
    resp, body = await api.call("GET", "/Invoices", headers={"Accept": "application/xml", **headers},
                                validate=False)
    assert resp.status == status and resp.headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["Detail"] == "AuthenticationUnsuccessful"


def test_single_object_answers_render_as_their_schema():
    from gateway.api.operations import load_operations
    from gateway.xero.models.documents import Allocation

    op = load_operations()["deleteCreditNoteAllocations"]
    result = Result(items=[Allocation(AllocationID="a1", Amount=Decimal("10.00"), IsDeleted=True)])
    xml = render_result(result, op=op, provider_name="p", xml=True)
    assert xml.body == (b"<Allocation><AllocationID>a1</AllocationID><AppliedAmount>10.00</AppliedAmount>"
                        b"<IsDeleted>true</IsDeleted></Allocation>")
    assert json.loads(render_result(result, op=op, provider_name="p").body) == {
        "AllocationID": "a1", "Amount": 10, "IsDeleted": True}


async def test_an_xml_error_is_replayed_as_xml_under_its_idempotency_key(api, adapter):
    nameless = {"Contacts": [{"EmailAddress": "x@example.com"}]}
    headers = {"Accept": "application/xml", "Idempotency-Key": "xml-error-1"}
    first, first_body = await api.call("PUT", "/Contacts", json=nameless, headers=headers, validate=False)
    again, again_body = await api.call("PUT", "/Contacts", json=nameless, headers=headers, validate=False)
    assert (first.status, first.headers["Content-Type"]) == (400, "text/xml; charset=utf-8")
    assert (again.status, again_body, again.headers["Content-Type"]) == (400, first_body, first.headers["Content-Type"])
    assert [c.operation_id for c in adapter.calls].count("createContacts") == 1


def test_to_json_bytes_is_compact_and_says_what_the_stdlib_says():
    """Issue 10: orjson writes the answer (compact); its content is the stdlib's, and what orjson refuses (an integer
    beyond 64 bits) is still written."""
    body = {"Invoices": [{"Total": Decimal("10.25"), "Date": date(2024, 2, 29), "Name": "Café ☕", 7: None,
                          "At": datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), "ID": uuid.UUID(INVOICE_ID)}]}
    out = to_json_bytes(body)
    assert out.startswith(b'{"Invoices":[{"Total":10.25,')  # compact: no blanks after separators
    assert json.loads(out) == {"Invoices": [{"Total": 10.25, "Date": "/Date(1709164800000+0000)/", "Name": "Café ☕",
                                             "7": None, "At": "/Date(1704164645000+0000)/", "ID": INVOICE_ID}]}
    assert json.loads(to_json_bytes({"n": 2**70})) == {"n": 2**70}
    with pytest.raises(TypeError):
        to_json_bytes({"x": object()})


def test_only_dated_models_carry_the_companion_serializer():
    """Issue 10: a model without ISO companions renders without a Python call per object; one that lists companions
    must derive from DatedModel, which renders them (else they would silently vanish)."""
    from typing import ClassVar

    from gateway.xero.models import DatedModel, LineItem, MsDate, XeroModel

    with pytest.raises(TypeError, match="DatedModel"):
        class Undated(XeroModel):  # noqa: F841 - its creation is the test
            companions: ClassVar[dict[str, str]] = {"Date": "DateString"}
            Date: MsDate | None = None

    class Dated(DatedModel):
        companions: ClassVar[dict[str, str]] = {"Date": "DateString"}
        Date: MsDate | None = None

    assert Dated(Date=date(2024, 1, 2)).model_dump(mode="json") == {"Date": "/Date(1704153600000+0000)/",
                                                                  "DateString": "2024-01-02T00:00:00"}
    assert "FunctionWrapSerializer" not in repr(LineItem.__pydantic_serializer__)
