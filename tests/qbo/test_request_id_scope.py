"""QBO's ``requestid`` is scoped by partner app and tenant (adapters/qbo/unit.py, "Request ids").

QBO dedupes ``requestid`` per realm (upstream-contracts.md §1 "Idempotency"), while an ``Idempotency-Key`` belongs to
one client and tenant: two apps sending the same key must make two writes, one app repeating its key one write.
"""

from __future__ import annotations

import pytest

from adapters.qbo.unit import MAX_REQUEST_ID, derive_request_id
from gateway.xero.request import ListQuery, RequestContext, XeroRequest

pytestmark = pytest.mark.slow


def test_request_id_depends_on_client_and_tenant_and_fits_qbo():
    ids = {derive_request_id("k-1", "createInvoices", "main:0", client_id=client, tenant_id=tenant)
           for client in ("app-a", "app-b") for tenant in ("t-1", "t-2")}
    assert len(ids) == 4
    assert all(len(i) == MAX_REQUEST_ID for i in ids)
    again = derive_request_id("k-1", "createInvoices", "main:0", client_id="app-a", tenant_id="t-1")
    assert again in ids


async def test_two_clients_with_one_key_write_twice_and_one_client_once(qbo):
    account = await qbo.api("PUT", "/Accounts", body={"Code": "4000", "Name": "Consulting Income",
                                                      "Type": "REVENUE"})
    assert account.status == 200, account.body
    contact_id = (await qbo.api("GET", "/Contacts")).body["Contacts"][0]["ContactID"]
    invoice = {"Type": "ACCREC", "Contact": {"ContactID": contact_id}, "Reference": "scoped-key",
               "LineItems": [{"Description": "Work", "Quantity": 1, "UnitAmount": "10.00", "AccountCode": "4000",
                              "TaxType": "NONE"}]}
    request = XeroRequest(operation_id="createInvoices", method="PUT", query=ListQuery(), elements=[invoice],
                          idempotency_key="same-key")

    def ctx(client_id: str) -> RequestContext:
        return RequestContext(source_code="1004", tenant_id=qbo.tenant_id, client_id=client_id, app_name=client_id,
                              user_id=None, scopes=frozenset({"accounting.transactions"}))

    # Straight to the adapter: the gateway's own key store (per client) would answer a repeat before QBO is asked.
    first = await qbo.adapter.create_invoices(ctx("app-a"), request)
    replayed = await qbo.adapter.create_invoices(ctx("app-a"), request)
    other = await qbo.adapter.create_invoices(ctx("app-b"), request)
    assert replayed.items[0].InvoiceID == first.items[0].InvoiceID
    assert other.items[0].InvoiceID != first.items[0].InvoiceID
    listed = await qbo.api("GET", "/Invoices", params={"where": 'Reference=="scoped-key"'})
    assert len(listed.body["Invoices"]) == 2
