"""Xero → QBO translation: the bodies the adapter would send, checked field by field and against Intuit's XSDs
(``emulators.qbo.xsd.validate``), and the validation errors of what QBO cannot hold."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from adapters.qbo import codes
from adapters.qbo.translate.accounts import account_to_qbo, xero_type
from adapters.qbo.translate.banking import bank_entity_for, bank_transaction_to_qbo, bank_transfer_to_qbo
from adapters.qbo.translate.contacts import CUSTOMER, contact_to_qbo, party_entity
from adapters.qbo.translate.documents import BY_TYPE, document_to_qbo
from adapters.qbo.translate.items import item_to_qbo
from adapters.qbo.translate.journals import journal_to_qbo
from adapters.qbo.translate.lines import accounts_needing_items, generated_item_name
from adapters.qbo.translate.payments import payment_to_qbo
from adapters.qbo.translate.tax import global_tax_calculation, tax_code_id, tax_type
from emulators.qbo import xsd
from gateway.xero.errors import ValidationException

from .translation_support import account, entity, guid, rows, tx

CHART = [account("79", "Sales", "Income", code="4000"), account("60", "Supplies", "Expense", code="6000"),
         account("35", "Checking", "Bank", code="1000"), account("41", "Visa", "Credit Card", code="2100"),
         account("36", "Savings", "Bank", code="1010")]
ITEMS = [{"Id": "7", "Name": "Consulting", "Type": "Service", "Active": True, "IncomeAccountRef": {"value": "79"}},
         {"Id": "8", "Name": "Widget", "Sku": "W-1", "Type": "NonInventory", "Active": True,
          "IncomeAccountRef": {"value": "79"}, "ExpenseAccountRef": {"value": "60"}}]


def valid(entity_name: str, body: dict) -> dict:
    """``body`` must fit Intuit's XSD for ``entity_name``."""
    xsd.validate({entity_name: json.loads(json.dumps(body, default=str))})
    return body


def context(**extra):
    return tx(accounts=CHART, items=ITEMS, taxcodes=rows("TaxCode"), classes=rows("Class"),
              departments=rows("Department"), **extra)


def test_account_types_round_trip():
    t = context()
    for xero in sorted(codes.XERO_ACCOUNT_TYPES):
        body = valid("Account", account_to_qbo({"Name": f"A {xero}", "Code": "1", "Type": xero}, t))
        expected = "CURRLIAB" if xero == "LIABILITY" else xero  # Xero's generic LIABILITY reads as CURRLIAB
        assert xero_type(body) == expected, xero
    card = account_to_qbo({"Name": "Card", "Type": "BANK", "BankAccountType": "CREDITCARD"}, t)
    assert (card["AccountType"], card["AccountSubType"]) == ("Credit Card", "CreditCard")
    with pytest.raises(ValidationException):
        account_to_qbo({"Name": "X", "Type": "NOTATYPE"}, t)
    with pytest.raises(ValidationException):
        account_to_qbo({"Name": "X"}, t)
    assert account_to_qbo({"Status": "ARCHIVED"}, t, current=CHART[0]) == {"Active": False}


def test_tax_types():
    assert [tax_type(c, purchases=p) for c, p in (("TAX", False), ("TAX", True), ("NON", True), ("2", False),
                                                 ("17", True))] == ["OUTPUT", "INPUT", "NONE", "TAX002", "TAX017"]
    assert [tax_code_id(x) for x in ("OUTPUT", "INPUT", "NONE", "TAX002", "TAX017", "OUTPUT2")] == [
        "TAX", "TAX", "NON", "2", "17", None]
    assert global_tax_calculation("Inclusive") == "TaxInclusive" and global_tax_calculation("x") is None


