"""Every Sage ↔ Xero mapping of the adapter, on payloads shaped as Sage's spec says (:mod:`tests.sage.payloads`);
every body the adapter would send is checked against Sage's published spec with the emulator's validator."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal as D

import pytest

from adapters.common.http import encode_json as encode
from adapters.sage_accounting.codes import tables
from adapters.sage_accounting.ids import stable_guid
from adapters.sage_accounting.refdata import RefData
from adapters.sage_accounting.translate import accounts, banking, contacts, documents, items, journals, tax
from adapters.sage_accounting.translate.common import Tx
from adapters.sage_accounting.translate.organisation import organisation_from_sage
from adapters.sage_accounting.translate.payments import bank_account_ref, payments_from_sage
from emulators.sage_accounting import spec as sage_spec
from gateway.xero.errors import ValidationException
from gateway.xero.models import dump

from . import payloads as p

TODAY = date(2025, 6, 1)


@pytest.fixture
def tx() -> Tx:
    return Tx(business_id=p.BUSINESS_ID, tenant_id="t-1", refs=RefData({
        "ledger_accounts": p.LEDGER_ACCOUNTS, "bank_accounts": p.BANK_ACCOUNTS, "tax_rates": p.TAX_RATES,
        "products": [p.PRODUCT], "services": [p.SERVICE], "business": p.BUSINESS,
        "financial_settings": p.FINANCIAL_SETTINGS, "business_settings": p.BUSINESS_SETTINGS, "currencies": []}))


def sent(method: str, path: str, wrapper: str, body: dict) -> dict:
    """The body as it goes on the wire, checked against Sage's spec (request definition of the operation)."""
    wire = json.loads(encode({wrapper: body}))
    sage_spec.validate(method, path, None, wire)
    return wire[wrapper]


def guid(resource: str, sage_id: str, part: str = "") -> str:
    return stable_guid(p.BUSINESS_ID, resource, sage_id, part)


# Code tables -----------------------------------------------------------------------------------------------------

def test_code_tables_cover_both_directions():
    t = tables()
    assert t.xero_account_type("SALES") == ("REVENUE", "REVENUE")
    assert t.xero_account_type("DIRECT_EXPENSES") == ("DIRECTCOSTS", "EXPENSE")
    assert t.xero_account_type("FUTURE_LIABILITY") == ("TERMLIAB", "LIABILITY")
    assert t.ledger_type_for_xero["EXPENSE"] == "OVERHEADS" and t.ledger_type_for_xero["SALES"] == "SALES"
    assert t.xero_tax_type("GB_STANDARD", "output") == "OUTPUT2"
    assert t.xero_tax_type("GB_STANDARD", "input") == "INPUT2"
    assert t.xero_tax_type("GB_ZERO", "input") == "ZERORATEDINPUT"
    assert t.sage_tax_rate("rroutput") == "GB_LOWER" and t.sage_tax_rate("NONE") == "GB_NO_TAX"
    assert t.xero_tax_type(p.hexid(21), "output") == p.hexid(21)
    assert t.status_read["PART_PAID"] == "AUTHORISED" and t.status_write["SUBMITTED"] == "DRAFT"
    assert [k.resource for k in t.kinds("Invoices")] == ["sales_invoices", "purchase_invoices"]


def test_guids_are_stable_and_scoped_by_business():
    one = stable_guid("b1", "sales_invoices", p.hexid(1))
    assert one == stable_guid("b1", "sales_invoices", p.hexid(1))
    assert one != stable_guid("b2", "sales_invoices", p.hexid(1))
    assert one != stable_guid("b1", "purchase_invoices", p.hexid(1))
    assert one != stable_guid("b1", "sales_invoices", p.hexid(1), "line:x")


# Organisation ---------------------------------------------------------------------------------------------------

