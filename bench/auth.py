"""Access tokens for the benchmark, obtained as a partner app would: the CLI registers the app, HTTP does the rest.

- :func:`custom_connection`: ``apps create --custom-connection`` then ``client_credentials`` at
  ``POST /{code}/connect/token`` (README "Register a partner app").
- :func:`qbo_connection`: ``sources set 1004`` with the emulator's URLs and a web app, then the authorization-code
  flow with PKCE through the gateway; the QBO emulator approves consent at once and grants its default realm.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp

from .procs import cli

REDIRECT_URI = "https://partner.example.test/callback"
SCOPES = "openid profile email offline_access accounting.transactions accounting.contacts accounting.settings " \
         "accounting.reports.read"
QBO_CLIENT_ID = "bench-qbo-app"  # the emulator accepts any developer app when none is configured
QBO_CLIENT_SECRET = "bench-qbo-secret"  # noqa: S105 - a loopback emulator's credential


@dataclass(frozen=True)
class Connection:
    """A bearer token and the tenant it reaches: the headers of an Accounting API call."""

    token: str
    tenant_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "xero-tenant-id": self.tenant_id,
                "Accept": "application/json"}


def _basic(client_id: str, client_secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()


async def custom_connection(base: str, *, data_dir: Path, config: Path | None = None) -> Connection:
    """A ``client_credentials`` token for the first tenant of the native ledger (code 1000).

    Raises:
        RuntimeError: a command or the token endpoint failed.
    """
    tenant = cli("tenants", "--code", "1000", data_dir=data_dir, config=config)[0]["tenantId"]
    app = cli("apps", "create", "--name", "bench", "--custom-connection", "--code", "1000", "--tenant", tenant,
              data_dir=data_dir, config=config)
    async with aiohttp.ClientSession() as session, session.post(
            f"{base}/1000/connect/token", data={"grant_type": "client_credentials"},
            headers={"Authorization": _basic(app["client_id"], app["client_secret"])}) as response:
        body = await response.json()
        if response.status != 200:
            raise RuntimeError(f"client_credentials token: {response.status} {body}")
    return Connection(body["access_token"], tenant)


def register_qbo(emulator: str, *, data_dir: Path) -> dict[str, str]:
    """``sources set 1004`` on the emulator, then a web app; the app's ``client_id`` and ``client_secret``."""
    cli("sources", "set", "1004", "--client-id", QBO_CLIENT_ID, "--client-secret", QBO_CLIENT_SECRET,
        "--authorize-url", f"{emulator}/connect/oauth2", "--token-url", f"{emulator}/oauth2/v1/tokens/bearer",
        "--revoke-url", f"{emulator}/v2/oauth2/tokens/revoke", "--api-base", emulator, data_dir=data_dir)
    return cli("apps", "create", "--name", "bench web app", "--redirect-uri", REDIRECT_URI, data_dir=data_dir)


def _query(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query, keep_blank_values=True).items()}


async def qbo_connection(base: str, app: dict[str, str]) -> Connection:
    """Partner app → gateway authorize → emulator consent → gateway callback → code → token → ``/connections``.

    Raises:
        RuntimeError: a step answered something else than the flow expects.
    """
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    # The gateway keeps the pending authorization in a cookie; aiohttp refuses cookies of IP hosts unless unsafe.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async def hop(url: str, **params: str) -> str:
            async with browser.get(url, params=params or None, allow_redirects=False) as response:
                if response.status != 302:
                    raise RuntimeError(f"GET {url}: {response.status} {await response.text()}")
                return response.headers["Location"]

        at_intuit = await hop(f"{base}/1004/identity/connect/authorize", response_type="code",
                              client_id=app["client_id"], redirect_uri=REDIRECT_URI, scope=SCOPES,
                              state="bench", code_challenge=challenge, code_challenge_method="S256")
        callback = await hop(at_intuit)
        answer = _query(await hop(callback))
        async with browser.post(f"{base}/1004/connect/token", data={
                "grant_type": "authorization_code", "code": answer["code"], "redirect_uri": REDIRECT_URI,
                "code_verifier": verifier},
                headers={"Authorization": _basic(app["client_id"], app["client_secret"])}) as response:
            tokens = await response.json()
            if response.status != 200:
                raise RuntimeError(f"authorization_code token: {response.status} {tokens}")
        async with browser.get(f"{base}/1004/connections",
                               headers={"Authorization": f"Bearer {tokens['access_token']}"}) as response:
            connections = await response.json()
    return Connection(tokens["access_token"], connections[0]["tenantId"])


async def emulator_token(emulator: str) -> tuple[str, str]:
    """A QBO access token and realm id of the emulator's own OAuth flow (for the direct baselines).

    Raises:
        RuntimeError: the emulator's consent or token endpoint failed.
    """
    redirect = "https://bench.example.test/qbo-callback"
    async with aiohttp.ClientSession() as browser:
        async with browser.get(f"{emulator}/connect/oauth2", allow_redirects=False, params={
                "client_id": QBO_CLIENT_ID, "response_type": "code", "redirect_uri": redirect,
                "scope": "com.intuit.quickbooks.accounting", "state": "bench"}) as response:
            if response.status != 302:
                raise RuntimeError(f"emulator consent: {response.status} {await response.text()}")
            answer = _query(response.headers["Location"])
        async with browser.post(f"{emulator}/oauth2/v1/tokens/bearer", data={
                "grant_type": "authorization_code", "code": answer["code"], "redirect_uri": redirect},
                headers={"Authorization": _basic(QBO_CLIENT_ID, QBO_CLIENT_SECRET),
                         "Accept": "application/json"}) as response:
            tokens = await response.json()
            if response.status != 200:
                raise RuntimeError(f"emulator token: {response.status} {tokens}")
    return tokens["access_token"], answer["realmId"]
