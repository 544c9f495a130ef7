"""Xero tax types ↔ QBO tax codes, and Xero TaxRates from QBO TaxCode + TaxRate.

Rules (``mappings/qbo_tax.toml``; upstream-contracts.md §4 hard cases 3 and 4):

- A numeric QBO TaxCode ``Id`` ``"2"`` is the Xero TaxType ``"TAX002"`` (prefix and width from the table, the style
  of the spec's custom tax types); :func:`tax_code_id` reverses it.
- US realms use the pseudo codes ``TAX``/``NON`` on lines. Xero tax types have a direction, so ``TAX`` reads as
  ``OUTPUT`` on sales documents and ``INPUT`` on purchases, ``NON`` as ``NONE`` (hard case 3).
- One Xero TaxRate per QBO TaxCode: its components are the TaxRates of the code's ``SalesTaxRateList`` (or, for a
  purchase-only code, its ``PurchaseTaxRateList``), each ``RateValue`` a percentage; ``CanApplyToRevenue`` when it
  has sales rates, ``CanApplyToExpenses`` when it has purchase rates. A code whose purchase rates differ from its
  sales rates shows the sales rates (Xero has one rate per type); line tax amounts always come from QBO. The pseudo
  codes give the fixed rates of the table (QBO's automated sales tax has no single US rate).
- ``GlobalTaxCalculation`` TaxExcluded/TaxInclusive/NotApplicable ↔ LineAmountTypes Exclusive/Inclusive/NoTax; US
  realms have no such field and read as the table's ``us_line_amount_types``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from adapters.common import fields
from gateway.xero.models import TaxComponent, TaxRate

from .. import codes
from .common import ZERO, Tx, money, ref_id


def tax_type(code_id: str | None, *, purchases: bool) -> str | None:
    """The Xero TaxType of a QBO TaxCode ``Id`` on a sales (or purchase) document; ``None`` for none."""
    if not code_id:
        return None
    table = codes.tax()
    pseudo = table.pseudo.get(code_id)
    if pseudo is not None:
        return pseudo.purchases if purchases else pseudo.sales
    custom = table.custom
    return f"{custom.prefix}{code_id.zfill(custom.width) if code_id.isdigit() else code_id}"


def tax_code_id(xero_tax_type: str | None) -> str | None:
    """The QBO TaxCode ``Id`` of a Xero TaxType (``None`` when the type is not one the gateway hands out)."""
    if not xero_tax_type:
        return None
    table = codes.tax()
    for code, pseudo in table.pseudo.items():
        if xero_tax_type in (pseudo.sales, pseudo.purchases):
            return code
    prefix = table.custom.prefix
    if xero_tax_type.startswith(prefix) and len(xero_tax_type) > len(prefix):
        rest = xero_tax_type[len(prefix):]
        return str(int(rest)) if rest.isdigit() else rest
    return None


def line_amount_types(record: dict[str, Any], *, has_global: bool) -> str:
    """Xero LineAmountTypes of a QBO document."""
    table = codes.tax()
    if not has_global:
        return table.no_global_tax_calculation.us_line_amount_types
    value = record.get("GlobalTaxCalculation")
    return table.line_amount_types.get(str(value), "Exclusive") if value else "Exclusive"


def global_tax_calculation(xero_value: str | None) -> str | None:
    """QBO GlobalTaxCalculation of a Xero LineAmountTypes (``None`` for an unknown value)."""
    if xero_value is None:
        return None
    for qbo_value, xero in codes.tax().line_amount_types.items():
        if xero.lower() == str(xero_value).lower():
            return qbo_value
    return None


def _components(code: dict[str, Any], list_name: str, t: Tx) -> list[TaxComponent]:
    details = ((code.get(list_name) or {}).get("TaxRateDetail")) or []
    out = []
    for detail in details:
        rate = t.refs.tax.rates.get(ref_id(detail.get("TaxRateRef")))
        name = (rate or {}).get("Name") or (detail.get("TaxRateRef") or {}).get("name")
        out.append(TaxComponent(Name=name, Rate=money((rate or {}).get("RateValue")) or ZERO, IsCompound=False,
                                IsNonRecoverable=False))
    return out


def tax_rates_to_xero(t: Tx) -> list[TaxRate]:
    """Every Xero TaxRate of the realm (rules in the module docstring)."""
    table = codes.tax()
    out: list[TaxRate] = []
    present = {str(row.get("Id")) for row in t.refs.tax.codes.rows}
    for xero_type, pseudo in table.pseudo_rates.items():
        if pseudo.code in present:
            out.append(TaxRate(Name=pseudo.name, TaxType=xero_type, Status="ACTIVE",
                               TaxComponents=[TaxComponent(Name=pseudo.name, Rate=ZERO, IsCompound=False,
                                                           IsNonRecoverable=False)],
                               CanApplyToRevenue=pseudo.revenue, CanApplyToExpenses=pseudo.expenses,
                               CanApplyToAssets=pseudo.expenses, CanApplyToLiabilities=pseudo.expenses,
                               CanApplyToEquity=False, DisplayTaxRate=ZERO, EffectiveRate=ZERO))
    for code in t.refs.tax.codes.rows:
        code_id = str(code.get("Id"))
        if code_id in table.pseudo:
            continue
        sales = _components(code, "SalesTaxRateList", t)
        purchases = _components(code, "PurchaseTaxRateList", t)
        components = sales or purchases
        rate = sum((c.Rate or ZERO for c in components), Decimal("0"))
        out.append(TaxRate(
            Name=code.get("Name") or code_id, TaxType=tax_type(code_id, purchases=False),
            Status="ACTIVE" if code.get("Active", True) is not False else "ARCHIVED",
            TaxComponents=components or [TaxComponent(Name=code.get("Name"), Rate=ZERO, IsCompound=False,
                                                      IsNonRecoverable=False)],
            CanApplyToRevenue=bool(sales), CanApplyToExpenses=bool(purchases),
            CanApplyToAssets=bool(purchases), CanApplyToLiabilities=bool(purchases), CanApplyToEquity=False,
            DisplayTaxRate=rate, EffectiveRate=rate))
    return out


#: What :func:`tax_rates_to_xero` makes of every Xero TaxRate field (docs/fields-1004.md).
TAX_RATE_FIELDS = fields.FieldMap(
    "TaxRates", TaxRate,
    fields.populated("Name", "TaxCode.Name (the table's name for the pseudo codes TAX/NON)"),
    fields.computed("TaxType", "TaxCode.Id as TAX002… (mappings/qbo_tax.toml); OUTPUT/NONE for the pseudo codes"),
    fields.computed("TaxComponents", "TaxRate.Name and RateValue of the code's SalesTaxRateList (else "
                                     "PurchaseTaxRateList) TaxRateDetail"),
    fields.populated("Status", "TaxCode.Active (true ACTIVE, false ARCHIVED)"),
    fields.computed("CanApplyToRevenue", "the code has SalesTaxRateList rates"),
    fields.computed("CanApplyToExpenses", "the code has PurchaseTaxRateList rates"),
    fields.computed("CanApplyToAssets", "as CanApplyToExpenses"),
    fields.computed("CanApplyToLiabilities", "as CanApplyToExpenses"),
    fields.computed("CanApplyToEquity", "false: QBO tax codes apply to sales and purchases only"),
    fields.computed("DisplayTaxRate", "sum of the components' TaxRate.RateValue"),
    fields.computed("EffectiveRate", "sum of the components' TaxRate.RateValue"),
    fields.lost("ReportTaxType", reason="QBO's TaxCode carries no tax-return box (its TaxAgency is not read)"),
)
