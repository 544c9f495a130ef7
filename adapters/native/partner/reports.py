"""The partner API's four reports, summed from the native ledger's journal lines (issue 16).

The same journal lines make the Xero API's reports (:mod:`adapters.native.reports`), so a posting made through
either API shows in both. Signs: journal lines are debit-positive; a report shows each account in its natural sign
(assets and expenses debit-positive, liabilities, equity and revenue credit-positive), in integer cents of the
company's base currency. Periods are inclusive dates.

- ``profit-and-loss`` (``fromDate``..``toDate``): revenue and expense accounts, ``netIncomeCents`` = revenue −
  expenses.
- ``balance-sheet`` (``asOf``): assets, liabilities and equity, with the earnings not yet closed to equity (all
  revenue − expenses to ``asOf``) as an equity line, so that assets = liabilities + equity.
- ``trial-balance`` (``asOf``): every account's balance on the debit or credit side; the two totals are equal.
- ``general-ledger`` (``fromDate``..``toDate``, optionally one ``accountId``): per account the opening balance,
  the period's lines and the closing balance (debit-positive).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .. import codes
from ..tables.core import Account, Company, Journal, JournalLine
from .wire import to_cents, to_date

_CREDIT_CLASSES = ("LIABILITY", "EQUITY", "REVENUE")
_ZERO = Decimal(0)


async def _accounts(session: AsyncSession, company_id: str) -> dict[str, Account]:
    rows = await session.scalars(select(Account).where(Account.company_id == company_id))
    return {row.id: row for row in rows}


async def _sums(session: AsyncSession, company_id: str, *, start: dt.date | None, end: dt.date) -> dict[str, Decimal]:
    stmt = (select(JournalLine.account_id, func.sum(JournalLine.amount))
            .join(Journal, Journal.id == JournalLine.journal_id)
            .where(JournalLine.company_id == company_id, Journal.date <= end).group_by(JournalLine.account_id))
    if start is not None:
        stmt = stmt.where(Journal.date >= start)
    return {account_id: Decimal(total or 0) for account_id, total in (await session.execute(stmt)).all()}


def _class(account: Account) -> str:
    return codes.class_by_type().get(account.type, "ASSET")


def _natural(account: Account, debit_positive: Decimal) -> Decimal:
    return -debit_positive if _class(account) in _CREDIT_CLASSES else debit_positive


def _row(account: Account, cents: int) -> dict[str, Any]:
    return {"accountId": account.id, "code": account.code, "name": account.name, "amountCents": cents}


def _section(accounts: dict[str, Account], sums: dict[str, Decimal], cls: str) -> dict[str, Any]:
    rows = [_row(accounts[a], to_cents(_natural(accounts[a], amount))) for a, amount in sums.items()
            if a in accounts and _class(accounts[a]) == cls and amount != _ZERO]
    rows.sort(key=lambda r: (r["code"] or "", r["name"]))
    return {"classification": cls.lower(), "accounts": rows, "totalCents": sum(r["amountCents"] for r in rows)}


def _head(company: Company, name: str, **dates: dt.date) -> dict[str, Any]:
    return {"report": name, "companyId": company.id, "currency": company.base_currency,
            **{key: to_date(value) for key, value in dates.items()}}


async def profit_and_loss(session: AsyncSession, company: Company, *, from_date: dt.date,
                          to_date_: dt.date) -> dict[str, Any]:
    accounts = await _accounts(session, company.id)
    sums = await _sums(session, company.id, start=from_date, end=to_date_)
    revenue, expense = _section(accounts, sums, "REVENUE"), _section(accounts, sums, "EXPENSE")
    return {**_head(company, "profit-and-loss", fromDate=from_date, toDate=to_date_), "sections": [revenue, expense],
            "netIncomeCents": revenue["totalCents"] - expense["totalCents"]}


async def balance_sheet(session: AsyncSession, company: Company, *, as_of: dt.date) -> dict[str, Any]:
    accounts = await _accounts(session, company.id)
    sums = await _sums(session, company.id, start=None, end=as_of)
    assets, liabilities = _section(accounts, sums, "ASSET"), _section(accounts, sums, "LIABILITY")
    equity = _section(accounts, sums, "EQUITY")
    earnings = _section(accounts, sums, "REVENUE")["totalCents"] - _section(accounts, sums, "EXPENSE")["totalCents"]
    equity["accounts"].append({"accountId": None, "code": None, "name": "Current and retained earnings",
                               "amountCents": earnings})
    equity["totalCents"] += earnings
    return {**_head(company, "balance-sheet", asOf=as_of), "sections": [assets, liabilities, equity],
            "totalAssetsCents": assets["totalCents"],
            "totalLiabilitiesAndEquityCents": liabilities["totalCents"] + equity["totalCents"]}


async def trial_balance(session: AsyncSession, company: Company, *, as_of: dt.date) -> dict[str, Any]:
    accounts = await _accounts(session, company.id)
    sums = await _sums(session, company.id, start=None, end=as_of)
    rows = []
    for account_id, amount in sums.items():
        if account_id not in accounts or amount == _ZERO:
            continue
        cents = to_cents(amount)
        account = accounts[account_id]
        rows.append({"accountId": account.id, "code": account.code, "name": account.name,
                     "classification": _class(account).lower(), "debitCents": max(cents, 0),
                     "creditCents": max(-cents, 0)})
    rows.sort(key=lambda r: (r["code"] or "", r["name"]))
    return {**_head(company, "trial-balance", asOf=as_of), "accounts": rows,
            "totalDebitCents": sum(r["debitCents"] for r in rows),
            "totalCreditCents": sum(r["creditCents"] for r in rows)}


async def general_ledger(session: AsyncSession, company: Company, *, from_date: dt.date, to_date_: dt.date,
                         account_id: str | None = None) -> dict[str, Any]:
    accounts = await _accounts(session, company.id)
    opening = await _sums(session, company.id, start=None, end=from_date - dt.timedelta(days=1))
    stmt = (select(JournalLine, Journal).join(Journal, Journal.id == JournalLine.journal_id)
            .where(JournalLine.company_id == company.id, Journal.date >= from_date, Journal.date <= to_date_)
            .order_by(Journal.date, Journal.number, JournalLine.position))
    if account_id is not None:
        stmt = stmt.where(JournalLine.account_id == account_id)
    lines: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line, journal in (await session.execute(stmt)).all():
        lines[line.account_id].append({"journalEntryId": journal.id, "date": to_date(journal.date),
                                       "amountCents": to_cents(line.amount), "description": line.description})
    wanted = {account_id} if account_id is not None else set(lines) | {a for a, v in opening.items() if v != _ZERO}
    out = []
    for aid in sorted(wanted & set(accounts), key=lambda a: (accounts[a].code or "", accounts[a].name)):
        start = to_cents(opening.get(aid, _ZERO))
        out.append({"accountId": aid, "code": accounts[aid].code, "name": accounts[aid].name,
                    "openingBalanceCents": start, "lines": lines.get(aid, []),
                    "closingBalanceCents": start + sum(line["amountCents"] for line in lines.get(aid, []))})
    return {**_head(company, "general-ledger", fromDate=from_date, toDate=to_date_), "accounts": out}
