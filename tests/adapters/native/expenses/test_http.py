"""Receipts and expense claims over HTTP: every operation through the real app, every answer validated against Xero's
spec; receipt attachments round-trip byte for byte and show on the receipt (``HasAttachments``, ``Attachments``)."""

from __future__ import annotations

import xmltodict

from .conftest import USER_ID, Api, receipt_element

PNG = b"\x89PNG\r\n\x1a\n" + b"receipt scan"


async def _json(api: Api, method: str, path: str, **kwargs) -> dict:
    resp, body = await api.call(method, path, **kwargs)
    assert resp.status == 200, body
    return await resp.json()


async def test_receipt_operations(api: Api) -> None:
    made = (await _json(api, "PUT", "/Receipts", json={"Receipts": [receipt_element()]}))["Receipts"][0]
    receipt_id = made["ReceiptID"]
    assert made["Status"] == "DRAFT" and made["ReceiptNumber"] == "1" and made["User"]["UserID"] == USER_ID
    assert made["Total"] == 36.0 and made["HasAttachments"] is False

    updated = (await _json(api, "POST", f"/Receipts/{receipt_id}", json={"Receipts": [{"Reference": "Cab"}]}))
    assert updated["Receipts"][0]["Reference"] == "Cab"
    listed = (await _json(api, "GET", "/Receipts", params={"where": 'Reference=="Cab"'}))["Receipts"]
    assert [r["ReceiptID"] for r in listed] == [receipt_id]

    uploaded = (await _json(api, "PUT", f"/Receipts/{receipt_id}/Attachments/scan.png", data=PNG,
                            headers={"Content-Type": "image/png"}))["Attachments"][0]
    assert uploaded["FileName"] == "scan.png" and uploaded["ContentLength"] == len(PNG)
    replaced = (await _json(api, "POST", f"/Receipts/{receipt_id}/Attachments/scan.png", data=PNG + b"2",
                            headers={"Content-Type": "image/png"}))["Attachments"][0]
    files = (await _json(api, "GET", f"/Receipts/{receipt_id}/Attachments"))["Attachments"]
    assert [f["AttachmentID"] for f in files] == [replaced["AttachmentID"]]
    for key in (replaced["AttachmentID"], "scan.png"):
        resp, body = await api.call("GET", f"/Receipts/{receipt_id}/Attachments/{key}",
                                    headers={"Accept": "application/octet-stream"})
        assert resp.status == 200 and body == PNG + b"2"
    read = (await _json(api, "GET", f"/Receipts/{receipt_id}"))["Receipts"][0]
    assert read["HasAttachments"] is True and [a["FileName"] for a in read["Attachments"]] == ["scan.png"]
    assert (await _json(api, "GET", "/Receipts"))["Receipts"][0]["HasAttachments"] is True

    noted = await _json(api, "PUT", f"/Receipts/{receipt_id}/History",
                        json={"HistoryRecords": [{"Details": "Checked"}]})
    assert noted["HistoryRecords"][0]["Details"] == "Checked"
    history = (await _json(api, "GET", f"/Receipts/{receipt_id}/History"))["HistoryRecords"]
    assert [h["Changes"] for h in history] == ["Created", "Edited", "Attached a file", "Attached a file", "Note"]


async def test_expense_claim_operations(api: Api) -> None:
    receipt = (await _json(api, "PUT", "/Receipts", json={"Receipts": [receipt_element()]}))["Receipts"][0]
    claim = (await _json(api, "PUT", "/ExpenseClaims", json={"ExpenseClaims": [{
        "Status": "SUBMITTED", "User": {"UserID": USER_ID},
        "Receipts": [{"ReceiptID": receipt["ReceiptID"]}]}]}))["ExpenseClaims"][0]
    claim_id = claim["ExpenseClaimID"]
    assert claim["Total"] == claim["AmountDue"] == 36.0 and claim["Payments"] == []

    approved = (await _json(api, "POST", f"/ExpenseClaims/{claim_id}",
                            json={"ExpenseClaims": [{"Status": "AUTHORISED"}]}))["ExpenseClaims"][0]
    assert approved["Status"] == "AUTHORISED" and "ReportingDate" in approved
    read = (await _json(api, "GET", f"/ExpenseClaims/{claim_id}"))["ExpenseClaims"][0]
    assert read["Receipts"][0]["Status"] == "AUTHORISED"
    listed = (await _json(api, "GET", "/ExpenseClaims", params={"order": "UpdatedDateUTC DESC"}))["ExpenseClaims"]
    assert listed[0]["ExpenseClaimID"] == claim_id

    await _json(api, "PUT", f"/ExpenseClaims/{claim_id}/History", json={"HistoryRecords": [{"Details": "Paid Fri"}]})
    history = (await _json(api, "GET", f"/ExpenseClaims/{claim_id}/History"))["HistoryRecords"]
    assert [h["Changes"] for h in history] == ["Created", "Approved", "Note"]

    # The same claim in Xero's XML (no Accept header means XML, as on Xero), field by field as in JSON.
    resp, body = await api.call("GET", f"/ExpenseClaims/{claim_id}", headers={"Accept": "application/xml"},
                                validate=False)
    xml = xmltodict.parse(body)["Response"]["ExpenseClaims"]["ExpenseClaim"]
    assert resp.content_type == "text/xml" or "xml" in resp.content_type
    assert (xml["ExpenseClaimID"], xml["Status"], xml["Total"]) == (claim_id, "AUTHORISED", "36.00")
    assert xml["Receipts"]["Receipt"]["ReceiptID"] == receipt["ReceiptID"]
    assert xml["User"]["UserID"] == USER_ID

    resp, body = await api.call("POST", f"/ExpenseClaims/{claim_id}", json={"ExpenseClaims": [{"Status": "PAID"}]})
    assert resp.status == 400 and b"cannot be changed to PAID" in body
    resp, _ = await api.call("GET", "/ExpenseClaims/00000000-0000-0000-0000-000000000001")
    assert resp.status == 404
