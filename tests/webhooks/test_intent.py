"""Intent to receive as Xero runs it, against a real receiver: pass, and each failure string."""

import asyncio

import pytest

from gateway.webhooks import intent, subscriptions
from gateway.webhooks.signing import new_webhook_key
from gateway.webhooks.transport import client_session
from tests.webhooks import receiver as behaviours
from tests.webhooks.conftest import subscriber


async def run(receiver, wait: float = 5.0) -> intent.IntentResult:
    async with client_session(wait) as http:
        return await intent.intent_to_receive(http, receiver.url, receiver.key)


async def test_a_correct_receiver_passes(receiver):
    receiver.key = new_webhook_key()
    assert await run(receiver) == intent.IntentResult(True)
    assert receiver.rejected == intent.BAD_REQUESTS  # the incorrectly signed ones were refused with 401
    assert len(receiver.deliveries) == intent.GOOD_REQUESTS
    for delivery in receiver.deliveries:
        assert delivery.body["events"] == []
        assert delivery.body["firstEventSequence"] == delivery.body["lastEventSequence"] == 0
        assert delivery.headers["Content-Type"] == "application/json; charset=utf-8"
    assert len({d.body["entropy"] for d in receiver.deliveries}) == intent.GOOD_REQUESTS


@pytest.mark.parametrize(("behaviour", "failure"), [
    (behaviours.NOT_200, "Response not 200"),
    (behaviours.BODY, "Response contains a body"),
    (behaviours.COOKIE, "Response contains a cookie"),
    (behaviours.ACCEPT_ANY, "Response to incorrectly signed payload not 401"),
])
async def test_each_failure_is_named_as_the_portal_names_it(receiver, behaviour, failure):
    receiver.key = new_webhook_key()
    receiver.behaviour = behaviour
    result = await run(receiver)
    assert (result.passed, result.failure) == (False, failure)


async def test_no_answer_within_the_timeout_is_not_200(receiver):
    receiver.key = new_webhook_key()
    receiver.hold = asyncio.Event()  # never set: correctly signed requests get no answer
    result = await run(receiver, wait=0.3)
    assert (result.passed, result.failure) == (False, "Response not 200")
    assert "timeout" in result.detail
    receiver.hold.set()


async def test_a_receiver_that_is_down_fails(receiver):
    receiver.key = new_webhook_key()
    await receiver.stop()
    result = await run(receiver)
    assert (result.passed, result.failure) == (False, "Response not 200")


async def test_the_dispatcher_runs_it_and_records_the_outcome(db, box, settings, clock, receiver, workers):
    sub = await subscriber(db, box, receiver.url)
    receiver.key = sub.key
    receiver.behaviour = behaviours.BODY
    assert (await subscriptions.show(db, sub.client_id))["status"] == "Intent to receive required"
    worker = workers(db, settings, box, clock)
    await worker.tick()
    shown = await subscriptions.show(db, sub.client_id)
    assert (shown["intent_to_receive"], shown["status"]) == ("failed", "Response contains a body")

    receiver.behaviour = behaviours.GOOD
    await worker.tick()  # a failed intent is not retried by itself: the operator re-enables
    assert (await subscriptions.show(db, sub.client_id))["intent_to_receive"] == "failed"
    await subscriptions.enable(db, sub.client_id)
    await worker.tick()
    shown = await subscriptions.show(db, sub.client_id)
    assert (shown["intent_to_receive"], shown["status"]) == ("passed", "OK")

    # a new URL needs a new intent to receive
    await subscriptions.set_subscription(db, box, sub.client_id, url=receiver.url + "?v=2")
    assert (await subscriptions.show(db, sub.client_id))["intent_to_receive"] == "required"
    await worker.tick()
    assert (await subscriptions.show(db, sub.client_id))["intent_to_receive"] == "passed"
