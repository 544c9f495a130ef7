"""Sales and purchase invoices and credit notes: computed members, statuses, release, edit, void and delete."""

from __future__ import annotations

from tests.emulators.sage_accounting.conftest import contact_id, ledger_id, line


async def _setup(sage) -> dict[str, str]:
    return {"acme": await contact_id(sage, "ACME001"), "paper": await contact_id(sage, "PAPER01"),
            "sales": await ledger_id(sage, 4000), "office": await ledger_id(sage, 7500)}


async def test_sales_invoice_computed_members(sage):
    ids = await _setup(sage)
    invoice = await sage.post("/sales_invoices", {"sales_invoice": {
        "contact_id": ids["acme"], "date": "2025-05-01", "reference": "PO-9",
        "invoice_lines": [
            line(ids["sales"], "12.50", tax="10.00", quantity=4, description="Widgets"),
            line(ids["sales"], "60", tax="10.00", unit_price_includes_tax=True, description="Gross priced"),
            line(ids["sales"], "100", tax="0", tax_rate="GB_LOWER", description="Discounted", discount_amount="100"),
            line(ids["sales"], "30", tax_rate="GB_ZERO", description="Zero rated"),
            line(ids["sales"], "200", tax="9.50", tax_rate="GB_LOWER", description="Percent off",
                 discount_percentage="5")],
        "shipping_net_amount": "10", "shipping_tax_rate_id": "GB_STANDARD"}})
    assert len(invoice["id"]) == 32
    assert invoice["displayed_as"] == invoice["invoice_number"]
    assert invoice["invoice_number"].startswith("SI-") and invoice["invoice_number_prefix"] == "SI-"
    assert invoice["status"]["id"] == "UNPAID"
    lines = invoice["invoice_lines"]
    assert [(ln["net_amount"], ln["tax_amount"], ln["total_amount"]) for ln in lines] == [
        (50, 10, 60), (50, 10, 60), (0, 0, 0), (30, 0, 30), (190, 9.5, 199.5)]
    assert lines[4]["discount_amount"] == 10
    assert invoice["shipping_tax_amount"] == 2 and invoice["shipping_total_amount"] == 12
    assert invoice["net_amount"] == 50 + 50 + 0 + 30 + 190 + 10
    assert invoice["tax_amount"] == 10 + 10 + 9.5 + 2
    assert invoice["total_amount"] == invoice["net_amount"] + invoice["tax_amount"]
    assert invoice["outstanding_amount"] == invoice["total_amount"]
    assert invoice["total_paid"] == 0
    assert invoice["due_date"] == "2025-05-31"  # Acme's 30 credit days
    assert invoice["contact_name"] == "Acme Retail Ltd" and invoice["contact_reference"] == "ACME001"
    analysis = {row["tax_rate"]["id"]: row for row in invoice["tax_analysis"]}
    assert analysis["GB_STANDARD"]["net_amount"] == 110 and analysis["GB_STANDARD"]["tax_amount"] == 22
    assert invoice["transaction"]["$path"].startswith("/transactions/")
    assert invoice["created_at"].endswith("Z")
    again = await sage.post("/sales_invoices", {"sales_invoice": {
        "contact_id": ids["acme"], "date": "2025-05-02", "invoice_lines": [line(ids["sales"], 1, tax="0.20")]}})
    assert int(again["invoice_number"][3:]) == int(invoice["invoice_number"][3:]) + 1


