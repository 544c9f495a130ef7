"""The native ledger's money-document tables: credit notes, bank transactions (which also carry overpayments and
prepayments), allocations, refunds of credits, bank transfers and manual journals.

Conventions as in :mod:`adapters.native.tables.core`: every business table carries ``company_id`` (the tenant id) and
every read and write is scoped by it; money is ``Decimal`` in ``NUMERIC(18, 4)``; timestamps are aware UTC; ids
are lower-case hyphenated GUID strings. Every relationship a translation reads is eager (``selectin``), because
the async session cannot lazy-load.

Design:

- An Overpayment or Prepayment is created by a ``…-OVERPAYMENT`` / ``…-PREPAYMENT`` bank transaction (spec
  ``BankTransaction.OverpaymentID``/``PrepaymentID``: "returned on BankTransactions with a Type of …"), so it is
  kept on that bank transaction's row: ``credit_id`` (the ``OverpaymentID``/``PrepaymentID``, distinct from the
  ``BankTransactionID`` as in the spec's ``getBankTransactions`` example), ``credit_status`` and
  ``remaining_credit``.
- :class:`Allocation` applies part of a credit note or of such a credit to an invoice; it adds the backref
  ``Invoice.credit_allocations`` (every allocation of the invoice, deleted ones included) without touching
  :mod:`adapters.native.tables.core`.
- :class:`RefundPayment` is a payment made against a credit (spec ``Payment.CreditNote``/``Prepayment``/
  ``Overpayment``): the ``payments`` table requires an invoice, so refunds have their own table; a refund reads
  like a :class:`~adapters.native.tables.core.Payment` (its :attr:`RefundPayment.invoice` is the credit, as Xero embeds
  it in ``Payment.Invoice``), so :func:`adapters.native.translate.core.payment` renders both.
- The two bank transactions of a :class:`BankTransfer` (``SPEND-TRANSFER`` and ``RECEIVE-TRANSFER``) are rows of
  ``bank_transactions`` with ``transfer_id`` set; the transfer itself posts the ledger journal. Its
  ``FromTracking``/``ToTracking`` are kept on the line of each side (``tracking`` columns, which
  :mod:`adapters.native.resources.tracking` maintains on renames and consults before deletions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..ledger import doctypes
from .base import ID, DocumentColumns, LineColumns, Money, NativeBase, PaymentColumns, UTCDateTime
from .core import Account, Contact, Invoice


class CreditNote(DocumentColumns, NativeBase):
    """A sales (ACCRECCREDIT) or purchase (ACCPAYCREDIT) credit note (spec ``components.schemas.CreditNote``)."""

    __tablename__ = "credit_notes"
    __table_args__ = (Index("ix_credit_notes_company_number", "company_id", "number"),)

    remaining_credit: Mapped[Decimal] = mapped_column(Money())

    contact: Mapped[Contact] = relationship(lazy="selectin")
    lines: Mapped[list[CreditNoteLine]] = relationship(
        back_populates="credit_note", lazy="selectin", order_by="CreditNoteLine.position",
        cascade="all, delete-orphan")
    allocations: Mapped[list[Allocation]] = relationship(
        back_populates="credit_note", lazy="selectin", order_by="[Allocation.date, Allocation.id]")
    refunds: Mapped[list[RefundPayment]] = relationship(
        back_populates="credit_note", lazy="selectin", order_by="[RefundPayment.date, RefundPayment.id]")

    @property
    def credit_type(self) -> str:
        """The :mod:`~adapters.native.ledger.doctypes` credit kind key (the credit note's ``Type``)."""
        return self.type


class CreditNoteLine(LineColumns, NativeBase):
    """A credit note line (spec ``LineItem``)."""

    __tablename__ = "credit_note_lines"

    credit_note_id: Mapped[str] = mapped_column(ForeignKey("credit_notes.id", ondelete="CASCADE"), index=True)
    credit_note: Mapped[CreditNote] = relationship(back_populates="lines")


class BankTransaction(NativeBase):
    """A spend or receive money transaction (spec ``components.schemas.BankTransaction``); for the
    ``…-OVERPAYMENT``/``…-PREPAYMENT`` types also the Overpayment/Prepayment it created (``credit_*`` columns)."""

    __tablename__ = "bank_transactions"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    type: Mapped[str] = mapped_column(String(20))
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    bank_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(2000))
    is_reconciled: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10))
    line_amount_types: Mapped[str] = mapped_column(String(10), default="Exclusive")
    currency_code: Mapped[str] = mapped_column(String(3))
    currency_rate: Mapped[Decimal] = mapped_column(Money(), default=Decimal(1))
    sub_total: Mapped[Decimal] = mapped_column(Money())
    total_tax: Mapped[Decimal] = mapped_column(Money())
    total: Mapped[Decimal] = mapped_column(Money())
    #: ``OverpaymentID`` / ``PrepaymentID`` of the credit this transaction created.
    credit_id: Mapped[str | None] = mapped_column(ID, unique=True)
    #: The credit's ``Status`` (AUTHORISED, PAID, VOIDED).
    credit_status: Mapped[str | None] = mapped_column(String(10))
    remaining_credit: Mapped[Decimal | None] = mapped_column(Money())
    #: ``InvoiceNumber`` of a receive prepayment (spec ``Prepayment.InvoiceNumber``).
    credit_number: Mapped[str | None] = mapped_column(String(255))
    fully_paid_on: Mapped[dt.date | None] = mapped_column(Date)
    #: The BankTransfer whose side this is (``…-TRANSFER`` types).
    transfer_id: Mapped[str | None] = mapped_column(ID, index=True)
    posted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    contact: Mapped[Contact | None] = relationship(lazy="selectin")
    bank_account: Mapped[Account] = relationship(lazy="selectin")
    lines: Mapped[list[BankTransactionLine]] = relationship(
        back_populates="bank_transaction", lazy="selectin", order_by="BankTransactionLine.position",
        cascade="all, delete-orphan")
    allocations: Mapped[list[Allocation]] = relationship(
        back_populates="bank_transaction", lazy="selectin", order_by="[Allocation.date, Allocation.id]")
    refunds: Mapped[list[RefundPayment]] = relationship(
        back_populates="bank_transaction", lazy="selectin", order_by="[RefundPayment.date, RefundPayment.id]")

    @property
    def credit_type(self) -> str:
        """The :mod:`~adapters.native.ledger.doctypes` credit kind key (the bank transaction's ``Type``)."""
        return self.type


