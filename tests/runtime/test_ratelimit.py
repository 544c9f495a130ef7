"""Rate limits as Xero announces them (https://developer.xero.com/documentation/guides/oauth2/limits/): remaining
headers on every response, 429 with ``Retry-After`` and ``X-Rate-Limit-Problem``, concurrency slots as expiring
leases; the same semantics in every store (``[rate_limits] store``): in memory (one process), in Redis and in the
gateway's database (SQLite file or PostgreSQL), the last two sharing one budget between gateway processes."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from gateway.appkeys import RATE_LIMITER
from gateway.ratelimit.policy import DAY
from tests.pg import create_database
from tests.redis_server import redis_server, redis_url  # noqa: F401  (fixtures)
from tests.runtime.conftest import API, CLIENT, T0, Gateways, headers
from tests.runtime.gated_adapter import TENANT_A, TENANT_B

#: Every store; the database store on both of its databases.
STORES = ["memory", "redis", "database-sqlite", "database-postgresql"]
#: The stores that share one budget between gateway processes.
SHARED = ["redis", "database-sqlite", "database-postgresql"]

HANG_GUARD = 20  # seconds; only bounds a broken test, never asserted on

SMALL = {"tenant_per_minute": 3, "tenant_per_day": 100, "app_per_minute": 100, "tenant_concurrent": 5}


@pytest.fixture(params=STORES)
def rate_store(request) -> str:
    return request.param


@pytest.fixture
async def database_url(request, tmp_path, rate_store) -> str:
    """The gateway database: PostgreSQL for the database store on PostgreSQL, else a SQLite file (the memory and
    Redis stores do not use it for counting)."""
    if rate_store == "database-postgresql":
        return await create_database(request.getfixturevalue("pg_cluster"))
    return f"sqlite+aiosqlite:///{tmp_path / 'gateway.db'}"


@dataclass
class StoreGateways:
    """:class:`tests.runtime.conftest.Gateways` whose apps all use one rate-limit store."""

    inner: Gateways
    store: dict[str, Any]

    @property
    def clock(self):
        return self.inner.clock

    async def start(self, *, rate_limits: dict[str, Any] | None = None, **sections: Any) -> TestClient:
        return await self.inner.start(rate_limits={**self.store, **(rate_limits or {})}, **sections)


@pytest.fixture
def gateways(gateways, rate_store, request) -> StoreGateways:
    """Apps on the store of ``rate_store`` (for Redis: one throwaway server, flushed)."""
    store: dict[str, Any] = {"store": rate_store.split("-")[0]}
    if rate_store == "redis":
        store["redis_url"] = request.getfixturevalue("redis_url")
    return StoreGateways(gateways, store)


def remaining(resp) -> tuple[int, int, int]:
    return (int(resp.headers["X-MinLimit-Remaining"]), int(resp.headers["X-DayLimit-Remaining"]),
            int(resp.headers["X-AppMinLimit-Remaining"]))


async def test_headers_count_down_and_the_call_over_the_minute_limit_is_429(gateways, gate, xero_spec):
    client = await gateways.start(rate_limits=SMALL)
    seen = []
    for _ in range(3):
        resp = await client.get(API + "/Organisation", headers=headers())
        assert resp.status == 200
        xero_spec.validate_response("GET", str(resp.url), resp.status, await resp.read(), dict(resp.headers))
        seen.append(remaining(resp))
    assert seen == [(2, 99, 99), (1, 98, 98), (0, 97, 97)]

    resp = await client.get(API + "/Organisation", headers=headers())
    assert resp.status == 429
    assert resp.headers["X-Rate-Limit-Problem"] == "minute"
    assert resp.headers["Retry-After"] == "50"  # the clock is 10 s into its minute
    assert remaining(resp) == (0, 97, 97)  # a refused call consumes nothing
    assert resp.headers["Xero-Correlation-Id"]
    assert gate.count("getOrganisations") == 3

    gateways.clock.advance(50)  # the next minute
    resp = await client.get(API + "/Organisation", headers=headers())
    assert resp.status == 200 and remaining(resp) == (2, 96, 99)  # both minute windows start again


async def test_error_responses_carry_the_headers_once_the_tenant_is_known(gateways):
    client = await gateways.start(rate_limits=SMALL)
    resp = await client.get(API + "/Invoices", headers=headers())  # the adapter lacks getInvoices: 501
    assert resp.status == 501 and remaining(resp) == (2, 99, 99)
    resp = await client.put(API + "/Contacts", headers=headers(), json={"Contacts": [{"FirstName": "No name"}]})
    assert resp.status == 400 and remaining(resp) == (1, 98, 98)
    resp = await client.get(API + "/Contacts", headers=headers(), params={"where": "Name=="})
    assert resp.status == 400 and remaining(resp) == (0, 97, 97)
    # Before the tenant is known there is no budget to report.
    resp = await client.get(API + "/Organisation", headers={"Accept": "application/json"})
    assert resp.status == 401 and "X-MinLimit-Remaining" not in resp.headers


@pytest.mark.parametrize("rate_store", SHARED, indirect=True)
async def test_two_gateway_processes_share_one_budget(gateways, gate):
    first = await gateways.start(rate_limits=SMALL)
    second = await gateways.start(rate_limits=SMALL)
    statuses = []
    for client in (first, second, first, second):
        resp = await client.get(API + "/Organisation", headers=headers())
        statuses.append((resp.status, resp.headers.get("X-MinLimit-Remaining")))
    assert statuses == [(200, "2"), (200, "1"), (200, "0"), (429, "0")]
    assert gate.count("getOrganisations") == 3


async def test_the_day_limit_answers_day_until_the_end_of_the_utc_day(gateways):
    client = await gateways.start(rate_limits={**SMALL, "tenant_per_minute": 10, "tenant_per_day": 2})
    for expected in (1, 0):
        resp = await client.get(API + "/Organisation", headers=headers())
        assert resp.status == 200 and int(resp.headers["X-DayLimit-Remaining"]) == expected
    resp = await client.get(API + "/Organisation", headers=headers())
    assert resp.status == 429 and resp.headers["X-Rate-Limit-Problem"] == "day"
    assert int(resp.headers["Retry-After"]) == DAY - int(T0) % DAY
    gateways.clock.advance(DAY - T0 % DAY)  # midnight UTC
    resp = await client.get(API + "/Organisation", headers=headers())
    assert resp.status == 200 and resp.headers["X-DayLimit-Remaining"] == "1"


async def test_the_app_limit_spans_tenants_and_the_tenant_limit_does_not(gateways):
    client = await gateways.start(rate_limits={**SMALL, "tenant_per_minute": 2, "app_per_minute": 3})
    for tenant, expected in ((TENANT_A, (1, 2)), (TENANT_B, (1, 1)), (TENANT_A, (0, 0))):
        resp = await client.get(API + "/Organisation", headers=headers(tenant=tenant))
        assert resp.status == 200
        assert (int(resp.headers["X-MinLimit-Remaining"]), int(resp.headers["X-AppMinLimit-Remaining"])) == expected
    resp = await client.get(API + "/Organisation", headers=headers(tenant=TENANT_B))
    assert resp.status == 429 and resp.headers["X-Rate-Limit-Problem"] == "appminute"
    # Another app has its own budgets.
    resp = await client.get(API + "/Organisation", headers=headers(client="client-b", tenant=TENANT_A))
    assert resp.status == 200 and remaining(resp) == (1, 99, 2)


async def test_the_worst_problem_is_reported_when_several_limits_are_exhausted(gateways):
    client = await gateways.start(rate_limits={**SMALL, "tenant_per_minute": 1, "tenant_per_day": 1})
    assert (await client.get(API + "/Organisation", headers=headers())).status == 200
    resp = await client.get(API + "/Organisation", headers=headers())
    assert resp.status == 429 and resp.headers["X-Rate-Limit-Problem"] == "day"  # the longer wait wins


async def test_six_parallel_slow_calls_the_sixth_is_refused_for_concurrency(gateways, gate, rate_store):
    first = await gateways.start(rate_limits=SMALL | {"tenant_per_minute": 60})
    # The memory store counts one process's calls: there both clients are the same app.
    second = first if rate_store == "memory" else await gateways.start(rate_limits=SMALL | {"tenant_per_minute": 60})
    gate.hold = {"getContacts"}
    clients = [first, second] * 3
    tasks = [asyncio.create_task(c.get(API + "/Contacts", headers=headers())) for c in clients[:5]]
    async with asyncio.timeout(HANG_GUARD):
        await gate.until_inside(5)
    sixth = await clients[5].get(API + "/Contacts", headers=headers())
    assert sixth.status == 429
    assert sixth.headers["X-Rate-Limit-Problem"] == "concurrent" and sixth.headers["Retry-After"] == "1"
    # Another tenant of the same app is not held back by tenant A's calls in progress.
    other = await first.get(API + "/Organisation", headers=headers(tenant=TENANT_B))
    assert other.status == 200
    gate.release.set()
    async with asyncio.timeout(HANG_GUARD):
        responses = await asyncio.gather(*tasks)
    assert [r.status for r in responses] == [200] * 5
    limiter = first.app[RATE_LIMITER]
    assert await limiter.live_leases(code="1000", client_id=CLIENT, tenant_id=TENANT_A) == 0
    assert (await second.get(API + "/Contacts", headers=headers())).status == 200


async def test_slots_of_a_crashed_process_expire_with_their_lease(gateways):
    client = await gateways.start(rate_limits=SMALL | {"tenant_per_minute": 60, "concurrency_lease": 30})
    limiter = client.app[RATE_LIMITER]
    for _ in range(5):  # admitted and never released: the process "died" mid-call
        await limiter.admit(code="1000", client_id=CLIENT, tenant_id=TENANT_A)
    resp = await client.get(API + "/Organisation", headers=headers())
    assert resp.status == 429 and resp.headers["X-Rate-Limit-Problem"] == "concurrent"
    gateways.clock.advance(31)
    resp = await client.get(API + "/Organisation", headers=headers())
    assert resp.status == 200


@pytest.mark.parametrize("rate_store", ["database-sqlite", "database-postgresql"], indirect=True)
async def test_expired_counters_and_leases_are_purged(gateways):
    client = await gateways.start(rate_limits=SMALL)
    limiter = client.app[RATE_LIMITER]
    admission = await limiter.admit(code="1000", client_id=CLIENT, tenant_id=TENANT_A)
    await limiter.purge(T0 + 2 * DAY)
    # Everything is gone: a new day, a full budget, no slot held.
    assert await limiter.live_leases(code="1000", client_id=CLIENT, tenant_id=TENANT_A) == 0
    again = await limiter.admit(code="1000", client_id=CLIENT, tenant_id=TENANT_A)
    assert again.quota.day == 99 and admission.quota.day == 99


async def test_disabled_limits_send_no_headers(gateways):
    client = await gateways.start(rate_limits={"enabled": False})
    resp = await client.get(API + "/Organisation", headers=headers())
    assert resp.status == 200 and "X-MinLimit-Remaining" not in resp.headers


@pytest.mark.parametrize("rate_store", ["memory"], indirect=True)
async def test_xero_python_reads_the_problem_and_pyxero_names_it(gateways, monkeypatch):
    from xero import Xero
    from xero.auth import OAuth2Credentials
    from xero.exceptions import XeroRateLimitExceeded
    from xero_python.accounting import AccountingApi
    from xero_python.api_client import ApiClient, Configuration
    from xero_python.api_client.oauth2 import OAuth2Token
    from xero_python.exceptions import RateLimitException

    client = await gateways.start(rate_limits={**SMALL, "tenant_per_minute": 1})
    # Half a second before the minute ends: Retry-After is 1. xero-python's transport (urllib3) honours
    # Retry-After on a 429 and retries three times before the SDK raises, sleeping for real.
    gateways.clock.advance(49.5)
    token = {"access_token": CLIENT, "refresh_token": "", "token_type": "Bearer", "expires_in": 1800,
             "expires_at": time.time() + 1800, "scope": ["accounting.settings"], "id_token": None}
    api_client = ApiClient(Configuration(oauth2_token=OAuth2Token(client_id="c", client_secret="s")),
                           pool_threads=1, oauth2_token_getter=lambda: token, oauth2_token_saver=lambda t: None)
    accounting = AccountingApi(api_client, base_url=str(client.make_url("/1000/api.xro/2.0")))
    await asyncio.to_thread(accounting.get_organisations, TENANT_A)
    with pytest.raises(RateLimitException) as caught:
        await asyncio.to_thread(accounting.get_organisations, TENANT_A)
    assert caught.value.status == 429 and caught.value.rate_limit == "minute"
    assert caught.value.error_message == "You've exceeded the per minute rate limit"

    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    creds = OAuth2Credentials("c", "s", tenant_id=TENANT_A, token={
        "access_token": CLIENT, "token_type": "Bearer", "expires_in": 1800, "expires_at": time.time() + 1800})
    creds.base_url = str(client.make_url("/1000")).rstrip("/")
    with pytest.raises(XeroRateLimitExceeded) as refused:
        await asyncio.to_thread(Xero(creds).organisations.all)
    assert refused.value.errors == ["rate limit exceeded: minute"]
