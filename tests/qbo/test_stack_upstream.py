"""End to end, in process: how the QBO adapter spends QBO's request budget, and how it meets QBO's failures.

Counted two ways: the adapter's own tally per Xero call (``adapter.recent_calls``) and the emulator's per-path
request counters (``GET /_emulator/requests``)."""

from __future__ import annotations

import json

import pytest

from adapters.qbo.unit import derive_request_id
from tests.support.qbo import connect, gateway_app, seed_invoices

pytestmark = pytest.mark.slow

def upstream(qbo) -> int:
    return qbo.adapter.recent_calls[-1][1]


async def emulator_total(qbo) -> int:
    return (await qbo.admin("GET", "/requests"))["total"]


async def test_a_page_of_100_invoices_costs_one_query_with_a_warm_cache(qbo_blank):
    qbo = qbo_blank
    await seed_invoices(qbo, 105)
    for params in ({"page": "1", "pageSize": "100"},
                   {"page": "1", "pageSize": "100", "where": 'Type=="ACCREC"'},
                   {"page": "2", "pageSize": "100", "where": 'Type=="ACCREC"', "order": "Date DESC"}):
        cold = await qbo.api("GET", "/Invoices", params=params)  # fills the reference cache and the counts
        assert cold.status == 200
        await qbo.admin("DELETE", "/requests")
        warm = await qbo.api("GET", "/Invoices", params=params)
        assert warm.body["Invoices"] == cold.body["Invoices"]
        expected = 100 if params["page"] == "1" else 5
        assert len(warm.body["Invoices"]) == expected
        assert warm.body["pagination"]["itemCount"] == 105
        assert upstream(qbo) == 1, qbo.adapter.recent_calls[-1]
        counted = await qbo.admin("GET", "/requests")
        assert counted["total"] == 1 and list(counted["by_path"]) == [
            f"GET /v3/company/{await qbo.adapter.client.realm_id(qbo.tenant_id)}/query"]
    # A client order over both entities merges them: still one request (both queries in one QBO batch).
    merged = {"page": "1", "pageSize": "100", "order": "Date DESC"}
    await qbo.api("GET", "/Invoices", params=merged)
    await qbo.api("GET", "/Invoices", params=merged)
    assert qbo.adapter.recent_calls[-1][2] == {"POST /batch": 1}


async def test_cold_cache_loads_reference_data_in_one_batch_and_writes_invalidate(qbo_blank):
    qbo = qbo_blank
    await seed_invoices(qbo, 3)
    await qbo.api("GET", "/Invoices", params={"page": "1", "where": 'Type=="ACCREC"'})
    assert qbo.adapter.recent_calls[-1][2] == {"POST /batch": 2}  # reference data; the count with the page
    await qbo.api("GET", "/Accounts")
    assert upstream(qbo) == 0  # accounts came with the invoices' reference data
    await qbo.api("PUT", "/Accounts", body={"Code": "5000", "Name": "Costs", "Type": "DIRECTCOSTS"})
    accounts = await qbo.api("GET", "/Accounts")
    assert upstream(qbo) == 1 and "5000" in [a.get("Code") for a in accounts.body["Accounts"]]


async def test_payments_and_references_are_read_in_batches_not_one_by_one(qbo):
    payments = await qbo.api("GET", "/Payments")
    assert payments.body["Payments"]
    await qbo.api("GET", "/Payments")
    # Payments and BillPayments in one request; every paid document's number in one more, however many.
    assert qbo.adapter.recent_calls[-1][2] == {"POST /batch": 1, "GET /query": 1}


async def test_upstream_token_expiring_mid_session_is_refreshed_once(qbo):
    await qbo.api("GET", "/Invoices", params={"page": "1"})
    expired = await qbo.admin("POST", "/tokens/expire")
    assert expired["expired"] >= 1
    await qbo.admin("DELETE", "/requests")
    answer = await qbo.api("GET", "/Invoices", params={"page": "1"})
    assert answer.status == 200
    log = (await qbo.admin("GET", "/requests"))["log"]
    assert [entry["status"] for entry in log] == [401, 200]
    assert upstream(qbo) == 2
    again = await qbo.api("GET", "/Invoices", params={"page": "1"})
    assert again.status == 200 and upstream(qbo) == 1


