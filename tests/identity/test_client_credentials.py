"""Custom connections: ``client_credentials`` bound to one tenant of one source (xero-contract §1.2)."""

from __future__ import annotations

from .fake_adapter import TENANT_A, TENANT_B
from .helpers import claims_of

API_SCOPES = ["accounting.transactions", "accounting.contacts"]


async def custom(gw, **kwargs):
    return await gw.create_app(name="Custom Co", redirect_uris=[], scopes=kwargs.pop("scopes", API_SCOPES),
                               custom_connection=True, code="1000", tenant_id=TENANT_A.upper().replace("-", ""),
                               **kwargs)


async def test_client_credentials_token_with_post_and_basic(gw):
    app = await custom(gw)
    status, token = await gw.token({"grant_type": "client_credentials", "client_id": app["client_id"],
                                    "client_secret": app["client_secret"]})
    assert status == 200, token
    assert token["token_type"] == "Bearer" and token["expires_in"] == 1800
    assert token["scope"] == " ".join(API_SCOPES)
    assert "refresh_token" not in token and "id_token" not in token
    claims = claims_of(token["access_token"], gw.state)
    assert claims["xero_userid"] == "00000000-0000-0000-0000-000000000000"
    assert claims["client_id"] == app["client_id"] and claims["scope"] == API_SCOPES
    assert claims["iss"].endswith("/1000") and claims["authentication_event_id"]

    status, token = await gw.token({"grant_type": "client_credentials", "scope": "marketplace.billing"},
                                   basic=(app["client_id"], app["client_secret"]))
    assert status == 200 and token["scope"] == " ".join(API_SCOPES)


async def test_client_credentials_works_on_its_code_only(gw):
    app = await custom(gw)
    status, body = await gw.token({"grant_type": "client_credentials"}, basic=(app["client_id"], app["client_secret"]),
                                  code="1004")
    assert status == 401 and body["error"] == "invalid_client"
    status, token = await gw.token({"grant_type": "client_credentials"},
                                   basic=(app["client_id"], app["client_secret"]))
    status, _ = await gw.guard(token["access_token"], tenant=None, code="1004")
    assert status == 401


async def test_custom_connection_calls_may_omit_the_tenant_header(gw):
    app = await custom(gw)
    _, token = await gw.token({"grant_type": "client_credentials"}, basic=(app["client_id"], app["client_secret"]))
    status, ctx = await gw.guard(token["access_token"], tenant=None)
    assert status == 200, ctx
    assert ctx["tenant_id"] == TENANT_A and ctx["user_id"] is None and ctx["app_name"] == "Custom Co"
    status, _ = await gw.guard(token["access_token"], tenant=TENANT_A.replace("-", ""))
    assert status == 200
    status, body = await gw.guard(token["access_token"], tenant=TENANT_B)
    assert status == 403 and body["Detail"] == "AuthenticationUnsuccessful"


async def test_custom_connection_lists_its_one_tenant(gw):
    app = await custom(gw)
    _, token = await gw.token({"grant_type": "client_credentials"}, basic=(app["client_id"], app["client_secret"]))
    body = await (await gw.get("/Connections", token["access_token"])).json()
    assert [(c["tenantId"], c["tenantName"], c["tenantType"]) for c in body] == [
        (TENANT_A, "Alpha <Trading> & Co", "ORGANISATION")]
    assert body[0]["authEventId"] == claims_of(token["access_token"], gw.state)["authentication_event_id"]


async def test_web_apps_cannot_use_client_credentials_and_custom_ones_cannot_authorize(gw):
    web_app = await gw.create_app()
    status, body = await gw.token({"grant_type": "client_credentials"},
                                  basic=(web_app["client_id"], web_app["client_secret"]))
    assert status == 400 and body["error"] == "unauthorized_client"
    app = await custom(gw)
    status, body = await gw.token({"grant_type": "authorization_code", "code": "x", "redirect_uri": "https://x"},
                                  basic=(app["client_id"], app["client_secret"]))
    assert status == 400 and body["error"] == "unauthorized_client"


async def test_unknown_grant_type(gw):
    app = await custom(gw)
    status, body = await gw.token({"grant_type": "password", "username": "u", "password": "p"},
                                  basic=(app["client_id"], app["client_secret"]))
    assert status == 400 and body["error"] == "unsupported_grant_type"
