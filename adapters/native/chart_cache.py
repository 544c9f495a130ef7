"""Each company's chart (accounts, tax rates, currencies) kept in process between reads, with its invalidation.

A native read used to load the whole chart (about a hundred rows) on every request, most of its time. Reads now
take it from :class:`ChartCache`, keyed by company and tagged with the company's chart version
(:class:`~adapters.native.tables.chart.ChartVersion`), which :meth:`ChartCache.company` reads in the same statement
as the company row. Every flush that adds, changes or deletes a row of :data:`CHART_TABLES` bumps that version in
its own transaction (:func:`_bump_versions`, a session event, so no writer can forget it): the next read in any
process sharing the database sees a new version and loads the chart again. Writes never use the cache: they change
the rows they load.

The cached rows are detached ORM objects shared by concurrent reads: readers must not change them (writes load their
own). A table whose rows :class:`~adapters.native.books.Books` caches must be listed in :data:`CHART_TABLES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache
from sqlalchemy import event, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from . import data_version
from .tables.chart import ChartVersion
from .tables.core import Account, Company, Currency, TaxRate

#: The tables of a company's chart: a flushed change to any of their rows bumps the company's chart version.
CHART_TABLES: tuple[type[Any], ...] = (Account, TaxRate, Currency)

#: Companies whose chart one process keeps (LRU); a company beyond it loads its chart on its next read.
DEFAULT_SIZE = 4096


@dataclass(frozen=True)
class Chart:
    """One company's chart as loaded at ``version``.

    Attributes:
        version: the company's chart version when the rows were read (0: never bumped).
        accounts: account id → account (detached).
        tax_rates: tax type → rate (detached).
        currencies: enabled currency codes.
        by_code: upper-cased account ``Code`` → account.
    """

    version: int
    accounts: Mapping[str, Account]
    tax_rates: Mapping[str, TaxRate]
    currencies: frozenset[str]
    by_code: Mapping[str, Account]


def accounts_by_code(accounts: Mapping[str, Account]) -> dict[str, Account]:
    """Upper-cased ``Code`` → account (Xero matches codes case-insensitively); accounts without a code left out."""
    return {a.code.upper(): a for a in accounts.values() if a.code}


async def load_chart(session: AsyncSession, company_id: str, *, version: int = 0) -> Chart:
    """Read a company's chart in ``session`` (three statements) and detach its rows from it.

    Args:
        version: the chart version read *before* these rows (a later change then only costs one more load).
    """
    accounts = {a.id: a for a in await session.scalars(select(Account).where(Account.company_id == company_id))}
    rates = {r.tax_type: r for r in await session.scalars(select(TaxRate).where(TaxRate.company_id == company_id))}
    currencies = frozenset(await session.scalars(select(Currency.code).where(Currency.company_id == company_id)))
    return Chart(version=version, accounts=accounts, tax_rates=rates, currencies=currencies,
                 by_code=accounts_by_code(accounts))


class ChartCache:
    """Charts by company id, for reads (one per adapter instance, that is per process).

    Args:
        size: how many companies' charts to keep (least recently used dropped first).
    """

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self._charts: LRUCache[str, Chart] = LRUCache(maxsize=size)

    @staticmethod
    async def company(session: AsyncSession, company_id: str) -> tuple[Company | None, int]:
        """The company row and its chart version, in one primary-key statement (``(None, 0)``: no such company)."""
        row = (await session.execute(
            select(Company, ChartVersion.version)
            .outerjoin(ChartVersion, ChartVersion.company_id == Company.id)
            .where(Company.id == company_id))).first()
        if row is None:
            return None, 0
        return row[0], row[1] or 0

    async def chart(self, session: AsyncSession, company_id: str, version: int) -> Chart:
        """The company's chart at ``version``: the cached one when its version is that, else read in ``session``."""
        cached = self._charts.get(company_id)
        if cached is not None and cached.version == version:
            return cached
        chart = await load_chart(session, company_id, version=version)
        for row in (*chart.accounts.values(), *chart.tax_rates.values()):
            session.expunge(row)  # shared by later reads: never refreshed or flushed by this session
        self._charts[company_id] = chart
        return chart

    def clear(self) -> None:
        """Forget every chart (the next read of each company loads it)."""
        self._charts.clear()


def _changed_companies(session: Session) -> set[str]:
    changed = {obj.company_id for obj in (*session.new, *session.deleted) if isinstance(obj, CHART_TABLES)}
    changed.update(obj.company_id for obj in session.dirty
                   if isinstance(obj, CHART_TABLES) and session.is_modified(obj, include_collections=False))
    return changed


@event.listens_for(Session, "after_flush")
def _bump_versions(session: Session, _flush: UOWTransaction) -> None:
    """Bump the chart version of each company whose chart this flush changed, in the flush's transaction.

    After a flush the session's ``new``, ``dirty`` and ``deleted`` still hold what it wrote (SQLAlchemy's
    ``SessionEvents.after_flush``). A company's writes are serialised (:mod:`adapters.native.concurrency`), so the
    update-else-insert cannot race with itself. Then the companies' data versions (:mod:`.data_version`).
    """
    changed = _changed_companies(session)
    if changed:
        connection = session.connection()
        for company_id in sorted(changed):
            bumped = connection.execute(update(ChartVersion).where(ChartVersion.company_id == company_id)
                                        .values(version=ChartVersion.version + 1))
            if not bumped.rowcount:
                connection.execute(insert(ChartVersion).values(company_id=company_id, version=1))
    data_version.after_flush(session, _flush)


@event.listens_for(Session, "do_orm_execute")
def _bump_data_versions(state: ORMExecuteState) -> None:
    """DML sent through a session (no flush sees it) bumps its company's data version (:mod:`.data_version`)."""
    data_version.before_dml(state)
