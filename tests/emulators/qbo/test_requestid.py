"""``requestid`` idempotency: a repeat answers the first response and does not create twice."""

from __future__ import annotations

from tests.emulators.qbo.conftest import invoice_body, seed_basics


async def test_repeat_replays_and_does_not_create_twice(qbo):
    made = await seed_basics(qbo)
    first = await qbo.post("/invoice", invoice_body(made), requestid="req-4957")
    first_body = await first.read()
    again = await qbo.post("/invoice", invoice_body(made, 55.0), requestid="req-4957")
    assert again.status == first.status == 200
    assert await again.read() == first_body
    assert (await qbo.query("select count(*) from Invoice"))["QueryResponse"]["totalCount"] == 1
    other = await qbo.post("/invoice", invoice_body(made), requestid="req-4958")
    assert (await qbo.json(other))["Invoice"]["Id"] != (await qbo.json(first))["Invoice"]["Id"]
    assert (await qbo.query("select count(*) from Invoice"))["QueryResponse"]["totalCount"] == 2


async def test_faults_replay_too(qbo):
    first = await qbo.post("/invoice", {"Line": []}, requestid="bad-1")
    assert first.status == 400
    assert await (await qbo.post("/invoice", {"Line": []}, requestid="bad-1")).read() == await first.read()


async def test_request_id_length(qbo):
    response = await qbo.post("/customer", {"DisplayName": "Long Id"}, requestid="x" * 51)
    assert response.status == 400
    assert (await qbo.query("select count(*) from Customer"))["QueryResponse"]["totalCount"] == 0
    batch = await qbo.post("/batch", {"BatchItemRequest": [{"bId": "1", "Query": "select * from Customer"}]},
                           requestid="y" * 37)
    assert batch.status == 400
