"""The components of the native ledger's tax rates that have more than one, or a compound one (spec
``TaxRate.TaxComponents``, ``components.schemas.TaxComponent``).

A rate with one plain component keeps it on its :class:`~adapters.native.tables.core.TaxRate` row (``rate``,
``component_name``) and has no rows here. A rate with rows here stores its effective rate in ``TaxRate.rate``, so
that every computation of line tax reads one rate (:mod:`adapters.native.ledger.tax_components`).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Money, NativeBase


class TaxComponentRow(NativeBase):
    """One component of a tax rate, in the order the client sent them (``position`` from 0)."""

    __tablename__ = "tax_components"

    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    tax_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    rate: Mapped[Decimal] = mapped_column(Money())  # percent, up to 4 dp
    is_compound: Mapped[bool] = mapped_column(Boolean, default=False)
