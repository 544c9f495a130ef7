"""Repeating invoice templates of the native ledger and the invoices their schedules generated.

A template (spec ``RepeatingInvoice``) keeps its lines as validated on its last write (``line_items``: Xero's
``LineItem`` fields with the computed ``TaxAmount``/``LineAmount``) and its ``Schedule``. Each generated invoice is
one :class:`RepeatingInvoiceRun`, unique per (template, scheduled date): two processes that generate the same
occurrence cannot both commit it (:mod:`adapters.native.resources.repeating_runs`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import ID, Money, NativeBase, UTCDateTime


class RepeatingInvoiceRow(NativeBase):
    """A repeating invoice template (spec ``RepeatingInvoice`` and its ``Schedule``)."""

    __tablename__ = "repeating_invoices"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    type: Mapped[str] = mapped_column(String(12))
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"))
    status: Mapped[str] = mapped_column(String(12))
    line_amount_types: Mapped[str] = mapped_column(String(10))
    reference: Mapped[str | None] = mapped_column(String(255))
    branding_theme_id: Mapped[str | None] = mapped_column(ID)
    currency_code: Mapped[str] = mapped_column(String(3))
    line_items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    sub_total: Mapped[Decimal] = mapped_column(Money())
    total_tax: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())
    period: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(10))
    due_date: Mapped[int] = mapped_column(Integer)
    due_date_type: Mapped[str] = mapped_column(String(24))
    start_date: Mapped[dt.date] = mapped_column(Date)
    #: Occurrences of the schedule already due (generated or skipped): the next is occurrence ``next_index``.
    next_index: Mapped[int] = mapped_column(Integer, default=0)
    next_scheduled_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    approved_for_sending: Mapped[bool] = mapped_column(Boolean, default=False)
    send_copy: Mapped[bool] = mapped_column(Boolean, default=False)
    mark_as_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    include_pdf: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class RepeatingInvoiceRun(NativeBase):
    """One occurrence of a template's schedule: the invoice generated for it (``None`` when the template could not
    make a valid invoice that day; ``problem`` says why)."""

    __tablename__ = "repeating_invoice_runs"
    __table_args__ = (UniqueConstraint("repeating_invoice_id", "scheduled_date"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    repeating_invoice_id: Mapped[str] = mapped_column(ForeignKey("repeating_invoices.id"))
    scheduled_date: Mapped[dt.date] = mapped_column(Date)
    invoice_id: Mapped[str | None] = mapped_column(ID)
    problem: Mapped[str | None] = mapped_column(String(500))
    created_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)
