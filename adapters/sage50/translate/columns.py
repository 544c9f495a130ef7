"""Converters from Sage 50 ODBC column values to Xero values, for the fields the field maps read themselves
(:func:`adapters.common.fields.read`): one rule each, shared by every translator that reads such a column."""

from __future__ import annotations

from decimal import Decimal

from ..unit import money, text


def text_or_none(value: object) -> str | None:
    """A text column (``INV_REF``, ``DETAILS``, ``E_MAIL``): stripped, ``None`` when empty, as Xero leaves out a
    field it has no value for."""
    return text(value) or None


def foreign_rate(value: object) -> Decimal:
    """``FOREIGN_RATE`` as Xero's ``CurrencyRate``: 1 when zero or absent (a base-currency header)."""
    return money(value) or Decimal("1")
