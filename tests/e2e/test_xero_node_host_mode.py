"""Host mode with the official xero-node, unmodified (issue 12): its whole flow against a gateway that serves
Xero's hostnames over TLS.

The SDK and the integrator's code (xero_node/host_mode_flow.js) are as Xero's docs write them; only the test
process's name resolution is pointed at the gateway (xero_node/xero_hosts.js, preloaded: *.xero.com → 127.0.0.1,
port 443 → the gateway's port) and the test CA trusted (NODE_EXTRA_CA_CERTS), as an operator does with DNS and
their own CA. The browser part of the consent (source chooser, sign-in, consent) is driven here over HTTPS.

The host-mode gateway is a second ``serve`` process on the session gateway's data directory (already seeded: it
starts in a couple of seconds; the two share the database as ``serve --workers`` does).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest
import requests

from .certs import XERO_HOSTS, ServerCertificates, make_certificates
from .conftest import STARTUP_TIMEOUT, free_port
from .node_sdk import node_sdk
from .oauth_browser import _submit

pytestmark = pytest.mark.slow

REDIRECT_URI = "https://localhost:5000/callback"
EMAIL, PASSWORD = "demo@xero-gateway.local", "demo-ledger-password"  # noqa: S105 - the demo company's defaults
FLOW_TIMEOUT = 180  # seconds for the whole SDK run; past it the SDK is killed and the test fails


class _Buttons(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "button" and a.get("name") == "source":
            self.sources.append(a.get("value") or "")


def source_buttons(html: str) -> list[str]:
    parser = _Buttons()
    parser.feed(html)
    return parser.sources


class HostModeGateway:
    def __init__(self, port: int, certs: ServerCertificates) -> None:
        self.port, self.certs = port, certs

    def local(self, url: str) -> tuple[str, str]:
        """``https://login.xero.com/x?y`` → (``https://127.0.0.1:PORT/x?y``, ``login.xero.com``)."""
        parts = urlsplit(url)
        return urlunsplit(("https", f"127.0.0.1:{self.port}", parts.path, parts.query, "")), parts.hostname or ""


@pytest.fixture(scope="module")
def host_gateway(gateway, tmp_path_factory) -> HostModeGateway:
    certs = make_certificates(tmp_path_factory.mktemp("certs"))
    port = free_port()
    log = gateway.data_dir / "serve-host-mode.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gateway", "serve", "--port", str(port), "--data-dir", str(gateway.data_dir),
             "--config", str(gateway.data_dir / "e2e.toml"), "--host-mode", "--tls-cert", str(certs.cert),
             "--tls-key", str(certs.key)], stdout=out, stderr=subprocess.STDOUT)
    hm = HostModeGateway(port, certs)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        if proc.poll() is not None:
            pytest.fail(f"host-mode gateway exited with {proc.returncode}:\n{log.read_text()}")
        try:
            r = requests.get(f"https://127.0.0.1:{port}/.well-known/openid-configuration", timeout=2,
                             verify=str(certs.ca), headers={"Host": "identity.xero.com"})
            if r.status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"host-mode gateway did not start:\n{log.read_text()}")
        time.sleep(0.2)
    yield hm
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()


