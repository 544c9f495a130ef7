"""``HasAttachments`` on the answers of writes that update a record with files, and ``where``/``order`` on it in
the lists that filter in SQL (issue 12; :mod:`adapters.native.ops_attachment_flags`)."""

from __future__ import annotations

import json

import pytest

from tests.adapters.native.documents.conftest import bank_element, credit_note_element, invoice_element

pytestmark = pytest.mark.asyncio(loop_scope="module")  # one app for the module (conftest)

_JOURNAL = {"Narration": "Accrual with a scan", "Date": "2026-03-14", "JournalLines": [
    {"LineAmount": 100, "AccountCode": "710"}, {"LineAmount": -100, "AccountCode": "720"}]}
#: resource, id field, a new record (PUT), an update of it (POST /{resource}/{id}).
FAMILIES = [
    ("Accounts", "AccountID", {"Code": "4990", "Name": "Scanned costs", "Type": "EXPENSE"},
     {"Description": "With receipts"}),
    ("Contacts", "ContactID", {"Name": "Scanned Supplies Ltd"}, {"EmailAddress": "files@example.com"}),
    ("Invoices", "InvoiceID", invoice_element(Status="DRAFT"), {"Reference": "with a scan"}),
    ("CreditNotes", "CreditNoteID", credit_note_element(Status="DRAFT"), {"Reference": "with a scan"}),
    ("BankTransactions", "BankTransactionID", bank_element(), {"Reference": "with a scan"}),
    ("ManualJournals", "ManualJournalID", _JOURNAL, {"Narration": "Accrual, scan attached"}),
]


async def _write(api, method: str, path: str, resource: str, element: dict) -> dict:
    resp, body = await api.call(method, path, json={resource: [element]})
    assert resp.status == 200, body
    (record,) = json.loads(body)[resource]
    return record


@pytest.mark.parametrize(("resource", "id_field", "new", "update"), FAMILIES, ids=[f[0] for f in FAMILIES])
async def test_an_update_of_a_record_with_files_answers_the_flag(api, resource, id_field, new, update) -> None:
    record_id = (await _write(api, "PUT", f"/{resource}", resource, new))[id_field]
    single = f"/{resource}/{record_id}"
    assert (await _write(api, "POST", single, resource, update)).get("HasAttachments") is False
    resp, _ = await api.call("PUT", f"{single}/Attachments/scan.pdf", data=b"%PDF-1.4 test",
                             headers={"Content-Type": "application/pdf"})
    assert resp.status == 200
    assert (await _write(api, "POST", single, resource, update))["HasAttachments"] is True
    if resource != "Accounts":  # no POST /Accounts in the spec
        upsert = await _write(api, "POST", f"/{resource}", resource, {id_field: record_id, **update})
        assert upsert["HasAttachments"] is True


@pytest.mark.parametrize("resource,id_field,new", [f[:3] for f in FAMILIES[:3]], ids=[f[0] for f in FAMILIES[:3]])
async def test_where_and_order_see_the_flag(api, resource, id_field, new) -> None:
    # Accounts, Contacts and Invoices filter in SQL: an EXISTS on the attachments table (fieldmaps).
    element = {**new, "Code": "4991", "Name": "Filed costs"} if resource == "Accounts" else (
        {"Name": "Filed Supplies Ltd"} if resource == "Contacts" else new)
    paged = {} if resource == "Accounts" else {"page": "1"}  # getAccounts has no paging
    record_id = (await _write(api, "PUT", f"/{resource}", resource, element))[id_field]
    resp, _ = await api.call("PUT", f"/{resource}/{record_id}/Attachments/scan.pdf", data=b"%PDF-1.4 test",
                             headers={"Content-Type": "application/pdf"})
    assert resp.status == 200
    resp, body = await api.call("GET", f"/{resource}", params={"where": "HasAttachments==true", **paged})
    assert resp.status == 200, body
    flagged = json.loads(body)[resource]
    assert record_id in {r[id_field] for r in flagged} and all(r["HasAttachments"] is True for r in flagged)
    # The first page of the whole list, files first (not validated again: the same shapes, and a long answer).
    resp, body = await api.call("GET", f"/{resource}", params={"order": "HasAttachments DESC", **paged},
                                validate=False)
    assert resp.status == 200, body
    ordered = [r["HasAttachments"] for r in json.loads(body)[resource]]
    assert ordered[0] is True and False in ordered and ordered == sorted(ordered, reverse=True)
