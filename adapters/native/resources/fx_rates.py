"""The ``CurrencyRate`` a document or payment is written with (rules: :mod:`adapters.native.ledger.fx`).

- A document in the base currency has rate 1, whatever is sent.
- A foreign-currency document takes the ``CurrencyRate`` sent (the canonical model's ``Rate`` refuses zero and
  negative rates); without one it keeps its earlier rate, and a new one has rate 1 (Xero then uses the XE.com day
  rate, spec ``Invoice.CurrencyRate``; the ledger has no rate feed, so the client sends the rate).
- A payment of a foreign-currency invoice takes the ``CurrencyRate`` sent, else the invoice's.
- Rates are kept to 4 dp (the ledger's ``Money`` columns), and documents are posted at the kept rate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..books import Books
from ..ledger.fx import ONE

RATE_DP = Decimal("0.0001")


def document_rate(books: Books, model: Any, existing: Any, currency: str) -> Decimal:
    """The rate a document of ``currency`` is written with (``model``: its canonical model)."""
    if currency == books.company.base_currency:
        return ONE
    if model.CurrencyRate is not None:
        return Decimal(model.CurrencyRate).quantize(RATE_DP)
    return existing.currency_rate if existing is not None else ONE


def payment_rate(books: Books, model: Any, invoice: Any) -> Decimal:
    """The rate a payment of ``invoice`` is written with (``model``: the payment's canonical model)."""
    if invoice is None or invoice.currency_code == books.company.base_currency:
        return ONE
    if model.CurrencyRate is not None:
        return Decimal(model.CurrencyRate).quantize(RATE_DP)
    return invoice.currency_rate