async def test_required_members_and_tax_rules(sage):
    ids = await _setup(sage)
    status, body = await sage.call("POST", "/sales_invoices", body={"sales_invoice": {"date": "2025-05-01"}})
    assert status == 422
    assert {(e["$dataCode"], e["$source"], e["$message"]) for e in body} == {
        ("RecordInvalid", "contact_id", "This field is required."),
        ("RecordInvalid", "invoice_lines", "This field is required.")}
    status, body = await sage.call("POST", "/sales_invoices", body={"sales_invoice": {
        "contact_id": ids["acme"], "date": "2025-05-01", "invoice_lines": [line(ids["sales"], 100)]}})
    assert status == 422 and body[0]["$source"] == "invoice_lines.tax_amount"
    status, body = await sage.call("POST", "/sales_invoices", body={"sales_invoice": {
        "contact_id": ids["acme"], "date": "2025-05-01",
        "invoice_lines": [{"description": "x", "ledger_account_id": ids["sales"], "unit_price": 1}]}})
    assert status == 422 and body[0]["$source"] == "invoice_lines.tax_rate_id"
    status, body = await sage.call("POST", "/sales_invoices", body={"sales_invoice": {
        "contact_id": "0" * 32, "date": "2025-05-01", "invoice_lines": [line(ids["sales"], 1, tax="0.2")]}})
    assert status == 422 and body[0]["$source"] == "contact_id"
    status, body = await sage.call("POST", "/sales_invoices", body={"sales_invoice": {
        "contact_id": ids["acme"], "date": "01/05/2025", "invoice_lines": [line(ids["sales"], 1, tax="0.2")]}})
    assert status == 422 and body[0]["$source"] == "date"
    status, body = await sage.call("POST", "/sales_invoices", body={"sales_invoice": {
        "contact_id": ids["acme"], "date": "2025-05-01", "currency_id": "EUR",
        "invoice_lines": [line(ids["sales"], 1, tax="0.2")]}})
    assert status == 422 and body[0]["$source"] == "currency_id"
    status, body = await sage.call("POST", "/purchase_invoices", body={"purchase_invoice": {
        "contact_id": ids["paper"], "date": "2025-05-01", "invoice_lines": [line(ids["office"], 1, tax="0.2")]}})
    assert status == 422 and body[0]["$source"] == "due_date"
    status, body = await sage.call("POST", "/sales_invoices", body={"invoice": {}})
    assert status == 422 and body[0]["$source"] == "sales_invoice"
    before = (await sage.get("/sales_invoices"))["$total"]
    assert before == 4  # nothing half-written by the failed calls


async def test_draft_release_and_edit(sage):
    ids = await _setup(sage)
    draft = await sage.post("/sales_invoices", {"sales_invoice": {
        "contact_id": ids["acme"], "date": "2025-05-01", "status_id": "DRAFT",
        "invoice_lines": [line(ids["sales"], 100, tax=20)]}})
    assert draft["status"]["id"] == "DRAFT" and "transaction" not in draft
    edited = await sage.put(f"/sales_invoices/{draft['id']}", {"sales_invoice": {
        "invoice_lines": [line(ids["sales"], 200, tax=40)], "notes": "Revised"}})
    assert edited["total_amount"] == 240 and edited["notes"] == "Revised"
    assert edited["invoice_number"] == draft["invoice_number"] and edited["status"]["id"] == "DRAFT"
    released = await sage.post(f"/sales_invoices/{draft['id']}/release", None)
    assert released["status"]["id"] == "UNPAID" and released["transaction"]["id"]
    entries = await sage.all("ledger_entries", transaction_id=released["transaction"]["id"])
    assert sum(e["debit"] for e in entries) == sum(e["credit"] for e in entries) == 240
    status, body = await sage.call("POST", f"/sales_invoices/{draft['id']}/release")
    assert status == 422
    reposted = await sage.put(f"/sales_invoices/{draft['id']}", {"sales_invoice": {
        "invoice_lines": [line(ids["sales"], 50, tax=10)]}})
    assert reposted["transaction"]["id"] == released["transaction"]["id"]
    entries = await sage.all("ledger_entries", transaction_id=released["transaction"]["id"])
    assert sum(e["debit"] for e in entries) == 60


async def test_void_sales_invoice_via_delete(sage):
    ids = await _setup(sage)
    invoice = await sage.post("/sales_invoices", {"sales_invoice": {
        "contact_id": ids["acme"], "date": "2025-05-01", "invoice_lines": [line(ids["sales"], 100, tax=20)]}})
    status, body = await sage.call("DELETE", f"/sales_invoices/{invoice['id']}")
    assert status == 422 and body[0]["$source"] == "void_reason"
    voided = await sage.delete(f"/sales_invoices/{invoice['id']}", status=200, void_reason="Raised in error")
    assert voided["status"]["id"] == "VOID" and voided["void_reason"] == "Raised in error"
    assert voided["outstanding_amount"] == 0 and voided["editable"] is False
    assert voided["total_amount"] == 120
    again = await sage.get(f"/sales_invoices/{invoice['id']}")
    assert again["status"]["id"] == "VOID"
    transaction = await sage.get(f"/transactions/{invoice['transaction']['id']}")
    assert transaction["deleted"] is True
    entries = await sage.all("ledger_entries", transaction_id=invoice["transaction"]["id"])
    assert entries and all(e["deleted"] for e in entries)
    status, body = await sage.call("PUT", f"/sales_invoices/{invoice['id']}", body={"sales_invoice": {"notes": "x"}})
    assert status == 422
    assert [i["displayed_as"] for i in await sage.all("sales_invoices", status_id="VOID")] == [
        invoice["displayed_as"]]


