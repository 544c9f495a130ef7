"""Every money-document operation over HTTP through the real app; every answer validated against Xero's spec."""

from __future__ import annotations

from .conftest import CUSTOMER, SUPPLIER, line

INVOICE = {"Type": "ACCREC", "Contact": {"Name": CUSTOMER}, "Date": "2026-03-10", "DueDate": "2026-04-09",
           "Status": "AUTHORISED", "LineItems": [line("100.00", "200", "OUTPUT2")]}


async def _invoice(http) -> str:
    status, body = await http.call("PUT", "/Invoices", json={"Invoices": [INVOICE]})
    assert status == 200
    return body["Invoices"][0]["InvoiceID"]


async def test_credit_notes_allocations_and_refunds_over_http(http) -> None:
    status, body = await http.call("GET", "/CreditNotes")
    assert status == 200 and body["CreditNotes"]
    status, body = await http.call("GET", "/CreditNotes", params={"page": "1", "pageSize": "2", "unitdp": "4",
                                                                  "where": 'Type=="ACCRECCREDIT"',
                                                                  "order": "CreditNoteNumber"})
    assert status == 200 and body["pagination"]["pageSize"] == 2 and body["CreditNotes"][0]["LineItems"]
    status, body = await http.call("PUT", "/CreditNotes", json={"CreditNotes": [{
        "Type": "ACCRECCREDIT", "Contact": {"Name": CUSTOMER}, "Date": "2026-03-12", "Status": "AUTHORISED",
        "LineItems": [line("50.00", "200", "OUTPUT2")]}]})
    assert status == 200
    note = body["CreditNotes"][0]
    assert note["Total"] == 60 and note["RemainingCredit"] == 60 and note["DateString"] == "2026-03-12T00:00:00"
    assert note["UpdatedDateUTC"].startswith("/Date(") and note["UpdatedDateUTCString"].endswith("Z")
    note_id = note["CreditNoteID"]
    status, body = await http.call("POST", "/CreditNotes", json={"CreditNotes": [
        {"CreditNoteID": note_id, "Reference": "Upserted"}]})
    assert status == 200 and body["CreditNotes"][0]["Reference"] == "Upserted"
    status, body = await http.call("POST", f"/CreditNotes/{note_id}", json={"CreditNotes": [{"Reference": "Path"}]})
    assert status == 200 and body["CreditNotes"][0]["Reference"] == "Path"
    invoice_id = await _invoice(http)
    status, body = await http.call("PUT", f"/CreditNotes/{note_id}/Allocations", json={"Allocations": [
        {"Invoice": {"InvoiceID": invoice_id}, "Amount": 20, "Date": "2026-03-15"}]})
    assert status == 200 and body["Allocations"][0]["Amount"] == 20
    allocation_id = body["Allocations"][0]["AllocationID"]
    status, body = await http.call("GET", f"/Invoices/{invoice_id}")
    invoice = body["Invoices"][0]
    assert (invoice["AmountDue"], invoice["AmountPaid"], invoice["AmountCredited"]) == (100, 0, 20)
    assert [c["AppliedAmount"] for c in invoice["CreditNotes"]] == [20]
    status, body = await http.call("PUT", "/Payments", json={"Payments": [{
        "CreditNote": {"CreditNoteID": note_id}, "Account": {"Code": "090"}, "Date": "2026-03-16", "Amount": 15}]})
    assert status == 200 and body["Payments"][0]["PaymentType"] == "ARCREDITPAYMENT"
    payment_id = body["Payments"][0]["PaymentID"]
    status, body = await http.call("GET", f"/Payments/{payment_id}")
    assert status == 200 and body["Payments"][0]["Invoice"]["Type"] == "ACCRECCREDIT"
    status, body = await http.call("GET", f"/CreditNotes/{note_id}")
    assert body["CreditNotes"][0]["RemainingCredit"] == 25 and len(body["CreditNotes"][0]["Payments"]) == 1
    status, body = await http.call("POST", f"/Payments/{payment_id}", json={"Status": "DELETED"})
    assert status == 200 and body["Payments"][0]["Status"] == "DELETED"
    status, body = await http.call("DELETE", f"/CreditNotes/{note_id}/Allocations/{allocation_id}")
    assert status == 200 and body["IsDeleted"] is True and body["AllocationID"] == allocation_id
    status, body = await http.call("PUT", f"/CreditNotes/{note_id}/Allocations", json={"Allocations": [
        {"Invoice": {"InvoiceID": invoice_id}, "Amount": 61, "Date": "2026-03-15"}]})
    assert status == 400 and body["Type"] == "ValidationException"
    assert body["Elements"][0]["ValidationErrors"][0]["Message"].startswith("The amount allocated (61.00) exceeds")
    status, body = await http.call("PUT", "/CreditNotes", params={"summarizeErrors": "false"}, json={"CreditNotes": [
        {"Type": "ACCRECCREDIT", "Contact": {"Name": CUSTOMER}, "LineItems": [line("5", "200", "OUTPUT2")]},
        {"Type": "ACCRECCREDIT", "Contact": {"Name": CUSTOMER}, "LineItems": [line("5", "999", "OUTPUT2")]}]})
    assert status == 200 and [n["StatusAttributeString"] for n in body["CreditNotes"]] == ["OK", "ERROR"]
    status, _ = await http.call("GET", "/CreditNotes/00000000-0000-0000-0000-000000000099")
    assert status == 404


