"""``emulators.sage_accounting.main``: a real process on a free loopback port prints one JSON line and serves it."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

from emulators.sage_accounting import spec
from tests.emulators.support import HTTP_TIMEOUT, authorize_callback, running

MAIN = "import sys; from emulators.sage_accounting import main; sys.exit(main(sys.argv[1:]))"


def test_main_prints_urls_and_serves():
    with running("-c", MAIN) as (line, base):
        assert line == {"authorize_url": f"{base}/oauth2/auth/central?filter=apiv3.1", "token_url": f"{base}/token",
                        "api_base": f"{base}/v3.1"}

        callback = authorize_callback(f"{line['authorize_url']}&" + urllib.parse.urlencode({
            "client_id": "demo", "response_type": "code", "state": "s", "scope": "full_access",
            "redirect_uri": "https://app.example.com/cb"}))
        assert callback["state"] == ["s"]

        token_request = urllib.request.Request(line["token_url"], method="POST", data=urllib.parse.urlencode({
            "grant_type": "authorization_code", "code": callback["code"][0], "redirect_uri": "https://app.example.com/cb",
            "client_id": "demo", "client_secret": "demo-secret"}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
        with urllib.request.urlopen(token_request, timeout=HTTP_TIMEOUT) as response:
            tokens = json.loads(response.read())
        assert tokens["expires_in"] == 300

        headers = {"Authorization": f"Bearer {tokens['access_token']}", "Accept": "application/json"}
        with urllib.request.urlopen(urllib.request.Request(f"{line['api_base']}/businesses", headers=headers),
                                    timeout=HTTP_TIMEOUT) as response:
            businesses = json.loads(response.read())
        lead = businesses["$items"][0]["id"]
        url = f"{line['api_base']}/sales_invoices?attributes=all"
        with urllib.request.urlopen(urllib.request.Request(url, headers={**headers, "X-Business": lead}),
                                    timeout=HTTP_TIMEOUT) as response:
            body = response.read()
        spec.validate("GET", url, 200, body)
        assert json.loads(body)["$total"] == 4