def consent(hm: HostModeGateway, consent_url: str, *, source: str, max_steps: int = 10) -> str:
    """Be the person in the browser: choose ``source``, sign in, allow; return the callback URL."""
    session = requests.Session()
    session.trust_env = False  # else REQUESTS_CA_BUNDLE would win over the test CA
    session.verify = str(hm.certs.ca)
    url, chooser_seen = consent_url, False
    for _ in range(max_steps):
        if url.startswith(REDIRECT_URI):
            assert chooser_seen, "the source chooser was never shown"
            return url
        local, host = hm.local(url)
        assert host in XERO_HOSTS, url  # every page of the flow stays on Xero's hostnames
        session.headers["Host"] = host  # requests files cookies under the Host header's name
        response = session.get(local, allow_redirects=False, timeout=30)
        while response.status_code == 200:
            sources = source_buttons(response.text)
            if sources:
                chooser_seen = True
                assert source in sources, sources
                response = session.get(urljoin(local, "/identity/connect/source"), allow_redirects=False,
                                       timeout=30, params={"authorize": urlsplit(url).query, "source": source})
            else:
                response = _submit(session, local, response.text, email=EMAIL, password=PASSWORD, approve=True)
        assert response.status_code == 302, f"{response.status_code} at {url}: {response.text[:1000]}"
        location = response.headers["Location"]
        url = location if location.startswith("https://localhost") else urljoin(f"https://{host}/", location)
    raise AssertionError("the consent did not reach the redirect URI")


def _read_step(proc: subprocess.Popen, name: str) -> dict:
    line = proc.stdout.readline()  # bounded: the watchdog kills the SDK after FLOW_TIMEOUT
    if not line:
        proc.wait(10)
        pytest.fail(f"xero-node stopped before {name}:\n{proc.stderr.read()}")
    step = json.loads(line)
    assert step["step"] == name, step
    return step


def test_xero_node_whole_flow_in_host_mode(gateway, host_gateway):
    sdk = node_sdk()
    app = gateway.cli_json("apps", "create", "--name", "Host-mode node app", "--redirect-uri", REDIRECT_URI)
    custom = gateway.cli_json("apps", "create", "--name", "Host-mode custom connection", "--custom-connection",
                              "--code", "1000", "--tenant", gateway.tenant_id)
    env = {**os.environ, "XERO_GATEWAY_PORT": str(host_gateway.port),
           "NODE_EXTRA_CA_CERTS": str(host_gateway.certs.ca),
           "APP": json.dumps({**app, "redirect_uri": REDIRECT_URI, "cc_client_id": custom["client_id"],
                              "cc_client_secret": custom["client_secret"], "cc_tenant_id": gateway.tenant_id})}
    proc = subprocess.Popen(["node", "--require", str(Path(sdk, "xero_hosts.js")), str(Path(sdk, "host_mode_flow.js"))],
                            cwd=sdk, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    watchdog = threading.Timer(FLOW_TIMEOUT, proc.kill)
    watchdog.start()
    try:
        assert _read_step(proc, "initialize")["issuer"] == "https://identity.xero.com"
        consent_url = _read_step(proc, "consent")["consentUrl"]
        assert consent_url.startswith("https://login.xero.com/identity/connect/authorize?")
        proc.stdin.write(consent(host_gateway, consent_url, source="1000") + "\n")
        proc.stdin.flush()

        claims = _read_step(proc, "apiCallback")  # openid-client verified the id_token: iss, aud, signature
        assert claims["claims"]["iss"] == "https://identity.xero.com"
        assert claims["claims"]["aud"] == app["client_id"] and claims["hasRefreshToken"]
        tenants = _read_step(proc, "updateTenants")["tenants"]
        assert [t["tenantId"] for t in tenants] == [gateway.tenant_id]
        assert tenants[0]["name"] == gateway.tenant_name
        assert _read_step(proc, "getOrganisations")["name"] == gateway.tenant_name
        assert _read_step(proc, "getInvoices")["count"] > 0
        created = _read_step(proc, "createInvoices")
        assert created["subTotal"] == 25 and created["status"] == "DRAFT"
        refreshed = _read_step(proc, "refreshWithRefreshToken")
        assert refreshed["rotated"] and refreshed["newAccessToken"]
        assert refreshed["invoiceID"] == created["invoiceID"]
        assert _read_step(proc, "disconnect")["tenants"] == 0
        cc = _read_step(proc, "getClientCredentialsToken")
        assert cc["tokenType"] == "Bearer" and cc["name"] == gateway.tenant_name
        assert proc.wait(FLOW_TIMEOUT) == 0, proc.stderr.read()
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