def test_invoice_body():
    t = context()
    element = {"Type": "ACCREC", "Date": "2024-03-01", "DueDate": "/Date(1711929600000+0000)/",
               "Reference": "PO 1", "InvoiceNumber": "INV-9", "LineAmountTypes": "Exclusive",
               "LineItems": [{"Description": "Hours", "Quantity": 2, "UnitAmount": "50.00", "ItemCode": "Consulting",
                              "TaxType": "OUTPUT",
                              "Tracking": [{"Name": "Class", "Option": "Europe"},
                                           {"Name": "Location", "Option": "Sales Department"}]},
                             {"Description": "Widgets", "Quantity": 3, "UnitAmount": "1.335", "ItemCode": "W-1"},
                             {"Description": "A note only"}]}
    body = valid("Invoice", document_to_qbo(element, BY_TYPE["ACCREC"], t, party_id="58",
                                            number_field="InvoiceNumber", create=True))
    assert body["CustomerRef"] == {"value": "58"} and body["TxnDate"] == "2024-03-01"
    assert body["DueDate"] == "2024-04-01" and body["DocNumber"] == "INV-9" and body["PrivateNote"] == "PO 1"
    assert "GlobalTaxCalculation" not in body  # a US realm has none
    first, second, note = body["Line"]
    assert first["Amount"] == Decimal("100.00") and first["SalesItemLineDetail"]["ItemRef"] == {"value": "7"}
    assert first["SalesItemLineDetail"]["TaxCodeRef"] == {"value": "TAX"}
    assert first["SalesItemLineDetail"]["ClassRef"] == {"value": "5000000000000007195"}
    assert body["DepartmentRef"] == {"value": "1"}
    assert second["Amount"] == Decimal("4.01")  # 3 × 1.335 = 4.005, to cents half up
    assert note == {"DetailType": "DescriptionOnly", "Description": "A note only", "DescriptionLineDetail": {}}


def test_sales_lines_given_only_an_account_use_or_need_an_item():
    t = context()
    element = {"Type": "ACCREC", "LineItems": [{"Description": "x", "UnitAmount": 5, "AccountCode": "4000"},
                                               {"Description": "y", "UnitAmount": 5, "AccountCode": "6000"}]}
    needed = accounts_needing_items(element, t)
    assert [a["Id"] for a in needed] == ["60"] and generated_item_name(needed[0]) == "Supplies (account 6000)"
    only_sales = {**element, "LineItems": element["LineItems"][:1]}
    body = document_to_qbo(only_sales, BY_TYPE["ACCREC"], t, party_id="1", number_field="InvoiceNumber",
                           create=True)
    assert body["Line"][0]["SalesItemLineDetail"]["ItemRef"] == {"value": "7"}  # Consulting books to 4000


def test_bill_and_vendor_credit_bodies():
    t = context()
    element = {"Type": "ACCPAY", "InvoiceNumber": "SUP-1", "Date": "2024-03-02",
               "LineItems": [{"Description": "Paper", "Quantity": 1, "UnitAmount": 9.99, "AccountCode": "6000",
                              "TaxType": "NONE"},
                             {"Description": "Widgets", "Quantity": 2, "UnitAmount": 4, "ItemCode": "W-1"}]}
    body = valid("Bill", document_to_qbo(element, BY_TYPE["ACCPAY"], t, party_id="30",
                                         number_field="InvoiceNumber", create=True))
    assert body["VendorRef"] == {"value": "30"} and body["DocNumber"] == "SUP-1"
    account_line, item_line = body["Line"]
    assert account_line["AccountBasedExpenseLineDetail"] == {"AccountRef": {"value": "60"},
                                                             "TaxCodeRef": {"value": "NON"}}
    assert item_line["ItemBasedExpenseLineDetail"]["ItemRef"] == {"value": "8"} and item_line["Amount"] == 8
    credit = valid("VendorCredit", document_to_qbo({**element, "Type": "ACCPAYCREDIT"}, BY_TYPE["ACCPAYCREDIT"], t,
                                                   party_id="30", number_field="CreditNoteNumber", create=True))
    assert "DueDate" not in credit


