"""Sales forms as PDF (``GET /{entity}/{id}/pdf``): Invoice, Estimate, CreditMemo, SalesReceipt, RefundReceipt."""

from __future__ import annotations

from tests.emulators.qbo.conftest import invoice_body, seed_basics


async def test_sales_forms_as_pdf(qbo):
    made = await seed_basics(qbo)
    invoice = await qbo.create("Invoice", invoice_body(made))
    answer = await qbo.get(f"/invoice/{invoice['Id']}/pdf")
    assert answer.status == 200 and answer.content_type == "application/pdf"
    assert (await answer.read()).startswith(b"%PDF-")
    bill = await qbo.create("Bill", {"VendorRef": {"value": made["vendor"]["Id"]}, "Line": [{
        "Amount": 10, "DetailType": "AccountBasedExpenseLineDetail",
        "AccountBasedExpenseLineDetail": {"AccountRef": {"value": made["expense"]["Id"]}}}]})
    refused = await qbo.get(f"/bill/{bill['Id']}/pdf")
    assert refused.status == 400
    assert (await qbo.get("/invoice/99999/pdf")).status == 400