class BankTransactionLine(LineColumns, NativeBase):
    """A bank transaction line (spec ``LineItem``)."""

    __tablename__ = "bank_transaction_lines"

    bank_transaction_id: Mapped[str] = mapped_column(ForeignKey("bank_transactions.id", ondelete="CASCADE"),
                                                     index=True)
    bank_transaction: Mapped[BankTransaction] = relationship(back_populates="lines")


class Allocation(NativeBase):
    """Part of a credit note, overpayment or prepayment applied to an invoice (spec ``Allocation``).

    Exactly one of ``credit_note_id`` and ``bank_transaction_id`` (the overpayment's or prepayment's bank
    transaction) is set. A deleted allocation is kept with ``is_deleted`` (spec ``Allocation.IsDeleted``).
    """

    __tablename__ = "allocations"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    credit_note_id: Mapped[str | None] = mapped_column(ForeignKey("credit_notes.id"), index=True)
    bank_transaction_id: Mapped[str | None] = mapped_column(ForeignKey("bank_transactions.id"), index=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    date: Mapped[dt.date] = mapped_column(Date)
    is_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    credit_note: Mapped[CreditNote | None] = relationship(back_populates="allocations", lazy="selectin")
    bank_transaction: Mapped[BankTransaction | None] = relationship(back_populates="allocations", lazy="selectin")
    invoice: Mapped[Invoice] = relationship(
        lazy="selectin",
        backref=backref("credit_allocations", lazy="selectin", order_by="[Allocation.date, Allocation.id]"))

    @property
    def credit(self) -> CreditNote | BankTransaction:
        """The credit note or the overpayment's/prepayment's bank transaction."""
        credit = self.credit_note if self.credit_note is not None else self.bank_transaction
        assert credit is not None
        return credit


@dataclass(frozen=True)
class CreditDocumentRef:
    """A credit as a payment embeds it in ``Payment.Invoice`` (the attributes
    :func:`adapters.native.translate.core.payment` reads of an invoice)."""

    id: str
    number: str | None
    type: str
    contact: Contact
    currency_code: str


class RefundPayment(PaymentColumns, NativeBase):
    """A payment made against a credit note, overpayment or prepayment: a refund (spec ``Payment`` with
    ``CreditNote``, ``Overpayment`` or ``Prepayment``; ``PaymentType`` ``ARCREDITPAYMENT``…)."""

    __tablename__ = "refund_payments"

    credit_note_id: Mapped[str | None] = mapped_column(ForeignKey("credit_notes.id"), index=True)
    bank_transaction_id: Mapped[str | None] = mapped_column(ForeignKey("bank_transactions.id"), index=True)

    account: Mapped[Account] = relationship(lazy="selectin")
    credit_note: Mapped[CreditNote | None] = relationship(back_populates="refunds", lazy="selectin")
    bank_transaction: Mapped[BankTransaction | None] = relationship(back_populates="refunds", lazy="selectin")

    @property
    def credit(self) -> CreditNote | BankTransaction:
        """The credit note or the overpayment's/prepayment's bank transaction refunded."""
        credit = self.credit_note if self.credit_note is not None else self.bank_transaction
        assert credit is not None
        return credit

    @property
    def invoice(self) -> CreditDocumentRef:
        """The credit as ``Payment.Invoice`` shows it (spec ``getPayments`` example: a credit note refund embeds
        ``Invoice`` with ``Type`` ``ACCRECCREDIT`` and the credit note's number)."""
        credit = self.credit
        kind = doctypes.credit_kind(credit.credit_type)
        if isinstance(credit, CreditNote):
            number = credit.number
        else:
            number = credit.credit_number
        assert credit.contact is not None
        return CreditDocumentRef(id=credit.id if isinstance(credit, CreditNote) else credit.credit_id or credit.id,
                                 number=number, type=kind.document_type, contact=credit.contact,
                                 currency_code=credit.currency_code)


class BankTransfer(NativeBase):
    """Money moved between two bank accounts (spec ``components.schemas.BankTransfer``)."""

    __tablename__ = "bank_transfers"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    from_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    to_account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    from_transaction_id: Mapped[str] = mapped_column(ForeignKey("bank_transactions.id"))
    to_transaction_id: Mapped[str] = mapped_column(ForeignKey("bank_transactions.id"))
    amount: Mapped[Decimal] = mapped_column(Money())
    date: Mapped[dt.date] = mapped_column(Date)
    currency_rate: Mapped[Decimal] = mapped_column(Money(), default=Decimal(1))
    reference: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(10), default="AUTHORISED")
    created_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    from_account: Mapped[Account] = relationship(foreign_keys=[from_account_id], lazy="selectin")
    to_account: Mapped[Account] = relationship(foreign_keys=[to_account_id], lazy="selectin")
    from_transaction: Mapped[BankTransaction] = relationship(foreign_keys=[from_transaction_id], lazy="selectin")
    to_transaction: Mapped[BankTransaction] = relationship(foreign_keys=[to_transaction_id], lazy="selectin")


