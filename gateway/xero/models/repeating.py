"""Xero repeating invoices: ``RepeatingInvoice`` and its ``Schedule``.

Field names and types from ``components.schemas`` of ``xero_accounting.yaml`` (v16.1.0): ``RepeatingInvoice``
(``Status``: DRAFT, AUTHORISED, DELETED; ``Type``: ACCPAY, ACCREC) and ``Schedule`` (``Unit``: WEEKLY, MONTHLY; the
dates are msdate strings). Conventions of :mod:`gateway.xero.models.core` apply.
"""

from .core import Contact, LineItem, Money, MsDate, XeroModel
from .workflow import Attachment

#: ``RepeatingInvoice.Status`` enum (spec).
REPEATING_INVOICE_STATUSES = ("DRAFT", "AUTHORISED", "DELETED")
#: ``Schedule.Unit`` enum (spec).
SCHEDULE_UNITS = ("WEEKLY", "MONTHLY")


class Schedule(XeroModel):
    """Spec ``Schedule``."""

    Period: int | None = None
    Unit: str | None = None
    DueDate: int | None = None
    DueDateType: str | None = None
    StartDate: MsDate | None = None
    NextScheduledDate: MsDate | None = None
    EndDate: MsDate | None = None


_ContactT = Contact  # fields below are named like their type
_ScheduleT = Schedule


class RepeatingInvoice(XeroModel):
    """Spec ``RepeatingInvoice``."""

    Type: str | None = None
    Contact: _ContactT | None = None
    Schedule: _ScheduleT | None = None
    LineItems: list[LineItem] | None = None
    LineAmountTypes: str | None = None
    Reference: str | None = None
    BrandingThemeID: str | None = None
    CurrencyCode: str | None = None
    Status: str | None = None
    SubTotal: Money | None = None
    TotalTax: Money | None = None
    Total: Money | None = None
    RepeatingInvoiceID: str | None = None
    ID: str | None = None
    HasAttachments: bool | None = None
    Attachments: list[Attachment] | None = None
    ApprovedForSending: bool | None = None
    SendCopy: bool | None = None
    MarkAsSent: bool | None = None
    IncludePDF: bool | None = None
