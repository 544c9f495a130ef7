"""Query push-down and write rules over HTTP: the real gateway app in front of the native ledger (demo company),
raw requests and the official xero-python SDK, every answer validated against Xero's spec."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from typing import Any

import pytest

from .conftest import API, TENANT, TOKEN, set_lock_dates


class Api:
    """Calls the Accounting API and validates each answer against the spec."""

    def __init__(self, client: Any, headers: dict[str, str], spec: Any) -> None:
        self.client, self.headers, self.spec = client, headers, spec

    async def __call__(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                       **kwargs: Any) -> tuple[int, Any]:
        resp = await self.client.request(method, API + path, headers={**self.headers, **(headers or {})}, **kwargs)
        body = await resp.read()
        self.spec.validate_response(method, str(resp.url), resp.status, body, dict(resp.headers))
        return resp.status, json.loads(body) if body else None


@pytest.fixture
def api(app_client, auth_headers, xero_spec) -> Api:
    return Api(app_client, auth_headers, xero_spec)


async def test_paged_where_order_list(api) -> None:
    status, body = await api("GET", "/Invoices", params={
        "page": "1", "pageSize": "20", "where": 'Type=="ACCREC" AND Status=="PAID" AND Total>=100',
        "order": "Total DESC"})
    assert status == 200
    invoices = body["Invoices"]
    assert body["pagination"]["page"] == 1 and body["pagination"]["pageSize"] == 20
    assert len(invoices) == min(20, body["pagination"]["itemCount"]) and invoices
    assert all(i["Type"] == "ACCREC" and i["Status"] == "PAID" and i["Total"] >= 100 for i in invoices)
    assert [i["Total"] for i in invoices] == sorted((i["Total"] for i in invoices), reverse=True)
    assert all(i["LineItems"] for i in invoices)  # paged lists carry line items


async def test_list_parameters_over_http(api) -> None:
    _, every = await api("GET", "/Invoices")
    invoices = every["Invoices"]
    ids = [invoices[0]["InvoiceID"], invoices[5]["InvoiceID"]]
    _, picked = await api("GET", "/Invoices", params={"IDs": ",".join(i.replace("-", "").upper() for i in ids)})
    assert sorted(i["InvoiceID"] for i in picked["Invoices"]) == sorted(ids)
    _, voided = await api("GET", "/Invoices", params={"Statuses": "VOIDED,DELETED", "summaryOnly": "true"})
    assert {i["Status"] for i in voided["Invoices"]} == {"VOIDED", "DELETED"}
    assert all("Payments" not in i for i in voided["Invoices"])
    number = next(i["InvoiceNumber"] for i in invoices if i["InvoiceNumber"].startswith("INV-"))
    _, found = await api("GET", "/Invoices", params={"searchTerm": number.lower()})
    assert number in {i["InvoiceNumber"] for i in found["Invoices"]}
    _, mine = await api("GET", "/Invoices", params={"createdByMyApp": "true"})
    assert mine["Invoices"] == []
    _, contacts = await api("GET", "/Contacts", params={"searchTerm": "ASHGROVE", "page": "1"})
    assert [c["Name"] for c in contacts["Contacts"]] == ["Ashgrove Dental Practice"]
    _, archived = await api("GET", "/Contacts",
                            params={"includeArchived": "true", "where": 'ContactStatus=="ARCHIVED"'})
    assert [c["Name"] for c in archived["Contacts"]] == ["Old Mill Tearooms"]
    _, banks = await api("GET", "/Accounts", params={"where": 'Type=="BANK" AND Status=="ACTIVE"', "order": "Code"})
    assert [a["Code"] for a in banks["Accounts"]] == ["090", "091"]
    _, rates = await api("GET", "/TaxRates", params={"where": "CanApplyToRevenue==true", "order": "Name DESC"})
    assert rates["TaxRates"] and all(r["CanApplyToRevenue"] for r in rates["TaxRates"])
    _, payments = await api("GET", "/Payments", params={"where": 'Invoice.Type=="ACCPAY"', "page": "1"})
    assert payments["Payments"] and all(p["Invoice"]["Type"] == "ACCPAY" for p in payments["Payments"])


def _naive_utc(text: str) -> dt.datetime:
    """``UpdatedDateUTCString`` (``2019-03-05T18:59:06Z`` as in the spec's examples) as a naive UTC datetime."""
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC).replace(tzinfo=None)


