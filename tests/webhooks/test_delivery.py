"""The outbox and its delivery worker against a real receiver: fan-out, sequences, retries, leases, two workers,
the 24-hour rule. Workers are driven pass by pass (``tick``) with a fake clock, or run as the app runs them."""

import asyncio
import os
import sys
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from gateway.store.crypto import SECRET_KEY_ENV
from gateway.store.db import Database
from gateway.webhooks import outbox, subscriptions
from gateway.webhooks.events import ChangeEvent
from gateway.webhooks.models import WebhookBatch, WebhookEventRow
from tests.webhooks import receiver as behaviours
from tests.webhooks.conftest import OTHER_TENANT, TENANT, FakeClock, subscriber, webhook_settings
from tests.webhooks.spec import validate_body

ROOT = Path(__file__).resolve().parents[2]
#: Passes a test makes at most before giving up (loops are bounded).
MAX_PASSES = 200


def contact_events(clock, count: int, *, tenant: str = TENANT, category: str = "CONTACT") -> list[ChangeEvent]:
    return [ChangeEvent("1000", tenant, category, "CREATE", str(uuid.uuid4()), clock()) for _ in range(count)]


async def ready(workers, db, box, settings, clock, receiver, **kwargs):
    """A subscriber whose intent to receive passed, and the worker that ran it."""
    sub = await subscriber(db, box, receiver.url, **kwargs)
    receiver.key = sub.key
    worker = workers(db, settings, box, clock)
    await worker.tick()
    assert (await subscriptions.show(db, sub.client_id))["status"] == "OK"
    receiver.deliveries.clear()
    return sub, worker


async def queued(db: Database, client_id: str) -> list[WebhookEventRow]:
    async with db.session() as s:
        return list((await s.execute(select(WebhookEventRow).where(WebhookEventRow.client_id == client_id)
                                     .order_by(WebhookEventRow.sequence))).scalars())


def assert_in_sequence(receiver) -> list[int]:
    """Every delivery is valid against Xero's spec, and sequences only grow; returns the sequences delivered."""
    sequences = []
    for delivery in receiver.deliveries:
        if not delivery.body["events"]:
            continue  # an intent-to-receive request
        validate_body(delivery.body)
        first, last = delivery.body["firstEventSequence"], delivery.body["lastEventSequence"]
        assert last - first + 1 == len(delivery.body["events"])
        sequences.extend(range(first, last + 1))
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    return sequences


async def test_emit_fans_out_to_connected_subscribed_apps(db, box, receiver):
    contacts = await subscriber(db, box, receiver.url, events="CONTACT")
    invoices = await subscriber(db, box, receiver.url, events="INVOICE")
    elsewhere = await subscriber(db, box, receiver.url, events="CONTACT INVOICE", tenant=OTHER_TENANT)
    switched_off = await subscriber(db, box, receiver.url, events="CONTACT")
    await subscriptions.disable(db, switched_off.client_id)
    now = FakeClock()
    written = await outbox.emit(db, contact_events(now, 2) + contact_events(now, 1, category="INVOICE")
                                + contact_events(now, 1))
    assert written == 4
    assert [r.sequence for r in await queued(db, contacts.client_id)] == [1, 2, 3]
    assert [(r.sequence, r.category) for r in await queued(db, invoices.client_id)] == [(1, "INVOICE")]
    assert await queued(db, elsewhere.client_id) == []
    assert await queued(db, switched_off.client_id) == []
    await outbox.emit(db, contact_events(now, 1))
    assert [r.sequence for r in await queued(db, contacts.client_id)] == [1, 2, 3, 4]


async def test_emit_joins_the_callers_transaction(db, box, receiver):
    sub = await subscriber(db, box, receiver.url)
    async with db.session() as s:
        async with s.begin():
            assert await outbox.emit(s, contact_events(FakeClock(), 2)) == 2
            await s.rollback()  # the caller's change failed: its events never existed
    assert await queued(db, sub.client_id) == []
    async with db.session() as s, s.begin():
        await outbox.emit(s, contact_events(FakeClock(), 2))
    assert [r.sequence for r in await queued(db, sub.client_id)] == [1, 2]


