"""Budgets: reading the stored budgets as Xero shows them, and the overall budget's amounts for the BudgetSummary
report.

Rules (spec ``Budget``, ``getBudgets``/``getBudget``; https://developer.xero.com/documentation/api/accounting/
budgets): budgets are read only in the API (the spec has no write operation); the list carries each budget's header
(empty ``BudgetLines``, as the spec's example), a single budget its lines: one per account, each with its monthly
``BudgetBalances`` (``Period`` the month's first day, ``Amount`` positive for income and expenses alike, as Xero's
budget manager enters them). ``DateFrom``/``DateTo`` keep the months that overlap them. The overall budget is the
first ``OVERALL`` budget (Xero has exactly one).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from gateway.xero.models.budgets import Budget, BudgetBalance, BudgetLine
from gateway.xero.models.catalogue import TrackingCategory

from ..books import Books
from ..ledger.taxmath import round2
from ..tables.budgets import BudgetBalanceRow, BudgetRow


async def all_rows(books: Books) -> list[BudgetRow]:
    """The company's budgets: the overall budget first, then by description."""
    rows = await books.session.scalars(select(BudgetRow).where(BudgetRow.company_id == books.company.id))
    return sorted(rows, key=lambda r: (r.type != "OVERALL", r.description, r.id))


async def get_by_id(books: Books, budget_id: str) -> BudgetRow | None:
    """A budget of the company by ``BudgetID``, or ``None``."""
    return await books.get(BudgetRow, budget_id)


def _tracking(row: BudgetRow) -> list[TrackingCategory]:
    return [TrackingCategory(TrackingCategoryID=t.get("TrackingCategoryID"), Name=t.get("Name"),
                             TrackingOptionID=t.get("TrackingOptionID"), Option=t.get("Option"))
            for t in row.tracking or []]


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


async def to_model(books: Books, row: BudgetRow, *, with_lines: bool, date_from: dt.date | None = None,
                   date_to: dt.date | None = None) -> Budget:
    """The budget as Xero shows it; with its lines (months within ``date_from``..``date_to``) when asked."""
    model = Budget(BudgetID=row.id, Type=row.type, Description=row.description, UpdatedDateUTC=row.updated_utc,
                   BudgetLines=[], Tracking=_tracking(row))
    if not with_lines:
        return model
    query = select(BudgetBalanceRow).where(BudgetBalanceRow.budget_id == row.id)
    if date_from is not None:
        query = query.where(BudgetBalanceRow.period >= _month(date_from))
    if date_to is not None:
        query = query.where(BudgetBalanceRow.period <= date_to)
    by_account: dict[str, list[BudgetBalanceRow]] = defaultdict(list)
    for balance in await books.session.scalars(query.order_by(BudgetBalanceRow.period)):
        by_account[balance.account_id].append(balance)
    lines = []
    for account_id, balances in by_account.items():
        account = books.accounts[account_id]
        lines.append(BudgetLine(AccountID=account.id, AccountCode=account.code, BudgetBalances=[
            BudgetBalance(Period=b.period, Amount=round2(b.amount), Notes=b.notes or "") for b in balances]))
    model.BudgetLines = sorted(lines, key=lambda ln: (ln.AccountCode or "", ln.AccountID or ""))
    return model


async def overall_amounts(books: Books) -> dict[tuple[str, dt.date], Decimal]:
    """``(account id, month's first day) → budgeted amount`` of the overall budget (positive, as entered), for
    :mod:`adapters.native.reports.budget_summary`; empty when the company has no overall budget."""
    overall = next((r for r in await all_rows(books) if r.type == "OVERALL"), None)
    if overall is None:
        return {}
    rows = await books.session.scalars(select(BudgetBalanceRow).where(BudgetBalanceRow.budget_id == overall.id))
    out: dict[tuple[str, dt.date], Decimal] = {}
    for balance in rows:
        out[(balance.account_id, balance.period)] = balance.amount
    return out
