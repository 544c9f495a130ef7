"""Fixtures of the Sage Accounting emulator tests: the emulator under test (for ``tests/emulators/conftest.py``'s
``client``, the app in process) and an authorised session that checks every ``/v3.1`` response against Sage's spec.

``sage`` runs the OAuth dance through the emulator's own endpoints (authorize → code → token with the client id and
secret in the form body, as Sage documents) and then speaks to ``/v3.1`` with the bearer token and ``X-Business``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from emulators.sage_accounting import create_app, spec
from emulators.sage_accounting.state import STATE
from tests.emulators.support import EmulatorUnderTest

CLIENT_ID = "sage-emulator-test-client"
CLIENT_SECRET = "sage-emulator-test-secret"
REDIRECT_URI = "https://app.example.com/callback"


async def authorize(client, *, state: str = "st-1", scope: str | None = "full_access") -> dict[str, str]:
    """GET the authorize endpoint; returns the callback's query parameters."""
    params = {"filter": "apiv3.1", "client_id": CLIENT_ID, "response_type": "code", "redirect_uri": REDIRECT_URI,
              "state": state}
    if scope is not None:
        params["scope"] = scope
    response = await client.get("/oauth2/auth/central", params=params, allow_redirects=False)
    assert response.status == 302, await response.text()
    location = response.headers["Location"]
    assert location.startswith(REDIRECT_URI)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def exchange(client, code: str, *, secret: str = CLIENT_SECRET, redirect_uri: str = REDIRECT_URI):
    return await client.post("/token", data={"grant_type": "authorization_code", "code": code,
                                             "redirect_uri": redirect_uri, "client_id": CLIENT_ID,
                                             "client_secret": secret})


async def refresh(client, refresh_token: str):
    return await client.post("/token", data={"grant_type": "refresh_token", "refresh_token": refresh_token,
                                             "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})


@dataclass
class Sage:
    """An authorised app session against the emulator; every ``/v3.1`` answer is checked against the spec."""

    client: Any
    access_token: str
    refresh_token: str
    business_id: str
    checked: list[str] = field(default_factory=list)

    @property
    def state(self):
        return self.client.server.app[STATE]

    def headers(self, extra: dict | None = None, *, business: str | None = None) -> dict:
        out = {"Authorization": f"Bearer {self.access_token}", "Accept": "application/json"}
        if business != "":
            out["X-Business"] = business or self.business_id
        return {**out, **(extra or {})}

    async def call(self, method: str, tail: str, *, body: Any = None, params: dict | None = None,
                   business: str | None = None, headers: dict | None = None):
        """A raw call; returns ``(status, parsed JSON or None)`` after checking the answer against the spec."""
        data = None
        extra = dict(headers or {})
        if body is not None:
            data = json.dumps(body)
            extra.setdefault("Content-Type", "application/json")
        response = await self.client.request(method, f"/v3.1{tail}", params=params or {}, data=data,
                                             headers=self.headers(extra, business=business))
        raw = await response.read()
        spec.validate(method, f"/v3.1{tail}", response.status, raw)
        self.checked.append(f"{method} {tail} {response.status}")
        return response.status, (json.loads(raw) if raw else None)

    async def get(self, tail: str, status: int = 200, **params) -> Any:
        got, body = await self.call("GET", tail, params={k: str(v) for k, v in params.items()})
        assert got == status, body
        return body

    async def post(self, tail: str, body: Any, status: int = 201) -> Any:
        got, answer = await self.call("POST", tail, body=body)
        assert got == status, answer
        return answer

    async def put(self, tail: str, body: Any, status: int = 200) -> Any:
        got, answer = await self.call("PUT", tail, body=body)
        assert got == status, answer
        return answer

    async def delete(self, tail: str, status: int = 204, **params) -> Any:
        got, answer = await self.call("DELETE", tail, params={k: str(v) for k, v in params.items()})
        assert got == status, answer
        return answer

    async def all(self, collection: str, **params) -> list[dict]:
        """Every record of a collection with all attributes (follows ``$next``, bounded)."""
        out: list[dict] = []
        page = 1
        for _ in range(50):
            body = await self.get(f"/{collection}", attributes="all", items_per_page=200, page=page, **params)
            out.extend(body["$items"])
            if body["$next"] is None:
                return out
            page += 1
        raise AssertionError("more than 50 pages")

    def business(self, business_id: str | None = None):
        return self.state.store.businesses[business_id or self.business_id]


async def connect(client, *, scope: str | None = "full_access") -> Sage:
    params = await authorize(client, scope=scope)
    response = await exchange(client, params["code"])
    tokens = await response.json()
    assert response.status == 200, tokens
    lead = client.server.app[STATE].store.lead.id
    return Sage(client, tokens["access_token"], tokens["refresh_token"], lead)


@pytest.fixture
def emulator() -> EmulatorUnderTest:
    return EmulatorUnderTest(create_app, CLIENT_ID, CLIENT_SECRET)


@pytest.fixture
async def sage(client) -> Sage:
    return await connect(client)


def by_name(records: list[dict], name: str, key: str = "name") -> dict:
    return next(r for r in records if r.get(key) == name)


async def ledger_id(sage: Sage, nominal_code: int) -> str:
    accounts = await sage.all("ledger_accounts")
    return next(a["id"] for a in accounts if a["nominal_code"] == nominal_code)


async def contact_id(sage: Sage, reference: str) -> str:
    contacts = await sage.all("contacts")
    return next(c["id"] for c in contacts if c.get("reference") == reference)


async def bank_id(sage: Sage, name: str = "Current Account") -> str:
    banks = await sage.all("bank_accounts")
    return next(b["id"] for b in banks if b["bank_account_details"]["account_name"] == name)


def line(account: str, unit_price: Any, tax_rate: str = "GB_STANDARD", tax: Any = None, *, quantity: Any = 1,
         description: str = "Item", **extra) -> dict:
    out = {"description": description, "ledger_account_id": account, "quantity": quantity,
           "unit_price": unit_price, "tax_rate_id": tax_rate, **extra}
    if tax is not None:
        out["tax_amount"] = tax
    return out
