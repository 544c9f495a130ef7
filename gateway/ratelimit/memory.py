"""Rate-limit counters and concurrency leases in this process's memory (``[rate_limits] store = "memory"``, the
default): no I/O per call, correct for one gateway process only (several processes would each count apart).

Counters are fixed windows of the ``limits`` library (``FixedWindowRateLimiter`` over its asyncio
``MemoryStorage``, which also forgets a window once it has expired). The window a call falls in is chosen here, by
:class:`~.policy.Windows` on the limiter's clock, and is part of the counter's key, so that windows are the UTC
minute and day as :mod:`.policy` says (``limits`` would start a window at its first hit).

Concurrency slots are leases in a dict per tenant scope, each with its expiry on the limiter's clock.

One ``asyncio.Lock`` makes an admission (read three counters and the leases, then count and take a slot) atomic
between the tasks of the event loop; it is never held across I/O.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable

from limits import RateLimitItem, RateLimitItemPerDay, RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import FixedWindowRateLimiter

from .limiter import Admission, RateLimitExceeded
from .policy import (
    PROBLEM_APP_MINUTE,
    PROBLEM_CONCURRENT,
    PROBLEM_DAY,
    PROBLEM_MINUTE,
    Limits,
    Quota,
    Scopes,
    Windows,
    worst_problem,
)

#: Seconds between two sweeps of expired leases of every tenant (a tenant's own are dropped on each admission).
SWEEP_INTERVAL = 60.0


class MemoryRateLimiter:
    """Xero's limits in memory (a :class:`~.limiter.RateLimiter`).

    Args:
        limits: the configured limits.
        clock: epoch seconds (``time.time``; tests replace it to move between windows).
    """

    def __init__(self, limits: Limits, *, clock: Callable[[], float] = time.time) -> None:
        self.limits = limits
        self.clock = clock
        self._windows = FixedWindowRateLimiter(MemoryStorage())
        self._minute = RateLimitItemPerMinute(limits.per_minute)
        self._day = RateLimitItemPerDay(limits.per_day)
        self._app_minute = RateLimitItemPerMinute(limits.app_per_minute)
        self._leases: dict[str, dict[str, float]] = {}  # tenant scope -> lease id -> expiry (epoch seconds)
        self._lock = asyncio.Lock()
        self._next_sweep = 0.0

    async def admit(self, *, code: str, client_id: str, tenant_id: str) -> Admission:
        """Count one call and take a concurrency slot (see :meth:`.limiter.RateLimiter.admit`).

        Raises:
            RateLimitExceeded: a limit is exhausted; nothing was counted.
        """
        now = self.clock()
        windows = Windows.at(now)
        scopes = Scopes.of(code=code, client_id=client_id, tenant_id=tenant_id)
        counters: list[tuple[str, RateLimitItem, str, int]] = [
            (PROBLEM_MINUTE, self._minute, scopes.minute, windows.minute),
            (PROBLEM_DAY, self._day, scopes.day, windows.day),
            (PROBLEM_APP_MINUTE, self._app_minute, scopes.app_minute, windows.minute),
        ]
        async with self._lock:
            self._maybe_sweep(now)
            left = {problem: (await self._windows.get_window_stats(item, scope, str(start))).remaining
                    for problem, item, scope, start in counters}
            problems = [problem for problem, remaining in left.items() if remaining <= 0]
            leases = self._live(scopes.concurrent, now)
            if not problems and len(leases) >= self.limits.concurrent:
                problems.append(PROBLEM_CONCURRENT)
            if problems:
                problem = worst_problem(problems, windows)
                raise RateLimitExceeded(problem, windows.retry_after(problem), Quota(
                    minute=left[PROBLEM_MINUTE], day=left[PROBLEM_DAY], app_minute=left[PROBLEM_APP_MINUTE]))
            for _problem, item, scope, start in counters:
                await self._windows.hit(item, scope, str(start))
            lease_id = uuid.uuid4().hex
            leases[lease_id] = now + self.limits.lease
            self._leases[scopes.concurrent] = leases
        return Admission(lease_id, Quota(minute=left[PROBLEM_MINUTE] - 1, day=left[PROBLEM_DAY] - 1,
                                         app_minute=left[PROBLEM_APP_MINUTE] - 1), scopes.concurrent)

    async def release(self, admission: Admission) -> None:
        """Free the concurrency slot of an admitted call (idempotent)."""
        leases = self._leases.get(admission.scope)
        if leases is not None:
            leases.pop(admission.lease_id, None)
            if not leases:
                del self._leases[admission.scope]

    async def live_leases(self, *, code: str, client_id: str, tenant_id: str) -> int:
        """Calls in progress for one app and tenant right now (for tests and operators)."""
        scope = Scopes.of(code=code, client_id=client_id, tenant_id=tenant_id).concurrent
        return len(self._live(scope, self.clock()))

    async def close(self) -> None:
        """Forget every counter and lease."""
        await self._windows.storage.reset()
        self._leases.clear()

    def _live(self, scope: str, now: float) -> dict[str, float]:
        """The unexpired leases of ``scope`` (expired ones are dropped: a lease counts while ``expiry > now``)."""
        leases = self._leases.get(scope, {})
        return {lease: expiry for lease, expiry in leases.items() if expiry > now}

    def _maybe_sweep(self, now: float) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_INTERVAL
        for scope in list(self._leases):
            live = self._live(scope, now)
            if live:
                self._leases[scope] = live
            else:
                del self._leases[scope]
