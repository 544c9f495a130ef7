"""Entity read/create/update/delete/void with QBO's computed fields, SyncToken and Faults."""

from __future__ import annotations

import json
from pathlib import Path

from tests.emulators.qbo.conftest import SAMPLES, invoice_body, seed_basics

FAULTS = json.loads((SAMPLES / "platform" / "Fault.json").read_text())


async def test_create_read_computed_fields(qbo):
    made = await seed_basics(qbo)
    assert made["income"]["Classification"] == "Revenue"
    assert made["customer"]["FullyQualifiedName"] == "Amy's Bird Sanctuary"
    assert made["customer"]["Active"] is True
    term = await qbo.create("Term", {"Name": "Net 30", "DueDays": 30})
    body = invoice_body(made, 100.0, TxnDate="2015-07-24", SalesTermRef={"value": term["Id"]})
    body["Line"].append({"Amount": 50.5, "DetailType": "SalesItemLineDetail",
                         "SalesItemLineDetail": {"ItemRef": {"value": made["item"]["Id"]}, "Qty": 2,
                                                 "UnitPrice": 25.25}})
    invoice = await qbo.create("Invoice", body)
    assert invoice["SyncToken"] == "0"
    assert invoice["domain"] == "QBO" and invoice["sparse"] is False
    created = invoice["MetaData"]["CreateTime"]
    assert created == invoice["MetaData"]["LastUpdatedTime"]
    assert len(created) == 25 and created[19] in "+-"  # 2015-07-24T10:33:39-07:00
    assert invoice["TotalAmt"] == 150.5 and invoice["Balance"] == 150.5
    assert invoice["DueDate"] == "2015-08-23"
    assert invoice["DocNumber"] == "1001"
    assert invoice["CustomerRef"]["name"] == "Amy's Bird Sanctuary"
    assert [line.get("Id") for line in invoice["Line"]] == ["1", "2", None]
    assert invoice["Line"][-1] == {"DetailType": "SubTotalLineDetail", "Amount": 150.5, "SubTotalLineDetail": {}}
    second = await qbo.create("Invoice", invoice_body(made))
    assert second["DocNumber"] == "1002" and second["Id"] == str(int(invoice["Id"]) + 1)

    read = await qbo.json(await qbo.get(f"/invoice/{invoice['Id']}"))
    assert read["Invoice"] == invoice
    assert read["time"][23] in "+-" and "." in read["time"]


async def test_sparse_update_and_stale_sync_token(qbo):
    made = await seed_basics(qbo)
    invoice = await qbo.create("Invoice", invoice_body(made, PrivateNote="first"))
    updated = (await qbo.json(await qbo.post("/invoice", {
        "Id": invoice["Id"], "SyncToken": invoice["SyncToken"], "sparse": True, "DueDate": "2030-01-31"})))["Invoice"]
    assert updated["SyncToken"] == "1"
    assert updated["DueDate"] == "2030-01-31"
    assert updated["PrivateNote"] == "first"  # sparse: untouched
    assert updated["MetaData"]["CreateTime"] == invoice["MetaData"]["CreateTime"]
    stale = await qbo.json(await qbo.post("/invoice", {
        "Id": invoice["Id"], "SyncToken": "0", "sparse": True, "DueDate": "2031-01-31"}), 400)
    assert stale["Fault"] == FAULTS["validation_fault_stale_object_5010"]["Fault"]
    current = (await qbo.json(await qbo.get(f"/invoice/{invoice['Id']}")))["Invoice"]
    assert current["DueDate"] == "2030-01-31" and current["SyncToken"] == "1"


async def test_full_update_nulls_omitted_fields(qbo):
    customer = await qbo.create("Customer", {"DisplayName": "Cool Cars", "CompanyName": "Cool Cars Inc",
                                             "Notes": "vip"})
    updated = (await qbo.json(await qbo.post("/customer", {
        "Id": customer["Id"], "SyncToken": customer["SyncToken"], "DisplayName": "Cool Cars"})))["Customer"]
    assert "CompanyName" not in updated and "Notes" not in updated
    assert updated["SyncToken"] == "1"


async def test_delete_and_void(qbo):
    made = await seed_basics(qbo)
    invoice = await qbo.create("Invoice", invoice_body(made))
    deleted = await qbo.json(await qbo.post("/invoice", {"Id": invoice["Id"], "SyncToken": "0"},
                                            operation="delete"))
    assert deleted["Invoice"] == {"status": "Deleted", "domain": "QBO", "Id": invoice["Id"]}
    gone = await qbo.json(await qbo.get(f"/invoice/{invoice['Id']}"), 400)
    assert gone["Fault"] == FAULTS["validation_fault_object_not_found_610"]["Fault"]

    other = await qbo.create("Invoice", invoice_body(made, 80.0, PrivateNote="note"))
    voided = (await qbo.json(await qbo.post("/invoice", {"Id": other["Id"], "SyncToken": "0"},
                                            operation="void")))["Invoice"]
    assert voided["TotalAmt"] == 0 and voided["Balance"] == 0
    assert voided["PrivateNote"].startswith("Voided")
    assert voided["SyncToken"] == "1"
    assert (await qbo.json(await qbo.get(f"/invoice/{other['Id']}")))["Invoice"]["TotalAmt"] == 0


