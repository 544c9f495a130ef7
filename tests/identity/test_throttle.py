"""Failed sign-ins and failed client authentications are throttled (issue 11, item 2; gateway.identity.throttle)."""

from __future__ import annotations

from urllib.parse import urlencode

from gateway.identity.throttle import ACCOUNT_FAILURES, WINDOW_S

from .fake_adapter import EMAIL
from .helpers import REDIRECT_URI, SCOPES
from .test_client_credentials import custom


async def login_location(gw) -> str:
    app = await gw.create_app()
    params = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI,
              "scope": SCOPES, "state": "s"}
    return gw.url("/identity/login") + "?" + urlencode({"authorize": urlencode(params)})


async def test_failed_sign_ins_lock_the_account_even_for_the_right_password(gw):
    location = await login_location(gw)
    for _ in range(ACCOUNT_FAILURES):
        response = await gw.sign_in(location, password="wrong")
        assert response.status == 200 and "not correct" in await response.text()

    response = await gw.sign_in(location)  # the right password, after too many failures
    assert response.status == 429
    assert int(response.headers["Retry-After"]) == WINDOW_S
    assert "Too many failed attempts" in await response.text()
    assert "Location" not in response.headers

    gw.state.clock.advance(WINDOW_S + 1)  # the failures leave the window
    response = await gw.sign_in(location)
    assert response.status == 302


async def test_fewer_failures_do_not_lock(gw):
    location = await login_location(gw)
    for _ in range(ACCOUNT_FAILURES - 1):
        await gw.sign_in(location, password="wrong")
    response = await gw.sign_in(location, email=EMAIL.upper())
    assert response.status == 302


async def test_wrong_client_secrets_are_throttled_per_client_id(gw):
    app = await custom(gw)
    data = {"grant_type": "client_credentials"}
    for _ in range(ACCOUNT_FAILURES):
        status, body = await gw.token(data, basic=(app["client_id"], "not-the-secret"))
        assert status == 401 and body["error"] == "invalid_client"

    status, body = await gw.token(data, basic=(app["client_id"], app["client_secret"]))
    assert status == 429
    assert body["error"] == "invalid_client" and "Too many failed attempts" in body["error_description"]

    gw.state.clock.advance(WINDOW_S + 1)
    status, body = await gw.token(data, basic=(app["client_id"], app["client_secret"]))
    assert status == 200, body
