"""The optional TOTP second factor of native-ledger users: ``xero-gateway users totp-enroll`` prints the
provisioning URI once and stores the secret sealed; the login page then asks for the code after the password, and
a code is accepted once (gateway.identity.totp)."""

from __future__ import annotations

import asyncio
import json

import pyotp
import pytest
from sqlalchemy import select

from adapters.native.demo.company import DEMO_TENANT_ID
from gateway.cli import main
from gateway.store.crypto import SecretBox
from gateway.store.models_totp import UserTotp
from tests.identity.helpers import first_form, hidden_fields, pkce_pair

pytestmark = pytest.mark.asyncio(loop_scope="package")

EMAIL = "second.factor@example.test"
PASSWORD = "second-factor-password"  # noqa: S105


async def _enroll(capsys, data_dir, email: str) -> tuple[int, str]:
    code = await asyncio.to_thread(main, ["users", "totp-enroll", "--email", email, "--data-dir", str(data_dir)])
    return code, capsys.readouterr().out


async def _password_step(gw, app) -> str:
    """authorize → login page → right password: the page that follows (HTML)."""
    params = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": "https://app.example.test/callback",
              "scope": "openid accounting.transactions", "state": "s2"}
    response = await gw.authorize_page(params)
    response = await gw.sign_in(response.headers["Location"], email=EMAIL, password=PASSWORD)
    assert response.status == 200, response.headers.get("Location")  # not signed in yet: the code is asked for
    return await response.text()


async def _submit_code(gw, html: str, otp: str):
    form = first_form(html)
    return await gw.client.post(form["action"], data={**hidden_fields(form), "totp": otp}, allow_redirects=False)


async def test_enrolled_user_signs_in_with_password_then_code(gw, data_dir, capsys):
    adapter = await gw.state.sources.get("1000")
    user = await adapter.create_user(email=EMAIL, password=PASSWORD, tenant_ids=[DEMO_TENANT_ID])
    status, out = await _enroll(capsys, data_dir, EMAIL)
    assert status == 0
    enrolment = json.loads(out)
    assert enrolment["userId"] == user.user_id and enrolment["provisioningUri"].startswith("otpauth://totp/")
    secret = pyotp.parse_uri(enrolment["provisioningUri"]).secret

    async with gw.state.db.session() as session:  # sealed at rest with the gateway's SecretBox
        stored = await session.scalar(select(UserTotp.secret).where(UserTotp.user_id == user.user_id))
    assert secret not in stored and SecretBox.from_data_dir(data_dir).decrypt(stored) == secret

    app = await gw.create_app()
    html = await _password_step(gw, app)
    assert 'name="totp"' in html and "Authentication code" in html
    wrong = await _submit_code(gw, html, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert wrong.status == 200 and "The code is not correct." in await wrong.text()
    otp = pyotp.TOTP(secret).now()
    right = await _submit_code(gw, html, otp)
    assert right.status == 302 and "/identity/connect/authorize" in right.headers["Location"]
    consent_page = await gw.client.get(right.headers["Location"], allow_redirects=False)
    assert consent_page.status == 200 and 'name="scope"' in await consent_page.text()

    gw.client.session.cookie_jar.clear()  # another browser replays the same code: refused
    html = await _password_step(gw, app)
    replay = await _submit_code(gw, html, otp)
    assert replay.status == 200 and "The code is not correct." in await replay.text()


async def test_a_code_without_the_password_step_signs_nobody_in(gw):
    app = await gw.create_app()
    params = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": "https://app.example.test/callback",
              "scope": "openid", "state": "s3"}
    response = await gw.authorize_page(params)
    login = await gw.client.get(response.headers["Location"], allow_redirects=False)
    response = await _submit_code(gw, await login.text(), "123456")
    assert response.status == 200 and "Sign in again" in await response.text()


async def test_users_without_a_second_factor_sign_in_with_the_password_alone(gw):
    verifier, challenge = pkce_pair()
    app = await gw.create_app()
    callback = await gw.authorize(app["client_id"], scope="openid accounting.transactions", challenge=challenge,
                                  tenants=[DEMO_TENANT_ID])
    assert callback["code"]


async def test_enrolling_an_unknown_user_fails(data_dir, capsys):
    code = await asyncio.to_thread(main, ["users", "totp-enroll", "--email", "nobody@example.test",
                                          "--data-dir", str(data_dir)])
    assert code == 2 and "no user with e-mail nobody@example.test" in capsys.readouterr().err