async def test_throttled_upstream_answers_xero_429_with_retry_after(qbo):
    await qbo.api("GET", "/Invoices", params={"page": "1"})
    await qbo.admin("PUT", "/faults", {"faults": [{"kind": "throttle", "path": "*", "count": 1}]})
    await qbo.admin("DELETE", "/requests")
    answer = await qbo.api("GET", "/Invoices", params={"page": "1"})
    assert answer.status == 429
    assert answer.headers["Retry-After"] == "60" and answer.headers["X-Rate-Limit-Problem"] == "minute"
    assert (await qbo.admin("GET", "/requests"))["total"] == 1  # a 429 is never retried upstream
    assert (await qbo.api("GET", "/Invoices", params={"page": "1"})).status == 200


async def test_real_throttle_from_the_per_minute_limit(aiohttp_server, aiohttp_client, tmp_path, signing_pem,
                                                       xero_spec):
    from emulators.qbo import create_app
    from tests.support.qbo import emulator_config

    emulator = await aiohttp_server(create_app(emulator_config(requests_per_minute=2)), host="127.0.0.1")
    gateway = await aiohttp_client(gateway_app(tmp_path / "throttle", signing_pem))
    qbo = await connect(gateway, str(emulator.make_url("")).rstrip("/"), spec=xero_spec, emulator=emulator)
    answers = [await qbo.api("GET", "/Invoices", params={"page": "1"}) for _ in range(2)]
    assert answers[-1].status == 429 and answers[-1].headers["Retry-After"]


async def test_5xx_and_timeouts_retry_only_idempotent_calls(qbo):
    params = {"page": "1", "where": 'Type=="ACCREC"'}
    await qbo.api("GET", "/Invoices", params=params)
    await qbo.admin("PUT", "/faults", {"faults": [{"kind": "server_error", "path": "/query", "count": 1,
                                                  "status": 503}]})
    answer = await qbo.api("GET", "/Invoices", params=params)
    assert answer.status == 200 and upstream(qbo) == 2
    await qbo.admin("PUT", "/faults", {"faults": [{"kind": "server_error", "path": "/query", "count": -1}]})
    down = await qbo.api("GET", "/Invoices", params=params)
    assert down.status == 503 and "QuickBooks Online" in down.body
    assert upstream(qbo) == qbo.adapter.client.attempts
    await qbo.admin("DELETE", "/faults")

    # A write is retried because it carries a requestid: QBO posts it once.
    await qbo.admin("PUT", "/faults", {"faults": [{"kind": "server_error", "path": "/customer", "method": "POST",
                                                  "count": 1}]})
    await qbo.admin("DELETE", "/requests")
    made = await qbo.api("PUT", "/Contacts", body={"Name": "Retried Once"})
    assert made.status == 200, made.body
    writes = [e for e in (await qbo.admin("GET", "/requests"))["log"] if e["method"] == "POST"]
    assert [e["status"] for e in writes] == [500, 200]
    assert len({e["query"] for e in writes}) == 1 and "requestid=" in writes[0]["query"]
    named = await qbo.api("GET", "/Contacts", params={"where": 'Name=="Retried Once"'})
    assert len(named.body["Contacts"]) == 1


