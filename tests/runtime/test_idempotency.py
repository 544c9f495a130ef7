"""``Idempotency-Key`` (spec ``components.parameters.idempotencyKey``; gateway/api/idempotency.py): the first
response is replayed, the adapter is called once per key and request, keys live in the gateway's database (SQLite
file or PostgreSQL) and survive restarts, concurrent duplicates write once."""

from __future__ import annotations

import asyncio
import time

import pytest

from gateway.appkeys import IDEMPOTENCY
from gateway.store.idempotency import KeyScope, StoredResponse
from gateway.xero.errors import XeroApiError
from tests.runtime.conftest import API, CLIENT, headers
from tests.runtime.gated_adapter import TENANT_A, TENANT_B

HANG_GUARD = 20  # seconds; only bounds a broken test, never asserted on
BODY = {"Contacts": [{"Name": "Bayside Club"}]}


def keyed(key: str, **kwargs) -> dict[str, str]:
    return headers(**kwargs, **{"Idempotency-Key": key})


def scope(key: str, *, tenant: str = TENANT_A, client: str = CLIENT) -> KeyScope:
    return KeyScope(source_code="1000", client_id=client, tenant_id=tenant, key=key)


async def put(client, key: str | None, body=None, **kwargs):
    resp = await client.put(API + "/Contacts", headers=keyed(key) if key else headers(), json=body or BODY,
                            **kwargs)
    return resp, await resp.read()


async def test_the_same_key_and_request_replays_the_first_response(gateways, gate, xero_spec):
    client = await gateways.start()
    first, body = await put(client, "key-1")
    assert first.status == 200
    xero_spec.validate_response("PUT", str(first.url), first.status, body, dict(first.headers))
    again, again_body = await put(client, "key-1")
    assert (again.status, again_body, again.headers["Content-Type"]) == (200, body, first.headers["Content-Type"])
    assert gate.count("createContacts") == 1
    assert gate.calls[0][1].idempotency_key == "key-1"  # the adapter sees the key too
    record = await client.app[IDEMPOTENCY].get(scope("key-1"))
    assert record.state == "completed" and record.attempts == 1 and record.operation_id == "createContacts"


async def test_without_a_key_or_on_a_get_every_call_reaches_the_adapter(gateways, gate):
    client = await gateways.start()
    _, one = await put(client, None)
    _, two = await put(client, None)
    assert one != two and gate.count("createContacts") == 2
    for _ in range(2):  # an empty header is no key
        resp = await client.put(API + "/Contacts", headers=keyed(""), json=BODY)
        assert resp.status == 200
    assert gate.count("createContacts") == 4
    for _ in range(2):
        resp = await client.get(API + "/Contacts", headers=keyed("get-key"))
        assert resp.status == 200
    assert gate.count("getContacts") == 2


@pytest.mark.parametrize("change", ["body", "query", "path"])
async def test_the_same_key_with_another_request_is_a_400(gateways, gate, change):
    client = await gateways.start()
    await put(client, "key-2")
    if change == "body":
        resp, _ = await put(client, "key-2", {"Contacts": [{"Name": "Another"}]})
    elif change == "query":
        resp, _ = await put(client, "key-2", params={"summarizeErrors": "false"})
    else:
        resp = await client.post(API + "/Contacts", headers=keyed("key-2"), json=BODY)
    assert resp.status == 400
    error = await resp.json()
    assert error["Type"] == "ValidationException" and error["ErrorNumber"] == 10
    assert "key-2" in error["Elements"][0]["ValidationErrors"][0]["Message"]
    assert len(gate.calls) == 1


async def test_keys_are_scoped_to_app_tenant_and_source(gateways, gate):
    client = await gateways.start()
    await put(client, "shared")
    resp = await client.put(API + "/Contacts", headers=keyed("shared", tenant=TENANT_B), json=BODY)
    assert resp.status == 200
    resp = await client.put(API + "/Contacts", headers=keyed("shared", client="client-b"), json=BODY)
    assert resp.status == 200
    assert gate.count("createContacts") == 3


async def test_keys_survive_a_restart(gateways, gate):
    first = await gateways.start()
    _, body = await put(first, "key-3")
    await first.close()
    second = await gateways.start()
    _, replayed = await put(second, "key-3")
    assert replayed == body and gate.count("createContacts") == 1


