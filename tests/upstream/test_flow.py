"""The upstream consent flow end to end: partner app → gateway authorize → source consent → gateway callback →
partner redirect → token exchange → /connections → an API call whose adapter uses the upstream access token."""

from __future__ import annotations

import aiohttp
from sqlalchemy import text
from yarl import URL

from adapters.base import upstream_tenant_id
from tests.identity.helpers import REDIRECT_URI, SCOPES, claims_of, pkce_pair, query_of

REALM = "9130357"


async def test_full_flow_with_one_realm(env, xero_spec):
    fake = env.fake
    flow = await env.connect("1004", partner_state="partner-state-1")

    # The source saw the registered app, the gateway's own callback, the source's scope and a fresh state.
    sent = fake.authorize_requests[-1]
    assert sent["client_id"] == fake.client_id and sent["response_type"] == "code"
    assert sent["redirect_uri"] == "http://127.0.0.1:18090/1004/callback"
    assert sent["scope"] == "com.intuit.quickbooks.accounting"
    assert sent["state"] and sent["state"] != "partner-state-1"
    assert flow.callback_url.query["realmId"] == REALM

    # The partner app gets the gateway's code with its own state, as from Xero.
    assert flow.response.status == 302
    answer = flow.partner_query
    assert answer["state"] == "partner-state-1" and answer["code"] and answer["scope"] == SCOPES
    # The source's code was exchanged once, at the token endpoint, with the same redirect URI.
    assert fake.token_requests == [{"grant_type": "authorization_code",
                                    "redirect_uri": "http://127.0.0.1:18090/1004/callback"}]

    gw = env.gw("1004")
    tokens = await gw.exchange(flow.app, answer, verifier=flow.verifier)
    claims = claims_of(tokens["access_token"], gw.state)
    assert claims["iss"] == "http://127.0.0.1:18090/1004"

    response = await gw.get("/connections", tokens["access_token"])
    connections = await response.json()
    tenant_id = upstream_tenant_id("1004", REALM)
    assert [(c["tenantId"], c["tenantName"], c["tenantType"]) for c in connections] == [
        (tenant_id, "Sandbox Company_US_1", "ORGANISATION")]
    assert connections[0]["authEventId"] == claims["authentication_event_id"]

    # The API guard accepts the connection exactly as a native one; the adapter calls the source with the
    # upstream access token issued at the consent.
    response = await env.organisation(tokens["access_token"], tenant_id)
    body = await response.read()
    assert response.status == 200, body
    xero_spec.validate_response("GET", str(response.url), response.status, body, dict(response.headers))
    organisation = (await response.json())["Organisations"][0]
    assert organisation["Name"] == "Sandbox Company_US_1" and organisation["OrganisationID"] == tenant_id
    (stored,) = await env.stored_authorizations()
    assert fake.api_tokens[-1] == env.unseal(stored.access_token_sealed)

    # Another tenant id is refused by the guard, as for native sources.
    response = await env.organisation(tokens["access_token"], upstream_tenant_id("1004", "other-realm"))
    assert response.status == 403 and (await response.json())["Detail"] == "AuthenticationUnsuccessful"


async def test_upstream_tokens_and_secrets_are_sealed_at_rest(env):
    _, tokens = await env.connected("1004")
    db = env.gw().state.db
    rows = []
    async with db.engine.connect() as conn:
        for table in ("upstream_sources", "upstream_authorizations", "upstream_pending"):
            rows += (await conn.execute(text(f"SELECT * FROM {table}"))).all()  # noqa: S608
    dump = "\n".join(str(row) for row in rows)
    assert len(rows) == 3
    (stored,) = await env.stored_authorizations()
    assert env.unseal(stored.access_token_sealed).startswith("at-")
    for secret in (env.fake.client_secret, env.unseal(stored.access_token_sealed),
                   env.unseal(stored.refresh_token_sealed), *env.fake.current_refresh_tokens()):
        assert secret not in dump
    # The upstream state is stored as a digest only.
    assert env.fake.authorize_requests[-1]["state"] not in dump


