"""Events from the gateway's own writes through ``/1000`` (the real app, its native ledger and its delivery
worker), delivered to a real receiver; and the write → event rules on their own."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.native.demo.company import DEMO_TENANT_ID
from gateway import appkeys
from gateway.api.operations import load_operations
from gateway.app import create_app
from gateway.identity import apps
from gateway.settings import load_settings
from gateway.store.crypto import SecretBox
from gateway.webhooks import subscriptions
from gateway.webhooks.categories import XERO_CATEGORIES
from gateway.webhooks.writes import write_events, written_collection
from gateway.xero.models import Contact
from gateway.xero.request import RequestContext, Result, XeroRequest
from tests.support.native import accounting_scopes
from tests.webhooks.receiver import WAIT_LIMIT
from tests.webhooks.spec import validate_body

API = "/1000/api.xro/2.0"


@pytest.fixture
async def gateway(tmp_path):
    config = tmp_path / "gateway.toml"
    config.write_text("[webhooks]\npoll_interval = 0.1\ndelivery_timeout = 5.0\n")
    settings = load_settings(config, data_dir=tmp_path / "data", port=0)
    client = TestClient(TestServer(create_app(settings)))
    await client.start_server()
    yield client
    await client.close()


async def connect(gateway: TestClient, receiver, events: str) -> tuple[str, dict[str, str]]:
    """A custom connection to the demo tenant with a webhook to ``receiver``; waits (bounded) for its intent to
    receive to pass. Returns the client id and the API headers of its token."""
    db = gateway.app[appkeys.DB]
    registered = await apps.create_app(db, name="Hooked", redirect_uris=[], scopes=accounting_scopes(),
                                       custom_connection=True, code="1000", tenant_id=DEMO_TENANT_ID)
    box = SecretBox.from_data_dir(gateway.app[appkeys.SETTINGS].data_dir)
    shown = await subscriptions.set_subscription(db, box, registered["client_id"], url=receiver.url, events=events)
    receiver.keys[registered["client_id"]] = shown["webhook_key"]
    for _ in range(int(WAIT_LIMIT / 0.05)):  # the app's worker runs the intent to receive within its interval
        if (await subscriptions.show(db, registered["client_id"]))["status"] == "OK":
            break
        await asyncio.sleep(0.05)
    assert (await subscriptions.show(db, registered["client_id"]))["status"] == "OK"
    resp = await gateway.post("/1000/connect/token", data={
        "grant_type": "client_credentials", "client_id": registered["client_id"],
        "client_secret": registered["client_secret"]})
    token = (await resp.json())["access_token"]
    return registered["client_id"], {"Authorization": f"Bearer {token}", "xero-tenant-id": DEMO_TENANT_ID,
                                     "Accept": "application/json"}


async def write(gateway: TestClient, headers, method: str, path: str, body: dict, key: str | None = None):
    extra = {"Idempotency-Key": key} if key else {}
    resp = await gateway.request(method, API + path, headers={**headers, **extra}, json=body)
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def test_writes_through_1000_are_delivered_to_every_connected_app(gateway, receiver, xero_spec):
    writer, headers = await connect(gateway, receiver, "CONTACT INVOICE CREDITNOTE PAYMENT")
    watcher, _ = await connect(gateway, receiver, "CONTACT")  # another app connected to the same tenant
    receiver.deliveries.clear()

    contact = (await write(gateway, headers, "PUT", "/Contacts", {"Name": "Webhook Ltd"}))["Contacts"][0]
    await write(gateway, headers, "POST", f"/Contacts/{contact['ContactID']}", {"Contacts": [
        {"ContactID": contact["ContactID"], "EmailAddress": "ap@webhook.example"}]})
    invoice_body = {"Invoices": [{
        "Type": "ACCREC", "Contact": {"ContactID": contact["ContactID"]}, "Date": "2026-03-10",
        "DueDate": "2026-04-09", "Status": "AUTHORISED", "LineAmountTypes": "Exclusive",
        "LineItems": [{"Description": "Hooks", "Quantity": 1, "UnitAmount": 100, "AccountCode": "200",
                       "TaxType": "OUTPUT2"}]}]}
    invoice = (await write(gateway, headers, "PUT", "/Invoices", invoice_body, key="inv-1"))["Invoices"][0]
    await write(gateway, headers, "PUT", "/Invoices", invoice_body, key="inv-1")  # replayed: no new event
    credit = (await write(gateway, headers, "PUT", "/CreditNotes", {"CreditNotes": [{
        "Type": "ACCRECCREDIT", "Contact": {"ContactID": contact["ContactID"]}, "Date": "2026-03-11",
        "Status": "DRAFT", "LineAmountTypes": "Exclusive",
        "LineItems": [{"Description": "Refund", "Quantity": 1, "UnitAmount": 10, "AccountCode": "200",
                       "TaxType": "OUTPUT2"}]}]}))["CreditNotes"][0]
    payment = (await write(gateway, headers, "PUT", "/Payments", {"Payments": [{
        "Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Account": {"Code": "090"}, "Date": "2026-03-15",
        "Amount": "50.00"}]}))["Payments"][0]

    expected = [
        (writer, "CONTACT", "CREATE", contact["ContactID"]), (watcher, "CONTACT", "CREATE", contact["ContactID"]),
        (writer, "CONTACT", "UPDATE", contact["ContactID"]), (watcher, "CONTACT", "UPDATE", contact["ContactID"]),
        (writer, "INVOICE", "CREATE", invoice["InvoiceID"]),
        (writer, "CREDITNOTE", "CREATE", credit["CreditNoteID"]),
        (writer, "PAYMENT", "CREATE", payment["PaymentID"]),
        (writer, "INVOICE", "UPDATE", invoice["InvoiceID"]),  # a payment also updates the paid invoice
    ]
    await receiver.wait_for_events(len(expected))
    got = [(d.signed_by, e["eventCategory"], e["eventType"], e["resourceId"])
           for d in receiver.deliveries for e in d.body["events"]]
    assert sorted(got) == sorted(expected)
    for app in (writer, watcher):  # per app, in the order of the writes
        assert [g for g in got if g[0] == app] == [x for x in expected if x[0] == app]

    for delivery in receiver.deliveries:
        assert delivery.headers["Content-Type"] == "application/json; charset=utf-8"
        body = json.loads(delivery.raw)
        xero_events = [e for e in body["events"] if e["eventCategory"] in XERO_CATEGORIES]
        if xero_events:
            validate_body({**body, "events": xero_events})
        for event in body["events"]:
            assert event["tenantId"] == DEMO_TENANT_ID and event["tenantType"] == "ORGANISATION"
            if event["eventCategory"] == "CREDITNOTE":
                assert event["data"] == {"Type": "ACCRECCREDIT", "Status": "DRAFT"}
            # the receiver reads the resource back at resourceUrl, on the gateway
            public_url = gateway.app[appkeys.SETTINGS].public_url
            assert event["resourceUrl"].startswith(f"{public_url}/1000/api.xro/2.0/")
            path = urlsplit(event["resourceUrl"]).path
            resp = await gateway.get(path, headers=headers)
            assert resp.status == 200, event["resourceUrl"]
            xero_spec.validate_response("GET", path, resp.status, await resp.read(), dict(resp.headers))


OPS = load_operations()
CTX = RequestContext(source_code="1004", tenant_id="aef86862-2015-4b6b-88bc-d89032cecc50", client_id="c",
                     app_name="a", user_id=None, scopes=frozenset())
CONTACT_ID = "717f2bfc-c6d4-41fd-b238-3f2f0c0cf777"


def test_written_collections_are_the_collection_writes_only():
    writes = {op_id for op_id, op in OPS.items() if written_collection(op)}
    assert writes == {
        "createContacts", "updateOrCreateContacts", "updateContact", "createInvoices", "updateOrCreateInvoices",
        "updateInvoice", "createCreditNotes", "updateOrCreateCreditNotes", "updateCreditNote", "createPayments",
        "createPayment", "deletePayment", "createBankTransactions", "updateOrCreateBankTransactions",
        "updateBankTransaction", "createManualJournals", "updateOrCreateManualJournals", "updateManualJournal"}


def test_update_when_the_request_named_the_id_and_no_event_for_failed_elements():
    request = XeroRequest(operation_id="updateOrCreateContacts", method="POST",
                          elements=[{"ContactID": CONTACT_ID.upper(), "Name": "A"}, {"Name": "B"}, {"Name": "C"}])
    new_id = "0b5f6e2a-2b1c-4c55-9d0e-6a3c1f0a9b11"
    result = Result(items=[Contact(ContactID=CONTACT_ID, Name="A"), Contact(ContactID=new_id, Name="B"),
                           {"Name": "C", "StatusAttributeString": "ERROR"}])
    events = write_events(OPS["updateOrCreateContacts"], CTX, request, result)
    assert [(e.event_type, e.resource_id, e.source_code, e.tenant_id) for e in events] == [
        ("UPDATE", CONTACT_ID, "1004", CTX.tenant_id), ("CREATE", new_id, "1004", CTX.tenant_id)]
    assert write_events(OPS["getContacts"], CTX, XeroRequest(operation_id="getContacts"), result) == []
