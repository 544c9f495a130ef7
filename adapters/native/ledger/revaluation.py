"""Unrealised currency gains on open foreign-currency receivables and payables (pure functions, ``Decimal`` only).

Rules (Xero's behaviour; the native ledger's choice in ``docs/native-unrealised-gains.md``):

- An open invoice or bill in a foreign currency sits on Accounts Receivable or Payable at its own
  ``CurrencyRate`` (:mod:`adapters.native.ledger.fx`), less what its payments cleared at that same rate.
- At a revaluation date and rate, what is still due (the document's currency) is worth ``due / rate`` in the base
  currency, 2 dp half-up; the difference with the booked amount is an unrealised gain or loss on the
  ``UNREALISEDCURRENCYGAIN`` system account (spec ``Account.SystemAccount``; "Unrealised Currency Gains", Xero's UK
  chart code 498). A receivable gains when it is worth more; a payable gains when it is worth less.
- Xero keeps these amounts out of its journals (they are computed for the reports' date and so undone the next
  day: fivetran/dbt_xero#61, "These gains/losses do not exist within the actual journals in Xero"); the
  adjustment here is therefore dated the revaluation date and its reversal the following day, so a later payment's
  realised gain (:func:`adapters.native.ledger.fx.settlement`) is unchanged by any revaluation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .fx import to_base
from .taxmath import ZERO

#: (ours) the narration of an unrealised gain or loss line.
UNREALISED_GAIN = "Unrealised currency gain/loss"


@dataclass(frozen=True)
class OpenItem:
    """What is left open of one foreign-currency invoice or bill.

    Attributes:
        type: Xero's invoice ``Type``, ``ACCREC`` (receivable) or ``ACCPAY`` (payable).
        currency: the document's ``CurrencyCode`` (ISO 4217).
        due: the document's ``AmountDue``, in its currency (positive).
        booked: what it still holds on the control account, in the base currency (positive).
    """

    type: str
    currency: str
    due: Decimal
    booked: Decimal


def booked_left(control_posted: Decimal, paid: list[Decimal], invoice_rate: Decimal) -> Decimal:
    """What an invoice still holds on its control account: its posted control amount (positive, base currency)
    less each payment (the invoice's currency) cleared at the invoice's rate, as
    :func:`adapters.native.resources.payments.postings` clears it.

    Example: 960.00 GBP posted at 1.25, 600.00 USD paid → ``Decimal("480.00")``.
    """
    return control_posted - sum((to_base(amount, invoice_rate) for amount in paid), ZERO)


def unrealised(item: OpenItem, rate: Decimal) -> Decimal:
    """The unrealised gain (positive) or loss (negative) on ``item`` at ``rate`` (units of its currency per unit
    of the base currency, as ``CurrencyRate``), base currency, 2 dp.

    Raises:
        ValueError: ``rate`` is zero or negative, or ``item.type`` is neither ``ACCREC`` nor ``ACCPAY``.

    Example: 1,200.00 USD receivable booked at 960.00 GBP (1.25), revalued at 1.30 → 923.08 → ``Decimal("-36.92")``.
    """
    if rate <= 0:
        raise ValueError(f"a currency rate must be positive, not {rate}")
    worth = to_base(item.due, rate)
    if item.type == "ACCREC":
        return worth - item.booked
    if item.type == "ACCPAY":
        return item.booked - worth
    raise ValueError(f"not an invoice type: {item.type!r}")


@dataclass(frozen=True)
class Adjustment:
    """One revaluation line pair: the control account moves by ``control`` (signed, debit > 0) and Unrealised
    Currency Gains by ``-control`` (a gain is a credit), in the base currency.

    Attributes:
        type: ``ACCREC`` (Accounts Receivable) or ``ACCPAY`` (Accounts Payable).
        currency: the documents' currency.
        gain: the unrealised gain (positive) or loss (negative).
    """

    type: str
    currency: str
    gain: Decimal

    @property
    def control(self) -> Decimal:
        """The signed movement of the control account (debit > 0): the gain itself, since a receivable's gain raises
        the asset (a debit) and a payable's gain lowers the liability (a debit too)."""
        return self.gain


def revalue(items: list[OpenItem], rates: dict[str, Decimal]) -> list[Adjustment]:
    """The unrealised gains of ``items`` at ``rates`` (currency code → ``CurrencyRate``), one adjustment per
    (type, currency) with a non-zero gain, sorted by type then currency. Items in a currency without a rate are
    left at their booked amount (the ledger has no rate feed: the rates are the operator's,
    :func:`adapters.native.currency_rates.rates_on`; Xero would use the XE.com day rate).

    Raises:
        ValueError: as :func:`unrealised`.
    """
    totals: dict[tuple[str, str], Decimal] = {}
    for item in items:
        rate = rates.get(item.currency)
        if rate is None:
            continue
        key = (item.type, item.currency)
        totals[key] = totals.get(key, ZERO) + unrealised(item, rate)
    return [Adjustment(type=t, currency=c, gain=g) for (t, c), g in sorted(totals.items()) if g]


def reversal_date(date: dt.date) -> dt.date:
    """The day a revaluation at ``date`` is undone: the following day."""
    return date + dt.timedelta(days=1)