async def test_concurrent_identical_requests_write_once(gateways, gate):
    one = await gateways.start()
    two = await gateways.start()  # a second gateway process on the same database
    gate.hold = {"createContacts"}
    owner = asyncio.create_task(put(one, "key-4"))
    async with asyncio.timeout(HANG_GUARD):
        await gate.until_inside(1)
    duplicates = [asyncio.create_task(put(c, "key-4")) for c in (one, two)]
    record = await one.app[IDEMPOTENCY].get(scope("key-4"))
    assert record.state == "in_progress"  # written before the adapter returned
    gate.release.set()
    async with asyncio.timeout(HANG_GUARD):
        results = await asyncio.gather(owner, *duplicates)
    assert {(r.status, body) for r, body in results} == {(200, results[0][1])}
    assert gate.count("createContacts") == 1


async def test_a_duplicate_that_outwaits_the_bound_gets_409(gateways, gate):
    client = await gateways.start(idempotency={"wait": 0})
    gate.hold = {"createContacts"}
    owner = asyncio.create_task(put(client, "key-5"))
    async with asyncio.timeout(HANG_GUARD):
        await gate.until_inside(1)
    resp, body = await put(client, "key-5")
    assert resp.status == 409
    error = await resp.json()
    assert error["Type"] == "IdempotentRequestInProgress" and "key-5" in error["Message"]
    gate.release.set()
    async with asyncio.timeout(HANG_GUARD):
        first, first_body = await owner
    resp, body = await put(client, "key-5")
    assert (resp.status, body) == (200, first_body) and gate.count("createContacts") == 1


async def test_a_client_error_of_the_adapter_is_stored_and_replayed(gateways, gate):
    client = await gateways.start()
    bad = {"Contacts": [{"FirstName": "No name"}]}
    resp, body = await put(client, "key-6", bad)
    assert resp.status == 400
    again, again_body = await put(client, "key-6", bad)
    assert (again.status, again_body) == (400, body) and gate.count("createContacts") == 1


async def test_a_summarize_errors_false_answer_is_replayed(gateways, gate):
    client = await gateways.start()
    bad = {"Contacts": [{"FirstName": "No name"}]}
    resp, body = await put(client, "key-7", bad, params={"summarizeErrors": "false"})
    assert resp.status == 200 and b'"ERROR"' in body
    again, again_body = await put(client, "key-7", bad, params={"summarizeErrors": "false"})
    assert (again.status, again_body) == (200, body) and gate.count("createContacts") == 1


@pytest.mark.parametrize("failure", [XeroApiError("upstream unavailable"), RuntimeError("connection reset")])
async def test_an_unknown_outcome_is_not_cached_and_the_retry_calls_the_adapter_again(gateways, gate, failure):
    client = await gateways.start()
    gate.failures.append(failure)
    resp, _ = await put(client, "key-8")
    assert resp.status == 500
    record = await client.app[IDEMPOTENCY].get(scope("key-8"))
    assert record.state == "unknown" and record.stored is None
    resp, body = await put(client, "key-8")
    assert resp.status == 200 and gate.count("createContacts") == 2
    assert [req.idempotency_key for _, req in gate.calls] == ["key-8", "key-8"]
    record = await client.app[IDEMPOTENCY].get(scope("key-8"))
    assert record.state == "completed" and record.attempts == 2
    resp, replayed = await put(client, "key-8")
    assert replayed == body and gate.count("createContacts") == 2


async def test_after_an_unknown_outcome_the_adapter_is_asked_for_its_committed_write_first(gateways, gate):
    from gateway.xero.models import Contact
    from gateway.xero.request import Result

    client = await gateways.start()
    gate.failures.append(RuntimeError("connection reset after the commit"))
    resp, _ = await put(client, "key-13")
    assert resp.status == 500 and not gate.asked  # a first call is never a recovery
    gate.recorded = Result(items=[Contact(ContactID="c0ffee00-0000-4000-8000-000000000001", Name="Bayside Club")])
    resp, body = await put(client, "key-13")
    assert resp.status == 200 and (await resp.json())["Contacts"][0]["ContactID"].startswith("c0ffee00")
    assert gate.count("createContacts") == 1  # not written a second time
    assert [req.idempotency_key for req in gate.asked] == ["key-13"]
    resp, replayed = await put(client, "key-13")
    assert replayed == body and len(gate.asked) == 1  # stored and replayed like a first answer
    gate.recorded = None
    gate.failures.append(RuntimeError("again"))
    await put(client, "key-14")
    resp, _ = await put(client, "key-14")  # nothing committed: the operation runs again
    assert resp.status == 200 and gate.count("createContacts") == 3


