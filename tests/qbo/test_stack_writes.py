"""End to end, in process: Xero writes through ``/1004`` land in the QBO emulator as QBO would hold them, and read
back through the gateway; every response is validated against Xero's spec (the ``qbo`` fixture), every body the
adapter sent is checked against Intuit's XSDs by the emulator (``check_properties``) and below with
``emulators.qbo.xsd.validate``."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from emulators.qbo import xsd

pytestmark = pytest.mark.slow

TODAY = date.today()


async def make_chart(qbo) -> dict[str, dict]:
    """A small chart created through the gateway: income, expense, bank, credit card."""
    out = {}
    for code, name, kind, extra in (("4000", "Consulting Income", "REVENUE", {}),
                                    ("6000", "Office Expenses", "EXPENSE", {}),
                                    ("1010", "Operating Bank", "BANK", {"BankAccountType": "BANK"}),
                                    ("1020", "Savings Bank", "BANK", {"BankAccountType": "BANK"}),
                                    ("2010", "Company Card", "BANK", {"BankAccountType": "CREDITCARD"})):
        answer = await qbo.api("PUT", "/Accounts", body={"Code": code, "Name": name, "Type": kind, **extra})
        assert answer.status == 200, answer.body
        out[code] = answer.body["Accounts"][0]
    return out


async def emulator_record(qbo, entity: str, qbo_id: str) -> dict:
    """A record as the emulator holds it (read directly, not through the gateway)."""
    answer = await qbo.qbo("GET", f"/{entity.lower()}/{qbo_id}")
    assert entity in answer, answer
    return answer[entity]


async def held_record(qbo, guid: str, entity: str) -> dict:
    """The QBO record behind a Xero GUID, through the adapter's persisted reverse map."""
    realm = await qbo.adapter.client.realm_id(qbo.tenant_id)
    (ref,) = [r for r in await qbo.adapter.ids.resolve(realm, guid) if r.entity == entity]
    return await emulator_record(qbo, entity, ref.qbo_id)


async def test_accounts_written_and_read_back(qbo):
    chart = await make_chart(qbo)
    assert chart["4000"]["Type"] == "REVENUE" and chart["4000"]["Class"] == "REVENUE"
    assert chart["2010"]["Type"] == "BANK" and chart["2010"]["BankAccountType"] == "CREDITCARD"
    listed = await qbo.api("GET", "/Accounts", params={"where": 'Type=="BANK"', "order": "Code"})
    codes = [a["Code"] for a in listed.body["Accounts"]]
    assert codes == ["1010", "1020", "2010"]
    renamed = await qbo.api("POST", f"/Accounts/{chart['6000']['AccountID']}", body={"Name": "Office Costs"})
    assert renamed.body["Accounts"][0]["Name"] == "Office Costs"
    assert renamed.body["Accounts"][0]["AccountID"] == chart["6000"]["AccountID"]
    archived = await qbo.api("DELETE", f"/Accounts/{chart['6000']['AccountID']}")
    assert archived.body["Accounts"][0]["Status"] == "ARCHIVED"
    one = await qbo.api("GET", f"/Accounts/{chart['6000']['AccountID']}")
    assert one.body["Accounts"][0]["Status"] == "ARCHIVED"
    bad = await qbo.api("PUT", "/Accounts", body={"Code": "9", "Name": "No type"})
    assert bad.status == 400 and "Type" in bad.body["Elements"][0]["ValidationErrors"][0]["Message"]