async def test_same_realm_always_maps_to_the_same_tenant_and_connection(env):
    app, first = await env.connected("1004")
    gw = env.gw("1004")
    before = await (await gw.get("/connections", first["access_token"])).json()
    gw.state.clock.advance(5)
    env.fake.companies["9130357"] = "Renamed Company"
    _, second = await env.connected("1004", app=app)
    after = await (await gw.get("/connections", second["access_token"])).json()
    assert len(after) == 1
    assert after[0]["tenantId"] == before[0]["tenantId"] == upstream_tenant_id("1004", REALM)
    assert after[0]["id"] == before[0]["id"] and after[0]["tenantName"] == "Renamed Company"
    assert after[0]["updatedDateUtc"] > before[0]["updatedDateUtc"]


async def test_several_businesses_per_consent_with_the_sources_user(env):
    env.fake.mode = "businesses"
    await env.register("1009", auth_method="post")  # Sage authenticates the client in the form body
    app, tokens = await env.connected("1009")
    gw = env.gw("1009")
    connections = await (await gw.get("/connections", tokens["access_token"])).json()
    assert sorted((c["tenantId"], c["tenantName"]) for c in connections) == sorted([
        (upstream_tenant_id("1009", "biz-a1"), "Alpha Trading Ltd"),
        (upstream_tenant_id("1009", "biz-b2"), "Beta Services Ltd")])
    assert len({c["authEventId"] for c in connections}) == 1
    assert env.fake.authorize_requests[-1]["scope"] == "full_access"

    # The upstream user becomes the Xero-side user: id_token, userinfo, and on refresh.
    id_claims = claims_of(tokens["id_token"], gw.state)
    assert id_claims["sub"] == "sage-user-42" and id_claims["email"] == "owner@example.test"
    info = await (await gw.get("/connect/userinfo", tokens["access_token"])).json()
    assert info["given_name"] == "Olive" and info["email"] == "owner@example.test"
    status, refreshed = await gw.refresh(app, tokens["refresh_token"])
    assert status == 200, refreshed
    assert claims_of(refreshed["access_token"], gw.state)["sub"] == "sage-user-42"

    for connection in connections:
        response = await env.organisation(refreshed["access_token"], connection["tenantId"], code="1009")
        assert response.status == 200
        assert (await response.json())["Organisations"][0]["Name"] == connection["tenantName"]


async def test_partner_token_refresh_and_userinfo_without_an_upstream_user(env):
    app, tokens = await env.connected("1004")
    gw = env.gw("1004")
    status, refreshed = await gw.refresh(app, tokens["refresh_token"])
    assert status == 200, refreshed
    assert claims_of(refreshed["access_token"], gw.state)["sub"] == claims_of(tokens["access_token"], gw.state)["sub"]
    response = await gw.get("/connect/userinfo", refreshed["access_token"])
    assert response.status == 200 and (await response.json())["sub"]


async def test_denied_consent_reaches_the_partner_as_access_denied(env):
    env.fake.decision = "deny"
    flow = await env.connect("1004", partner_state="keep-me")
    assert flow.callback_url.query["error"] == "access_denied"
    answer = flow.partner_query
    assert answer["error"] == "access_denied" and answer["state"] == "keep-me"
    assert "code" not in answer and "Fake Source" not in flow.response.headers["Location"]
    assert env.fake.token_requests == [] and await env.stored_authorizations() == []


async def test_failed_code_exchange_reaches_the_partner_as_access_denied(env):
    env.fake.token_failure = 500
    flow = await env.connect("1004", partner_state="s-500")
    answer = flow.partner_query
    assert answer == {**answer, "error": "access_denied", "state": "s-500"} and "code" not in answer

    env.fake.token_failure = None
    env.fake.client_secret = "rotated-at-the-source"  # the registered secret no longer works: invalid_client
    flow = await env.connect("1004", partner_state="s-401")
    assert flow.partner_query["error"] == "access_denied" and flow.partner_query["state"] == "s-401"
    assert await env.stored_authorizations() == []


async def test_consent_without_any_tenant_is_denied(env):
    env.fake.mode = "businesses"
    env.fake.businesses = []
    flow = await env.connect("1004", partner_state="none")
    assert flow.partner_query["error"] == "access_denied"


