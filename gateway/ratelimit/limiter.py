"""What every rate-limit store gives the glue (:mod:`gateway.ratelimit`): the interface, an admission, the 429.

Stores (``[rate_limits] store``, gateway/settings.py): :mod:`.memory` (one process, the default), :mod:`.redis_store`
(shared by every process on one Redis), :mod:`.database` (shared through the gateway's database, for deployments
with PostgreSQL and no Redis). All three count the same fixed windows and leases of :mod:`.policy`:

- a call is admitted only when the tenant's minute and day counters and the app's minute counter are under their
  limits and a concurrency slot is free; then all three counters go up by one and a lease holds the slot;
- a refused call consumes nothing (the quota it reports is what was left before it);
- a lease stops counting at its expiry (``concurrency_lease`` seconds), so a slot of a dead process frees itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from gateway.xero.errors import RateLimited

from .policy import (
    PROBLEM_APP_MINUTE,
    PROBLEM_CONCURRENT,
    PROBLEM_DAY,
    PROBLEM_MINUTE,
    Limits,
    Quota,
    Windows,
    worst_problem,
)


@dataclass(frozen=True)
class Admission:
    """An admitted call: its lease (``scope`` and ``lease_id``; release it when the call ends) and the caller's
    remaining quota."""

    lease_id: str
    quota: Quota
    scope: str = ""


class RateLimitExceeded(RateLimited):
    """:class:`~gateway.xero.errors.RateLimited` with the caller's remaining quota (for the response headers)."""

    def __init__(self, problem: str, retry_after: int, quota: Quota) -> None:
        super().__init__(problem, retry_after)
        self.quota = quota


@dataclass(frozen=True)
class Used:
    """The caller's three counters as they were before this call (the calls already counted in each window)."""

    minute: int
    day: int
    app_minute: int

    def over(self, limits: Limits) -> list[str]:
        """The counter limits this call would exceed (``X-Rate-Limit-Problem`` names; concurrency is the store's)."""
        return [name for name, over in ((PROBLEM_MINUTE, self.minute >= limits.per_minute),
                                        (PROBLEM_DAY, self.day >= limits.per_day),
                                        (PROBLEM_APP_MINUTE, self.app_minute >= limits.app_per_minute)) if over]

    def refusal(self, limits: Limits, windows: Windows, problems: list[str]) -> RateLimitExceeded:
        """The 429 of a refused call: the worst of ``problems`` (:func:`~.policy.worst_problem`; none named: the
        concurrency limit), its ``Retry-After``, and the quota left before the call (a refused call consumes
        nothing)."""
        problem = worst_problem(problems or [PROBLEM_CONCURRENT], windows)
        return RateLimitExceeded(problem, windows.retry_after(problem), Quota(
            minute=limits.per_minute - self.minute, day=limits.per_day - self.day,
            app_minute=limits.app_per_minute - self.app_minute))

    def admission(self, limits: Limits, lease_id: str, scope: str) -> Admission:
        """The admission of a counted call holding lease ``lease_id`` of ``scope``: the quota left after it."""
        return Admission(lease_id, Quota(minute=limits.per_minute - self.minute - 1,
                                         day=limits.per_day - self.day - 1,
                                         app_minute=limits.app_per_minute - self.app_minute - 1), scope)


class CountersFull(Exception):
    """The store cannot write counters (a full disk, Redis over its ``maxmemory``): reads go on uncounted, writes
    answer 503 (:class:`~gateway.xero.errors.StorageFull`)."""


class RateLimiter(Protocol):
    """A rate-limit store. Implementations MUST be safe for concurrent tasks of one event loop.

    Attributes:
        clock: epoch seconds (``time.time``; tests replace it to move between windows).
    """

    clock: Callable[[], float]

    async def admit(self, *, code: str, client_id: str, tenant_id: str) -> Admission:
        """Count one call and take a concurrency slot.

        Args:
            code: the source code of the URL.
            client_id: the calling app.
            tenant_id: the tenant called (``""`` when none: the app's tenant-less calls share one budget).

        Returns:
            The admission; pass it to :meth:`release` when the call ends.

        Raises:
            RateLimitExceeded: a limit is exhausted (HTTP 429, ``Retry-After`` and ``X-Rate-Limit-Problem``);
                nothing was counted.
            CountersFull: the store is full; nothing was counted.
        """
        ...

    async def release(self, admission: Admission) -> None:
        """Free the concurrency slot of an admitted call (idempotent).

        Raises:
            CountersFull: the store is full (the lease then frees itself at its expiry).
        """
        ...

    async def live_leases(self, *, code: str, client_id: str, tenant_id: str) -> int:
        """Calls in progress for one app and tenant right now (for tests and operators)."""
        ...

    async def close(self) -> None:
        """Let go of the store's connections (at shut-down)."""
        ...
