"""Rate-limit counters and concurrency leases in Redis, shared by every gateway process that uses the same server
and key prefix (``[rate_limits] store = "redis"``).

One admission is one round trip: a Lua script (registered through redis-py, run with ``EVALSHA``; Redis runs a
script atomically) that

1. reads the tenant's minute and day counters and the app's minute counter (keys ``{prefix}{scope}:{window
   start}``: fixed UTC windows chosen by :class:`~.policy.Windows` on the limiter's clock);
2. drops the tenant's expired leases from its sorted set (``{prefix}concurrent:…``, member = lease id, score =
   expiry in epoch seconds) and counts the rest;
3. only when every counter is under its limit and a slot is free: increments the three counters (each expiring
   with its window) and adds the lease (the set expires ``concurrency_lease`` seconds after its last lease).

A refused call changes nothing. The release is one ``ZREM`` (allowed when Redis is full, so that slots free). A
lease whose holder died stops counting at its score, and the whole set goes once its last lease has expired. Redis
over its ``maxmemory`` refuses the script (an ``OOM`` error): raised as :class:`~.limiter.CountersFull`.

The clocks of the processes sharing a server must agree (lease expiries and windows are their epoch seconds), as
for the database store. Needs Redis ≥ 7.0 (the script's flags).
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.exceptions import OutOfMemoryError

from .limiter import Admission, CountersFull, Used
from .policy import DAY, MINUTE, Limits, Scopes, Windows

#: KEYS: minute, day, app minute counters, the tenant's lease set. ARGV: the three limits, the concurrency limit,
#: now, the new lease's expiry and id (epoch seconds), the minute and day counters' and the lease set's TTLs
#: (whole seconds). Returns the three counts before this call and 1 when admitted, 0 when refused. The ``#!lua``
#: line (Redis ≥ 7) declares the script's flags (none: it writes, and is refused whole when Redis is over its
#: ``maxmemory``; a script without it may be let through with stale out-of-memory state).
ADMIT = """#!lua
local minute = tonumber(redis.call('GET', KEYS[1]) or '0')
local day = tonumber(redis.call('GET', KEYS[2]) or '0')
local app_minute = tonumber(redis.call('GET', KEYS[3]) or '0')
if minute >= tonumber(ARGV[1]) or day >= tonumber(ARGV[2]) or app_minute >= tonumber(ARGV[3]) then
  return {minute, day, app_minute, 0}
end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ARGV[5])
if redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[4]) then
  return {minute, day, app_minute, 0}
end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[8])
redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[9])
redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], ARGV[8])
redis.call('ZADD', KEYS[4], ARGV[6], ARGV[7])
redis.call('EXPIRE', KEYS[4], ARGV[10])
return {minute, day, app_minute, 1}
"""


@asynccontextmanager
async def _out_of_memory_as_counters_full() -> AsyncIterator[None]:
    try:
        yield
    except OutOfMemoryError as exc:
        raise CountersFull(str(exc)) from exc


class RedisRateLimiter:
    """Xero's limits in Redis (a :class:`~.limiter.RateLimiter`).

    Args:
        redis: a redis-py asyncio client (the limiter closes it in :meth:`close`).
        limits: the configured limits.
        prefix: prepended to every key (``[rate_limits] redis_prefix``): gateways sharing a prefix share budgets.
        clock: epoch seconds (``time.time``; tests replace it to move between windows).
    """

    def __init__(self, redis: Redis, limits: Limits, *, prefix: str,
                 clock: Callable[[], float] = time.time) -> None:
        self.redis = redis
        self.limits = limits
        self.prefix = prefix
        self.clock = clock
        self._admit = redis.register_script(ADMIT)

    async def admit(self, *, code: str, client_id: str, tenant_id: str) -> Admission:
        """:meth:`.limiter.RateLimiter.admit`, in one round trip.

        Raises:
            redis.exceptions.ConnectionError: Redis cannot be reached (besides the interface's errors).
        """
        now = self.clock()
        windows = Windows.at(now)
        scopes = Scopes.of(code=code, client_id=client_id, tenant_id=tenant_id)
        limits = self.limits
        lease_id = uuid.uuid4().hex
        keys = [self._key(scopes.minute, windows.minute), self._key(scopes.day, windows.day),
                self._key(scopes.app_minute, windows.minute), self.prefix + scopes.concurrent]
        args = [limits.per_minute, limits.per_day, limits.app_per_minute, limits.concurrent, repr(now),
                repr(now + limits.lease), lease_id, _ttl(windows.minute + MINUTE - now),
                _ttl(windows.day + DAY - now), limits.lease + 1]
        async with _out_of_memory_as_counters_full():
            minute, day, app_minute, admitted = (int(n) for n in await self._admit(keys=keys, args=args))
        used = Used(minute, day, app_minute)
        if not admitted:
            raise used.refusal(limits, windows, used.over(limits))  # no counter over: the concurrency limit
        return used.admission(limits, lease_id, self.prefix + scopes.concurrent)

    async def release(self, admission: Admission) -> None:
        """Free the concurrency slot of an admitted call (idempotent; one ``ZREM``)."""
        async with _out_of_memory_as_counters_full():
            await self.redis.zrem(admission.scope, admission.lease_id)

    async def live_leases(self, *, code: str, client_id: str, tenant_id: str) -> int:
        """Calls in progress for one app and tenant right now (for tests and operators)."""
        key = self.prefix + Scopes.of(code=code, client_id=client_id, tenant_id=tenant_id).concurrent
        return int(await self.redis.zcount(key, f"({self.clock()!r}", "+inf"))

    async def close(self) -> None:
        """Close the client's connections."""
        await self.redis.aclose()

    def _key(self, scope: str, window_start: int) -> str:
        return f"{self.prefix}{scope}:{window_start}"


def _ttl(seconds: float) -> int:
    """Whole seconds a counter must live to outlast its window (at least 1: ``EXPIRE`` 0 deletes the key)."""
    return max(1, math.ceil(seconds))
