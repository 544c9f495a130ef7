"""Changes made directly in QuickBooks Online (the emulator, called as a QBO user's other app would) reach a partner
app as Xero webhook events: through Intuit's webhook (signed with the verifier token) and an immediate CDC poll, or
through the scheduled CDC poll when Intuit's notification never comes; the gateway's own writes are announced once."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from urllib.parse import urlsplit

import pytest
from joserfc.jwk import RSAKey

from adapters.qbo.ids import stable_guid
from emulators.qbo import create_app as create_emulator
from gateway import appkeys
from gateway.store.crypto import SecretBox
from gateway.webhooks.intuit import set_verifier_token
from tests.support.qbo import connect, emulator_config
from tests.webhooks.receiver import Receiver
from tests.webhooks.sources import events_of, hooked_app, polls_of, subscribe, until
from tests.webhooks.spec import validate_body

VERIFIER = "b2a5e7c1-verifier-token-of-the-operator"  # noqa: S105 - test credential
PORT = 18113


@pytest.fixture(scope="module")
def pem() -> bytes:
    return RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)


@pytest.fixture
async def emulator(aiohttp_server):
    return await aiohttp_server(create_emulator(emulator_config()), host="127.0.0.1")


async def stack(aiohttp_client, emulator, tmp_path, pem, **webhooks):
    gateway = await aiohttp_client(hooked_app(tmp_path / "data", pem, port=PORT, **webhooks))
    return await connect(gateway, str(emulator.make_url("")).rstrip("/"), emulator=emulator)


async def intuit_webhook(qbo, token: str = VERIFIER) -> None:
    """The operator's verifier token at the gateway, and the gateway's receiver URL at Intuit (the emulator)."""
    app = qbo.gateway.app
    await set_verifier_token(app[appkeys.DB], SecretBox.from_data_dir(app[appkeys.SETTINGS].data_dir), "1004", token)
    answer = await qbo.admin("PUT", "/webhooks", {"url": str(qbo.gateway.make_url("/1004/webhooks/intuit")),
                                                  "verifier_token": token})
    assert answer["url"].endswith("/1004/webhooks/intuit")


async def realm_of(qbo) -> str:
    return (await qbo.gateway.app[appkeys.SOURCES].upstream.credentials("1004", qbo.tenant_id)).tenant_key


async def test_a_customer_created_in_qbo_arrives_through_intuits_webhook(aiohttp_client, emulator, tmp_path, pem,
                                                                        receiver: Receiver, xero_spec):
    # the scheduled poll is an hour away: only Intuit's notification can make the gateway look in time
    qbo = await stack(aiohttp_client, emulator, tmp_path, pem, poll_intervals={"1004": 3600.0})
    client_id = qbo.partner["client_id"]
    await subscribe(qbo.gateway.app, receiver, client_id, "CONTACT INVOICE CREDITNOTE")
    await intuit_webhook(qbo)
    await until(lambda: _polled(qbo, 1))  # the first poll sets the schedule and the watermark

    made = (await qbo.qbo("POST", "/customer", body={"DisplayName": "Pushed Customer Ltd"}))["Customer"]
    realm = await realm_of(qbo)
    contact_id = stable_guid(realm, "Customer", made["Id"])
    await receiver.wait_for_events(1)
    assert events_of(receiver, client_id) == [("CONTACT", "CREATE", contact_id)]
    event = receiver.events[0]
    assert event["tenantId"] == qbo.tenant_id and event["tenantType"] == "ORGANISATION"
    assert (await qbo.admin("GET", "/webhooks"))["sent"] >= 1

    # the receiver reads the record back at resourceUrl, as a Xero integration does
    resp = await qbo.gateway.get(urlsplit(event["resourceUrl"]).path, headers=qbo.auth_headers())
    assert resp.status == 200, await resp.text()
    assert (await resp.json())["Contacts"][0]["Name"] == "Pushed Customer Ltd"

    # an update in QBO is an UPDATE; a credit memo a CREDITNOTE with Xero's data (bodies valid against the spec)
    await qbo.qbo("POST", "/customer", body={"Id": made["Id"], "SyncToken": made["SyncToken"], "sparse": True,
                                             "CompanyName": "Pushed Customer Holdings"})
    await receiver.wait_for_events(2)
    assert events_of(receiver, client_id)[1] == ("CONTACT", "UPDATE", contact_id)

    income = await qbo.qbo("POST", "/account", body={"Name": "Sales", "AccountType": "Income",
                                                     "AccountSubType": "ServiceFeeIncome", "AcctNum": "4000"})
    item = await qbo.qbo("POST", "/item", body={"Name": "Hours", "Type": "Service",
                                               "IncomeAccountRef": {"value": income["Account"]["Id"]}})
    memo = (await qbo.qbo("POST", "/creditmemo", body={"CustomerRef": {"value": made["Id"]}, "Line": [
        {"DetailType": "SalesItemLineDetail", "Amount": 10,
         "SalesItemLineDetail": {"ItemRef": {"value": item["Item"]["Id"]}, "Qty": 1, "UnitPrice": 10}}]}))
    await receiver.wait_for_events(3)
    credit_id = stable_guid(realm, "CreditMemo", memo["CreditMemo"]["Id"])
    assert events_of(receiver, client_id)[2] == ("CREDITNOTE", "CREATE", credit_id)
    assert receiver.events[2]["data"] == {"Type": "ACCRECCREDIT", "Status": "AUTHORISED"}
    for delivery in receiver.deliveries:
        if delivery.body["events"]:  # intent-to-receive requests carry none (and sequences 0)
            validate_body(delivery.body)


async def _polled(qbo, count: int) -> bool:
    return await polls_of(qbo.gateway.app, "1004", qbo.tenant_id) >= count


async def test_cdc_catches_a_change_whose_webhook_never_came(aiohttp_client, emulator, tmp_path, pem,
                                                             receiver: Receiver):
    qbo = await stack(aiohttp_client, emulator, tmp_path, pem, poll_intervals={"1004": 0.3})
    client_id = qbo.partner["client_id"]
    await subscribe(qbo.gateway.app, receiver, client_id, "CONTACT")
    await qbo.admin("PUT", "/webhooks", {"url": None})  # Intuit sends nothing
    await until(lambda: _polled(qbo, 1))

    made = (await qbo.qbo("POST", "/vendor", body={"DisplayName": "Quiet Supplier"}))["Vendor"]
    await receiver.wait_for_events(1)
    assert events_of(receiver, client_id) == [("CONTACT", "CREATE", stable_guid(await realm_of(qbo), "Vendor",
                                                                                 made["Id"]))]
    assert (await qbo.admin("GET", "/webhooks"))["sent"] == 0


async def test_intuit_signature_is_checked(aiohttp_client, emulator, tmp_path, pem):
    qbo = await stack(aiohttp_client, emulator, tmp_path, pem)
    realm = await realm_of(qbo)
    body = json.dumps({"eventNotifications": [{"realmId": realm, "dataChangeEvent": {"entities": [
        {"name": "Customer", "id": "1", "operation": "Update", "lastUpdated": "2026-12-07T10:00:00-0800"}]}}]}).encode()

    def signed(raw: bytes, token: str) -> dict[str, str]:
        digest = hmac.new(token.encode(), raw, hashlib.sha256).digest()
        return {"intuit-signature": base64.b64encode(digest).decode(), "Content-Type": "application/json"}

    # no verifier token set yet: nothing can be verified
    resp = await qbo.gateway.post("/1004/webhooks/intuit", data=body, headers=signed(body, VERIFIER))
    assert resp.status == 401
    await intuit_webhook(qbo)
    resp = await qbo.gateway.post("/1004/webhooks/intuit", data=body, headers=signed(body, "another-token"))
    assert resp.status == 401 and (await resp.json())["Title"] == "Unauthorized"
    resp = await qbo.gateway.post("/1004/webhooks/intuit", data=body, headers={"Content-Type": "application/json"})
    assert resp.status == 401
    resp = await qbo.gateway.post("/1004/webhooks/intuit", data=body, headers=signed(body, VERIFIER))
    assert resp.status == 200 and await resp.read() == b""
    bad = b'{"eventNotifications": [{"nothing": 1}]}'
    resp = await qbo.gateway.post("/1004/webhooks/intuit", data=bad, headers=signed(bad, VERIFIER))
    assert resp.status == 400 and (await resp.json())["Type"] == "PostDataInvalidException"
    resp = await qbo.gateway.post("/1009/webhooks/intuit", data=body, headers=signed(body, VERIFIER))
    assert resp.status == 404  # only 1004 receives Intuit's webhooks
    # the token is sealed at rest
    async with qbo.gateway.app[appkeys.DB].engine.connect() as conn:
        stored = (await conn.exec_driver_sql("SELECT verifier_token_sealed FROM webhook_source_verifiers")).scalar()
    assert stored and VERIFIER not in stored


async def test_a_gateway_write_is_announced_once(aiohttp_client, emulator, tmp_path, pem, receiver: Receiver):
    # Intuit's notification of the gateway's own write arrives, and the schedule polls every 0.3 s
    qbo = await stack(aiohttp_client, emulator, tmp_path, pem, poll_intervals={"1004": 0.3}, own_write_slack=0.0)
    client_id = qbo.partner["client_id"]
    await subscribe(qbo.gateway.app, receiver, client_id, "CONTACT")
    await intuit_webhook(qbo)
    await until(lambda: _polled(qbo, 1))

    answer = await qbo.api("PUT", "/Contacts", body={"Contacts": [{"Name": "Written Through Xero"}]}, validate=False)
    assert answer.status == 200, answer.body
    contact_id = answer.body["Contacts"][0]["ContactID"]
    await receiver.wait_for_events(1)
    written_at = await polls_of(qbo.gateway.app, "1004", qbo.tenant_id)
    await until(lambda: _polled(qbo, written_at + 3))  # the detectors saw the change since
    await asyncio.sleep(0.3)  # and the dispatcher had time to send anything they queued
    assert events_of(receiver, client_id) == [("CONTACT", "CREATE", contact_id)]

    # a later change made in QBO to the same record is a new change: announced (QBO stamps whole seconds, so the
    # change is made in a later second than the gateway's write)
    await asyncio.sleep(1.1)
    found = await qbo.qbo("GET", "/query", params={
        "query": "select * from Customer where DisplayName = 'Written Through Xero'"})
    customer = found["QueryResponse"]["Customer"][0]
    await qbo.qbo("POST", "/customer", body={"Id": customer["Id"], "SyncToken": customer["SyncToken"],
                                             "sparse": True, "CompanyName": "Edited In QuickBooks"})
    await receiver.wait_for_events(2)
    assert events_of(receiver, client_id) == [("CONTACT", "CREATE", contact_id), ("CONTACT", "UPDATE", contact_id)]