def test_organisation_from_business_and_financial_settings():
    org = organisation_from_sage(p.BUSINESS, p.FINANCIAL_SETTINGS, tenant_id="t-1")
    assert (org.OrganisationID, org.Name, org.CountryCode, org.Version) == ("t-1", "Widgets Ltd", "GB", "UK")
    assert (org.BaseCurrency, org.FinancialYearEndDay, org.FinancialYearEndMonth) == ("GBP", 31, 3)
    assert org.TaxNumber == "GB999999973" and org.PaysTax is True and org.SalesTaxBasis == "ACCRUALS"
    assert org.Addresses[0].City == "York" and org.Phones[0].PhoneType == "OFFICE"
    assert org.CreatedDateUTC == datetime(2024, 6, 1, 8, tzinfo=UTC)


# Accounts -------------------------------------------------------------------------------------------------------

def test_accounts_from_ledger_and_bank_accounts(tx):
    found = {a.Code: a for a in accounts.accounts_from_refs(tx)}
    assert found["4000"].Type == "REVENUE" and found["4000"].Class == "REVENUE"
    assert found["4000"].TaxType == "OUTPUT2" and found["5000"].TaxType == "INPUT2"
    assert found["7100"].Status == "ARCHIVED"
    bank = found["1200"]
    # Sage's sort_code "40-00-01" leads the number, as Xero's UK accounts show it (issue 12, bank details).
    assert (bank.Type, bank.BankAccountType, bank.BankAccountNumber, bank.CurrencyCode) == (
        "BANK", "BANK", "40-00-01 12345678", "GBP")
    assert bank.AccountID == guid("ledger_accounts", p.hexid(4))
    assert found["1240"].BankAccountType == "CREDITCARD"
    assert found["1210"].Status == "ARCHIVED" and found["1210"].Name == "Old Savings"  # bank without listed ledger


def test_account_create_bodies(tx):
    resource, wrapper, body = accounts.create_body({"Code": "7200", "Name": "Travel", "Type": "EXPENSE",
                                                    "TaxType": "INPUT2"}, tx)
    assert (resource, wrapper) == ("ledger_accounts", "ledger_account")
    assert sent("POST", "/ledger_accounts", wrapper, body) == {
        "ledger_account_type_id": "OVERHEADS", "included_in_chart": True, "name": "Travel",
        "display_name": "Travel", "nominal_code": 7200, "tax_rate_id": "GB_STANDARD"}
    resource, wrapper, body = accounts.create_body({"Code": "1260", "Name": "Visa", "Type": "BANK",
                                                    "BankAccountType": "CREDITCARD", "BankAccountNumber": "4444"}, tx)
    assert resource == "bank_accounts"
    assert sent("POST", "/bank_accounts", wrapper, body) == {
        "bank_account_type_id": "CREDIT_CARD", "nominal_code": 1260,
        "bank_account_details": {"account_name": "Visa", "account_number": "4444"}}


@pytest.mark.parametrize(("element", "message"), [
    ({"Code": "7200", "Type": "EXPENSE"}, "Please enter a Name."),
    ({"Name": "X", "Type": "EXPENSE"}, "Please enter a Code."),
    ({"Name": "X", "Code": "A1", "Type": "EXPENSE"}, "The Code must be a number"),
    ({"Name": "X", "Code": "1", "Type": "NOPE"}, "Account Type 'NOPE' is not valid."),
    ({"Name": "X", "Code": "1", "Type": "EXPENSE", "TaxType": "OUTPUT9"}, "The TaxType code 'OUTPUT9'"),
])
def test_account_validation(tx, element, message):
    with pytest.raises(ValidationException) as caught:
        accounts.create_body(element, tx)
    text = caught.value.elements[0]["ValidationErrors"][0]["Message"]
    echoed = {k: v for k, v in caught.value.elements[0].items() if k != "ValidationErrors"}
    assert text.startswith(message) and echoed == element


def test_account_update_bodies(tx):
    body = accounts.update_body({"Name": "Sales UK", "Status": "ARCHIVED"}, tx, bank=False)
    assert sent("PUT", f"/ledger_accounts/{p.hexid(1)}", "ledger_account", body) == {
        "name": "Sales UK", "display_name": "Sales UK", "included_in_chart": False}
    body = accounts.update_body({"Name": "Main", "BankAccountNumber": "99"}, tx, bank=True)
    assert sent("PUT", f"/bank_accounts/{p.hexid(11)}", "bank_account", body) == {
        "bank_account_details": {"account_name": "Main", "account_number": "99"}}