@pytest.mark.parametrize(("change", "message"), [
    ({"LineAmountTypes": "Inclusive"}, "not available"),
    ({"LineItems": [{"Description": "x", "UnitAmount": 1, "AccountCode": "99999"}]}, "99999"),
    ({"LineItems": [{"Description": "x", "UnitAmount": 1, "ItemCode": "NOPE"}]}, "NOPE"),
    ({"LineItems": [{"Description": "x", "UnitAmount": 1}]}, "AccountCode or an ItemCode"),
    ({"LineItems": [{"Description": "x", "UnitAmount": 1, "ItemCode": "W-1", "TaxType": "OUTPUT2"}]}, "OUTPUT2"),
    ({"LineItems": [{"Description": "x", "UnitAmount": 1, "ItemCode": "W-1", "DiscountRate": 10}]}, "discount"),
    ({"LineItems": [{"Description": "x", "UnitAmount": 1, "ItemCode": "W-1",
                     "Tracking": [{"Name": "Location", "Option": "Sales Department"}]},
                    {"Description": "y", "UnitAmount": 1, "ItemCode": "W-1",
                     "Tracking": [{"Name": "Location", "Option": "Support Department"}]}]}, "per document"),
    ({"LineItems": [{"Description": "x", "UnitAmount": 1, "ItemCode": "W-1",
                     "Tracking": [{"Name": "Class", "Option": "Atlantis"}]}]}, "Atlantis"),
    ({"LineItems": []}, "line item")])
def test_what_qbo_cannot_hold_is_refused(change, message):
    element = {"Type": "ACCREC", "LineItems": [{"Description": "x", "UnitAmount": 1, "ItemCode": "W-1"}], **change}
    with pytest.raises(ValidationException) as refused:
        document_to_qbo(element, BY_TYPE["ACCREC"], context(), party_id="1", number_field="InvoiceNumber",
                        create=True)
    assert message.lower() in json.dumps(refused.value.body()).lower()
    assert refused.value.elements[0]["Type"] == "ACCREC"  # the element is echoed


def test_non_us_realm_carries_global_tax_calculation():
    info = {**entity("CompanyInfo", "object_sample"), "Country": "GB"}
    t = tx(accounts=CHART, items=ITEMS, taxcodes=rows("TaxCode"), companyinfo=info)
    body = document_to_qbo({"Type": "ACCREC", "LineAmountTypes": "Inclusive", "LineItems": [
        {"Description": "x", "UnitAmount": 12, "ItemCode": "W-1", "TaxType": "TAX002"}]}, BY_TYPE["ACCREC"], t,
        party_id="1", number_field="InvoiceNumber", create=True)
    assert body["GlobalTaxCalculation"] == "TaxInclusive"
    assert body["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"] == {"value": "2"}


def test_contact_body_and_entity():
    body = valid("Customer", contact_to_qbo({
        "Name": "Acme", "FirstName": "Ann", "LastName": "Ames", "EmailAddress": "a@acme.test",
        "AccountNumber": "C-9", "ContactStatus": "ACTIVE",
        "Phones": [{"PhoneType": "MOBILE", "PhoneAreaCode": "020", "PhoneNumber": "555 1"},
                   {"PhoneType": "DEFAULT", "PhoneNumber": "555 2"}],
        "Addresses": [{"AddressType": "STREET", "AddressLine1": "1 High St", "City": "Town", "Region": "CA",
                       "PostalCode": "9", "Country": "US"}]}, CUSTOMER, create=True))
    assert body["DisplayName"] == body["CompanyName"] == "Acme" and body["Mobile"] == {"FreeFormNumber": "020 555 1"}
    assert body["ShipAddr"]["Line1"] == "1 High St" and body["ShipAddr"]["CountrySubDivisionCode"] == "CA"
    assert body["Active"] is True and body["AcctNum"] == "C-9"
    assert party_entity({"IsSupplier": True}) == "Vendor" and party_entity({}) == "Customer"
    with pytest.raises(ValidationException):
        contact_to_qbo({}, CUSTOMER, create=True)


def test_payment_bodies():
    t = context()
    invoice = entity("Invoice", "object_sample")
    kind, body = payment_to_qbo({"Amount": "10.00", "Date": "2024-03-03", "Reference": "r1"}, t, document=invoice,
                                document_entity="Invoice", account=CHART[2])
    assert kind == "Payment" and valid("Payment", body)["CustomerRef"] == {"value": "24"}
    assert body["Line"] == [{"Amount": Decimal("10.00"), "LinkedTxn": [{"TxnId": "130", "TxnType": "Invoice"}]}]
    bill = entity("Bill", "object_sample")
    kind, by_check = payment_to_qbo({"Amount": 5}, t, document=bill, document_entity="Bill", account=CHART[2])
    assert kind == "BillPayment" and valid("BillPayment", by_check)["PayType"] == "Check"
    assert by_check["CheckPayment"] == {"BankAccountRef": {"value": "35"}}
    _, by_card = payment_to_qbo({"Amount": 5}, t, document=bill, document_entity="Bill", account=CHART[3])
    assert by_card["PayType"] == "CreditCard" and by_card["CreditCardPayment"] == {"CCAccountRef": {"value": "41"}}
    with pytest.raises(ValidationException):
        payment_to_qbo({"Amount": 5}, t, document=bill, document_entity="Bill", account=CHART[1])
    with pytest.raises(ValidationException):
        payment_to_qbo({"Amount": 0}, t, document=invoice, document_entity="Invoice", account=CHART[2])


