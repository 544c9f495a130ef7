"""Changes made directly in Sage Accounting (the emulator, called with the business's token as another Sage app
would) reach a partner app as Xero webhook events through the ``updated_or_created_since``/``deleted_since`` poll;
the gateway's own writes are announced once."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest
from joserfc.jwk import RSAKey

from adapters.sage_accounting.ids import stable_guid
from emulators.sage_accounting import create_app as create_sage
from gateway import appkeys
from tests.support.sage import Emulator, connect, emulator_config, register
from tests.webhooks.receiver import Receiver
from tests.webhooks.sources import events_of, hooked_app, polls_of, subscribe, until

PORT = 18119


@pytest.fixture(scope="module")
def pem() -> bytes:
    return RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"}, private=True).as_pem(private=True)


async def stack(aiohttp_server, aiohttp_client, tmp_path, pem, **webhooks):
    server = await aiohttp_server(create_sage(emulator_config()), host="127.0.0.1")
    emulator = Emulator(base=str(server.make_url("")).rstrip("/"), server=server)
    client = await aiohttp_client(hooked_app(tmp_path / "data", pem, port=PORT, **webhooks))
    await register(client, emulator)
    return await connect(client, emulator)


async def sage_call(session, method: str, path: str, body: Any = None) -> Any:
    """A call straight to Sage with the business's token (not through the gateway)."""
    creds = await session.client.app[appkeys.SOURCES].upstream.credentials("1009", session.tenant_id)
    async with aiohttp.ClientSession() as http, http.request(
            method, f"{creds.api_base}{path}", json=body,
            headers={"Authorization": f"Bearer {creds.access_token}", "X-Business": creds.tenant_key}) as r:
        assert r.status < 400, await r.text()
        return await r.json() if r.content_type == "application/json" else None


async def business_of(session) -> str:
    return (await session.client.app[appkeys.SOURCES].upstream.credentials("1009", session.tenant_id)).tenant_key


async def _polled(session, count: int) -> bool:
    return await polls_of(session.client.app, "1009", session.tenant_id) >= count


async def test_contacts_changed_in_sage_arrive_as_events(aiohttp_server, aiohttp_client, tmp_path, pem,
                                                         receiver: Receiver):
    session = await stack(aiohttp_server, aiohttp_client, tmp_path, pem, poll_intervals={"1009": 0.3})
    client_id = session.app["client_id"]
    await subscribe(session.client.app, receiver, client_id, "CONTACT INVOICE CREDITNOTE")
    await until(lambda: _polled(session, 1))

    made = await sage_call(session, "POST", "/contacts", {"contact": {"name": "Polled Ltd",
                                                                      "contact_type_ids": ["CUSTOMER"]}})
    contact_id = stable_guid(await business_of(session), "contacts", made["id"])
    await receiver.wait_for_events(1)
    assert events_of(receiver, client_id) == [("CONTACT", "CREATE", contact_id)]
    event = receiver.events[0]
    assert event["tenantId"] == session.tenant_id
    resp = await session.client.get(urlsplit(event["resourceUrl"]).path, headers=session.auth_headers())
    assert resp.status == 200, await resp.text()
    assert (await resp.json())["Contacts"][0]["Name"] == "Polled Ltd"

    await asyncio.sleep(1.1)  # Sage stamps whole seconds: the edit is a later change than the creation
    await sage_call(session, "PUT", f"/contacts/{made['id']}", {"contact": {"notes": "edited in Sage"}})
    await receiver.wait_for_events(2)
    await asyncio.sleep(1.1)
    await sage_call(session, "DELETE", f"/contacts/{made['id']}")
    await receiver.wait_for_events(3)  # a deletion is an UPDATE: Xero has no DELETE event
    assert events_of(receiver, client_id) == [("CONTACT", "CREATE", contact_id), ("CONTACT", "UPDATE", contact_id),
                                              ("CONTACT", "UPDATE", contact_id)]


async def test_a_gateway_write_through_1009_is_announced_once(aiohttp_server, aiohttp_client, tmp_path, pem,
                                                              receiver: Receiver):
    session = await stack(aiohttp_server, aiohttp_client, tmp_path, pem, poll_intervals={"1009": 0.3},
                          own_write_slack=0.0)
    client_id = session.app["client_id"]
    await subscribe(session.client.app, receiver, client_id, "CONTACT")
    await until(lambda: _polled(session, 1))

    answer = await session.api("PUT", "/Contacts", body={"Contacts": [{"Name": "Written Via Xero"}]}, validate=False)
    assert answer.status == 200, answer.body
    contact_id = answer.body["Contacts"][0]["ContactID"]
    await receiver.wait_for_events(1)
    after = await polls_of(session.client.app, "1009", session.tenant_id)
    await until(lambda: _polled(session, after + 3))
    await asyncio.sleep(0.3)
    assert events_of(receiver, client_id) == [("CONTACT", "CREATE", contact_id)]

    found = await sage_call(session, "GET", "/contacts?search=Written%20Via%20Xero")
    await asyncio.sleep(1.1)
    await sage_call(session, "PUT", f"/contacts/{found['$items'][0]['id']}", {"contact": {"notes": "edited"}})
    await receiver.wait_for_events(2)
    assert events_of(receiver, client_id) == [("CONTACT", "CREATE", contact_id), ("CONTACT", "UPDATE", contact_id)]
