"""Foreign-currency invoices posted at their CurrencyRate, payments at theirs, with the realised gain or loss on
"Realised Currency Gains" (issue 12). Figures by hand, GBP base:

- Invoice: 1 × 1,000.00 USD + 20 % VAT = 1,200.00 USD at 1.25 USD per GBP → sales 800.00, VAT 160.00,
  receivable 960.00 GBP.
- Part payment 600.00 USD at 1.20 → bank 500.00; receivable cleared 600 / 1.25 = 480.00; gain 20.00.
- Final payment 600.00 USD at 1.30 → bank 461.54 (461.538…); receivable left 480.00; loss 18.46.
- Bill: 100.00 USD (no tax) at 1.25 → payable 80.00 GBP; paid at 1.00 → bank 100.00; loss 20.00.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from adapters.native.ledger.fx import settlement, to_base
from tests.adapters.native.core.conftest import invoice_element

from .test_tax_components import _journal_lines

ON_MODULE_APP = pytest.mark.asyncio(loop_scope="module")  # the app of conftest lives for the module
BANK, RECEIVABLE, PAYABLE, VAT, SALES, GAINS = "090", "610", "800", "820", "200", "499"


def test_settlement_by_hand() -> None:
    assert to_base(Decimal("1000.00"), Decimal("1.25")) == Decimal("800.00")
    assert settlement(amount=Decimal(600), payment_rate=Decimal("1.2"), invoice_rate=Decimal("1.25"),
                      control_left=None) == (Decimal("500.00"), Decimal("480.00"), Decimal("20.00"))
    assert settlement(amount=Decimal(600), payment_rate=Decimal("1.3"), invoice_rate=Decimal("1.25"),
                      control_left=Decimal("480.00")) == (Decimal("461.54"), Decimal("480.00"), Decimal("-18.46"))


def _by_account(lines: list[dict]) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in lines:
        out[line["AccountCode"]] = round(out.get(line["AccountCode"], 0) + line["NetAmount"], 2)
    return out


async def _pay(api, invoice_id: str, amount: float, rate: float) -> str:
    resp, body = await api.call("PUT", "/Payments", json={"Payments": [{
        "Invoice": {"InvoiceID": invoice_id}, "Account": {"Code": BANK}, "Date": "2026-03-20", "Amount": amount,
        "CurrencyRate": rate}]})
    assert resp.status == 200, body
    (payment,) = json.loads(body)["Payments"]
    assert payment["CurrencyRate"] == rate
    return payment["PaymentID"]


@ON_MODULE_APP
async def test_invoice_and_payments_post_at_their_rates(api) -> None:
    await api.call("PUT", "/Currencies", json={"Code": "USD", "Description": "United States Dollar"}, validate=False)
    line = {"Description": "Consulting", "Quantity": 1, "UnitAmount": 1000, "AccountCode": SALES,
            "TaxType": "OUTPUT2"}
    resp, body = await api.call("PUT", "/Invoices", json={"Invoices": [invoice_element(
        CurrencyCode="USD", CurrencyRate=1.25, LineItems=[line])]})
    assert resp.status == 200, body
    (invoice,) = json.loads(body)["Invoices"]
    assert (invoice["CurrencyRate"], invoice["Total"]) == (1.25, 1200.0)
    assert _by_account(await _journal_lines(api, invoice["InvoiceID"])) == {SALES: -800.0, VAT: -160.0,
                                                                             RECEIVABLE: 960.0}

    first = await _pay(api, invoice["InvoiceID"], 600, 1.2)
    assert _by_account(await _journal_lines(api, first)) == {BANK: 500.0, RECEIVABLE: -480.0, GAINS: -20.0}
    last = await _pay(api, invoice["InvoiceID"], 600, 1.3)
    assert _by_account(await _journal_lines(api, last)) == {BANK: 461.54, RECEIVABLE: -480.0, GAINS: 18.46}

    bill = invoice_element(Type="ACCPAY", Contact={"Name": "Greenfield Office Supplies"}, InvoiceNumber="USD-1",
                           CurrencyCode="USD", CurrencyRate=1.25, LineItems=[
                               {"Description": "Parts", "Quantity": 1, "UnitAmount": 100, "AccountCode": "429",
                                "TaxType": "NONE"}])
    _, body = await api.call("PUT", "/Invoices", json={"Invoices": [bill]})
    (bill_row,) = json.loads(body)["Invoices"]
    assert _by_account(await _journal_lines(api, bill_row["InvoiceID"])) == {"429": 80.0, PAYABLE: -80.0}
    paid = await _pay(api, bill_row["InvoiceID"], 100, 1.0)
    assert _by_account(await _journal_lines(api, paid)) == {PAYABLE: 80.0, BANK: -100.0, GAINS: 20.0}

