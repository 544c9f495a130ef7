"""Organisation services of the native ledger: invoice reminder settings, payment services (with the branding
themes they are attached to) and the links of online invoices.

Spec ``InvoiceReminder`` (one setting per organisation), ``PaymentService`` (``PaymentServiceType`` is always
``CUSTOM`` for services created through the API, spec ``PaymentService.PaymentServiceType``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import ID, NativeBase, UTCDateTime


class InvoiceReminderSetting(NativeBase):
    """Whether the organisation's invoice reminders are on (spec ``InvoiceReminder.Enabled``); no row: off."""

    __tablename__ = "invoice_reminder_settings"

    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)


class PaymentServiceRow(NativeBase):
    """A custom payment service (spec ``PaymentService``)."""

    __tablename__ = "payment_services"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    url: Mapped[str] = mapped_column(Text)
    pay_now_text: Mapped[str | None] = mapped_column(String(255))
    service_type: Mapped[str] = mapped_column(String(20), default="CUSTOM")
    created_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class BrandingThemePaymentService(NativeBase):
    """A payment service offered on the documents of one branding theme."""

    __tablename__ = "branding_theme_payment_services"
    __table_args__ = (UniqueConstraint("company_id", "branding_theme_id", "payment_service_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    branding_theme_id: Mapped[str] = mapped_column(ID)
    payment_service_id: Mapped[str] = mapped_column(ForeignKey("payment_services.id"))


class OnlineInvoiceLink(NativeBase):
    """The unguessable token of an invoice's online page (``OnlineInvoiceUrl``), one per invoice."""

    __tablename__ = "online_invoice_links"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), unique=True)
    created_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)
