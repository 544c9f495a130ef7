"""The consent page shows each requested scope in words with a checkbox; the granted scope is what the user left
ticked (gateway.identity.consent): the token lacks a removed permission and a call needing it answers 403."""

from __future__ import annotations

import pytest

from adapters.native.demo.company import DEMO_TENANT_ID
from gateway.identity import consent
from gateway.identity.scopes import scope_table
from tests.identity.helpers import first_form, pkce_pair

pytestmark = pytest.mark.asyncio(loop_scope="package")  # one gateway (one seeded ledger) for the package

API = "/api.xro/2.0"
SCOPE = "openid profile email offline_access accounting.transactions accounting.contacts"


async def _consent_page(gw, app, scope: str) -> str:
    params = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": "https://app.example.test/callback",
              "scope": scope, "state": "s1"}
    response = await gw.authorize_page(params)
    response = await gw.sign_in(response.headers["Location"])
    page = await gw.client.get(response.headers["Location"], allow_redirects=False)
    assert page.status == 200
    return await page.text()


async def test_every_known_scope_has_words():
    words = consent.wording()
    assert set(scope_table().known) <= set(words)
    assert words["accounting.transactions"] == "View and manage your business transactions"


async def test_the_page_shows_each_permission_in_words_with_a_checkbox(gw):
    app = await gw.create_app()
    html = await _consent_page(gw, app, SCOPE)
    assert "View and manage your business transactions" in html and "View and manage your contacts" in html
    assert "Keep access when you are not using the app" in html
    boxes = {i["value"]: i for i in first_form(html)["inputs"] if i.get("name") == "scope"}
    assert list(boxes) == SCOPE.split()
    assert all("checked" in box for box in boxes.values())
    assert {s for s, box in boxes.items() if "disabled" in box} == {"openid", "profile", "email"}


async def test_a_removed_permission_is_not_granted_and_its_calls_answer_403(gw):
    app = await gw.create_app()
    verifier, challenge = pkce_pair()
    callback = await gw.authorize(app["client_id"], scope=SCOPE, challenge=challenge, tenants=[DEMO_TENANT_ID],
                                  untick=("accounting.transactions", "offline_access"))
    assert callback["scope"] == "openid profile email accounting.contacts"
    token = await gw.exchange(app, callback, verifier=verifier)
    assert token["scope"] == "openid profile email accounting.contacts"
    assert "refresh_token" not in token and token["id_token"]  # offline_access unticked: no refresh token
    headers = {"xero-tenant-id": DEMO_TENANT_ID, "Accept": "application/json"}
    invoices = await gw.get(f"{API}/Invoices", token["access_token"], headers=headers)
    assert invoices.status == 403 and (await invoices.json())["Detail"] == "AuthorizationUnsuccessful"
    contacts = await gw.get(f"{API}/Contacts", token["access_token"], headers=headers)
    assert contacts.status == 200 and (await contacts.json())["Contacts"]


async def test_the_sign_in_scopes_stay_and_nothing_left_asks_again(gw):
    app = await gw.create_app()
    html = await _consent_page(gw, app, "offline_access accounting.transactions")
    response = await gw.consent(html, tenants=[DEMO_TENANT_ID], untick=("offline_access", "accounting.transactions"))
    assert response.status == 400 and "Leave at least one permission ticked" in await response.text()
    verifier, challenge = pkce_pair()
    callback = await gw.authorize(app["client_id"], scope="openid profile accounting.transactions",
                                  challenge=challenge, tenants=[DEMO_TENANT_ID], untick=("openid", "profile"))
    assert callback["scope"] == "openid profile accounting.transactions"  # openid and profile cannot be removed
