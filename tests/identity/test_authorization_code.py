"""Authorization-code flow over plain HTTP: sign-in with CSRF, consent with tenant choice, code, token (PKCE)."""

from __future__ import annotations

import base64
import hashlib

from .fake_adapter import EMAIL, OTHER_TENANT, TENANT_A, TENANT_B, USER_ID
from .helpers import REDIRECT_URI, SCOPES, claims_of, first_form, hidden_fields, pkce_pair, query_of


async def test_full_flow_public_pkce_client(gw):
    app = await gw.create_app(name="Desktop App", public=True)
    assert app["client_secret"] is None
    verifier, challenge = pkce_pair()
    callback = await gw.authorize(app["client_id"], challenge=challenge, state="s-1", extra={"nonce": "n-42"})
    assert callback["state"] == "s-1"
    assert callback["scope"] == SCOPES
    assert set(callback) == {"code", "scope", "state"}

    status, token = await gw.token({"grant_type": "authorization_code", "code": callback["code"],
                                    "redirect_uri": REDIRECT_URI, "client_id": app["client_id"],
                                    "code_verifier": verifier})
    assert status == 200, token
    assert token["token_type"] == "Bearer" and token["expires_in"] == 1800
    assert token["scope"] == SCOPES
    assert token["refresh_token"] and token["id_token"]

    access = claims_of(token["access_token"], gw.state)
    assert access["iss"] == "http://127.0.0.1:18080/1000"
    assert access["aud"] == "https://identity.xero.com/resources"
    assert access["client_id"] == app["client_id"] and access["sub"] == USER_ID
    assert access["xero_userid"] == USER_ID
    assert access["scope"] == SCOPES.split()
    assert access["exp"] - access["nbf"] == 1800
    assert {"jti", "global_session_id", "authentication_event_id", "auth_time"} <= set(access)

    ident = claims_of(token["id_token"], gw.state)
    assert ident["aud"] == app["client_id"] and ident["iss"] == access["iss"]
    assert ident["nonce"] == "n-42"
    assert ident["email"] == EMAIL and ident["preferred_username"] == EMAIL
    assert ident["given_name"] == "Alice" and ident["family_name"] == "Example"
    assert ident["xero_userid"] == USER_ID and ident["sid"] == access["global_session_id"]
    assert ident["auth_time"] == access["auth_time"]
    digest = hashlib.sha256(token["access_token"].encode()).digest()
    assert ident["at_hash"] == base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


