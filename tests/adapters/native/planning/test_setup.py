"""``POST /Setup`` on the native ledger: refused (400, saying why) for an organisation with transactions; on an
empty organisation it sets the chart of accounts and posts the conversion balances (the difference to Historical
Adjustment) on the day before the conversion month."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import select

import mappings
from adapters.native.ledger.posting import account_balances
from adapters.native.resources.company import create_uk_company
from adapters.native.tables.core import Journal
from gateway.xero.errors import ValidationException
from gateway.xero.request import RequestContext, XeroRequest

from .conftest import TEST_START, call

EMPTY = "0b6f2d1e-51c4-4d0e-9a7e-6a1d2b3c4d5e"


def _ctx(tenant_id: str) -> RequestContext:
    return RequestContext(source_code="1000", tenant_id=tenant_id, client_id="test-client", app_name="Tests",
                          user_id=None, scopes=frozenset({"accounting.settings"}))


async def _empty_company(adapter) -> None:
    organisation = {**mappings.load("native_demo")["organisation"], "name": "Fresh Start Ltd"}
    async with adapter._session() as session, session.begin():
        await create_uk_company(session, company_id=EMPTY, organisation=organisation, is_demo=False, now=TEST_START)


async def _setup(adapter, element: dict, tenant_id: str = EMPTY):
    req = XeroRequest(operation_id="postSetup", method="POST", elements=[element])
    return (await adapter.post_setup(_ctx(tenant_id), req)).items[0]


SETUP = {
    "ConversionDate": {"Month": 4, "Year": 2026},
    "Accounts": [{"Code": "200", "Name": "Sales", "Type": "REVENUE", "TaxType": "OUTPUT2"},
                 {"Code": "4100", "Name": "Consulting income", "Type": "REVENUE", "TaxType": "OUTPUT2"},
                 {"Code": "090", "Name": "Business Bank Account", "Type": "BANK", "BankAccountNumber": "12345678"},
                 {"Code": "610", "Name": "Accounts Receivable", "Type": "CURRENT"}],
    "ConversionBalances": [{"AccountCode": "090", "Balance": 1500}, {"AccountCode": "610", "Balance": 250.5}],
}


async def test_an_organisation_with_transactions_is_refused(adapter) -> None:
    with pytest.raises(ValidationException) as caught:
        await call(adapter, "postSetup", elements=[SETUP])
    assert "already has transactions" in json.dumps(caught.value.body())


async def test_setup_of_an_empty_organisation(adapter) -> None:
    await _empty_company(adapter)
    answer = await _setup(adapter, SETUP)
    summary = answer.ImportSummary.Accounts
    assert (summary.New, summary.Updated, summary.Present, answer.ImportSummary.Organisation.Present) == (
        1, 2, True, False)
    assert summary.Deleted > 0 and summary.NewOrUpdated == 3 and summary.Errored == 0
    async with adapter._session() as session:
        from adapters.native.books import Books
        from adapters.native.ids import random_id
        books = await Books.load(session, EMPTY, new_id=random_id, now=adapter.clock)
        codes = {a.code for a in books.accounts.values() if not a.system_account}
        assert codes == {"200", "4100", "090"}
        assert summary.Total == len(books.accounts) and summary.System == sum(
            1 for a in books.accounts.values() if a.system_account)
        journal = (await session.scalars(select(Journal).where(Journal.company_id == EMPTY))).one()
        assert journal.date == dt.date(2026, 3, 31)
        balances = await account_balances(session, EMPTY)
    by_code = {books.account_by_code(c).id: c for c in ("090", "610", "840")}
    assert {by_code[k]: v for k, v in balances.items() if k in by_code} == {
        "090": Decimal("1500.00"), "610": Decimal("250.50"), "840": Decimal("-1750.50")}
    # Once it has transactions, a second setup is refused.
    with pytest.raises(ValidationException):
        await _setup(adapter, SETUP)


async def test_invalid_setups_write_nothing(adapter) -> None:
    await _empty_company(adapter)
    for bad, expected in (
        ({**SETUP, "ConversionDate": {"Month": 13, "Year": 2001}}, "Month"),
        ({"ConversionBalances": [{"AccountCode": "090", "Balance": 1}]}, "ConversionDate must be given"),
        ({**SETUP, "ConversionBalances": [{"AccountCode": "999", "Balance": 1}]}, "no account with the code"),
        ({**SETUP, "ConversionBalances": [{"AccountCode": "090", "BalanceDetails": [
            {"Balance": 5, "CurrencyCode": "USD"}]}]}, "base currency"),
    ):
        with pytest.raises(ValidationException) as caught:
            await _setup(adapter, bad)
        assert expected in json.dumps(caught.value.body()), caught.value.body()
    async with adapter._session() as session:
        assert (await session.scalars(select(Journal).where(Journal.company_id == EMPTY))).first() is None