@pytest.mark.parametrize(("details", "number"), [
    ({"account_number": "40312087", "sort_code": "20-32-06"}, "20-32-06 40312087"),
    ({"account_number": "40312087", "sort_code": "203206"}, "20-32-06 40312087"),
    ({"account_number": "40312087"}, "40312087"),
    ({"account_number": "40312087", "sort_code": "12-34"}, "40312087"),  # not a UK sort code: the number alone
    ({"sort_code": "20-32-06"}, None),
])
def test_bank_account_number_carries_the_uk_sort_code(details, number):
    assert accounts.bank_account_number(details) == number


def test_a_bank_reference_names_id_code_and_name_even_without_its_ledger_account(tx):
    known = bank_account_ref({"id": p.CURRENT_BANK["id"]}, tx)
    assert (known.AccountID, known.Code) == (guid("ledger_accounts", p.hexid(4)), "1200") and known.Name
    unknown = bank_account_ref({"id": "0" * 32, "displayed_as": "Float (1230)", "nominal_code": 1230}, tx)
    assert (unknown.AccountID, unknown.Code, unknown.Name) == (guid("bank_accounts", "0" * 32), "1230", "Float (1230)")


def test_a_uk_bank_account_number_is_written_as_sort_code_and_number(tx):
    _, wrapper, body = accounts.create_body({"Code": "1270", "Name": "Reserve", "Type": "BANK",
                                             "BankAccountNumber": "20-32-06 40312087"}, tx)
    assert body["bank_account_details"] == {"account_name": "Reserve", "sort_code": "20-32-06",
                                            "account_number": "40312087"}
    body = accounts.update_body({"BankAccountNumber": "203206 40312087"}, tx, bank=True)
    assert body["bank_account_details"] == {"sort_code": "20-32-06", "account_number": "40312087"}
    assert accounts.bank_account_number(body["bank_account_details"]) == "20-32-06 40312087"


# Tax ------------------------------------------------------------------------------------------------------------

def test_tax_rates_carry_direction():
    rates = {r.TaxType: r for r in tax.tax_rates_from_sage(p.TAX_RATES)}
    assert {"OUTPUT2", "INPUT2", "RROUTPUT", "RRINPUT", "ZERORATEDOUTPUT", "ZERORATEDINPUT", "EXEMPTOUTPUT",
            "EXEMPTINPUT", "NONE", p.hexid(21)} == set(rates)
    assert rates["OUTPUT2"].Name == "20% (VAT on Income)" and rates["OUTPUT2"].EffectiveRate == D("20.0")
    assert rates["OUTPUT2"].CanApplyToRevenue and not rates["OUTPUT2"].CanApplyToExpenses
    assert rates["INPUT2"].CanApplyToExpenses and not rates["INPUT2"].CanApplyToRevenue
    assert rates["NONE"].CanApplyToRevenue and rates["NONE"].CanApplyToExpenses
    assert rates[p.hexid(21)].Name == "Local Levy 3%" and rates[p.hexid(21)].ReportTaxType is None
    assert rates["OUTPUT2"].TaxComponents[0].Name == "Standard 20.00%"


@pytest.mark.parametrize(("amount", "inclusive", "no_tax", "expected"), [
    (D("100"), False, False, (D("100.00"), D("20.00"), D("120.00"))),
    (D("120"), True, False, (D("100.00"), D("20.00"), D("120.00"))),
    (D("10.01"), True, False, (D("8.34"), D("1.67"), D("10.01"))),
    (D("0.05"), False, False, (D("0.05"), D("0.01"), D("0.06"))),
    (D("100"), False, True, (D("100.00"), D("0"), D("100.00"))),
])
def test_line_tax_arithmetic(amount, inclusive, no_tax, expected):
    got = tax.line_amounts(amount, D("20"), inclusive=inclusive, no_tax=no_tax)
    assert (got.net, got.tax, got.total) == expected


