"""The native ledger's classic-expenses tables: receipts, their lines and expense claims.

Conventions as in :mod:`adapters.native.tables.core` (``company_id`` on every row, money ``Decimal`` in
``NUMERIC(18, 4)``, aware-UTC timestamps, lower-case hyphenated GUID ids).

A receipt is an employee's spend (spec ``Receipt``: a ``User``, a ``Contact``, ``LineItems``); it never posts by
itself. An expense claim groups one user's receipts (spec ``ExpenseClaim``); approving it posts one journal for its
receipts (:mod:`adapters.native.resources.expense_claims`), as Xero's classic expenses do
(https://developer.xero.com/documentation/api/accounting/expenseclaims).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ID, DiscountColumns, LineColumns, Money, NativeBase, UTCDateTime
from .core import Contact, User


class ExpenseClaimRow(NativeBase):
    """An expense claim: one user's receipts, approved (posted) together; its total is its receipts' (derived on
    every read)."""

    __tablename__ = "expense_claims"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    amount_paid: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    reporting_date: Mapped[dt.date | None] = mapped_column(Date)  # the journal's date once approved
    payment_due_date: Mapped[dt.date | None] = mapped_column(Date)
    posted: Mapped[bool] = mapped_column(Boolean, default=False)  # has a live journal in the ledger
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="selectin")
    receipts: Mapped[list[ReceiptRow]] = relationship(
        back_populates="claim", lazy="selectin", order_by="ReceiptRow.number")


class ReceiptRow(NativeBase):
    """A receipt (spec ``Receipt``); ``claim_id`` is set once a claim holds it."""

    __tablename__ = "receipts"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    claim_id: Mapped[str | None] = mapped_column(ForeignKey("expense_claims.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # per user (spec ReceiptNumber)
    reference: Mapped[str | None] = mapped_column(String(255))
    date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))
    line_amount_types: Mapped[str] = mapped_column(String(10), default="Exclusive")
    sub_total: Mapped[Decimal] = mapped_column(Money())
    total_tax: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())
    total_discount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="selectin")
    contact: Mapped[Contact] = relationship(lazy="selectin")
    claim: Mapped[ExpenseClaimRow | None] = relationship(back_populates="receipts", lazy="raise")
    lines: Mapped[list[ReceiptLine]] = relationship(
        back_populates="receipt", lazy="selectin", order_by="ReceiptLine.position", cascade="all, delete-orphan")


class ReceiptLine(LineColumns, DiscountColumns, NativeBase):
    """A line of a receipt (spec ``LineItem``)."""

    __tablename__ = "receipt_lines"

    receipt_id: Mapped[str] = mapped_column(ForeignKey("receipts.id", ondelete="CASCADE"), index=True)

    receipt: Mapped[ReceiptRow] = relationship(back_populates="lines")