async def test_an_upstream_rate_limit_is_not_cached(gateways, gate):
    from gateway.xero.errors import RateLimited

    client = await gateways.start()
    gate.failures.append(RateLimited("minute", 5))
    resp, _ = await put(client, "key-9")
    assert resp.status == 429
    resp, _ = await put(client, "key-9")
    assert resp.status == 200 and gate.count("createContacts") == 2


async def test_a_call_left_in_progress_by_a_dead_process_counts_as_unknown_after_the_timeout(gateways, gate):
    client = await gateways.start(idempotency={"wait": 0, "in_progress_timeout": 60})
    store = client.app[IDEMPOTENCY]
    resp, _ = await put(client, "probe")  # learn the fingerprint of the request as the gateway computes it
    fingerprint = (await store.get(scope("probe"))).fingerprint
    # A process claims "key-10" for the very same request and dies before finishing.
    await store.begin(scope("key-10"), fingerprint=fingerprint, operation_id="createContacts")
    resp, _ = await put(client, "key-10")
    assert resp.status == 409
    gateways.clock.advance(61)
    resp, body = await put(client, "key-10")
    assert resp.status == 200 and gate.count("createContacts") == 2
    assert (await store.get(scope("key-10"))).attempts == 2
    # The first claimant was only slow, not dead: its late outcome does not replace the one clients saw.
    await store.finish(scope("key-10"), StoredResponse(status=201, content_type=None, body=None), attempts=1)
    resp, replayed = await put(client, "key-10")
    assert (resp.status, replayed) == (200, body)


async def test_keys_expire_after_the_retention(gateways, gate):
    client = await gateways.start(idempotency={"retention": 3600})
    await put(client, "key-11")
    gateways.clock.advance(3599)
    await put(client, "key-11")
    assert gate.count("createContacts") == 1
    gateways.clock.advance(2)
    resp, _ = await put(client, "key-11", {"Contacts": [{"Name": "Another"}]})  # a new request may use it now
    assert resp.status == 200 and gate.count("createContacts") == 2
    gateways.clock.advance(3601)
    assert await client.app[IDEMPOTENCY].purge() == 1  # the key's one row (its first use was replaced)
    assert await client.app[IDEMPOTENCY].get(scope("key-11")) is None


async def test_a_key_over_128_characters_is_a_400(gateways, gate):
    client = await gateways.start()
    resp, _ = await put(client, "k" * 129)
    assert resp.status == 400 and gate.calls == []
    resp, _ = await put(client, "k" * 128)
    assert resp.status == 200


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_xero_python_sends_the_key_and_gets_the_same_contact_back(gateways, gate):
    from xero_python.accounting import AccountingApi, Contact, Contacts
    from xero_python.api_client import ApiClient, Configuration
    from xero_python.api_client.oauth2 import OAuth2Token

    client = await gateways.start()
    token = {"access_token": CLIENT, "refresh_token": "", "token_type": "Bearer", "expires_in": 1800,
             "expires_at": time.time() + 1800, "scope": ["accounting.contacts"], "id_token": None}
    api_client = ApiClient(Configuration(oauth2_token=OAuth2Token(client_id="c", client_secret="s")),
                           pool_threads=1, oauth2_token_getter=lambda: token, oauth2_token_saver=lambda t: None)
    accounting = AccountingApi(api_client, base_url=str(client.make_url("/1000/api.xro/2.0")))
    made = [await asyncio.to_thread(accounting.create_contacts, TENANT_A, Contacts(contacts=[Contact(name="Acme")]),
                                    idempotency_key="sdk-key") for _ in range(2)]
    assert made[0].contacts[0].contact_id == made[1].contacts[0].contact_id
    assert gate.count("createContacts") == 1
