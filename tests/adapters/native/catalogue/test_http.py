"""The catalogue operations over HTTP through the real app; every answer validated against Xero's spec."""

from __future__ import annotations


async def test_items_over_http(http) -> None:
    status, body = await http.call("GET", "/Items")
    assert status == 200 and body["Items"]
    status, body = await http.call("PUT", "/Items", json={"Items": [{
        "Code": "HTTP-1", "Name": "Over the wire", "SalesDetails": {"UnitPrice": 9.99, "AccountCode": "200"}}]})
    assert status == 200
    item = body["Items"][0]
    assert item["Code"] == "HTTP-1" and item["SalesDetails"]["UnitPrice"] == 9.99
    assert item["UpdatedDateUTC"].startswith("/Date(")
    status, body = await http.call("POST", f"/Items/{item['ItemID']}", json={"Items": [{"Name": "Renamed"}]})
    assert status == 200 and body["Items"][0]["Name"] == "Renamed"
    status, body = await http.call("POST", "/Items", json={"Items": [{"Code": "HTTP-1", "Description": "d"}]})
    assert status == 200 and body["Items"][0]["ItemID"] == item["ItemID"]
    status, body = await http.call("GET", "/Items/HTTP-1", params={"unitdp": "4"})
    assert status == 200 and body["Items"][0]["Description"] == "d"
    status, body = await http.call("PUT", "/Items", json={"Items": [{"Code": "HTTP-1"}]})
    assert status == 400 and body["Type"] == "ValidationException"
    message = body["Elements"][0]["ValidationErrors"][0]["Message"]
    assert message == "Price List Item with Code ''HTTP-1'' already exists"
    status, body = await http.call("PUT", "/Items", params={"summarizeErrors": "false"},
                                   json={"Items": [{"Code": "HTTP-2"}, {"Code": "HTTP-1"}]})
    assert status == 200 and [i["StatusAttributeString"] for i in body["Items"]] == ["OK", "ERROR"]
    status, body = await http.call("DELETE", f"/Items/{item['ItemID']}")
    assert status == 204 and body is None
    status, _ = await http.call("GET", f"/Items/{item['ItemID']}")
    assert status == 404


async def test_tracking_over_http(http) -> None:
    status, body = await http.call("GET", "/TrackingCategories", params={"includeArchived": "true"})
    assert status == 200 and {c["Name"] for c in body["TrackingCategories"]} == {"Region", "Department"}
    region = next(c for c in body["TrackingCategories"] if c["Name"] == "Region")
    rid = region["TrackingCategoryID"]
    status, body = await http.call("PUT", "/TrackingCategories", json={"Name": "Third"})
    assert status == 400 and body["Elements"][0]["ValidationErrors"][0]["Message"].startswith("You can only have 2")
    status, body = await http.call("PUT", f"/TrackingCategories/{rid}/Options", json={"Name": "Wales"})
    assert status == 200 and body["Options"][0]["Name"] == "Wales"
    option_id = body["Options"][0]["TrackingOptionID"]
    status, body = await http.call("POST", f"/TrackingCategories/{rid}/Options/{option_id}", json={"Name": "Cymru"})
    assert status == 200 and body["Options"][0]["Name"] == "Cymru"
    status, body = await http.call("DELETE", f"/TrackingCategories/{rid}/Options/{option_id}")
    assert status == 200 and body["Options"][0]["Status"] == "DELETED"
    status, body = await http.call("POST", f"/TrackingCategories/{rid}", json={"Status": "ARCHIVED"})
    assert status == 200 and body["TrackingCategories"][0]["Status"] == "ARCHIVED"
    status, body = await http.call("PUT", "/TrackingCategories", json={"Name": "Project"})
    assert status == 200
    pid = body["TrackingCategories"][0]["TrackingCategoryID"]
    status, body = await http.call("GET", f"/TrackingCategories/{pid}")
    assert status == 200 and body["TrackingCategories"][0]["Options"] == []
    status, body = await http.call("DELETE", f"/TrackingCategories/{pid}")
    assert status == 200 and body["TrackingCategories"][0]["Status"] == "DELETED"
    status, body = await http.call("DELETE", f"/TrackingCategories/{rid}")
    assert status == 400 and body["Type"] == "ValidationException"


