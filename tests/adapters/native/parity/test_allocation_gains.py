"""Realised currency gains when a credit meets an invoice at another rate (issue 12). Figures by hand, GBP base:

- Customer credit note 120.00 USD at 1.20 = 100.00 GBP allocated in full to a 120.00 USD invoice at 1.25 = 96.00:
  the credit clears 100.00 of the receivable, the invoice 96.00, so 4.00 is a realised gain (Dr AR 4.00, Cr 499
  4.00) and the three documents leave 0.00 on the receivable; deleting the allocation reverses it.
- Supplier credit note 120.00 USD at 1.20 (100.00) against a 120.00 USD bill at 1.25 (96.00): a loss of 4.00.
- Part allocation, then the invoice's last payment: a 120.00 USD invoice at 1.25 (96.00) takes 60.00 USD of a credit
  note at 1.20 (50.00 against 48.00: gain 2.00), then is paid 60.00 USD at 1.25: the payment clears the 48.00 left,
  no gain (it used to clear all 96.00 and book a loss of 48.00).
- A 120.00 USD credit note at 1.20 (100.00) refunded at 1.25: 96.00 leaves the bank, a gain of 4.00.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from adapters.native.ledger.fx import gain_postings, offset

from .test_currency_postings import BANK, GAINS, PAYABLE, RECEIVABLE, SALES

ON_MODULE_APP = pytest.mark.asyncio(loop_scope="module")  # the app of conftest lives for the module
PURCHASES = "429"
CUSTOMER, SUPPLIER = "Meridian University", "Greenfield Office Supplies"
_SEEN: dict[int, int] = {}  # id(api) → the last journal number read


def test_offset_by_hand() -> None:
    assert offset(amount=Decimal(120), credit_rate=Decimal("1.2"), invoice_rate=Decimal("1.25"), credit_left=None,
                  invoice_left=None) == (Decimal("100.00"), Decimal("96.00"), Decimal("4.00"))
    # The last use clears what is left, whatever the rate says.
    assert offset(amount=Decimal(60), credit_rate=Decimal("1.3"), invoice_rate=Decimal("1.25"),
                  credit_left=Decimal("46.16"), invoice_left=None) == (Decimal("46.16"), Decimal("48.00"),
                                                                      Decimal("-1.84"))
    receivable = gain_postings(Decimal("4.00"), receivable=True, control_id="ar", gain_id="fx", description=None)
    assert [(p.account_id, p.amount) for p in receivable] == [("ar", Decimal("4.00")), ("fx", Decimal("-4.00"))]
    payable = gain_postings(Decimal("4.00"), receivable=False, control_id="ap", gain_id="fx", description=None)
    assert [(p.account_id, p.amount) for p in payable] == [("ap", Decimal("-4.00")), ("fx", Decimal("4.00"))]
    assert gain_postings(Decimal("0.00"), receivable=True, control_id="ar", gain_id="fx", description=None) == []


async def _new_journals(api) -> list[dict]:
    """The journals written since the last call (``GET /Journals`` paged by ``offset``, bounded)."""
    offset_ = _SEEN.get(id(api), 0)
    out: list[dict] = []
    for _ in range(100):
        _, body = await api.call("GET", f"/Journals?offset={offset_}", validate=False)
        journals = json.loads(body)["Journals"]
        if not journals:
            break
        out += journals
        offset_ = max(j["JournalNumber"] for j in journals)
    _SEEN[id(api)] = offset_
    return out


def _lines(journals: list[dict], source_id: str) -> list[dict[str, float]]:
    """Each journal of ``source_id``: account code → net amount."""
    out = []
    for journal in journals:
        if journal["SourceID"] == source_id:
            by_account: dict[str, float] = {}
            for line in journal["JournalLines"]:
                code = line["AccountCode"]
                by_account[code] = round(by_account.get(code, 0) + line["NetAmount"], 2)
            out.append(by_account)
    return out


def _net(journals: list[dict], code: str, *source_ids: str) -> float:
    return round(sum(line["NetAmount"] for j in journals if j["SourceID"] in source_ids
                     for line in j["JournalLines"] if line["AccountCode"] == code), 2)


async def _put(api, path: str, collection: str, element: dict) -> dict:
    resp, body = await api.call("PUT", path, json={collection: [element]})
    assert resp.status == 200, body
    (row,) = json.loads(body)[collection]
    return row


def _document(kind: str, rate: float, amount: float = 120, **extra) -> dict:
    customer = kind in ("ACCREC", "ACCRECCREDIT")
    element = {"Type": kind, "Contact": {"Name": CUSTOMER if customer else SUPPLIER}, "Date": "2026-03-10",
               "DueDate": "2026-04-09", "Status": "AUTHORISED", "LineAmountTypes": "NoTax", "CurrencyCode": "USD",
               "CurrencyRate": rate, "LineItems": [{"Description": "Consulting", "Quantity": 1, "UnitAmount": amount,
                                                    "AccountCode": SALES if customer else PURCHASES}]}
    element.update(extra)
    return element


async def _setup(api) -> None:
    await api.call("PUT", "/Currencies", json={"Code": "USD", "Description": "United States Dollar"}, validate=False)
    await _new_journals(api)


async def _allocate(api, note_id: str, invoice_id: str, amount: float) -> dict:
    return await _put(api, f"/CreditNotes/{note_id}/Allocations", "Allocations",
                      {"Invoice": {"InvoiceID": invoice_id}, "Amount": amount, "Date": "2026-03-20"})


async def _trial_balance_totals(api) -> list[str]:
    resp, body = await api.call("GET", "/Reports/TrialBalance?date=2026-03-31")
    assert resp.status == 200, body
    rows = [r for s in json.loads(body)["Reports"][0]["Rows"] for r in s.get("Rows", [])]
    (total,) = [r for r in rows if r["RowType"] == "SummaryRow" and r["Cells"][0]["Value"] == "Total"]
    return [c["Value"] for c in total["Cells"][1:]]


@ON_MODULE_APP
async def test_customer_credit_at_another_rate_realises_a_gain_and_deleting_undoes_it(api) -> None:
    await _setup(api)
    invoice = await _put(api, "/Invoices", "Invoices", _document("ACCREC", 1.25))
    note = await _put(api, "/CreditNotes", "CreditNotes", _document("ACCRECCREDIT", 1.2))
    allocation = await _allocate(api, note["CreditNoteID"], invoice["InvoiceID"], 120)
    journals = await _new_journals(api)
    assert _lines(journals, allocation["AllocationID"]) == [{RECEIVABLE: 4.0, GAINS: -4.0}]
    (gain,) = [j for j in journals if j["SourceID"] == allocation["AllocationID"]]
    assert (gain["SourceType"], gain["JournalDate"]) == ("ACCRECCREDIT", allocation["Date"])
    ids = (invoice["InvoiceID"], note["CreditNoteID"], allocation["AllocationID"])
    assert (_net(journals, RECEIVABLE, *ids[:2]), _net(journals, RECEIVABLE, *ids)) == (-4.0, 0.0)
    debit, credit, ytd_debit, ytd_credit = await _trial_balance_totals(api)
    assert (debit, ytd_debit) == (credit, ytd_credit)

    resp, body = await api.call("DELETE", f"/CreditNotes/{note['CreditNoteID']}/Allocations/"
                                          f"{allocation['AllocationID']}")
    assert resp.status == 200, body
    journals += await _new_journals(api)
    assert _lines(journals, allocation["AllocationID"]) == [{RECEIVABLE: 4.0, GAINS: -4.0},
                                                            {RECEIVABLE: -4.0, GAINS: 4.0}]
    assert _net(journals, RECEIVABLE, *ids) == -4.0  # back to the two open documents
    assert _net(journals, GAINS, allocation["AllocationID"]) == 0.0


@ON_MODULE_APP
async def test_supplier_credit_at_another_rate_realises_a_loss(api) -> None:
    await _setup(api)
    bill = await _put(api, "/Invoices", "Invoices", _document("ACCPAY", 1.25, InvoiceNumber="USD-BILL-FX"))
    note = await _put(api, "/CreditNotes", "CreditNotes", _document("ACCPAYCREDIT", 1.2,
                                                                     CreditNoteNumber="USD-CN-FX"))
    allocation = await _allocate(api, note["CreditNoteID"], bill["InvoiceID"], 120)
    journals = await _new_journals(api)
    assert _lines(journals, allocation["AllocationID"]) == [{PAYABLE: -4.0, GAINS: 4.0}]
    assert _net(journals, PAYABLE, bill["InvoiceID"], note["CreditNoteID"], allocation["AllocationID"]) == 0.0


@ON_MODULE_APP
async def test_the_last_payment_after_an_allocation_clears_only_what_is_left(api) -> None:
    await _setup(api)
    invoice = await _put(api, "/Invoices", "Invoices", _document("ACCREC", 1.25))
    note = await _put(api, "/CreditNotes", "CreditNotes", _document("ACCRECCREDIT", 1.2, amount=60))
    allocation = await _allocate(api, note["CreditNoteID"], invoice["InvoiceID"], 60)
    payment = await _put(api, "/Payments", "Payments", {"Invoice": {"InvoiceID": invoice["InvoiceID"]},
                                                        "Account": {"Code": BANK}, "Date": "2026-03-25",
                                                        "Amount": 60, "CurrencyRate": 1.25})
    journals = await _new_journals(api)
    assert _lines(journals, allocation["AllocationID"]) == [{RECEIVABLE: 2.0, GAINS: -2.0}]
    assert _lines(journals, payment["PaymentID"]) == [{BANK: 48.0, RECEIVABLE: -48.0}]
    ids = (invoice["InvoiceID"], note["CreditNoteID"], allocation["AllocationID"], payment["PaymentID"])
    assert _net(journals, RECEIVABLE, *ids) == 0.0


@ON_MODULE_APP
async def test_a_refund_at_another_rate_realises_the_difference(api) -> None:
    await _setup(api)
    note = await _put(api, "/CreditNotes", "CreditNotes", _document("ACCRECCREDIT", 1.2))
    refund = await _put(api, "/Payments", "Payments", {"CreditNote": {"CreditNoteID": note["CreditNoteID"]},
                                                       "Account": {"Code": BANK}, "Date": "2026-03-20",
                                                       "Amount": 120, "CurrencyRate": 1.25})
    assert refund["CurrencyRate"] == 1.25
    journals = await _new_journals(api)
    assert _lines(journals, refund["PaymentID"]) == [{RECEIVABLE: 100.0, BANK: -96.0, GAINS: -4.0}]
    assert _net(journals, RECEIVABLE, note["CreditNoteID"], refund["PaymentID"]) == 0.0
