"""The serving process's background housekeeping of the app lifecycle (issue 15), whatever ``[console] enabled``:

- the batched "last used" writes (:mod:`gateway.identity.usage`), every ``[console] usage_flush_interval`` seconds;
- the expiry sweep (:func:`gateway.identity.apps.note_expired`: an expired app's cached tokens stop at once and
  ``app_expired`` is logged once), every ``[console] expiry_sweep_interval`` seconds;
- the activity log's pruning (rows older than ``[activity] retention_days``), every ``[activity] prune_interval``.

The console only shows what these keep (its own start-up is :mod:`gateway.console`'s); turning it off stops none
of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from gateway import appkeys
from gateway.appkeys import IDENTITY
from gateway.identity.apps import note_expired
from gateway.identity.usage import USAGE, UsageRecorder, running
from gateway.store import activity

__all__ = ["setup"]

log = logging.getLogger(__name__)


async def _every(interval: float, job: Callable[[], Awaitable[object]], name: str) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await job()
        except Exception:
            log.warning("housekeeping: %s failed", name, exc_info=True)


async def _context(app: web.Application) -> AsyncIterator[None]:
    settings = app[appkeys.SETTINGS]
    identity = app[IDENTITY]
    recorder = UsageRecorder(identity.db, identity.clock.now)
    app[USAGE] = recorder
    tasks = [asyncio.create_task(_every(settings.console.expiry_sweep_interval,
                                        lambda: note_expired(identity.db, now=identity.clock.now()), "expiry sweep")),
             asyncio.create_task(_every(settings.activity.prune_interval, lambda: activity.prune(
                 identity.db, retention_days=settings.activity.retention_days, now=identity.clock.now()),
                 "activity pruning"))]
    async with running(recorder, settings.console.usage_flush_interval):
        yield
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


def setup(app: web.Application) -> None:
    """Start the housekeeping with the app and stop it at shut-down (after the identity server's setup: it reads
    ``appkeys.IDENTITY`` at start)."""
    app.cleanup_ctx.append(_context)
