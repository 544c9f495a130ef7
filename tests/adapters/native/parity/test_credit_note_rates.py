"""Foreign-currency credit notes posted at their CurrencyRate, like invoices (issue 12). Figures by hand, GBP base:

- Sales credit note 1 × 100.00 USD + 20 % VAT = 120.00 USD at 1.25 → sales debited 80.00, VAT 16.00, receivable
  credited 96.00 GBP.
- Its refund of 120.00 USD converts at the credit note's rate: receivable debited 96.00, bank credited 96.00, no
  currency gain line.
- Supplier credit note 50.00 USD (no tax) at 1.25 → payable debited 40.00, expense credited 40.00.
"""

from __future__ import annotations

import json

import pytest

from .test_currency_postings import BANK, RECEIVABLE, SALES, VAT, _by_account
from .test_tax_components import _journal_lines

ON_MODULE_APP = pytest.mark.asyncio(loop_scope="module")  # the app of conftest lives for the module
PAYABLE, PURCHASES = "800", "429"


def _credit_note(**overrides) -> dict:
    element = {"Type": "ACCRECCREDIT", "Contact": {"Name": "Meridian University"}, "Date": "2026-03-10",
               "Status": "AUTHORISED", "LineAmountTypes": "Exclusive", "CurrencyCode": "USD", "CurrencyRate": 1.25,
               "LineItems": [{"Description": "Refunded consulting", "Quantity": 1, "UnitAmount": 100,
                              "AccountCode": SALES, "TaxType": "OUTPUT2"}]}
    element.update(overrides)
    return element


@ON_MODULE_APP
async def test_credit_notes_and_their_refunds_post_at_the_note_rate(api) -> None:
    await api.call("PUT", "/Currencies", json={"Code": "USD", "Description": "United States Dollar"}, validate=False)
    resp, body = await api.call("PUT", "/CreditNotes", json={"CreditNotes": [_credit_note()]})
    assert resp.status == 200, body
    (note,) = json.loads(body)["CreditNotes"]
    assert (note["CurrencyRate"], note["Total"]) == (1.25, 120.0)
    assert _by_account(await _journal_lines(api, note["CreditNoteID"])) == {SALES: 80.0, VAT: 16.0,
                                                                           RECEIVABLE: -96.0}

    resp, body = await api.call("PUT", "/Payments", json={"Payments": [{
        "CreditNote": {"CreditNoteID": note["CreditNoteID"]}, "Account": {"Code": BANK}, "Date": "2026-03-20",
        "Amount": 120}]})
    assert resp.status == 200, body
    (refund,) = json.loads(body)["Payments"]
    assert refund["CurrencyRate"] == 1.25
    assert _by_account(await _journal_lines(api, refund["PaymentID"])) == {RECEIVABLE: 96.0, BANK: -96.0}

    supplier = _credit_note(Type="ACCPAYCREDIT", Contact={"Name": "Greenfield Office Supplies"},
                            CreditNoteNumber="USD-CN-1", LineItems=[{"Description": "Returned parts", "Quantity": 1,
                                                                     "UnitAmount": 50, "AccountCode": PURCHASES,
                                                                     "TaxType": "NONE"}])
    resp, body = await api.call("PUT", "/CreditNotes", json={"CreditNotes": [supplier]})
    assert resp.status == 200, body
    (bill_note,) = json.loads(body)["CreditNotes"]
    assert _by_account(await _journal_lines(api, bill_note["CreditNoteID"])) == {PURCHASES: -40.0, PAYABLE: 40.0}
