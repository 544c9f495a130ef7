"""What the reports need from the chart of accounts: labels, ordering, signs, the financial year, profit.

Ordering: accounts are listed by name within a section, as in the spec's BalanceSheet and TrialBalance examples
(``Accounts Receivable``, ``Business Wells Fargo``, ``Generic Cash Clearing``…), then by code and id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from ..books import Books
from ..tables.core import Account
from . import periods
from .sections import natural_sign

ZERO = Decimal("0")
#: Account classes whose balances make profit (spec ``Account.Class``).
PROFIT_CLASSES = frozenset({"REVENUE", "EXPENSE"})


def sort_key(account: Account) -> tuple[str, str, str]:
    """Name (case-insensitive), then code, then id."""
    return (account.name.lower(), account.code or "", account.id)


def of_types(books: Books, types: Iterable[str]) -> list[Account]:
    """The company's accounts of ``types``, ordered by :func:`sort_key`."""
    wanted = frozenset(types)
    return sorted((a for a in books.accounts.values() if a.type in wanted), key=sort_key)


def signed(account: Account, amount: Decimal) -> Decimal:
    """``amount`` on the account's natural side (see :func:`adapters.native.reports.sections.natural_sign`)."""
    return natural_sign(account.type) * amount


def profit_accounts(books: Books) -> set[str]:
    """Ids of the accounts whose class is REVENUE or EXPENSE."""
    return {a.id for a in books.accounts.values() if books.account_class(a) in PROFIT_CLASSES}


def profit(sums: Mapping[str, Decimal], accounts: set[str]) -> Decimal:
    """Net profit of ``sums`` over ``accounts``: ``-Σ amount`` (revenue is credit, so profit is positive)."""
    return -sum((amount for account_id, amount in sums.items() if account_id in accounts), ZERO)


def year_start(books: Books, day: dt.date) -> dt.date:
    """First day of the company's financial year containing ``day`` (``Organisation.FinancialYearEnd*``)."""
    company = books.company
    return periods.financial_year_start(day, end_day=company.financial_year_end_day,
                                        end_month=company.financial_year_end_month)


def system_account(books: Books, system: str) -> Account | None:
    """The account with ``SystemAccount == system``, or ``None``."""
    return next((a for a in books.accounts.values() if a.system_account == system), None)


def has_amount(values: Iterable[Decimal]) -> bool:
    """Whether any value is non-zero (accounts without any are left out of a report)."""
    return any(v != 0 for v in values)