async def test_tracked_invoice_and_journals_over_http(http) -> None:
    status, body = await http.call("PUT", "/Invoices", json={"Invoices": [{
        "Type": "ACCREC", "Contact": {"Name": "Meridian University"}, "Date": "2026-03-10", "DueDate": "2026-04-09",
        "Status": "AUTHORISED", "LineItems": [{"ItemCode": "TRAIN-DEL", "Quantity": 4, "Tracking": [
            {"Name": "Region", "Option": "North"}, {"Name": "Department", "Option": "Training"}]}]}]})
    assert status == 200
    invoice = body["Invoices"][0]
    line = invoice["LineItems"][0]
    assert line["UnitAmount"] == 180 and line["AccountCode"] == "200"
    assert [(t["Name"], t["Option"]) for t in line["Tracking"]] == [("Region", "North"), ("Department", "Training")]
    status, body = await http.call("GET", "/Journals")
    assert status == 200 and len(body["Journals"]) == 100
    last = 0
    for _ in range(100):  # walk the feed (bounded)
        status, body = await http.call("GET", "/Journals", params={"offset": str(last)})
        if not body["Journals"]:
            break
        last = body["Journals"][-1]["JournalNumber"]
    status, body = await http.call("GET", f"/Journals/{last}")
    assert status == 200
    journal = body["Journals"][0]
    assert journal["SourceID"] == invoice["InvoiceID"] and journal["JournalDate"].startswith("/Date(")
    tagged = [ln for ln in journal["JournalLines"] if ln["TrackingCategories"]]
    assert tagged[0]["TrackingCategories"][1]["Option"] == "Training"
    status, body = await http.call("GET", f"/Journals/{journal['JournalID']}")
    assert status == 200 and body["Journals"][0]["JournalNumber"] == last
    status, body = await http.call("GET", "/Journals", params={"paymentsOnly": "true", "offset": "0"})
    assert status == 200 and all(j["SourceType"] not in ("ACCREC", "ACCPAY") for j in body["Journals"])
    status, body = await http.call("GET", "/Journals", headers={"If-Modified-Since": "2100-01-01T00:00:00"})
    assert status == 200 and body["Journals"] == []


async def test_contact_groups_over_http(http) -> None:
    status, body = await http.call("PUT", "/ContactGroups", json={"ContactGroups": [{"Name": "VIPs"}]})
    assert status == 200
    gid = body["ContactGroups"][0]["ContactGroupID"]
    status, body = await http.call("GET", "/Contacts", params={"where": 'Name=="Greyfriars Hotel"'})
    cid = body["Contacts"][0]["ContactID"]
    status, body = await http.call("PUT", f"/ContactGroups/{gid}/Contacts", json={"Contacts": [{"ContactID": cid}]})
    assert status == 200 and body["Contacts"][0]["ContactID"] == cid
    status, body = await http.call("GET", f"/ContactGroups/{gid}")
    assert status == 200 and body["ContactGroups"][0]["Contacts"][0]["Name"] == "Greyfriars Hotel"
    status, body = await http.call("GET", f"/Contacts/{cid}")
    assert status == 200 and {g["Name"] for g in body["Contacts"][0]["ContactGroups"]} == {"Hospitality", "VIPs"}
    status, _ = await http.call("DELETE", f"/ContactGroups/{gid}/Contacts/{cid}")
    assert status == 204
    status, _ = await http.call("DELETE", f"/ContactGroups/{gid}/Contacts")
    assert status == 204
    status, body = await http.call("POST", f"/ContactGroups/{gid}", json={"ContactGroups": [{"Status": "DELETED"}]})
    assert status == 200 and body["ContactGroups"][0]["Status"] == "DELETED"
    status, body = await http.call("GET", "/ContactGroups")
    assert status == 200 and "VIPs" not in {g["Name"] for g in body["ContactGroups"]}


async def test_settings_over_http(http) -> None:
    status, body = await http.call("GET", "/Users")
    assert status == 200 and body["Users"][0]["OrganisationRole"] == "FINANCIALADVISER"
    status, body = await http.call("GET", f"/Users/{body['Users'][0]['UserID']}")
    assert status == 200 and body["Users"][0]["IsSubscriber"] is True
    status, body = await http.call("GET", "/BrandingThemes")
    assert status == 200 and body["BrandingThemes"][0]["Name"] == "Standard"
    theme_id = body["BrandingThemes"][0]["BrandingThemeID"]
    status, body = await http.call("GET", f"/BrandingThemes/{theme_id}")
    assert status == 200
    status, body = await http.call("GET", f"/BrandingThemes/{theme_id}/PaymentServices")
    assert status == 200 and body["PaymentServices"] == []
    status, body = await http.call("PUT", "/Currencies", json={"Code": "EUR", "Description": "Euro"})
    assert status == 200 and body["Currencies"][0]["Code"] == "EUR"
    status, body = await http.call("PUT", "/TaxRates", json={"TaxRates": [{
        "Name": "CA State Tax", "ReportTaxType": "INPUT", "TaxComponents": [{"Name": "State Tax", "Rate": 2.25}]}]})
    assert status == 200 and body["TaxRates"][0]["TaxType"] == "TAX001"
    status, body = await http.call("POST", "/TaxRates", json={"TaxRates": [{"Name": "CA State Tax",
                                                                             "Status": "DELETED"}]})
    assert status == 200 and body["TaxRates"][0]["Status"] == "DELETED"
    status, body = await http.call("PUT", "/Accounts", json={"Code": "4996", "Name": "Temp", "Type": "EXPENSE"})
    status, body = await http.call("DELETE", f"/Accounts/{body['Accounts'][0]['AccountID']}")
    assert status == 200 and body["Accounts"][0]["Status"] == "DELETED"
    status, body = await http.call("GET", "/Organisation/Actions")
    assert status == 200 and {"Name": "CreateApprovedInvoice", "Status": "ALLOWED"} in body["Actions"]
    status, body = await http.call("GET", "/Organisation")
    org_id = body["Organisations"][0]["OrganisationID"]
    status, body = await http.call("GET", f"/Organisation/{org_id}/CISSettings")
    assert status == 200 and body["CISSettings"] == [{"CISContractorEnabled": False,
                                                      "CISSubContractorEnabled": False}]
