"""Batch payments of the native ledger: one bank line paying many invoices or bills.

A batch (spec ``BatchPayment``) owns the invoice payments made through it (:class:`BatchPaymentMember`); each is an
ordinary payment of :class:`~adapters.native.tables.core.Payment`, posted by the payment rules.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import ID, Money, NativeBase, UTCDateTime


class BatchPaymentRow(NativeBase):
    """A batch payment (spec ``BatchPayment``)."""

    __tablename__ = "batch_payments"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    type: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="AUTHORISED")
    date: Mapped[dt.date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(255))
    particulars: Mapped[str | None] = mapped_column(String(12))
    code: Mapped[str | None] = mapped_column(String(12))
    details: Mapped[str | None] = mapped_column(String(255))
    narrative: Mapped[str | None] = mapped_column(String(18))
    total_amount: Mapped[Decimal] = mapped_column(Money())
    is_reconciled: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class BatchPaymentMember(NativeBase):
    """One invoice payment of a batch, in the batch's order."""

    __tablename__ = "batch_payment_members"

    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"), primary_key=True)
    batch_payment_id: Mapped[str] = mapped_column(ForeignKey("batch_payments.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
