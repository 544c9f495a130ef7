"""The embedded native ledger (source code 1000): a real double-entry ledger in SQLite, served as Xero.

This module is the adapter's lifecycle (tables, demo company, engine) and its local sign-in (tenants and users).
Its Xero operations are the mixins of ``ops_*.py`` (:mod:`adapters.native.ops_base`): ``ops_settings`` (Organisation,
TaxRates, Currencies, Accounts, Items, TrackingCategories, Users, BrandingThemes, Journals), ``ops_contacts``,
``ops_documents`` (Invoices, CreditNotes, Overpayments, Prepayments, Allocations), ``ops_banking`` (Payments,
BankTransactions, BankTransfers, ManualJournals), ``ops_workflow`` (Quotes, PurchaseOrders, LinkedTransactions),
``ops_history``, ``ops_attachments``, ``ops_pdf``, ``ops_reports``, ``ops_receipts``, ``ops_expense_claims`` and
``ops_email`` (``emailInvoice``). Each operation is named after the spec's
``operationId`` in snake case (``adapters/base.py``), opens one DB session and transaction (:meth:`_read`,
:meth:`_write`), loads the tenant's :class:`~adapters.native.books.Books`, and answers canonical models of
:mod:`gateway.xero.models`. Writes run every element in that one transaction (:mod:`adapters.native.batch`): with
``summarizeErrors`` true an invalid element rolls the whole batch back. A write holds its tenant's turn only: how
writes share the database across tenants and processes is :mod:`adapters.native.concurrency`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import ClassVar, TypeVar

import structlog
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.base import LedgerUser, SourceAdapter, Tenant
from gateway.migrations.runner import upgrade as migrate
from gateway.migrations.trees import LEDGER
from gateway.settings import Settings
from gateway.store.db import Database
from gateway.store.files import private_dir
from gateway.xero.dates import utcnow
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import concurrency, currency_rates, data_version, keyed
from .books import Books
from .chart_cache import ChartCache
from .demo import company as demo
from .ids import random_id
from .ledger import posting
from .ops_attachment_flags import AttachmentFlagOperations
from .ops_attachments import AttachmentOperations
from .ops_banking import BankingOperations
from .ops_batch import BatchPaymentOperations
from .ops_budgets import BudgetOperations
from .ops_contacts import ContactOperations
from .ops_documents import DocumentOperations
from .ops_email import EmailOperations
from .ops_employees import EmployeeOperations
from .ops_expense_claims import ExpenseClaimOperations
from .ops_history import HistoryOperations
from .ops_pdf import PdfOperations
from .ops_published import PublishedReportOperations
from .ops_receipts import ReceiptOperations
from .ops_repeating import RepeatingInvoiceOperations
from .ops_reports import ReportOperations
from .ops_services import ServiceOperations
from .ops_settings import SettingsOperations
from .ops_tax_components import TaxComponentOperations
from .ops_workflow import WorkflowOperations
from .resources import users
from .tables import NativeBase
from .tables.core import Company, User

log = structlog.get_logger("adapters.native")

T = TypeVar("T")

#: Reads whose answer depends only on the company's rows and the request (lists and single GETs of stored records):
#: their answers may be cached under the company's data version (:meth:`NativeLedgerAdapter.answer_version`).
#: Reports, history, attachments, PDFs, users and anything computed "as at today" are not listed.
CACHEABLE_READS = frozenset({
    "getOrganisations", "getInvoices", "getInvoice", "getCreditNotes", "getCreditNote", "getPayments", "getPayment",
    "getAccounts", "getAccount", "getTaxRates", "getCurrencies", "getItems", "getItem", "getBankTransactions",
    "getBankTransaction", "getManualJournals", "getManualJournal",
})

#: Reads that depend on the company's rows and on today's date too (contacts' ``Balances``: overdue is "due before
#: today", resources/contacts.py ``contact_facts``): cached under the data version and the date.
DATED_READS = frozenset({"getContacts", "getContact"})

class NativeLedgerAdapter(AttachmentFlagOperations, TaxComponentOperations, SettingsOperations, ContactOperations,
                          DocumentOperations, BankingOperations, WorkflowOperations, HistoryOperations,
                          AttachmentOperations, PdfOperations, ReportOperations, ReceiptOperations,
                          ExpenseClaimOperations, EmailOperations, ServiceOperations, RepeatingInvoiceOperations,
                          BatchPaymentOperations, BudgetOperations, PublishedReportOperations, EmployeeOperations,
                          SourceAdapter):
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
    #: The Partner Bookkeeping API on the same books, at ``/ledger/api`` (issue 16; docs/partner-api.md).
    web_extension: ClassVar[str | None] = "adapters.native.partner.web:setup"
    #: Lists push ``where``/``order``/paging down to SQL (``listing.select_sql``); ``False`` evaluates them in
    #: memory (the reference behaviour; ``bench/native_list_pushdown.py`` compares the two).
    sql_pushdown: bool = True
    #: Test probe: awaited with ``("queued", tenant_id)`` when a write got its tenant's turn in this process, and
    #: with ``("locked", tenant_id)`` inside its transaction once the tenant's company row is loaded (and locked).
    write_probe: Callable[[str, str], Awaitable[None]] | None = None

    def __init__(self, *, code: str, settings: Settings, clock: Callable[[], dt.datetime] = utcnow) -> None:
        super().__init__(code=code, settings=settings)
        self.clock = clock
        self.demo_created = False
        self.db: Database | None = None
        # A tenant's writes queue here in this process; across processes the database's locks serialise them
        # (adapters.native.concurrency). Writes of different tenants never wait for each other here.
        self._tenant_queues = concurrency.TenantQueues()
        #: The companies' charts, kept between reads (:mod:`adapters.native.chart_cache`).
        self.charts = ChartCache()
        self._versions: data_version.VersionReader | None = None

    # Lifecycle ---------------------------------------------------------------------------------------------

    async def startup(self) -> None:
        """Migrate the ledger's schema (gateway.migrations; created on a new database); build the reports' balances
        of a ledger that has journals but none (:func:`adapters.native.ledger.posting.rebuild_balances`); on first start
        (no company yet) seed the demo company and its user.

        Seeding happens when ``settings.native.demo_company`` is true; the demo user is
        ``settings.native.demo_user_email`` / ``demo_user_password``.
        """
        url = self.settings.native_database_url
        if url.startswith("sqlite") and "///" in url:
            private_dir(self.settings.data_dir)
        self.db = Database(url, base=NativeBase, migrations=LEDGER.name)
        await migrate(self.db.engine, LEDGER)  # creates, adopts or upgrades the ledger's schema
        try:
            async with self.db.session() as session, session.begin():
                # A ledger written before the reports' balances existed: build them once, before reports read them.
                if rebuilt := await posting.rebuild_balances(session):
                    log.info("native_balances_rebuilt", journals=rebuilt)
        except IntegrityError:  # another process starting on the same database rebuilt them first
            log.info("native_balances_rebuilt_elsewhere")
        await self.start_repeating_schedule()
        if not self.settings.native.demo_company:
            return
        async with self.db.write_session() as session:  # one process seeds; another waits, then sees the company
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
        if self._versions is not None:
            self._versions.close()
            self._versions = None
        if self.db is not None:
            await self.db.dispose()
            self.db = None

    def _session(self) -> AsyncSession:
        return self._database().session()

    async def _read(self, ctx: RequestContext, work: Callable[[Books], Awaitable[T]]) -> T:
        async with self._session() as session:
            books = await Books.load(session, ctx.tenant_id, new_id=random_id, now=self.clock, charts=self.charts)
            return await work(books)

    def _database(self) -> Database:
        if self.db is None:
            raise RuntimeError("NativeLedgerAdapter used before startup()")
        return self.db

    async def _transaction(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run ``work`` in one write transaction (:meth:`Database.write_session`), the whole transaction again on
        contention (:func:`concurrency.retried`, which raises ``LedgerBusy``, a 503, after its last attempt)."""
        db = self._database()

        async def attempt() -> T:
            async with db.write_session() as session:
                return await work(session)

        return await concurrency.retried(attempt)

    async def _write(self, ctx: RequestContext, req: XeroRequest, work: Callable[[Books], Awaitable[T]]) -> T:
        """Run ``work`` on the tenant's books in one write transaction that locks the company row first, with the
        request's ``Idempotency-Key`` answer recorded in it; in this process after the tenant's earlier writes.

        Raises:
            LedgerBusy: the database stayed locked through every attempt (503; nothing was kept).
        """
        async def in_transaction(session: AsyncSession) -> T:
            books = await Books.load(session, ctx.tenant_id, new_id=random_id, now=self.clock, for_update=True)
            if self.write_probe is not None:
                await self.write_probe("locked", ctx.tenant_id)
            answer = await work(books)
            idempotency = self.settings.idempotency
            await keyed.record(session, ctx, req, answer, now=self.clock(), keep=dt.timedelta(
                seconds=idempotency.in_progress_timeout + idempotency.retention))
            return answer

        async with self._tenant_queues.turn(ctx.tenant_id):
            if self.write_probe is not None:
                await self.write_probe("queued", ctx.tenant_id)
            return await self._transaction(in_transaction)

    async def recorded_write(self, ctx: RequestContext, req: XeroRequest) -> Result | None:
        """The answer of the committed write made under ``req.idempotency_key`` (stored in the write's own
        transaction, :mod:`adapters.native.keyed`); ``None`` when that write did not commit."""
        async with self._session() as session:
            return await keyed.recorded(session, ctx, req)

    async def answer_version(self, ctx: RequestContext, operation_id: str) -> int | tuple[int, dt.date] | None:
        """The company's data version (:mod:`adapters.native.data_version`) for :data:`CACHEABLE_READS`, with
        today's date for :data:`DATED_READS`; ``None`` for every other operation or a company without a version row.
        One primary-key statement (:class:`adapters.native.data_version.VersionReader`)."""
        dated = operation_id in DATED_READS
        if not dated and operation_id not in CACHEABLE_READS:
            return None
        if self._versions is None:
            self._versions = data_version.VersionReader(self._database().engine)
        version = await self._versions.read(ctx.tenant_id)
        if version is None:
            return None
        return (version, self.clock().date()) if dated else version

    # Tenants and users ---------------------------------------------------------------------------------------

    async def list_tenants(self) -> list[Tenant]:
        """Every company of the ledger, by name."""
        async with self._session() as session:
            rows = await session.scalars(select(Company).order_by(Company.name, Company.id))
            return [Tenant(tenant_id=c.id, name=c.name) for c in rows]

    async def authenticate_user(self, email: str, password: str) -> LedgerUser | None:
        """The user when the argon2 hash verifies, else ``None`` (unknown e-mail or wrong password alike).

        The hash is checked in a worker thread and outside any write transaction, so sign-in attempts never stall
        the tenants' writes; only a rehash (argon2's parameters changed) opens one, briefly, to store the new hash.
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
            await self._transaction(lambda session: users.set_password_hash(session, user_id, rehashed))
        async with self._session() as session:
            return await users.get(session, user_id)

    async def get_ledger_user(self, user_id: str) -> LedgerUser | None:
        """A user by id, or ``None``."""
        async with self._session() as session:
            return await users.get(session, user_id)

    async def find_ledger_user(self, email: str) -> LedgerUser | None:
        """A user by e-mail address, or ``None``."""
        async with self._session() as session:
            return await users.by_email(session, email)

    async def create_user(self, *, email: str, password: str, tenant_ids: list[str], given_name: str = "",
                          family_name: str = "") -> LedgerUser:
        """Add a user. Raises ``ValueError`` (duplicate e-mail, unknown tenant, empty password)."""
        hashed = await users.hash_password(password) if password else None  # outside the write transaction
        user_id = random_id("user")
        return await self._transaction(lambda session: users.create(
            session, user_id=user_id, email=email, password=password, tenant_ids=tenant_ids, given_name=given_name,
            family_name=family_name, now=self.clock, password_hash=hashed))

    async def user_count(self) -> int:
        """How many users exist (for the CLI)."""
        async with self._session() as session:
            return int(await session.scalar(select(func.count()).select_from(User)) or 0)

    # The operator's currency rates (adapters.native.currency_rates) -----------------------------------------

    async def set_currency_rates(self, tenant_id: str, *, rows: list[tuple[str, str, str]] | None = None,
                                 csv_text: str | None = None, csv_name: str = "CSV") -> list[dict[str, str]]:
        """Store the rates given as ``(currency, date, rate)`` texts or as a CSV file's text, all or nothing
        (:func:`currency_rates.set_rates`). Raises ``ValueError`` (a bad rate, row or currency) or ``LookupError``
        (no such tenant)."""
        entries = [currency_rates.parse_entry(*row) for row in rows or []]
        if csv_text is not None:
            entries.extend(currency_rates.read_csv(csv_text, name=csv_name))
        return await currency_rates.set_rates(self._database(), tenant_id, entries)

    async def list_currency_rates(self, tenant_id: str) -> list[dict[str, str]]:
        """The tenant's stored rates (:func:`currency_rates.list_rates`). Raises ``LookupError``."""
        return await currency_rates.list_rates(self._database(), tenant_id)