# Contacts -------------------------------------------------------------------------------------------------------

def test_contact_from_sage(tx):
    contact = contacts.contact_from_sage(p.CUSTOMER, tx)
    assert contact.ContactID == guid("contacts", p.hexid(41))
    assert (contact.Name, contact.AccountNumber, contact.IsCustomer, contact.IsSupplier) == (
        "Acme Ltd", "ACME", True, False)
    assert [a.AddressType for a in contact.Addresses] == ["POBOX", "STREET"]
    assert contact.Addresses[0].Country == "GB"
    assert {ph.PhoneType: ph.PhoneNumber for ph in contact.Phones} == {"DEFAULT": "0113 000",
                                                                      "MOBILE": "07700 900000"}
    assert contact.SalesDefaultAccountCode == "4000" and contact.AccountsReceivableTaxType == "OUTPUT2"
    assert contact.BankAccountDetails == "87654321" and contact.ContactStatus == "ACTIVE"
    both = contacts.contact_from_sage(p.BOTH, tx)
    assert both.IsCustomer and both.IsSupplier and both.ContactStatus == "ARCHIVED"


def test_contact_bodies(tx):
    body = contacts.contact_body({
        "Name": "Beta plc", "AccountNumber": "BETA", "EmailAddress": "x@beta.test", "IsSupplier": True,
        "FirstName": "Bo", "LastName": "Ng", "Phones": [{"PhoneType": "MOBILE", "PhoneNumber": "0770"}],
        "Addresses": [{"AddressType": "POBOX", "AddressLine1": "1 A St", "Country": "GB"},
                      {"AddressType": "STREET", "AddressLine1": "Dock 2", "Country": "United Kingdom"}],
        "SalesDefaultAccountCode": "4000", "AccountsReceivableTaxType": "OUTPUT2"}, tx, creating=True)
    assert sent("POST", "/contacts", "contact", body) == {
        "name": "Beta plc", "contact_type_ids": ["VENDOR"], "reference": "BETA",
        "main_contact_person": {"email": "x@beta.test", "name": "Bo Ng", "mobile": "0770", "is_main_contact": True},
        "main_address": {"address_line_1": "1 A St", "country_id": "GB"},
        "delivery_address": {"address_line_1": "Dock 2"},
        "default_sales_ledger_account_id": p.hexid(1), "default_sales_tax_rate_id": "GB_STANDARD"}
    assert contacts.contact_body({"Name": "Plain"}, tx, creating=True)["contact_type_ids"] == ["CUSTOMER"]
    update = contacts.contact_body({"IsSupplier": True}, tx, creating=False, current_types={"CUSTOMER"})
    assert sent("PUT", f"/contacts/{p.hexid(41)}", "contact", update) == {"contact_type_ids": ["CUSTOMER", "VENDOR"]}
    assert contacts.contact_body({"Name": "Same"}, tx, creating=False, current_types={"CUSTOMER"}) == {"name": "Same"}
    with pytest.raises(ValidationException, match="validation"):
        contacts.contact_body({"EmailAddress": "a@b"}, tx, creating=True)


# Documents ------------------------------------------------------------------------------------------------------

def test_sales_invoice_read(tx):
    kind = tables().document("ACCREC")
    invoice = documents.document_from_sage(p.sales_invoice(), kind, tx)
    assert invoice.InvoiceID == guid("sales_invoices", p.hexid(51))
    assert (invoice.Type, invoice.InvoiceNumber, invoice.Reference, invoice.Status) == (
        "ACCREC", "SI-7", "PO-42", "AUTHORISED")
    assert (invoice.SubTotal, invoice.TotalTax, invoice.Total) == (D("150.0"), D("30.0"), D("180.0"))
    assert (invoice.AmountDue, invoice.AmountPaid, invoice.AmountCredited) == (D("100.0"), D("60.0"), D("20.0"))
    assert invoice.Total == invoice.AmountDue + invoice.AmountPaid + invoice.AmountCredited
    assert invoice.LineAmountTypes == "Exclusive" and invoice.Contact.Name == "Acme Ltd"
    first = invoice.LineItems[0]
    assert (first.ItemCode, first.AccountCode, first.TaxType, first.LineAmount, first.TaxAmount) == (
        "WID-1", "4000", "OUTPUT2", D("100.0"), D("20.0"))
    assert first.LineItemID == guid("sales_invoices", p.hexid(51), f"line:{p.hexid(61)}")
    assert invoice.Payments[0].PaymentID == guid("contact_payments", p.hexid(71), f"artefact:{p.hexid(51)}")
    assert invoice.FullyPaidOnDate is None
    wire = dump(invoice)
    assert wire["DateString"] == "2025-04-01T00:00:00" and wire["Date"] == "/Date(1743465600000+0000)/"


