"""Xero catalogue, settings and journal objects: Items, TrackingCategories and Options, ContactGroups, Users,
BrandingThemes, organisation Actions and CIS settings, Journals.

Field names and types are the spec's ``components.schemas`` (``xero_accounting.yaml`` v16.1.0): ``Item`` with
``Purchase`` details (here :class:`ItemDetails`, used for both ``PurchaseDetails`` and ``SalesDetails``),
``TrackingCategory``, ``TrackingOption``, ``ContactGroup``, ``User``, ``BrandingTheme``, ``Action``,
``CISOrgSetting``, ``Journal``, ``JournalLine``. Conventions as in :mod:`gateway.xero.models.core`.
"""

from __future__ import annotations

from typing import ClassVar

from .core import Contact, Money, MsDate, MsDateTime, ValidationError, XeroModel


class ItemDetails(XeroModel):
    """Spec ``Purchase``: an item's ``PurchaseDetails`` or ``SalesDetails``."""

    UnitPrice: Money | None = None
    AccountCode: str | None = None
    COGSAccountCode: str | None = None
    TaxType: str | None = None


class Item(XeroModel):
    """Spec ``Item`` (no ``UpdatedDateUTCString`` companion: the spec lists none)."""

    Code: str | None = None
    InventoryAssetAccountCode: str | None = None
    Name: str | None = None
    IsSold: bool | None = None
    IsPurchased: bool | None = None
    Description: str | None = None
    PurchaseDescription: str | None = None
    PurchaseDetails: ItemDetails | None = None
    SalesDetails: ItemDetails | None = None
    IsTrackedAsInventory: bool | None = None
    TotalCostPool: Money | None = None
    QuantityOnHand: Money | None = None
    UpdatedDateUTC: MsDateTime | None = None
    ItemID: str | None = None
    StatusAttributeString: str | None = None
    ValidationErrors: list[ValidationError] | None = None


class TrackingOption(XeroModel):
    """Spec ``TrackingOption``."""

    TrackingOptionID: str | None = None
    Name: str | None = None
    Status: str | None = None
    TrackingCategoryID: str | None = None


class TrackingCategory(XeroModel):
    """Spec ``TrackingCategory`` (also the element of ``JournalLine.TrackingCategories``, where ``Option`` and
    ``TrackingOptionID`` name the line's option)."""

    TrackingCategoryID: str | None = None
    TrackingOptionID: str | None = None
    Name: str | None = None
    Option: str | None = None
    Status: str | None = None
    Options: list[TrackingOption] | None = None


class ContactGroup(XeroModel):
    """Spec ``ContactGroup``; ``Contacts`` only on ``GET /ContactGroups/{ContactGroupID}``."""

    Name: str | None = None
    Status: str | None = None
    ContactGroupID: str | None = None
    Contacts: list[Contact] | None = None


class GroupedContact(Contact):
    """A ``Contact`` with the spec's ``Contact.ContactGroups`` ("Displays which contact groups a contact is
    included in")."""

    ContactGroups: list[ContactGroup] | None = None


class User(XeroModel):
    """Spec ``User``."""

    UserID: str | None = None
    EmailAddress: str | None = None
    FirstName: str | None = None
    LastName: str | None = None
    UpdatedDateUTC: MsDateTime | None = None
    IsSubscriber: bool | None = None
    OrganisationRole: str | None = None


class BrandingTheme(XeroModel):
    """Spec ``BrandingTheme`` (``Type`` is always ``INVOICE``)."""

    BrandingThemeID: str | None = None
    Name: str | None = None
    LogoUrl: str | None = None
    Type: str | None = None
    SortOrder: int | None = None
    CreatedDateUTC: MsDateTime | None = None


class Action(XeroModel):
    """Spec ``Action``: a key action and whether the organisation allows it (``ALLOWED``/``NOT-ALLOWED``)."""

    Name: str | None = None
    Status: str | None = None


class CISOrgSetting(XeroModel):
    """Spec ``CISOrgSetting``."""

    CISContractorEnabled: bool | None = None
    CISSubContractorEnabled: bool | None = None
    Rate: Money | None = None


class JournalLine(XeroModel):
    """Spec ``JournalLine``: ``NetAmount`` positive for a debit, negative for a credit;
    ``GrossAmount = NetAmount + TaxAmount``."""

    JournalLineID: str | None = None
    AccountID: str | None = None
    AccountCode: str | None = None
    AccountType: str | None = None
    AccountName: str | None = None
    Description: str | None = None
    NetAmount: Money | None = None
    GrossAmount: Money | None = None
    TaxAmount: Money | None = None
    TaxType: str | None = None
    TaxName: str | None = None
    TrackingCategories: list[TrackingCategory] | None = None


class Journal(XeroModel):
    """Spec ``Journal`` (no ISO companions: the spec lists none)."""

    companions: ClassVar[dict[str, str]] = {}

    JournalID: str | None = None
    JournalDate: MsDate | None = None
    JournalNumber: int | None = None
    CreatedDateUTC: MsDateTime | None = None
    Reference: str | None = None
    SourceID: str | None = None
    SourceType: str | None = None
    JournalLines: list[JournalLine] | None = None
