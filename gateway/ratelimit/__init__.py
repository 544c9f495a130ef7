"""Xero's API rate limits, enforced by the gateway: in this process, or shared by every gateway process through
Redis or the gateway's database (``[rate_limits] store``).

Modules: :mod:`.policy` (the limits, windows and headers as Xero announces them), :mod:`.limiter` (what a store
gives: admissions, leases, the 429), the stores :mod:`.memory` (the default), :mod:`.redis_store` and
:mod:`.database`. This module is the aiohttp glue:

- :func:`setup` creates the store's limiter at start-up (after the app's database context) unless
  ``[rate_limits] enabled = false``, and closes it at shut-down;
- :func:`admitted` wraps one Accounting API call once its tenant is known (after the identity guard): it counts the
  call, holds a concurrency slot while the call runs, and raises
  :class:`~gateway.xero.errors.RateLimited` (HTTP 429) over a limit;
- :func:`quota_headers` (an app middleware, outside the error middleware) adds ``X-MinLimit-Remaining``,
  ``X-DayLimit-Remaining`` and ``X-AppMinLimit-Remaining`` to every response of an admitted or refused call,
  success or error.

Every call counts once its tenant is known, including calls answered with an error afterwards (400, 404, 501) and
replays of an ``Idempotency-Key`` (Xero counts calls, not work done; unconfirmed for replays). When the counters
cannot be written (a full disk under the database store, Redis over its ``maxmemory``) reads are served uncounted,
and writes answer 503 (:class:`~gateway.xero.errors.StorageFull`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from aiohttp import web
from redis.asyncio import Redis
from redis.exceptions import RedisError

from gateway import appkeys
from gateway.appkeys import RATE_LIMITER, RUNTIME_DB
from gateway.settings import RateLimitSettings
from gateway.xero.errors import ServiceUnavailable, StorageFull
from gateway.xero.request import RequestContext

from .database import DatabaseRateLimiter
from .limiter import Admission, CountersFull, RateLimiter, RateLimitExceeded
from .memory import MemoryRateLimiter
from .policy import Limits, Quota
from .redis_store import RedisRateLimiter

__all__ = ["QUOTA", "Admission", "CountersFull", "Limits", "Quota", "RateLimitExceeded", "RateLimiter",
           "admitted", "make_limiter", "quota_headers", "setup"]

log = structlog.get_logger("gateway")

#: Methods that only read: served (uncounted) when the counters cannot be written.
READ_METHODS = frozenset({"GET", "HEAD"})

#: The caller's remaining quota, set on the request by :func:`admitted`.
QUOTA: web.RequestKey[Quota] = web.RequestKey("rate_quota", Quota)


@asynccontextmanager
async def admitted(request: web.Request, ctx: RequestContext) -> AsyncIterator[None]:
    """Run the body of the ``async with`` as one rate-limited call of ``ctx``'s app and tenant.

    Args:
        request: the HTTP request (its app holds the limiter; the quota is stored on it for the headers).
        ctx: the authenticated caller (``source_code``, ``client_id``, ``tenant_id``).

    Raises:
        RateLimitExceeded: a limit is exhausted (429 with ``Retry-After`` and ``X-Rate-Limit-Problem``).
        ServiceUnavailable: the Redis store cannot be reached or timed out (503 with ``Retry-After``).
    """
    limiter = request.app.get(RATE_LIMITER)
    if limiter is None:
        yield
        return
    try:
        admission = await limiter.admit(code=ctx.source_code, client_id=ctx.client_id, tenant_id=ctx.tenant_id)
    except RateLimitExceeded as exc:
        request[QUOTA] = exc.quota
        raise
    except RedisError as exc:
        # the shared store is down or too slow: refuse the call with a 503 (never a 500), nothing was counted
        log.warning("rate_limit_store_unavailable", error=type(exc).__name__, path=request.path)
        raise ServiceUnavailable("the rate-limit store") from exc
    except CountersFull as exc:
        # Full counters must not take reads down with them: a read goes on uncounted, and a write is refused as
        # its own write would fail too (the same 503 as a full disk).
        if request.method not in READ_METHODS:
            raise StorageFull() from exc
        log.warning("rate_limit_not_counted", reason="storage_full", path=request.path)
        yield
        return
    request[QUOTA] = admission.quota
    try:
        yield
    finally:
        try:
            await limiter.release(admission)
        except CountersFull:
            log.warning("rate_limit_lease_not_released", reason="storage_full", path=request.path)
        except RedisError as exc:  # the lease expires by itself (concurrency_lease)
            log.warning("rate_limit_lease_not_released", reason=type(exc).__name__, path=request.path)


@web.middleware
async def quota_headers(request: web.Request, handler) -> web.StreamResponse:
    """Add the remaining-calls headers to the response of every call that reached :func:`admitted`."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        quota = request.get(QUOTA)
        if quota is not None:
            exc.headers.update(quota.headers())
        raise
    quota = request.get(QUOTA)
    if quota is not None and not response.prepared:
        response.headers.update(quota.headers())
    return response


def make_limiter(settings: RateLimitSettings, app: web.Application) -> RateLimiter:
    """The limiter of the configured store (``[rate_limits] store``, gateway/settings.py).

    Args:
        settings: the ``[rate_limits]`` section.
        app: the app (the database store uses its :data:`gateway.appkeys.RUNTIME_DB`).
    """
    limits = Limits.from_settings(settings)
    if settings.store == "redis":
        client = Redis.from_url(settings.redis_url, socket_timeout=settings.redis_timeout,
                                socket_connect_timeout=settings.redis_timeout)
        return RedisRateLimiter(client, limits, prefix=settings.redis_prefix)
    if settings.store == "database":
        return DatabaseRateLimiter(app[RUNTIME_DB], limits)
    return MemoryRateLimiter(limits)


def setup(app: web.Application) -> None:
    """Create the limiter at start-up and close it at shut-down (the database store needs
    :data:`gateway.appkeys.RUNTIME_DB`: call this after ``gateway.store.runtime.setup``)."""

    async def rate_limits(app: web.Application) -> AsyncIterator[None]:
        settings = app[appkeys.SETTINGS].rate_limits
        if not settings.enabled:
            yield
            return
        limiter = app[RATE_LIMITER] = make_limiter(settings, app)
        try:
            yield
        finally:
            await limiter.close()

    app.cleanup_ctx.append(rate_limits)
