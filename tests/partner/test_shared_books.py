"""One set of books, two APIs (issue 16, "Done when"): a purchase posted through the partner API shows in Xero's
``BankTransactions`` and ``ProfitAndLoss``, and a Xero ``ManualJournal`` shows as a partner journal entry; a bill
made with Xero is paid through the partner API."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.native.demo.company import DEMO_TENANT_ID
from tests.xero_spec import validate_response

from .conftest import xero_headers

pytestmark = pytest.mark.asyncio(loop_scope="package")

C = f"/companies/{DEMO_TENANT_ID}"
XERO = "/1000/api.xro/2.0"


async def _xero(stack, method: str, path: str, body=None) -> dict:
    resp = await stack.gateway.request(method, XERO + path, json=body, headers=xero_headers(stack))
    raw = await resp.read()
    assert resp.status == 200, raw[:2000]
    validate_response(method, XERO + path, resp.status, raw, resp.headers)
    return await resp.json()


def _pnl_row(report: dict, account_name: str) -> Decimal:
    for section in report["Reports"][0]["Rows"]:
        for row in section.get("Rows", []):
            cells = row.get("Cells", [])
            if row.get("RowType") == "Row" and cells and cells[0]["Value"] == account_name:
                return Decimal(cells[1]["Value"])
    return Decimal(0)


async def test_a_partner_purchase_shows_in_xero_bank_transactions_and_profit_and_loss(stack, api):
    accounts = (await api.get(f"{C}/accounts?limit=500")).body["data"]
    banks = (await api.get(f"{C}/bank-accounts")).body["data"]
    expense = next(a for a in accounts if a["code"] == "429")  # General Expenses
    period = "fromDate=2026-09-01&toDate=2026-09-30"
    before = _pnl_row(await _xero(stack, "GET", f"/Reports/ProfitAndLoss?{period}"), expense["name"])
    receipt = (await api.post(f"{C}/purchases", {
        "bankAccountId": banks[0]["id"], "date": "2026-09-15", "contactName": "Window Cleaners Ltd",
        "reference": "WC-0915", "lines": [{"accountId": expense["id"], "amountCents": 12345,
                                            "description": "Window cleaning"}]}, key="shared-purchase")).body
    [tx_id] = receipt["bankTransactionIds"]
    xero_tx = (await _xero(stack, "GET", f"/BankTransactions/{tx_id}"))["BankTransactions"][0]
    assert xero_tx["Type"] == "SPEND" and xero_tx["Status"] == "AUTHORISED" and xero_tx["Reference"] == "WC-0915"
    assert Decimal(str(xero_tx["Total"])) == Decimal("123.45")
    assert xero_tx["BankAccount"]["AccountID"] == banks[0]["id"]
    listed = await _xero(stack, "GET", '/BankTransactions?where=Reference=="WC-0915"')
    assert [t["BankTransactionID"] for t in listed["BankTransactions"]] == [tx_id]
    after = _pnl_row(await _xero(stack, "GET", f"/Reports/ProfitAndLoss?{period}"), expense["name"])
    assert after - before == Decimal("123.45")
    partner_pnl = (await api.get(f"{C}/reports/profit-and-loss?{period}")).body
    expenses = next(s for s in partner_pnl["sections"] if s["classification"] == "expense")
    assert next(r for r in expenses["accounts"] if r["accountId"] == expense["id"])["amountCents"] == int(after * 100)


async def test_a_xero_manual_journal_is_a_partner_journal_entry(stack, api):
    made = await _xero(stack, "PUT", "/ManualJournals", {"ManualJournals": [{
        "Narration": "Depreciation for August", "Date": "2026-08-31", "Status": "POSTED",
        "JournalLines": [{"AccountCode": "416", "LineAmount": 250.0, "Description": "Depreciation"},
                         {"AccountCode": "711", "LineAmount": -250.0, "Description": "Depreciation"}]}]})
    journal_id = made["ManualJournals"][0]["ManualJournalID"]
    entries = (await api.get(f"{C}/journal-entries?limit=500")).body["data"]
    [entry] = [e for e in entries if e["sourceId"] == journal_id]
    assert entry["sourceType"] == "journal_entry" and entry["date"] == "2026-08-31"
    assert sorted(line["amountCents"] for line in entry["lines"]) == [-25000, 25000]
    lines = (await api.get(f"{C}/journal-lines?limit=500&accountId={entry['lines'][0]['accountId']}")).body["data"]
    assert entry["lines"][0]["id"] in {line["id"] for line in lines}


async def test_a_xero_bill_is_paid_through_the_partner_api(stack, api):
    bill = (await _xero(stack, "PUT", "/Invoices", {"Invoices": [{
        "Type": "ACCPAY", "Contact": {"Name": "Office Supplies Co"}, "Date": "2026-10-01", "DueDate": "2026-10-31",
        "Status": "AUTHORISED", "LineAmountTypes": "NoTax", "InvoiceNumber": "OS-1001",
        "LineItems": [{"Description": "Toner", "Quantity": 1, "UnitAmount": 80.0, "AccountCode": "429"}]}]}))
    bill_id = bill["Invoices"][0]["InvoiceID"]
    banks = (await api.get(f"{C}/bank-accounts")).body["data"]
    receipt = await api.post(f"{C}/bill-payments", {"billId": bill_id, "bankAccountId": banks[0]["id"],
                                                     "amountCents": 8000, "date": "2026-10-15"}, key="pay-os-1001")
    assert receipt.status == 201 and banks[0]["id"] in receipt.body["affectedAccountIds"]
    paid = (await _xero(stack, "GET", f"/Invoices/{bill_id}"))["Invoices"][0]
    assert paid["Status"] == "PAID" and Decimal(str(paid["AmountDue"])) == 0
    entry = next(e for e in (await api.get(f"{C}/journal-entries?limit=500")).body["data"]
                 if e["id"] == receipt.body["journalEntryId"])
    assert entry["sourceType"] == "bill_payment"
