"""The per-request view of one company's books: the company row, its accounts, tax rates and currencies.

Loaded once at the start of a request inside its DB session, so that validating a batch of elements does not
query the chart for every line. Writes that add accounts register them here (:meth:`Books.add_account`). Reads take
the chart from the adapter's :class:`~adapters.native.chart_cache.ChartCache` (one statement per request: the
company row and its chart version); writes always read it afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.xero.errors import Forbidden
from gateway.xero.guids import normalise_guid

from . import codes, data_version
from .chart_cache import ChartCache, accounts_by_code, load_chart
from .ids import IdFactory
from .tables.core import Account, Company, TaxRate

Clock = Callable[[], dt.datetime]


R = TypeVar("R")


@dataclass
class Books:
    """One company's books within one DB session.

    Attributes:
        session: the request's session (one transaction per request).
        company: the company (tenant) row.
        accounts: account id → account.
        tax_rates: tax type → rate.
        currencies: enabled currency codes.
        new_id: id factory for new records.
        now: clock giving aware UTC datetimes (``UpdatedDateUTC``).
    """

    session: AsyncSession
    company: Company
    accounts: dict[str, Account]
    tax_rates: dict[str, TaxRate]
    currencies: set[str]
    new_id: IdFactory
    now: Clock
    _by_code: dict[str, Account] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self._by_code:
            self._by_code = accounts_by_code(self.accounts)

    @classmethod
    async def load(cls, session: AsyncSession, company_id: str, *, new_id: IdFactory, now: Clock,
                   for_update: bool = False, charts: ChartCache | None = None) -> Books:
        """Load a company's books.

        Args:
            for_update: lock the company row first (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite has no row locks
                and its write transactions hold the database's write lock instead): a write's first statement, so
                that the tenant's writes are serialised across processes and its numbering is race-free
                (:mod:`adapters.native.concurrency`). The chart is then read afresh, whatever ``charts``.
            charts: a read's chart cache: the chart's rows are then shared, detached, with other reads and must not
                be changed (``accounts`` and ``tax_rates`` are this request's own dicts of them).

        Raises:
            Forbidden: no such company (``AuthenticationUnsuccessful``: the tenant is not served here).
        """
        session.info[data_version.COMPANY] = company_id  # the company of changed rows without company_id
        if charts is not None and not for_update:
            company, version = await charts.company(session, company_id)
            if company is None:
                raise Forbidden("AuthenticationUnsuccessful")
            chart = await charts.chart(session, company_id, version)
        else:
            company = await session.get(Company, company_id, with_for_update=for_update)
            if company is None:
                raise Forbidden("AuthenticationUnsuccessful")
            chart = await load_chart(session, company_id)
        return cls(session=session, company=company, accounts=dict(chart.accounts), tax_rates=dict(chart.tax_rates),
                   currencies=set(chart.currencies), new_id=new_id, now=now, _by_code=dict(chart.by_code))

    async def get(self, table: type[R], record_id: str) -> R | None:
        """The tenant's row of ``table`` whose id is ``record_id`` (a GUID in any case, hyphens optional), or
        ``None`` (not a GUID, no such row, or another tenant's)."""
        guid = normalise_guid(record_id or "")
        row: Any = await self.session.get(table, guid) if guid else None
        return row if row is not None and row.company_id == self.company.id else None

    def today(self) -> dt.date:
        """The company's current date (UK organisations: UTC/GMT is close enough for dates)."""
        return self.now().date()

    def account_by_code(self, code: str | None) -> Account | None:
        """Account by ``Code`` (case-insensitive, as Xero matches codes), or ``None``."""
        return self._by_code.get(code.strip().upper()) if code else None

    def add_account(self, account: Account) -> None:
        """Register an account created or re-coded during this request."""
        self.accounts[account.id] = account
        self._by_code = {a.code.upper(): a for a in self.accounts.values() if a.code}

    def system_account(self, system: str) -> Account:
        """The account carrying ``SystemAccount == system`` (``DEBTORS``, ``CREDITORS``, ``GST``…).

        Raises:
            LookupError: the chart has no such system account (a broken company).
        """
        for account in self.accounts.values():
            if account.system_account == system:
                return account
        raise LookupError(f"company {self.company.id} has no {system} system account")

    @staticmethod
    def account_class(account: Account) -> str:
        """The account's Xero ``Class`` (derived from its ``Type``)."""
        return codes.class_by_type()[account.type]