async def test_token_response_headers_and_confidential_client_post_auth(gw):
    app = await gw.create_app()
    verifier, challenge = pkce_pair()
    callback = await gw.authorize(app["client_id"], challenge=challenge)
    response = await gw.client.post(gw.url("/identity/connect/token"), data={
        "grant_type": "authorization_code", "code": callback["code"], "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier, "client_id": app["client_id"], "client_secret": app["client_secret"]})
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"].startswith("application/json")


async def test_confidential_client_basic_auth_without_pkce(gw):
    app = await gw.create_app()
    callback = await gw.authorize(app["client_id"])
    token = await gw.exchange(app, callback)
    assert token["scope"] == SCOPES


async def test_bad_client_secret_is_invalid_client(gw):
    app = await gw.create_app()
    callback = await gw.authorize(app["client_id"])
    data = {"grant_type": "authorization_code", "code": callback["code"], "redirect_uri": REDIRECT_URI}
    status, body = await gw.token(data, basic=(app["client_id"], "not-the-secret"))
    assert status == 401 and body["error"] == "invalid_client"
    status, body = await gw.token({**data, "client_id": app["client_id"], "client_secret": "wrong"})
    assert status in (400, 401) and body["error"] == "invalid_client"
    # A confidential client cannot fall back to "none".
    status, body = await gw.token({**data, "client_id": app["client_id"]})
    assert status in (400, 401) and body["error"] == "invalid_client"


async def test_wrong_verifier_is_invalid_grant(gw):
    app = await gw.create_app(public=True)
    _, challenge = pkce_pair()
    other_verifier, _ = pkce_pair()
    callback = await gw.authorize(app["client_id"], challenge=challenge)
    status, body = await gw.token({"grant_type": "authorization_code", "code": callback["code"],
                                   "redirect_uri": REDIRECT_URI, "client_id": app["client_id"],
                                   "code_verifier": other_verifier})
    assert status == 400 and body["error"] == "invalid_grant"


async def test_public_client_needs_pkce_and_plain_is_refused(gw):
    app = await gw.create_app(public=True)
    base = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI,
            "scope": SCOPES, "state": "abc"}
    response = await gw.authorize_page(base)
    assert response.status == 302
    sent_back = query_of(response.headers["Location"])
    assert response.headers["Location"].startswith(REDIRECT_URI)
    assert sent_back["error"] == "invalid_request" and sent_back["state"] == "abc"

    verifier, _ = pkce_pair()
    response = await gw.authorize_page({**base, "code_challenge": verifier, "code_challenge_method": "plain"})
    assert query_of(response.headers["Location"])["error"] == "invalid_request"
    response = await gw.authorize_page({**base, "code_challenge": verifier})  # method omitted = plain
    assert query_of(response.headers["Location"])["error"] == "invalid_request"


async def test_redirect_uri_mismatch_shows_error_page_never_redirects(gw):
    app = await gw.create_app()
    for uri in (REDIRECT_URI + "/x", REDIRECT_URI.replace("https", "http"), "https://evil.example/callback",
                REDIRECT_URI + "?a=1"):
        response = await gw.authorize_page({"response_type": "code", "client_id": app["client_id"],
                                            "redirect_uri": uri, "scope": SCOPES, "state": "s"})
        assert response.status == 400, uri
        assert "Location" not in response.headers
        assert response.headers["Content-Type"].startswith("text/html")
    response = await gw.authorize_page({"response_type": "code", "client_id": app["client_id"], "scope": SCOPES})
    assert response.status == 400 and "Location" not in response.headers


async def test_unknown_client_shows_error_page(gw):
    response = await gw.authorize_page({"response_type": "code", "client_id": "NOPE", "redirect_uri": REDIRECT_URI,
                                        "scope": SCOPES, "state": "s"})
    assert response.status == 400 and "Location" not in response.headers
    assert "does not exist" in await response.text()


async def test_redirect_uri_must_match_at_token_endpoint(gw):
    app = await gw.create_app(redirect_uris=[REDIRECT_URI, "https://app.example.test/other"])
    callback = await gw.authorize(app["client_id"])
    status, body = await gw.token({"grant_type": "authorization_code", "code": callback["code"],
                                   "redirect_uri": "https://app.example.test/other"},
                                  basic=(app["client_id"], app["client_secret"]))
    assert status == 400 and body["error"] == "invalid_grant"


async def test_code_is_single_use(gw):
    app = await gw.create_app()
    callback = await gw.authorize(app["client_id"])
    first = await gw.exchange(app, callback)
    status, body = await gw.token({"grant_type": "authorization_code", "code": callback["code"],
                                   "redirect_uri": REDIRECT_URI}, basic=(app["client_id"], app["client_secret"]))
    assert status == 400 and body["error"] == "invalid_grant"
    # The replay revokes the token set issued from the code (RFC 6749 §4.1.2; issue 11, item 9).
    status, _ = await gw.refresh(app, first["refresh_token"])
    assert status == 400


async def test_code_expires(gw):
    app = await gw.create_app()
    callback = await gw.authorize(app["client_id"])
    gw.state.clock.advance(gw.state.settings.identity.authorization_code_lifetime + 1)
    status, body = await gw.token({"grant_type": "authorization_code", "code": callback["code"],
                                   "redirect_uri": REDIRECT_URI}, basic=(app["client_id"], app["client_secret"]))
    assert status == 400 and body["error"] == "invalid_grant"


async def test_code_of_another_client_is_refused(gw):
    app = await gw.create_app()
    other = await gw.create_app(name="Other")
    callback = await gw.authorize(app["client_id"])
    status, body = await gw.token({"grant_type": "authorization_code", "code": callback["code"],
                                   "redirect_uri": REDIRECT_URI}, basic=(other["client_id"], other["client_secret"]))
    assert status == 400 and body["error"] == "invalid_grant"


async def test_deny_redirects_with_access_denied_and_state(gw):
    app = await gw.create_app()
    callback = await gw.authorize(app["client_id"], state="keep-me", approve=False)
    assert callback["error"] == "access_denied" and callback["state"] == "keep-me"
    assert "code" not in callback


async def test_nobody_gets_a_code_without_signing_in(gw):
    app = await gw.create_app()
    params = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI,
              "scope": SCOPES, "state": "s"}
    response = await gw.authorize_page(params)
    assert response.status == 302 and "/1000/identity/login?" in response.headers["Location"]
    # Posting a consent without a session: CSRF fails first.
    response = await gw.client.post(gw.url("/identity/consent"), data={"authorize": "x", "decision": "approve"},
                                    allow_redirects=False)
    assert response.status == 400 and "Location" not in response.headers
    # Wrong password: the form again, no redirect.
    login = await gw.sign_in(response_location(params, gw), password="wrong")
    assert login.status == 200 and "not correct" in await login.text()