async def test_delete_draft_sales_invoice_and_credit_note_void(sage):
    ids = await _setup(sage)
    draft = await sage.post("/sales_invoices", {"sales_invoice": {
        "contact_id": ids["acme"], "date": "2025-05-01", "status_id": "DRAFT",
        "invoice_lines": [line(ids["sales"], 10, tax=2)]}})
    gone = await sage.delete(f"/sales_invoices/{draft['id']}", status=200)
    assert gone["id"] == draft["id"] and gone["deleted_at"]
    await sage.get(f"/sales_invoices/{draft['id']}", status=404)
    assert (await sage.get("/sales_invoices", deleted_since="2000-01-01"))["$items"][0]["id"] == draft["id"]
    note = await sage.post("/sales_credit_notes", {"sales_credit_note": {
        "contact_id": ids["acme"], "date": "2025-05-02", "credit_note_lines": [line(ids["sales"], 10, tax=2)]}})
    assert note["credit_note_number"].startswith("SCN-") and note["total_amount"] == 12
    voided = await sage.delete(f"/sales_credit_notes/{note['id']}", status=200, void_reason="Duplicate")
    assert voided["status"]["id"] == "VOID"


async def test_purchase_invoice_delete_is_204(sage):
    ids = await _setup(sage)
    bill = await sage.post("/purchase_invoices", {"purchase_invoice": {
        "contact_id": ids["paper"], "date": "2025-05-01", "due_date": "2025-05-31", "vendor_reference": "P-77",
        "invoice_lines": [line(ids["office"], "19.99", tax="4.00", quantity=3, description="Toner")]}})
    assert bill["net_amount"] == 59.97 and bill["tax_amount"] == 4 and bill["total_amount"] == 63.97
    assert bill["displayed_as"] == "P-77"
    assert bill["invoice_lines"][0]["is_purchase_for_resale"] is False
    status, body = await sage.call("POST", "/purchase_invoices", body={"purchase_invoice": {
        "contact_id": ids["paper"], "date": "2025-05-01", "due_date": "2025-05-31",
        "invoice_lines": [{"description": "x", "ledger_account_id": ids["office"], "unit_price": 1,
                           "tax_rate_id": "GB_ZERO"}]}})
    assert status == 422 and body[0]["$source"] == "invoice_lines.quantity"
    assert await sage.delete(f"/purchase_invoices/{bill['id']}") is None
    await sage.get(f"/purchase_invoices/{bill['id']}", status=404)
    entries = await sage.all("ledger_entries", transaction_id=bill["transaction"]["id"])
    assert entries and all(e["deleted"] for e in entries)
    note = await sage.post("/purchase_credit_notes", {"purchase_credit_note": {
        "contact_id": ids["paper"], "date": "2025-05-03", "credit_note_lines": [
            line(ids["office"], 10, tax=2)]}})
    assert note["status"]["id"] == "UNPAID" and note["total_amount"] == 12
    assert await sage.delete(f"/purchase_credit_notes/{note['id']}") is None


async def test_paid_artefact_cannot_be_voided_or_edited(sage):
    paid = next(i for i in await sage.all("sales_invoices") if i["displayed_as"] == "SI-1")
    assert paid["status"]["id"] == "PAID" and paid["outstanding_amount"] == 0
    status, body = await sage.call("DELETE", f"/sales_invoices/{paid['id']}", params={"void_reason": "x"})
    assert status == 422
    status, body = await sage.call("PUT", f"/sales_invoices/{paid['id']}", body={"sales_invoice": {"notes": "x"}})
    assert status == 422
