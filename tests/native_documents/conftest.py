"""Fixtures of the money-document tests (credit notes, allocations, refunds, bank transactions and transfers,
overpayments, prepayments, manual journals).

Direct adapter tests reuse the native ledger's fixtures (a private copy of the seeded demo ledger per test, fixed
ticking clocks; :mod:`tests.native.conftest`). HTTP tests drive the real app (``gateway.app.create_app``) on such a
copy with the identity guard replaced by a fake that accepts one bearer token and the demo tenant, rate limits
off; every answer is validated against Xero's spec. Ledger helpers check that the books balance after writes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import select

from adapters.native import ledger
from adapters.native.models import Account, Journal
from gateway.app import create_app
from gateway.settings import load_settings
from gateway.xero.errors import Forbidden, Unauthorized
from gateway.xero.query import parse_order, parse_where
from gateway.xero.request import ListQuery, RequestContext, Result
from tests.front import xero_request
from tests.native.conftest import (  # noqa: F401  (fixtures re-registered for this package)
    TENANT,
    adapter,
    ctx,
    ledger_dir,
    seeded_dir,
)
from tests.xero_spec import xero_spec  # noqa: F401  (the session fixture)

API = "/1000/api.xro/2.0"
TOKEN = "documents-test-token"
CUSTOMER = "Meridian University"
OTHER_CUSTOMER = "Ashgrove Dental Practice"
SUPPLIER = "Greenfield Office Supplies"


async def call(ledger_adapter: Any, operation_id: str, *, elements: list[dict[str, Any]] | None = None,
               path: dict[str, str] | None = None, params: dict[str, str] | None = None, **query: Any) -> Result:
    """Call an operation by its ``operationId``: ``ListQuery`` fields as keyword arguments (``where``/``order`` as
    text, parsed as the front end does), raw query parameters in ``params`` (``References``, ``includeDeleted``)."""
    method = ledger_adapter.operation(operation_id)
    assert method is not None, f"{operation_id} is not implemented"
    if isinstance(query.get("where"), str):
        query["where_text"] = query["where"]
        query["where"] = parse_where(query["where"])
    if isinstance(query.get("order"), str):
        query["order"] = parse_order(query["order"])
    verb = "GET" if operation_id.startswith("get") else ("DELETE" if operation_id.startswith("delete") else "POST")
    req = xero_request(operation_id, method=verb, path_params=dict(path or {}), query=ListQuery(**query),
                       params=params, elements=list(elements or []))
    result = await method(ctx(), req)
    assert isinstance(result, Result)
    return result


def line(amount: str | int, account: str, tax: str, **extra: Any) -> dict[str, Any]:
    """One line item: quantity 1 at ``amount``."""
    return {"Description": f"Line on {account}", "Quantity": 1, "UnitAmount": amount, "AccountCode": account,
            "TaxType": tax, **extra}


def credit_note_element(**overrides: Any) -> dict[str, Any]:
    """A valid AUTHORISED sales credit note to an existing demo customer: 50.00 + 20% VAT = 60.00."""
    element: dict[str, Any] = {"Type": "ACCRECCREDIT", "Contact": {"Name": CUSTOMER}, "Date": "2026-03-12",
                               "Status": "AUTHORISED", "LineAmountTypes": "Exclusive",
                               "LineItems": [line("50.00", "200", "OUTPUT2")]}
    element.update(overrides)
    return element


def invoice_element(**overrides: Any) -> dict[str, Any]:
    """A valid AUTHORISED sales invoice to the same customer: 100.00 + 20% VAT = 120.00."""
    element: dict[str, Any] = {"Type": "ACCREC", "Contact": {"Name": CUSTOMER}, "Date": "2026-03-10",
                               "DueDate": "2026-04-09", "Status": "AUTHORISED", "LineAmountTypes": "Exclusive",
                               "LineItems": [line("100.00", "200", "OUTPUT2")]}
    element.update(overrides)
    return element


def bank_element(tx_type: str = "SPEND", **overrides: Any) -> dict[str, Any]:
    """A valid bank transaction on the business bank account (090): 10.00 + 20% VAT on general expenses (spend)
    or on sales (receive)."""
    spend = tx_type.startswith("SPEND")
    element: dict[str, Any] = {"Type": tx_type, "Contact": {"Name": SUPPLIER if spend else CUSTOMER},
                               "BankAccount": {"Code": "090"}, "Date": "2026-03-11", "LineAmountTypes": "Exclusive",
                               "LineItems": [line("10.00", "429" if spend else "200",
                                                  "INPUT2" if spend else "OUTPUT2")]}
    element.update(overrides)
    return element


async def create_one(ledger_adapter: Any, operation_id: str, element: dict[str, Any], **kw: Any) -> Any:
    """Create one document and return its canonical model."""
    (item,) = (await call(ledger_adapter, operation_id, elements=[element], **kw)).items
    return item


async def assert_books_balance(ledger_adapter: Any) -> None:
    """Every journal of the demo company balances, and so does the whole ledger."""
    async with ledger_adapter.db.session() as session:
        journals = list(await session.scalars(select(Journal).where(Journal.company_id == TENANT)))
        for journal in journals:
            assert sum((ln.amount for ln in journal.lines), Decimal(0)) == 0, journal.source_type
        balances = await ledger.account_balances(session, TENANT)
    assert sum(balances.values(), Decimal(0)) == 0


async def balance_of(ledger_adapter: Any, code: str) -> Decimal:
    """An account's ledger balance by code (debit positive)."""
    async with ledger_adapter.db.session() as session:
        account = await session.scalar(select(Account).where(Account.company_id == TENANT, Account.code == code))
        assert account is not None, code
        return (await ledger.account_balances(session, TENANT)).get(account.id, Decimal(0))


