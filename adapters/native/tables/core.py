"""The native ledger's core tables: the organisation and its users, the chart of accounts, tax rates, currencies,
contacts, invoices, payments and the ledger journals (on :class:`~adapters.native.tables.base.NativeBase`).

Every business table carries ``company_id`` (the Xero tenant id) and every read and write is scoped by it.
Money is ``Decimal`` in ``NUMERIC(18, 4)`` columns (never float); timestamps are stored as naive UTC and read
back as aware UTC (:class:`~adapters.native.tables.base.UTCDateTime`). Ids are GUID strings (lower-case,
hyphenated) as Xero shows them.

The ledger proper is :class:`Journal` / :class:`JournalLine`: every posted document (authorised invoice,
payment, bank transaction) writes one balanced journal, and reversing it writes a negated one
(:mod:`adapters.native.ledger.posting`). Journal line amounts are signed: debit positive, credit negative (Xero's
``Journals`` API convention for ``NetAmount``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ID, DiscountColumns, DocumentColumns, LineColumns, Money, NativeBase, PaymentColumns, UTCDateTime


class Company(NativeBase):
    """A Xero organisation (tenant); ``id`` is the tenant id and ``OrganisationID``."""

    __tablename__ = "companies"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    legal_name: Mapped[str] = mapped_column(String(255))
    version: Mapped[str] = mapped_column(String(16))
    organisation_type: Mapped[str] = mapped_column(String(40))
    base_currency: Mapped[str] = mapped_column(String(3))
    country_code: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    financial_year_end_day: Mapped[int] = mapped_column(Integer)
    financial_year_end_month: Mapped[int] = mapped_column(Integer)
    sales_tax_basis: Mapped[str] = mapped_column(String(20))
    sales_tax_period: Mapped[str] = mapped_column(String(20))
    tax_number: Mapped[str | None] = mapped_column(String(50))
    registration_number: Mapped[str | None] = mapped_column(String(50))
    line_of_business: Mapped[str | None] = mapped_column(String(255))
    short_code: Mapped[str | None] = mapped_column(String(20))
    org_class: Mapped[str | None] = mapped_column(String(20))
    edition: Mapped[str | None] = mapped_column(String(20))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    addresses: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    phones: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    next_invoice_number: Mapped[int] = mapped_column(Integer, default=1)
    next_journal_number: Mapped[int] = mapped_column(Integer, default=1)
    created_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: Organisation ``PeriodLockDate`` / ``EndOfYearLockDate`` (spec ``Organisation``; ``None``: not set). No
    #: document dated on or before the later of the two can be written (:mod:`adapters.native.ledger.lockdates`).
    period_lock_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True, default=None)
    end_of_year_lock_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True, default=None)


class User(NativeBase):
    """A person who signs in at the gateway for this source (local sign-in); password hashed with argon2."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)  # stored lower-case
    password_hash: Mapped[str] = mapped_column(String(255))
    given_name: Mapped[str] = mapped_column(String(100), default="")
    family_name: Mapped[str] = mapped_column(String(100), default="")
    created_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: The user's role in the firm: ``owner``, ``admin`` or ``member``; only an owner or admin may consent to a
    #: partner API app (:mod:`adapters.native.partner.roles`, issue 16). Existing users are the firm's owners.
    role: Mapped[str] = mapped_column(String(10), default="owner", server_default="owner")


class UserCompany(NativeBase):
    """Which companies a user may connect to."""

    __tablename__ = "user_companies"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)


class Account(NativeBase):
    """A chart-of-accounts account (spec ``components.schemas.Account``)."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    code: Mapped[str | None] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(150))
    type: Mapped[str] = mapped_column(String(20))
    tax_type: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default="ACTIVE")
    description: Mapped[str | None] = mapped_column(Text)
    bank_account_number: Mapped[str | None] = mapped_column(String(50))
    bank_account_type: Mapped[str | None] = mapped_column(String(20))
    currency_code: Mapped[str | None] = mapped_column(String(3))
    enable_payments: Mapped[bool] = mapped_column(Boolean, default=False)
    show_in_expense_claims: Mapped[bool] = mapped_column(Boolean, default=False)
    system_account: Mapped[str | None] = mapped_column(String(40))
    reporting_code: Mapped[str | None] = mapped_column(String(50))
    add_to_watchlist: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class TaxRate(NativeBase):
    """A tax rate (spec ``components.schemas.TaxRate``) with one component; ``rate`` in percent."""

    __tablename__ = "tax_rates"
    __table_args__ = (UniqueConstraint("company_id", "tax_type"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    tax_type: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default="ACTIVE")
    report_tax_type: Mapped[str | None] = mapped_column(String(40))
    rate: Mapped[Decimal] = mapped_column(Money())
    component_name: Mapped[str] = mapped_column(String(50), default="VAT")
    applies_to: Mapped[list[str]] = mapped_column(JSON, default=list)  # account classes


class Currency(NativeBase):
    """A currency enabled for a company (spec ``components.schemas.Currency``)."""

    __tablename__ = "currencies"

    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    description: Mapped[str] = mapped_column(String(100))


class Contact(NativeBase):
    """A customer or supplier (spec ``components.schemas.Contact``); Name is unique per company."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    contact_number: Mapped[str | None] = mapped_column(String(50), index=True)
    account_number: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(12), default="ACTIVE")
    first_name: Mapped[str | None] = mapped_column(String(255))
    last_name: Mapped[str | None] = mapped_column(String(255))
    company_number: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(255))
    bank_account_details: Mapped[str | None] = mapped_column(String(255))
    tax_number: Mapped[str | None] = mapped_column(String(50))
    ar_tax_type: Mapped[str | None] = mapped_column(String(40))
    ap_tax_type: Mapped[str | None] = mapped_column(String(40))
    default_currency: Mapped[str | None] = mapped_column(String(3))
    sales_account_code: Mapped[str | None] = mapped_column(String(10))
    purchases_account_code: Mapped[str | None] = mapped_column(String(10))
    addresses: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    phones: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    contact_persons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    #: ``client_id`` of the app that created the contact through the API (``None``: demo seed or the ledger).
    created_by_app: Mapped[str | None] = mapped_column(String(255), nullable=True, default=None)