@pytest.mark.parametrize(("status", "deleted", "expected"), [
    ("DRAFT", None, "DRAFT"), ("UNPAID", None, "AUTHORISED"), ("PAID", None, "PAID"), ("VOID", None, "VOIDED"),
    ("DRAFT", "2025-04-05T00:00:00Z", "DELETED")])
def test_document_statuses(tx, status, deleted, expected):
    row = p.sales_invoice(status=p.ref("artefact_statuses", status), deleted_at=deleted)
    assert documents.document_from_sage(row, tables().document("ACCREC"), tx).Status == expected


def test_purchase_invoice_inclusive_read(tx):
    bill = documents.document_from_sage(p.purchase_invoice(), tables().document("ACCPAY"), tx)
    assert (bill.Type, bill.InvoiceNumber, bill.LineAmountTypes) == ("ACCPAY", "INV-9", "Inclusive")
    assert bill.LineItems[0].LineAmount == D("120.0") and bill.LineItems[0].TaxType == "INPUT2"
    assert bill.Reference is None and bill.Contact.ContactID == guid("contacts", p.hexid(42))


def test_credit_note_read(tx):
    row = p.sales_invoice(credit_note_number="SCN-1", invoice_lines=None,
                          credit_note_lines=p.sales_invoice()["invoice_lines"], payments_allocations=[])
    note = documents.document_from_sage(row, tables().document("ACCRECCREDIT"), tx)
    assert note.CreditNoteNumber == "SCN-1" and note.RemainingCredit == D("100.0") and len(note.LineItems) == 2



def test_credit_notes_have_no_due_date(tx):
    # Sage's SalesCreditNote/PurchaseCreditNote have no due_date (swagger): not read, not sent.
    kind = tables().document("ACCRECCREDIT")
    row = p.sales_invoice(credit_note_number="SCN-2", invoice_lines=None,
                          credit_note_lines=p.sales_invoice()["invoice_lines"], payments_allocations=[])
    assert row.get("due_date") and documents.document_from_sage(row, kind, tx).DueDate is None
    element = {"Type": "ACCRECCREDIT", "Date": "2025-05-01", "DueDate": "2025-05-31",
               "LineItems": [{"Description": "Refund", "Quantity": 1, "UnitAmount": 10, "AccountCode": "4000",
                              "TaxType": "OUTPUT2"}]}
    body = documents.create_body(element, kind, tx, contact_id=p.hexid(41), today=TODAY, account_ids={})
    assert "due_date" not in sent("POST", "/sales_credit_notes", "sales_credit_note", body)
    body = documents.update_body({"DueDate": "2025-06-30", "Reference": "R3"}, kind, tx, contact_id=None,
                                 account_ids={})
    assert body == {"reference": "R3"}