async def test_idempotency_key_becomes_requestid_and_a_retried_write_posts_once(qbo):
    from gateway.xero.request import ListQuery, RequestContext, XeroRequest

    await qbo.admin("DELETE", "/requests")
    answer = await qbo.api("PUT", "/Contacts", body={"Name": "Keyed Contact"}, headers={"Idempotency-Key": "k-123"})
    assert answer.status == 200
    (write,) = [e for e in (await qbo.admin("GET", "/requests"))["log"] if e["method"] == "POST"]
    client_id = qbo.partner["client_id"]
    keyed = derive_request_id("k-123", "createContacts", "main:0", client_id=client_id, tenant_id=qbo.tenant_id)
    assert f"requestid={keyed}" in write["query"]
    long_key = "x" * 128
    scope = {"client_id": "c", "tenant_id": qbo.tenant_id}
    assert derive_request_id(long_key, "createContacts", "main:0", **scope) == derive_request_id(
        long_key, "createContacts", "main:0", **scope)
    assert len(derive_request_id(long_key, "createContacts", "main:0", **scope)) == 50

    # Bypass the gateway's own Idempotency-Key replay: the adapter sends the same write twice, QBO replays it.
    ctx = RequestContext(source_code="1004", tenant_id=qbo.tenant_id, client_id="c", app_name="a", user_id=None,
                         scopes=frozenset({"accounting.contacts"}))
    request = XeroRequest(operation_id="createContacts", method="PUT", query=ListQuery(),
                          elements=[{"Name": "Posted Once"}], idempotency_key=long_key)
    first = await qbo.adapter.create_contacts(ctx, request)
    second = await qbo.adapter.create_contacts(ctx, request)
    assert first.items[0].ContactID == second.items[0].ContactID
    named = await qbo.api("GET", "/Contacts", params={"where": 'Name=="Posted Once"'})
    assert len(named.body["Contacts"]) == 1


async def test_faults_become_xero_errors_with_qbo_code_and_message(qbo):
    taken = (await qbo.api("GET", "/Contacts")).body["Contacts"][0]["Name"]
    duplicate = await qbo.api("PUT", "/Contacts", body={"Name": taken})
    assert duplicate.status == 400 and duplicate.body["Type"] == "ValidationException"
    message = duplicate.body["Elements"][0]["ValidationErrors"][0]["Message"]
    assert "6240" in message and "Duplicate Name Exists Error" in message
    assert duplicate.body["Elements"][0]["Name"] == taken


async def test_ids_survive_a_restart_of_the_gateway(qbo, aiohttp_client, signing_pem, tmp_path):
    invoices = (await qbo.api("GET", "/Invoices")).body["Invoices"]
    data_dir = tmp_path / "data"
    second = await aiohttp_client(gateway_app(data_dir, signing_pem))  # another process on the same database
    answer = await second.get(f"/1004/api.xro/2.0/Invoices/{invoices[0]['InvoiceID']}", headers={
        "Authorization": f"Bearer {qbo.access_token}", "xero-tenant-id": qbo.tenant_id, "Accept": "application/json"})
    body = json.loads(await answer.read())
    assert answer.status == 200 and body["Invoices"][0] == invoices[0]


async def test_a_stale_sync_token_is_read_again_and_the_sparse_update_retried(qbo, monkeypatch):
    from adapters.qbo.unit import QboUnit as Call

    contact = (await qbo.api("PUT", "/Contacts", body={"Name": "Concurrent Co"})).body["Contacts"][0]
    original = Call.read
    raced = []

    async def read_then_race(self, entity, qbo_id):
        row = await original(self, entity, qbo_id)
        if entity == "Customer" and not raced:  # someone edits the customer in QuickBooks meanwhile
            raced.append(await qbo.qbo("POST", "/customer", body={
                "Id": row["Id"], "SyncToken": row["SyncToken"], "sparse": True, "Notes": "edited in QuickBooks"}))
        return row

    monkeypatch.setattr(Call, "read", read_then_race)
    await qbo.admin("DELETE", "/requests")
    updated = await qbo.api("POST", f"/Contacts/{contact['ContactID']}", body={"EmailAddress": "new@concurrent.test"})
    assert updated.status == 200, updated.body
    assert updated.body["Contacts"][0]["EmailAddress"] == "new@concurrent.test"
    writes = [e["status"] for e in (await qbo.admin("GET", "/requests"))["log"]
              if e["method"] == "POST" and e["path"].endswith("/customer")]
    assert writes == [200, 400, 200]  # the race, our stale write (5010), our retry
    realm = await qbo.adapter.client.realm_id(qbo.tenant_id)
    (ref,) = await qbo.adapter.ids.resolve(realm, contact["ContactID"])
    held = (await qbo.qbo("GET", f"/customer/{ref.qbo_id}"))["Customer"]
    assert held["Notes"] == "edited in QuickBooks" and held["PrimaryEmailAddr"]["Address"] == "new@concurrent.test"