async def test_name_list_entities_cannot_be_deleted(qbo):
    customer = await qbo.create("Customer", {"DisplayName": "Keep Me"})
    response = await qbo.json(await qbo.post("/customer", {"Id": customer["Id"], "SyncToken": "0"},
                                             operation="delete"), 400)
    assert response["Fault"]["Error"][0]["Message"] == "Unsupported Operation"
    inactive = (await qbo.json(await qbo.post("/customer", {"Id": customer["Id"], "SyncToken": "0",
                                                            "sparse": True, "Active": False})))["Customer"]
    assert inactive["Active"] is False


async def test_payment_links_lower_the_invoice_balance(qbo):
    made = await seed_basics(qbo)
    invoice = await qbo.create("Invoice", invoice_body(made, 100.0))
    payment = await qbo.create("Payment", {
        "CustomerRef": {"value": made["customer"]["Id"]}, "TotalAmt": 70,
        "Line": [{"Amount": 60, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    assert payment["UnappliedAmt"] == 10
    after = (await qbo.json(await qbo.get(f"/invoice/{invoice['Id']}")))["Invoice"]
    assert after["Balance"] == 40
    assert after["LinkedTxn"] == [{"TxnId": payment["Id"], "TxnType": "Payment"}]
    over = await qbo.json(await qbo.post("/payment", {
        "CustomerRef": {"value": made["customer"]["Id"]}, "TotalAmt": 50,
        "Line": [{"Amount": 50, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]}), 400)
    assert over["Fault"]["Error"][0]["code"] == "6000"
    assert (await qbo.query("select count(*) from Payment"))["QueryResponse"]["totalCount"] == 1  # nothing written
    await qbo.post("/payment", {"Id": payment["Id"], "SyncToken": payment["SyncToken"]}, operation="void")
    restored = (await qbo.json(await qbo.get(f"/invoice/{invoice['Id']}")))["Invoice"]
    assert restored["Balance"] == 100


async def test_validation_faults(qbo):
    made = await seed_basics(qbo)
    duplicate = await qbo.json(await qbo.post("/vendor", {"DisplayName": "amy's bird sanctuary"}), 400)
    assert duplicate["Fault"] == FAULTS["validation_fault_duplicate_name_6240"]["Fault"]
    missing = await qbo.json(await qbo.post("/invoice", {"Line": invoice_body(made)["Line"]}), 400)
    assert missing["Fault"]["Error"][0] == {
        "Message": "Required param missing, need to supply the required value for the API",
        "Detail": "Required parameter CustomerRef is missing in the request", "code": "2020",
        "element": "CustomerRef"}
    unknown = await qbo.json(await qbo.post("/invoice", {**invoice_body(made), "Contact": {"Name": "x"}}), 400)
    assert unknown["Fault"]["Error"][0]["code"] == "2010"
    assert unknown["Fault"]["Error"][0]["element"] == "Contact"
    bad_ref = await qbo.json(await qbo.post("/invoice", {**invoice_body(made), "CustomerRef": {"value": "999"}}),
                             400)
    assert bad_ref["Fault"]["Error"][0]["code"] == "2500"
    bad_amount = invoice_body(made)
    bad_amount["Line"][0]["SalesItemLineDetail"].update({"Qty": 3, "UnitPrice": 10})
    assert (await qbo.json(await qbo.post("/invoice", bad_amount), 400))["Fault"]["Error"][0]["code"] == "6000"
    unbalanced = {"Line": [
        {"Amount": 10, "DetailType": "JournalEntryLineDetail",
         "JournalEntryLineDetail": {"PostingType": "Debit", "AccountRef": {"value": made["bank"]["Id"]}}},
        {"Amount": 9, "DetailType": "JournalEntryLineDetail",
         "JournalEntryLineDetail": {"PostingType": "Credit", "AccountRef": {"value": made["income"]["Id"]}}}]}
    assert (await qbo.json(await qbo.post("/journalentry", unbalanced), 400))["Fault"]["type"] == "ValidationFault"
    not_json = await qbo.client.post(qbo.url("/invoice"), data="{not json", headers=qbo.headers())
    assert not_json.status == 400
    assert (await not_json.json())["Fault"]["type"] == "ValidationFault"


async def test_unknown_resource_and_missing_entity(qbo):
    unknown = await qbo.json(await qbo.get("/gadget/1"), 400)
    assert unknown["Fault"]["Error"][0]["Message"] == "Unsupported Operation"
    missing = await qbo.json(await qbo.get("/customer/42"), 400)
    assert missing["Fault"]["Error"][0]["code"] == "610"


async def test_singletons(qbo):
    info = (await qbo.json(await qbo.get("/companyinfo/1")))["CompanyInfo"]
    prefs = (await qbo.json(await qbo.get("/preferences")))["Preferences"]
    assert info["Id"] == "1" and prefs["Id"] == "1"
    updated = (await qbo.json(await qbo.post("/companyinfo", {"Id": "1", "SyncToken": info["SyncToken"],
                                                              "sparse": True, "CompanyName": "Renamed"})))
    assert updated["CompanyInfo"]["CompanyName"] == "Renamed"
    create = await qbo.json(await qbo.post("/companyinfo", {"CompanyName": "Second"}), 400)
    assert create["Fault"]["Error"][0]["Message"] == "Unsupported Operation"


def test_samples_dir_is_the_shared_contract():
    assert (SAMPLES / "Invoice.json").is_file(), Path(SAMPLES)