class Invoice(DocumentColumns, NativeBase):
    """A sales invoice (ACCREC) or bill (ACCPAY) (spec ``components.schemas.Invoice``).

    Totals are stored as computed by :mod:`adapters.native.ledger.taxmath` (GBP, 2 dp).
    """

    __tablename__ = "invoices"
    __table_args__ = (Index("ix_invoices_company_number", "company_id", "number"),)

    total_discount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    amount_paid: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    amount_due: Mapped[Decimal] = mapped_column(Money())
    expected_payment_date: Mapped[dt.date | None] = mapped_column(Date)
    planned_payment_date: Mapped[dt.date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(String(2000))
    #: ``client_id`` of the app that created the invoice (``createdByMyApp``); ``None``: demo seed or the ledger.
    created_by_app: Mapped[str | None] = mapped_column(String(255), nullable=True, default=None, index=True)

    contact: Mapped[Contact] = relationship(lazy="selectin")
    lines: Mapped[list[LineItem]] = relationship(
        back_populates="invoice", lazy="selectin", order_by="LineItem.position",
        cascade="all, delete-orphan")
    payments: Mapped[list[Payment]] = relationship(
        back_populates="invoice", lazy="selectin", order_by="[Payment.date, Payment.id]")


class LineItem(LineColumns, DiscountColumns, NativeBase):
    """An invoice line (spec ``components.schemas.LineItem``); amounts as computed by ``taxmath``."""

    __tablename__ = "line_items"

    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class Payment(PaymentColumns, NativeBase):
    """A payment applied to an invoice (spec ``components.schemas.Payment``)."""

    __tablename__ = "payments"

    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)

    invoice: Mapped[Invoice] = relationship(back_populates="payments", lazy="selectin")
    account: Mapped[Account] = relationship(lazy="selectin")


class Journal(NativeBase):
    """One balanced ledger posting (Xero ``Journals``: ``JournalNumber``, ``SourceID``, ``SourceType``).

    ``source_type`` uses Xero's journal source types (``ACCREC``, ``ACCPAY``, ``ACCRECPAYMENT``,
    ``ACCPAYPAYMENT``, ``CASHREC``, ``CASHPAID``, ``MANJOURNAL``). ``reverses`` points at the journal a reversal
    cancels.
    """

    __tablename__ = "journals"
    __table_args__ = (UniqueConstraint("company_id", "number"),
                      Index("ix_journals_source", "company_id", "source_id"))

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    date: Mapped[dt.date] = mapped_column(Date)
    source_type: Mapped[str] = mapped_column(String(24))
    source_id: Mapped[str | None] = mapped_column(ID)
    reference: Mapped[str | None] = mapped_column(String(255))
    reverses: Mapped[str | None] = mapped_column(ID)
    reversed_by: Mapped[str | None] = mapped_column(ID)
    created_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    lines: Mapped[list[JournalLine]] = relationship(
        back_populates="journal", lazy="selectin", cascade="all, delete-orphan", order_by="JournalLine.position")


class JournalLine(NativeBase):
    """One journal line: signed ``amount`` (debit > 0, credit < 0) on one account, GBP, 4 dp storage."""

    __tablename__ = "journal_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    journal_id: Mapped[str] = mapped_column(ForeignKey("journals.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    tax_type: Mapped[str | None] = mapped_column(String(40))
    tax_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    description: Mapped[str | None] = mapped_column(Text)
    #: The source line's tracking in :mod:`adapters.native.resources.tracking`'s stored form (``None``: untracked).
    tracking: Mapped[list[dict[str, str]] | None] = mapped_column(JSON, nullable=True)

    journal: Mapped[Journal] = relationship(back_populates="lines")