async def test_invoice_lifecycle_with_payment_void_and_delete(qbo):
    chart = await make_chart(qbo)
    contact = (await qbo.api("PUT", "/Contacts", body={"Contacts": [{
        "Name": "Rivera Landscaping", "FirstName": "Ana", "LastName": "Rivera", "EmailAddress": "ana@rivera.test",
        "Phones": [{"PhoneType": "MOBILE", "PhoneNumber": "555 0101"}],
        "Addresses": [{"AddressType": "POBOX", "AddressLine1": "1 Main St", "City": "Springfield"}]}]})).body
    contact_id = contact["Contacts"][0]["ContactID"]
    assert contact["Contacts"][0]["IsCustomer"] is True

    invoice = {"Type": "ACCREC", "Contact": {"ContactID": contact_id}, "Date": TODAY.isoformat(),
               "DueDate": (TODAY + timedelta(days=30)).isoformat(), "Reference": "PO-77", "Status": "DRAFT",
               "LineItems": [{"Description": "Design work", "Quantity": 3, "UnitAmount": "125.50",
                              "AccountCode": "4000", "TaxType": "NONE"}]}
    made = await qbo.api("PUT", "/Invoices", body={"Invoices": [invoice]})
    assert made.status == 200, made.body
    created = made.body["Invoices"][0]
    assert created["Status"] == "AUTHORISED" and Decimal(str(created["Total"])) == Decimal("376.50")
    assert "posted" in created["Warnings"][0]["Message"]
    assert created["Contact"]["ContactID"] == contact_id and created["InvoiceNumber"]
    assert created["LineItems"][0]["AccountCode"] == "4000" and created["LineItems"][0]["TaxType"] == "NONE"

    # What QBO holds: an Invoice on the customer, one item line whose item books to account 4000, the memo.
    invoice_id = created["InvoiceID"]
    held = await held_record(qbo, invoice_id, "Invoice")
    assert held["PrivateNote"] == "PO-77" and held["TotalAmt"] == 376.5
    line = held["Line"][0]["SalesItemLineDetail"]
    assert line["Qty"] == 3 and line["UnitPrice"] == 125.5 and line["TaxCodeRef"]["value"] == "NON"
    item = await emulator_record(qbo, "Item", line["ItemRef"]["value"])
    income = await held_record(qbo, chart["4000"]["AccountID"], "Account")
    assert item["IncomeAccountRef"]["value"] == income["Id"] and item["Type"] == "Service"
    xsd.validate({"Invoice": held})

    again = await qbo.api("GET", f"/Invoices/{invoice_id}")
    assert again.body["Invoices"][0]["Reference"] == "PO-77"
    by_number = await qbo.api("GET", f"/Invoices/{created['InvoiceNumber']}")
    assert by_number.body["Invoices"][0]["InvoiceID"] == invoice_id
    mine = await qbo.api("GET", "/Invoices", params={"where": f'Contact.ContactID==Guid("{contact_id}")'})
    assert [i["InvoiceID"] for i in mine.body["Invoices"]] == [invoice_id]

    # Pay half, then the rest: PAID. Delete the second payment: AUTHORISED again.
    first = await qbo.api("PUT", "/Payments", body={"Payments": [{
        "Invoice": {"InvoiceID": invoice_id}, "Account": {"Code": "1010"}, "Date": TODAY.isoformat(),
        "Amount": "176.50", "Reference": "chq 1"}]})
    assert first.status == 200, first.body
    assert first.body["Payments"][0]["PaymentType"] == "ACCRECPAYMENT"
    assert first.body["Payments"][0]["Invoice"]["InvoiceID"] == invoice_id
    second = await qbo.api("POST", "/Payments", body={"Invoice": {"InvoiceNumber": created["InvoiceNumber"]},
                                                      "Account": {"AccountID": chart["1010"]["AccountID"]},
                                                      "Date": TODAY.isoformat(), "Amount": 200})
    assert second.status == 200, second.body
    paid = (await qbo.api("GET", f"/Invoices/{invoice_id}")).body["Invoices"][0]
    assert paid["Status"] == "PAID" and paid["AmountDue"] == 0 and Decimal(str(paid["AmountPaid"])) == Decimal("376.5")
    payment_id = second.body["Payments"][0]["PaymentID"]
    assert (await qbo.api("GET", f"/Payments/{payment_id}")).body["Payments"][0]["Amount"] == 200
    deleted = await qbo.api("POST", f"/Payments/{payment_id}", body={"Status": "DELETED"})
    assert deleted.body["Payments"][0]["Status"] == "DELETED"
    reopened = (await qbo.api("GET", f"/Invoices/{invoice_id}")).body["Invoices"][0]
    assert reopened["Status"] == "AUTHORISED" and reopened["AmountDue"] == 200
    listed = await qbo.api("GET", "/Payments", params={"where": 'PaymentType=="ACCRECPAYMENT"'})
    assert first.body["Payments"][0]["PaymentID"] in {p["PaymentID"] for p in listed.body["Payments"]}

    # A second invoice is voided, a third deleted.
    second_invoice = (await qbo.api("PUT", "/Invoices", body={"Invoices": [{**invoice, "Status": "AUTHORISED",
                                                                            "Reference": "to void"}]})).body
    void_id = second_invoice["Invoices"][0]["InvoiceID"]
    voided = await qbo.api("POST", f"/Invoices/{void_id}", body={"Status": "VOIDED"})
    assert voided.body["Invoices"][0]["Status"] == "VOIDED" and voided.body["Invoices"][0]["Total"] == 0
    third = (await qbo.api("PUT", "/Invoices", body={"Invoices": [{**invoice, "Status": "AUTHORISED"}]})).body
    gone_id = third["Invoices"][0]["InvoiceID"]
    gone = await qbo.api("POST", f"/Invoices/{gone_id}", body={"Status": "DELETED"})
    assert gone.body["Invoices"][0]["Status"] == "DELETED"
    assert (await qbo.api("GET", f"/Invoices/{gone_id}")).status == 404
    statuses = await qbo.api("GET", "/Invoices", params={"where": 'Status=="VOIDED"'})
    assert void_id in [i["InvoiceID"] for i in statuses.body["Invoices"]]  # with the seeded void_response sample
    assert {i["Status"] for i in statuses.body["Invoices"]} == {"VOIDED"}


