"""The partner API's OAuth server: RFC 7591 registration, the consent page (owner/admin only), PKCE S256 and
refresh rotation, over real HTTP."""

from __future__ import annotations

import pytest
from aiohttp import encode_basic_auth

from adapters.native.demo.company import DEMO_TENANT_ID
from adapters.native.partner.web.keys import PARTNER
from gateway import appkeys

from .conftest import demo_credentials
from .connect import REDIRECT_URI, authorize, connect, pkce_pair, redirect_params, register

pytestmark = pytest.mark.asyncio(loop_scope="package")


async def test_registration_follows_rfc_7591(stack):
    public = await register(stack.gateway, name="Public Tool")
    assert public["client_name"] == "Public Tool" and public["redirect_uris"] == [REDIRECT_URI]
    assert public["token_endpoint_auth_method"] == "none" and "client_secret" not in public
    confidential = await register(stack.gateway, name="Server Tool", public=False)
    assert confidential["client_secret"] and confidential["token_endpoint_auth_method"] == "client_secret_basic"
    for body, error in (({"client_name": "No URIs"}, "invalid_redirect_uri"),
                        ({"redirect_uris": [REDIRECT_URI]}, "invalid_client_metadata"),
                        ({"client_name": "Bad", "redirect_uris": ["not a uri"]}, "invalid_client_metadata"),
                        ({"client_name": "Bad", "redirect_uris": [REDIRECT_URI], "grant_types": ["password"]},
                         "invalid_client_metadata")):
        resp = await stack.gateway.post("/ledger/api/oauth/register", json=body)
        assert resp.status == 400 and (await resp.json())["error"] == error, body
    garbage = await stack.gateway.post("/ledger/api/oauth/register", data=b"{not json",
                                       headers={"Content-Type": "application/json"})
    assert garbage.status == 400 and (await garbage.json())["error"] == "invalid_client_metadata"


async def test_public_clients_must_use_pkce_s256(stack):
    client_id = (await register(stack.gateway))["client_id"]
    resp = await stack.gateway.get("/ledger/api/oauth/authorize", allow_redirects=False, params={
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT_URI, "scope": "companies:read",
        "state": "s"})
    assert resp.status == 302 and redirect_params(resp.headers["Location"])["error"] == "invalid_request"
    email, password = demo_credentials(stack)
    verifier, challenge = pkce_pair()
    answer = await authorize(stack.gateway, client_id, scope="companies:read", email=email, password=password,
                             challenge=challenge)
    code = redirect_params(answer.headers["Location"])["code"]
    wrong = await stack.gateway.post("/ledger/api/oauth/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "client_id": client_id,
        "code_verifier": pkce_pair()[0]})
    assert wrong.status == 400 and (await wrong.json())["error"] == "invalid_grant"
    reused = await stack.gateway.post("/ledger/api/oauth/token", data={  # the code was spent by the failed try
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "client_id": client_id,
        "code_verifier": verifier})
    assert reused.status == 400 and (await reused.json())["error"] == "invalid_grant"


async def test_only_an_owner_or_admin_may_consent(stack):
    adapter = await stack.gateway.app[appkeys.SOURCES].get("1000")
    member = await adapter.create_user(email="bookkeeper@firm.test", password="member-pass-1",
                                       tenant_ids=[DEMO_TENANT_ID])
    ledger = stack.gateway.app[PARTNER].ledger
    await ledger.set_role(member.user_id, "member")
    client_id = (await register(stack.gateway))["client_id"]
    refused = await authorize(stack.gateway, client_id, scope="companies:read", email="bookkeeper@firm.test",
                              password="member-pass-1", challenge=pkce_pair()[1])
    assert refused.status == 403 and "owner or admin" in await refused.text()
    wrong = await authorize(stack.gateway, client_id, scope="companies:read", email="bookkeeper@firm.test",
                            password="nope", challenge=pkce_pair()[1])
    assert wrong.status == 401
    await ledger.set_role(member.user_id, "admin")
    allowed = await connect(stack.gateway, email="bookkeeper@firm.test", password="member-pass-1",
                            scope="companies:read")
    assert allowed.scope == "companies:read"
    with pytest.raises(ValueError, match="role must be one of"):
        await ledger.set_role(member.user_id, "boss")


async def test_denying_consent_redirects_with_access_denied(stack):
    email, password = demo_credentials(stack)
    client_id = (await register(stack.gateway))["client_id"]
    denied = await authorize(stack.gateway, client_id, scope="companies:read", email=email, password="",
                             decision="deny", challenge=pkce_pair()[1])
    assert denied.status == 302
    params = redirect_params(denied.headers["Location"])
    assert params["error"] == "access_denied" and params["state"] == "st-1" and "code" not in params


async def test_unknown_scopes_are_refused(stack):
    client_id = (await register(stack.gateway))["client_id"]
    resp = await stack.gateway.get("/ledger/api/oauth/authorize", allow_redirects=False, params={
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT_URI,
        "scope": "companies:read accounting.transactions", "state": "s", "code_challenge": pkce_pair()[1],
        "code_challenge_method": "S256"})
    assert resp.status == 302 and redirect_params(resp.headers["Location"])["error"] == "invalid_scope"


async def test_refresh_rotates_and_the_old_grant_stops_working(stack):
    email, password = demo_credentials(stack)
    first = await connect(stack.gateway, email=email, password=password, scope="companies:read")
    resp = await stack.gateway.post("/ledger/api/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": first.refresh_token, "client_id": first.client_id})
    second = await resp.json()
    assert resp.status == 200 and second["refresh_token"] != first.refresh_token
    assert second["scope"] == "companies:read" and second["token_type"] == "Bearer"
    again = await stack.gateway.post("/ledger/api/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": first.refresh_token, "client_id": first.client_id})
    assert again.status == 400 and (await again.json())["error"] == "invalid_grant"
    old = await stack.gateway.get("/ledger/api/v1/companies", headers=first.headers)
    assert old.status == 401 and (await old.json())["error"]["code"] == "invalid_token"
    new = await stack.gateway.get("/ledger/api/v1/companies",
                                  headers={"Authorization": f"Bearer {second['access_token']}"})
    assert new.status == 200


async def test_server_metadata_names_the_endpoints(stack):
    resp = await stack.gateway.get("/ledger/api/.well-known/oauth-authorization-server")
    meta = await resp.json()
    assert meta["registration_endpoint"].endswith("/ledger/api/oauth/register")
    assert meta["code_challenge_methods_supported"] == ["S256"] and "journal_entries:read_write" in meta[
        "scopes_supported"]


async def test_a_confidential_client_exchanges_its_code_with_its_secret(stack):
    email, password = demo_credentials(stack)
    registered = await register(stack.gateway, name="Server Tool", public=False)
    answer = await authorize(stack.gateway, registered["client_id"], scope="companies:read", email=email,
                             password=password)
    code = redirect_params(answer.headers["Location"])["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    wrong = await stack.gateway.post("/ledger/api/oauth/token", data=form,
                                     headers={"Authorization": encode_basic_auth(registered["client_id"],
                                                                                 "not-the-secret")})
    assert wrong.status == 401 and (await wrong.json())["error"] == "invalid_client"
    right = await stack.gateway.post("/ledger/api/oauth/token", data=form,
                                     headers={"Authorization": encode_basic_auth(registered["client_id"],
                                                                                 registered["client_secret"])})
    assert right.status == 200 and (await right.json())["scope"] == "companies:read"
