"""Host mode with the real sources: the native ledger (one small company) under 1000, the QBO and Sage emulators in
process as the upstreams of 1004 and 1009, and a browser that keeps its cookies per host as a real one does.

The browser matters: the consent flows keep their state in a host-only session cookie, and host mode links the
consents of one browser by a cookie on ``login.xero.com`` (gateway/hostmode/links.py), so a test that shared one
cookie jar across hosts could not see a flow that leaves one host and comes back on another. URLs on an emulator
go to it; every other URL (Xero's hostnames, the gateway's own ``public_url``) goes to the gateway's test server
with the URL's host in ``Host``, as DNS pointing those names at the gateway would do.

Fixtures (import them into the test module): ``fake_sources`` (overrides tests/hostmode/conftest.py's fakes with
the real adapters), ``host_stack``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from yarl import URL

import mappings
from adapters.native.resources.company import create_uk_company
from adapters.registry import ADAPTERS
from emulators.qbo import create_app as create_qbo_emulator
from emulators.sage_accounting import create_app as create_sage_emulator
from gateway.app import create_app
from gateway.appkeys import IDENTITY
from gateway.identity import apps
from gateway.identity.keys import SIGNING_KEY_FILE
from gateway.settings import load_settings
from gateway.upstream import registry
from tests.identity.helpers import checkboxes, first_form, hidden_fields, pkce_pair, query_of, ticked_scopes
from tests.support import qbo as qbo_support
from tests.support import sage as sage_support

LOGIN = "https://login.xero.com"
IDENTITY_HOST = "https://identity.xero.com"
API_HOST = "https://api.xero.com"
REDIRECT_URI = "https://partner.example.test/callback"
SCOPES = "openid profile email offline_access accounting.transactions accounting.settings"
#: The native ledger's company and its user (a UK company with Xero's default chart, no documents).
NATIVE_TENANT = "5d2c8a41-7f3e-4b6a-9c0d-1e2f3a4b5c6d"
NATIVE_COMPANY = "Native Host Mode Ltd"
NATIVE_EMAIL = "owner@native.example.test"
NATIVE_PASSWORD = "native host mode password"  # noqa: S105 - a test user's password
#: Redirects one browser navigation may follow before the test gives up (the longest flow takes five).
MAX_HOPS = 10


@dataclass
class Page:
    """One answer the browser got: its URL (as the browser addressed it), status, headers and body."""

    url: URL
    status: int
    headers: dict[str, str]
    text: str


@dataclass
class Browser:
    """A browser on loopback: one cookie jar with the real per-host rules, never sharing cookies across hosts.

    Attributes:
        upstreams: origins (``http://127.0.0.1:PORT``) served by the emulators themselves.
        visited: every URL requested, in order (what the person's address bar showed).
    """

    gateway: TestClient
    upstreams: tuple[str, ...]
    jar: aiohttp.CookieJar = field(default_factory=lambda: aiohttp.CookieJar(unsafe=True))
    visited: list[URL] = field(default_factory=list)

    def _target(self, url: URL) -> tuple[str, dict[str, str]]:
        if str(url.origin()) in self.upstreams:
            return str(url), {}
        host = f"{url.host}:{url.port}" if url.explicit_port else str(url.host)
        return str(self.gateway.make_url(url.raw_path_qs)), {"Host": host}

    async def request(self, method: str, url: str | URL, *, data: Any = None) -> Page:
        """One request, no redirect followed; cookies sent and stored for ``url``'s host only."""
        url = URL(url)
        self.visited.append(url)
        target, headers = self._target(url)
        cookies = self.jar.filter_cookies(url)
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http, http.request(
                method, URL(target, encoded=True), data=data, headers=headers, allow_redirects=False) as r:
            self.jar.update_cookies(r.cookies, url)
            return Page(url=url, status=r.status, headers=dict(r.headers), text=await r.text())

    async def navigate(self, method: str, url: str | URL, *, data: Any = None, stop_at: str = REDIRECT_URI) -> Page:
        """A request, then its redirects (relative ``Location`` resolved against the current URL) until a page
        answers or a redirect leaves for ``stop_at`` (the partner app: that answer is returned unfollowed)."""
        page = await self.request(method, url, data=data)
        for _ in range(MAX_HOPS):
            if page.status not in (301, 302, 303) or page.headers["Location"].startswith(stop_at):
                return page
            page = await self.request("GET", page.url.join(URL(page.headers["Location"], encoded=True)))
        raise AssertionError(f"more than {MAX_HOPS} redirects: {self.visited[-MAX_HOPS:]}")

    async def submit(self, page: Page, fields: list[tuple[str, str]] | dict[str, str], *,
                     method: str | None = None) -> Page:
        """Submit ``page``'s first form with ``fields`` and follow what comes."""
        form = first_form(page.text)
        action = page.url.join(URL(form["action"], encoded=True))
        if (method or form["method"]).upper() == "GET":
            return await self.navigate("GET", action.with_query(fields))
        return await self.navigate("POST", action, data=fields)


@dataclass
class HostStack:
    """The gateway in host mode with its three sources, a partner app and a browser.

    Attributes:
        partner: the partner app (``client_id``, ``client_secret``), allowed :data:`REDIRECT_URI`.
        qbo_url, sage: the emulators (QBO base URL; the Sage emulator's URLs).
    """

    gateway: TestClient
    browser: Browser
    partner: dict[str, Any]
    qbo_url: str
    sage: sage_support.Emulator

    def _basic(self) -> dict[str, str]:
        pair = f"{self.partner['client_id']}:{self.partner['client_secret']}".encode()
        return {"Authorization": "Basic " + base64.b64encode(pair).decode()}

    async def token(self, data: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """``POST https://identity.xero.com/connect/token`` as the partner app's back end."""
        response = await self.gateway.post("/connect/token", data=data,
                                           headers={"Host": "identity.xero.com", **self._basic()})
        return response.status, await response.json()

    async def api(self, method: str, path: str, token: str, *, tenant: str | None = None,
                  json: Any = None) -> aiohttp.ClientResponse:
        """A call at Xero's own path on ``api.xero.com`` with a bearer token (and ``xero-tenant-id``)."""
        headers = {"Host": "api.xero.com", "Authorization": f"Bearer {token}", "Accept": "application/json"}
        if tenant is not None:
            headers["xero-tenant-id"] = tenant
        return await self.gateway.request(method, path, headers=headers, json=json)

    async def connect(self, source: str, *, offered: list[str], sign_in: tuple[str, str] | None = None
                      ) -> dict[str, Any]:
        """The person connects ``source`` from Xero's authorize URL (chooser → the source's own flow → the partner's
        redirect URI), then the partner exchanges the code; returns the token response.

        Args:
            offered: the sources the chooser must offer.
            sign_in: e-mail and password for a source whose users sign in at the gateway (the native ledger).
        """
        verifier, challenge = pkce_pair()
        params = {"response_type": "code", "client_id": self.partner["client_id"], "redirect_uri": REDIRECT_URI,
                  "scope": SCOPES, "state": f"st-{source}", "code_challenge": challenge,
                  "code_challenge_method": "S256"}
        chooser = await self.browser.navigate("GET", URL(f"{LOGIN}/identity/connect/authorize").with_query(params))
        assert chooser.status == 200, chooser.text
        choices = [i["value"] for i in first_form(chooser.text)["inputs"] if i.get("name") == "source"]
        assert choices == offered
        page = await self.browser.submit(chooser, {**hidden_fields(first_form(chooser.text)), "source": source})
        if sign_in is not None:  # the source's own sign-in page, then its consent page (tick what is shown)
            assert page.status == 200 and page.url.host == "login.xero.com", (page.url, page.text)
            email, password = sign_in
            page = await self.browser.submit(page, {**hidden_fields(first_form(page.text)), "email": email,
                                                    "password": password})
            assert page.status == 200, page.text
            form = first_form(page.text)
            page = await self.browser.submit(page, [*hidden_fields(form).items(),
                                                    *(("scope", s) for s in ticked_scopes(form)),
                                                    *(("tenant", t) for t in checkboxes(form)),
                                                    ("decision", "approve")])
        assert page.status == 302, (page.url, page.text)
        answer = query_of(page.headers["Location"])
        assert answer["state"] == f"st-{source}" and answer.get("code"), answer
        status, tokens = await self.token({"grant_type": "authorization_code", "code": answer["code"],
                                           "redirect_uri": REDIRECT_URI, "code_verifier": verifier})
        assert status == 200, tokens
        return tokens


@pytest.fixture
def fake_sources():
    """No fakes: every source is served by its real adapter (overrides tests/hostmode/conftest.py's fixture)."""


@pytest.fixture
async def host_stack(aiohttp_client, aiohttp_server, tmp_path, signing_pem) -> HostStack:
    """The gateway in host mode on a fresh data directory: the native ledger with one small company and its user
    (:data:`NATIVE_COMPANY`), QBO and Sage registered against their emulators as ``sources set`` does, and one
    partner app."""
    # no writes reach QBO here: skip loading Intuit's XSDs (seconds of CPU) for request checks
    qbo = await aiohttp_server(create_qbo_emulator(qbo_support.emulator_config(check_properties=False)),
                               host="127.0.0.1")
    sage_server = await aiohttp_server(create_sage_emulator(sage_support.emulator_config()), host="127.0.0.1")
    sage = sage_support.Emulator(base=str(sage_server.make_url("")).rstrip("/"), server=sage_server)
    qbo_url = str(qbo.make_url("")).rstrip("/")

    data_dir = tmp_path / "data"
    keys = data_dir / "keys"
    keys.mkdir(mode=0o700, parents=True)
    (keys / SIGNING_KEY_FILE).write_bytes(signing_pem)
    (keys / SIGNING_KEY_FILE).chmod(0o600)
    settings = load_settings(data_dir=data_dir, port=18444, host_mode=True)
    native = settings.native.model_copy(update={"demo_company": False})  # its seed would take seconds
    gateway = await aiohttp_client(create_app(settings.model_copy(update={"native": native})))
    state = gateway.app[IDENTITY]
    ledger = await state.sources.get("1000")
    organisation = {**mappings.load("native_demo")["organisation"], "name": NATIVE_COMPANY}
    async with ledger.db.write_session() as session:
        await create_uk_company(session, company_id=NATIVE_TENANT, organisation=organisation, is_demo=False,
                                now=datetime.now(UTC))
    await ledger.create_user(email=NATIVE_EMAIL, password=NATIVE_PASSWORD, tenant_ids=[NATIVE_TENANT])
    await registry.set_source(state.db, state.settings, code="1004", client_id=qbo_support.CLIENT_ID,
                              client_secret=qbo_support.CLIENT_SECRET, authorize_url=f"{qbo_url}/connect/oauth2",
                              token_url=f"{qbo_url}/oauth2/v1/tokens/bearer",
                              revoke_url=f"{qbo_url}/v2/oauth2/tokens/revoke", api_base=qbo_url,
                              adapter_codes=ADAPTERS)
    await registry.set_source(state.db, state.settings, code="1009", client_id=sage_support.CLIENT_ID,
                              client_secret=sage_support.CLIENT_SECRET, authorize_url=sage.authorize_url,
                              token_url=sage.token_url, api_base=sage.api_base, adapter_codes=ADAPTERS)
    partner = await apps.create_app(state.db, name="Host mode partner", redirect_uris=[REDIRECT_URI], scopes=None)
    browser = Browser(gateway=gateway, upstreams=(qbo_url, sage.base))
    return HostStack(gateway=gateway, browser=browser, partner=partner, qbo_url=qbo_url, sage=sage)
