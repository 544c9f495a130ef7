"""Fixtures of the QBO emulator tests: the emulator under test (for ``tests/emulators/conftest.py``'s ``client``, the
app in process) and an authorised session.

``qbo`` runs the OAuth dance through the emulator's own endpoints (authorize → code → token with Basic client
authentication) and then speaks to ``/v3/company/{realmId}`` with the bearer token, as an app does.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from emulators.qbo import create_app
from emulators.qbo.state import STATE
from tests.emulators.support import EmulatorUnderTest

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "contracts" / "qbo" / "samples"
CLIENT_ID = "emulator-test-client"
CLIENT_SECRET = "emulator-test-secret"
REDIRECT_URI = "https://app.example.com/callback"


def basic(client_id: str = CLIENT_ID, secret: str = CLIENT_SECRET) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


async def authorize(client, *, state: str = "st-1", scope: str = "com.intuit.quickbooks.accounting") -> dict:
    """GET the authorize endpoint; returns the callback's query parameters."""
    response = await client.get("/connect/oauth2", params={
        "client_id": CLIENT_ID, "response_type": "code", "scope": scope, "redirect_uri": REDIRECT_URI,
        "state": state}, allow_redirects=False)
    assert response.status == 302, await response.text()
    location = response.headers["Location"]
    assert location.startswith(REDIRECT_URI)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def exchange(client, code: str, *, headers: dict | None = None):
    return await client.post("/oauth2/v1/tokens/bearer", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI},
        headers={"Authorization": basic(), "Accept": "application/json", **(headers or {})})


@dataclass
class Qbo:
    """An authorised app session against the emulator."""

    client: Any
    realm_id: str
    access_token: str
    refresh_token: str

    @property
    def state(self):
        return self.client.server.app[STATE]

    def url(self, tail: str) -> str:
        return f"/v3/company/{self.realm_id}{tail}"

    def headers(self, extra: dict | None = None) -> dict:
        return {"Authorization": f"Bearer {self.access_token}", "Accept": "application/json", **(extra or {})}

    async def get(self, tail: str, **params):
        return await self.client.get(self.url(tail), params={"minorversion": "75", **params}, headers=self.headers())

    async def post(self, tail: str, body: Any, **params):
        return await self.client.post(self.url(tail), params={"minorversion": "75", **params},
                                      data=json.dumps(body), headers=self.headers({"Content-Type": "application/json"}))

    async def json(self, response, status: int = 200) -> dict:
        text = await response.text()
        assert response.status == status, text
        return json.loads(text)

    async def create(self, entity: str, body: dict) -> dict:
        return (await self.json(await self.post(f"/{entity.lower()}", body)))[entity]

    async def query(self, text: str, status: int = 200) -> dict:
        return await self.json(await self.get("/query", query=text), status)


async def connect(client) -> Qbo:
    params = await authorize(client)
    tokens = await (await exchange(client, params["code"])).json()
    return Qbo(client, params["realmId"], tokens["access_token"], tokens["refresh_token"])


@pytest.fixture
def emulator() -> EmulatorUnderTest:
    return EmulatorUnderTest(create_app, CLIENT_ID, CLIENT_SECRET)


@pytest.fixture
async def qbo(client) -> Qbo:
    return await connect(client)


async def seed_basics(qbo: Qbo) -> dict[str, dict]:
    """A small chart and parties: income, bank, A/R, A/P, expense accounts; a customer, a vendor, an item."""
    made = {}
    for key, name, kind in [("income", "Sales", "Income"), ("bank", "Checking", "Bank"),
                            ("ar", "Accounts Receivable (A/R)", "Accounts Receivable"),
                            ("ap", "Accounts Payable (A/P)", "Accounts Payable"),
                            ("expense", "Advertising", "Expense")]:
        made[key] = await qbo.create("Account", {"Name": name, "AccountType": kind})
    made["customer"] = await qbo.create("Customer", {"DisplayName": "Amy's Bird Sanctuary"})
    made["vendor"] = await qbo.create("Vendor", {"DisplayName": "Bob's Burger Joint"})
    made["item"] = await qbo.create("Item", {"Name": "Services", "Type": "Service",
                                             "IncomeAccountRef": {"value": made["income"]["Id"]}})
    return made


def invoice_body(made: dict, amount: float = 100.0, **extra) -> dict:
    return {"CustomerRef": {"value": made["customer"]["Id"]},
            "Line": [{"Amount": amount, "DetailType": "SalesItemLineDetail",
                      "SalesItemLineDetail": {"ItemRef": {"value": made["item"]["Id"]}}}], **extra}