async def test_bad_state_never_completes(env):
    flow = await env.connect("1004", partner_state="first")
    assert flow.response.status == 302 and "code" in flow.partner_query

    # Replayed in the same browser: the pending request is used up, the partner hears access_denied.
    replay = await env.client.get(flow.callback_url.path_qs, allow_redirects=False)
    assert replay.status == 302
    assert query_of(replay.headers["Location"]) == {**query_of(replay.headers["Location"]),
                                                   "error": "access_denied", "state": "first"}

    # An unknown or tampered state names no partner request: an error page, no redirect anywhere.
    tampered = flow.callback_url.update_query(state="not-a-state-we-issued")
    response = await env.client.get(tampered.path_qs, allow_redirects=False)
    assert response.status == 400 and "Location" not in response.headers
    response = await env.client.get("/1004/callback?code=abc", allow_redirects=False)
    assert response.status == 400


async def test_source_redirect_completes_only_in_the_browser_that_started(env, aiohttp_client):
    _, _, response = await env.start("1004")
    upstream_url = URL(response.headers["Location"])
    async with aiohttp.ClientSession() as browser:
        at_source = await browser.get(upstream_url, allow_redirects=False)
    callback = URL(at_source.headers["Location"])
    # Another browser (no session cookie) presents the source's redirect: refused, and the request stays usable.
    async with aiohttp.ClientSession() as other_browser:
        refused = await other_browser.get(env.client.make_url(callback.path_qs), allow_redirects=False)
        assert refused.status == 400 and "Location" not in refused.headers
    answer = await env.client.get(callback.path_qs, allow_redirects=False)
    assert answer.status == 302 and "code" in query_of(answer.headers["Location"])


async def test_partner_request_is_validated_before_leaving_for_the_source(env):
    gw = env.gw("1004")
    app = await gw.create_app()
    _, challenge = pkce_pair()
    base = {"response_type": "code", "client_id": app["client_id"], "scope": SCOPES, "state": "s",
            "code_challenge": challenge, "code_challenge_method": "S256"}
    # A redirect URI that is not registered exactly: error page, never a redirect (RFC 6749 §4.1.2.1).
    response = await gw.authorize_page({**base, "redirect_uri": REDIRECT_URI + "/other"})
    assert response.status == 400 and "Location" not in response.headers
    # Unknown client.
    response = await gw.authorize_page({**base, "client_id": "nope", "redirect_uri": REDIRECT_URI})
    assert response.status in (400, 401) and "Location" not in response.headers
    # plain PKCE refused, back to the verified redirect URI with the partner's state.
    response = await gw.authorize_page({**base, "redirect_uri": REDIRECT_URI, "code_challenge_method": "plain"})
    assert response.status == 302 and query_of(response.headers["Location"])["error"] == "invalid_request"
    # A public client without PKCE.
    public = await gw.create_app(public=True)
    response = await gw.authorize_page({"response_type": "code", "client_id": public["client_id"],
                                        "redirect_uri": REDIRECT_URI, "scope": SCOPES, "state": "s"})
    assert response.status == 302 and query_of(response.headers["Location"])["error"] == "invalid_request"
    # An unknown scope.
    response = await gw.authorize_page({**base, "redirect_uri": REDIRECT_URI, "scope": "openid not.a.scope"})
    assert query_of(response.headers["Location"])["error"] == "invalid_scope"
    assert env.fake.authorize_requests == []


async def test_public_partner_app_with_pkce(env):
    gw = env.gw("1004")
    public = await gw.create_app(public=True)
    flow = await env.connect("1004", app=public)
    tokens = await gw.exchange(public, flow.partner_query, verifier=flow.verifier)
    assert tokens["access_token"] and tokens["refresh_token"]
    # The gateway's code is bound to the partner's PKCE challenge.
    flow = await env.connect("1004", app=public)
    status, body = await gw.token({"grant_type": "authorization_code", "code": flow.partner_query["code"],
                                   "redirect_uri": REDIRECT_URI, "client_id": public["client_id"],
                                   "code_verifier": pkce_pair()[0]})
    assert status == 400 and body["error"] == "invalid_grant"
