"""The change detectors: one worker per gateway process polls the sources' change feeds for the tenants due.

Each pass (:meth:`Detectors.tick`, every ``[webhooks] detect_tick`` seconds, sooner after :meth:`Detectors.wake`):

1. :func:`.polls.ensure_polls` adds tenants that gained a subscribed app (every :data:`ENSURE_EVERY`);
2. :func:`.polls.claim_due` leases the tenants due (one process per tenant at a time);
3. per tenant, the adapter's feed (:meth:`adapters.base.SourceAdapter.change_feed`) is asked for the changes of the
   kinds the tenant's apps subscribe to (``mappings/webhook_changes.toml``) since the watermark; the changes already
   seen at the watermark and the gateway's own writes (:mod:`.own_writes`) are dropped; the rest become events
   (:func:`.changemap.to_event`) queued in the transaction that moves the watermark (at-least-once, never twice
   from one poll). A change younger than ``[webhooks] settle`` seconds waits for a poll that soon (the gateway's own
   write is remembered only once its answer came back from the source);
4. the tenant is due again after its source's ``poll_intervals`` seconds (or at once after an Intuit
   notification, :mod:`.intuit`).

A feed that fails (the source is down, the tenant's consent expired) is logged; the watermark stays and the tenant
is polled again at its next interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

import structlog
from aiohttp import web

from adapters.common.changes import ChangeFeed, SourceChange
from gateway.settings import Settings
from gateway.store.db import Database

from . import polls
from .changemap import change_maps, to_event
from .dispatcher import utc_now
from .outbox import emit
from .own_writes import drop_own, prune

log = structlog.get_logger("gateway.webhooks")

#: Tenants one pass polls at most (the rest wait for the next pass).
CLAIM_LIMIT = 20
#: How often a worker looks for tenants that gained a subscribed app (one query; a claim query runs every tick).
ENSURE_EVERY = timedelta(seconds=5)
#: Lease of a claimed tenant: longer than any feed call (bounded by the adapters' HTTP timeouts and retries).
LEASE = timedelta(minutes=5)


class AdapterSource(Protocol):
    """What the detectors need of the source pool (``gateway.sources.SourcePool``)."""

    async def get(self, code: str) -> Any: ...


def advance(since: datetime | None, seen: tuple[str, ...], changes: list[SourceChange]
            ) -> tuple[list[SourceChange], datetime | None, tuple[str, ...]]:
    """Drop the changes already seen and move the watermark.

    Args:
        since: the watermark (the feed's inclusive lower bound of the poll).
        seen: keys of the changes already seen at exactly ``since``.
        changes: what the feed answered.

    Returns:
        ``(new changes, new watermark, keys seen at it)``: the watermark is the newest change time (unchanged
        when nothing changed).
    """
    fresh = [c for c in changes if not (since is not None and c.changed_at <= since and
                                        (c.changed_at < since or c.key in seen))]
    if not changes:
        return fresh, since, seen
    newest = max(c.changed_at for c in changes)
    if since is not None and newest < since:
        return fresh, since, seen
    at_newest = {c.key for c in changes if c.changed_at == newest}
    if since is not None and newest == since:
        at_newest |= set(seen)
    return fresh, newest, tuple(sorted(at_newest))


class Detectors:
    """The change detectors of one gateway process.

    Args:
        db: the gateway database.
        settings: the gateway settings (``[webhooks]``).
        sources: the source pool (adapters by code).
        on_events: called after events were queued (wakes the process's dispatcher).
        clock: aware UTC "now".
    """

    def __init__(self, db: Database, settings: Settings, sources: AdapterSource, *,
                 on_events: Callable[[], None] | None = None, clock: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.config = settings.webhooks
        self.sources = sources
        self.on_events = on_events
        self.clock = clock
        self.owner = str(uuid.uuid4())
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task | None = None
        self._ensured_at: datetime | None = None

    @property
    def codes(self) -> list[str]:
        """The sources detected: those with a change table and a poll interval."""
        return sorted(set(change_maps()) & set(self.config.poll_intervals))

    def interval(self, code: str) -> timedelta:
        return timedelta(seconds=self.config.poll_intervals[code])

    def wake(self) -> None:
        """Run the next pass now (a notification made a tenant due)."""
        self._wake.set()

    async def tick(self) -> int:
        """One pass (module docstring). Returns the number of events queued."""
        codes = self.codes
        if not codes:
            return 0
        now = self.clock()
        if self._ensured_at is None or now - self._ensured_at >= ENSURE_EVERY or self._wake.is_set():
            self._ensured_at = now
            await polls.ensure_polls(self.db, codes, now=now,
                                     start_back=timedelta(seconds=self.config.own_write_slack))
        claims = await polls.claim_due(self.db, codes, owner=self.owner, now=now, lease=LEASE, limit=CLAIM_LIMIT)
        queued = sum(await asyncio.gather(*(self._poll(c) for c in claims)))
        if queued and self.on_events is not None:
            self.on_events()
        return queued

    async def _feed(self, code: str) -> ChangeFeed | None:
        adapter = await self.sources.get(code)
        feed = adapter.change_feed()
        return feed if isinstance(feed, ChangeFeed) else None

    async def _poll(self, claim: polls.PollClaim) -> int:
        code, tenant = claim.source_code, claim.tenant_id
        started = self.clock()
        next_at = started + self.interval(code)
        try:
            feed = await self._feed(code)
            categories = await polls.subscribed_categories(self.db, code, tenant)
            kinds = change_maps()[code].kinds_for(categories)
            since = claim.since or started
            changes = await feed.changes_since(tenant, since, kinds) if feed is not None and kinds else []
        except Exception as exc:  # noqa: BLE001 - any feed failure: keep the watermark, retry next interval
            log.warning("webhook_detector_failed", source_code=code, tenant_id=tenant, error=repr(exc)[:500])
            async with self.db.session() as s, s.begin():
                await polls.finish(s, claim, since=claim.since, seen=claim.seen, next_poll_at=next_at,
                                   now=self.clock(), error=repr(exc)[:2000])
            return 0
        # a change younger than ``settle`` may be the gateway's own write whose answer is still on its way (its
        # remembering comes after the source's commit): hold it for a later poll, the watermark stays before it
        cutoff = started - timedelta(seconds=self.config.settle)
        held = [c for c in changes if c.changed_at > cutoff]
        if held:
            next_at = min(next_at, min(c.changed_at for c in held) + timedelta(seconds=self.config.settle + 0.05))
        fresh, watermark, seen = advance(claim.since, claim.seen, [c for c in changes if c.changed_at <= cutoff])
        events = [e for e in (to_event(code, tenant, c) for c in fresh) if e is not None]
        async with self.db.session() as s, s.begin():
            events = await drop_own(s, events, slack=timedelta(seconds=self.config.own_write_slack))
            queued = await emit(s, events)
            if not await polls.finish(s, claim, since=watermark, seen=seen, next_poll_at=next_at, now=self.clock()):
                await s.rollback()  # the lease ran out and another process polled: its events stand
                return 0
            await prune(s, now=started, keep=timedelta(seconds=self.config.own_write_keep))
        if changes:
            log.info("webhook_changes_detected", source_code=code, tenant_id=tenant, changes=len(changes),
                     events=len(events))
        return queued

    async def run(self) -> None:
        """Pass after pass until :meth:`stop`; a failing pass is logged and retried at the next tick."""
        while not self._stopping:
            try:
                await self.tick()
            except Exception:  # noqa: BLE001 - keep the worker alive (database restarts): log and go on
                log.exception("webhook_detector_pass_failed")
            if self._stopping:
                break
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.config.detect_tick)

    def start(self) -> None:
        """Run :meth:`run` in a task of the current loop."""
        self._stopping = False
        self._task = asyncio.get_running_loop().create_task(self.run(), name="webhook-detectors")

    async def stop(self) -> None:
        """Cancel the worker (a poll cut short keeps its lease until it ends; its watermark did not move)."""
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


#: The app's detectors (set by :func:`gateway.webhooks.setup`).
DETECTORS: web.AppKey[Detectors] = web.AppKey("webhook_detectors", Detectors)

__all__ = ["DETECTORS", "Detectors", "advance"]
