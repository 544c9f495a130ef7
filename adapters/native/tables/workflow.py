"""The native ledger's workflow tables: history and notes, attachments, quotes, purchase orders and linked
transactions (SQLAlchemy 2, on :class:`~adapters.native.tables.base.NativeBase`).

Conventions as in :mod:`adapters.native.tables.core`: every business table carries ``company_id`` (the tenant id)
and every read and write is scoped by it; money is ``Decimal`` in ``NUMERIC(18, 4)``; timestamps are aware UTC
(:class:`~adapters.native.tables.base.UTCDateTime`); ids are lower-case hyphenated GUID strings.

Quotes and purchase orders are non-posting documents: they never write a journal (Xero's Quotes and
PurchaseOrders have no accounting effect; https://developer.xero.com/documentation/api/accounting/quotes,
https://developer.xero.com/documentation/api/accounting/purchaseorders).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ID, DiscountColumns, LineColumns, Money, NativeBase, UTCDateTime
from .core import Contact


class HistoryEntry(NativeBase):
    """One history record or note of a document (spec ``components.schemas.HistoryRecord``).

    ``resource`` is the Xero collection name of the parent (``Invoices``, ``Contacts``, ``Quotes``…) and
    ``record_id`` its id; the pair is not a foreign key, so that one table serves every resource.
    """

    __tablename__ = "history_records"
    __table_args__ = (Index("ix_history_parent", "company_id", "resource", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    resource: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(ID)
    changes: Mapped[str] = mapped_column(String(100))
    details: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[str] = mapped_column(String(255))
    date_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AttachmentFile(NativeBase):
    """Metadata of one attached file (spec ``components.schemas.Attachment``); the bytes live on disk under
    ``{data_dir}/attachments/{company_id}/{id}`` (:mod:`adapters.native.resources.attachments`)."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_parent", "company_id", "resource", "record_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    resource: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(ID)
    file_name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(255))
    content_length: Mapped[int] = mapped_column(Integer)
    include_online: Mapped[bool] = mapped_column(Boolean, default=False)
    sha256: Mapped[str] = mapped_column(String(64))
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class WorkflowDocument(NativeBase):
    """A quote (``kind == "QUOTE"``) or a purchase order (``kind == "PURCHASEORDER"``).

    Both are a contact, dated lines and totals computed by :mod:`adapters.native.ledger.taxmath`, a number and a
    status; fields only one of them has are nullable (quotes: ``expiry_date``, ``title``, ``summary``,
    ``terms``; purchase orders: ``delivery_*``, ``expected_arrival_date``, ``attention_to``, ``telephone``,
    ``sent_to_contact``).
    """

    __tablename__ = "workflow_documents"
    __table_args__ = (Index("ix_workflow_documents_number", "company_id", "kind", "number"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    number: Mapped[str] = mapped_column(String(255))
    reference: Mapped[str | None] = mapped_column(String(4000))
    date: Mapped[dt.date] = mapped_column(Date)
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)  # quotes: ExpiryDate
    delivery_date: Mapped[dt.date | None] = mapped_column(Date)  # purchase orders: DeliveryDate
    expected_arrival_date: Mapped[dt.date | None] = mapped_column(Date)  # purchase orders: ExpectedArrivalDate
    status: Mapped[str] = mapped_column(String(12))
    line_amount_types: Mapped[str] = mapped_column(String(10), default="Exclusive")
    currency_code: Mapped[str] = mapped_column(String(3))
    currency_rate: Mapped[Decimal] = mapped_column(Money(), default=Decimal(1))
    sub_total: Mapped[Decimal] = mapped_column(Money())
    total_tax: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())
    total_discount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    branding_theme_id: Mapped[str | None] = mapped_column(ID)
    title: Mapped[str | None] = mapped_column(String(100))
    summary: Mapped[str | None] = mapped_column(String(3000))
    terms: Mapped[str | None] = mapped_column(String(4000))
    delivery_address: Mapped[str | None] = mapped_column(Text)
    attention_to: Mapped[str | None] = mapped_column(String(255))
    telephone: Mapped[str | None] = mapped_column(String(50))
    delivery_instructions: Mapped[str | None] = mapped_column(Text)
    sent_to_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    contact: Mapped[Contact] = relationship(lazy="selectin")
    lines: Mapped[list[WorkflowLine]] = relationship(
        back_populates="document", lazy="selectin", order_by="WorkflowLine.position",
        cascade="all, delete-orphan")


class WorkflowLine(LineColumns, DiscountColumns, NativeBase):
    """A line of a quote or purchase order (spec ``components.schemas.LineItem``)."""

    __tablename__ = "workflow_lines"

    document_id: Mapped[str] = mapped_column(ForeignKey("workflow_documents.id", ondelete="CASCADE"), index=True)

    document: Mapped[WorkflowDocument] = relationship(back_populates="lines")


class LinkedTransactionRow(NativeBase):
    """A billable expense: a line of a bill (source) linked to a customer, then to a sales invoice line
    (target) (spec ``components.schemas.LinkedTransaction``).

    ``Status`` is not stored: it is derived from the source and target invoices' statuses on every read
    (:func:`adapters.native.resources.linked_transactions.status`).
    """

    __tablename__ = "linked_transactions"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    source_transaction_id: Mapped[str] = mapped_column(ID, index=True)
    source_line_item_id: Mapped[str] = mapped_column(ID)
    contact_id: Mapped[str | None] = mapped_column(ID)
    target_transaction_id: Mapped[str | None] = mapped_column(ID, index=True)
    target_line_item_id: Mapped[str | None] = mapped_column(ID)
    type: Mapped[str] = mapped_column(String(20), default="BILLABLEEXPENSE")
    source_transaction_type_code: Mapped[str] = mapped_column(String(10))
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)
