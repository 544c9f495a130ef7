"""The identity cache (gateway/identity/cache.py): a warm guard reads no database, and every revocation still ends
access on the very next call in the process that made it and within about a second in another gateway instance on
the same database (SQLite file or PostgreSQL).

Every test warms the caches first (a successful call), so that it fails when an invalidation is missing.
"""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import event

from gateway.appkeys import IDENTITY, SETTINGS
from gateway.identity import apps
from tests.pg import database_url, pg_cluster  # noqa: F401  (fixtures)

from .conftest import make_app
from .fake_adapter import TENANT_A, TENANT_B
from .helpers import Gateway

#: Seconds another instance may take to honour a revocation: one poll interval (1 s) and slack for a busy machine.
OTHER_PROCESS_BOUND = 4.0


def count_statements(engine) -> list[str]:
    """Statements sent on ``engine`` from now on."""
    sent: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute",
                 lambda _conn, _cursor, statement, *_args: sent.append(statement))
    return sent


async def warm(gw: Gateway, token: str, tenant: str = TENANT_A) -> None:
    status, body = await gw.guard(token, tenant=tenant)
    assert status == 200, body


async def test_a_warm_guard_reads_no_database(gw):
    _, token = await gw.user_token()
    await warm(gw, token["access_token"])
    await warm(gw, token["access_token"], TENANT_B)
    sent = count_statements(gw.state.db.engine)
    for _ in range(3):
        await warm(gw, token["access_token"])
        await warm(gw, token["access_token"], TENANT_B)
    assert [s for s in sent if "identity_generation" not in s] == []


async def test_delete_connection_ends_access_on_the_next_call(gw):
    _, token = await gw.user_token()
    access = token["access_token"]
    await warm(gw, access)
    listed = await (await gw.get("/connections", access)).json()
    target = next(c for c in listed if c["tenantId"] == TENANT_A)
    resp = await gw.client.delete(gw.url(f"/connections/{target['id']}"), headers={"Authorization": f"Bearer {access}"})
    assert resp.status == 204
    status, body = await gw.guard(access, tenant=TENANT_A)
    assert status == 403 and body["Detail"] == "AuthenticationUnsuccessful"
    await warm(gw, access, TENANT_B)  # the other connection is untouched


async def test_revoked_refresh_token_ends_access_on_the_next_call(gw):
    app, token = await gw.user_token()
    await warm(gw, token["access_token"])
    resp = await gw.client.post(gw.url("/connect/revocation"), data={
        "token": token["refresh_token"], "client_id": app["client_id"], "client_secret": app["client_secret"]})
    assert resp.status == 200
    status, _ = await gw.guard(token["access_token"], tenant=TENANT_A)
    assert status == 401


async def test_revoked_app_ends_access_on_the_next_call(gw):
    app, token = await gw.user_token()
    await warm(gw, token["access_token"])
    await apps.revoke_app(gw.state.db, app["client_id"])
    status, _ = await gw.guard(token["access_token"], tenant=TENANT_A)
    assert status == 401


async def test_replayed_authorization_code_ends_access_on_the_next_call(gw):
    from .helpers import pkce_pair

    app = await gw.create_app()
    verifier, challenge = pkce_pair()
    callback = await gw.authorize(app["client_id"], challenge=challenge)
    token = await gw.exchange(app, callback, verifier=verifier)
    await warm(gw, token["access_token"])
    status, _ = await gw.token({"grant_type": "authorization_code", "code": callback["code"],
                                "redirect_uri": "http://localhost:5000/callback", "code_verifier": verifier},
                               basic=(app["client_id"], app["client_secret"]))
    assert status == 400
    status, _ = await gw.guard(token["access_token"], tenant=TENANT_A)
    assert status == 401


async def test_an_expired_token_is_refused_although_cached(gw):
    _, token = await gw.user_token()
    await warm(gw, token["access_token"])
    gw.state.clock.advance(gw.state.settings.identity.access_token_lifetime + 1)
    status, body = await gw.guard(token["access_token"], tenant=TENANT_A)
    assert status == 401 and body["Detail"].startswith("TokenExpired: token expired at ")


async def test_a_lookup_in_flight_during_a_revocation_does_not_refill_the_cache(gw):
    cache = gw.state.store.cache
    started, release = asyncio.Event(), asyncio.Event()

    async def slow_fetch():
        started.set()
        await release.wait()
        return ("stale", False, None)

    lookup = asyncio.create_task(cache.load(cache.apps, "CLIENT", slow_fetch))
    await started.wait()
    cache.invalidate()  # a revocation commits while the read is in flight
    release.set()
    assert await lookup == ("stale", False, None)
    assert "CLIENT" not in cache.apps


# --------------------------------------------------------------------------------------------- other instances


@pytest.fixture
async def two_gateways(aiohttp_client, tmp_path, signing_pem, database_url) -> tuple[Gateway, Gateway]:  # noqa: F811
    """Two gateway apps on one data directory (signing keys) and one gateway database, as two processes."""
    pair = []
    for _ in range(2):
        app = make_app(tmp_path / "data", signing_pem)
        app[SETTINGS].database.url = database_url
        client = await aiohttp_client(app)
        pair.append(Gateway(client=client, state=client.app[IDENTITY]))
    return pair[0], pair[1]


async def honoured_within(gw: Gateway, token: str, tenant: str, status: int) -> None:
    """The guard answers ``status`` on ``gw`` within :data:`OTHER_PROCESS_BOUND` seconds (polled every 50 ms)."""
    deadline = time.monotonic() + OTHER_PROCESS_BOUND
    while True:
        got, _ = await gw.guard(token, tenant=tenant)
        if got == status:
            return
        assert time.monotonic() < deadline, f"still {got} after {OTHER_PROCESS_BOUND} s"
        await asyncio.sleep(0.05)


async def test_another_instance_honours_a_deleted_connection(two_gateways):
    gw, other = two_gateways
    _, token = await gw.user_token()
    access = token["access_token"]
    await warm(other, access)
    listed = await (await gw.get("/connections", access)).json()
    target = next(c for c in listed if c["tenantId"] == TENANT_A)
    resp = await gw.client.delete(gw.url(f"/connections/{target['id']}"), headers={"Authorization": f"Bearer {access}"})
    assert resp.status == 204
    await honoured_within(other, access, TENANT_A, 403)
    await warm(other, access, TENANT_B)


async def test_another_instance_honours_a_revoked_refresh_token(two_gateways):
    gw, other = two_gateways
    app, token = await gw.user_token()
    await warm(other, token["access_token"])
    resp = await gw.client.post(gw.url("/connect/revocation"), data={
        "token": token["refresh_token"], "client_id": app["client_id"], "client_secret": app["client_secret"]})
    assert resp.status == 200
    await honoured_within(other, token["access_token"], TENANT_A, 401)


async def test_another_instance_honours_a_revoked_app(two_gateways):
    gw, other = two_gateways
    app, token = await gw.user_token()
    await warm(other, token["access_token"])
    await apps.revoke_app(gw.state.db, app["client_id"])
    await honoured_within(other, token["access_token"], TENANT_A, 401)