async def test_bank_transactions_overpayments_and_prepayments_over_http(http) -> None:
    status, body = await http.call("GET", "/BankTransactions")
    assert status == 200 and all(t["LineItems"] == [] for t in body["BankTransactions"])
    status, body = await http.call("GET", "/BankTransactions", params={"page": "1", "where": 'Type=="SPEND"'})
    assert status == 200 and body["BankTransactions"][0]["LineItems"]
    status, body = await http.call("PUT", "/BankTransactions", json={"BankTransactions": [{
        "Type": "SPEND", "Contact": {"Name": SUPPLIER}, "BankAccount": {"Code": "090"}, "Date": "2026-03-11",
        "LineItems": [line("10.00", "429", "INPUT2")]}]})
    assert status == 200
    tx = body["BankTransactions"][0]
    assert tx["Total"] == 12 and tx["BankAccount"]["Code"] == "090" and tx["DateString"] == "2026-03-11T00:00:00"
    tx_id = tx["BankTransactionID"]
    status, body = await http.call("POST", "/BankTransactions", json={"BankTransactions": [
        {"BankTransactionID": tx_id, "Reference": "Upserted"}]})
    assert status == 200 and body["BankTransactions"][0]["Reference"] == "Upserted"
    status, body = await http.call("GET", f"/BankTransactions/{tx_id}", params={"unitdp": "4"})
    assert status == 200 and body["BankTransactions"][0]["LineItems"][0]["UnitAmount"] == 10
    status, body = await http.call("POST", f"/BankTransactions/{tx_id}", json={"BankTransactions": [
        {"Status": "DELETED"}]})
    assert status == 200 and body["BankTransactions"][0]["Status"] == "DELETED"

    status, body = await http.call("PUT", "/BankTransactions", json={"BankTransactions": [
        {"Type": "RECEIVE-OVERPAYMENT", "Contact": {"Name": CUSTOMER}, "BankAccount": {"Code": "090"},
         "Date": "2026-03-11", "LineItems": [{"Description": "Twice", "LineAmount": 150}]},
        {"Type": "RECEIVE-PREPAYMENT", "Contact": {"Name": CUSTOMER}, "BankAccount": {"Code": "090"},
         "Date": "2026-03-11", "LineItems": [line("100.00", "200", "OUTPUT2")]}]})
    assert status == 200
    overpayment_id = body["BankTransactions"][0]["OverpaymentID"]
    prepayment_id = body["BankTransactions"][1]["PrepaymentID"]
    status, body = await http.call("GET", "/Overpayments", params={"page": "1", "unitdp": "4"})
    assert status == 200 and overpayment_id in {o["OverpaymentID"] for o in body["Overpayments"]}
    status, body = await http.call("GET", "/Prepayments", params={"where": 'Status=="AUTHORISED"'})
    assert status == 200 and prepayment_id in {p["PrepaymentID"] for p in body["Prepayments"]}
    invoice_id = await _invoice(http)
    for resource, credit_id, amount in (("Overpayments", overpayment_id, 70), ("Prepayments", prepayment_id, 50)):
        status, body = await http.call("PUT", f"/{resource}/{credit_id}/Allocations", json={"Allocations": [
            {"Invoice": {"InvoiceID": invoice_id}, "Amount": amount, "Date": "2026-03-15"}]})
        assert status == 200
        allocation_id = body["Allocations"][0]["AllocationID"]
        status, body = await http.call("GET", f"/{resource}/{credit_id}")
        assert status == 200 and body[resource][0]["Allocations"][0]["AllocationID"] == allocation_id
    status, body = await http.call("GET", f"/Invoices/{invoice_id}")
    invoice = body["Invoices"][0]
    assert invoice["Status"] == "PAID" and invoice["AmountCredited"] == 120
    assert [o["AppliedAmount"] for o in invoice["Overpayments"]] == [70]
    assert [p["AppliedAmount"] for p in invoice["Prepayments"]] == [50]
    status, body = await http.call("DELETE", f"/Prepayments/{prepayment_id}/Allocations/{allocation_id}")
    assert status == 200 and body["IsDeleted"] is True
    status, body = await http.call("GET", f"/Overpayments/{overpayment_id}")
    over_allocation = body["Overpayments"][0]["Allocations"][0]["AllocationID"]
    status, body = await http.call("DELETE", f"/Overpayments/{overpayment_id}/Allocations/{over_allocation}")
    assert status == 200 and body["IsDeleted"] is True
    status, body = await http.call("PUT", "/Payments", json={"Payments": [
        {"Prepayment": {"PrepaymentID": prepayment_id}, "Account": {"Code": "090"}, "Date": "2026-03-16",
         "Amount": 10},
        {"Overpayment": {"OverpaymentID": overpayment_id}, "Account": {"Code": "090"}, "Date": "2026-03-16",
         "Amount": 10}]})
    assert status == 200
    assert [p["PaymentType"] for p in body["Payments"]] == ["ARPREPAYMENTPAYMENT", "AROVERPAYMENTPAYMENT"]
    status, body = await http.call("PUT", "/BankTransactions", json={"BankTransactions": [{
        "Type": "SPEND", "BankAccount": {"Code": "090"}, "LineItems": [line("1", "429", "INPUT2")]}]})
    assert status == 400
    assert body["Elements"][0]["ValidationErrors"][0]["Message"] == "A Contact must be specified for this type of " \
                                                                    "transaction"


