"""The console's guards over plain HTTP (issue 15): sign-in required, CSRF token on every POST, a fresh TOTP code
for sensitive actions, failed sign-ins logged and throttled like the ledger's sign-in page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from argon2 import PasswordHasher

from gateway.console import operators
from gateway.identity import apps
from gateway.identity.throttle import ACCOUNT_FAILURES
from gateway.store import activity
from gateway.store.crypto import SecretBox

from .fake_adapter import EMAIL as FAKE_EMAIL
from .fake_adapter import TENANT_A
from .helpers import first_form, hidden_fields

EMAIL, PASSWORD = "ops@example.com", "operator password 1"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    """argon2id at its lowest cost: these tests check the console's flow, not the hash's strength (a verify reads
    its parameters from the stored hash)."""
    monkeypatch.setattr(operators, "_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


async def _operator(gw) -> pyotp.TOTP:
    box = SecretBox.from_data_dir(gw.state.settings.data_dir)
    uri = await operators.create_operator(gw.state.db, box, email=EMAIL, password=PASSWORD, now=gw.state.clock.now())
    return pyotp.TOTP(parse_qs(urlsplit(uri).query)["secret"][0])


async def _sign_in(gw, totp, *, password=PASSWORD):
    page = await gw.client.get("/admin/sign-in")
    form = first_form(await page.text())
    return await gw.client.post("/admin/sign-in", allow_redirects=False, data={
        **hidden_fields(form), "email": EMAIL, "password": password, "totp": totp.at(gw.state.clock.time())})


async def test_pages_need_a_signed_in_operator(gw):
    for path in ("/admin", "/admin/apps", "/admin/connections", "/admin/sources", "/admin/activity",
                 "/admin/activity.csv"):
        response = await gw.client.get(path, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"].startswith("/admin"), path
    response = await gw.client.get("/admin/apps", allow_redirects=False)
    assert response.headers["Location"] == "/admin/sign-in"


async def test_csrf_and_fresh_codes_guard_the_forms(gw):
    totp = await _operator(gw)
    app = await gw.create_app()
    assert (await _sign_in(gw, totp, password="wrong password")).status == 401
    response = await _sign_in(gw, totp)
    assert response.status == 303 and response.headers["Location"] == "/admin/apps"
    page = await gw.client.get("/admin/apps")
    assert page.status == 200 and page.headers["Cache-Control"] == "no-store"
    csrf = hidden_fields(first_form(await page.text()))["csrf_token"]

    revoke = f"/admin/apps/{app['client_id']}/revoke"
    gw.state.clock.advance(30)
    code = totp.at(gw.state.clock.time())
    assert (await gw.client.post(revoke, data={"totp": code}, allow_redirects=False)).status == 403  # no token
    assert (await gw.client.post(revoke, data={"csrf_token": csrf}, allow_redirects=False)).status == 403  # no code
    assert (await apps.list_apps(gw.state.db))[0]["status"] == "active"
    response = await gw.client.post(revoke, data={"csrf_token": csrf, "totp": code}, allow_redirects=False)
    assert response.status == 303
    assert (await apps.list_apps(gw.state.db))[0]["status"] == "revoked"
    # the same code again is refused (RFC 6238 §5.2)
    restore = await gw.client.post(f"/admin/apps/{app['client_id']}/delete", data={"csrf_token": csrf, "totp": code})
    assert restore.status == 403 and (await apps.list_apps(gw.state.db))[0]["status"] == "revoked"

    csv_answer = await gw.client.get("/admin/activity.csv", params={"kind": "sign_in_failed"})
    assert csv_answer.status == 200 and csv_answer.headers["Content-Type"].startswith("text/csv")
    lines = (await csv_answer.text()).splitlines()
    assert len(lines) == 2 and "sign_in_failed" in lines[1] and EMAIL in lines[1]
    kinds = [r.kind for r in await activity.query(gw.state.db)]
    assert kinds[:2] == ["app_revoked", "operator_signed_in"] and PASSWORD not in repr(kinds)


async def test_sign_in_is_throttled(gw):
    totp = await _operator(gw)
    statuses = [(await _sign_in(gw, totp, password="wrong password")).status for _ in range(ACCOUNT_FAILURES + 1)]
    assert statuses == [401] * ACCOUNT_FAILURES + [429]
    blocked = await _sign_in(gw, totp)  # the right password too, until the window passes
    assert blocked.status == 429 and "Too many failed attempts" in await blocked.text()
    assert len(await activity.query(gw.state.db, kind="sign_in_failed")) == ACCOUNT_FAILURES


async def test_connections_page_names_who_consented_and_the_tenant(gw):
    totp = await _operator(gw)
    app, _ = await gw.user_token(tenants=[TENANT_A])
    assert (await _sign_in(gw, totp)).status == 303
    html = await (await gw.client.get("/admin/connections")).text()
    assert app["client_id"] in html and FAKE_EMAIL in html
    assert "Alpha &lt;Trading&gt; &amp; Co" in html  # the source's name, escaped
