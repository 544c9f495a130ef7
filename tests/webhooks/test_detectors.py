"""The detectors' own rules over a scripted change feed: one process polls a tenant at a time, the schedule spends
the calls the interval says, a change is queued once, a change younger than ``settle`` waits, and only subscribed
kinds are asked for."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select

from adapters.common.changes import SourceChange
from gateway.store.db import Database
from gateway.webhooks.detectors import Detectors, advance
from gateway.webhooks.models import WebhookEventRow
from tests.webhooks.conftest import subscriber

CONTACT = "717f2bfc-c6d4-41fd-b238-3f2f0c0cf777"


class ScriptedFeed:
    """A change feed answering :attr:`changes` (those at or after ``since``), counting calls, optionally held."""

    def __init__(self) -> None:
        self.calls = 0
        self.kinds: list[str] = []
        self.changes: list[SourceChange] = []
        self.gate: asyncio.Event | None = None

    async def changes_since(self, tenant_id: str, since: datetime, kinds) -> list[SourceChange]:
        self.calls += 1
        self.kinds = list(kinds)
        if self.gate is not None:
            await self.gate.wait()
        return [c for c in self.changes if c.changed_at >= since]

    def tenant_id_of(self, tenant_key: str) -> str:
        return tenant_key


class Pool:
    """The source pool as the detectors see it: one adapter whose feed is scripted."""

    def __init__(self, feed: ScriptedFeed) -> None:
        self.feed = feed

    async def get(self, code: str):
        return self

    def change_feed(self) -> ScriptedFeed:
        return self.feed


def detectors(db, settings, feed, clock, **webhooks) -> Detectors:
    settings.webhooks = settings.webhooks.model_copy(update={"poll_intervals": {"1004": 300.0}, **webhooks})
    return Detectors(db, settings, Pool(feed), clock=clock)


def customer(at: datetime, operation: str = "Create", version: str = "0") -> SourceChange:
    return SourceChange(kind="Customer", upstream_id="58", resource_id=CONTACT, operation=operation, changed_at=at,
                        version=version)


async def queued(db) -> list[tuple[str, str, str]]:
    async with db.session() as s:
        rows = (await s.execute(select(WebhookEventRow).order_by(WebhookEventRow.sequence))).scalars().all()
    return [(r.category, r.event_type, r.resource_id) for r in rows]


async def test_one_process_polls_a_tenant_at_a_time(database_url, box, settings, clock, receiver):
    """Two processes' detectors (separate engines on one database, SQLite and PostgreSQL)."""
    one, other = Database(database_url), Database(database_url)
    await one.create_all()
    try:
        await subscriber(one, box, receiver.url, events="CONTACT", code="1004")
        feed = ScriptedFeed()
        feed.gate = asyncio.Event()
        first, second = detectors(one, settings, feed, clock), detectors(other, settings, feed, clock)
        running = asyncio.create_task(first.tick())
        for _ in range(500):  # bounded: the first process is inside the feed call
            if feed.calls:
                break
            await asyncio.sleep(0.01)
        assert feed.calls == 1
        # the tenant is leased to the first process (bounded: a second poller would wait on the held feed)
        assert await asyncio.wait_for(second.tick(), timeout=10) == 0 and feed.calls == 1
        feed.gate.set()
        await running
        clock.advance(seconds=301)
        await second.tick()  # the lease was released with the schedule: the other process takes the next poll
        assert feed.calls == 2
    finally:
        await one.dispose()
        await other.dispose()


async def test_an_idle_tenant_costs_one_poll_per_interval(db, box, settings, clock, receiver):
    await subscriber(db, box, receiver.url, events="CONTACT", code="1004")
    feed = ScriptedFeed()
    worker = detectors(db, settings, feed, clock)
    await worker.tick()  # the first poll sets the schedule
    start = feed.calls
    for _ in range(360):  # one hour in steps of 10 s
        clock.advance(seconds=10)
        await worker.tick()
    print(f"\nidle polls per hour at a 300 s interval: {feed.calls - start}")
    assert feed.calls - start == 12
    assert feed.kinds == ["Customer", "Vendor"]  # only the subscribed category's kinds are asked for


async def test_no_call_when_no_subscribed_category_has_kinds(db, box, settings, clock, receiver):
    await subscriber(db, box, receiver.url, events="PAYMENT", code="1004")  # QBO's table maps no PAYMENT kind
    feed = ScriptedFeed()
    worker = detectors(db, settings, feed, clock)
    for _ in range(5):
        await worker.tick()
        clock.advance(seconds=301)
    assert feed.calls == 0


async def test_a_change_is_queued_once_and_a_young_one_waits(db, box, settings, clock, receiver):
    await subscriber(db, box, receiver.url, events="CONTACT", code="1004")
    feed = ScriptedFeed()
    worker = detectors(db, settings, feed, clock, settle=2.0)
    await worker.tick()
    clock.advance(seconds=300)
    feed.changes = [customer(clock.now - timedelta(seconds=1))]  # younger than settle: not yet
    await worker.tick()
    assert await queued(db) == []
    clock.advance(seconds=2)
    await worker.tick()  # due again right after the settle time, not after the whole interval
    assert await queued(db) == [("CONTACT", "CREATE", CONTACT)]
    for _ in range(3):  # the feed answers it again (inclusive bound): already seen
        clock.advance(seconds=301)
        await worker.tick()
    assert await queued(db) == [("CONTACT", "CREATE", CONTACT)]
    feed.changes.append(customer(clock.now - timedelta(seconds=5), "Update", "1"))
    clock.advance(seconds=301)
    await worker.tick()
    assert await queued(db) == [("CONTACT", "CREATE", CONTACT), ("CONTACT", "UPDATE", CONTACT)]


def test_advance_drops_what_was_seen_at_the_watermark():
    t0 = datetime.fromisoformat("2026-12-07T12:00:00+00:00")
    a, b = customer(t0), customer(t0, "Update", "1")
    fresh, mark, seen = advance(None, (), [a])
    assert fresh == [a] and mark == t0 and seen == (a.key,)
    fresh, mark, seen = advance(mark, seen, [a, b])  # same instant, a new version
    assert fresh == [b] and mark == t0 and set(seen) == {a.key, b.key}
    fresh, mark, seen = advance(mark, seen, [])
    assert fresh == [] and mark == t0
