"""TaxRates ← Sage ``tax_rates``, and the tax arithmetic of document lines.

Read (swagger ``TaxRate``): Sage rates have no direction, Xero's tax types do (upstream-contracts.md §4 hard case 3),
so a Sage rate listed in ``mappings/sage_tax.toml`` is shown as two Xero TaxRates, its output (sales) and input
(purchases) types (one when both are the same type, e.g. ``NONE``), named as a UK Xero organisation names them; a
rate absent from the table is shown once under its Sage id. Fields: ``Name``, ``TaxType``, ``ReportTaxType``
(mapped rates only), ``Status`` (``ACTIVE``; ``ARCHIVED`` when Sage marks it ``is_visible: false``, inferred),
``TaxComponents`` ``[{Name: Sage name, Rate: percentage, IsCompound: false, IsNonRecoverable: false}]``,
``DisplayTaxRate``/``EffectiveRate`` ← ``percentage``, ``CanApplyTo…``: an output type applies to revenue, an input
type to expenses, both to assets, equity and liabilities (as the spec's ``/TaxRates`` example shows the income
rate not applying to expenses and the expense rate not to revenue).

Line arithmetic (:func:`line_amounts`): Sage v3.1 requires a line's ``tax_amount`` unless the rate is zero (swagger
``SalesInvoiceLineItem.tax_amount``), so the gateway computes it when the client sends none: Exclusive →
``tax = round(net × rate / 100)``; Inclusive (``unit_price_includes_tax``, §4 hard case 4) →
``tax = round(gross × rate / (100 + rate))``; NoTax → 0; rounded half-up to the cent per line (Sage stores tax per
line).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from adapters.common import fields
from gateway.xero.models import TaxComponent, TaxRate

from ..codes import TaxSide, tables
from .common import CENT, ZERO, money

HUNDRED = Decimal("100")


def rate_of(row: Mapping[str, Any] | None) -> Decimal:
    """A Sage tax rate's current percentage (``percentage``; 0 when absent)."""
    if not row:
        return ZERO
    return money(row.get("percentage")) or ZERO


def _tax_rate(row: Mapping[str, Any], side: TaxSide | None, direction: str | None) -> TaxRate:
    rate = rate_of(row)
    name = str(row.get("name") or row.get("displayed_as") or row.get("id"))
    applies = {"CanApplyToAssets": True, "CanApplyToEquity": True, "CanApplyToLiabilities": True,
               "CanApplyToRevenue": direction in (None, "output"), "CanApplyToExpenses": direction in (None, "input")}
    if side is not None and side.tax_type == "NONE":
        applies.update(CanApplyToRevenue=True, CanApplyToExpenses=True)
    return TaxRate(
        Name=side.name if side else name,
        TaxType=side.tax_type if side else str(row["id"]),
        ReportTaxType=side.report_tax_type if side else None,
        Status="ARCHIVED" if row.get("is_visible") is False else "ACTIVE",
        TaxComponents=[TaxComponent(Name=name, Rate=rate, IsCompound=False, IsNonRecoverable=False)],
        DisplayTaxRate=rate, EffectiveRate=rate, **applies)


def tax_rates_from_sage(rows: list[Mapping[str, Any]]) -> list[TaxRate]:
    """Every Xero TaxRate of a business's Sage tax rates (module docstring), by name."""
    t = tables()
    out: dict[str, TaxRate] = {}
    for row in rows:
        entry = t.tax.get(str(row.get("id")))
        if entry is None:
            rate = _tax_rate(row, None, None)
            out.setdefault(rate.TaxType or "", rate)
            continue
        for direction in ("output", "input"):
            side = getattr(entry, direction)
            out.setdefault(side.tax_type, _tax_rate(row, side, direction))
    return sorted(out.values(), key=lambda r: ((r.Name or "").lower(), r.TaxType or ""))


@dataclass(frozen=True)
class LineAmounts:
    """A line's Sage amounts."""

    net: Decimal
    tax: Decimal
    total: Decimal


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def line_amounts(amount: Decimal, rate: Decimal, *, inclusive: bool, no_tax: bool,
                 tax_amount: Decimal | None = None) -> LineAmounts:
    """Net, tax and total of a line whose amount (after discount) is ``amount``.

    Args:
        amount: quantity × unit price − discount (gross when ``inclusive``).
        rate: the tax rate's percentage.
        inclusive: the unit price includes tax.
        no_tax: Xero's NoTax: no tax at all.
        tax_amount: the client's own tax for the line (Xero ``TaxAmount``), kept when given.
    """
    if no_tax:
        return LineAmounts(net=_round(amount), tax=ZERO, total=_round(amount))
    if inclusive:
        total = _round(amount)
        tax = tax_amount if tax_amount is not None else _round(amount * rate / (HUNDRED + rate))
        return LineAmounts(net=total - tax, tax=tax, total=total)
    net = _round(amount)
    tax = tax_amount if tax_amount is not None else _round(amount * rate / HUNDRED)
    return LineAmounts(net=net, tax=tax, total=net + tax)


#: What :func:`tax_rates_from_sage` makes of every Xero TaxRate field (docs/fields-1009.md).
TAX_RATE_FIELDS = fields.FieldMap(
    "TaxRates", TaxRate,
    fields.populated("Name", "tax_rates.name (a mapped rate: the UK Xero name of its side, mappings/sage_tax.toml)"),
    fields.computed("TaxType", "tax_rates.id through mappings/sage_tax.toml, one per output and input side "
                               "(the Sage id when not in the table)"),
    fields.populated("TaxComponents", "tax_rates.name and percentage"),
    fields.populated("Status", "tax_rates.is_visible (false ARCHIVED, else ACTIVE)"),
    fields.computed("ReportTaxType", "mappings/sage_tax.toml by tax_rates.id", condition="rates in the table"),
    fields.computed("CanApplyToAssets", "true: a Sage rate has no account-class limit"),
    fields.computed("CanApplyToEquity", "true: a Sage rate has no account-class limit"),
    fields.computed("CanApplyToLiabilities", "true: a Sage rate has no account-class limit"),
    fields.computed("CanApplyToRevenue", "the output side (both for NONE and unmapped rates)"),
    fields.computed("CanApplyToExpenses", "the input side (both for NONE and unmapped rates)"),
    fields.populated("DisplayTaxRate", "tax_rates.percentage"),
    fields.populated("EffectiveRate", "tax_rates.percentage"),
)
