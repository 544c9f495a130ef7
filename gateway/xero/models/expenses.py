"""Xero classic expenses: ``Receipt`` and ``ExpenseClaim``.

Field names and types from ``components.schemas`` of ``xero_accounting.yaml`` (v16.1.0): ``Receipt`` (``Status``:
DRAFT, SUBMITTED, AUTHORISED, DECLINED, VOIDED; ``ReceiptNumber`` a read-only string) and ``ExpenseClaim``
(``Status``: SUBMITTED, AUTHORISED, PAID, VOIDED, DELETED). Both belong to a spec ``User``. Conventions of
:mod:`gateway.xero.models.core` apply (money ``Decimal``, msdate fields rendered ``/Date(ms+0000)/``, ``None``
dropped).
"""

from .catalogue import User
from .core import Contact, LineItem, Money, MsDate, MsDateTime, Payment, ValidationError, XeroModel
from .workflow import Attachment

#: ``Receipt.Status`` enum (spec).
RECEIPT_STATUSES = ("DRAFT", "SUBMITTED", "AUTHORISED", "DECLINED", "VOIDED")
#: ``ExpenseClaim.Status`` enum (spec).
EXPENSE_CLAIM_STATUSES = ("SUBMITTED", "AUTHORISED", "PAID", "VOIDED", "DELETED")

_ContactT = Contact  # fields below are named like their type
_UserT = User


class Receipt(XeroModel):
    """Spec ``Receipt``."""

    Date: MsDate | None = None
    Contact: _ContactT | None = None
    LineItems: list[LineItem] | None = None
    User: _UserT | None = None
    Reference: str | None = None
    LineAmountTypes: str | None = None
    SubTotal: Money | None = None
    TotalTax: Money | None = None
    Total: Money | None = None
    ReceiptID: str | None = None
    Status: str | None = None
    ReceiptNumber: str | None = None
    UpdatedDateUTC: MsDateTime | None = None
    HasAttachments: bool | None = None
    Url: str | None = None
    ValidationErrors: list[ValidationError] | None = None
    Warnings: list[ValidationError] | None = None
    Attachments: list[Attachment] | None = None


_ReceiptT = Receipt


class ExpenseClaim(XeroModel):
    """Spec ``ExpenseClaim``."""

    ExpenseClaimID: str | None = None
    Status: str | None = None
    Payments: list[Payment] | None = None
    User: _UserT | None = None
    Receipts: list[_ReceiptT] | None = None
    UpdatedDateUTC: MsDateTime | None = None
    Total: Money | None = None
    AmountDue: Money | None = None
    AmountPaid: Money | None = None
    PaymentDueDate: MsDate | None = None
    ReportingDate: MsDate | None = None
    ReceiptID: str | None = None
    ValidationErrors: list[ValidationError] | None = None
