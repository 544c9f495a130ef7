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
- A credit (credit note, overpayment, prepayment) allocated to an invoice of the same currency clears the credit's
  control posting at the credit's rate and the invoice's at the invoice's (the last allocation or payment of either
  clears what is left of it), so the two base amounts differ when the rates do; the difference goes to the same
  ``REALISEDCURRENCYGAIN`` account, as Xero books it (:func:`offset`, :func:`gain_postings`). A refund of a credit
  is a payment of it: :func:`settlement` at the refund's rate against the credit's.
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


def offset(*, amount: Decimal, credit_rate: Decimal, invoice_rate: Decimal, credit_left: Decimal | None,
           invoice_left: Decimal | None) -> tuple[Decimal, Decimal, Decimal]:
    """What allocating ``amount`` of a credit to an invoice of the same currency clears in the base currency.

    Args:
        amount: the allocation, positive, in the documents' currency.
        credit_rate, invoice_rate: the credit's and the invoice's ``CurrencyRate``.
        credit_left, invoice_left: when the allocation uses up the credit (settles the invoice), the base amount of
            its control line not yet cleared (positive); ``None`` otherwise.

    Returns:
        ``(credit, invoice, gain)``, positive-signed base amounts with ``gain = credit - invoice``: the credit's
        control amount cleared, the invoice's, and the realised difference (a customer's credit: a gain when
        positive; a supplier's: a loss when positive).

    Example: a 120.00 USD credit note at 1.20 (100.00 GBP) allocated in full to a 120.00 USD invoice at 1.25
    (96.00 GBP) → ``(100.00, 96.00, 4.00)``: a gain of 4.00 on a customer's credit.
    """
    credit = credit_left if credit_left is not None else to_base(amount, credit_rate)
    invoice = invoice_left if invoice_left is not None else to_base(amount, invoice_rate)
    return credit, invoice, credit - invoice


def gain_postings(gain: Decimal, *, receivable: bool, control_id: str, gain_id: str,
                  description: str | None) -> list[Posting]:
    """The journal lines that move an allocation's ``gain`` (:func:`offset`) between the control account and
    Realised Currency Gains; empty when there is none.

    Args:
        receivable: a customer's credit (control: Accounts Receivable) rather than a supplier's (Payable).
        control_id, gain_id: the control account's and ``REALISEDCURRENCYGAIN``'s ids.

    Returns:
        Balanced lines: a customer's credit debits the receivable and credits the gain (a supplier's the opposite),
        so that the control account holds what the two documents' clearings leave (nothing once both are used up).
    """
    if not gain:
        return []
    signed = gain if receivable else -gain
    return [Posting(account_id=control_id, amount=signed, description=description),
            Posting(account_id=gain_id, amount=-signed, description=REALISED_GAIN)]