class ManualJournal(NativeBase):
    """A manual journal (spec ``components.schemas.ManualJournal``)."""

    __tablename__ = "manual_journals"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    narration: Mapped[str] = mapped_column(Text)
    date: Mapped[dt.date] = mapped_column(Date)
    line_amount_types: Mapped[str] = mapped_column(String(10), default="NoTax")
    status: Mapped[str] = mapped_column(String(10))
    url: Mapped[str | None] = mapped_column(String(2000))
    show_on_cash_basis: Mapped[bool] = mapped_column(Boolean, default=True)
    posted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    lines: Mapped[list[ManualJournalLine]] = relationship(
        back_populates="manual_journal", lazy="selectin", order_by="ManualJournalLine.position",
        cascade="all, delete-orphan")


class ManualJournalLine(NativeBase):
    """A manual journal line (spec ``ManualJournalLine``): ``line_amount`` debit positive, credit negative;
    ``tax_amount`` signed like it."""

    __tablename__ = "manual_journal_lines"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    manual_journal_id: Mapped[str] = mapped_column(ForeignKey("manual_journals.id", ondelete="CASCADE"),
                                                   index=True)
    position: Mapped[int] = mapped_column(Integer)
    line_amount: Mapped[Decimal] = mapped_column(Money())
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    account_code: Mapped[str | None] = mapped_column(String(10))
    description: Mapped[str | None] = mapped_column(Text)
    tax_type: Mapped[str | None] = mapped_column(String(40))
    tax_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal(0))
    tracking: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    is_blank: Mapped[bool] = mapped_column(Boolean, default=False)

    manual_journal: Mapped[ManualJournal] = relationship(back_populates="lines")
