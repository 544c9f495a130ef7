"""Contact payments and allocations: settling artefacts, payments on account, refunds, discounts, undo."""

from __future__ import annotations

from tests.emulators.sage_accounting.conftest import bank_id, contact_id, ledger_id, line


async def _invoice(sage, contact: str, net: int, tax: int, *, date: str = "2025-05-01") -> dict:
    return await sage.post("/sales_invoices", {"sales_invoice": {
        "contact_id": contact, "date": date, "invoice_lines": [line(await ledger_id(sage, 4000), net, tax=tax)]}})


async def _receipt(sage, contact: str, total, allocations: list[tuple[str, object]], status: int = 201, **extra):
    return await sage.call("POST", "/contact_payments", body={"contact_payment": {
        "transaction_type_id": "CUSTOMER_RECEIPT", "contact_id": contact, "bank_account_id": await bank_id(sage),
        "date": "2025-05-10", "total_amount": total,
        "allocated_artefacts": [{"artefact_id": a, "amount": amount} for a, amount in allocations], **extra}})


async def test_part_then_full_payment(sage):
    acme = await contact_id(sage, "ACME001")
    invoice = await _invoice(sage, acme, 100, 20)
    status, first = await _receipt(sage, acme, 50, [(invoice["id"], 50)], reference="R-50")
    assert status == 201, first
    assert first["allocated_artefacts"][0]["artefact"]["id"] == invoice["id"]
    assert first["allocated_artefacts"][0]["amount"] == 50
    assert first["transaction_type"]["id"] == "CUSTOMER_RECEIPT" and first["displayed_as"] == "R-50"
    part = await sage.get(f"/sales_invoices/{invoice['id']}", show_payments_allocations="true")
    assert part["status"]["id"] == "PART_PAID"
    assert part["outstanding_amount"] == 70 and part["total_paid"] == 50
    assert part["payments_allocations"][0]["contact_payment"]["id"] == first["id"]
    assert part["last_paid"] == "2025-05-10"
    status, second = await _receipt(sage, acme, 70, [(invoice["id"], 70)])
    assert status == 201
    paid = await sage.get(f"/sales_invoices/{invoice['id']}")
    assert paid["status"]["id"] == "PAID" and paid["outstanding_amount"] == 0
    await sage.delete(f"/contact_payments/{second['id']}")
    back = await sage.get(f"/sales_invoices/{invoice['id']}")
    assert back["status"]["id"] == "PART_PAID" and back["outstanding_amount"] == 70
    entries = await sage.all("ledger_entries", transaction_id=second["transaction"]["id"])
    assert entries and all(e["deleted"] for e in entries)


async def test_overpayment_becomes_payment_on_account_and_can_be_allocated(sage):
    acme = await contact_id(sage, "ACME001")
    invoice = await _invoice(sage, acme, 100, 20)
    status, receipt = await _receipt(sage, acme, 150, [(invoice["id"], 120)])
    assert status == 201
    poa = receipt["payment_on_account"]
    assert poa["total_amount"] == 30 and poa["outstanding_amount"] == 30
    later = await _invoice(sage, acme, 50, 10)
    allocation = await sage.post("/contact_allocations", {"contact_allocation": {
        "transaction_type_id": "CUSTOMER_ALLOCATION", "contact_id": acme, "date": "2025-05-20",
        "allocated_artefacts": [{"artefact_id": later["id"], "amount": 30},
                                {"artefact_id": poa["id"], "amount": -30}]}})
    assert allocation["transaction"]["id"]
    assert (await sage.get(f"/sales_invoices/{later['id']}"))["outstanding_amount"] == 30
    used = await sage.get(f"/contact_payments/{receipt['id']}")
    assert used["payment_on_account"]["outstanding_amount"] == 0
    status, body = await sage.call("DELETE", f"/contact_payments/{receipt['id']}")
    assert status == 422  # its payment on account is allocated
    await sage.delete(f"/contact_allocations/{allocation['id']}")
    assert (await sage.get(f"/sales_invoices/{later['id']}"))["outstanding_amount"] == 60
    await sage.delete(f"/contact_payments/{receipt['id']}")
    assert (await sage.get(f"/sales_invoices/{invoice['id']}"))["status"]["id"] == "UNPAID"


