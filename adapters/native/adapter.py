"""The embedded native ledger (source code 1000): a real double-entry ledger in SQLite, served as Xero.

This module is the adapter's lifecycle (tables, demo company, engine) and its local sign-in (tenants and users).
Its Xero operations are the mixins of ``ops_*.py`` (:mod:`adapters.native.ops_base`): ``ops_settings`` (Organisation,
TaxRates, Currencies, Accounts, Items, TrackingCategories, Users, BrandingThemes, Journals), ``ops_contacts``,
``ops_documents`` (Invoices, CreditNotes, Overpayments, Prepayments, Allocations), ``ops_banking`` (Payments,
BankTransactions, BankTransfers, ManualJournals), ``ops_workflow`` (Quotes, PurchaseOrders, LinkedTransactions),
``ops_history``, ``ops_attachments``, ``ops_pdf`` and ``ops_reports``. Each operation is named after the spec's
``operationId`` in snake case (``adapters/base.py``), opens one DB session and transaction (:meth:`_read`,
:meth:`_write`), loads the tenant's :class:`~adapters.native.books.Books`, and answers canonical models of
:mod:`gateway.xero.models`. Writes run every element in that one transaction (:mod:`adapters.native.batch`): with
``summarizeErrors`` true an invalid element rolls the whole batch back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import ClassVar, TypeVar

import structlog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.base import LedgerUser, SourceAdapter, Tenant
from gateway.settings import Settings
from gateway.store.db import Database
from gateway.store.files import private_dir
from gateway.xero.dates import utcnow
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import keyed
from .books import Books
from .demo import company as demo
from .ids import random_id
from .ops_attachments import AttachmentOperations
from .ops_banking import BankingOperations
from .ops_batch import BatchPaymentOperations
from .ops_budgets import BudgetOperations
from .ops_contacts import ContactOperations
from .ops_documents import DocumentOperations
from .ops_history import HistoryOperations
from .ops_pdf import PdfOperations
from .ops_published import PublishedReportOperations
from .ops_repeating import RepeatingInvoiceOperations
from .ops_reports import ReportOperations
from .ops_services import ServiceOperations
from .ops_settings import SettingsOperations
from .ops_workflow import WorkflowOperations
from .resources import users
from .tables import NativeBase
from .tables.core import Company, User

log = structlog.get_logger("adapters.native")

T = TypeVar("T")

class NativeLedgerAdapter(SettingsOperations, ContactOperations, DocumentOperations, BankingOperations,
                          WorkflowOperations, HistoryOperations, AttachmentOperations, PdfOperations, ReportOperations,
                          ServiceOperations, RepeatingInvoiceOperations, BatchPaymentOperations,
                          BudgetOperations, PublishedReportOperations, SourceAdapter):
    """The native ledger adapter.

    Args:
        code: the source code served (``"1000"``).
        settings: gateway settings (``native_database_url``, ``native.demo_*``).
        clock: aware-UTC clock for ``UpdatedDateUTC`` and the demo's first-start date (tests pass a fixed one).

    Attributes:
        demo_created: ``True`` when this :meth:`startup` seeded the demo company (``serve`` then prints the demo
            credentials).
        db: the ledger's database (``settings.native_database_url``).
    """

    system_name: ClassVar[str] = "Native ledger (embedded)"
    sign_in: ClassVar[str] = "local"
    #: Lists push ``where``/``order``/paging down to SQL (``listing.select_sql``); ``False`` evaluates them in
    #: memory (the reference behaviour; ``bench/native_list_pushdown.py`` compares the two).
    sql_pushdown: bool = True

    def __init__(self, *, code: str, settings: Settings, clock: Callable[[], dt.datetime] = utcnow) -> None:
        super().__init__(code=code, settings=settings)
        self.clock = clock
        self.demo_created = False
        self.db: Database | None = None
        # SQLite has one writer: serialising this process's writes avoids "database is locked" when a deferred
        # transaction that has read must upgrade to write, and keeps invoice numbering race-free.
        self._write_lock = asyncio.Lock()

    # Lifecycle ---------------------------------------------------------------------------------------------

    async def startup(self) -> None:
        """Create the tables; on first start (no company yet) seed the demo company and its user.

        Seeding happens when ``settings.native.demo_company`` is true; the demo user is
        ``settings.native.demo_user_email`` / ``demo_user_password``.
        """
        url = self.settings.native_database_url
        if url.startswith("sqlite") and "///" in url:
            private_dir(self.settings.data_dir)
        self.db = Database(url, base=NativeBase)
        await self.db.create_all()
        await self.start_repeating_schedule()
        if not self.settings.native.demo_company:
            return
        async with self.db.session() as session, session.begin():
            if await session.scalar(select(func.count()).select_from(Company)):
                return
            now = self.clock()
            await demo.seed(session, today=now.date(), now=now)
            native = self.settings.native
            await users.create(session, user_id=demo.DEMO_USER_ID, email=native.demo_user_email,
                               password=native.demo_user_password, tenant_ids=[demo.DEMO_TENANT_ID],
                               given_name="Demo", family_name="User", now=self.clock)
        self.demo_created = True
        log.info("native_demo_company_created", tenant_id=demo.DEMO_TENANT_ID)

    async def shutdown(self) -> None:
        """Stop the repeating-invoice schedule and dispose of the engine."""
        await self.stop_repeating_schedule()
        if self.db is not None:
            await self.db.dispose()
            self.db = None

    def _session(self) -> AsyncSession:
        if self.db is None:
            raise RuntimeError("NativeLedgerAdapter used before startup()")
        return self.db.session()

    async def _read(self, ctx: RequestContext, work: Callable[[Books], Awaitable[T]]) -> T:
        async with self._session() as session:
            books = await Books.load(session, ctx.tenant_id, new_id=random_id, now=self.clock)
            return await work(books)

    async def _write(self, ctx: RequestContext, req: XeroRequest, work: Callable[[Books], Awaitable[T]]) -> T:
        async with self._write_lock, self._session() as session, session.begin():
            books = await Books.load(session, ctx.tenant_id, new_id=random_id, now=self.clock)
            answer = await work(books)
            idempotency = self.settings.idempotency
            await keyed.record(session, ctx, req, answer, now=self.clock(), keep=dt.timedelta(
                seconds=idempotency.in_progress_timeout + idempotency.retention))
            return answer

    async def recorded_write(self, ctx: RequestContext, req: XeroRequest) -> Result | None:
        """The answer of the committed write made under ``req.idempotency_key`` (stored in the write's own
        transaction, :mod:`adapters.native.keyed`); ``None`` when that write did not commit."""
        async with self._session() as session:
            return await keyed.recorded(session, ctx, req)

    # Tenants and users ---------------------------------------------------------------------------------------

    async def list_tenants(self) -> list[Tenant]:
        """Every company of the ledger, by name."""
        async with self._session() as session:
            rows = await session.scalars(select(Company).order_by(Company.name, Company.id))
            return [Tenant(tenant_id=c.id, name=c.name) for c in rows]

    async def authenticate_user(self, email: str, password: str) -> LedgerUser | None:
        """The user when the argon2 hash verifies, else ``None`` (unknown e-mail or wrong password alike).

        The hash is checked in a worker thread and outside the write lock, so sign-in attempts never stall the
        tenants' writes; only a rehash (argon2's parameters changed) takes the lock, briefly, to store the new hash.
        """
        async with self._session() as session:
            found = await users.password_hash_of(session, email)
        if found is None:
            return None
        user_id, stored = found
        if not await users.verify_password(stored, password):
            return None
        if users.needs_rehash(stored):
            rehashed = await users.hash_password(password)
            async with self._write_lock, self._session() as session, session.begin():
                await users.set_password_hash(session, user_id, rehashed)
        async with self._session() as session:
            return await users.get(session, user_id)

    async def get_ledger_user(self, user_id: str) -> LedgerUser | None:
        """A user by id, or ``None``."""
        async with self._session() as session:
            return await users.get(session, user_id)

    async def create_user(self, *, email: str, password: str, tenant_ids: list[str], given_name: str = "",
                          family_name: str = "") -> LedgerUser:
        """Add a user. Raises ``ValueError`` (duplicate e-mail, unknown tenant, empty password)."""
        hashed = await users.hash_password(password) if password else None  # outside the write lock
        async with self._write_lock, self._session() as session, session.begin():
            return await users.create(session, user_id=random_id("user"), email=email, password=password,
                                      tenant_ids=tenant_ids, given_name=given_name, family_name=family_name,
                                      now=self.clock, password_hash=hashed)

    async def user_count(self) -> int:
        """How many users exist (for the CLI)."""
        async with self._session() as session:
            return int(await session.scalar(select(func.count()).select_from(User)) or 0)
