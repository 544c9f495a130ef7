"""Fixtures of the Sage 50 gateway tests: a gateway app (the identity tests' fake ledger under 1000, the real Sage 50
adapter under 1001) under pytest-aiohttp's client, a partner app, and an agent speaking protocol v1 over HTTP."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from adapters import registry
from gateway.appkeys import IDENTITY
from tests.identity.conftest import make_app, signing_pem  # noqa: F401  (session fixture)
from tests.identity.helpers import Gateway, checkboxes, first_form, hidden_fields, pkce_pair, query_of

CODE = "1001"
SCOPES = ("openid profile email offline_access accounting.transactions accounting.settings accounting.contacts "
          "accounting.reports.read")
REDIRECT_URI = "https://app.example.test/callback"
COMPANY = {"company_key": "5e0c" + "0" * 60, "name": "Stationery & Computer Mart UK", "data_path": r"C:\ACCDATA"}


@pytest.fixture(autouse=True)
def fake_local_source(monkeypatch):
    monkeypatch.setitem(registry.ADAPTERS, "1000", "tests.identity.fake_adapter:FakeAdapter")


@dataclass
class Agent:
    """A connector speaking protocol v1 to the test gateway."""

    gw: Gateway
    token: str | None = None
    agent_id: str | None = None
    companies: list[dict[str, Any]] = field(default_factory=lambda: [dict(COMPANY)])

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def post(self, tail: str, body: dict[str, Any], **params: str):
        return await self.gw.client.post(f"/{CODE}/agent/v1{tail}", json=body, headers=self.headers(),
                                         params=params or None)

    async def pair(self, pairing_code: str) -> Any:
        response = await self.post("/pair", {"pairing_code": pairing_code, "agent_name": "SAGE-PC",
                                             "agent_version": "test", "companies": self.companies})
        body = await response.json()
        if response.status == 200:
            self.agent_id = body["agent_id"]
            self.token = body.get("agent_token", self.token)
        return response.status, body

    async def sync(self, table: str, rows: list[dict[str, Any]], *, final: bool = True,
                   deleted: list[Any] | None = None, company_key: str | None = None):
        response = await self.post("/sync", {"company_key": company_key or self.companies[0]["company_key"],
                                             "table": table, "rows": rows, "deleted": deleted or [],
                                             "final": final, "watermark": "2026-12-01T00:00:00"})
        return response.status, await response.json()


@dataclass
class Consent:
    """A partner app's consent through the pairing page, step by step."""

    gw: Gateway
    app: dict[str, Any]
    verifier: str = ""
    pairing_code: str = ""

    async def start(self, *, state: str = "st-1") -> str:
        self.verifier, challenge = pkce_pair()
        response = await self.gw.authorize_page({
            "response_type": "code", "client_id": self.app["client_id"], "redirect_uri": REDIRECT_URI,
            "scope": SCOPES, "state": state, "code_challenge": challenge, "code_challenge_method": "S256"},
            code=CODE)
        assert response.status == 302, await response.text()
        assert response.headers["Location"].endswith(f"/{CODE}/identity/pairing")
        page = await self.gw.client.get(response.headers["Location"], allow_redirects=False)
        html = await page.text()
        assert page.status == 200, html
        found = re.search(r'data-pairing-code="([0-9A-Z-]+)"', html)
        assert found, html
        self.pairing_code = found.group(1)
        return html

    async def page(self) -> tuple[int, str]:
        response = await self.gw.client.get(f"/{CODE}/identity/pairing", allow_redirects=False)
        return response.status, await response.text()

    async def decide(self, html: str, *, approve: bool = True, tenants: list[str] | None = None):
        form = first_form(html)
        data: list[tuple[str, str]] = list(hidden_fields(form).items())
        for tenant in checkboxes(form) if tenants is None else tenants:
            data.append(("tenant", tenant))
        data.append(("decision", "approve" if approve else "deny"))
        return await self.gw.client.post(form["action"], data=data, allow_redirects=False)

    async def token(self, callback: dict[str, str]) -> dict[str, Any]:
        return await self.gw.exchange(self.app, callback, verifier=self.verifier)


@pytest.fixture
async def gw(aiohttp_client, tmp_path, signing_pem) -> Gateway:  # noqa: F811
    client = await aiohttp_client(make_app(tmp_path / "data", signing_pem))
    return Gateway(client=client, state=client.app[IDENTITY], code=CODE)


@pytest.fixture
async def partner(gw) -> dict[str, Any]:
    return await gw.create_app(name="Partner App")


@pytest.fixture
def agent(gw) -> Agent:
    return Agent(gw)


async def connect(gw: Gateway, partner: dict[str, Any], agent: Agent) -> tuple[dict[str, Any], str]:
    """The whole pairing consent; returns the token set and the tenant id."""
    consent = Consent(gw, partner)
    await consent.start()
    status, body = await agent.pair(consent.pairing_code)
    assert status == 200, body
    status, html = await consent.page()
    assert status == 200 and "Stationery" in html, html
    response = await consent.decide(html)
    assert response.status == 302, await response.text()
    callback = query_of(response.headers["Location"])
    tokens = await consent.token(callback)
    connections = await (await gw.get("/connections", tokens["access_token"])).json()
    return tokens, connections[0]["tenantId"]
