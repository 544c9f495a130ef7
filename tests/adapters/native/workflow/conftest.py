"""Fixtures of the native-ledger workflow tests (quotes, purchase orders, linked transactions, history, attachments,
PDFs).

Adapter-level tests reuse the native ledger fixtures (:mod:`tests.adapters.native.core.conftest`: a private copy of the
seeded
demo ledger per test, fixed ticking clocks, ``call``). HTTP-level tests drive the real app with the real native
adapter behind a fake guard (the pattern of :mod:`tests.api.conftest`), every JSON answer checked against Xero's
spec.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from adapters.native.demo import company as demo
from gateway.app import create_app
from gateway.xero.errors import Forbidden, Unauthorized
from gateway.xero.request import RequestContext
from tests.adapters.native.core.conftest import (  # noqa: F401  (fixtures re-exported for this directory)
    TENANT,
    TickClock,
    adapter,
    call,
    invoice_element,
    ledger_dir,
    seeded_dir,
    settings_for,
)
from tests.xero_spec import xero_spec  # noqa: F401  (the session fixture)

API = "/1000/api.xro/2.0"
TOKEN = "workflow-test-token"
APP_NAME = "Workflow Test App"


def bill_element(**overrides: Any) -> dict[str, Any]:
    """A valid AUTHORISED bill from a demo supplier: one 50.00 line + 20% VAT."""
    element: dict[str, Any] = {
        "Type": "ACCPAY", "Contact": {"Name": "Greenfield Office Supplies"}, "Date": "2026-03-05",
        "DueDate": "2026-04-04", "Status": "AUTHORISED", "InvoiceNumber": "BILL-77",
        "LineItems": [{"Description": "Courier for client", "Quantity": 1, "UnitAmount": 50, "AccountCode": "429",
                       "TaxType": "INPUT2"}],
    }
    element.update(overrides)
    return element


def quote_element(**overrides: Any) -> dict[str, Any]:
    """A valid DRAFT quote to a demo customer: 3 × 40.00 + 20% VAT."""
    element: dict[str, Any] = {
        "Contact": {"Name": "Meridian University"}, "Date": "2026-03-10", "ExpiryDate": "2026-04-10",
        "Title": "Website refresh", "LineItems": [{"Description": "Design day", "Quantity": 3, "UnitAmount": 40,
                                                    "AccountCode": "200", "TaxType": "OUTPUT2"}],
    }
    element.update(overrides)
    return element


def purchase_order_element(**overrides: Any) -> dict[str, Any]:
    """A valid DRAFT purchase order to a demo supplier: 10 × 2.50 + 20% VAT."""
    element: dict[str, Any] = {
        "Contact": {"Name": "Greenfield Office Supplies"}, "Date": "2026-03-11", "DeliveryDate": "2026-03-20",
        "AttentionTo": "Stores", "LineItems": [{"Description": "Paper reams", "Quantity": 10, "UnitAmount": 2.5,
                                                "AccountCode": "429", "TaxType": "INPUT2"}],
    }
    element.update(overrides)
    return element


@pytest.fixture
def fake_guard(monkeypatch) -> None:
    """Replace the identity guard: a fixed bearer token and the demo tenant are all it checks."""
    async def guard(request: web.Request, code: str, *, scopes: Sequence[str], path: str,
                    tenant_required: bool = True) -> RequestContext:
        if request.headers.get("Authorization", "") != f"Bearer {TOKEN}":
            raise Unauthorized("AuthenticationUnsuccessful")
        if tenant_required and request.headers.get("xero-tenant-id", "").lower() != TENANT:
            raise Forbidden("AuthenticationUnsuccessful")
        return RequestContext(source_code=code, tenant_id=TENANT, client_id="workflow-client", app_name=APP_NAME,
                              user_id=demo.DEMO_USER_ID, scopes=frozenset(scopes))

    monkeypatch.setattr("gateway.api.handler.authenticate_api_call", guard)


@pytest.fixture
async def http(aiohttp_client, ledger_dir: Path, fake_guard):  # noqa: F811
    """An aiohttp test client on the real app whose source 1000 is the native ledger on a copy of the demo."""
    app = create_app(settings_for(ledger_dir))
    return await aiohttp_client(app)


class Api:
    """Calls ``/1000/api.xro/2.0…`` with the test credentials; every answer is validated against Xero's spec."""

    def __init__(self, client, spec) -> None:
        self.client = client
        self.spec = spec
        self.headers = {"Authorization": f"Bearer {TOKEN}", "xero-tenant-id": TENANT, "Accept": "application/json"}

    async def call(self, method: str, path: str, *, headers: dict[str, str] | None = None, validate: bool = True,
                   **kwargs: Any) -> tuple[Any, bytes]:
        """``(response, body bytes)`` after validating the answer with ``xero_spec.validate_response``."""
        merged = {**self.headers, **(headers or {})}
        resp = await self.client.request(method, API + path, headers=merged, **kwargs)
        body = await resp.read()
        if validate:
            self.spec.validate_response(method, str(resp.url), resp.status, body, dict(resp.headers))
        return resp, body


@pytest.fixture
def api(http, xero_spec) -> Api:  # noqa: F811
    return Api(http, xero_spec)
