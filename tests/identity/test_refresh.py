"""Refresh tokens: rotation on every use, 30-minute grace, idle expiry, scope never narrowed (xero-contract §1.2,
§1.6)."""

from __future__ import annotations

from sqlalchemy import select

from gateway.store.models import RefreshToken

from .fake_adapter import TENANT_A
from .helpers import SCOPES, claims_of


async def test_refresh_rotates_and_keeps_claims(gw):
    app, first = await gw.user_token()
    status, second = await gw.refresh(app, first["refresh_token"])
    assert status == 200, second
    assert second["refresh_token"] != first["refresh_token"]
    assert second["scope"] == SCOPES and second["expires_in"] == 1800 and second["token_type"] == "Bearer"
    old, new = claims_of(first["access_token"], gw.state), claims_of(second["access_token"], gw.state)
    assert new["authentication_event_id"] == old["authentication_event_id"]
    assert new["sub"] == old["sub"] and new["jti"] != old["jti"]
    assert claims_of(second["id_token"], gw.state)["aud"] == app["client_id"]
    status, third = await gw.refresh(app, second["refresh_token"])
    assert status == 200 and third["refresh_token"] not in (first["refresh_token"], second["refresh_token"])


async def test_previous_token_works_within_grace_and_not_after(gw):
    app, first = await gw.user_token()
    status, second = await gw.refresh(app, first["refresh_token"])
    assert status == 200
    grace = gw.state.settings.identity.refresh_token_grace
    gw.state.clock.advance(grace - 60)
    status, retry = await gw.refresh(app, first["refresh_token"])  # a client that lost the response
    assert status == 200 and retry["scope"] == SCOPES
    status, _ = await gw.refresh(app, retry["refresh_token"])
    assert status == 200
    gw.state.clock.advance(120)  # the grace counts from the first rotation; repeated reuse does not extend it
    status, body = await gw.refresh(app, first["refresh_token"])
    assert status == 400 and body["error"] == "invalid_grant"
    # Replayed after its grace: the whole chain is revoked (RFC 9700 §4.14.2; issue 11, item 9), so the newest
    # token of that branch, fine until then, is refused too.
    status, body = await gw.refresh(app, second["refresh_token"])
    assert status == 400 and body["error"] == "invalid_grant"


async def test_scope_parameter_never_narrows_the_grant(gw):
    app, first = await gw.user_token()
    status, body = await gw.refresh(app, first["refresh_token"], scope="openid")
    assert status == 200 and body["scope"] == SCOPES
    assert claims_of(body["access_token"], gw.state)["scope"] == SCOPES.split()
    garbled = " ".join(" ".join(SCOPES))  # xero-python space-joins a string character by character
    status, body = await gw.refresh(app, body["refresh_token"], scope=garbled)
    assert status == 200 and body["scope"] == SCOPES
    status, body = await gw.refresh(app, body["refresh_token"], scope=SCOPES + " accounting.journals.read payroll.x")
    assert status == 200 and body["scope"] == SCOPES


async def test_refresh_token_idle_expiry(gw):
    app, first = await gw.user_token()
    gw.state.clock.advance(gw.state.settings.identity.refresh_token_idle_expiry + 1)
    status, body = await gw.refresh(app, first["refresh_token"])
    assert status == 400 and body["error"] == "invalid_grant"


async def test_refresh_by_another_client_or_unknown_token_is_invalid_grant(gw):
    app, first = await gw.user_token()
    other = await gw.create_app(name="Other")
    status, body = await gw.refresh(other, first["refresh_token"])
    assert status == 400 and body["error"] == "invalid_grant"
    status, body = await gw.refresh(app, "not-a-token")
    assert status == 400 and body["error"] == "invalid_grant"


async def test_refresh_tokens_are_stored_only_as_hashes(gw):
    app, first = await gw.user_token()
    async with gw.state.db.session() as s:
        stored = list(await s.scalars(select(RefreshToken.token_hash)))
    assert stored and first["refresh_token"] not in stored
    raw = (gw.state.settings.data_dir / "gateway.db").read_bytes()
    assert first["refresh_token"].encode() not in raw


async def test_no_refresh_token_without_offline_access(gw):
    app, token = await gw.user_token(scope="openid accounting.transactions", tenants=[TENANT_A])
    assert "refresh_token" not in token and token["scope"] == "openid accounting.transactions"


async def test_public_client_refreshes_without_secret(gw):
    from .helpers import pkce_pair

    app = await gw.create_app(public=True)
    verifier, challenge = pkce_pair()
    callback = await gw.authorize(app["client_id"], challenge=challenge)
    token = await gw.exchange(app, callback, verifier=verifier)
    status, body = await gw.token({"grant_type": "refresh_token", "refresh_token": token["refresh_token"],
                                   "client_id": app["client_id"]})
    assert status == 200 and body["refresh_token"]


async def test_refresh_at_another_source_code_is_refused(gw):
    app, first = await gw.user_token()
    status, body = await gw.token({"grant_type": "refresh_token", "refresh_token": first["refresh_token"],
                                   "client_id": app["client_id"], "client_secret": app["client_secret"]},
                                  code="1001")
    assert status == 400 and body["error"] == "invalid_grant"


async def test_replay_after_grace_revokes_the_chain_and_its_access_tokens(gw):
    app, first = await gw.user_token()
    status, second = await gw.refresh(app, first["refresh_token"])
    assert status == 200
    gw.state.clock.advance(gw.state.settings.identity.refresh_token_grace + 1)
    status, live = await gw.refresh(app, second["refresh_token"])  # the client goes on, never rotated
    assert status == 200
    assert (await gw.get("/connections", live["access_token"])).status == 200

    status, body = await gw.refresh(app, first["refresh_token"])  # a stolen copy, or the client's stale one
    assert status == 400 and body["error"] == "invalid_grant"
    status, body = await gw.refresh(app, live["refresh_token"])  # the live end of the chain goes too
    assert status == 400 and body["error"] == "invalid_grant"
    assert (await gw.get("/connections", live["access_token"])).status == 401


async def test_refresh_within_grace_revokes_nothing(gw):
    app, first = await gw.user_token()
    status, second = await gw.refresh(app, first["refresh_token"])
    assert status == 200
    status, _ = await gw.refresh(app, first["refresh_token"])
    assert status == 200
    status, _ = await gw.refresh(app, second["refresh_token"])
    assert status == 200