def test_sales_invoice_create_body(tx):
    kind = tables().document("ACCREC")
    element = {"Type": "ACCREC", "Contact": {"ContactID": "x"}, "Date": "/Date(1746057600000+0000)/",
               "DueDate": "2025-05-31", "Status": "AUTHORISED", "InvoiceNumber": "INV-100", "Reference": "R",
               "LineItems": [{"Description": "Consulting", "Quantity": 2, "UnitAmount": "50.00",
                              "AccountCode": "4000", "TaxType": "OUTPUT2", "DiscountRate": 10},
                             {"ItemCode": "wid-1", "Quantity": 1, "UnitAmount": 25}]}
    body = documents.create_body(element, kind, tx, contact_id=p.hexid(41), today=TODAY, account_ids={})
    wire = sent("POST", "/sales_invoices", "sales_invoice", body)
    assert wire["status_id"] == "UNPAID" and wire["date"] == "2025-05-01" and wire["due_date"] == "2025-05-31"
    assert wire["invoice_number"] == "INV-100" and wire["contact_id"] == p.hexid(41)
    first, second = wire["invoice_lines"]
    assert (first["net_amount"], first["tax_amount"], first["total_amount"], first["discount_percentage"]) == (
        90, 18, 108, 10)
    assert second["product_id"] == p.hexid(31) and second["ledger_account_id"] == p.hexid(1)
    assert second["description"] == "Widget" and second["tax_rate_id"] == "GB_STANDARD"


def test_purchase_invoice_create_body_inclusive_and_defaults(tx):
    kind = tables().document("ACCPAY")
    element = {"Type": "ACCPAY", "Contact": {"Name": "X"}, "InvoiceNumber": "BILL-1", "Status": "SUBMITTED",
               "LineAmountTypes": "Inclusive",
               "LineItems": [{"Description": "Paper", "Quantity": 1, "UnitAmount": 120, "AccountCode": "5000",
                              "TaxType": "INPUT2"}]}
    body = documents.create_body(element, kind, tx, contact_id=p.hexid(42), today=TODAY, account_ids={})
    wire = sent("POST", "/purchase_invoices", "purchase_invoice", body)
    assert wire["status_id"] == "DRAFT" and wire["date"] == "2025-06-01" and wire["due_date"] == "2025-06-01"
    assert wire["vendor_reference"] == "BILL-1" and "invoice_number" not in wire
    line = wire["invoice_lines"][0]
    assert (line["unit_price_includes_tax"], line["net_amount"], line["tax_amount"], line["total_amount"]) == (
        True, 100, 20, 120)


def test_no_tax_documents_use_the_no_tax_rate(tx):
    body = documents.create_body({"Type": "ACCREC", "LineAmountTypes": "NoTax", "LineItems": [
        {"Description": "x", "UnitAmount": 10, "AccountCode": "4000"}]}, tables().document("ACCREC"), tx,
        contact_id="c", today=TODAY, account_ids={})
    assert body["invoice_lines"][0]["tax_rate_id"] == "GB_NO_TAX" and body["invoice_lines"][0]["tax_amount"] == 0


@pytest.mark.parametrize(("element", "message"), [
    ({"Status": "PAID", "LineItems": [{"AccountCode": "4000", "UnitAmount": 1}]}, "Invoice not of valid status"),
    ({"LineItems": []}, "An approved invoice must have at least one line item."),
    ({"LineItems": [{"AccountCode": "9999", "UnitAmount": 1}]}, "Account code '9999' is not a valid code"),
    ({"LineItems": [{"UnitAmount": 1}]}, "Line items on an approved invoice must have an AccountCode."),
    ({"LineItems": [{"AccountCode": "4000", "TaxType": "INPUT2", "UnitAmount": 1}]}, "The TaxType code 'INPUT2'"),
    ({"LineItems": [{"ItemCode": "NOPE", "UnitAmount": 1}]}, "Item code 'NOPE' is not valid."),
    ({"LineAmountTypes": "Gross", "LineItems": [{"AccountCode": "4000"}]}, "LineAmountTypes must be"),
    ({"LineItems": [{"AccountCode": "4000", "UnitAmount": "ten"}]}, "UnitAmount must be a number"),
])
def test_document_validation(tx, element, message):
    with pytest.raises(ValidationException) as caught:
        documents.create_body({"Type": "ACCREC", **element}, tables().document("ACCREC"), tx, contact_id="c",
                              today=TODAY, account_ids={})
    assert caught.value.elements[0]["ValidationErrors"][0]["Message"].startswith(message)


