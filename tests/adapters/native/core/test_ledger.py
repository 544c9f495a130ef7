"""Double entry: every journal balances, the ledger nets to zero, control accounts agree with documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from adapters.native.ledger import posting as ledger
from adapters.native.tables.core import Account, Company, Journal, JournalLine

from .conftest import TENANT, call, invoice_element


async def _journals(adapter) -> list[Journal]:
    async with adapter.db.session() as session:
        return list(await session.scalars(select(Journal).where(Journal.company_id == TENANT)))


async def _balances_by_code(adapter) -> dict[str, Decimal]:
    async with adapter.db.session() as session:
        balances = await ledger.account_balances(session, TENANT)
        codes = {a.id: a.code for a in await session.scalars(select(Account).where(Account.company_id == TENANT))}
    return {codes[account_id]: amount for account_id, amount in balances.items()}


async def test_every_journal_balances_and_the_ledger_nets_to_zero(adapter) -> None:
    journals = await _journals(adapter)
    assert len(journals) > 200
    for journal in journals:
        assert journal.lines, journal.number
        assert sum(line.amount for line in journal.lines) == 0, journal.number
        assert all(isinstance(line.amount, Decimal) for line in journal.lines)
    assert len({j.number for j in journals}) == len(journals)
    balances = await _balances_by_code(adapter)
    assert sum(balances.values()) == 0
    assert any(b != 0 for b in balances.values())


async def test_control_accounts_agree_with_documents(adapter) -> None:
    invoices = (await call(adapter, "getInvoices")).items
    balances = await _balances_by_code(adapter)
    receivable = sum(i.AmountDue for i in invoices if i.Type == "ACCREC" and i.Status == "AUTHORISED")
    payable = sum(i.AmountDue for i in invoices if i.Type == "ACCPAY" and i.Status == "AUTHORISED")
    assert balances["610"] == receivable  # debit balance
    assert balances["800"] == -payable  # credit balance
    posted = [i for i in invoices if i.Status in ("AUTHORISED", "PAID")]
    vat = (sum(i.TotalTax for i in posted if i.Type == "ACCREC")
           - sum(i.TotalTax for i in posted if i.Type == "ACCPAY"))
    assert balances["820"] == -vat
    sales = sum(i.SubTotal for i in posted if i.Type == "ACCREC")
    assert balances["200"] + balances.get("260", Decimal(0)) == -sales


async def test_voided_and_draft_invoices_are_not_in_the_ledger(adapter) -> None:
    invoices = (await call(adapter, "getInvoices")).items
    live = {j.source_id for j in await _journals(adapter) if j.reverses is None and j.reversed_by is None}
    for inv in invoices:
        assert (inv.InvoiceID in live) == (inv.Status in ("AUTHORISED", "PAID")), (inv.InvoiceNumber, inv.Status)


async def test_posting_refuses_an_unbalanced_journal(adapter) -> None:
    async with adapter.db.session() as session:
        company = await session.get(Company, TENANT)
        bank = await session.scalar(select(Account).where(Account.company_id == TENANT, Account.code == "090"))
        with pytest.raises(ledger.LedgerImbalance):
            await ledger.post(session, company, date=dt.date(2026, 1, 1), source_type="MANJOURNAL",
                              source_id=None, postings=[ledger.Posting(bank.id, Decimal("10.00"))],
                              new_id=lambda kind: "x", now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


async def test_new_invoice_posts_ar_sales_and_vat(adapter) -> None:
    before = await _balances_by_code(adapter)
    (inv,) = (await call(adapter, "createInvoices", elements=[invoice_element()])).items
    after = await _balances_by_code(adapter)
    assert after["610"] - before["610"] == Decimal("240.00")
    assert after["200"] - before["200"] == Decimal("-200.00")
    assert after["820"] - before["820"] == Decimal("-40.00")
    async with adapter.db.session() as session:
        lines = list(await session.scalars(
            select(JournalLine).join(Journal).where(Journal.source_id == inv.InvoiceID)))
    assert sum(line.amount for line in lines) == 0 and len(lines) == 3


async def test_bill_posts_expense_vat_and_ap(adapter) -> None:
    before = await _balances_by_code(adapter)
    bill = invoice_element(Type="ACCPAY", Contact={"Name": "Cityline Telecom"},
                           LineItems=[{"Description": "Broadband", "Quantity": 1, "UnitAmount": "50.00",
                                       "AccountCode": "489"}])
    await call(adapter, "createInvoices", elements=[bill])
    after = await _balances_by_code(adapter)
    assert after["489"] - before["489"] == Decimal("50.00")
    assert after["820"] - before["820"] == Decimal("10.00")
    assert after["800"] - before["800"] == Decimal("-60.00")