async def test_nothing_is_delivered_before_intent_to_receive_passed(db, box, settings, clock, receiver, workers):
    sub = await subscriber(db, box, receiver.url)
    receiver.key = sub.key
    receiver.behaviour = behaviours.COOKIE
    worker = workers(db, settings, box, clock)
    await worker.tick()
    await outbox.emit(db, contact_events(clock, 3))
    for _ in range(3):
        await worker.tick()
    assert receiver.events == []
    receiver.behaviour = behaviours.GOOD
    receiver.deliveries.clear()
    await subscriptions.enable(db, sub.client_id)
    for _ in range(3):
        await worker.tick()
    assert len(receiver.events) == 3 and assert_in_sequence(receiver) == [1, 2, 3]
    delivery = receiver.deliveries[-1]
    assert delivery.headers["Content-Type"] == "application/json; charset=utf-8"
    assert await queued(db, sub.client_id) == []


async def test_receiver_down_then_back_gets_every_event_in_order(tmp_path, db, box, clock, receiver, workers):
    settings = webhook_settings(tmp_path, batch_size=2)
    sub, worker = await ready(workers, db, box, settings, clock, receiver)
    await receiver.stop()
    for _ in range(3):
        await outbox.emit(db, contact_events(clock, 2) + contact_events(clock, 1, category="INVOICE"))
        await worker.tick()  # fails: connection refused
    async with db.session() as s:
        batch = (await s.execute(select(WebhookBatch))).scalar_one()  # one batch in flight per app
    assert batch.attempts >= 1 and batch.next_attempt_at > clock()
    await receiver.start()  # same port
    await worker.tick()
    assert receiver.deliveries == []  # the retry is not due yet
    for _ in range(MAX_PASSES):
        clock.advance(hours=1)
        await worker.tick()
        if len(receiver.events) == 9:
            break
    assert assert_in_sequence(receiver) == list(range(1, 10))
    assert await queued(db, sub.client_id) == []


async def test_a_killed_worker_loses_nothing(tmp_path, db, box, fernet_key, clock, receiver, workers):
    """A worker process is killed while its delivery is in flight; once its lease expires another delivers."""
    settings = webhook_settings(tmp_path, lease=30.0)
    sub, _ = await ready(workers, db, box, settings, clock, receiver)
    await outbox.emit(db, contact_events(clock, 2))
    receiver.hold = asyncio.Event()
    script = (
        "import asyncio, sys\n"
        "from gateway.settings import load_settings\n"
        "from gateway.store.crypto import SecretBox\n"
        "from gateway.store.db import Database\n"
        "from gateway.webhooks.dispatcher import Dispatcher\n"
        "async def main():\n"
        "    settings = load_settings(data_dir=sys.argv[2])\n"
        "    settings.webhooks = settings.webhooks.model_copy(update={'lease': 30.0, 'delivery_timeout': 600})\n"
        "    db = Database(sys.argv[1])\n"
        "    await Dispatcher(db, settings, SecretBox.from_data_dir(settings.data_dir)).tick()\n"
        "asyncio.run(main())\n")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, db.url, str(tmp_path / "worker"),
        env={**os.environ, SECRET_KEY_ENV: fernet_key, "PYTHONPATH": str(ROOT)})
    try:
        async with asyncio.timeout(60):
            while receiver.held == 0:
                assert proc.returncode is None, "the worker exited before delivering"
                await asyncio.sleep(0.05)
    finally:
        proc.kill()
        await proc.wait()
    stuck, receiver.hold = receiver.hold, None  # the dead worker's request stays unanswered; new ones pass
    survivor = workers(db, settings, box, clock)
    clock.now = max(clock.now, datetime.now(UTC))  # the killed worker leased by the real clock
    await survivor.tick()
    assert receiver.events == []  # the dead worker's lease is still running
    clock.advance(seconds=settings.webhooks.lease + 1)
    await survivor.tick()
    assert assert_in_sequence(receiver) == [1, 2]
    assert await queued(db, sub.client_id) == []
    stuck.set()