def test_bank_transaction_transfer_and_journal_bodies():
    t = context()
    spend = {"Type": "SPEND", "Reference": "fuel",
             "LineItems": [{"Description": "Fuel", "UnitAmount": 30, "AccountCode": "6000"}]}
    assert bank_entity_for(spend) == "Purchase"
    purchase = valid("Purchase", bank_transaction_to_qbo(spend, "Purchase", t, bank=CHART[3],
                                                         party=("Vendor", "30"), create=True))
    assert purchase["PaymentType"] == "CreditCard" and purchase["EntityRef"] == {"value": "30", "type": "Vendor"}
    receive = {"Type": "RECEIVE", "LineItems": [{"Description": "Interest", "UnitAmount": 3, "AccountCode": "4000"}]}
    assert bank_entity_for(receive) == "Deposit"
    deposit = valid("Deposit", bank_transaction_to_qbo(receive, "Deposit", t, bank=CHART[2],
                                                       party=("Customer", "2"), create=True))
    assert deposit["Line"][0]["DepositLineDetail"]["Entity"] == {"value": "2", "type": "Customer"}
    assert bank_entity_for({**receive, "LineItems": [{"ItemCode": "W-1", "UnitAmount": 1}]}) == "SalesReceipt"
    with pytest.raises(ValidationException):
        bank_transaction_to_qbo(spend, "Purchase", t, bank=CHART[0], party=None, create=True)
    with pytest.raises(ValidationException):
        bank_entity_for({"Type": "SPEND-TRANSFER"})
    transfer = valid("Transfer", bank_transfer_to_qbo({"Amount": "75", "Date": "2024-01-02"}, source=CHART[2],
                                                      target=CHART[4]))
    assert transfer["FromAccountRef"] == {"value": "35"} and transfer["Amount"] == 75
    journal = valid("JournalEntry", journal_to_qbo({"Narration": "Fix", "JournalLines": [
        {"LineAmount": 12.5, "AccountCode": "6000", "Tracking": [{"Name": "Class", "Option": "Europe"}]},
        {"LineAmount": -12.5, "AccountID": guid("Account", "35")}]}, t, create=True))
    debit, credit = journal["Line"]
    assert debit["JournalEntryLineDetail"]["PostingType"] == "Debit" and debit["Amount"] == Decimal("12.50")
    assert credit["JournalEntryLineDetail"] == {"PostingType": "Credit", "AccountRef": {"value": "35"}}
    with pytest.raises(ValidationException):
        journal_to_qbo({"Narration": "x", "JournalLines": [{"LineAmount": 1, "AccountCode": "6000"},
                                                           {"LineAmount": -2, "AccountCode": "1000"}]}, t,
                       create=True)


def test_item_body():
    t = context()
    body = valid("Item", item_to_qbo({"Code": "GADGET", "Name": "Gadget", "SalesDetails": {
        "UnitPrice": "4.50", "AccountCode": "4000"}, "PurchaseDetails": {"AccountCode": "6000"}}, t, current=None,
        today=__import__("datetime").date(2024, 1, 1)))
    assert body["Sku"] == "GADGET" and body["Type"] == "Service" and body["IncomeAccountRef"] == {"value": "79"}
    tracked = item_to_qbo({"Code": "S", "IsTrackedAsInventory": True, "InventoryAssetAccountCode": "1000"}, t,
                          current=None, today=__import__("datetime").date(2024, 1, 1))
    assert tracked["Type"] == "Inventory" and tracked["InvStartDate"] == "2024-01-01"
    with pytest.raises(ValidationException):
        item_to_qbo({"Name": "no code"}, t, current=None, today=__import__("datetime").date(2024, 1, 1))