async def test_allocation_rules(sage):
    acme = await contact_id(sage, "ACME001")
    bright = await contact_id(sage, "BRIGHT01")
    invoice = await _invoice(sage, acme, 100, 20)
    status, body = await _receipt(sage, acme, 200, [(invoice["id"], 200)])
    assert status == 422 and body[0]["$source"] == "allocated_artefacts.amount"
    status, body = await _receipt(sage, acme, 50, [(invoice["id"], 60)])
    assert status == 422
    status, body = await _receipt(sage, bright, 10, [(invoice["id"], 10)])
    assert status == 422 and body[0]["$source"] == "allocated_artefacts.artefact_id"
    status, body = await _receipt(sage, acme, 10, [(invoice["id"], -10)])
    assert status == 422
    status, body = await _receipt(sage, acme, 0, [])
    assert status == 422 and body[0]["$source"] == "total_amount"
    status, body = await sage.call("POST", "/contact_payments", body={"contact_payment": {
        "transaction_type_id": "OTHER_PAYMENT", "contact_id": acme, "bank_account_id": await bank_id(sage),
        "date": "2025-05-10", "total_amount": 1}})
    assert status == 422 and body[0]["$source"] == "transaction_type_id"
    draft = next(i for i in await sage.all("sales_invoices") if i["status"]["id"] == "DRAFT")
    status, body = await _receipt(sage, acme, 10, [(draft["id"], 10)])
    assert status == 422
    status, body = await sage.call("POST", "/contact_allocations", body={"contact_allocation": {
        "transaction_type_id": "CUSTOMER_ALLOCATION", "contact_id": acme,
        "allocated_artefacts": [{"artefact_id": invoice["id"], "amount": 10}]}})
    assert status == 422
    assert (await sage.get(f"/sales_invoices/{invoice['id']}"))["outstanding_amount"] == 120


async def test_credit_note_within_a_receipt_and_refund(sage):
    acme = await contact_id(sage, "ACME001")
    sales = await ledger_id(sage, 4000)
    invoice = await _invoice(sage, acme, 100, 20)
    note = await sage.post("/sales_credit_notes", {"sales_credit_note": {
        "contact_id": acme, "date": "2025-05-02", "credit_note_lines": [line(sales, 50, tax=10)]}})
    status, receipt = await _receipt(sage, acme, 60, [(invoice["id"], 120), (note["id"], -60)])
    assert status == 201, receipt
    assert (await sage.get(f"/sales_invoices/{invoice['id']}"))["status"]["id"] == "PAID"
    assert (await sage.get(f"/sales_credit_notes/{note['id']}"))["status"]["id"] == "PAID"
    other = await sage.post("/sales_credit_notes", {"sales_credit_note": {
        "contact_id": acme, "date": "2025-05-03", "credit_note_lines": [line(sales, 25, tax=5)]}})
    refund = await sage.post("/contact_payments", {"contact_payment": {
        "transaction_type_id": "CUSTOMER_REFUND", "contact_id": acme, "bank_account_id": await bank_id(sage),
        "date": "2025-05-11", "total_amount": 30, "allocated_artefacts": [{"artefact_id": other["id"],
                                                                           "amount": 30}]}})
    assert (await sage.get(f"/sales_credit_notes/{other['id']}"))["outstanding_amount"] == 0
    entries = await sage.all("ledger_entries", transaction_id=refund["transaction"]["id"])
    bank_ledger = (await sage.get(f"/bank_accounts/{await bank_id(sage)}"))["ledger_account"]["id"]
    assert next(e for e in entries if e["ledger_account"]["id"] == bank_ledger)["credit"] == 30


async def test_supplier_payment_with_discount_and_update(sage):
    paper = await contact_id(sage, "PAPER01")
    office = await ledger_id(sage, 7500)
    bill = await sage.post("/purchase_invoices", {"purchase_invoice": {
        "contact_id": paper, "date": "2025-05-01", "due_date": "2025-05-31",
        "invoice_lines": [line(office, 100, tax=20)]}})
    payment = await sage.post("/contact_payments", {"contact_payment": {
        "transaction_type_id": "VENDOR_PAYMENT", "contact_id": paper, "bank_account_id": await bank_id(sage),
        "date": "2025-05-12", "total_amount": 110,
        "allocated_artefacts": [{"artefact_id": bill["id"], "amount": 110, "discount": 10}]}})
    assert payment["allocated_artefacts"][0]["discount"] == 10
    settled = await sage.get(f"/purchase_invoices/{bill['id']}")
    assert settled["status"]["id"] == "PAID" and settled["payments_allocations_total_discount"] == 10
    entries = await sage.all("ledger_entries", transaction_id=payment["transaction"]["id"])
    assert sum(e["debit"] for e in entries) == sum(e["credit"] for e in entries) == 120
    changed = await sage.put(f"/contact_payments/{payment['id']}", {"contact_payment": {
        "total_amount": 50, "allocated_artefacts": [{"artefact_id": bill["id"], "amount": 50}]}})
    assert changed["total_amount"] == 50 and changed["transaction"]["id"] == payment["transaction"]["id"]
    partly = await sage.get(f"/purchase_invoices/{bill['id']}")
    assert partly["status"]["id"] == "PART_PAID" and partly["outstanding_amount"] == 70


async def test_payment_lists_filter_by_type_and_contact(sage):
    receipts = await sage.all("contact_payments", transaction_type_id="CUSTOMER_RECEIPT")
    assert len(receipts) == 2
    paper = await contact_id(sage, "PAPER01")
    assert len(await sage.all("contact_payments", contact_id=paper)) == 1
    allocations = await sage.all("contact_allocations")
    assert len(allocations) == 1 and sum(a["amount"] for a in allocations[0]["allocated_artefacts"]) == 0
