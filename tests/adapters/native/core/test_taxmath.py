"""Invoice tax maths: Exclusive, Inclusive, NoTax, per-line half-up rounding, discounts."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from adapters.native.ledger.taxmath import compute_line, compute_totals, round2

from .conftest import call, invoice_element


def test_round2_is_half_up() -> None:
    assert round2(D("0.125")) == D("0.13")
    assert round2(D("0.145")) == D("0.15")  # banker's rounding would give 0.14
    assert round2(D("2.675")) == D("2.68")
    assert round2(D("-0.125")) == D("-0.13")


def test_exclusive_line() -> None:
    line = compute_line(quantity=D(3), unit_amount=D("33.33"), rate=D(20), line_amount_types="Exclusive")
    assert (line.line_amount, line.tax_amount, line.net_amount) == (D("99.99"), D("20.00"), D("99.99"))
    # 20% of 10.025 → 2.005 → 2.01 (half-up), not 2.00
    line = compute_line(quantity=D(1), unit_amount=D("10.025"), rate=D(20), line_amount_types="Exclusive")
    assert line.line_amount == D("10.03") and line.tax_amount == D("2.01")


def test_inclusive_line() -> None:
    line = compute_line(quantity=D(1), unit_amount=D("120.00"), rate=D(20), line_amount_types="Inclusive")
    assert (line.line_amount, line.tax_amount, line.net_amount) == (D("120.00"), D("20.00"), D("100.00"))
    line = compute_line(quantity=D(1), unit_amount=D("10.00"), rate=D(20), line_amount_types="Inclusive")
    assert (line.tax_amount, line.net_amount) == (D("1.67"), D("8.33"))  # 10 × 20/120 = 1.666…
    line = compute_line(quantity=D(2), unit_amount=D("10.50"), rate=D(5), line_amount_types="Inclusive")
    assert (line.line_amount, line.tax_amount) == (D("21.00"), D("1.00"))


def test_no_tax_line_ignores_rate_and_override() -> None:
    line = compute_line(quantity=D(2), unit_amount=D("50"), rate=D(20), line_amount_types="NoTax",
                        tax_override=D("3"))
    assert (line.line_amount, line.tax_amount, line.net_amount) == (D("100.00"), D("0.00"), D("100.00"))


def test_discount_and_tax_override() -> None:
    line = compute_line(quantity=D(4), unit_amount=D("25"), rate=D(20), line_amount_types="Exclusive",
                        discount_rate=D("12.5"))
    assert (line.line_amount, line.discount, line.tax_amount) == (D("87.50"), D("12.50"), D("17.50"))
    line = compute_line(quantity=D(1), unit_amount=D("100"), rate=D(20), line_amount_types="Exclusive",
                        tax_override=D("19.99"))
    assert line.tax_amount == D("19.99")
    with pytest.raises(ValueError):
        compute_line(quantity=D(1), unit_amount=D(1), rate=D(0), line_amount_types="Gross")


def test_totals_sum_rounded_lines() -> None:
    lines = [compute_line(quantity=D(1), unit_amount=D("0.05"), rate=D(20), line_amount_types="Exclusive")
             for _ in range(3)]  # tax 0.01 each (0.0100): per-line rounding
    totals = compute_totals(lines)
    assert (totals.sub_total, totals.total_tax, totals.total) == (D("0.15"), D("0.03"), D("0.18"))


@pytest.mark.parametrize(("lat", "sub_total", "total_tax", "total"), [
    ("Exclusive", D("250.00"), D("35.00"), D("285.00")),
    ("Inclusive", D("220.24"), D("29.76"), D("250.00")),  # 150 × 20/120 = 25.00; 100 × 5/105 = 4.76
    ("NoTax", D("250.00"), D("0.00"), D("250.00")),
])
async def test_invoice_totals_through_the_api(adapter, lat, sub_total, total_tax, total) -> None:
    element = invoice_element(LineAmountTypes=lat, LineItems=[
        {"Description": "Consulting", "Quantity": 1, "UnitAmount": "150.00", "AccountCode": "200",
         "TaxType": "OUTPUT2"},
        {"Description": "Lighting", "Quantity": 10, "UnitAmount": "10.00", "AccountCode": "200",
         "TaxType": "RROUTPUT"},
    ])
    (inv,) = (await call(adapter, "createInvoices", elements=[element])).items
    assert (inv.SubTotal, inv.TotalTax, inv.Total, inv.AmountDue) == (sub_total, total_tax, total, total)
    assert sum(li.TaxAmount for li in inv.LineItems) == total_tax
    # stored and read back the same
    (again,) = (await call(adapter, "getInvoice", path={"InvoiceID": inv.InvoiceID})).items
    assert (again.SubTotal, again.TotalTax, again.Total) == (sub_total, total_tax, total)


async def test_line_defaults_and_unitdp(adapter) -> None:
    element = invoice_element(LineItems=[
        {"Description": "Quantity defaults to 1; tax type from the account", "UnitAmount": "12.3456",
         "AccountCode": "200"},
        {"Description": "LineAmount only", "LineAmount": "40.00", "AccountCode": "260"},
    ])
    (inv,) = (await call(adapter, "createInvoices", elements=[element], unitdp=4)).items
    first, second = inv.LineItems
    assert first.Quantity == 1 and first.TaxType == "OUTPUT2" and first.UnitAmount == D("12.3456")
    assert first.LineAmount == D("12.35") and first.TaxAmount == D("2.47")
    assert second.UnitAmount == D("40.0000") and second.LineAmount == D("40.00")
    (two_dp,) = (await call(adapter, "getInvoice", path={"InvoiceID": inv.InvoiceID})).items
    assert two_dp.LineItems[0].UnitAmount == D("12.35")
    (rounded,) = (await call(adapter, "createInvoices", elements=[element])).items  # unitdp 2 on input
    assert rounded.LineItems[0].UnitAmount == D("12.35")
