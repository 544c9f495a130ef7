"""Reads beyond the core resources, from real replica rows: Prepayments (money on account not allocated),
invoice and credit note history from the audit trail's stamps, and the organisation's key actions."""

from __future__ import annotations

from decimal import Decimal

from .rows import STAMP
from .test_pairing_and_reads import _get, _synced

#: A customer receipt on account nothing is allocated to (SA 4), and a supplier payment on account (PA 5) of which
#: 120.00 pays bill BB-778 and 30.00 stays unallocated; a sales credit note (SC 6) applied in part to invoice 24.
EXTRA = {
    "AUDIT_HEADER": [
        {"HEADER_NUMBER": 4, "TYPE": "SA", "ACCOUNT_REF": "ABS001", "BANK_CODE": "1200", "DATE": "2026-11-20",
         "INV_REF": "ONACC", "DETAILS": "Payment on account", "NET_AMOUNT": "-50.00", "TAX_AMOUNT": "0",
         "GROSS_AMOUNT": "-50.00", "AMOUNT_PAID": "0", "OUTSTANDING": "-50.00", "PAID_FLAG": "N", "DELETED_FLAG": 0,
         "CURRENCY": 1, "ITEM_COUNT": 1, "USER_NAME": "MANAGER", "RECORD_CREATE_DATE": "2026-11-20T10:00:00",
         "RECORD_MODIFY_DATE": STAMP},
        {"HEADER_NUMBER": 5, "TYPE": "PA", "ACCOUNT_REF": "BBS001", "BANK_CODE": "1200", "DATE": "2026-11-25",
         "INV_REF": "CHQ 1001", "DETAILS": "Payment on account", "NET_AMOUNT": "150.00", "TAX_AMOUNT": "0",
         "GROSS_AMOUNT": "150.00", "AMOUNT_PAID": "120.00", "OUTSTANDING": "30.00", "PAID_FLAG": "N",
         "DELETED_FLAG": 0, "CURRENCY": 1, "ITEM_COUNT": 1, "RECORD_MODIFY_DATE": STAMP},
        {"HEADER_NUMBER": 6, "TYPE": "SC", "ACCOUNT_REF": "ABS001", "DATE": "2026-11-26", "INV_REF": "CN-7",
         "DETAILS": "Damaged goods", "NET_AMOUNT": "-2.50", "TAX_AMOUNT": "-0.50", "GROSS_AMOUNT": "-3.00",
         "OUTSTANDING": "0", "PAID_FLAG": "Y", "DELETED_FLAG": 0, "CURRENCY": 1, "ITEM_COUNT": 1,
         "USER_NAME": "JANE", "RECORD_CREATE_DATE": "2026-11-26T09:30:00", "RECORD_MODIFY_DATE": STAMP},
        # A posting whose split has not arrived yet: invisible until it has.
        {"HEADER_NUMBER": 7, "TYPE": "SI", "ACCOUNT_REF": "ABS001", "DATE": "2026-11-27", "INV_REF": "25",
         "NET_AMOUNT": "10.00", "TAX_AMOUNT": "2.00", "GROSS_AMOUNT": "12.00", "OUTSTANDING": "12.00",
         "DELETED_FLAG": 0, "CURRENCY": 1, "ITEM_COUNT": 1, "RECORD_MODIFY_DATE": STAMP},
    ],
    "AUDIT_SPLIT": [
        {"TRAN_NUMBER": 4, "HEADER_NUMBER": 4, "TYPE": "SA", "ACCOUNT_REF": "ABS001", "NOMINAL_CODE": "1200",
         "DETAILS": "Payment on account", "DATE": "2026-11-20", "NET_AMOUNT": "-50.00", "TAX_AMOUNT": "0",
         "TAX_CODE": "T9", "OUTSTANDING": "-50.00", "RECORD_MODIFY_DATE": STAMP},
        {"TRAN_NUMBER": 5, "HEADER_NUMBER": 5, "TYPE": "PA", "ACCOUNT_REF": "BBS001", "NOMINAL_CODE": "1200",
         "DETAILS": "Payment on account", "DATE": "2026-11-25", "NET_AMOUNT": "150.00", "TAX_AMOUNT": "0",
         "TAX_CODE": "T9", "OUTSTANDING": "30.00", "RECORD_MODIFY_DATE": STAMP},
        {"TRAN_NUMBER": 6, "HEADER_NUMBER": 6, "TYPE": "SC", "ACCOUNT_REF": "ABS001", "NOMINAL_CODE": "4000",
         "DETAILS": "Damaged goods", "DATE": "2026-11-26", "NET_AMOUNT": "-2.50", "TAX_AMOUNT": "-0.50",
         "TAX_CODE": "T1", "OUTSTANDING": "0", "RECORD_MODIFY_DATE": STAMP},
    ],
    "AUDIT_USAGE": [
        {"USAGE_NUMBER": 2, "TYPE": "PA", "SPLIT_NUMBER": 3, "SPLIT_CROSSREF": 5, "REFERENCE": "CHQ 1001",
         "DATE": "2026-11-25", "AMOUNT": "120.00", "DELETED_FLAG": 0, "USER_NAME": "MANAGER",
         "RECORD_CREATE_DATE": "2026-11-25T11:00:00", "RECORD_MODIFY_DATE": STAMP},
        {"USAGE_NUMBER": 3, "TYPE": "SC", "SPLIT_NUMBER": 1, "SPLIT_CROSSREF": 6, "REFERENCE": "CN-7",
         "DATE": "2026-11-26", "AMOUNT": "3.00", "DELETED_FLAG": 0, "USER_NAME": "JANE",
         "RECORD_CREATE_DATE": "2026-11-26T09:31:00", "RECORD_MODIFY_DATE": STAMP},
    ],
}


