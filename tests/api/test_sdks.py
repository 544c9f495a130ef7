"""The real SDKs against the front end (fake adapter behind it): pyxero (XML writes, hyphen-less IDs, RFC 1123
If-Modified-Since, ``/Organisations``) and xero-python (JSON, CSV IDs, ``get_invoice_as_pdf`` by ``Accept``).

The SDKs are synchronous, so they run in a worker thread against the test server's real loopback port. Every
Accounting API response they receive is validated against Xero's spec.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from tests.api.conftest import TOKEN
from tests.api.fake_adapter import CONTACT_ID, INVOICE_2_ID, INVOICE_ID, PDF_BYTES, TENANT_ID


@pytest.fixture
def recorded(monkeypatch, xero_spec):
    """Record every response ``requests`` returns (pyxero's transport) and validate it afterwards."""
    seen: list[requests.Response] = []
    original = requests.Session.send

    def send(self, request, **kwargs):
        response = original(self, request, **kwargs)
        seen.append(response)
        return response

    monkeypatch.setattr(requests.Session, "send", send)
    yield seen
    for r in seen:
        xero_spec.validate_response(r.request.method, r.url, r.status_code, r.content, dict(r.headers))


@pytest.fixture
def pyxero(client, monkeypatch):
    from xero import Xero
    from xero.auth import OAuth2Credentials

    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    creds = OAuth2Credentials("client-id", "client-secret", tenant_id=TENANT_ID, token={
        "access_token": TOKEN, "token_type": "Bearer", "expires_in": 1800, "expires_at": time.time() + 1800})
    creds.base_url = str(client.make_url("/1000")).rstrip("/")  # before Xero(creds), per the README recipe
    return Xero(creds)


async def test_pyxero(pyxero, adapter, recorded):
    orgs = await asyncio.to_thread(pyxero.organisations.all)
    assert orgs[0]["Name"] == "Fake Org" and adapter.calls[-1].operation_id == "getOrganisations"

    found = await asyncio.to_thread(pyxero.invoices.filter, IDs=[INVOICE_ID, INVOICE_2_ID], Status="AUTHORISED",
                                    since=datetime(2024, 1, 2, 3, 4, 5))
    assert [i["InvoiceID"] for i in found] == [INVOICE_ID, INVOICE_2_ID]
    assert found[0]["Date"] == datetime(2024, 3, 15, tzinfo=UTC)  # pyxero parsed our /Date()/
    call = adapter.calls[-1]
    assert call.params["IDs"] == f"{INVOICE_ID.replace('-', '')},{INVOICE_2_ID.replace('-', '')}"
    assert call.query.ids == [INVOICE_ID, INVOICE_2_ID]
    assert call.query.where_text == 'Status=="AUTHORISED"'
    assert call.query.if_modified_since.isoformat() == "2024-01-02T03:04:05+00:00"

    made = await asyncio.to_thread(pyxero.invoices.put, [{
        "Type": "ACCREC", "Contact": {"ContactID": CONTACT_ID}, "Date": date(2024, 1, 15),
        "LineAmountTypes": "Exclusive",
        "LineItems": [{"Description": "Consulting", "Quantity": 2, "UnitAmount": Decimal("50.00"),
                       "AccountCode": "200", "Tracking": [{"Name": "Region", "Option": "North"}]}]}])
    assert made[0]["InvoiceID"] and made[0]["LineItems"][0]["UnitAmount"] == 50
    element = adapter.calls[-1].elements[0]
    assert element["Date"] == "2024-01-15T00:00:00" and element["LineItems"][0]["Quantity"] == "2"

    contact = await asyncio.to_thread(pyxero.contacts.put, {
        "Name": "Bayside Club", "Addresses": [{"AddressType": "STREET", "City": "Ridge"}],
        "Phones": [{"PhoneType": "DEFAULT", "PhoneNumber": "555"}, {"PhoneType": "MOBILE", "PhoneNumber": "556"}]})
    assert contact[0]["Name"] == "Bayside Club"
    element = adapter.calls[-1].elements[0]
    assert element["Addresses"] == [{"AddressType": "STREET", "City": "Ridge"}]
    assert [p["PhoneNumber"] for p in element["Phones"]] == ["555", "556"]

    partial = await asyncio.to_thread(pyxero.invoices.put, [{"Type": "ACCREC"}], summarize_errors=False)
    assert partial[0]["StatusAttributeString"] == "ERROR" and partial[0]["HasErrors"] is True
    assert adapter.calls[-1].query.summarize_errors is False

    one = await asyncio.to_thread(pyxero.invoices.get, "INV-002")
    assert one[0]["InvoiceID"] == INVOICE_2_ID
    assert recorded and all(r.status_code == 200 for r in recorded)


async def test_pyxero_unsupported_operation_raises_not_implemented(pyxero):
    from xero.exceptions import XeroNotImplemented

    with pytest.raises(XeroNotImplemented) as err:
        await asyncio.to_thread(pyxero.users.all)
    assert "getUsers is not supported for source 1000" in str(err.value)


async def test_xero_python(client, adapter, recorded, monkeypatch):
    from xero_python.accounting import AccountingApi, Contact, Invoice, Invoices, LineItem
    from xero_python.api_client import ApiClient, Configuration
    from xero_python.api_client.oauth2 import OAuth2Token
    from xero_python.exceptions import HTTPStatusException

    token = {"access_token": TOKEN, "refresh_token": "", "token_type": "Bearer", "expires_in": 1800,
             "expires_at": time.time() + 1800, "scope": ["accounting.transactions"], "id_token": None}
    api_client = ApiClient(Configuration(oauth2_token=OAuth2Token(client_id="c", client_secret="s")),
                           pool_threads=1, oauth2_token_getter=lambda: token, oauth2_token_saver=lambda t: None)
    accounting = AccountingApi(api_client, base_url=str(client.make_url("/1000/api.xro/2.0")))

    orgs = await asyncio.to_thread(accounting.get_organisations, TENANT_ID)
    assert orgs.organisations[0].name == "Fake Org"

    invoices = await asyncio.to_thread(accounting.get_invoices, TENANT_ID, i_ds=[INVOICE_ID, INVOICE_2_ID],
                                       where='Type=="ACCREC"', order="Date DESC", page=1, page_size=1, unitdp=4,
                                       if_modified_since="2020-02-06T12:17:43.202-08:00")
    assert invoices.pagination.item_count == 2 and len(invoices.invoices) == 1
    assert invoices.invoices[0].date == date(2024, 3, 15) and invoices.invoices[0].total == Decimal("120")
    call = adapter.calls[-1]
    assert call.query.ids == [INVOICE_ID, INVOICE_2_ID] and call.query.unitdp == 4

    made = await asyncio.to_thread(accounting.create_invoices, TENANT_ID, Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(contact_id=CONTACT_ID), date=date(2024, 1, 15),
        line_items=[LineItem(description="Consulting", quantity=Decimal("2"), unit_amount=Decimal("50"),
                             account_code="200")])]))
    assert made.invoices[0].invoice_id and made.invoices[0].date == date(2024, 1, 15)

    path = await asyncio.to_thread(accounting.get_invoice_as_pdf, TENANT_ID, INVOICE_ID)
    assert await asyncio.to_thread(Path(path).read_bytes) == PDF_BYTES
    assert adapter.calls[-1].operation_id == "getInvoiceAsPdf"

    with pytest.raises(HTTPStatusException) as err:
        await asyncio.to_thread(accounting.get_budgets, TENANT_ID)
    assert err.value.status == 501
