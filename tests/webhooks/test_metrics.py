"""Webhook metrics (gateway.observability): a failed delivery is counted once per attempt, the backlog is the outbox's
undelivered events as read at scrape time."""

from __future__ import annotations

from prometheus_client import REGISTRY

from gateway.observability.gauges import read_gauges
from gateway.webhooks import outbox
from tests.webhooks import receiver as behaviours
from tests.webhooks.test_delivery import contact_events, ready

FAILURES = "xero_gateway_webhook_delivery_failures_total"


def failures() -> float:
    return REGISTRY.get_sample_value(FAILURES) or 0.0


async def backlog(db, clock) -> float:
    await read_gauges(db, now=clock())
    return REGISTRY.get_sample_value("xero_gateway_webhook_backlog_events")


async def test_failed_deliveries_and_the_backlog(db, box, settings, clock, receiver, workers):
    _, worker = await ready(workers, db, box, settings, clock, receiver)
    assert await backlog(db, clock) == 0
    await outbox.emit(db, contact_events(clock, 3))
    assert await backlog(db, clock) == 3

    before = failures()
    receiver.behaviour = behaviours.FAIL
    await worker.tick()
    assert failures() - before == 1 and await backlog(db, clock) == 3
    clock.advance(hours=1)
    await worker.tick()
    assert failures() - before == 2

    receiver.behaviour = behaviours.GOOD
    clock.advance(hours=1)
    assert await worker.tick() == 1
    assert failures() - before == 2 and await backlog(db, clock) == 0
