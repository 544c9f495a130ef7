"""The native ledger's catalogue tables: tracking categories and options, items, contact groups.

Tables on :class:`~adapters.native.tables.base.NativeBase` (:mod:`adapters.native.tables` imports this module, so
that they exist before ``create_all``). Every table is scoped by ``company_id`` (the tenant id); ids are lower-case
hyphenated GUIDs; money is ``NUMERIC(18, 4)``; timestamps aware UTC (:class:`~adapters.native.tables.base.UTCDateTime`).

Field sources (spec ``components.schemas``): ``TrackingCategory`` / ``TrackingOption`` (``Status`` ACTIVE,
ARCHIVED, DELETED), ``Item`` with ``Purchase`` details, ``ContactGroup`` (``Status`` ACTIVE, DELETED).
Branding themes need no table: every organisation has Xero's one "Standard" theme
(:mod:`adapters.native.resources.branding_themes`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import ID, Money, NativeBase, UTCDateTime
from .core import Contact


class TrackingCategory(NativeBase):
    """A tracking category (spec ``TrackingCategory``); deleted categories are removed, not kept."""

    __tablename__ = "tracking_categories"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default="ACTIVE")
    created_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    options: Mapped[list[TrackingOption]] = relationship(
        back_populates="category", lazy="selectin", cascade="all, delete-orphan",
        order_by="[TrackingOption.name, TrackingOption.id]")


class TrackingOption(NativeBase):
    """An option of a tracking category (spec ``TrackingOption``)."""

    __tablename__ = "tracking_options"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    category_id: Mapped[str] = mapped_column(ForeignKey("tracking_categories.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default="ACTIVE")

    category: Mapped[TrackingCategory] = relationship(back_populates="options")


class Item(NativeBase):
    """A product or service (spec ``Item``): untracked (no inventory on hand); ``Code`` unique per company.

    Sales and purchase details keep the account by id (so re-coding an account follows it) and the tax type.
    """

    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("company_id", "code"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)
    purchase_description: Mapped[str | None] = mapped_column(Text)
    is_sold: Mapped[bool] = mapped_column(Boolean, default=True)
    is_purchased: Mapped[bool] = mapped_column(Boolean, default=True)
    sales_unit_price: Mapped[Decimal | None] = mapped_column(Money())
    sales_account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    sales_tax_type: Mapped[str | None] = mapped_column(String(40))
    purchase_unit_price: Mapped[Decimal | None] = mapped_column(Money())
    purchase_account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    purchase_tax_type: Mapped[str | None] = mapped_column(String(40))
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ContactGroup(NativeBase):
    """A contact group (spec ``ContactGroup``); ``Status`` DELETED hides it from GETs."""

    __tablename__ = "contact_groups"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(10), default="ACTIVE")
    updated_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ContactGroupMember(NativeBase):
    """A contact's membership of a contact group."""

    __tablename__ = "contact_group_members"

    group_id: Mapped[str] = mapped_column(ForeignKey("contact_groups.id", ondelete="CASCADE"), primary_key=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


#: ``Contact.contact_groups``: the groups a contact belongs to, loaded with the contact (``selectin``) so that
#: :func:`adapters.native.translate.core.contact` can show the spec's ``Contact.ContactGroups`` without a query.
#: Deleting a group removes its memberships, so every group reached here is ACTIVE.
Contact.contact_groups = relationship(  # type: ignore[attr-defined]
    ContactGroup, secondary="contact_group_members", viewonly=True, lazy="selectin",
    order_by=[ContactGroup.name, ContactGroup.id])
