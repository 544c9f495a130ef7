"""Foreign-currency documents in a base-currency ledger (pure functions, ``Decimal`` only).

Rules:

- A document's ``CurrencyRate`` is how many units of the document's currency one unit of the base currency buys
  (spec ``Invoice.CurrencyRate``; Xero shows it as "1 GBP = 1.250000 USD"), so an amount converts to the base
  currency as ``amount / CurrencyRate``, rounded to 2 dp half-up. The ledger's journals are in the base currency
  (:class:`adapters.native.ledger.posting.Posting`).
- A document is posted at its own rate: each line converts on its own, and the control line (the last posting:
  receivable, payable or bank) takes the opposite of their sum, so the journal balances to the cent.
- A payment is converted at the payment's rate (spec ``Payment.CurrencyRate``: "Exchange rate when payment is
  received"). It clears the receivable or payable at the invoice's rate (the last payment clears what is left of
  the invoice's control amount), and the difference is a realised gain or loss on the ``REALISEDCURRENCYGAIN``
  system account ("Realised Currency Gains", spec ``Account.SystemAccount``; Xero's UK chart code 499).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from .posting import Posting
from .taxmath import ZERO, round2

ONE = Decimal(1)
#: (ours) the narration of a realised gain or loss line.
REALISED_GAIN = "Realised currency gain/loss"


def to_base(amount: Decimal, rate: Decimal) -> Decimal:
    """``amount`` (document currency) in the base currency at ``rate``, 2 dp.

    Example: 1,000.00 USD at 1.25 → ``Decimal("800.00")`` GBP.
    """
    return round2(amount / rate)


def in_base(postings: list[Posting], rate: Decimal) -> list[Posting]:
    """A document's postings (document currency, the control line last) in the base currency at ``rate``.

    Returns:
        The same lines converted; the last one is the opposite of the others' sum (the journal balances).
    """
    if rate == ONE:
        return postings
    converted = [replace(p, amount=to_base(p.amount, rate), tax_amount=to_base(p.tax_amount, rate))
                 for p in postings[:-1]]
    control = postings[-1]
    converted.append(replace(control, amount=-sum((p.amount for p in converted), ZERO),
                             tax_amount=to_base(control.tax_amount, rate)))
    return converted


def settlement(*, amount: Decimal, payment_rate: Decimal, invoice_rate: Decimal, control_left: Decimal | None
               ) -> tuple[Decimal, Decimal, Decimal]:
    """What a payment of ``amount`` (the invoice's currency) is worth in the base currency.

    Args:
        amount: the payment, positive, in the invoice's currency.
        payment_rate: the payment's ``CurrencyRate``.
        invoice_rate: the invoice's ``CurrencyRate``.
        control_left: when this payment settles the invoice, the base amount of its control line not yet cleared
            by earlier payments (positive); ``None`` for a part payment.

    Returns:
        ``(bank, control, gain)``, all positive-signed base amounts with ``gain = bank - control``: the money's
        base value, the receivable or payable it clears, and the realised difference (for a receipt, a gain when
        positive; for a payment to a supplier, a loss when positive).

    Example: 1,000.00 USD invoiced at 1.25 (800.00 GBP) and paid at 1.20 → ``(833.33, 800.00, 33.33)``.
    """
    bank = to_base(amount, payment_rate)
    control = control_left if control_left is not None else to_base(amount, invoice_rate)
    return bank, control, bank - control
