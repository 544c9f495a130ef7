"""Host mode in process (gateway/hostmode): Xero's paths at the root for Xero's hostnames, the source chooser,
tokens under ``https://identity.xero.com``, and calls routed to the source of their grant, token or tenant."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

from gateway.settings import load_settings
from tests.identity.fake_adapter import TENANT_A
from tests.identity.helpers import (
    REDIRECT_URI,
    SCOPES,
    checkboxes,
    claims_of,
    first_form,
    hidden_fields,
    pkce_pair,
    query_of,
    ticked_scopes,
)

from .fake_sources import EMAIL, PASSWORD, TENANT_C

IDENTITY = {"Host": "identity.xero.com"}
LOGIN = {"Host": "login.xero.com"}
API = {"Host": "api.xero.com"}


def _basic(app) -> dict[str, str]:
    pair = f"{app['client_id']}:{app['client_secret']}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode()}


async def _consent_via_chooser(gw, app, *, source: str, email: str, password: str) -> dict[str, str]:
    """login.xero.com's authorize → chooser → ``source``'s own sign-in and consent → the callback query."""
    verifier, challenge = pkce_pair()
    params = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT_URI,
              "scope": SCOPES, "state": "hm-1", "code_challenge": challenge, "code_challenge_method": "S256"}
    page = await gw.client.get("/identity/connect/authorize", params=params, headers=LOGIN, allow_redirects=False)
    assert page.status == 200, await page.text()
    form = first_form(await page.text())
    offered = [i["value"] for i in form["inputs"] if i.get("name") == "source"]
    assert offered == ["1000", "1009"]  # 1004 (upstream, no developer app registered) and 1001 are not offered
    chosen = await gw.client.get(form["action"], params={**hidden_fields(form), "source": source}, headers=LOGIN,
                                 allow_redirects=False)
    assert chosen.status == 302
    location = chosen.headers["Location"]
    assert location.startswith(f"/{source}/identity/connect/authorize?")
    assert parse_qs(urlsplit(location).query)["client_id"] == [app["client_id"]]  # the query carried as it was
    page = await gw.client.get(location, headers=LOGIN, allow_redirects=False)
    if page.status == 302:  # not signed in to this source yet
        login_page = await gw.client.get(page.headers["Location"], headers=LOGIN, allow_redirects=False)
        form = first_form(await login_page.text())
        signed = await gw.client.post(form["action"], headers=LOGIN, allow_redirects=False,
                                      data={**hidden_fields(form), "email": email, "password": password})
        page = await gw.client.get(signed.headers["Location"], headers=LOGIN, allow_redirects=False)
    form = first_form(await page.text())  # the consent page, on login.xero.com as in a browser
    data = [*hidden_fields(form).items(), *(("scope", s) for s in ticked_scopes(form)),
            *(("tenant", t) for t in checkboxes(form)), ("decision", "approve")]
    done = await gw.client.post(form["action"], data=data, headers=LOGIN, allow_redirects=False)
    assert done.status == 302, await done.text()
    return {**query_of(done.headers["Location"]), "code_verifier": verifier}


async def _token(gw, app, data, *, headers=IDENTITY):
    response = await gw.client.post("/connect/token", data=data, headers={**headers, **_basic(app)})
    return response.status, await response.json()


async def test_discovery_names_the_xero_hosts_the_client_used(gw):
    body = await (await gw.client.get("/.well-known/openid-configuration", headers=IDENTITY)).json()
    assert body["issuer"] == "https://identity.xero.com"
    assert body["authorization_endpoint"] == "https://login.xero.com/identity/connect/authorize"
    assert body["token_endpoint"] == "https://identity.xero.com/connect/token"
    assert body["jwks_uri"] == "https://identity.xero.com/.well-known/openid-configuration/jwks"
    assert (await (await gw.client.get(body["jwks_uri"][len("https://identity.xero.com"):],
                                       headers=IDENTITY)).json())["keys"]
    on_port = await (await gw.client.get("/.well-known/openid-configuration",
                                         headers={"Host": "identity.xero.com:8443"})).json()
    assert on_port["issuer"] == "https://identity.xero.com:8443"
    assert on_port["authorization_endpoint"] == "https://login.xero.com:8443/identity/connect/authorize"
    # other hosts: no host mode; /{code} routes unchanged on every host
    assert (await gw.client.get("/.well-known/openid-configuration")).status == 404
    own = await (await gw.client.get("/1000/.well-known/openid-configuration", headers=IDENTITY)).json()
    assert own["issuer"] == gw.state.settings.issuer("1000")


async def test_chooser_refuses_unknown_clients_and_sources(gw):
    app = await gw.create_app()
    unknown = await gw.client.get("/identity/connect/authorize", params={"client_id": "nobody", "state": "x"},
                                  headers=LOGIN, allow_redirects=False)
    assert unknown.status == 400 and "Location" not in unknown.headers
    bad = await gw.client.get("/identity/connect/source", headers=LOGIN, allow_redirects=False,
                              params={"authorize": f"client_id={app['client_id']}", "source": "1004"})
    assert bad.status == 400 and "Location" not in bad.headers


async def test_host_mode_flow_routes_every_call_to_the_chosen_source(gw):
    app = await gw.create_app()
    callback = await _consent_via_chooser(gw, app, source="1009", email=EMAIL, password=PASSWORD)
    status, tokens = await _token(gw, app, {"grant_type": "authorization_code", "code": callback["code"],
                                            "redirect_uri": REDIRECT_URI, "code_verifier": callback["code_verifier"]})
    assert status == 200, tokens
    access = claims_of(tokens["access_token"], gw.state)
    assert access["iss"] == "https://identity.xero.com" and claims_of(tokens["id_token"], gw.state)["iss"] == (
        "https://identity.xero.com")
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}

    connections = await (await gw.client.get("/Connections", headers={**API, **bearer})).json()
    assert [c["tenantId"] for c in connections] == [TENANT_C]
    userinfo = await (await gw.client.get("/connect/userinfo", headers={**IDENTITY, **bearer})).json()
    assert userinfo["email"] == EMAIL

    probe = await gw.client.get("/_test/guard", params={"scopes": "accounting.transactions"},
                                headers={**API, **bearer, "xero-tenant-id": TENANT_C.upper()})
    assert (await probe.json())["source_code"] == "1009"
    # a tenant of another source that this token was not granted: Xero's 403, not someone else's data
    other = await gw.client.get("/_test/guard", headers={**API, **bearer, "xero-tenant-id": TENANT_A})
    assert other.status == 403
    # the token is host mode's: not one of /1009's (their issuer is the gateway's own URL)
    assert (await gw.client.get("/1009/connections", headers=bearer)).status == 401

    status, refreshed = await _token(gw, app, {"grant_type": "refresh_token",
                                               "refresh_token": tokens["refresh_token"]})
    assert status == 200, refreshed
    assert claims_of(refreshed["access_token"], gw.state)["iss"] == "https://identity.xero.com"
    revoked = await gw.client.post("/connect/revocation", data={"token": refreshed["refresh_token"]},
                                   headers={**IDENTITY, **_basic(app)})
    assert revoked.status == 200
    gone = await gw.client.get("/connections", headers={**API, "Authorization": f"Bearer {refreshed['access_token']}"})
    assert gone.status == 401


async def test_client_credentials_in_host_mode(gw):
    app = await gw.create_app(custom_connection=True, code="1009", tenant_id=TENANT_C)
    status, body = await _token(gw, app, {"grant_type": "client_credentials"})
    assert status == 200, body
    assert claims_of(body["access_token"], gw.state)["iss"] == "https://identity.xero.com"
    probe = await gw.client.get("/_test/guard", headers={**API, "Authorization": f"Bearer {body['access_token']}"})
    assert (await probe.json())["source_code"] == "1009"


async def test_other_xero_apis_answer_501_in_host_mode(gw):
    response = await gw.client.get("/payroll.xro/1.0/Employees", headers=API)
    assert response.status == 501


def test_tls_settings_and_context(tmp_path):
    import pytest
    from pydantic import ValidationError

    from gateway.hostmode.tls import server_context

    with pytest.raises(ValidationError):
        load_settings(tls_cert=str(tmp_path / "cert.pem"))
    settings = load_settings(tls_cert=str(tmp_path / "cert.pem"), tls_key=str(tmp_path / "key.pem"), port=8443)
    assert settings.public_url == "https://127.0.0.1:8443"
    with pytest.raises(ValueError, match="cert.pem"):
        server_context(settings.tls)
    assert server_context(load_settings().tls) is None


def test_serve_refuses_an_unreadable_certificate(tmp_path, capsys):
    from gateway.cli import main

    missing = tmp_path / "missing.pem"
    status = main(["serve", "--data-dir", str(tmp_path / "data"), "--port", "0", "--host-mode",
                   "--tls-cert", str(missing), "--tls-key", str(missing)])
    assert status == 2 and str(missing) in capsys.readouterr().err


async def test_one_token_reaches_the_tenants_of_every_source_consented_from_the_same_browser(gw):
    from tests.identity.fake_adapter import EMAIL as ALICE
    from tests.identity.fake_adapter import PASSWORD as ALICE_PASSWORD
    from tests.identity.fake_adapter import TENANT_B

    app = await gw.create_app()
    first = await _consent_via_chooser(gw, app, source="1000", email=ALICE, password=ALICE_PASSWORD)
    second = await _consent_via_chooser(gw, app, source="1009", email=EMAIL, password=PASSWORD)
    tokens = []
    for callback in (first, second):
        status, body = await _token(gw, app, {"grant_type": "authorization_code", "code": callback["code"],
                                              "redirect_uri": REDIRECT_URI,
                                              "code_verifier": callback["code_verifier"]})
        assert status == 200, body
        tokens.append({"Authorization": f"Bearer {body['access_token']}"})
    latest = tokens[1]
    listed = await (await gw.client.get("/connections", headers={**API, **latest})).json()
    assert sorted(c["tenantId"] for c in listed) == sorted([TENANT_A, TENANT_B, TENANT_C])
    probe = await gw.client.get("/_test/guard", headers={**API, **latest, "xero-tenant-id": TENANT_A})
    assert probe.status == 200 and (await probe.json())["source_code"] == "1000"
    assert (await (await gw.client.get("/_test/guard", headers={**API, **tokens[0], "xero-tenant-id": TENANT_C})
                   ).json())["source_code"] == "1009"

    # deleting the 1000 connection through the 1009 token ends that access, as a deletion does
    alpha = next(c["id"] for c in listed if c["tenantId"] == TENANT_A)
    assert (await gw.client.delete(f"/connections/{alpha}", headers={**API, **latest})).status == 204
    assert (await gw.client.get("/_test/guard", headers={**API, **latest, "xero-tenant-id": TENANT_A})).status == 403
    assert (await gw.client.delete(f"/connections/{alpha}", headers={**API, **latest})).status == 404

    # another browser: its consent is not linked to these
    gw.client.session.cookie_jar.clear()
    third = await _consent_via_chooser(gw, app, source="1009", email=EMAIL, password=PASSWORD)
    status, body = await _token(gw, app, {"grant_type": "authorization_code", "code": third["code"],
                                          "redirect_uri": REDIRECT_URI, "code_verifier": third["code_verifier"]})
    other = {"Authorization": f"Bearer {body['access_token']}"}
    assert (await gw.client.get("/_test/guard", headers={**API, **other, "xero-tenant-id": TENANT_B})).status == 403
