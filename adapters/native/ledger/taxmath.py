"""Invoice line and total arithmetic, as Xero computes it (pure functions, ``Decimal`` only).

Rules (https://developer.xero.com/documentation/api/accounting/invoices, "LineItems" and "LineAmountTypes";
spec ``components.schemas.LineItem``):

- ``LineAmount = Quantity × UnitAmount`` less the discount (``DiscountRate`` percent, or ``DiscountAmount``),
  rounded to 2 dp half-up.
- ``Exclusive``: tax = LineAmount × rate / 100; the line amount is net of tax.
- ``Inclusive``: tax = LineAmount × rate / (100 + rate); the line amount includes tax.
- ``NoTax``: no tax.
- Tax is rounded per line to 2 dp half-up (Xero's default "round per line" tax rounding), and a ``TaxAmount``
  sent by the client overrides the computed one (spec LineItem.TaxAmount: "This value can be overriden if the
  calculated <TaxAmount> is not correct").
- ``SubTotal`` is the total excluding tax, ``Total = SubTotal + TotalTax``.

Amounts are in the document's currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from gateway.xero.models.core import MAX_MONEY

from ..validation import ElementInvalid

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal("0.00")

LINE_AMOUNT_TYPES = ("Exclusive", "Inclusive", "NoTax")


def round2(value: Decimal) -> Decimal:
    """Round to 2 dp, half-up (``Decimal("0.125")`` → ``Decimal("0.13")``)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_dp(value: Decimal, dp: int) -> Decimal:
    """Round to ``dp`` decimal places, half-up."""
    return value.quantize(Decimal(1).scaleb(-dp), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineResult:
    """One computed line.

    Attributes:
        line_amount: ``LineAmount`` as Xero reports it (net for Exclusive/NoTax, gross for Inclusive).
        tax_amount: ``TaxAmount``.
        net_amount: the amount excluding tax (what the line's account is posted with).
        discount: the discount taken off ``Quantity × UnitAmount`` (2 dp).
    """

    line_amount: Decimal
    tax_amount: Decimal
    net_amount: Decimal
    discount: Decimal


@dataclass(frozen=True)
class Totals:
    """``SubTotal``, ``TotalTax``, ``Total``, ``TotalDiscount`` of a document (2 dp)."""

    sub_total: Decimal
    total_tax: Decimal
    total: Decimal
    total_discount: Decimal


def compute_line(*, quantity: Decimal, unit_amount: Decimal, rate: Decimal, line_amount_types: str,
                 discount_rate: Decimal | None = None, discount_amount: Decimal | None = None,
                 tax_override: Decimal | None = None) -> LineResult:
    """Compute one line.

    Args:
        quantity, unit_amount: as stored (up to 4 dp).
        rate: the tax rate in percent (``Decimal("20")``).
        line_amount_types: ``Exclusive``, ``Inclusive`` or ``NoTax``.
        discount_rate: percent off, or ``None``.
        discount_amount: amount off (used when ``discount_rate`` is ``None``).
        tax_override: the client's ``TaxAmount``; ignored for ``NoTax``.

    Raises:
        ValueError: unknown ``line_amount_types``.
        ElementInvalid: the line amount or its tax beyond ``MAX_MONEY`` (gateway.xero.models.core).
    """
    if line_amount_types not in LINE_AMOUNT_TYPES:
        raise ValueError(line_amount_types)
    gross = quantity * unit_amount
    if discount_rate is not None:
        line_amount = round2(gross * (HUNDRED - discount_rate) / HUNDRED)
    elif discount_amount is not None:
        line_amount = round2(gross - discount_amount)
    else:
        line_amount = round2(gross)
    discount = round2(gross) - line_amount
    if line_amount_types == "NoTax":
        tax = ZERO
    elif tax_override is not None:
        tax = round2(tax_override)
    elif line_amount_types == "Exclusive":
        tax = round2(line_amount * rate / HUNDRED)
    else:
        tax = round2(line_amount * rate / (HUNDRED + rate))
    net = line_amount - tax if line_amount_types == "Inclusive" else line_amount
    _within_bounds(line_amount, tax)
    return LineResult(line_amount=line_amount, tax_amount=tax, net_amount=net, discount=discount)


def compute_totals(lines: list[LineResult]) -> Totals:
    """Document totals from computed lines: ``SubTotal = Σ net``, ``TotalTax = Σ tax``, ``Total`` = both.

    Raises:
        ElementInvalid: a total beyond ``MAX_MONEY`` (gateway.xero.models.core).
    """
    sub_total = sum((line.net_amount for line in lines), ZERO)
    total_tax = sum((line.tax_amount for line in lines), ZERO)
    discount = sum((line.discount for line in lines), ZERO)
    _within_bounds(sub_total, total_tax, sub_total + total_tax)
    return Totals(sub_total=sub_total, total_tax=total_tax, total=sub_total + total_tax, total_discount=discount)


def _within_bounds(*amounts: Decimal) -> None:
    # Each input is within MAX_MONEY (the canonical model's bound), but a product or a sum may not be: such a
    # document could neither be stored exactly nor rendered, so it is refused before anything is written.
    if any(abs(amount) > MAX_MONEY for amount in amounts):
        raise ElementInvalid([f"Amounts of a document must be between -{MAX_MONEY} and {MAX_MONEY}"])
