"""Round trips over source 1009: a Xero write read back through the gateway equals what was sent on every field Sage
keeps (the fields each resource's translation maps; the ones Sage cannot keep are named where they are left out),
and the gateway-kept History, Notes and ContactGroups, and the attachment files, read back as written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.sage.test_api import LINE, by_name
from tests.support.sage import SCOPES, connect

PNG = b"\x89PNG\r\n\x1a\n" + b"round trip"


def _value(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _same(sent: Any, got: Any) -> bool:
    if isinstance(sent, (int, float, Decimal)) and not isinstance(sent, bool):
        return got is not None and Decimal(str(sent)) == Decimal(str(got))
    if isinstance(sent, str) and isinstance(got, str):
        return sent.lower() == got.lower()
    return sent == got


def assert_kept(sent: dict[str, Any], got: dict[str, Any], paths: list[str]) -> None:
    """Every path of ``paths`` reads back as sent (dates through their ``…String`` companion)."""
    for path in paths:
        want = _value(sent, path)
        have = _value(got, path + "String") if path.endswith("Date") else _value(got, path)
        if path.endswith("Date"):
            have = (have or "")[:10]
        assert _same(want, have), f"{path}: sent {want!r}, read back {have!r}"


def assert_lines_kept(sent: list[dict[str, Any]], got: list[dict[str, Any]]) -> None:
    assert len(sent) == len(got)
    for want, have in zip(sent, got, strict=True):
        assert_kept(want, have, [k for k in ("Description", "Quantity", "UnitAmount", "AccountCode", "TaxType")
                                 if k in want])


async def _write(session, tenant: str, method: str, tail: str, body: dict) -> dict:
    status, answer, _ = await session.call(method, tail, tenant, json=body)
    assert status == 200, answer
    return answer


async def _read(session, tenant: str, tail: str, key: str) -> dict:
    return (await session.get(tail, tenant))[key][0]


async def test_documents_and_contacts_round_trip(session):
    tenant = by_name(session)["Emulator Trading Ltd"]
    contact_sent = {"Name": "Round Trip Ltd", "EmailAddress": "rt@example.test", "AccountNumber": "RT-1"}
    contact = (await _write(session, tenant, "PUT", "/Contacts", {"Contacts": [contact_sent]}))["Contacts"][0]
    assert_kept(contact_sent, await _read(session, tenant, f"/Contacts/{contact['ContactID']}", "Contacts"),
                list(contact_sent))

    invoice_sent = {"Type": "ACCREC", "Contact": {"ContactID": contact["ContactID"]}, "Date": "2025-06-01",
                    "DueDate": "2025-07-01", "Reference": "RT-INV", "Status": "AUTHORISED", "LineItems": [LINE]}
    made = (await _write(session, tenant, "PUT", "/Invoices", {"Invoices": [invoice_sent]}))["Invoices"][0]
    got = await _read(session, tenant, f"/Invoices/{made['InvoiceID']}", "Invoices")
    assert_kept(invoice_sent, got, ["Type", "Contact.ContactID", "Date", "DueDate", "Reference", "Status"])
    assert_lines_kept(invoice_sent["LineItems"], got["LineItems"])

    note_sent = {"Type": "ACCRECCREDIT", "Contact": {"ContactID": contact["ContactID"]}, "Date": "2025-06-02",
                 "Reference": "RT-CN", "Status": "AUTHORISED", "LineItems": [{**LINE, "Quantity": 1}]}
    made = (await _write(session, tenant, "PUT", "/CreditNotes", {"CreditNotes": [note_sent]}))["CreditNotes"][0]
    got = await _read(session, tenant, f"/CreditNotes/{made['CreditNoteID']}", "CreditNotes")
    assert_kept(note_sent, got, ["Type", "Contact.ContactID", "Date", "Reference", "Status"])
    assert_lines_kept(note_sent["LineItems"], got["LineItems"])

    # Title is kept in Sage's notes; Summary has no Sage field and is not kept.
    quote_sent = {"Contact": {"ContactID": contact["ContactID"]}, "Date": "2025-06-03", "ExpiryDate": "2025-07-03",
                  "Reference": "RT-Q", "Title": "Fit-out", "Terms": "30 days", "Status": "SENT",
                  "LineItems": [LINE]}
    made = (await _write(session, tenant, "PUT", "/Quotes", {"Quotes": [quote_sent]}))["Quotes"][0]
    got = await _read(session, tenant, f"/Quotes/{made['QuoteID']}", "Quotes")
    assert_kept(quote_sent, got, ["Contact.ContactID", "Date", "ExpiryDate", "Reference", "Title", "Terms", "Status"])
    assert_lines_kept(quote_sent["LineItems"], got["LineItems"])
    assert got["Total"] == 120 and got["LineAmountTypes"] == "EXCLUSIVE"
    changed = {"Title": "Fit-out (v2)", "Status": "ACCEPTED"}
    await _write(session, tenant, "POST", f"/Quotes/{made['QuoteID']}", {"Quotes": [changed]})
    assert_kept(changed, await _read(session, tenant, f"/Quotes/{made['QuoteID']}", "Quotes"), list(changed))
    listed = (await session.get("/Quotes", tenant, params={"Status": "ACCEPTED"}))["Quotes"]
    assert [q["QuoteID"] for q in listed] == [made["QuoteID"]]
    gone = (await _write(session, tenant, "POST", f"/Quotes/{made['QuoteID']}",
                         {"Quotes": [{"Status": "DELETED"}]}))["Quotes"][0]
    assert gone["Status"] == "DELETED"
    assert (await session.call("GET", f"/Quotes/{made['QuoteID']}", tenant))[0] == 404


async def test_banking_round_trip(session):
    tenant = by_name(session)["Emulator Trading Ltd"]
    banks = [a for a in (await session.get("/Accounts", tenant))["Accounts"] if a["Type"] == "BANK"]
    transfer_sent = {"FromBankAccount": {"AccountID": banks[0]["AccountID"]},
                     "ToBankAccount": {"AccountID": banks[1]["AccountID"]}, "Amount": 12.5, "Date": "2025-06-04",
                     "Reference": "RT-TRF"}
    made = (await _write(session, tenant, "PUT", "/BankTransfers", {"BankTransfers": [transfer_sent]}))
    got = await _read(session, tenant, f"/BankTransfers/{made['BankTransfers'][0]['BankTransferID']}",
                      "BankTransfers")
    assert_kept(transfer_sent, got, ["FromBankAccount.AccountID", "ToBankAccount.AccountID", "Amount", "Date",
                                     "Reference"])


async def test_contact_groups_round_trip(session):
    tenant = by_name(session)["Emulator Trading Ltd"]
    contacts = (await session.get("/Contacts", tenant))["Contacts"][:2]
    group = (await _write(session, tenant, "PUT", "/ContactGroups",
                          {"ContactGroups": [{"Name": "Round trippers"}]}))["ContactGroups"][0]
    assert group["Status"] == "ACTIVE"
    added = (await _write(session, tenant, "PUT", f"/ContactGroups/{group['ContactGroupID']}/Contacts",
                          {"Contacts": [{"ContactID": c["ContactID"]} for c in contacts]}))["Contacts"]
    assert {c["ContactID"] for c in added} == {c["ContactID"] for c in contacts}
    got = await _read(session, tenant, f"/ContactGroups/{group['ContactGroupID']}", "ContactGroups")
    assert got["Name"] == "Round trippers"
    assert sorted((c["ContactID"], c["Name"]) for c in got["Contacts"]) == \
        sorted((c["ContactID"], c["Name"]) for c in contacts)
    status, body, _ = await session.call("PUT", "/ContactGroups", tenant,
                                         json={"ContactGroups": [{"Name": "round TRIPPERS"}]})
    assert status == 400 and "already exists" in body["Elements"][0]["ValidationErrors"][0]["Message"]
    status, _, _ = await session.call("DELETE", f"/ContactGroups/{group['ContactGroupID']}/Contacts/"
                                                f"{contacts[0]['ContactID']}", tenant)
    assert status == 204
    got = await _read(session, tenant, f"/ContactGroups/{group['ContactGroupID']}", "ContactGroups")
    assert [c["ContactID"] for c in got["Contacts"]] == [contacts[1]["ContactID"]]
    await _write(session, tenant, "POST", f"/ContactGroups/{group['ContactGroupID']}",
                 {"ContactGroups": [{"Status": "DELETED"}]})
    assert (await session.call("GET", f"/ContactGroups/{group['ContactGroupID']}", tenant))[0] == 404
    other = by_name(session)["Emulator Services Ltd"]
    assert (await session.get("/ContactGroups", other))["ContactGroups"] == []


async def test_attachments_and_history_round_trip(gateway, emulator, xero_spec):
    session = await connect(gateway, emulator, xero_spec=xero_spec, scope=f"{SCOPES} accounting.attachments")
    tenant = by_name(session)["Emulator Trading Ltd"]
    contact = (await session.get("/Contacts", tenant))["Contacts"][0]
    invoice = (await _write(session, tenant, "PUT", "/Invoices", {"Invoices": [{
        "Type": "ACCREC", "Contact": {"ContactID": contact["ContactID"]}, "LineItems": [LINE]}]}))["Invoices"][0]
    base = f"/Invoices/{invoice['InvoiceID']}"
    answer = await session.api("PUT", f"{base}/Attachments/scan.png", tenant_id=tenant, data=PNG,
                               params={"IncludeOnline": "true"}, headers={"Content-Type": "image/png"})
    assert answer.status == 200, answer.body
    attachment = answer.body["Attachments"][0]
    assert (attachment["FileName"], attachment["MimeType"], attachment["ContentLength"],
            attachment["IncludeOnline"]) == ("scan.png", "image/png", len(PNG), True)
    listed = (await session.get(f"{base}/Attachments", tenant))["Attachments"]
    assert [a["AttachmentID"] for a in listed] == [attachment["AttachmentID"]]
    for key in (attachment["AttachmentID"], "SCAN.png"):
        download = await session.api("GET", f"{base}/Attachments/{key}", tenant_id=tenant,
                                     headers={"Accept": "application/octet-stream"})
        assert download.status == 200 and download.raw == PNG
    too_big = await session.api("PUT", f"{base}/Attachments/big.png", tenant_id=tenant, data=b"x" * 2_621_441,
                                headers={"Content-Type": "image/png"})
    assert too_big.status in (400, 413)

    note = (await _write(session, tenant, "PUT", f"{base}/History",
                         {"HistoryRecords": [{"Details": "Called the customer"}]}))["HistoryRecords"][0]
    assert note["Changes"] == "Note" and note["User"] == "System Generated"
    records = (await session.get(f"{base}/History", tenant))["HistoryRecords"]
    assert [r["Changes"] for r in records] == ["Created", "Attached a file", "Note"]
    assert records[-1]["Details"] == "Called the customer"
    status, body, _ = await session.call("PUT", f"{base}/History", tenant,
                                         json={"HistoryRecords": [{"Details": "x" * 251}]})
    assert status == 400


async def test_has_attachments_on_single_reads(gateway, emulator, xero_spec):
    session = await connect(gateway, emulator, xero_spec=xero_spec, scope=f"{SCOPES} accounting.attachments")
    tenant = by_name(session)["Emulator Trading Ltd"]
    contact = (await session.get("/Contacts", tenant))["Contacts"][0]
    tail = f"/Contacts/{contact['ContactID']}"
    assert (await _read(session, tenant, tail, "Contacts"))["HasAttachments"] is False
    answer = await session.api("PUT", f"{tail}/Attachments/card.png", tenant_id=tenant, data=PNG,
                               headers={"Content-Type": "image/png"})
    assert answer.status == 200, answer.body
    assert (await _read(session, tenant, tail, "Contacts"))["HasAttachments"] is True


async def test_tracking_round_trip(session):
    tenant = by_name(session)["Emulator Trading Ltd"]
    categories = (await session.get("/TrackingCategories", tenant))["TrackingCategories"]
    assert [c["Name"] for c in categories] == ["Cost Centre", "Department", "Project"]
    department = categories[1]
    option = (await _write(session, tenant, "PUT", f"/TrackingCategories/{department['TrackingCategoryID']}/Options",
                           {"Name": "Research"}))["Options"][0]
    contact = (await session.get("/Contacts", tenant))["Contacts"][0]
    tracking = [{"Name": "Department", "Option": "Research"}]
    made = (await _write(session, tenant, "PUT", "/Invoices", {"Invoices": [{
        "Type": "ACCREC", "Contact": {"ContactID": contact["ContactID"]},
        "LineItems": [{**LINE, "Tracking": tracking}]}]}))["Invoices"][0]
    line = (await _read(session, tenant, f"/Invoices/{made['InvoiceID']}", "Invoices"))["LineItems"][0]
    assert [(t["Name"], t["Option"], t["TrackingOptionID"]) for t in line["Tracking"]] == \
        [("Department", "Research", option["TrackingOptionID"])]
    status, body, _ = await session.call("DELETE", f"/TrackingCategories/{department['TrackingCategoryID']}/Options/"
                                                   f"{option['TrackingOptionID']}", tenant)
    assert status == 400  # in use on the invoice: Sage refuses
    renamed = (await _write(session, tenant, "POST", f"/TrackingCategories/{department['TrackingCategoryID']}",
                            {"Name": "Team"}))["TrackingCategories"][0]
    assert renamed["Name"] == "Team"
    status, _, _ = await session.call("POST", f"/TrackingCategories/{department['TrackingCategoryID']}", tenant,
                                      json={"Status": "ARCHIVED"})
    assert status == 400


async def test_organisation_cis_settings_read_sage(session, emulator):
    tenant = by_name(session)["Emulator Trading Ltd"]
    settings = (await session.get(f"/Organisation/{tenant}/CISSettings", tenant))["CISSettings"][0]
    assert settings == {"CISContractorEnabled": False, "CISSubContractorEnabled": False}
    other = by_name(session)["Emulator Services Ltd"]
    assert (await session.call("GET", f"/Organisation/{other}/CISSettings", tenant))[0] == 404
