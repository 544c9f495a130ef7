"""The embedded native ledger (source code 1000): a real double-entry ledger in SQLite, served as Xero.

Operations are named after the spec's ``operationId`` in snake case (``adapters/base.py``); each opens one DB
session and transaction, loads the tenant's :class:`~adapters.native.books.Books`, and answers canonical models
of :mod:`gateway.xero.models`. Writes run every element in that one transaction (:mod:`adapters.native.batch`):
with ``summarizeErrors`` true an invalid element rolls the whole batch back.

Default orders (stable, documented; a client's ``order`` sorts first and these break ties):
Accounts by ``Code`` then id; TaxRates by ``Name`` then ``TaxType``; Currencies by ``Code``; Contacts by ``Name``
then id; Invoices and Payments by ``UpdatedDateUTC`` then id, so that ``If-Modified-Since`` + paging walks changes
in order.

Lists of Invoices, Contacts, Accounts, Payments and TaxRates run their ``where``, ``order``, paging and
``If-Modified-Since`` in SQL (:func:`adapters.native.listing.select_sql` with the field maps of
:mod:`adapters.native.fieldmaps`), falling back to memory for what does not translate exactly.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, TypeVar

import structlog
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.base import LedgerUser, SourceAdapter, Tenant
from gateway.settings import Settings
from gateway.store.db import Database
from gateway.xero import models as xm
from gateway.xero.dates import utcnow
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.guids import normalise_guid
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import accounts, batch, contacts, demo, fieldmaps, invoices, listing, payments, refunds, translate, users
from .books import Books
from .ids import random_id
from .models import Account, Company, Contact, Currency, Invoice, NativeBase, Payment, TaxRate, User
from .ops_catalogue import CatalogueOperations
from .ops_documents import DocumentOperations
from .ops_reports import ReportOperations
from .ops_workflow import WorkflowOperations

log = structlog.get_logger("adapters.native")

T = TypeVar("T")

_ORDER_ACCOUNTS = [OrderTerm("Code"), OrderTerm("AccountID")]
_ORDER_TAX_RATES = [OrderTerm("Name"), OrderTerm("TaxType")]
_ORDER_CURRENCIES = [OrderTerm("Code")]
_ORDER_CONTACTS = [OrderTerm("Name"), OrderTerm("ContactID")]
_ORDER_INVOICES = [OrderTerm("UpdatedDateUTC"), OrderTerm("InvoiceID")]
_ORDER_PAYMENTS = [OrderTerm("UpdatedDateUTC"), OrderTerm("PaymentID")]


def _page(page: listing.Page[Any]) -> Result:
    return Result(items=list(page.items), pagination=page.pagination)


class NativeLedgerAdapter(DocumentOperations, CatalogueOperations, WorkflowOperations, ReportOperations,
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
            self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.db = Database(url, base=NativeBase)
        await self.db.create_all()
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
        """Dispose of the engine."""
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

    async def _write(self, ctx: RequestContext, work: Callable[[Books], Awaitable[T]]) -> T:
        async with self._write_lock, self._session() as session, session.begin():
            books = await Books.load(session, ctx.tenant_id, new_id=random_id, now=self.clock)
            return await work(books)

    # Tenants and users ---------------------------------------------------------------------------------------

    async def list_tenants(self) -> list[Tenant]:
        """Every company of the ledger, by name."""
        async with self._session() as session:
            rows = await session.scalars(select(Company).order_by(Company.name, Company.id))
            return [Tenant(tenant_id=c.id, name=c.name) for c in rows]

    async def authenticate_user(self, email: str, password: str) -> LedgerUser | None:
        """The user when the argon2 hash verifies, else ``None``."""
        async with self._write_lock, self._session() as session, session.begin():
            return await users.authenticate(session, email, password)

    async def get_ledger_user(self, user_id: str) -> LedgerUser | None:
        """A user by id, or ``None``."""
        async with self._session() as session:
            return await users.get(session, user_id)

    async def create_user(self, *, email: str, password: str, tenant_ids: list[str], given_name: str = "",
                          family_name: str = "") -> LedgerUser:
        """Add a user. Raises ``ValueError`` (duplicate e-mail, unknown tenant, empty password)."""
        async with self._write_lock, self._session() as session, session.begin():
            return await users.create(session, user_id=random_id("user"), email=email, password=password,
                                      tenant_ids=tenant_ids, given_name=given_name, family_name=family_name,
                                      now=self.clock)

    async def user_count(self) -> int:
        """How many users exist (for the CLI)."""
        async with self._session() as session:
            return int(await session.scalar(select(func.count()).select_from(User)) or 0)

    # Organisation, tax rates, currencies ---------------------------------------------------------------------

    async def get_organisations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Organisation``: the tenant's organisation (collection key ``Organisations``)."""
        async def work(books: Books) -> Result:
            return Result(items=[translate.organisation(books.company)])
        return await self._read(ctx, work)

    async def get_tax_rates(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TaxRates`` with ``where`` and ``order``."""
        async def work(books: Books) -> Result:
            async def to_models(rows: list[TaxRate]) -> list[xm.TaxRate]:
                return [translate.tax_rate(r) for r in rows]
            statement = select(TaxRate).where(TaxRate.company_id == books.company.id)
            return _page(await listing.select_sql(
                books.session, statement, req.query, fields=fieldmaps.TAX_RATES, default_order=_ORDER_TAX_RATES,
                to_models=to_models, pushdown=self.sql_pushdown))
        return await self._read(ctx, work)

    async def get_tax_rate_by_tax_type(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TaxRates/{TaxType}``. Raises ``NotFound``."""
        tax_type = req.path_params.get("TaxType", "").upper()

        async def work(books: Books) -> Result:
            row = books.tax_rates.get(tax_type)
            if row is None:
                raise NotFound()
            return Result(items=[translate.tax_rate(row)])
        return await self._read(ctx, work)

    async def get_currencies(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Currencies``: the currencies enabled for the organisation."""
        async def work(books: Books) -> Result:
            rows = await books.session.scalars(select(Currency).where(Currency.company_id == books.company.id))
            return _page(listing.select([translate.currency(r) for r in rows], req.query,
                                        default_order=_ORDER_CURRENCIES))
        return await self._read(ctx, work)

    # Accounts ------------------------------------------------------------------------------------------------

    async def get_accounts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts`` (archived accounts included, as Xero does) with ``where``, ``order`` and
        ``If-Modified-Since``."""
        async def work(books: Books) -> Result:
            async def to_models(rows: list[Account]) -> list[xm.Account]:
                return [translate.account(a) for a in rows]
            statement = select(Account).where(Account.company_id == books.company.id)
            return _page(await listing.select_sql(
                books.session, statement, req.query, fields=fieldmaps.ACCOUNTS, default_order=_ORDER_ACCOUNTS,
                to_models=to_models, pushdown=self.sql_pushdown))
        return await self._read(ctx, work)

    async def get_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts/{AccountID}``. Raises ``NotFound``."""
        account_id = normalise_guid(req.path_params.get("AccountID", "")) or ""

        async def work(books: Books) -> Result:
            row = books.accounts.get(account_id)
            if row is None:
                raise NotFound()
            return Result(items=[translate.account(row)])
        return await self._read(ctx, work)

    async def create_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Accounts`` (one element). Raises ``ValidationException``."""
        element = self._one(req)

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: accounts.write(books, el))
            return Result(items=[translate.account(row)])
        return await self._write(ctx, work)

    async def update_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Accounts/{AccountID}`` (one element). Raises ``NotFound``, ``ValidationException``."""
        element = self._one(req)
        account_id = req.path_params.get("AccountID", "")

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: accounts.write(books, el, account_id=account_id))
            return Result(items=[translate.account(row)])
        return await self._write(ctx, work)

    # Contacts ------------------------------------------------------------------------------------------------

    async def _contact_models(self, books: Books, rows: list[Contact], *, summary: bool,
                              with_balances: bool) -> list[xm.Contact]:
        facts = await contacts.contact_facts(books, contact_ids=[r.id for r in rows])
        empty = contacts.ContactFacts()
        out = []
        for row in rows:
            f = facts.get(row.id, empty)
            out.append(translate.contact(row, is_customer=f.is_customer, is_supplier=f.is_supplier,
                                         balances=f.balances() if with_balances else None, summary=summary))
        return out

    async def get_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts``: ``IDs``, ``includeArchived`` (archived contacts are hidden unless asked for, or
        unless ``where`` mentions ``ContactStatus``), ``searchTerm`` (Name, FirstName, LastName, ContactNumber,
        EmailAddress, CompanyNumber; case-insensitive contains), ``summaryOnly``,
        ``where``, ``order``, paging, ``If-Modified-Since`` (:func:`adapters.native.fieldmaps.contact_filters`).
        ``Balances`` are included on paged lists only (as Xero does)."""
        q = req.query

        async def work(books: Books) -> Result:
            async def to_models(rows: list[Contact]) -> list[xm.Contact]:
                return await self._contact_models(books, rows, summary=q.summary_only,
                                                  with_balances=q.page is not None)
            statement = select(Contact).where(Contact.company_id == books.company.id,
                                              *fieldmaps.contact_filters(q))
            return _page(await listing.select_sql(
                books.session, statement, q, fields=fieldmaps.CONTACTS, default_order=_ORDER_CONTACTS,
                to_models=to_models, pushdown=self.sql_pushdown))
        return await self._read(ctx, work)

    async def get_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactID}`` (with ``Balances``). Raises ``NotFound``."""
        contact_id = normalise_guid(req.path_params.get("ContactID", "")) or ""

        async def work(books: Books) -> Result:
            row = await contacts.get_by_id(books, contact_id) if contact_id else None
            if row is None:
                raise NotFound()
            return Result(items=await self._contact_models(books, [row], summary=False, with_balances=True))
        return await self._read(ctx, work)

    async def get_contact_by_contact_number(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactNumber}``. Raises ``NotFound``."""
        number = req.path_params.get("ContactNumber", "")

        async def work(books: Books) -> Result:
            row = await contacts.get_by_number(books, number) if number else None
            if row is None:
                raise NotFound()
            return Result(items=await self._contact_models(books, [row], summary=False, with_balances=True))
        return await self._read(ctx, work)

    async def _write_contacts(self, ctx: RequestContext, req: XeroRequest, *, mode: str,
                              path_id: str | None = None) -> Result:
        async def work(books: Books) -> Result:
            async def apply(el: Any) -> xm.Contact:
                row = await contacts.write(books, el, mode=mode, path_id=path_id, client_id=ctx.client_id)
                return (await self._contact_models(books, [row], summary=False, with_balances=False))[0]
            items = await batch.run_batch(req.elements, apply, model=xm.Contact,
                                          summarize_errors=req.query.summarize_errors)
            return Result(items=list(items))
        return await self._write(ctx, work)

    async def create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Contacts``: create only. Raises ``ValidationException`` (summarizeErrors)."""
        return await self._write_contacts(ctx, req, mode="create")

    async def update_or_create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Contacts``: update by ``ContactID`` or ``ContactNumber``, else create."""
        return await self._write_contacts(ctx, req, mode="upsert")

    async def update_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Contacts/{ContactID}``. Raises ``NotFound``, ``ValidationException``."""
        req.query.summarize_errors = True
        return await self._write_contacts(ctx, req, mode="update", path_id=req.path_params.get("ContactID", ""))

    # Invoices ------------------------------------------------------------------------------------------------

    async def get_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices``: ``IDs``, ``InvoiceNumbers``, ``ContactIDs``, ``Statuses``, ``searchTerm``
        (InvoiceNumber, Reference), ``createdByMyApp`` (invoices created by the calling app's ``client_id``),
        ``includeArchived`` (no invoice is ever ARCHIVED), ``where``, ``order``, paging, ``If-Modified-Since``,
        ``summaryOnly`` (no ``LineItems``, no ``Payments``), ``unitdp`` (:func:`adapters.native.fieldmaps.
        invoice_filters`). Without ``page`` the invoices carry no ``LineItems`` (Xero returns line items for a single
        invoice or a paged list)."""
        q = req.query

        async def work(books: Books) -> Result:
            async def to_models(rows: list[Invoice]) -> list[xm.Invoice]:
                return [translate.invoice(r, with_lines=q.page is not None, unitdp=q.unitdp, summary=q.summary_only)
                        for r in rows]
            statement = select(Invoice).where(Invoice.company_id == books.company.id,
                                              *fieldmaps.invoice_filters(q, client_id=ctx.client_id))
            return _page(await listing.select_sql(
                books.session, statement, q, fields=fieldmaps.INVOICES, default_order=_ORDER_INVOICES,
                to_models=to_models, pushdown=self.sql_pushdown))
        return await self._read(ctx, work)

    async def get_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Invoices/{InvoiceID}`` or ``/Invoices/{InvoiceNumber}``, with line items. Raises ``NotFound``."""
        key = req.path_params.get("InvoiceID") or req.path_params.get("InvoiceNumber") or ""

        async def work(books: Books) -> Result:
            row = await invoices.get_by_id_or_number(books, key) if key else None
            if row is None:
                raise NotFound()
            return Result(items=[translate.invoice(row, unitdp=req.query.unitdp)])
        return await self._read(ctx, work)

    async def _write_invoices(self, ctx: RequestContext, req: XeroRequest, *, mode: str,
                              path_id: str | None = None) -> Result:
        unitdp = req.query.unitdp

        async def work(books: Books) -> Result:
            async def apply(el: Any) -> xm.Invoice:
                row = await invoices.write(books, el, mode=mode, path_id=path_id, unitdp=unitdp,
                                           client_id=ctx.client_id)
                return translate.invoice(row, unitdp=unitdp)
            items = await batch.run_batch(req.elements, apply, model=xm.Invoice,
                                          summarize_errors=req.query.summarize_errors)
            return Result(items=list(items))
        return await self._write(ctx, work)

    async def create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Invoices``: create only. Raises ``ValidationException`` (summarizeErrors)."""
        return await self._write_invoices(ctx, req, mode="create")

    async def update_or_create_invoices(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Invoices``: update by ``InvoiceID`` or ``InvoiceNumber``, else create."""
        return await self._write_invoices(ctx, req, mode="upsert")

    async def update_invoice(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Invoices/{InvoiceID}``. Raises ``NotFound``, ``ValidationException``."""
        req.query.summarize_errors = True
        key = req.path_params.get("InvoiceID") or req.path_params.get("InvoiceNumber") or ""
        return await self._write_invoices(ctx, req, mode="update", path_id=key)

    # Payments ------------------------------------------------------------------------------------------------

    async def get_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Payments`` (every status) with ``where``, ``order``, paging and ``If-Modified-Since``.

        Refunds of credit notes, prepayments and overpayments are payments too in Xero's list (PaymentType
        ``ARCREDITPAYMENT``…); they live in their own table, so a company that has any is listed in memory.
        """
        async def work(books: Books) -> Result:
            async def to_models(rows: list[Payment]) -> list[xm.Payment]:
                return [translate.payment(r) for r in rows]
            statement = select(Payment).where(Payment.company_id == books.company.id)
            refund_rows = await refunds.list_rows(books)
            if refund_rows:
                listing.check_paths(req.query, fieldmaps.PAYMENTS.model)
                rows = [*await books.session.scalars(statement), *refund_rows]
                return _page(listing.select([translate.payment(r) for r in rows], req.query,
                                            default_order=_ORDER_PAYMENTS))
            return _page(await listing.select_sql(
                books.session, statement, req.query, fields=fieldmaps.PAYMENTS, default_order=_ORDER_PAYMENTS,
                to_models=to_models, pushdown=self.sql_pushdown))
        return await self._read(ctx, work)

    async def get_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Payments/{PaymentID}``. Raises ``NotFound``."""
        payment_id = req.path_params.get("PaymentID", "")

        async def work(books: Books) -> Result:
            row = await payments.get_by_id(books, payment_id)
            if row is None:
                raise NotFound()
            return Result(items=[translate.payment(row)])
        return await self._read(ctx, work)

    async def create_payments(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Payments``: one or more payments. Raises ``ValidationException`` (summarizeErrors)."""
        async def work(books: Books) -> Result:
            async def apply(el: Any) -> xm.Payment:
                return translate.payment(await payments.create(books, el))
            items = await batch.run_batch(req.elements, apply, model=xm.Payment,
                                          summarize_errors=req.query.summarize_errors)
            return Result(items=list(items))
        return await self._write(ctx, work)

    async def create_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Payments``: one payment. Raises ``ValidationException``."""
        element = self._one(req)

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: payments.create(books, el))
            return Result(items=[translate.payment(row)])
        return await self._write(ctx, work)

    async def delete_payment(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Payments/{PaymentID}`` with ``{"Status": "DELETED"}``. Raises ``NotFound``,
        ``ValidationException``."""
        element = self._one(req)
        payment_id = req.path_params.get("PaymentID", "")

        async def work(books: Books) -> Result:
            row = await payments.delete(books, payment_id, element)
            return Result(items=[translate.payment(row)])
        return await self._write(ctx, work)

    # Helpers -------------------------------------------------------------------------------------------------

    @staticmethod
    def _one(req: XeroRequest) -> dict[str, Any]:
        """The single element of a single-object operation.

        Raises:
            ValidationException: no element, or more than one.
        """
        if len(req.elements) != 1:
            raise ValidationException.single(
                f"{req.operation_id} takes exactly one element; {len(req.elements)} were sent")
        return req.elements[0]
