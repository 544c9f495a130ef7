"""Xero workflow objects: Quote, PurchaseOrder, LinkedTransaction, HistoryRecord and Attachment.

Field names and types from ``components.schemas`` of ``xero_accounting.yaml`` (v16.1.0): ``Quote``,
``QuoteStatusCodes``, ``QuoteLineAmountTypes``, ``PurchaseOrder``, ``LinkedTransaction``, ``HistoryRecord``,
``Attachment``. Conventions of :mod:`gateway.xero.models.core` apply (money ``Decimal``, msdate fields rendered
``/Date(ms+0000)/``, ``None`` dropped).

Companion strings (``DateString``, ``DateUTCString``…) are rendered by the core model as the spec's raw examples
show them (``"DateUTCString": 2019-02-23T05:23:20`` in ``HistoryRecordCreated``):
:func:`gateway.xero.dates.to_companion_string`.
"""

from typing import ClassVar

from .core import Attachment, Contact, DatedModel, LineItem, Money, MsDate, MsDateTime, Rate, ValidationError, XeroModel

#: ``QuoteStatusCodes`` (spec).
QUOTE_STATUSES = ("DRAFT", "SENT", "DECLINED", "ACCEPTED", "INVOICED", "DELETED")
#: ``QuoteLineAmountTypes`` (spec): quotes spell line amount types in upper case.
QUOTE_LINE_AMOUNT_TYPES = ("EXCLUSIVE", "INCLUSIVE", "NOTAX")
#: ``PurchaseOrder.Status`` enum (spec).
PURCHASE_ORDER_STATUSES = ("DRAFT", "SUBMITTED", "AUTHORISED", "BILLED", "DELETED")
#: ``LinkedTransaction.Status`` enum (spec).
LINKED_TRANSACTION_STATUSES = ("APPROVED", "DRAFT", "ONDRAFT", "BILLED", "VOIDED")

_ContactT = Contact  # fields below are named like their type


class WorkflowModel(DatedModel):
    """A workflow model (companions rendered by :class:`~gateway.xero.models.core.DatedModel`)."""


class HistoryRecord(WorkflowModel):
    """A history record or note (spec ``HistoryRecord``; ``DateUTCString`` from the spec's examples)."""

    companions: ClassVar[dict[str, str]] = {"DateUTC": "DateUTCString"}

    Details: str | None = None
    Changes: str | None = None
    User: str | None = None
    DateUTC: MsDateTime | None = None
    ValidationErrors: list[ValidationError] | None = None


class Quote(WorkflowModel):
    """A sales quote (spec ``Quote``)."""

    companions: ClassVar[dict[str, str]] = {"Date": "DateString", "ExpiryDate": "ExpiryDateString"}

    QuoteID: str | None = None
    QuoteNumber: str | None = None
    Reference: str | None = None
    Terms: str | None = None
    Contact: _ContactT | None = None
    LineItems: list[LineItem] | None = None
    Date: MsDate | None = None
    ExpiryDate: MsDate | None = None
    Status: str | None = None
    CurrencyCode: str | None = None
    CurrencyRate: Rate | None = None
    SubTotal: Money | None = None
    TotalTax: Money | None = None
    Total: Money | None = None
    TotalDiscount: Money | None = None
    Title: str | None = None
    Summary: str | None = None
    BrandingThemeID: str | None = None
    UpdatedDateUTC: MsDateTime | None = None
    LineAmountTypes: str | None = None
    StatusAttributeString: str | None = None
    ValidationErrors: list[ValidationError] | None = None


class PurchaseOrder(WorkflowModel):
    """A purchase order (spec ``PurchaseOrder``)."""

    companions: ClassVar[dict[str, str]] = {"Date": "DateString", "DeliveryDate": "DeliveryDateString"}

    PurchaseOrderID: str | None = None
    PurchaseOrderNumber: str | None = None
    Contact: _ContactT | None = None
    LineItems: list[LineItem] | None = None
    Date: MsDate | None = None
    DeliveryDate: MsDate | None = None
    LineAmountTypes: str | None = None
    Reference: str | None = None
    BrandingThemeID: str | None = None
    CurrencyCode: str | None = None
    Status: str | None = None
    SentToContact: bool | None = None
    DeliveryAddress: str | None = None
    AttentionTo: str | None = None
    Telephone: str | None = None
    DeliveryInstructions: str | None = None
    ExpectedArrivalDate: MsDate | None = None
    CurrencyRate: Rate | None = None
    SubTotal: Money | None = None
    TotalTax: Money | None = None
    Total: Money | None = None
    TotalDiscount: Money | None = None
    HasAttachments: bool | None = None
    UpdatedDateUTC: MsDateTime | None = None
    StatusAttributeString: str | None = None
    ValidationErrors: list[ValidationError] | None = None
    Warnings: list[ValidationError] | None = None
    Attachments: list[Attachment] | None = None


class LinkedTransaction(XeroModel):
    """A billable expense (spec ``LinkedTransaction``)."""

    SourceTransactionID: str | None = None
    SourceLineItemID: str | None = None
    ContactID: str | None = None
    TargetTransactionID: str | None = None
    TargetLineItemID: str | None = None
    LinkedTransactionID: str | None = None
    Status: str | None = None
    Type: str | None = None
    UpdatedDateUTC: MsDateTime | None = None
    SourceTransactionTypeCode: str | None = None
    ValidationErrors: list[ValidationError] | None = None