def response_location(params, gw) -> str:
    from urllib.parse import urlencode

    return gw.url("/identity/login") + "?" + urlencode({"authorize": urlencode(params)})


async def test_login_post_without_csrf_token_is_refused(gw):
    app = await gw.create_app()
    response = await gw.authorize_page({"response_type": "code", "client_id": app["client_id"],
                                        "redirect_uri": REDIRECT_URI, "scope": SCOPES})
    page = await gw.client.get(response.headers["Location"])
    form = first_form(await page.text())
    fields = hidden_fields(form)
    response = await gw.client.post(form["action"], data={"authorize": fields["authorize"], "email": EMAIL,
                                                          "password": "x", "csrf_token": "forged"},
                                    allow_redirects=False)
    assert response.status == 400 and "Location" not in response.headers


async def test_consent_with_forged_csrf_is_refused(gw):
    app = await gw.create_app()
    params = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI,
              "scope": SCOPES, "state": "s"}
    response = await gw.authorize_page(params)
    response = await gw.sign_in(response.headers["Location"])
    page = await gw.client.get(response.headers["Location"])
    response = await gw.consent(await page.text(), csrf="forged")
    assert response.status == 400 and "Location" not in response.headers


async def test_session_cookie_flags(gw):
    app = await gw.create_app()
    response = await gw.authorize_page({"response_type": "code", "client_id": app["client_id"],
                                        "redirect_uri": REDIRECT_URI, "scope": SCOPES})
    page = await gw.client.get(response.headers["Location"])
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # settings.identity.secure_cookies is false by default


async def test_consent_page_escapes_and_offers_only_the_users_tenants(gw):
    app = await gw.create_app(name='<script>alert("x")</script> Books')
    response = await gw.authorize_page({"response_type": "code", "client_id": app["client_id"],
                                        "redirect_uri": REDIRECT_URI, "scope": SCOPES, "state": '"><b>'})
    response = await gw.sign_in(response.headers["Location"])
    page = await gw.client.get(response.headers["Location"])
    html = await page.text()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Alpha &lt;Trading&gt; &amp; Co" in html and "Beta Ltd" in html
    assert "Gamma" not in html
    assert "<b>" not in html
    assert sorted(checkboxes_of(html)) == sorted([TENANT_A, TENANT_B])
    assert "accounting.transactions" in html


def checkboxes_of(html: str) -> list[str]:
    from .helpers import checkboxes

    return checkboxes(first_form(html))


