"""Changes the Sage 50 connector's incremental sync brings (the agent protocol v1 spoken over HTTP, as the connector
speaks it: tests/sage50) reach a partner app as Xero webhook events; the first full sync of a table is history and
announces nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from joserfc.jwk import RSAKey

from adapters import registry
from adapters.sage50.ids import guid
from gateway.appkeys import IDENTITY
from tests.identity.helpers import Gateway
from tests.sage50.conftest import Agent, connect
from tests.sage50.rows import SALES_LEDGER, TABLES
from tests.webhooks.receiver import Receiver
from tests.webhooks.sources import events_of, hooked_app, subscribe

PORT = 18121


@pytest.fixture(scope="module")
def pem() -> bytes:
    return RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)


@pytest.fixture(autouse=True)
def fake_local_source(monkeypatch):
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.identity.fake_adapter:FakeAdapter")


async def test_the_connectors_incremental_sync_is_announced(aiohttp_client, tmp_path, pem, receiver: Receiver,
                                                            xero_spec):
    client = await aiohttp_client(hooked_app(tmp_path / "data", pem, port=PORT))
    gw = Gateway(client=client, state=client.app[IDENTITY], code="1001")
    partner = await gw.create_app(name="Partner App")
    agent = Agent(gw)
    tokens, tenant = await connect(gw, partner, agent)
    await subscribe(client.app, receiver, partner["client_id"], "CONTACT INVOICE CREDITNOTE")
    for table, rows in TABLES.items():  # the first full sync: history, not change
        status, body = await agent.sync(table, rows)
        assert status == 200 and body == {"accepted": len(rows)}, body

    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0).isoformat()
    fresh = {"ACCOUNT_REF": "NEW001", "NAME": "New Customer Ltd", "BALANCE": "0", "CURRENCY": 1, "INACTIVE_FLAG": 0,
             "RECORD_CREATE_DATE": now, "RECORD_MODIFY_DATE": now}
    edited = {**SALES_LEDGER[0], "NAME": "A1 Design Services Ltd", "RECORD_MODIFY_DATE": now}
    assert (await agent.sync("SALES_LEDGER", [fresh, edited]))[0] == 200
    assert (await agent.sync("PURCHASE_LEDGER", [], deleted=["BBS001"]))[0] == 200
    invoice = {"HEADER_NUMBER": 4, "TYPE": "SI", "ACCOUNT_REF": "NEW001", "DATE": "2026-12-01",
               "DUE_DATE": "2026-12-31", "NET_AMOUNT": "100.00", "TAX_AMOUNT": "20.00", "GROSS_AMOUNT": "120.00",
               "OUTSTANDING": "120.00", "CURRENCY": 1, "FOREIGN_RATE": "1", "RECORD_CREATE_DATE": now,
               "RECORD_MODIFY_DATE": now}
    credit = {**invoice, "HEADER_NUMBER": 5, "TYPE": "SC", "GROSS_AMOUNT": "12.00", "NET_AMOUNT": "10.00",
              "TAX_AMOUNT": "2.00", "OUTSTANDING": "12.00"}
    assert (await agent.sync("AUDIT_HEADER", [invoice, credit]))[0] == 200

    await receiver.wait_for_events(5)
    assert events_of(receiver, partner["client_id"]) == [
        ("CONTACT", "CREATE", guid(tenant, "contact", "NEW001")),
        ("CONTACT", "UPDATE", guid(tenant, "contact", "ABS001")),
        ("CONTACT", "UPDATE", guid(tenant, "contact", "BBS001")),  # a deletion is an UPDATE in Xero's terms
        ("INVOICE", "CREATE", guid(tenant, "header", 4)),
        ("CREDITNOTE", "CREATE", guid(tenant, "header", 5))]
    credit_event = receiver.events[4]
    assert credit_event["data"] == {"Type": "ACCRECCREDIT", "Status": "AUTHORISED"}
    assert all(e["tenantId"] == tenant for e in receiver.events)

    # the receiver reads the new contact back at resourceUrl
    path = urlsplit(receiver.events[0]["resourceUrl"]).path
    resp = await client.get(path, headers={"Authorization": f"Bearer {tokens['access_token']}",
                                           "xero-tenant-id": tenant, "Accept": "application/json"})
    assert resp.status == 200, await resp.text()
    assert (await resp.json())["Contacts"][0]["Name"] == "New Customer Ltd"
