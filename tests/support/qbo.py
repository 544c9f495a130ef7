"""The in-process QBO stack of the tests, the contract walk and the benchmark (no pytest fixtures here: see
``tests/qbo/conftest.py``).

:func:`connect` registers the QBO emulator as source 1004 of a gateway app and runs the full OAuth dance (partner app
→ gateway authorize → emulator authorize → gateway callback → gateway code → token); :class:`QboStack` then sends
Accounting API calls (:meth:`tests.support.stack.Stack.api`), validating every response against Xero's spec when
given the ``xero_spec`` validator. :func:`start` and :func:`stop` do the same outside pytest's function fixtures.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
from aiohttp.test_utils import TestClient, TestServer

from adapters.registry import ADAPTERS
from emulators.qbo import EmulatorConfig
from gateway import appkeys
from gateway.app import create_app as create_gateway
from gateway.appkeys import IDENTITY
from gateway.identity import apps as partner_apps
from gateway.identity.keys import SIGNING_KEY_FILE
from gateway.settings import load_settings
from gateway.upstream import registry

from .stack import Stack

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "contracts" / "qbo" / "samples"
REDIRECT_URI = "https://partner.example.test/callback"
SCOPES = ("openid profile email offline_access accounting.transactions accounting.contacts accounting.settings "
          "accounting.reports.read")
CLIENT_ID = "gateway-qbo-app"
CLIENT_SECRET = "gateway-qbo-secret"  # noqa: S105 - test credential
GATEWAY_PORT = 18104
#: The partner app's name: the ``ProviderName`` of every envelope.
PARTNER_NAME = "QBO test partner"


def load_sample(name: str) -> dict[str, Any]:
    """``samples/{name}.json`` ({example: payload})."""
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def emulator_config(**overrides: Any) -> EmulatorConfig:
    """The emulator as the tests run it: seeded, one known developer app, generous limits unless overridden."""
    values: dict[str, Any] = {"seed_dir": str(SAMPLES), "requests_per_minute": 100_000,
                              "batch_requests_per_minute": 10_000,
                              "clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}]}
    values.update(overrides)
    return EmulatorConfig.model_validate(values)


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query, keep_blank_values=True).items()}


@dataclass
class QboStack(Stack):
    """A connected gateway + emulator pair: source 1004 of the gateway, one realm of the emulator."""

    code = "1004"
    provider_name = PARTNER_NAME

    gateway: TestClient
    emulator: TestServer
    emulator_url: str
    access_token: str = ""
    refresh_token: str = ""
    tenant_id: str = ""
    partner: dict[str, Any] = field(default_factory=dict)
    spec: Any = None

    async def admin(self, method: str, path: str, body: Any = None) -> Any:
        """A test hook of the emulator (``/_emulator/…``)."""
        async with aiohttp.ClientSession() as session, session.request(
                method, f"{self.emulator_url}/_emulator{path}", json=body) as response:
            return await response.json()

    async def qbo(self, method: str, path: str, *, params: Mapping[str, str] | None = None,
                  body: Any = None) -> Any:
        """A direct call to the emulator's data service with a token of the gateway's own store (set-up only)."""
        tokens = self.gateway.app[appkeys.SOURCES].upstream
        creds = await tokens.credentials("1004", self.tenant_id)
        async with aiohttp.ClientSession() as session, session.request(
                method, f"{creds.api_base}/v3/company/{creds.tenant_key}{path}", params=params, json=body,
                headers={"Authorization": f"Bearer {creds.access_token}", "Accept": "application/json"}) as r:
            return await r.json()

    async def counts(self) -> dict[str, int]:
        return (await self.admin("GET", "/requests"))["by_path"]


async def connect(gateway: TestClient, emulator_url: str, *, spec: Any = None,
                  emulator: TestServer | None = None, scope: str = SCOPES) -> QboStack:
    """Register the emulator as source 1004 and run the OAuth dance asking for ``scope``; returns the connected
    stack."""
    state = gateway.app[IDENTITY]
    await registry.set_source(state.db, state.settings, code="1004", client_id=CLIENT_ID,
                              client_secret=CLIENT_SECRET, authorize_url=f"{emulator_url}/connect/oauth2",
                              token_url=f"{emulator_url}/oauth2/v1/tokens/bearer",
                              revoke_url=f"{emulator_url}/v2/oauth2/tokens/revoke", api_base=emulator_url,
                              adapter_codes=ADAPTERS)
    partner = await partner_apps.create_app(state.db, name=PARTNER_NAME, redirect_uris=[REDIRECT_URI],
                                            scopes=None)
    verifier, challenge = pkce_pair()
    start = await gateway.get("/1004/identity/connect/authorize", allow_redirects=False, params={
        "response_type": "code", "client_id": partner["client_id"], "redirect_uri": REDIRECT_URI, "scope": scope,
        "state": "partner-state", "code_challenge": challenge, "code_challenge_method": "S256"})
    assert start.status == 302, await start.text()
    at_intuit = start.headers["Location"]
    assert at_intuit.startswith(f"{emulator_url}/connect/oauth2?"), at_intuit
    async with aiohttp.ClientSession() as browser, browser.get(at_intuit, allow_redirects=False) as consent:
        assert consent.status == 302, await consent.text()
        callback = consent.headers["Location"]
    assert "realmId=" in callback and "/1004/callback?" in callback, callback
    back = await gateway.get(urlsplit(callback).path + "?" + urlsplit(callback).query, allow_redirects=False)
    assert back.status == 302, await back.text()
    answer = query_of(back.headers["Location"])
    assert answer["state"] == "partner-state" and answer["code"], answer
    basic = base64.b64encode(f"{partner['client_id']}:{partner['client_secret']}".encode()).decode()
    token = await gateway.post("/1004/connect/token", headers={"Authorization": f"Basic {basic}"}, data={
        "grant_type": "authorization_code", "code": answer["code"], "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier})
    tokens = await token.json()
    assert token.status == 200, tokens
    connections = await (await gateway.get("/1004/connections", headers={
        "Authorization": f"Bearer {tokens['access_token']}"})).json()
    assert len(connections) == 1, connections
    return QboStack(gateway=gateway, emulator=emulator, emulator_url=emulator_url,
                    access_token=tokens["access_token"], refresh_token=tokens.get("refresh_token", ""),
                    tenant_id=connections[0]["tenantId"], partner=partner, spec=spec)


async def seed_invoices(qbo, count: int) -> None:
    """``count`` invoices written straight into the emulator (not through the gateway), 30 per QBO batch."""
    income = (await qbo.qbo("POST", "/account", body={"Name": "Sales", "AccountType": "Income",
                                                      "AccountSubType": "ServiceFeeIncome", "AcctNum": "4000"}))
    item = await qbo.qbo("POST", "/item", body={"Name": "Hours", "Type": "Service",
                                               "IncomeAccountRef": {"value": income["Account"]["Id"]}})
    customer = await qbo.qbo("POST", "/customer", body={"DisplayName": "Volume Customer"})
    body = {"CustomerRef": {"value": customer["Customer"]["Id"]}, "TxnDate": date.today().isoformat(), "Line": [
        {"DetailType": "SalesItemLineDetail", "Amount": 10,
         "SalesItemLineDetail": {"ItemRef": {"value": item["Item"]["Id"]}, "Qty": 1, "UnitPrice": 10}}]}
    for start in range(0, count, 30):
        items = [{"bId": str(i), "operation": "create", "Invoice": body} for i in range(start, min(count, start + 30))]
        answer = await qbo.qbo("POST", "/batch", body={"BatchItemRequest": items})
        assert all("Invoice" in item for item in answer["BatchItemResponse"]), answer


def gateway_app(data_dir: Path, pem: bytes):
    """A gateway app on ``data_dir`` with its signing key and Xero's rate limits raised for tests."""
    keys = data_dir / "keys"
    keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    (keys / SIGNING_KEY_FILE).write_bytes(pem)
    (keys / SIGNING_KEY_FILE).chmod(0o600)
    settings = load_settings(data_dir=data_dir, port=GATEWAY_PORT)
    limits = settings.rate_limits.model_copy(update={"tenant_per_minute": 100_000, "tenant_per_day": 1_000_000,
                                                     "tenant_concurrent": 50})
    native = settings.native.model_copy(update={"demo_company": False})  # source 1000 is not under test here
    return create_gateway(settings.model_copy(update={"rate_limits": limits, "native": native}))


