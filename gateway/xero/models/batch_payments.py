"""Xero batch payments: one bank line paying many invoices (``BatchPayment``).

Field names and types from ``components.schemas`` of ``xero_accounting.yaml`` (v16.1.0): ``BatchPayment``
(``Type`` PAYBATCH/RECBATCH and ``Status`` AUTHORISED/DELETED, both read only), its ``Payments`` (spec ``Payment``,
each carrying ``BatchPaymentID``) and the delete bodies ``BatchPaymentDelete``/``BatchPaymentDeleteByUrlParam``.
Conventions of :mod:`gateway.xero.models.core` apply.
"""

from typing import ClassVar

from .core import AccountRef, DatedModel, Money, MsDate, MsDateTime, Payment, ValidationError

#: ``BatchPayment.Type`` enum (spec).
BATCH_PAYMENT_TYPES = ("PAYBATCH", "RECBATCH")
#: ``BatchPayment.Status`` enum (spec).
BATCH_PAYMENT_STATUSES = ("AUTHORISED", "DELETED")


class BatchPayment(DatedModel):
    """Spec ``BatchPayment``."""

    companions: ClassVar[dict[str, str]] = {"Date": "DateString"}

    BatchPaymentID: str | None = None
    Account: AccountRef | None = None
    Reference: str | None = None
    Particulars: str | None = None
    Code: str | None = None
    Details: str | None = None
    Narrative: str | None = None
    Date: MsDate | None = None
    Amount: Money | None = None
    Payments: list[Payment] | None = None
    Type: str | None = None
    Status: str | None = None
    TotalAmount: Money | None = None
    UpdatedDateUTC: MsDateTime | None = None
    IsReconciled: bool | None = None
    ValidationErrors: list[ValidationError] | None = None