def test_document_update_body(tx):
    body = documents.update_body({"Reference": "R2", "DueDate": "2025-07-01"}, tables().document("ACCREC"), tx,
                                 contact_id=None, account_ids={})
    assert sent("PUT", f"/sales_invoices/{p.hexid(51)}", "sales_invoice", body) == {
        "reference": "R2", "due_date": "2025-07-01"}


# Payments and banking -------------------------------------------------------------------------------------------

def test_contact_payment_is_one_xero_payment_per_artefact(tx):
    found = payments_from_sage(p.CONTACT_PAYMENT, tx)
    assert [f.Amount for f in found] == [D("60.0"), D("30.0")]
    first = found[0]
    assert first.PaymentID == guid("contact_payments", p.hexid(71), f"artefact:{p.hexid(51)}")
    assert first.Invoice.InvoiceID == guid("sales_invoices", p.hexid(51)) and first.Invoice.InvoiceNumber == "SI-7"
    assert (first.PaymentType, first.Status, first.Reference) == ("ACCRECPAYMENT", "AUTHORISED", "REC-1")
    assert first.Account.Code == "1200" and first.Account.AccountID == guid("ledger_accounts", p.hexid(4))
    assert found[1].Invoice.InvoiceID == guid("sales_invoices", p.hexid(53))  # kind from the transaction type
    refund = dict(p.CONTACT_PAYMENT, transaction_type=p.ref("transaction_types", "VENDOR_REFUND"),
                  allocated_artefacts=[{"artefact": {"id": p.hexid(54)}, "amount": D("5")}])
    made = payments_from_sage(refund, tx)[0]
    assert made.PaymentType == "APCREDITPAYMENT" and made.CreditNote.CreditNoteID == guid(
        "purchase_credit_notes", p.hexid(54))


def test_other_payment_both_ways(tx):
    spend = banking.bank_transaction_from_sage(p.OTHER_PAYMENT, tx)
    assert (spend.Type, spend.Reference, spend.Total, spend.LineAmountTypes) == (
        "SPEND", "RENT-4", D("120.0"), "Exclusive")
    line = spend.LineItems[0]
    assert (line.AccountCode, line.TaxType, line.LineAmount, line.Description) == (
        "7100", "INPUT2", D("100.0"), "April rent")
    assert spend.BankAccount.Code == "1200" and spend.Contact.Name == "Northwind"
    body = banking.bank_transaction_body({"Type": "RECEIVE", "Date": "2025-04-01", "Reference": "Int",
                                          "LineItems": [{"Description": "Interest", "UnitAmount": 12,
                                                         "AccountCode": "4000", "TaxType": "OUTPUT2"}]},
                                         tx, bank_account_id=p.hexid(11), contact_id=None, today=TODAY, creating=True)
    wire = sent("POST", "/other_payments", "other_payment", body)
    assert wire["transaction_type_id"] == "OTHER_RECEIPT" and wire["total_amount"] == 14.4
    assert wire["payment_lines"][0] == {"ledger_account_id": p.hexid(1), "net_amount": 12, "tax_amount": 2.4,
                                        "total_amount": 14.4, "details": "Interest", "tax_rate_id": "GB_STANDARD"}
    with pytest.raises(ValidationException, match="validation"):
        banking.bank_transaction_body({"Type": "RECEIVE-OVERPAYMENT"}, tx, bank_account_id="b", contact_id=None,
                                      today=TODAY, creating=True)


def test_bank_transfer_both_ways(tx):
    transfer = banking.bank_transfer_from_sage(p.BANK_TRANSFER, tx)
    assert transfer.FromBankAccount.Code == "1200" and transfer.ToBankAccount.Code == "1240"
    assert transfer.Amount == D("250.0") and transfer.Status == "AUTHORISED"
    body = banking.bank_transfer_body({"Amount": "10.5", "Date": "2025-04-02", "Reference": "T"}, from_id="a",
                                      to_id="b", today=TODAY)
    assert sent("POST", "/bank_transfers", "bank_transfer", body) == {
        "from_bank_account_id": "a", "to_bank_account_id": "b", "date": "2025-04-02", "amount": 10.5,
        "reference": "T"}
    for bad in ({"Amount": 0}, {"Amount": 5}):
        with pytest.raises(ValidationException):
            banking.bank_transfer_body(bad, from_id="a", to_id="b" if bad["Amount"] == 0 else "a", today=TODAY)


