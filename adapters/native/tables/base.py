"""The declarative base of the native ledger, its column types, and the columns its documents share.

Money is ``Decimal`` in ``NUMERIC(18, 4)`` columns (never float); timestamps are stored as naive UTC and read back as
aware UTC (:class:`UTCDateTime`). Ids are GUID strings (lower-case, hyphenated) as Xero shows them (:data:`ID`).

The column mixins hold what several tables repeat, so that one Xero field has one column definition:
:class:`DocumentColumns` (spec ``Invoice`` and ``CreditNote``), :class:`LineColumns` (spec ``LineItem``),
:class:`DiscountColumns` and
:class:`PaymentColumns` (spec ``Payment``, for invoice payments and refunds of credits). Relationships stay on the
tables, which name their own partners.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class NativeBase(DeclarativeBase):
    """Declarative base of the native ledger (a database of its own, ``settings.native_database_url``)."""


def Money() -> Numeric:  # noqa: N802 - reads as a column type
    """``NUMERIC(18, 4)`` returning ``Decimal``."""
    return Numeric(18, 4, asdecimal=True)


class UTCDateTime(TypeDecorator):
    """Aware UTC ``datetime`` stored as naive UTC (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


#: Column type of a Xero id (a GUID string).
ID = String(36)


class DocumentColumns:
    """The header columns of an invoice-like document (spec ``Invoice`` and ``CreditNote``): type, contact,
    number, dates, status, currency and the totals as computed by :mod:`adapters.native.ledger.taxmath`."""

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    type: Mapped[str] = mapped_column(String(12))
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    number: Mapped[str | None] = mapped_column(String(255))
    reference: Mapped[str | None] = mapped_column(String(255))
    date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    line_amount_types: Mapped[str] = mapped_column(String(10), default="Exclusive")
    status: Mapped[str] = mapped_column(String(10))
    currency_code: Mapped[str] = mapped_column(String(3))
    currency_rate: Mapped[Decimal] = mapped_column(Money(), default=Decimal(1))
    sub_total: Mapped[Decimal] = mapped_column(Money())
    total_tax: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())
    fully_paid_on: Mapped[dt.date | None] = mapped_column(Date)
    sent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    branding_theme_id: Mapped[str | None] = mapped_column(ID)
    posted: Mapped[bool] = mapped_column(Boolean, default=False)  # has a live journal in the ledger
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class LineColumns:
    """The columns of a document line (spec ``LineItem``), shared by invoice, credit note, bank transaction, quote
    and purchase order lines; amounts as computed by :mod:`adapters.native.ledger.taxmath`."""

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Money())
    unit_amount: Mapped[Decimal] = mapped_column(Money())
    item_code: Mapped[str | None] = mapped_column(String(30))
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    account_code: Mapped[str | None] = mapped_column(String(10))
    tax_type: Mapped[str | None] = mapped_column(String(40))
    tax_amount: Mapped[Decimal] = mapped_column(Money())
    line_amount: Mapped[Decimal] = mapped_column(Money())
    #: Stored form of :mod:`adapters.native.resources.tracking` (``[{"TrackingCategoryID", "TrackingOptionID",
    #: "Name", "Option"}]``).
    tracking: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class DiscountColumns:
    """A line's discount (spec ``LineItem.DiscountRate``, ``DiscountAmount``): invoice, quote and purchase order
    lines."""

    discount_rate: Mapped[Decimal | None] = mapped_column(Money())
    discount_amount: Mapped[Decimal | None] = mapped_column(Money())


class PaymentColumns:
    """The columns of a payment (spec ``Payment``), shared by payments on invoices and refunds of credits."""

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    date: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money())
    currency_rate: Mapped[Decimal] = mapped_column(Money(), default=Decimal(1))
    reference: Mapped[str | None] = mapped_column(String(255))
    is_reconciled: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="AUTHORISED")
    payment_type: Mapped[str] = mapped_column(String(24))
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)
