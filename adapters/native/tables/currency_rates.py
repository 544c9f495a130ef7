"""The operator's currency rates per date: what the reports revalue open foreign-currency items at
(``docs/native-unrealised-gains.md``).

A rate has Xero's ``CurrencyRate`` meaning (spec ``Invoice.CurrencyRate``; the convention of
:func:`adapters.native.ledger.fx.to_base`): units of the foreign currency per one unit of the company's base
currency, so that an amount converts to the base currency as ``amount / rate``. Kept to 6 decimal places, the
spec's ``CurrencyRate`` limit ("max length = [18].[6]"). Written only by the operator
(:mod:`adapters.native.currency_rates`); documents carry their own rates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import NativeBase

#: Decimal places of a stored rate (spec ``Invoice.CurrencyRate``: "max length = [18].[6]").
RATE_PLACES = 6


class CurrencyRate(NativeBase):
    """One currency's rate on one day for one company (module docstring)."""

    __tablename__ = "currency_rates"

    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    currency_code: Mapped[str] = mapped_column(String(3), primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Numeric(18, RATE_PLACES, asdecimal=True))
