"""What differs between the rate-limit stores (``[rate_limits] store``, gateway/ratelimit/): where counters live,
what a call costs the store, atomicity under concurrent admissions, a killed holder's slots, a full store."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import sys
import time

import pytest
import redis
from pydantic import ValidationError
from redis.asyncio import Redis
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from gateway.appkeys import RATE_LIMITER, RUNTIME_DB
from gateway.ratelimit import RateLimitExceeded
from gateway.ratelimit.memory import MemoryRateLimiter
from gateway.ratelimit.policy import Limits
from gateway.ratelimit.redis_store import RedisRateLimiter
from gateway.settings import RateLimitSettings
from gateway.store.models_runtime import RateCounter, RateLease
from tests.redis_server import redis_server, redis_url  # noqa: F401  (fixtures, asked for by name)
from tests.runtime.conftest import API, CLIENT, headers
from tests.runtime.gated_adapter import TENANT_A

HANG_GUARD = 30  # seconds; only bounds a broken test, never asserted on
SMALL = {"tenant_per_minute": 3, "tenant_per_day": 100, "app_per_minute": 100, "tenant_concurrent": 5}
LIMITS = Limits(per_minute=1000, per_day=1000, concurrent=5, app_per_minute=1000, lease=30)
PREFIX = "test:rate:"
#: The commands the admission script runs inside Redis (gateway.ratelimit.redis_store.ADMIT).
SCRIPT_COMMANDS = {"get", "incr", "expire", "zadd", "zcard", "zremrangebyscore"}


def store(name: str, request: pytest.FixtureRequest | None = None) -> dict:
    """``[rate_limits]`` settings of the store ``name`` (for Redis, the test server of ``request``'s session)."""
    if name == "redis":
        return {"store": name, "redis_url": request.getfixturevalue("redis_url")}
    return {"store": name}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_memory_store_counts_each_process_apart(gateways):
    first = await gateways.start(rate_limits=SMALL | store("memory"))
    second = await gateways.start(rate_limits=SMALL | store("memory"))
    seen = [(await c.get(API + "/Organisation", headers=headers())).headers["X-MinLimit-Remaining"]
            for c in (first, second, first)]
    assert seen == ["2", "2", "1"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("name", ["memory", "redis", "database"])
async def test_only_the_database_store_writes_to_the_gateway_database(gateways, name, request):
    client = await gateways.start(rate_limits=SMALL | store(name, request))
    assert (await client.get(API + "/Organisation", headers=headers())).status == 200
    async with client.app[RUNTIME_DB].engine.connect() as conn:
        rows = (await conn.scalar(select(func.count()).select_from(RateCounter)),
                await conn.scalar(select(func.count()).select_from(RateLease)))
    assert rows == ((4, 0) if name == "database" else (0, 0))  # 3 counters + the lease-lock row; lease released


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_redis_call_is_one_round_trip_to_admit_and_one_to_release(gateways, request):
    client = await gateways.start(rate_limits=SMALL | store("redis", request))
    url = request.getfixturevalue("redis_url")
    assert (await client.get(API + "/Organisation", headers=headers())).status == 200  # loads the script
    with redis.Redis.from_url(url) as admin:
        admin.config_resetstat()
        resp = await client.get(API + "/Organisation", headers=headers())
        stats = admin.info("commandstats")
    assert resp.status == 200 and resp.headers["X-MinLimit-Remaining"] == "1"
    calls = {name.removeprefix("cmdstat_"): stat["calls"] for name, stat in stats.items()
             if name not in ("cmdstat_info", "cmdstat_config|resetstat")}
    # Redis counts the commands a script runs too: those are one round trip (the EVALSHA).
    sent = {name: n for name, n in calls.items() if name not in SCRIPT_COMMANDS}
    assert sent == {"evalsha": 1, "zrem": 1}


@pytest.mark.parametrize("name", ["memory", "redis"])
async def test_concurrent_admissions_take_exactly_the_free_slots(name, request):
    if name == "memory":
        limiters = [MemoryRateLimiter(LIMITS)] * 2
    else:
        url = request.getfixturevalue("redis_url")
        limiters = [RedisRateLimiter(Redis.from_url(url), LIMITS, prefix=PREFIX) for _ in range(2)]

    async def admit(limiter):
        try:
            return await limiter.admit(code="1000", client_id=CLIENT, tenant_id=TENANT_A)
        except RateLimitExceeded as exc:
            return exc.problem

    try:
        async with asyncio.timeout(HANG_GUARD):
            outcomes = await asyncio.gather(*(admit(limiters[i % 2]) for i in range(20)))
        admitted = [o for o in outcomes if not isinstance(o, str)]
        assert len(admitted) == 5 and outcomes.count("concurrent") == 15
        assert sorted(a.quota.minute for a in admitted) == list(range(995, 1000))  # refusals counted nothing
        await limiters[1].release(admitted[0])
        assert await limiters[0].live_leases(code="1000", client_id=CLIENT, tenant_id=TENANT_A) == 4
    finally:
        for limiter in set(limiters):
            await limiter.close()


#: Holds every slot of one tenant in Redis, says so, then waits to be killed.
HOLDER = """
import asyncio, sys
from redis.asyncio import Redis
from gateway.ratelimit.policy import Limits
from gateway.ratelimit.redis_store import RedisRateLimiter

async def main():
    limits = Limits(per_minute=1000, per_day=1000, concurrent=5, app_per_minute=1000, lease=30)
    limiter = RedisRateLimiter(Redis.from_url(sys.argv[1]), limits, prefix=sys.argv[2])
    for _ in range(5):
        await limiter.admit(code="1000", client_id=sys.argv[3], tenant_id=sys.argv[4])
    print("held", flush=True)
    await asyncio.sleep(600)

asyncio.run(main())
"""


async def test_the_slots_of_a_killed_redis_holder_expire_with_their_lease(request):
    url = request.getfixturevalue("redis_url")
    holder = await asyncio.create_subprocess_exec(sys.executable, "-c", HOLDER, url, PREFIX, CLIENT, TENANT_A,
                                                  stdout=asyncio.subprocess.PIPE, env=os.environ.copy())
    try:
        async with asyncio.timeout(HANG_GUARD):
            assert await holder.stdout.readline() == b"held\n"
    finally:
        holder.send_signal(signal.SIGKILL)
        await holder.wait()
    limiter = RedisRateLimiter(Redis.from_url(url), LIMITS, prefix=PREFIX)
    try:
        with pytest.raises(RateLimitExceeded) as refused:
            await limiter.admit(code="1000", client_id=CLIENT, tenant_id=TENANT_A)
        assert refused.value.problem == "concurrent"
        assert await limiter.live_leases(code="1000", client_id=CLIENT, tenant_id=TENANT_A) == 5
        # Redis forgets the lease set by itself once its last lease has expired.
        assert 0 < await limiter.redis.ttl(f"{PREFIX}concurrent:1000:{CLIENT}:{TENANT_A}") <= LIMITS.lease + 1
        limiter.clock = lambda: time.time() + LIMITS.lease + 1  # the leases' expiry has passed
        admission = await limiter.admit(code="1000", client_id=CLIENT, tenant_id=TENANT_A)
        assert admission.quota.day == 1000 - 6  # the killed holder's five calls still count for the day
        assert await limiter.live_leases(code="1000", client_id=CLIENT, tenant_id=TENANT_A) == 1
    finally:
        await limiter.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_redis_over_its_maxmemory_serves_reads_uncounted_and_refuses_writes(gateways, request):
    client = await gateways.start(rate_limits=SMALL | store("redis", request))
    url = request.getfixturevalue("redis_url")
    with redis.Redis.from_url(url) as admin:
        admin.config_set("maxmemory", 1)
        try:
            read = await client.get(API + "/Organisation", headers=headers())
            write = await client.put(API + "/Contacts", headers=headers(), json={"Contacts": [{"Name": "Full"}]})
        finally:
            admin.config_set("maxmemory", 0)
    assert read.status == 200 and "X-MinLimit-Remaining" not in read.headers
    assert write.status == 503 and int(write.headers["Retry-After"]) > 0
    assert "storage is full" in await write.text()
    assert await client.app[RATE_LIMITER].live_leases(code="1000", client_id=CLIENT, tenant_id=TENANT_A) == 0
    resp = await client.get(API + "/Organisation", headers=headers())
    assert resp.headers["X-MinLimit-Remaining"] == "2"  # neither call was counted


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_database_store_on_a_full_disk_serves_reads_uncounted_and_refuses_writes(gateways):
    client = await gateways.start(rate_limits=SMALL | store("database"))

    def disk_full(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if "runtime_rate" in statement and statement.lstrip().upper().startswith(("INSERT", "DELETE")):
            raise OperationalError(statement, parameters, sqlite3.OperationalError("database or disk is full"))

    engine = client.app[RUNTIME_DB].engine.sync_engine
    event.listen(engine, "before_cursor_execute", disk_full)
    read = await client.get(API + "/Organisation", headers=headers())
    write = await client.put(API + "/Contacts", headers=headers(), json={"Contacts": [{"Name": "Full"}]})
    event.remove(engine, "before_cursor_execute", disk_full)
    assert read.status == 200 and "X-MinLimit-Remaining" not in read.headers
    assert write.status == 503 and "storage is full" in await write.text()
    resp = await client.get(API + "/Organisation", headers=headers())
    assert resp.headers["X-MinLimit-Remaining"] == "2"  # neither call was counted


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_hung_redis_fails_the_call_after_redis_timeout(gateways):
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # accepts and never answers, like a hung server

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        client = await gateways.start(rate_limits={"store": "redis", "redis_url": f"redis://127.0.0.1:{port}/0",
                                                   "redis_timeout": 0.2})
        limiter = client.app[RATE_LIMITER]
        # redis-py's own default is 5 s: the configured bound is the one in force.
        settings = limiter.redis.connection_pool.connection_kwargs
        assert (settings["socket_timeout"], settings["socket_connect_timeout"]) == (0.2, 0.2)
        async with asyncio.timeout(HANG_GUARD):
            with pytest.raises(redis.TimeoutError):
                await limiter.admit(code="1000", client_id=CLIENT, tenant_id=TENANT_A)
    finally:
        server.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_an_unreachable_redis_answers_503_not_500(gateways):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = await gateways.start(rate_limits={"store": "redis", "redis_url": f"redis://127.0.0.1:{port}/0",
                                               "redis_timeout": 0.5})
    for call in (client.get(API + "/Organisation", headers=headers()),
                 client.put(API + "/Contacts", headers=headers(), json={"Contacts": [{"Name": "Down"}]})):
        resp = await call
        assert resp.status == 503 and int(resp.headers["Retry-After"]) > 0
        assert "rate-limit store cannot be reached" in await resp.text()


def test_the_redis_store_needs_a_url():
    with pytest.raises(ValidationError, match="redis_url"):
        RateLimitSettings(store="redis")
    assert RateLimitSettings(store="redis", redis_url="redis://127.0.0.1:6379/0").store == "redis"
    assert RateLimitSettings().store == "memory"