async def test_tenant_choice_creates_connections_for_chosen_tenants_only(gw):
    app, token = await gw.user_token(tenants=[TENANT_B])
    response = await gw.get("/connections", token["access_token"])
    body = await response.json()
    assert [c["tenantId"] for c in body] == [TENANT_B]
    assert body[0]["authEventId"] == claims_of(token["access_token"], gw.state)["authentication_event_id"]


async def test_tenant_outside_the_users_set_or_none_is_refused(gw):
    app = await gw.create_app()
    params = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI,
              "scope": SCOPES, "state": "s"}
    response = await gw.authorize_page(params)
    response = await gw.sign_in(response.headers["Location"])
    page = await gw.client.get(response.headers["Location"])
    html = await page.text()
    response = await gw.consent(html, tenants=[OTHER_TENANT])
    assert response.status == 400 and "Location" not in response.headers
    response = await gw.consent(html, tenants=[])
    assert response.status == 400 and "Location" not in response.headers


async def test_identity_only_scopes_need_no_tenant(gw):
    app = await gw.create_app()
    verifier, challenge = pkce_pair()
    callback = await gw.authorize(app["client_id"], scope="openid profile email", challenge=challenge, tenants=[])
    token = await gw.exchange(app, callback, verifier=verifier)
    assert token["scope"] == "openid profile email"
    assert "refresh_token" not in token and token["id_token"]


async def test_scope_outside_the_apps_set_is_refused(gw):
    app = await gw.create_app(scopes=["accounting.contacts"])
    response = await gw.authorize_page({"response_type": "code", "client_id": app["client_id"],
                                        "redirect_uri": REDIRECT_URI, "scope": "openid accounting.transactions",
                                        "state": "s"})
    assert response.status == 302
    assert query_of(response.headers["Location"])["error"] == "invalid_scope"


async def test_upstream_sign_in_source_without_registered_app_names_the_command(gw):
    # The upstream flow itself is covered by tests/upstream; without the operator's developer app it cannot start.
    app = await gw.create_app()
    response = await gw.authorize_page({"response_type": "code", "client_id": app["client_id"],
                                        "redirect_uri": REDIRECT_URI, "scope": SCOPES}, code="1004")
    assert response.status == 503 and "xero-gateway sources set 1004" in await response.text()


async def test_second_consent_reuses_the_session_and_updates_the_connection(gw):
    app, first = await gw.user_token(tenants=[TENANT_A])
    before = (await (await gw.get("/connections", first["access_token"])).json())[0]
    gw.state.clock.advance(5)
    # Signed in already: authorize goes straight to the consent page.
    _, second = await gw.user_token(app, tenants=[TENANT_A])
    after = (await (await gw.get("/connections", second["access_token"])).json())
    assert len(after) == 1
    assert after[0]["id"] == before["id"] and after[0]["createdDateUtc"] == before["createdDateUtc"]
    assert after[0]["updatedDateUtc"] > before["updatedDateUtc"]
    assert after[0]["authEventId"] == claims_of(second["access_token"], gw.state)["authentication_event_id"]


async def test_replayed_code_revokes_the_tokens_issued_from_it(gw):
    """RFC 6749 §4.1.2: a code used twice is refused and the tokens issued from it are revoked (issue 11, item 9)."""
    app = await gw.create_app()
    callback = await gw.authorize(app["client_id"])
    token = await gw.exchange(app, callback)
    assert (await gw.get("/connections", token["access_token"])).status == 200

    data = {"grant_type": "authorization_code", "code": callback["code"], "redirect_uri": REDIRECT_URI}
    status, body = await gw.token(data, basic=(app["client_id"], app["client_secret"]))
    assert status == 400 and body["error"] == "invalid_grant"

    assert (await gw.get("/connections", token["access_token"])).status == 401
    status, body = await gw.refresh(app, token["refresh_token"])
    assert status == 400 and body["error"] == "invalid_grant"