async def start(*, data_dir: Path, pem: bytes, emulator_app: Any, spec: Any = None,
                scope: str = SCOPES) -> QboStack:
    """Start an emulator and a gateway outside pytest (the benchmark), both on 127.0.0.1, connected; stop them with
    :func:`stop`."""
    emulator = TestServer(emulator_app, host="127.0.0.1")
    await emulator.start_server()
    gateway = TestClient(TestServer(gateway_app(data_dir, pem), host="127.0.0.1"))
    await gateway.start_server()
    return await connect(gateway, str(emulator.make_url("")).rstrip("/"), spec=spec, emulator=emulator,
                         scope=scope)


#: The chart the recorded sample company lacks (it has only receivable accounts): ``(AcctNum, Name, AccountType,
#: AccountSubType)`` of QBO's Account entity.
CHART = (("4000", "Sales", "Income", "SalesOfProductIncome"),
         ("6000", "Office Expenses", "Expense", "OfficeGeneralAdministrativeExpenses"),
         ("1010", "Operating Bank", "Bank", "Checking"),
         ("1020", "Savings Bank", "Bank", "Savings"))


async def seed_chart(qbo: QboStack) -> None:
    """Income, expense and two bank accounts written straight into the emulator company (not through the gateway),
    so that documents, bank transactions and transfers have accounts to post to."""
    for number, name, kind, subtype in CHART:
        made = await qbo.qbo("POST", "/account", body={"Name": name, "AcctNum": number, "AccountType": kind,
                                                      "AccountSubType": subtype})
        assert "Account" in made, made


async def stop(stack: QboStack) -> None:
    await stack.gateway.close()
    await stack.emulator.close()
