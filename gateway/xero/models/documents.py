"""Xero money documents: CreditNote, Allocation, Overpayment, Prepayment, BankTransaction, BankTransfer,
ManualJournal and ManualJournalLine, plus the credit arrays an Invoice and a Payment carry.

Field names and types are the spec's ``components.schemas`` (``xero_accounting.yaml`` v16.1.0) of the same names;
conventions as in :mod:`gateway.xero.models.core` (money ``Decimal``, msdate fields rendered ``/Date(ms+0000)/``,
``None`` dropped on the wire).

Companion strings (``DateString``, ``UpdatedDateUTCString``…) are rendered by the core model as the spec's raw
examples show them: :func:`gateway.xero.dates.to_companion_string`.

Manual journals and allocations show no companion in the spec, so they render none.

:class:`Invoice` and :class:`Payment` extend the core models with the spec fields that refer to these documents
(``Invoice.CreditNotes``/``Prepayments``/``Overpayments``; ``Payment.CreditNote``/``Prepayment``/``Overpayment``/
``CreditNoteNumber``); they keep the core class names, which :mod:`adapters.native.batch` keys its error flags on.
"""

from __future__ import annotations

from typing import ClassVar

from . import core
from .core import (
    AccountRef,
    Contact,
    DatedModel,
    LineItem,
    LineItemTracking,
    Money,
    MsDate,
    MsDateTime,
    Rate,
    ValidationError,
    XeroModel,
)

_ContactT = Contact  # fields below are named like their type

#: ``CreditNote.Type`` enum (spec).
CREDIT_NOTE_TYPES = ("ACCPAYCREDIT", "ACCRECCREDIT")
#: ``CreditNote.Status`` enum (spec).
CREDIT_NOTE_STATUSES = ("DRAFT", "SUBMITTED", "DELETED", "AUTHORISED", "PAID", "VOIDED")
#: ``BankTransaction.Type`` enum (spec).
BANK_TRANSACTION_TYPES = ("RECEIVE", "RECEIVE-OVERPAYMENT", "RECEIVE-PREPAYMENT", "SPEND", "SPEND-OVERPAYMENT",
                          "SPEND-PREPAYMENT", "RECEIVE-TRANSFER", "SPEND-TRANSFER")
#: ``BankTransaction.Status`` enum (spec).
BANK_TRANSACTION_STATUSES = ("AUTHORISED", "DELETED", "VOIDED")
#: ``Overpayment.Status`` and ``Prepayment.Status`` enums (spec).
CREDIT_STATUSES = ("AUTHORISED", "PAID", "VOIDED")
#: ``BankTransfer.Status`` enum (spec).
BANK_TRANSFER_STATUSES = ("AUTHORISED", "DELETED")
#: ``ManualJournal.Status`` enum (spec).
MANUAL_JOURNAL_STATUSES = ("DRAFT", "POSTED", "DELETED", "VOIDED", "ARCHIVED")
#: ``Invoice.Type`` enum (spec): invoices and the credit documents shown in their place (``Payment.Invoice``).
INVOICE_TYPES = ("ACCPAY", "ACCPAYCREDIT", "APOVERPAYMENT", "APPREPAYMENT", "ACCREC", "ACCRECCREDIT",
                 "AROVERPAYMENT", "ARPREPAYMENT")
#: ``Payment.PaymentType`` enum (spec).
PAYMENT_TYPES = ("ACCRECPAYMENT", "ACCPAYPAYMENT", "ARCREDITPAYMENT", "APCREDITPAYMENT", "AROVERPAYMENTPAYMENT",
                 "ARPREPAYMENTPAYMENT", "APPREPAYMENTPAYMENT", "APOVERPAYMENTPAYMENT")
#: ``Journal.SourceType`` enum (spec).
JOURNAL_SOURCE_TYPES = ("ACCREC", "ACCPAY", "ACCRECCREDIT", "ACCPAYCREDIT", "ACCRECPAYMENT", "ACCPAYPAYMENT",
                        "ARCREDITPAYMENT", "APCREDITPAYMENT", "CASHREC", "CASHPAID", "TRANSFER", "ARPREPAYMENT",
                        "APPREPAYMENT", "AROVERPAYMENT", "APOVERPAYMENT", "EXPCLAIM", "EXPPAYMENT", "MANJOURNAL",
                        "PAYSLIP", "WAGEPAYABLE", "INTEGRATEDPAYROLLPE", "INTEGRATEDPAYROLLPT", "EXTERNALSPENDMONEY",
                        "INTEGRATEDPAYROLLPTPAYMENT", "INTEGRATEDPAYROLLCN")