async def test_if_modified_since_header_has_second_precision(api) -> None:
    _, every = await api("GET", "/Invoices")
    stamps = sorted({_naive_utc(i["UpdatedDateUTCString"]) for i in every["Invoices"]})
    pivot = stamps[len(stamps) // 2]  # naive UTC, whole minutes in the demo
    expected = {i["InvoiceID"] for i in every["Invoices"] if _naive_utc(i["UpdatedDateUTCString"]) > pivot}
    for header in (f"{pivot.isoformat()}.900Z",                                      # truncated to the second
                   (pivot.replace(tzinfo=dt.UTC)).strftime("%a, %d %b %Y %H:%M:%S GMT")):  # RFC 1123 (pyxero)
        _, newer = await api("GET", "/Invoices", headers={"If-Modified-Since": header})
        assert {i["InvoiceID"] for i in newer["Invoices"]} == expected, header
    _, inclusive = await api("GET", "/Invoices", headers={
        "If-Modified-Since": (pivot - dt.timedelta(seconds=1)).isoformat() + ".5"})
    assert len(inclusive["Invoices"]) > len(expected)


async def test_query_errors_are_xero_shaped(api) -> None:
    status, body = await api("GET", "/Invoices", params={"where": 'Foo=="x"'})
    assert status == 400
    assert body == {"ErrorNumber": 16, "Type": "QueryParseException",
                    "Message": "No property or field 'Foo' exists in type 'Invoice'"}
    status, body = await api("GET", "/Contacts", params={"order": "Nickname"})
    assert status == 400 and body["Message"] == "No property or field 'Nickname' exists in type 'Contact'"


async def test_lock_date_refusal_over_http(api, app_client) -> None:
    from adapters.native.adapter import NativeLedgerAdapter
    from gateway.appkeys import SOURCES

    ledger = app_client.server.app[SOURCES].started()["1000"]
    assert isinstance(ledger, NativeLedgerAdapter)
    await set_lock_dates(ledger, end_of_year=dt.date(2025, 12, 31))
    element = {"Type": "ACCREC", "Contact": {"Name": "Meridian University"}, "Date": "2025-12-01",
               "DueDate": "2026-01-01", "Status": "AUTHORISED",
               "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 10, "AccountCode": "200"}]}
    status, body = await api("PUT", "/Invoices", json={"Invoices": [element]})
    assert status == 400 and body["Type"] == "ValidationException"
    assert [e["Message"] for e in body["Elements"][0]["ValidationErrors"]] == [
        "The document date cannot be before the end of year lock date, currently set at 31-Dec-2025"]
    _, orgs = await api("GET", "/Organisation")
    assert orgs["Organisations"][0]["EndOfYearLockDate"] == "/Date(1767139200000+0000)/"


async def test_xero_python_sdk_list_calls(app_client, xero_spec, monkeypatch) -> None:
    """The official SDK's list calls with where/order/page/If-Modified-Since/IDs/Statuses/searchTerm."""
    from xero_python import rest
    from xero_python.accounting import AccountingApi
    from xero_python.api_client import ApiClient, Configuration
    from xero_python.api_client.oauth2 import OAuth2Token

    seen: list[tuple[str, str, int, bytes, dict]] = []
    original = rest.RESTClientObject.request

    def recording(self, method, url, *args, **kwargs):
        response = original(self, method, url, *args, **kwargs)
        raw = getattr(response, "urllib3_response", response)
        seen.append((method, url, raw.status, raw.data, dict(raw.headers)))
        return response

    monkeypatch.setattr(rest.RESTClientObject, "request", recording)
    token = {"access_token": TOKEN, "refresh_token": "", "token_type": "Bearer", "expires_in": 1800,
             "expires_at": time.time() + 1800, "scope": ["accounting.transactions"], "id_token": None}
    api_client = ApiClient(Configuration(oauth2_token=OAuth2Token(client_id="c", client_secret="s")),
                           pool_threads=1, oauth2_token_getter=lambda: token, oauth2_token_saver=lambda t: None)
    accounting = AccountingApi(api_client, base_url=str(app_client.make_url(API)))

    def ev(value: Any) -> Any:
        return getattr(value, "value", value)

    paged = await asyncio.to_thread(accounting.get_invoices, TENANT, where='Type=="ACCPAY" AND AmountDue>0',
                                    order="DueDate ASC", page=1, page_size=10, unitdp=4)
    assert paged.invoices and paged.pagination.page_size == 10
    assert all(ev(i.type) == "ACCPAY" and i.amount_due > 0 for i in paged.invoices)
    dues = [i.due_date for i in paged.invoices]
    assert dues == sorted(dues)

    every = (await asyncio.to_thread(accounting.get_invoices, TENANT)).invoices
    pivot = sorted(i.updated_date_utc for i in every)[len(every) // 2]
    newer = await asyncio.to_thread(accounting.get_invoices, TENANT, if_modified_since=pivot.isoformat())
    assert newer.invoices and all(i.updated_date_utc > pivot for i in newer.invoices)

    ids = [every[1].invoice_id, every[2].invoice_id]
    by_ids = await asyncio.to_thread(accounting.get_invoices, TENANT, i_ds=ids, statuses=[ev(every[1].status)])
    assert {str(i.invoice_id) for i in by_ids.invoices} == {str(every[1].invoice_id)} | (
        {str(every[2].invoice_id)} if ev(every[2].status) == ev(every[1].status) else set())

    number = next(i.invoice_number for i in every if (i.invoice_number or "").startswith("INV-"))
    searched = await asyncio.to_thread(accounting.get_invoices, TENANT, search_term=number.lower())
    assert number in {i.invoice_number for i in searched.invoices}

    contacts = await asyncio.to_thread(accounting.get_contacts, TENANT, where="IsSupplier==true", order="Name DESC",
                                       page=1, search_term="ltd")
    names = [c.name for c in contacts.contacts]
    assert names and names == sorted(names, key=str.lower, reverse=True)
    assert all("ltd" in n.lower() and c.is_supplier for n, c in zip(names, contacts.contacts, strict=True))
    accounts = await asyncio.to_thread(accounting.get_accounts, TENANT, where='Class=="REVENUE"', order="Code")
    assert accounts.accounts and all(ev(a._class) == "REVENUE" for a in accounts.accounts)
    payments = await asyncio.to_thread(accounting.get_payments, TENANT, where="Amount>500", order="Amount DESC",
                                       page=1)
    assert payments.payments and all(p.amount > 500 for p in payments.payments)
    rates = await asyncio.to_thread(accounting.get_tax_rates, TENANT, where='Status=="ACTIVE"', order="Name")
    assert [r.name for r in rates.tax_rates] == sorted((r.name for r in rates.tax_rates), key=str.lower)

    assert len(seen) >= 9
    for method, url, status, body, headers in seen:
        assert status == 200, url
        xero_spec.validate_response(method, url, status, body, headers)
