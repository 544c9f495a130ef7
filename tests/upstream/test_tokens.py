"""Upstream tokens during a session: refresh ahead of expiry, once under concurrency (in one app and across two app
instances sharing the database), the rotated refresh token stored before use, invalid_grant → 401 and
re-authorization, a token the source rejects, a token endpoint that is down."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import update

from adapters.base import upstream_tenant_id
from gateway.upstream.models import UpstreamAuthorization

TENANT = upstream_tenant_id("1004", "9130357")
#: Polls (of 10 ms) granted to a broken implementation to show a second refresh before the gate opens.
SETTLE_POLLS = 30


async def _settle(fake) -> None:
    """Wait until one refresh reached the source, then give any other (wrong) refresh a bounded chance to arrive."""
    for _ in range(500):
        if fake.refresh_calls:
            break
        await asyncio.sleep(0.01)
    assert fake.refresh_calls >= 1
    for _ in range(SETTLE_POLLS):
        if fake.refresh_calls > 1:
            break
        await asyncio.sleep(0.01)


async def _stored(env) -> UpstreamAuthorization:
    (row,) = await env.stored_authorizations()
    return row


async def test_expiry_mid_session_refreshes_once_under_concurrent_calls(env):
    _, tokens = await env.connected("1004")
    first = await _stored(env)
    old_access = env.unseal(first.access_token_sealed)
    old_refresh = env.unseal(first.refresh_token_sealed)
    response = await env.organisation(tokens["access_token"], TENANT)
    assert response.status == 200 and env.fake.refresh_calls == 0  # fresh token: no refresh

    # Every new access token the source sees must already have its rotated refresh token committed.
    persisted_before_use: list[bool] = []

    async def check_store(access_token: str) -> None:
        row = await _stored(env)
        if env.unseal(row.access_token_sealed) == access_token:
            persisted_before_use.append(env.unseal(row.refresh_token_sealed) in env.fake.current_refresh_tokens())
        elif access_token != old_access:
            persisted_before_use.append(False)

    env.fake.api_hook = check_store
    env.fake.refresh_gate = asyncio.Event()
    env.advance(3600 - 120)  # within QBO's 300 s refresh margin, not yet expired
    calls = [asyncio.ensure_future(env.organisation(tokens["access_token"], TENANT)) for _ in range(10)]
    await _settle(env.fake)
    env.fake.refresh_gate.set()
    responses = await asyncio.gather(*calls)
    assert [r.status for r in responses] == [200] * 10
    assert env.fake.refresh_calls == 1

    row = await _stored(env)
    assert row.version == 2 and row.lease_owner is None
    new_refresh = env.unseal(row.refresh_token_sealed)
    assert new_refresh != old_refresh and env.fake.current_refresh_tokens() == {new_refresh}
    assert env.unseal(row.access_token_sealed) != old_access
    assert row.access_expires_at > env.tokens().now() + timedelta(seconds=3000)
    assert persisted_before_use and all(persisted_before_use)

    # The next call uses the stored token without another refresh.
    assert (await env.organisation(tokens["access_token"], TENANT)).status == 200
    assert env.fake.refresh_calls == 1


async def test_second_instance_sharing_the_database_does_not_refresh_again(env, aiohttp_client, signing_pem):
    _, tokens = await env.connected("1004")
    second = await env.add_instance(aiohttp_client, signing_pem)
    assert (await env.organisation(tokens["access_token"], TENANT, instance=second)).status == 200
    assert env.tokens(0).owner != env.tokens(second).owner

    env.fake.refresh_gate = asyncio.Event()
    env.advance(3600 + 10)  # expired: nobody may use the old access token any more
    calls = [asyncio.ensure_future(env.organisation(tokens["access_token"], TENANT, instance=i % 2))
             for i in range(10)]
    await _settle(env.fake)
    env.fake.refresh_gate.set()
    responses = await asyncio.gather(*calls)
    assert [r.status for r in responses] == [200] * 10
    assert env.fake.refresh_calls == 1
    row = await _stored(env)
    assert row.version == 2 and env.unseal(row.refresh_token_sealed) in env.fake.current_refresh_tokens()


async def test_lease_held_by_another_process_is_waited_for(env):
    _, tokens = await env.connected("1004")
    provider = env.tokens()
    row = await _stored(env)
    env.advance(3600 + 10)
    db = env.gw().state.db
    now = provider.now()
    async with db.session() as s, s.begin():  # another process took the lease and is refreshing
        await s.execute(update(UpstreamAuthorization).where(UpstreamAuthorization.id == row.id).values(
            lease_owner="another-process", lease_expires_at=now + timedelta(seconds=30)))
    waiting = asyncio.ensure_future(provider.credentials("1004", TENANT))
    for _ in range(5):
        await asyncio.sleep(0.02)
    assert not waiting.done()
    async with db.session() as s, s.begin():  # … and stores its result
        await s.execute(update(UpstreamAuthorization).where(UpstreamAuthorization.id == row.id).values(
            access_token_sealed=provider.box.encrypt("at-from-the-other-process"),
            access_expires_at=now + timedelta(seconds=3600), version=row.version + 1, lease_owner=None,
            lease_expires_at=None))
    credentials = await asyncio.wait_for(waiting, timeout=10)
    assert credentials.access_token == "at-from-the-other-process" and credentials.tenant_key == "9130357"
    assert env.fake.refresh_calls == 0

    # A lease left by a crashed process expires and is taken over.
    async with db.session() as s, s.begin():
        await s.execute(update(UpstreamAuthorization).where(UpstreamAuthorization.id == row.id).values(
            access_expires_at=now - timedelta(seconds=1), lease_owner="crashed-process",
            lease_expires_at=now - timedelta(seconds=1)))
    credentials = await provider.credentials("1004", TENANT)
    assert env.fake.refresh_calls == 1 and credentials.access_token.startswith("at-")
    assert (await env.organisation(tokens["access_token"], TENANT)).status == 200


async def test_invalid_grant_answers_401_and_marks_the_tenant_for_reauthorization(env):
    app, tokens = await env.connected("1004")
    env.fake.revoke_grants()  # e.g. the user disconnected the app at the source
    env.advance(3600 + 10)
    response = await env.organisation(tokens["access_token"], TENANT)
    body = await response.json()
    assert response.status == 401
    assert body["Title"] == "Unauthorized" and body["Status"] == 401
    assert body["Detail"].startswith("AuthenticationUnsuccessful") and "re-authorization" in body["Detail"]
    assert not body["Detail"].startswith("TokenExpired")
    assert await env.tokens().status("1004", TENANT) == "reauthorization_required"
    token_requests = len(env.fake.token_requests)
    assert (await env.organisation(tokens["access_token"], TENANT)).status == 401
    assert len(env.fake.token_requests) == token_requests  # no further attempt at the source

    # Connecting the organisation again restores access under the same tenant id.
    _, again = await env.connected("1004", app=app)
    assert await env.tokens().status("1004", TENANT) == "active"
    assert (await env.organisation(again["access_token"], TENANT)).status == 200


async def test_token_rejected_by_the_source_is_refreshed_once(env):
    _, tokens = await env.connected("1004")
    rejected = env.unseal((await _stored(env)).access_token_sealed)
    env.fake.reject_access_token(rejected)
    response = await env.organisation(tokens["access_token"], TENANT)
    assert response.status == 200 and env.fake.refresh_calls == 1
    # A late caller still holding the rejected token gets the renewed one without another refresh.
    credentials = await env.tokens().refresh("1004", TENANT, failed_token=rejected)
    assert credentials.access_token != rejected and env.fake.refresh_calls == 1


async def test_token_endpoint_down_answers_503_and_keeps_the_tokens(env):
    _, tokens = await env.connected("1004")
    before = await _stored(env)
    env.fake.token_failure = 502
    env.advance(3600 + 10)
    response = await env.organisation(tokens["access_token"], TENANT)
    assert response.status == 503 and "temporarily unavailable" in await response.text()
    after = await _stored(env)
    assert after.status == "active" and after.version == before.version and after.lease_owner is None
    env.fake.token_failure = None
    assert (await env.organisation(tokens["access_token"], TENANT)).status == 200
    assert env.fake.refresh_calls == 1


async def test_due_refresh_and_rejected_token_share_one_flight_in_a_process(env):
    await env.connected("1004")
    provider = env.tokens()
    rejected = env.unseal((await _stored(env)).access_token_sealed)
    env.fake.refresh_gate = asyncio.Event()
    env.advance(3600 - 120)  # due for refresh, and the source also rejected the current token
    calls = [asyncio.ensure_future(provider.credentials("1004", TENANT)) for _ in range(3)]
    calls += [asyncio.ensure_future(provider.refresh("1004", TENANT, failed_token=rejected)) for _ in range(3)]
    await _settle(env.fake)
    env.fake.refresh_gate.set()
    results = await asyncio.gather(*calls)
    assert len({r.access_token for r in results}) == 1 and results[0].access_token != rejected
    assert env.fake.refresh_calls == 1
    assert await provider.status("1004", TENANT) == "active"