class DocumentModel(DatedModel):
    """A money document (companions rendered by :class:`~gateway.xero.models.core.DatedModel`)."""


_DATED = {"Date": "DateString", "UpdatedDateUTC": "UpdatedDateUTCString"}


class CreditNote(DocumentModel):
    """Spec ``CreditNote``."""

    companions: ClassVar[dict[str, str]] = {**_DATED, "DueDate": "DueDateString"}

    Type: str | None = None
    Contact: _ContactT | None = None
    Date: MsDate | None = None
    DueDate: MsDate | None = None
    Status: str | None = None
    LineAmountTypes: str | None = None
    LineItems: list[LineItem] | None = None
    SubTotal: Money | None = None
    TotalTax: Money | None = None
    Total: Money | None = None
    UpdatedDateUTC: MsDateTime | None = None
    CurrencyCode: str | None = None
    FullyPaidOnDate: MsDate | None = None
    CreditNoteID: str | None = None
    CreditNoteNumber: str | None = None
    Reference: str | None = None
    SentToContact: bool | None = None
    CurrencyRate: Rate | None = None
    RemainingCredit: Money | None = None
    Allocations: list[Allocation] | None = None
    AppliedAmount: Money | None = None
    Payments: list[core.Payment] | None = None
    BrandingThemeID: str | None = None
    StatusAttributeString: str | None = None
    HasAttachments: bool | None = None
    HasErrors: bool | None = None
    ValidationErrors: list[ValidationError] | None = None
    Warnings: list[ValidationError] | None = None


class Overpayment(DocumentModel):
    """Spec ``Overpayment``."""

    companions: ClassVar[dict[str, str]] = _DATED

    Type: str | None = None
    Contact: _ContactT | None = None
    Date: MsDate | None = None
    Status: str | None = None
    LineAmountTypes: str | None = None
    LineItems: list[LineItem] | None = None
    SubTotal: Money | None = None
    TotalTax: Money | None = None
    Total: Money | None = None
    UpdatedDateUTC: MsDateTime | None = None
    CurrencyCode: str | None = None
    OverpaymentID: str | None = None
    CurrencyRate: Rate | None = None
    RemainingCredit: Money | None = None
    Allocations: list[Allocation] | None = None
    AppliedAmount: Money | None = None
    Payments: list[core.Payment] | None = None
    HasAttachments: bool | None = None
    Reference: str | None = None


class Prepayment(DocumentModel):
    """Spec ``Prepayment`` (``Reference`` and ``InvoiceNumber`` are read-only: the receive prepayment's number)."""

    companions: ClassVar[dict[str, str]] = _DATED

    Type: str | None = None
    Contact: _ContactT | None = None
    Date: MsDate | None = None
    Status: str | None = None
    LineAmountTypes: str | None = None
    LineItems: list[LineItem] | None = None
    SubTotal: Money | None = None
    TotalTax: Money | None = None
    Total: Money | None = None
    Reference: str | None = None
    InvoiceNumber: str | None = None
    UpdatedDateUTC: MsDateTime | None = None
    CurrencyCode: str | None = None
    PrepaymentID: str | None = None
    BrandingThemeID: str | None = None
    CurrencyRate: Rate | None = None
    RemainingCredit: Money | None = None
    Allocations: list[Allocation] | None = None
    Payments: list[core.Payment] | None = None
    AppliedAmount: Money | None = None
    HasAttachments: bool | None = None


class Allocation(XeroModel):
    """Spec ``Allocation``: part of a credit note, overpayment or prepayment applied to an invoice."""

    AllocationID: str | None = None
    Invoice: core.Invoice | None = None
    Overpayment: _OverpaymentT | None = None
    Prepayment: _PrepaymentT | None = None
    CreditNote: _CreditNoteT | None = None
    Amount: Money | None = None
    Date: MsDate | None = None
    IsDeleted: bool | None = None
    StatusAttributeString: str | None = None
    ValidationErrors: list[ValidationError] | None = None


