"""The journal feed over /1009: one journal per Sage transaction, numbers stable across calls, a reversal for a
voided document, ``offset``, ``paymentsOnly`` and ``If-Modified-Since``."""

from __future__ import annotations

from decimal import Decimal

from tests.sage.test_api import LINE, by_name
from tests.support.sage import SCOPES, connect


async def test_journal_numbers_are_stable_and_voids_add_a_reversal(gateway, emulator, xero_spec):
    session = await connect(gateway, emulator, xero_spec=xero_spec, scope=f"{SCOPES} accounting.journals.read")
    tenant = by_name(session)["Emulator Trading Ltd"]
    first = (await session.get("/Journals", tenant))["Journals"]
    numbers = [j["JournalNumber"] for j in first]
    assert numbers == list(range(1, len(first) + 1))
    for journal in first:
        assert sum(Decimal(str(line["NetAmount"])) for line in journal["JournalLines"]) == 0, journal
    contact = (await session.get("/Contacts", tenant))["Contacts"][0]
    status, made, _ = await session.call("PUT", "/Invoices", tenant, json={"Invoices": [{
        "Type": "ACCREC", "Status": "AUTHORISED", "Contact": {"ContactID": contact["ContactID"]},
        "LineItems": [LINE]}]})
    assert status == 200, made
    invoice = made["Invoices"][0]
    second = (await session.get("/Journals", tenant))["Journals"]
    assert {j["JournalID"]: j["JournalNumber"] for j in second[:len(first)]} == \
        {j["JournalID"]: j["JournalNumber"] for j in first}
    new = second[len(first):]
    assert [j["SourceID"] for j in new] == [invoice["InvoiceID"]] and new[0]["SourceType"] == "ACCREC"
    status, _, _ = await session.call("POST", f"/Invoices/{invoice['InvoiceID']}", tenant,
                                      json={"Invoices": [{"Status": "VOIDED"}]})
    assert status == 200
    third = (await session.get("/Journals", tenant, params={"offset": str(new[0]["JournalNumber"])}))["Journals"]
    assert len(third) == 1 and third[0]["SourceID"] == invoice["InvoiceID"]
    assert [line["NetAmount"] for line in third[0]["JournalLines"]] == \
        [-line["NetAmount"] for line in new[0]["JournalLines"]]
    by_number = (await session.get(f"/Journals/{new[0]['JournalNumber']}", tenant))["Journals"][0]
    assert by_number["JournalID"] == new[0]["JournalID"]
    cash = (await session.get("/Journals", tenant, params={"paymentsOnly": "true"}))["Journals"]
    assert cash and not {j.get("SourceType") for j in cash} & {"ACCREC", "ACCPAY", "ACCRECCREDIT", "ACCPAYCREDIT"}
    later = (await session.get("/Journals", tenant, headers={"If-Modified-Since": "2100-01-01T00:00:00"}))
    assert later["Journals"] == []
    status, _, _ = await session.call("GET", "/Journals", tenant, params={"offset": "x"})
    assert status == 400
