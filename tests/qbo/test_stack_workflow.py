"""End to end, in process: attachments (QBO Attachable files) and history/notes of 1004's records, through the
gateway, every answer validated against Xero's spec."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.qbo.test_stack_writes import held_record, make_chart

pytestmark = pytest.mark.slow

TODAY = date.today()
PNG = b"\x89PNG\r\n\x1a\n workflow test"
PDF = b"%PDF-1.4 workflow test"


@pytest.fixture
def qbo(qbo_files):
    """The stack consented with ``accounting.attachments`` (``tests/qbo/conftest.py``)."""
    return qbo_files


async def _bill_and_invoice(qbo) -> tuple[str, str]:
    await make_chart(qbo)
    contact = (await qbo.api("PUT", "/Contacts", body={"Contacts": [{"Name": "Fern Supplies"}]})).body
    contact_id = contact["Contacts"][0]["ContactID"]
    ids = []
    for kind, code in (("ACCREC", "4000"), ("ACCPAY", "6000")):
        made = await qbo.api("PUT", "/Invoices", body={"Invoices": [{
            "Type": kind, "Contact": {"ContactID": contact_id}, "Date": TODAY.isoformat(),
            "DueDate": (TODAY + timedelta(days=30)).isoformat(), "Status": "AUTHORISED",
            "LineItems": [{"Description": "Work", "Quantity": 1, "UnitAmount": "50.00", "AccountCode": code,
                           "TaxType": "NONE"}]}]})
        assert made.status == 200, made.body
        ids.append(made.body["Invoices"][0]["InvoiceID"])
    return ids[0], ids[1]


async def test_attachments_upload_replace_download_and_history(qbo):
    invoice_id, bill_id = await _bill_and_invoice(qbo)
    first = await qbo.api("PUT", f"/Invoices/{invoice_id}/Attachments/scan.png", data=PNG,
                          params={"IncludeOnline": "true"}, headers={"Content-Type": "image/png"})
    assert first.status == 200, first.body
    attachment = first.body["Attachments"][0]
    assert attachment["FileName"] == "scan.png" and attachment["MimeType"] == "image/png"
    assert attachment["ContentLength"] == len(PNG) and attachment["IncludeOnline"] is True
    assert attachment["Url"].endswith(f"/1004/api.xro/2.0/Invoices/{invoice_id}/Attachments/scan.png")

    # What QBO holds: an Attachable linked to the Invoice, sent with it (IncludeOnSend).
    held = await held_record(qbo, invoice_id, "Invoice")
    found = await qbo.qbo("GET", "/query", params={
        "query": f"SELECT * FROM Attachable WHERE AttachableRef.EntityRef.value = '{held['Id']}'"})  # noqa: S608
    (attachable,) = found["QueryResponse"]["Attachable"]
    assert attachable["FileName"] == "scan.png" and attachable["AttachableRef"][0]["IncludeOnSend"] is True

    # POST replaces the file of the same name (keeping IncludeOnline) with a new AttachmentID.
    replaced = await qbo.api("POST", f"/Invoices/{invoice_id}/Attachments/scan.png", data=PDF,
                             headers={"Content-Type": "application/pdf"})
    new = replaced.body["Attachments"][0]
    assert new["AttachmentID"] != attachment["AttachmentID"] and new["MimeType"] == "application/pdf"
    assert new["IncludeOnline"] is True
    listed = await qbo.api("GET", f"/Invoices/{invoice_id}/Attachments")
    assert [a["AttachmentID"] for a in listed.body["Attachments"]] == [new["AttachmentID"]]
    # A single read says so (and lists the files where the canonical model has Attachments: purchase orders, below);
    # a list does not guess.
    single = (await qbo.api("GET", f"/Invoices/{invoice_id}")).body["Invoices"][0]
    assert single["HasAttachments"] is True
    bill_read = (await qbo.api("GET", f"/Invoices/{bill_id}")).body["Invoices"][0]
    assert "HasAttachments" not in bill_read and "Attachments" not in bill_read
    page = (await qbo.api("GET", "/Invoices", params={"page": "1"})).body["Invoices"]
    assert all("HasAttachments" not in i for i in page)
    by_id = await qbo.api("GET", f"/Invoices/{invoice_id}/Attachments/{new['AttachmentID']}",
                          headers={"Accept": "application/pdf"}, validate=False)  # the spec knows octet-stream
    assert by_id.status == 200 and by_id.raw == PDF and by_id.headers["Content-Type"].startswith("application/pdf")
    by_name = await qbo.api("GET", f"/Invoices/{invoice_id}/Attachments/SCAN.png",
                            headers={"Accept": "application/octet-stream"})
    assert by_name.raw == PDF and by_name.headers["Content-Type"].startswith("application/octet-stream")
    gone = await qbo.api("GET", f"/Invoices/{invoice_id}/Attachments/{attachment['AttachmentID']}",
                         headers={"Accept": "application/octet-stream"})
    assert gone.status == 404

    # A bill's files are not sent to anyone: IncludeOnline is refused, nothing uploaded.
    refused = await qbo.api("PUT", f"/Invoices/{bill_id}/Attachments/bill.png", data=PNG,
                            params={"IncludeOnline": "true"}, headers={"Content-Type": "image/png"})
    assert refused.status == 400 and "IncludeOnline" in str(refused.body["Elements"]), refused.body
    assert (await qbo.api("GET", f"/Invoices/{bill_id}/Attachments")).body["Attachments"] == []
    # QBO's file types: an executable is refused as a Xero validation error.
    exe = await qbo.api("PUT", f"/Invoices/{bill_id}/Attachments/tool.exe", data=b"MZ",
                        headers={"Content-Type": "application/x-msdownload"})
    assert exe.status == 400, exe.body

    note = await qbo.api("PUT", f"/Invoices/{invoice_id}/History",
                         body={"HistoryRecords": [{"Details": "Called the customer"}]})
    assert note.status == 200 and note.body["HistoryRecords"][0]["Changes"] == "Note"
    history = (await qbo.api("GET", f"/Invoices/{invoice_id}/History")).body["HistoryRecords"]
    changes = [r["Changes"] for r in history]
    assert changes[0] == "Created" and changes.count("Attached a file") == 2 and changes[-1] == "Note"
    assert all(r["User"] == "System Generated" for r in history)
    assert [r["Details"] for r in history if r["Changes"] == "Note"] == ["Called the customer"]
    # The bill: created through the gateway (the gateway's entry, with its details; QBO's CreateTime is the same
    # event and is not repeated), nothing noted.
    bill_history = (await qbo.api("GET", f"/Invoices/{bill_id}/History")).body["HistoryRecords"]
    assert [r["Changes"] for r in bill_history] == ["Created"]
    assert bill_history[0]["Details"].endswith("for 50.00.") and "Fern Supplies" in bill_history[0]["Details"]
    await qbo.api("POST", f"/Invoices/{bill_id}", body={"Invoices": [{"Reference": "BILL-REF"}]})
    edited = (await qbo.api("GET", f"/Invoices/{bill_id}/History")).body["HistoryRecords"]
    assert [r["Changes"] for r in edited] == ["Created", "Edited"]


async def test_history_and_attachment_errors(qbo):
    invoice_id, _ = await _bill_and_invoice(qbo)
    empty = await qbo.api("PUT", f"/Invoices/{invoice_id}/History", body={"HistoryRecords": [{"Details": " "}]})
    assert empty.status == 400 and empty.body["Type"] == "ValidationException"
    too_long = await qbo.api("PUT", f"/Invoices/{invoice_id}/History",
                             body={"HistoryRecords": [{"Details": "x" * 251}]})
    assert too_long.status == 400
    unknown = "6f9d8c2e-1111-4222-8333-944455556666"
    assert (await qbo.api("GET", f"/Invoices/{unknown}/History")).status == 404
    assert (await qbo.api("GET", f"/Contacts/{unknown}/Attachments")).status == 404
    accounts = await qbo.api("GET", f"/Accounts/{unknown}/Attachments")
    assert accounts.status == 501 and accounts.body["Type"] == "NotImplementedException"


async def test_pdfs_of_sales_forms_only(qbo):
    invoice_id, bill_id = await _bill_and_invoice(qbo)
    answer = await qbo.api("GET", f"/Invoices/{invoice_id}/pdf", headers={"Accept": "application/pdf"})
    assert answer.status == 200 and answer.raw.startswith(b"%PDF-")
    held = await held_record(qbo, invoice_id, "Invoice")
    assert held["DocNumber"].encode() in answer.raw or answer.raw.count(b"%PDF-") == 1
    bill = await qbo.api("GET", f"/Invoices/{bill_id}/pdf", headers={"Accept": "application/pdf"})
    assert bill.status == 501 and bill.body["Type"] == "NotImplementedException"