_CreditNoteT = CreditNote
_OverpaymentT = Overpayment
_PrepaymentT = Prepayment


class Invoice(core.Invoice):
    """Spec ``Invoice`` with its credit arrays (``CreditNotes``, ``Prepayments``, ``Overpayments``: the credits
    allocated to it, each with its ``AppliedAmount``)."""

    CreditNotes: list[CreditNote] | None = None
    Prepayments: list[Prepayment] | None = None
    Overpayments: list[Overpayment] | None = None


class Payment(core.Payment):
    """Spec ``Payment`` with the credit it may be made against: a refund of a ``CreditNote`` (by id or
    ``CreditNoteNumber``), a ``Prepayment`` or an ``Overpayment``."""

    CreditNote: _CreditNoteT | None = None
    CreditNoteNumber: str | None = None
    Prepayment: _PrepaymentT | None = None
    Overpayment: _OverpaymentT | None = None


class BankTransaction(DocumentModel):
    """Spec ``BankTransaction`` (``DateString`` from the spec's examples; none show ``UpdatedDateUTCString``)."""

    companions: ClassVar[dict[str, str]] = {"Date": "DateString"}

    Type: str | None = None
    Contact: _ContactT | None = None
    LineItems: list[LineItem] | None = None
    BankAccount: AccountRef | None = None
    IsReconciled: bool | None = None
    Date: MsDate | None = None
    Reference: str | None = None
    CurrencyCode: str | None = None
    CurrencyRate: Rate | None = None
    Url: str | None = None
    Status: str | None = None
    LineAmountTypes: str | None = None
    SubTotal: Money | None = None
    TotalTax: Money | None = None
    Total: Money | None = None
    BankTransactionID: str | None = None
    PrepaymentID: str | None = None
    OverpaymentID: str | None = None
    UpdatedDateUTC: MsDateTime | None = None
    HasAttachments: bool | None = None
    StatusAttributeString: str | None = None
    ValidationErrors: list[ValidationError] | None = None


class BankTransfer(DocumentModel):
    """Spec ``BankTransfer`` (tracking elements are spec ``TrackingReference``s, the same four fields as a
    line's tracking)."""

    companions: ClassVar[dict[str, str]] = {"Date": "DateString", "CreatedDateUTC": "CreatedDateUTCString"}

    FromBankAccount: AccountRef | None = None
    ToBankAccount: AccountRef | None = None
    Amount: Money | None = None
    Date: MsDate | None = None
    BankTransferID: str | None = None
    CurrencyRate: Rate | None = None
    FromBankTransactionID: str | None = None
    ToBankTransactionID: str | None = None
    FromIsReconciled: bool | None = None
    ToIsReconciled: bool | None = None
    Reference: str | None = None
    HasAttachments: bool | None = None
    CreatedDateUTC: MsDateTime | None = None
    Status: str | None = None
    FromTracking: list[LineItemTracking] | None = None
    ToTracking: list[LineItemTracking] | None = None
    ValidationErrors: list[ValidationError] | None = None


class ManualJournalLine(XeroModel):
    """Spec ``ManualJournalLine``: ``LineAmount`` debit positive, credit negative."""

    LineAmount: Money | None = None
    AccountCode: str | None = None
    AccountID: str | None = None
    Description: str | None = None
    TaxType: str | None = None
    Tracking: list[LineItemTracking] | None = None
    TaxAmount: Money | None = None
    IsBlank: bool | None = None


class ManualJournal(XeroModel):
    """Spec ``ManualJournal``."""

    Narration: str | None = None
    JournalLines: list[ManualJournalLine] | None = None
    Date: MsDate | None = None
    LineAmountTypes: str | None = None
    Status: str | None = None
    Url: str | None = None
    ShowOnCashBasisReports: bool | None = None
    HasAttachments: bool | None = None
    Attachments: list[core.Attachment] | None = None
    UpdatedDateUTC: MsDateTime | None = None
    ManualJournalID: str | None = None
    StatusAttributeString: str | None = None
    Warnings: list[ValidationError] | None = None
    ValidationErrors: list[ValidationError] | None = None


for _model in (CreditNote, Overpayment, Prepayment, Allocation, Invoice, Payment):
    _model.model_rebuild()