async def balances(ledger_adapter: Any, *codes: str) -> dict[str, Decimal]:
    """Several accounts' balances by code."""
    return {code: await balance_of(ledger_adapter, code) for code in codes}


async def journals_of(ledger_adapter: Any, source_id: str) -> list[Journal]:
    """The journals posted for one source id (reversals included), by number."""
    async with ledger_adapter.db.session() as session:
        return list(await session.scalars(
            select(Journal).where(Journal.company_id == TENANT, Journal.source_id == source_id)
            .order_by(Journal.number)))


def messages_of(exc: Any) -> list[str]:
    """The ``ValidationErrors`` messages of every element of a ``ValidationException``."""
    return [err["Message"] for element in exc.elements for err in element["ValidationErrors"]]


@pytest.fixture
async def http(aiohttp_client, ledger_dir: Path, monkeypatch, xero_spec):  # noqa: F811
    """An :class:`Api` on the real app serving a private copy of the demo ledger."""
    async def fake_guard(request: web.Request, code: str, *, scopes: Sequence[str], path: str,
                         tenant_required: bool = True) -> RequestContext:
        if request.headers.get("Authorization", "") != f"Bearer {TOKEN}":
            raise Unauthorized("AuthenticationUnsuccessful")
        if tenant_required and request.headers.get("xero-tenant-id", "").lower() != TENANT:
            raise Forbidden("AuthenticationUnsuccessful")
        return RequestContext(source_code=code, tenant_id=TENANT, client_id="test-client", app_name="Documents Tests",
                              user_id=None, scopes=frozenset(scopes))

    monkeypatch.setattr("gateway.api.handler.authenticate_api_call", fake_guard)
    config = ledger_dir / "test.toml"
    config.write_text("[rate_limits]\nenabled = false\n")
    app = create_app(load_settings(config, data_dir=ledger_dir))
    client = await aiohttp_client(app)
    return Api(client, xero_spec)


class Api:
    """Calls ``/1000/api.xro/2.0…`` with test credentials; every answer is checked against Xero's spec."""

    def __init__(self, client: Any, spec: Any) -> None:
        self.client = client
        self.spec = spec
        self.headers = {"Authorization": f"Bearer {TOKEN}", "xero-tenant-id": TENANT, "Accept": "application/json"}

    async def call(self, method: str, path: str, *, headers: dict[str, str] | None = None,
                   **kwargs: Any) -> tuple[int, Any]:
        """``(status, parsed JSON body or None)`` after validating the response against the spec."""
        resp = await self.client.request(method, API + path, headers={**self.headers, **(headers or {})}, **kwargs)
        body = await resp.read()
        self.spec.validate_response(method, str(resp.url), resp.status, body, dict(resp.headers))
        return resp.status, (json.loads(body) if body and resp.content_type == "application/json" else None)
