"""A steady-state read sends no statement to the gateway's own database (issue 10), and a call without an
``Idempotency-Key`` none to the runtime database, on the real app with the native ledger and its demo company.

Rate limits are disabled (their counters are another component's), webhook deliveries too, and the identity
cache's revocation poll is pushed out of the way: both are timed background work, not per-call statements (the
poll is one statement per ``[identity] revocation_poll_interval``, tested in tests/identity/test_cache.py).
"""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import event

from gateway.app import create_app
from gateway.appkeys import DB, RUNTIME_DB, SOURCES
from gateway.identity import apps
from gateway.settings import load_settings

API = "/1000/api.xro/2.0"


def count_statements(engine) -> list[str]:
    """Statements sent on ``engine`` from now on."""
    sent: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute",
                 lambda _conn, _cursor, statement, *_args: sent.append(statement))
    return sent


@pytest.fixture
async def native(aiohttp_client, tmp_path):
    """The app on the native ledger's demo company, a custom connection's token and the tenant id."""
    settings = load_settings(data_dir=tmp_path / "data")
    settings.rate_limits.enabled = False
    settings.webhooks.enabled = False
    settings.identity.revocation_poll_interval = 3600.0
    client = await aiohttp_client(create_app(settings))
    tenant = (await (await client.app[SOURCES].get("1000")).list_tenants())[0].tenant_id
    created = await apps.create_app(client.app[DB], name="Steady", redirect_uris=[], scopes=None,
                                    custom_connection=True, code="1000", tenant_id=tenant)
    basic = base64.b64encode(f"{created['client_id']}:{created['client_secret']}".encode()).decode()
    resp = await client.post("/1000/connect/token", data={"grant_type": "client_credentials"},
                             headers={"Authorization": f"Basic {basic}"})
    assert resp.status == 200, await resp.text()
    headers = {"Authorization": f"Bearer {(await resp.json())['access_token']}", "xero-tenant-id": tenant,
               "Accept": "application/json"}
    return client, headers


async def test_steady_state_reads_send_no_statement_to_the_gateway_database(native):
    client, headers = native
    reads = (f"{API}/Organisation", f"{API}/Invoices?page=1")
    for url in reads:  # warm: the first call fills the identity cache
        assert (await client.get(url, headers=headers)).status == 200
    gateway_db = count_statements(client.app[DB].engine)
    runtime_db = count_statements(client.app[RUNTIME_DB].engine)
    for _ in range(3):
        for url in reads:
            assert (await client.get(url, headers=headers)).status == 200
    assert gateway_db == [] and runtime_db == []


async def test_a_write_without_idempotency_key_sends_nothing_to_the_runtime_database(native):
    client, headers = native
    contact = {"Contacts": [{"Name": "Keyless Ltd"}]}
    assert (await client.put(f"{API}/Contacts", headers=headers, json=contact)).status == 200
    runtime_db = count_statements(client.app[RUNTIME_DB].engine)
    resp = await client.put(f"{API}/Contacts", headers=headers, json={"Contacts": [{"Name": "Keyless Two Ltd"}]})
    assert resp.status == 200, await resp.text()
    assert runtime_db == []
    resp = await client.put(f"{API}/Contacts", headers={**headers, "Idempotency-Key": "k-1"},
                            json={"Contacts": [{"Name": "Keyed Ltd"}]})
    assert resp.status == 200, await resp.text()
    assert runtime_db, "a keyed write records its key in the runtime database"