async def test_two_workers_on_one_database_never_both_deliver(tmp_path, database_url, box, receiver, workers):
    """Two gateway processes' workers (separate engines) run on one database; every event arrives exactly once."""
    settings = webhook_settings(tmp_path, batch_size=3)
    first, second = Database(database_url), Database(database_url)
    await first.create_all()
    try:
        subs = [await subscriber(first, box, receiver.url, events="CONTACT INVOICE") for _ in range(3)]
        receiver.keys = {s.client_id: s.key for s in subs}
        await workers(first, settings, box).tick()  # intents to receive first: the workers race on deliveries only
        receiver.deliveries.clear()
        a, b = workers(first, settings, box), workers(second, settings, box)
        a.start()
        b.start()
        now = FakeClock()
        for i in range(10):
            await outbox.emit(first if i % 2 else second,
                              contact_events(now, 2) + contact_events(now, 1, category="INVOICE"))
        events = await receiver.wait_for_events(30 * len(subs))
        await a.stop()
        await b.stop()
        assert len(events) == 30 * len(subs)
        per_app = Counter()
        for delivery in receiver.deliveries:
            if delivery.body["events"]:
                validate_body(delivery.body)
                per_app.update((delivery.signed_by, seq) for seq in range(delivery.body["firstEventSequence"],
                                                                       delivery.body["lastEventSequence"] + 1))
        assert set(per_app.values()) == {1}  # no (app, sequence) twice
        assert len(per_app) == 30 * len(subs)
        for sub in subs:  # and each app's sequences arrived in order
            order = [d.body["firstEventSequence"] for d in receiver.deliveries if d.signed_by == sub.client_id]
            assert order == sorted(order)
    finally:
        await first.dispose()
        await second.dispose()


async def test_failures_for_24_hours_disable_the_subscription(db, box, settings, clock, receiver, workers):
    """Retries come less and less often; after 24 hours of failures the webhook is disabled and shown so; once
    re-enabled (and its intent to receive passed) the queued events still go out."""
    sub, worker = await ready(workers, db, box, settings, clock, receiver)
    receiver.behaviour = behaviours.FAIL
    await outbox.emit(db, contact_events(clock, 2))
    attempts = []
    for _ in range(MAX_PASSES):
        attempts.append(clock())
        await worker.tick()
        if not (await subscriptions.show(db, sub.client_id))["enabled"]:
            break
        async with db.session() as s:
            batch = (await s.execute(select(WebhookBatch))).scalar_one()
        assert batch.attempts == len(attempts)
        clock.now = batch.next_attempt_at
    gaps = [b - a for a, b in zip(attempts, attempts[1:], strict=False)]
    assert gaps == sorted(gaps) and gaps[0] < gaps[-1]  # decreasing frequency
    assert attempts[-1] - attempts[0] >= timedelta(hours=24) > attempts[-2] - attempts[0]
    shown = await subscriptions.show(db, sub.client_id)
    assert shown["enabled"] is False and shown["status"].startswith("Disabled: no acceptable response for 24 hours")
    assert (shown["queued_events"], shown["delivery_attempts"], shown["last_error"]) == (2, len(attempts), "HTTP 503")
    await outbox.emit(db, contact_events(clock, 1))  # a disabled webhook gets no new events
    assert len(await queued(db, sub.client_id)) == 2

    receiver.behaviour = behaviours.GOOD
    await subscriptions.enable(db, sub.client_id)
    assert (await subscriptions.show(db, sub.client_id))["status"] == "Intent to receive required"
    await worker.tick()
    await worker.tick()
    assert assert_in_sequence(receiver) == [1, 2]
    assert (await subscriptions.show(db, sub.client_id))["status"] == "OK"


async def test_a_rotated_key_signs_the_retries(db, box, settings, clock, receiver, workers):
    sub, worker = await ready(workers, db, box, settings, clock, receiver)
    receiver.behaviour = behaviours.FAIL
    await outbox.emit(db, contact_events(clock, 1))
    await worker.tick()
    rotated = (await subscriptions.rotate_key(db, box, sub.client_id))["webhook_key"]
    receiver.behaviour = behaviours.GOOD
    rejected = receiver.rejected
    clock.advance(hours=1)
    await worker.tick()
    assert receiver.events == [] and receiver.rejected == rejected + 1  # signed with the new key: the old fails
    receiver.key = rotated
    clock.advance(hours=1)
    await worker.tick()
    assert assert_in_sequence(receiver) == [1]
