"""``/sales_quotes``: lines and totals, numbering, statuses, the invoice link, edits and deletes."""

from __future__ import annotations

from tests.emulators.sage_accounting.conftest import contact_id, ledger_id


async def _quote(sage, **extra) -> dict:
    return await sage.post("/sales_quotes", {"sales_quote": {
        "contact_id": await contact_id(sage, "ACME001"), "date": "2025-03-01", "expiry_date": "2025-03-31",
        "quote_lines": [{"description": "Survey", "ledger_account_id": await ledger_id(sage, 4000), "quantity": 2,
                         "unit_price": 50, "tax_rate_id": "GB_STANDARD", "tax_amount": 20}], **extra}})


async def test_quote_totals_number_and_status(sage):
    quote = await _quote(sage, reference="Q-REF")
    assert quote["quote_number"].startswith("SQ-") and quote["displayed_as"] == quote["quote_number"]
    assert (quote["net_amount"], quote["tax_amount"], quote["total_amount"]) == (100, 20, 120)
    assert quote["status"]["id"] == "DRAFT" and quote["reference"] == "Q-REF"
    sent = await sage.put(f"/sales_quotes/{quote['id']}", {"sales_quote": {"status_id": "PENDING"}})
    assert sent["status"]["id"] == "PENDING" and sent["total_amount"] == 120
    listed = await sage.get("/sales_quotes", status_id="PENDING")
    assert quote["id"] in [q["id"] for q in listed["$items"]]
    status, body = await sage.call("PUT", f"/sales_quotes/{quote['id']}", body={"sales_quote": {"status_id": "X"}})
    assert status == 422 and body[0]["$source"] == "status_id"


async def test_invoice_link_and_delete(sage):
    quote = await _quote(sage)
    invoice = (await sage.get("/sales_invoices"))["$items"][0]["id"]
    linked = await sage.put(f"/sales_quotes/{quote['id']}", {"sales_quote": {"invoice_id": invoice}})
    assert linked["status"]["id"] == "INVOICED" and linked["invoice"]["id"] == invoice
    status, _ = await sage.call("PUT", f"/sales_quotes/{quote['id']}", body={"sales_quote": {"reference": "x"}})
    assert status == 422
    other = await _quote(sage)
    await sage.delete(f"/sales_quotes/{other['id']}")
    assert (await sage.call("GET", f"/sales_quotes/{other['id']}"))[0] == 404


async def test_expiry_before_date_is_refused(sage):
    status, body = await sage.call("POST", "/sales_quotes", body={"sales_quote": {
        "contact_id": await contact_id(sage, "ACME001"), "date": "2025-03-01", "expiry_date": "2025-02-01",
        "quote_lines": [{"description": "x", "ledger_account_id": await ledger_id(sage, 4000), "unit_price": 1,
                         "tax_rate_id": "GB_ZERO"}]}})
    assert status == 422 and body[0]["$source"] == "expiry_date"
