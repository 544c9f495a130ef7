"""End to end: repeating invoices read from QBO RecurringTransaction templates (RecurringTransaction.json)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


async def test_repeating_invoices_from_templates(qbo):
    raw = (await qbo.qbo("GET", "/query", params={"query": "SELECT * FROM RecurringTransaction"}))
    templates = [t for t in raw["QueryResponse"]["RecurringTransaction"] if "Invoice" in t or "Bill" in t]
    listed = (await qbo.api("GET", "/RepeatingInvoices")).body["RepeatingInvoices"]
    assert len(listed) == len(templates) and {r["Type"] for r in listed} == {"ACCREC", "ACCPAY"}
    bill = next(r for r in listed if r["Type"] == "ACCPAY")
    source = next(t["Bill"] for t in templates if "Bill" in t and t["Bill"]["TotalAmt"] == bill["Total"])
    assert bill["Schedule"]["Unit"] == "MONTHLY" and bill["Schedule"]["Period"] == 1
    assert bill["Status"] == ("AUTHORISED" if source["RecurringInfo"]["Active"] else "DRAFT")
    assert bill["LineItems"][0]["Description"] == source["Line"][0]["Description"]
    one = await qbo.api("GET", f"/RepeatingInvoices/{bill['RepeatingInvoiceID']}")
    assert one.body["RepeatingInvoices"][0] == bill
    history = (await qbo.api("GET", f"/RepeatingInvoices/{bill['RepeatingInvoiceID']}/History")).body
    assert history["HistoryRecords"][0]["Changes"] == "Created"
    assert (await qbo.api("PUT", "/RepeatingInvoices", body={"RepeatingInvoices": [{}]})).status == 501