async def test_bill_to_a_customer_pairs_a_vendor_under_one_contact_id(qbo):
    await make_chart(qbo)
    contact = (await qbo.api("PUT", "/Contacts", body={"Name": "Both Ways Ltd"})).body["Contacts"][0]
    bill = {"Type": "ACCPAY", "Contact": {"ContactID": contact["ContactID"]}, "Date": TODAY.isoformat(),
            "DueDate": TODAY.isoformat(), "InvoiceNumber": "SUP-9",
            "LineItems": [{"Description": "Paper", "Quantity": 1, "UnitAmount": 40, "AccountCode": "6000"}]}
    made = await qbo.api("PUT", "/Invoices", body=bill)
    assert made.status == 200, made.body
    assert made.body["Invoices"][0]["Contact"]["ContactID"] == contact["ContactID"]
    read = (await qbo.api("GET", f"/Contacts/{contact['ContactID']}")).body["Contacts"][0]
    assert read["IsCustomer"] is True and read["IsSupplier"] is True and read["Name"] == "Both Ways Ltd"
    listed = await qbo.api("GET", "/Contacts", params={"where": 'Name.StartsWith("Both")'})
    assert [c["ContactID"] for c in listed.body["Contacts"]] == [contact["ContactID"]]
    paid = await qbo.api("PUT", "/Payments", body={"Invoice": {"InvoiceID": made.body["Invoices"][0]["InvoiceID"]},
                                                   "Account": {"Code": "2010"}, "Amount": 40,
                                                   "Date": TODAY.isoformat()})
    assert paid.status == 200, paid.body
    assert paid.body["Payments"][0]["PaymentType"] == "ACCPAYPAYMENT"
    bills = await qbo.api("GET", "/Invoices", params={"where": 'Type=="ACCPAY" AND Status=="PAID"'})
    assert made.body["Invoices"][0]["InvoiceID"] in [i["InvoiceID"] for i in bills.body["Invoices"]]