async def test_bank_transfers_over_http(http) -> None:
    status, body = await http.call("GET", "/BankTransfers")
    assert status == 200 and body["BankTransfers"]
    status, body = await http.call("PUT", "/BankTransfers", json={"BankTransfers": [{
        "FromBankAccount": {"Code": "090"}, "ToBankAccount": {"Code": "091"}, "Amount": "50.00",
        "Date": "2026-03-13", "Reference": "Sub 1"}]})
    assert status == 200
    made = body["BankTransfers"][0]
    assert made["Amount"] == 50 and made["CreatedDateUTCString"] and made["DateString"] == "2026-03-13T00:00:00"
    transfer_id = made["BankTransferID"]
    status, body = await http.call("GET", f"/BankTransfers/{transfer_id}")
    assert status == 200 and body["BankTransfers"][0]["FromBankTransactionID"] == made["FromBankTransactionID"]
    status, body = await http.call("POST", f"/BankTransfers/{transfer_id}", json={"Status": "DELETED"})
    assert status == 200 and body["BankTransfers"][0]["Status"] == "DELETED"
    status, body = await http.call("GET", "/BankTransfers", params={"includeDeleted": "true",
                                                                    "order": "Amount DESC"})
    assert status == 200 and transfer_id in {t["BankTransferID"] for t in body["BankTransfers"]}
    status, body = await http.call("PUT", "/BankTransfers", json={"BankTransfers": [{
        "FromBankAccount": {"Code": "090"}, "ToBankAccount": {"Code": "091"}, "Amount": "5.00"}]})
    second = body["BankTransfers"][0]["BankTransferID"]
    status, body = await http.call("POST", "/BankTransfers", json={"BankTransfers": [
        {"BankTransferID": second, "Status": "DELETED"}]})
    assert status == 200 and body["BankTransfers"][0]["Status"] == "DELETED"
    status, body = await http.call("PUT", "/BankTransfers", json={"BankTransfers": [{
        "FromBankAccount": {"Code": "090"}, "ToBankAccount": {"Code": "090"}, "Amount": "5.00"}]})
    assert status == 400 and body["Type"] == "ValidationException"