async def _with_extra(gw, partner, agent):
    token, tenant = await _synced(gw, partner, agent)
    for table, rows in EXTRA.items():
        status, body = await agent.sync(table, rows)
        assert status == 200 and body == {"accepted": len(rows)}, body
    return token, tenant


async def test_prepayments_are_the_unallocated_money_on_account(gw, partner, agent, xero_spec):
    token, tenant = await _with_extra(gw, partner, agent)
    _, listed = await _get(gw, token, tenant, "/Prepayments", xero_spec)
    by_type = {p["Type"]: p for p in listed["Prepayments"]}
    assert set(by_type) == {"RECEIVE-PREPAYMENT", "SPEND-PREPAYMENT"}
    receive = by_type["RECEIVE-PREPAYMENT"]
    assert receive["Contact"]["Name"] == "A1 Design Services" and receive["Reference"] == "ONACC"
    assert Decimal(str(receive["RemainingCredit"])) == Decimal("50.00") == Decimal(str(receive["Total"]))
    assert receive["Status"] == "AUTHORISED" and receive["LineItems"][0]["TaxType"] == "NONE"
    spend = by_type["SPEND-PREPAYMENT"]  # 150.00 paid, 120.00 of it allocated to BB-778: 30.00 remains
    assert Decimal(str(spend["RemainingCredit"])) == Decimal("30.00") == Decimal(str(spend["Total"]))
    _, one = await _get(gw, token, tenant, f"/Prepayments/{spend['PrepaymentID']}", xero_spec)
    assert one["Prepayments"][0]["PrepaymentID"] == spend["PrepaymentID"]
    # The allocated part is a Payment of the bill (never counted twice).
    _, payments = await _get(gw, token, tenant, "/Payments", xero_spec)
    bill_payments = [p for p in payments["Payments"] if p["Invoice"]["InvoiceNumber"] == "BB-778"]
    assert [Decimal(str(p["Amount"])) for p in bill_payments] == [Decimal("120.00")]
    _, where = await _get(gw, token, tenant, "/Prepayments", xero_spec, where='Type=="SPEND-PREPAYMENT"')
    assert [p["PrepaymentID"] for p in where["Prepayments"]] == [spend["PrepaymentID"]]
    _, history = await _get(gw, token, tenant, f"/Prepayments/{spend['PrepaymentID']}/History", xero_spec)
    assert [(r["Changes"], r.get("User")) for r in history["HistoryRecords"]] == [("Created", None),
                                                                                 ("Credit Applied", "MANAGER")]
    assert "120.00" in history["HistoryRecords"][1]["Details"] and "BB-778" in history["HistoryRecords"][1]["Details"]
    _, history = await _get(gw, token, tenant, f"/Payments/{bill_payments[0]['PaymentID']}/History", xero_spec)
    (created,) = history["HistoryRecords"]
    assert created["User"] == "MANAGER" and "120.00" in created["Details"] and "BB-778" in created["Details"]
    response = await gw.client.get(f"/1001/api.xro/2.0/Prepayments/{'0' * 8}-0000-0000-0000-{'0' * 12}",
                                   headers={"Authorization": f"Bearer {token}", "xero-tenant-id": tenant})
    assert response.status == 404