async def test_summarize_errors_false_reports_each_element(qbo):
    await make_chart(qbo)
    good = {"Type": "ACCREC", "Contact": {"Name": "Batch Customer"}, "Date": TODAY.isoformat(),
            "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 10, "AccountCode": "4000"}]}
    bad = {**good, "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 10, "AccountCode": "99999"}]}
    answer = await qbo.api("POST", "/Invoices", params={"summarizeErrors": "false"}, body={"Invoices": [good, bad]})
    assert answer.status == 200
    first, second = answer.body["Invoices"]
    assert first["StatusAttributeString"] == "OK" and second["StatusAttributeString"] == "ERROR"
    assert "99999" in second["ValidationErrors"][0]["Message"]
    everything = await qbo.api("POST", "/Invoices", body={"Invoices": [good, bad]})
    assert everything.status == 400 and "99999" in json.dumps(everything.body)
    # All or nothing: the first element's invoice, already posted at QBO, was deleted again.
    contact_id = first["Contact"]["ContactID"]
    theirs = await qbo.api("GET", "/Invoices", params={"where": f'Contact.ContactID==Guid("{contact_id}")'})
    assert [i["InvoiceID"] for i in theirs.body["Invoices"]] == [first["InvoiceID"]]


async def test_credit_notes_bank_transactions_transfers_and_journals(qbo):
    await make_chart(qbo)
    customer = (await qbo.api("PUT", "/Contacts", body={"Name": "Credit Customer"})).body["Contacts"][0]
    supplier = (await qbo.api("PUT", "/Contacts", body={"Name": "Credit Supplier", "IsSupplier": True})
                ).body["Contacts"][0]
    assert supplier["IsSupplier"] is True and supplier["IsCustomer"] is False
    line = {"Description": "Refund", "Quantity": 1, "UnitAmount": 25}
    notes = await qbo.api("PUT", "/CreditNotes", body={"CreditNotes": [
        {"Type": "ACCRECCREDIT", "Contact": {"ContactID": customer["ContactID"]}, "Date": TODAY.isoformat(),
         "LineItems": [{**line, "AccountCode": "4000"}]},
        {"Type": "ACCPAYCREDIT", "Contact": {"ContactID": supplier["ContactID"]}, "Date": TODAY.isoformat(),
         "LineItems": [{**line, "AccountCode": "6000"}]}]})
    assert notes.status == 200, notes.body
    assert [n["Type"] for n in notes.body["CreditNotes"]] == ["ACCRECCREDIT", "ACCPAYCREDIT"]
    assert all(n["RemainingCredit"] == 25 for n in notes.body["CreditNotes"])
    one = await qbo.api("GET", f"/CreditNotes/{notes.body['CreditNotes'][1]['CreditNoteID']}")
    assert one.body["CreditNotes"][0]["Contact"]["ContactID"] == supplier["ContactID"]

    spend = {"Type": "SPEND", "Contact": {"ContactID": supplier["ContactID"]}, "BankAccount": {"Code": "2010"},
             "Date": TODAY.isoformat(), "Reference": "card spend",
             "LineItems": [{"Description": "Taxi", "Quantity": 1, "UnitAmount": 18, "AccountCode": "6000"}]}
    receive = {"Type": "RECEIVE", "Contact": {"ContactID": customer["ContactID"]}, "BankAccount": {"Code": "1010"},
               "Date": TODAY.isoformat(),
               "LineItems": [{"Description": "Cash sale", "Quantity": 2, "UnitAmount": 15, "AccountCode": "4000"}]}
    made = await qbo.api("PUT", "/BankTransactions", body={"BankTransactions": [spend, receive]})
    assert made.status == 200, made.body
    spent, received = made.body["BankTransactions"]
    assert spent["Type"] == "SPEND" and spent["Total"] == 18 and spent["BankAccount"]["Code"] == "2010"
    assert received["Type"] == "RECEIVE" and received["Total"] == 30
    held = await held_record(qbo, spent["BankTransactionID"], "Purchase")
    assert held["PaymentType"] == "CreditCard" and held["EntityRef"]["type"] == "Vendor"
    xsd.validate({"Purchase": held})
    spends = await qbo.api("GET", "/BankTransactions", params={"where": 'Type=="SPEND"'})
    assert spent["BankTransactionID"] in [b["BankTransactionID"] for b in spends.body["BankTransactions"]]
    removed = await qbo.api("POST", f"/BankTransactions/{received['BankTransactionID']}", body={"Status": "DELETED"})
    assert removed.body["BankTransactions"][0]["Status"] == "DELETED"
    # Money received for items is a SalesReceipt; QBO can void it.
    await qbo.api("PUT", "/Items", body={"Code": "TICKET", "SalesDetails": {"UnitPrice": 12, "AccountCode": "4000"}})
    sold = await qbo.api("PUT", "/BankTransactions", body={
        "Type": "RECEIVE", "Contact": {"ContactID": customer["ContactID"]}, "BankAccount": {"Code": "1010"},
        "Date": TODAY.isoformat(), "LineItems": [{"Description": "Tickets", "Quantity": 2, "UnitAmount": 12,
                                                  "ItemCode": "TICKET"}]})
    assert sold.status == 200, sold.body
    receipt = sold.body["BankTransactions"][0]
    assert receipt["Total"] == 24 and receipt["LineItems"][0]["ItemCode"] == "TICKET"
    assert (await held_record(qbo, receipt["BankTransactionID"], "SalesReceipt"))["CustomerRef"]["value"]
    voided = await qbo.api("POST", f"/BankTransactions/{receipt['BankTransactionID']}", body={"Status": "VOIDED"})
    assert voided.body["BankTransactions"][0]["Status"] == "VOIDED"

    transfer = await qbo.api("PUT", "/BankTransfers", body={"BankTransfers": [{
        "FromBankAccount": {"Code": "1010"}, "ToBankAccount": {"Code": "1020"}, "Amount": "250.00",
        "Date": TODAY.isoformat()}]})
    assert transfer.status == 200, transfer.body
    transfer_id = transfer.body["BankTransfers"][0]["BankTransferID"]
    assert (await qbo.api("GET", f"/BankTransfers/{transfer_id}")).body["BankTransfers"][0]["Amount"] == 250
    assert (await qbo.api("POST", f"/BankTransfers/{transfer_id}", body={"Status": "DELETED"})).status == 200
    assert (await qbo.api("GET", f"/BankTransfers/{transfer_id}")).status == 404

    journal = {"Narration": "Accrual", "Date": TODAY.isoformat(), "Status": "POSTED", "JournalLines": [
        {"LineAmount": "100.00", "AccountCode": "6000", "Description": "accrue"},
        {"LineAmount": "-100.00", "AccountCode": "1010", "Description": "accrue"}]}
    posted = await qbo.api("PUT", "/ManualJournals", body={"ManualJournals": [journal]})
    assert posted.status == 200, posted.body
    manual = posted.body["ManualJournals"][0]
    assert manual["Status"] == "POSTED" and [line["LineAmount"] for line in manual["JournalLines"]] == [100, -100]
    unbalanced = await qbo.api("PUT", "/ManualJournals", body={"ManualJournals": [
        {**journal, "JournalLines": [journal["JournalLines"][0], {**journal["JournalLines"][1],
                                                                  "LineAmount": "-90"}]}]})
    assert unbalanced.status == 400 and "debits" in json.dumps(unbalanced.body)
    gone = await qbo.api("POST", f"/ManualJournals/{manual['ManualJournalID']}", body={"Status": "DELETED"})
    assert gone.body["ManualJournals"][0]["Status"] == "DELETED"


async def test_items_tracking_and_currencies(qbo):
    await make_chart(qbo)
    item = await qbo.api("PUT", "/Items", body={"Items": [{
        "Code": "WIDGET-1", "Name": "Widget", "Description": "A widget",
        "SalesDetails": {"UnitPrice": "12.50", "AccountCode": "4000"},
        "PurchaseDetails": {"UnitPrice": "7", "AccountCode": "6000"}}]})
    assert item.status == 200, item.body
    widget = item.body["Items"][0]
    assert widget["Code"] == "WIDGET-1" and widget["SalesDetails"]["AccountCode"] == "4000"
    updated = await qbo.api("POST", f"/Items/{widget['ItemID']}", body={"Description": "A better widget"})
    assert updated.body["Items"][0]["Description"] == "A better widget"

    categories = (await qbo.api("GET", "/TrackingCategories")).body["TrackingCategories"]
    by_name = {c["Name"]: c for c in categories}
    klass = by_name["Class"]
    option = await qbo.api("PUT", f"/TrackingCategories/{klass['TrackingCategoryID']}/Options",
                           body={"Name": "Retail"})
    assert option.status == 200, option.body
    option_id = option.body["Options"][0]["TrackingOptionID"]
    location = by_name["Location"]
    place = location["Options"][0]
    sale = {"Type": "ACCREC", "Contact": {"Name": "Tracked Customer"}, "Date": TODAY.isoformat(),
            "LineItems": [{"Description": "w", "Quantity": 2, "UnitAmount": "12.50", "ItemCode": "WIDGET-1",
                           "Tracking": [{"TrackingCategoryID": klass["TrackingCategoryID"],
                                         "TrackingOptionID": option_id},
                                        {"Name": "Location", "Option": place["Name"]}]}]}
    made = await qbo.api("PUT", "/Invoices", body=sale)
    assert made.status == 200, made.body
    tracking = {t["Name"]: t["Option"] for t in made.body["Invoices"][0]["LineItems"][0]["Tracking"]}
    assert tracking == {"Class": "Retail", "Location": place["Name"]}
    assert made.body["Invoices"][0]["LineItems"][0]["ItemCode"] == "WIDGET-1"
    renamed = await qbo.api("POST", f"/TrackingCategories/{klass['TrackingCategoryID']}/Options/{option_id}",
                            body={"Name": "Retail Stores"})
    assert renamed.body["Options"][0]["Name"] == "Retail Stores"
    assert (await qbo.api("DELETE", f"/TrackingCategories/{klass['TrackingCategoryID']}/Options/{option_id}")
            ).body["Options"][0]["Status"] == "DELETED"
    assert (await qbo.api("DELETE", f"/Items/{widget['ItemID']}")).status == 204
    assert widget["ItemID"] not in [i["ItemID"] for i in (await qbo.api("GET", "/Items")).body["Items"]]

    currencies = (await qbo.api("GET", "/Currencies")).body["Currencies"]
    assert currencies[0]["Code"] == "USD"
    added = await qbo.api("PUT", "/Currencies", body={"Code": "SEK"})
    assert added.status == 200 and added.body["Currencies"][0]["Description"] == "Swedish Krona"


async def test_reports(qbo_blank):
    qbo = qbo_blank
    await make_chart(qbo)
    contact = (await qbo.api("PUT", "/Contacts", body={"Name": "Report Customer"})).body["Contacts"][0]
    await qbo.api("PUT", "/Invoices", body={"Type": "ACCREC", "Contact": {"ContactID": contact["ContactID"]},
                                            "Date": TODAY.isoformat(), "DueDate": TODAY.isoformat(),
                                            "LineItems": [{"Description": "r", "Quantity": 1, "UnitAmount": 500,
                                                           "AccountCode": "4000"}]})
    await qbo.api("PUT", "/BankTransactions", body={"Type": "RECEIVE", "BankAccount": {"Code": "1010"},
                                                    "Date": TODAY.isoformat(), "LineItems": [
                                                        {"Description": "d", "UnitAmount": 80, "AccountCode": "4000"}]})
    month_start = TODAY.replace(day=1).isoformat()
    pnl = await qbo.api("GET", "/Reports/ProfitAndLoss", params={"fromDate": month_start,
                                                                  "toDate": TODAY.isoformat()})
    assert pnl.status == 200, pnl.body
    report = pnl.body["Reports"][0]
    assert report["ReportType"] == "ProfitAndLoss" and report["Rows"][0]["RowType"] == "Header"
    cells = [c["Value"] for row in report["Rows"] for r in row.get("Rows", []) for c in r["Cells"]]
    assert "Consulting Income" in cells and "580.00" in cells
    for path, params in (("/Reports/BalanceSheet", {"date": TODAY.isoformat()}),
                         ("/Reports/TrialBalance", {"date": TODAY.isoformat()}),
                         ("/Reports/AgedReceivablesByContact", {"contactId": contact["ContactID"]}),
                         ("/Reports/BankSummary", {"fromDate": month_start, "toDate": TODAY.isoformat()})):
        answer = await qbo.api("GET", path, params=params)
        assert answer.status == 200, (path, answer.body)
    bank = (await qbo.api("GET", "/Reports/BankSummary", params={"fromDate": month_start})).body["Reports"][0]
    rows = {r["Cells"][0]["Value"]: [c["Value"] for c in r["Cells"][1:]] for r in bank["Rows"][1]["Rows"]}
    assert rows["Operating Bank"][-1] == "80.00"
    aged = await qbo.api("GET", "/Reports/AgedPayablesByContact", params={"contactId": contact["ContactID"]})
    assert aged.status == 400  # a customer without a supplier record
    compare = await qbo.api("GET", "/Reports/ProfitAndLoss", params={"periods": "3", "timeframe": "MONTH"})
    assert compare.status == 501
