"""The operators' app lifecycle (issue 15): expiry, delete and restore, "last used" batched off the request path,
operator-side connections, and the append-only activity log (never a secret or a token in it)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from gateway.appkeys import IDENTITY
from gateway.console.state import CONSOLE
from gateway.identity import apps, connections
from gateway.identity.usage import USAGE
from gateway.settings import Settings
from gateway.store import activity
from gateway.store.models import App, Connection

from .conftest import make_app
from .fake_adapter import EMAIL, TENANT_A
from .helpers import REDIRECT_URI


def _basic(app):
    return app["client_id"], app["client_secret"]


async def _kinds(gw, client_id=None):
    return [r.kind for r in await activity.query(gw.state.db, client_id=client_id)]


async def test_an_expired_app_gets_invalid_client_and_its_tokens_stop(gw):
    app, token = await gw.user_token(tenants=[TENANT_A])
    now = gw.state.clock.now()
    await apps.set_expiry(gw.state.db, app["client_id"], now + timedelta(seconds=60), now=now)
    status, _ = await gw.guard(token["access_token"], tenant=TENANT_A)
    assert status == 200  # before the expiry; the app's status is now cached

    gw.state.clock.advance(120)  # past the expiry, well within the access token's 30 minutes
    status, body = await gw.refresh(app, token["refresh_token"])
    assert status in (400, 401) and body["error"] == "invalid_client"
    assert "expired" in body["error_description"] and "operator" in body["error_description"]
    status, body = await gw.guard(token["access_token"], tenant=TENANT_A)
    assert status == 401 and body["Detail"] == "AuthenticationUnsuccessful"

    status, body = await gw.refresh(app, token["refresh_token"])  # logged once, however often it is tried
    assert (await _kinds(gw, app["client_id"])).count("app_expired") == 1
    assert await apps.note_expired(gw.state.db, now=gw.state.clock.now()) == []
    assert (await apps.list_apps(gw.state.db, now=gw.state.clock.now()))[0]["status"] == "expired"
    failed = await activity.query(gw.state.db, client_id=app["client_id"], kind="token_exchange_failed")
    assert len(failed) == 2 and "invalid_client" in failed[0].detail and failed[0].client_address

    # a new expiry in the future makes it usable again (with a new consent: its grant is intact)
    await apps.set_expiry(gw.state.db, app["client_id"], gw.state.clock.now() + timedelta(days=1),
                          now=gw.state.clock.now())
    status, body = await gw.refresh(app, token["refresh_token"])
    assert status == 200, body


async def test_the_expiry_sweep_ends_cached_tokens_without_a_token_request(gw):
    app = await gw.create_app(custom_connection=True, code="1000", tenant_id=TENANT_A, redirect_uris=[],
                              scopes=["accounting.transactions"])
    now = gw.state.clock.now()
    await apps.set_expiry(gw.state.db, app["client_id"], now + timedelta(seconds=30), now=now)
    status, token = await gw.token({"grant_type": "client_credentials"}, basic=_basic(app))
    assert status == 200
    assert (await gw.guard(token["access_token"], tenant=None))[0] == 200
    gw.state.clock.advance(60)
    assert await apps.note_expired(gw.state.db, now=gw.state.clock.now()) == [app["client_id"]]
    assert (await gw.guard(token["access_token"], tenant=None))[0] == 401


async def test_delete_and_restore(gw):
    app, token = await gw.user_token(tenants=[TENANT_A])
    custom = await gw.create_app(name="CC", custom_connection=True, code="1000", tenant_id=TENANT_A,
                                 redirect_uris=[], scopes=["accounting.transactions"])
    for client in (app, custom):
        await apps.delete_app(gw.state.db, client["client_id"], actor="admin:ops@example.com",
                              client_address="127.0.0.1")
    listed = {a["client_id"]: a for a in await apps.list_apps(gw.state.db)}
    assert listed[app["client_id"]]["status"] == listed[custom["client_id"]]["status"] == "deleted"
    assert (await gw.refresh(app, token["refresh_token"]))[1]["error"] in ("invalid_client", "invalid_grant")
    assert (await gw.token({"grant_type": "client_credentials"}, basic=_basic(custom)))[1]["error"] == \
        "invalid_client"

    for client in (app, custom):
        await apps.restore_app(gw.state.db, client["client_id"])
    listed = {a["client_id"]: a for a in await apps.list_apps(gw.state.db)}
    assert listed[app["client_id"]]["status"] == listed[custom["client_id"]]["status"] == "active"
    # the old grant stays revoked (users consent again); the custom connection is authorised anew
    assert (await gw.refresh(app, token["refresh_token"]))[1]["error"] == "invalid_grant"
    status, cc = await gw.token({"grant_type": "client_credentials"}, basic=_basic(custom))
    assert status == 200 and (await gw.guard(cc["access_token"], tenant=None))[0] == 200
    kinds = [k for k in await _kinds(gw, app["client_id"]) if k.startswith("app_")]
    assert kinds == ["app_restored", "app_deleted", "app_created"]
    deleted = await activity.query(gw.state.db, kind="app_deleted")
    assert {r.actor for r in deleted} == {"admin:ops@example.com"} and deleted[0].client_address == "127.0.0.1"


async def test_last_used_is_written_in_batches_never_per_call(gw):
    app, token = await gw.user_token(tenants=[TENANT_A])
    recorder = gw.client.app[USAGE]
    await recorder.flush()  # whatever the sign-in flow itself used
    writes = recorder.writes
    for _ in range(5):
        assert (await gw.guard(token["access_token"], tenant=TENANT_A))[0] == 200
    assert recorder.writes == writes  # no write on the request path
    async with gw.state.db.session() as s:
        assert (await s.get(App, app["client_id"])).last_used_at is None
    await recorder.flush()
    assert recorder.writes == writes + 2  # one UPDATE for the app, one for its connection, for 5 calls
    async with gw.state.db.session() as s:
        used = (await s.get(App, app["client_id"])).last_used_at
        conn = await s.scalar(select(Connection).where(Connection.client_id == app["client_id"]))
    assert used is not None and conn.last_used_at == used
    listed = await connections.operator_connections(gw.state.db, now=gw.state.clock.now() + timedelta(days=3))
    assert [(c["client_id"], c["tenant_id"], c["idle_days"]) for c in listed] == [(app["client_id"], TENANT_A, 3)]
    assert listed[0]["user_id"] and listed[0]["consented_at"] and "accounting.transactions" in listed[0]["scopes"]


async def test_operator_deletes_a_connection(gw):
    app, token = await gw.user_token(tenants=[TENANT_A])
    assert (await gw.guard(token["access_token"], tenant=TENANT_A))[0] == 200  # cached
    [row] = await connections.operator_connections(gw.state.db)
    deleted = await connections.operator_delete_connection(gw.state.db, row["id"].upper(), actor="cli:ops")
    assert deleted == {"id": row["id"], "client_id": app["client_id"], "tenant_id": TENANT_A, "deleted": True}
    status, body = await gw.guard(token["access_token"], tenant=TENANT_A)
    assert status == 401, body
    assert (await gw.refresh(app, token["refresh_token"]))[1]["error"] == "invalid_grant"
    assert await connections.operator_connections(gw.state.db) == []
    [logged] = await activity.query(gw.state.db, kind="connection_deleted")
    assert logged.actor == "cli:ops" and logged.tenant_id == TENANT_A and logged.client_id == app["client_id"]


async def test_the_activity_log_never_holds_a_secret_or_a_token(gw):
    app, token = await gw.user_token(tenants=[TENANT_A])
    rotated = await apps.rotate_secret(gw.state.db, app["client_id"])
    # the old secret, a refresh token and an access token presented where they fail
    await gw.refresh(app, token["refresh_token"])
    await gw.token({"grant_type": "refresh_token", "refresh_token": token["access_token"],
                    "client_id": app["client_id"], "client_secret": rotated["client_secret"]})
    await gw.token({"grant_type": "client_credentials"}, basic=(token["access_token"], "x"))
    await gw.token({"grant_type": "client_credentials", "client_id": token["refresh_token"], "client_secret": "x"})
    await activity.record(gw.state.db, "sign_in_failed", actor="someone",
                          detail=f"a careless reason quoting {token['refresh_token']}")
    exported = activity.to_csv(await activity.query(gw.state.db))
    assert exported.count("\r\n") >= 5
    for secret in (app["client_secret"], rotated["client_secret"], token["refresh_token"], token["access_token"],
                   token["id_token"]):
        assert secret[-32:] not in exported  # not even part of one (a token pasted as a client_id)
    assert activity.REDACTED in exported


async def test_activity_filters_csv_and_retention(gw):
    db, now = gw.state.db, gw.state.clock.now()
    await activity.record(db, "source_registered", actor="cli", at=now - timedelta(days=400), source_code="1004")
    await activity.record(db, "consent_granted", actor="u", at=now - timedelta(days=2), client_id="A",
                          tenant_id=TENANT_A.upper())
    await activity.record(db, "consent_denied", actor="u", at=now, client_id="B")
    assert [r.kind for r in await activity.query(db, client_id="A")] == ["consent_granted"]
    assert [r.kind for r in await activity.query(db, tenant_id=TENANT_A)] == ["consent_granted"]
    assert [r.kind for r in await activity.query(db, kind="consent_denied")] == ["consent_denied"]
    assert [r.kind for r in await activity.query(db, since=now - timedelta(days=3), until=now)] == [
        "consent_granted"]
    lines = activity.to_csv(await activity.query(db)).splitlines()
    assert lines[0] == ",".join(activity.CSV_COLUMNS) and len(lines) == 4
    assert await activity.prune(db, retention_days=365, now=now) == 1
    assert [r.kind for r in await activity.query(db)] == ["consent_denied", "consent_granted"]


async def test_consents_and_failed_sign_ins_are_logged(gw):
    app, _ = await gw.user_token(tenants=[TENANT_A])
    params = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI,
              "scope": "openid accounting.transactions", "state": "s"}
    response = await gw.authorize_page(params)  # signed in already: the consent page
    assert (await gw.consent(await response.text(), approve=False)).status == 302
    [granted] = await activity.query(gw.state.db, kind="consent_granted")
    assert granted.client_id == app["client_id"] and granted.tenant_id == TENANT_A and granted.actor == EMAIL
    assert "accounting.transactions" in granted.detail and granted.source_code == "1000"
    [denied] = await activity.query(gw.state.db, kind="consent_denied")
    assert denied.client_id == app["client_id"] and denied.tenant_id is None

    gw.client.session.cookie_jar.clear()
    login = await gw.authorize_page(params)
    await gw.sign_in(login.headers["Location"], password="not the password")
    [failed] = await activity.query(gw.state.db, kind="sign_in_failed")
    assert failed.actor == EMAIL and failed.source_code == "1000" and "not the password" not in failed.detail


def _console_off_and_brisk(settings: Settings) -> Settings:
    brisk = {"expiry_sweep_interval": 0.01, "usage_flush_interval": 0.01}
    return settings.model_copy(update={
        "console": settings.console.model_copy(update={"enabled": False, **brisk}),
        "activity": settings.activity.model_copy(update={"prune_interval": 0.01})})


async def _eventually(holds, rounds: int = 500) -> bool:
    """Whether the async predicate ``holds`` comes true within ``rounds`` looks, 10 ms apart (bounded)."""
    for _ in range(rounds):
        if await holds():
            return True
        await asyncio.sleep(0.01)
    return False


async def test_with_the_console_off_the_lifecycle_housekeeping_still_runs(aiohttp_client, tmp_path, signing_pem):
    client = await aiohttp_client(make_app(tmp_path / "data", signing_pem, configure=_console_off_and_brisk))
    assert CONSOLE not in client.app  # the console's own start-up did not run
    assert (await client.get("/admin/sign-in")).status == 404
    state = client.app[IDENTITY]
    db, now = state.db, state.clock.now()
    await activity.record(db, "source_registered", actor="cli", at=now - timedelta(days=400), source_code="1004")
    app = await apps.create_app(db, name="Web", redirect_uris=[REDIRECT_URI], scopes=None,
                                expires_at=now + timedelta(seconds=30), now=now)
    client.app[USAGE].seen(code="1000", client_id=app["client_id"], user_id=None, tenant_id=None)  # the guard's note

    async def used() -> bool:
        async with db.session() as s:
            return (await s.get(App, app["client_id"])).last_used_at is not None

    async def pruned() -> bool:
        return not await activity.query(db, kind="source_registered")

    async def expiry_noted() -> bool:
        return bool(await activity.query(db, client_id=app["client_id"], kind="app_expired"))

    assert await _eventually(used)  # the batched "last used" writes
    assert await _eventually(pruned)  # the activity log's retention
    state.clock.advance(60)  # past the expiry: the sweep notes it without any token request
    assert await _eventually(expiry_noted)