async def test_manual_journals_over_http(http) -> None:
    status, body = await http.call("GET", "/ManualJournals")
    assert status == 200 and len(body["ManualJournals"]) >= 2
    status, body = await http.call("GET", "/ManualJournals", params={"page": "1", "where": 'Status=="POSTED"'})
    assert status == 200 and body["ManualJournals"][0]["JournalLines"]
    status, body = await http.call("PUT", "/ManualJournals", json={"ManualJournals": [{
        "Narration": "Journal Desc", "Date": "2019-03-14", "JournalLines": [
            {"LineAmount": 100, "AccountCode": "710", "Description": "Money Movement"},
            {"LineAmount": -100, "AccountCode": "720", "Description": "Prepayment of things"}]}]})
    assert status == 200
    journal = body["ManualJournals"][0]
    assert journal["Status"] == "DRAFT" and journal["JournalLines"][0]["IsBlank"] is False
    journal_id = journal["ManualJournalID"]
    status, body = await http.call("POST", "/ManualJournals", json={"ManualJournals": [
        {"ManualJournalID": journal_id, "Status": "POSTED"}]})
    assert status == 200 and body["ManualJournals"][0]["Status"] == "POSTED"
    status, body = await http.call("POST", f"/ManualJournals/{journal_id}", json={"ManualJournals": [
        {"Status": "VOIDED"}]})
    assert status == 200 and body["ManualJournals"][0]["Status"] == "VOIDED"
    status, body = await http.call("GET", f"/ManualJournals/{journal_id}")
    assert status == 200 and len(body["ManualJournals"][0]["JournalLines"]) == 2
    status, body = await http.call("PUT", "/ManualJournals", json={"ManualJournals": [{
        "Narration": "Unbalanced", "JournalLines": [{"LineAmount": 100, "AccountCode": "710"},
                                                    {"LineAmount": -10, "AccountCode": "720"}]}]})
    assert status == 400
    assert body["Elements"][0]["ValidationErrors"][0]["Message"] == (
        "The total debits (100.00) must equal total credits (-10.00)")


async def test_xml_bodies_as_pyxero_sends_them(http) -> None:
    xml = (b"<CreditNotes><CreditNote><Type>ACCPAYCREDIT</Type><Contact><Name>" + SUPPLIER.encode() +
           b"</Name></Contact><Date>2026-03-12T00:00:00</Date><Status>AUTHORISED</Status><LineItems><LineItem>"
           b"<Description>Returned</Description><Quantity>1</Quantity><UnitAmount>10.00</UnitAmount>"
           b"<AccountCode>429</AccountCode><TaxType>INPUT2</TaxType></LineItem></LineItems></CreditNote>"
           b"</CreditNotes>")
    status, body = await http.call("PUT", "/CreditNotes", data=xml, headers={"Content-Type": "application/xml"})
    assert status == 200
    note = body["CreditNotes"][0]
    assert (note["Type"], note["Total"], note["LineItems"][0]["AccountCode"]) == ("ACCPAYCREDIT", 12, "429")
    xml = (b"<ManualJournals><ManualJournal><Narration>From XML</Narration><JournalLines>"
           b"<JournalLine><LineAmount>10</LineAmount><AccountCode>710</AccountCode></JournalLine>"
           b"<JournalLine><LineAmount>-10</LineAmount><AccountCode>720</AccountCode></JournalLine>"
           b"</JournalLines></ManualJournal></ManualJournals>")
    status, body = await http.call("PUT", "/ManualJournals", data=xml, headers={"Content-Type": "application/xml"})
    assert status == 200 and [ln["LineAmount"] for ln in body["ManualJournals"][0]["JournalLines"]] == [10, -10]