def test_journal_both_ways(tx):
    journal = journals.manual_journal_from_sage(p.JOURNAL, tx)
    assert journal.Narration == "Accrual for April" and journal.Status == "POSTED"
    assert [(line.AccountCode, line.LineAmount) for line in journal.JournalLines] == [("7100", D("30.0")),
                                                                            ("2100", D("-30.0"))]
    body = journals.journal_body({"Narration": "A very long narration for the month end accrual", "Date": "2025-04-30",
                                  "JournalLines": [{"LineAmount": 30, "AccountCode": "7100"},
                                                   {"LineAmount": -30, "AccountCode": "2100"}]}, tx, today=TODAY)
    wire = sent("POST", "/journals", "journal", body)
    assert wire["reference"] == "A very long narration for" and wire["description"].endswith("accrual")
    assert [(line["debit"], line["credit"]) for line in wire["journal_lines"]] == [(30, 0), (0, 30)]
    for bad in ({"Narration": "x", "JournalLines": [{"LineAmount": 30, "AccountCode": "7100"},
                                                    {"LineAmount": -20, "AccountCode": "2100"}]},
                {"Narration": "x", "Status": "DRAFT"}, {"JournalLines": []}):
        with pytest.raises(ValidationException):
            journals.journal_body(bad, tx, today=TODAY)


# Items and currencies -------------------------------------------------------------------------------------------

def test_items_both_ways(tx):
    product = items.item_from_sage(p.PRODUCT, "products", tx)
    assert (product.Code, product.Name, product.Description) == ("WID-1", "Widget", "Blue widget")
    assert product.SalesDetails.UnitPrice == D("25.0") and product.SalesDetails.TaxType == "OUTPUT2"
    assert product.PurchaseDetails.UnitPrice == D("12.5") and product.PurchaseDetails.AccountCode == "5000"
    assert product.IsPurchased and product.ItemID == guid("products", p.hexid(31))
    service = items.item_from_sage(p.SERVICE, "services", tx)
    assert service.SalesDetails.UnitPrice == D("90.0") and service.IsPurchased is False
    element = {"Code": "GAD-2", "Name": "Gadget", "Description": "Sold by the box",
               "PurchaseDetails": {"UnitPrice": 3, "AccountCode": "5000", "TaxType": "INPUT2"},
               "SalesDetails": {"AccountCode": "4000", "TaxType": "OUTPUT2"}}
    assert items.resource_for_new_item(element) == "products"
    body = items.item_body(element, "products", tx, creating=True)
    assert sent("POST", "/products", "product", body) == {
        "item_code": "GAD-2", "description": "Gadget", "notes": "Sold by the box",
        "sales_ledger_account_id": p.hexid(1), "purchase_ledger_account_id": p.hexid(2),
        "sales_tax_rate_id": "GB_STANDARD", "purchase_tax_rate_id": "GB_STANDARD", "cost_price": 3}
    svc = {"Code": "FIX", "Name": "Fixing"}
    assert items.resource_for_new_item(svc) == "services"
    assert sent("POST", "/services", "service", items.item_body(svc, "services", tx, creating=True)) == {
        "item_code": "FIX", "description": "Fixing", "sales_ledger_account_id": p.hexid(1)}


def test_currencies():
    rows = [{"id": "GBP", "displayed_as": "Pound Sterling (GBP)"}, {"id": "EUR", "displayed_as": "Euro (EUR)"}]
    assert [c.Code for c in items.currencies_from_sage(rows, p.FINANCIAL_SETTINGS)] == ["GBP"]
    multi = dict(p.FINANCIAL_SETTINGS, multi_currency_enabled=True)
    assert [(c.Code, c.Description) for c in items.currencies_from_sage(rows, multi)] == [
        ("GBP", "Pound Sterling (GBP)"), ("EUR", "Euro (EUR)")]
