"""``/connections`` (list, filter, delete) and revocation (xero-contract §1.3, §1.4)."""

from __future__ import annotations

import re

from .fake_adapter import TENANT_A, TENANT_B
from .helpers import claims_of

NET_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$")


async def test_connections_shape_and_filter(gw):
    app, first = await gw.user_token(tenants=[TENANT_A])
    _, second = await gw.user_token(app, tenants=[TENANT_B])
    event1 = claims_of(first["access_token"], gw.state)["authentication_event_id"]
    event2 = claims_of(second["access_token"], gw.state)["authentication_event_id"]

    response = await gw.get("/connections", second["access_token"])
    assert response.status == 200 and response.headers["Content-Type"].startswith("application/json")
    body = await response.json()
    assert isinstance(body, list) and len(body) == 2
    for c in body:
        assert set(c) == {"id", "authEventId", "tenantId", "tenantType", "tenantName", "createdDateUtc",
                          "updatedDateUtc"}
        assert NET_DATE.match(c["createdDateUtc"]) and NET_DATE.match(c["updatedDateUtc"])
    assert {(c["tenantId"], c["authEventId"]) for c in body} == {(TENANT_A, event1), (TENANT_B, event2)}

    only = await (await gw.get("/Connections", second["access_token"], params={"authEventId": event1})).json()
    assert [c["tenantId"] for c in only] == [TENANT_A]
    assert await (await gw.get("/connections", first["access_token"],
                               params={"authEventId": "00000000-0000-0000-0000-000000000000"})).json() == []


async def test_connections_are_per_user_and_app(gw):
    app, token = await gw.user_token(tenants=[TENANT_A])
    other, other_token = await gw.user_token(await gw.create_app(name="Other"), tenants=[TENANT_B])
    assert [c["tenantId"] for c in await (await gw.get("/connections", token["access_token"])).json()] == [TENANT_A]
    assert [c["tenantId"] for c in await (await gw.get("/connections", other_token["access_token"])).json()] == [
        TENANT_B]


async def test_connections_need_a_valid_bearer(gw):
    response = await gw.get("/connections")
    assert response.status == 401 and (await response.json())["Detail"] == "AuthenticationUnsuccessful"
    response = await gw.get("/connections", "garbage.token.value")
    assert response.status == 401


async def test_delete_connection_ends_access_at_once(gw):
    app, token = await gw.user_token()
    access = token["access_token"]
    status, _ = await gw.guard(access, tenant=TENANT_A)
    assert status == 200
    body = await (await gw.get("/connections", access)).json()
    target = next(c for c in body if c["tenantId"] == TENANT_A)
    response = await gw.client.delete(gw.url(f"/Connections/{target['id']}"),
                                      headers={"Authorization": f"Bearer {access}"})
    assert response.status == 204 and await response.read() == b""
    status, body = await gw.guard(access, tenant=TENANT_A)
    assert status == 403 and body["Detail"] == "AuthenticationUnsuccessful"
    status, _ = await gw.guard(access, tenant=TENANT_B)
    assert status == 200
    assert [c["tenantId"] for c in await (await gw.get("/connections", access)).json()] == [TENANT_B]
    response = await gw.client.delete(gw.url(f"/connections/{target['id']}"),
                                      headers={"Authorization": f"Bearer {access}"})
    assert response.status == 404


async def test_delete_unknown_or_foreign_connection_is_404(gw):
    app, token = await gw.user_token(tenants=[TENANT_A])
    _, other = await gw.user_token(await gw.create_app(name="Other"), tenants=[TENANT_A])
    foreign = (await (await gw.get("/connections", other["access_token"])).json())[0]["id"]
    for cid in (foreign, "00000000-0000-0000-0000-000000000000", "not-a-guid"):
        response = await gw.client.delete(gw.url(f"/connections/{cid}"),
                                          headers={"Authorization": f"Bearer {token['access_token']}"})
        assert response.status == 404, cid


async def test_revocation_revokes_the_grant_and_removes_its_connections(gw):
    app, first = await gw.user_token()
    _, second = await gw.refresh(app, first["refresh_token"])
    response = await gw.client.post(gw.url("/connect/revocation"), data={
        "token": second["refresh_token"], "client_id": app["client_id"], "client_secret": app["client_secret"]})
    assert response.status == 200 and await response.read() == b""
    # The whole grant: both refresh tokens (even the one still in grace) and the access tokens.
    for refresh in (first["refresh_token"], second["refresh_token"]):
        status, body = await gw.refresh(app, refresh)
        assert status == 400 and body["error"] == "invalid_grant"
    status, _ = await gw.guard(second["access_token"], tenant=TENANT_A)
    assert status == 401
    # Connections are gone for the user and app.
    _, fresh = await gw.user_token(app, tenants=[TENANT_B])
    assert [c["tenantId"] for c in await (await gw.get("/connections", fresh["access_token"])).json()] == [TENANT_B]


async def test_revocation_with_basic_auth_and_unknown_token(gw):
    import base64

    app, token = await gw.user_token()
    basic = "Basic " + base64.b64encode(f"{app['client_id']}:{app['client_secret']}".encode()).decode()
    response = await gw.client.post(gw.url("/connect/revocation"), data={"token": "unknown"},
                                    headers={"Authorization": basic})
    assert response.status == 200  # RFC 7009 §2.2: invalid tokens do not cause an error
    status, _ = await gw.refresh(app, token["refresh_token"])
    assert status == 200
    response = await gw.client.post(gw.url("/connect/revocation"), data={"token": token["refresh_token"]},
                                    headers={"Authorization": "Basic " + base64.b64encode(b"x:y").decode()})
    assert response.status == 401 and (await response.json())["error"] == "invalid_client"


async def test_revoking_another_clients_token_is_refused(gw):
    app, token = await gw.user_token()
    other = await gw.create_app(name="Other")
    response = await gw.client.post(gw.url("/connect/revocation"), data={
        "token": token["refresh_token"], "client_id": other["client_id"], "client_secret": other["client_secret"]})
    assert response.status == 400
    status, _ = await gw.refresh(app, token["refresh_token"])
    assert status == 200
