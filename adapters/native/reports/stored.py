"""The reports' :class:`~adapters.native.reports.balances.Ledger` over the stored per-day balances.

Each date range is one aggregate query over :class:`~adapters.native.tables.balances.AccountBalance` (``SUM`` of
integer units, exact), grouped by account and tracking combination: a report costs O(accounts × tracking
combinations) rows per column and the database scans O(accounts × days) index entries, whatever the number of
journals. Accrual basis only: cash basis reads the journal lines (:func:`open_ledger`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from sqlalchemy import func, select

from ..books import Books
from ..tables.balances import AccountBalance, from_units, parse_tracking_key
from .balances import BankMovement, JournalLines, Ledger, Line

#: How a report opens its ledger: ``(books, until=, cash_basis=)`` → :class:`Ledger`.
LedgerOpener = Callable[..., Awaitable[Ledger]]


class StoredBalances:
    """The stored balances of one company, as a :class:`Ledger` (module docstring)."""

    def __init__(self, books: Books) -> None:
        self._books = books
        self._ranges: dict[tuple[dt.date | None, dt.date], list[Line]] = {}

    def _in(self, start: dt.date | None, end: dt.date):  # noqa: ANN202 - a SQL expression
        where = (AccountBalance.company_id == self._books.company.id) & (AccountBalance.date <= end)
        return where if start is None else where & (AccountBalance.date >= start)

    async def lines(self, *, start: dt.date | None, end: dt.date) -> list[Line]:
        """One line per account and tracking combination: its net over ``start … end``, dated ``end``
        (:meth:`Ledger.lines`)."""
        cached = self._ranges.get((start, end))
        if cached is None:
            rows = await self._books.session.execute(
                select(AccountBalance.account_id, AccountBalance.tracking, func.sum(AccountBalance.amount))
                .where(self._in(start, end))
                .group_by(AccountBalance.account_id, AccountBalance.tracking))
            cached = self._ranges[(start, end)] = [
                Line(date=end, account_id=account_id, amount=from_units(units), tracking=parse_tracking_key(key))
                for account_id, key, units in rows]
        return cached

    async def bank(self, accounts: set[str], *, start: dt.date, end: dt.date) -> dict[str, BankMovement]:
        """Opening balance, received and spent per account (:meth:`Ledger.bank`)."""
        company = AccountBalance.company_id == self._books.company.id
        mine = AccountBalance.account_id.in_(accounts)
        opening = dict(list(await self._books.session.execute(
            select(AccountBalance.account_id, func.sum(AccountBalance.amount))
            .where(company, mine, AccountBalance.date < start).group_by(AccountBalance.account_id))))
        moved = {account_id: (received, spent) for account_id, received, spent in await self._books.session.execute(
            select(AccountBalance.account_id, func.sum(AccountBalance.received), func.sum(AccountBalance.spent))
            .where(self._in(start, end), mine).group_by(AccountBalance.account_id))}
        out: dict[str, BankMovement] = {}
        for account_id in {*opening, *moved}:
            received, spent = moved.get(account_id, (0, 0))
            out[account_id] = BankMovement(from_units(opening.get(account_id, 0)), from_units(received),
                                           from_units(spent))
        return out


async def open_ledger(books: Books, *, until: dt.date, cash_basis: bool = False) -> Ledger:
    """The ledger a report reads: the stored balances on accrual basis; on cash basis the journal lines up to
    ``until`` (:mod:`adapters.native.reports.balances`)."""
    if cash_basis:
        return await JournalLines.load(books, until=until, cash_basis=True)
    return StoredBalances(books)


async def open_reference(books: Books, *, until: dt.date, cash_basis: bool = False) -> Ledger:
    """The reference ledger, from the journal lines on either basis (what the property tests compare with)."""
    return await JournalLines.load(books, until=until, cash_basis=cash_basis)
