"""Xero's API rate limits, enforced by the gateway and shared by every gateway process on one database.

Modules: :mod:`.policy` (the limits, windows and headers as Xero announces them), :mod:`.store` (counters and
concurrency leases in the gateway's database). This module is the aiohttp glue:

- :func:`setup` creates the :class:`~.store.RateLimiter` at start-up (after the app's database context) unless
  ``[rate_limits] enabled = false``;
- :func:`admitted` wraps one Accounting API call once its tenant is known (after the identity guard): it counts the
  call, holds a concurrency slot while the call runs, and raises
  :class:`~gateway.xero.errors.RateLimited` (HTTP 429) over a limit;
- :func:`quota_headers` (an app middleware, outside the error middleware) adds ``X-MinLimit-Remaining``,
  ``X-DayLimit-Remaining`` and ``X-AppMinLimit-Remaining`` to every response of an admitted or refused call,
  success or error.

Every call counts once its tenant is known, including calls answered with an error afterwards (400, 404, 501) and
replays of an ``Idempotency-Key`` (Xero counts calls, not work done; unconfirmed for replays). On a full disk (the
counters cannot be written) reads are served uncounted, and writes fail with the error middleware's 503.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from aiohttp import web
from sqlalchemy.exc import OperationalError

from gateway import appkeys
from gateway.appkeys import RATE_LIMITER, RUNTIME_DB
from gateway.store.db import is_storage_full
from gateway.xero.request import RequestContext

from .policy import Limits, Quota
from .store import Admission, RateLimiter, RateLimitExceeded

__all__ = ["QUOTA", "Admission", "Limits", "Quota", "RateLimitExceeded", "RateLimiter", "admitted",
           "quota_headers", "setup"]

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
    except OperationalError as exc:
        # A full disk must not take reads down with the counters: a read goes on uncounted (and a write is
        # answered 503 by the error middleware, as its own write would fail too).
        if not is_storage_full(exc) or request.method not in READ_METHODS:
            raise
        log.warning("rate_limit_not_counted", reason="storage_full", path=request.path)
        yield
        return
    request[QUOTA] = admission.quota
    try:
        yield
    finally:
        try:
            await limiter.release(admission.lease_id)
        except OperationalError as exc:
            if not is_storage_full(exc):
                raise
            log.warning("rate_limit_lease_not_released", reason="storage_full", path=request.path)


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


def setup(app: web.Application) -> None:
    """Create the limiter at start-up (it needs :data:`gateway.appkeys.RUNTIME_DB`: call this after
    ``gateway.store.runtime.setup``)."""

    async def rate_limits(app: web.Application) -> AsyncIterator[None]:
        settings = app[appkeys.SETTINGS].rate_limits
        if settings.enabled:
            app[RATE_LIMITER] = RateLimiter(app[RUNTIME_DB], Limits.from_settings(settings))
        yield

    app.cleanup_ctx.append(rate_limits)
