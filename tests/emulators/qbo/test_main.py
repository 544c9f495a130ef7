"""``emulators.qbo.main``: a real process on a free loopback port prints one JSON line and serves it."""

from __future__ import annotations

import base64
import json
import urllib.parse
import urllib.request

from tests.emulators.qbo.conftest import SAMPLES
from tests.emulators.support import HTTP_TIMEOUT, authorize_callback, running


def test_main_prints_urls_and_serves():
    with running("-m", "emulators.qbo", "--seed", str(SAMPLES)) as (line, base):
        assert line == {"authorize_url": f"{base}/connect/oauth2", "token_url": f"{base}/oauth2/v1/tokens/bearer",
                        "revoke_url": f"{base}/v2/oauth2/tokens/revoke", "api_base": base}

        callback = authorize_callback(f"{line['authorize_url']}?" + urllib.parse.urlencode({
            "client_id": "demo", "response_type": "code", "state": "s", "scope": "com.intuit.quickbooks.accounting",
            "redirect_uri": "https://app.example.com/cb"}))
        code, realm_id = callback["code"][0], callback["realmId"][0]

        token_request = urllib.request.Request(line["token_url"], method="POST", data=urllib.parse.urlencode({
            "grant_type": "authorization_code", "code": code, "redirect_uri": "https://app.example.com/cb"}).encode(),
            headers={"Authorization": "Basic " + base64.b64encode(b"demo:demo-secret").decode(),
                     "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        with urllib.request.urlopen(token_request, timeout=HTTP_TIMEOUT) as response:
            access_token = json.loads(response.read())["access_token"]

        api = urllib.request.Request(f"{line['api_base']}/v3/company/{realm_id}/invoice/130?minorversion=75",
                                     headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"})
        with urllib.request.urlopen(api, timeout=HTTP_TIMEOUT) as response:
            assert json.loads(response.read())["Invoice"]["Id"] == "130"