async def test_a_posting_is_invisible_until_its_splits_arrive(gw, partner, agent, xero_spec):
    token, tenant = await _with_extra(gw, partner, agent)
    _, invoices = await _get(gw, token, tenant, "/Invoices", xero_spec)
    assert "25" not in {i["InvoiceNumber"] for i in invoices["Invoices"]}
    status, _ = await agent.sync("AUDIT_SPLIT", [{
        "TRAN_NUMBER": 7, "HEADER_NUMBER": 7, "TYPE": "SI", "ACCOUNT_REF": "ABS001", "NOMINAL_CODE": "4000",
        "DATE": "2026-11-27", "NET_AMOUNT": "10.00", "TAX_AMOUNT": "2.00", "TAX_CODE": "T1", "OUTSTANDING": "12.00",
        "RECORD_MODIFY_DATE": STAMP}])
    assert status == 200
    _, invoices = await _get(gw, token, tenant, "/Invoices", xero_spec, InvoiceNumbers="25")
    (late,) = invoices["Invoices"]
    assert Decimal(str(late["Total"])) == Decimal("12.00") and Decimal(str(late["TotalTax"])) == Decimal("2.00")


async def test_history_comes_from_the_audit_trail_stamps(gw, partner, agent, xero_spec):
    token, tenant = await _with_extra(gw, partner, agent)
    _, invoices = await _get(gw, token, tenant, "/Invoices", xero_spec, InvoiceNumbers="24")
    invoice_id = invoices["Invoices"][0]["InvoiceID"]
    _, history = await _get(gw, token, tenant, f"/Invoices/{invoice_id}/History", xero_spec)
    records = history["HistoryRecords"]
    # Created (the golden row has no RECORD_CREATE_DATE: its DATE), the receipt (SR 2), the credit note (SC 6).
    assert [r["Changes"] for r in records] == ["Created", "Paid", "Credit Applied"]
    assert "10.00" in records[1]["Details"] and "BACS" in records[1]["Details"]
    credit = next(r for r in records if r["Changes"] == "Credit Applied")
    assert credit["User"] == "JANE" and "3.00" in credit["Details"] and "CN-7" in credit["Details"]
    assert credit["DateUTC"].startswith("/Date(")
    created = next(r for r in records if r["Changes"] == "Created")
    assert "24" in created["Details"] and "14.99" in created["Details"]
    _, notes = await _get(gw, token, tenant, "/CreditNotes", xero_spec)
    note_id = next(n["CreditNoteID"] for n in notes["CreditNotes"] if n["CreditNoteNumber"] == "CN-7")
    _, note_history = await _get(gw, token, tenant, f"/CreditNotes/{note_id}/History", xero_spec)
    assert [(r["Changes"], r["User"]) for r in note_history["HistoryRecords"]] == [("Created", "JANE"),
                                                                                  ("Credit Applied", "JANE")]
    # An invoice id is not a credit note's.
    response = await gw.client.get(f"/1001/api.xro/2.0/CreditNotes/{invoice_id}/History",
                                   headers={"Authorization": f"Bearer {token}", "xero-tenant-id": tenant})
    assert response.status == 404


async def test_organisation_actions_follow_what_the_adapter_and_sage_can_do(gw, partner, agent, xero_spec):
    token, tenant = await _with_extra(gw, partner, agent)
    _, actions = await _get(gw, token, tenant, "/Organisation/Actions", xero_spec)
    status = {a["Name"]: a["Status"] for a in actions["Actions"]}
    assert status["CreateApprovedInvoice"] == status["CreateDraftInvoice"] == "ALLOWED"
    assert status["CreateInvoicePayment"] == status["CreateApprovedBill"] == "ALLOWED"
    assert status["CreateDraftBill"] == "NOT-ALLOWED"  # Sage 50 posts a draft bill
    assert status["CreateDraftPurchaseOrder"] == status["UseMulticurrency"] == "NOT-ALLOWED"
