"""Fixtures of the money-document tests (credit notes, allocations, refunds, bank transactions and transfers,
overpayments, prepayments, manual journals).

Direct adapter tests reuse the native ledger's fixtures (a private copy of the seeded demo ledger per test, fixed
ticking clocks; :mod:`tests.adapters.native.core.conftest`). HTTP tests drive the real app (``gateway.app.create_app``)
on such a
copy with the identity guard replaced by a fake that accepts one bearer token and the demo tenant, rate limits
off; every answer is validated against Xero's spec. Ledger helpers check that the books balance after writes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from adapters.native.ledger import posting as ledger
from adapters.native.tables.core import Account, Journal
from gateway.xero.query import parse_order, parse_where
from gateway.xero.request import ListQuery, Result
from tests.adapters.native.conftest import serve_json_api
from tests.adapters.native.core.conftest import (  # noqa: F401  (names the tests import from here)
    TENANT,
    ctx,
)
from tests.front import xero_request

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
    """A :class:`~tests.adapters.native.conftest.JsonApi` on the real app serving a private copy of the demo
    ledger."""
    return await serve_json_api(aiohttp_client, ledger_dir, monkeypatch, xero_spec, token=TOKEN,
                                app_name="Documents Tests")
