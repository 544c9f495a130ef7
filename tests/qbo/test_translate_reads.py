"""QBO → Xero translation of every resource, on the recorded samples (shared/contracts/qbo/samples, never edited);
each translated model is also rendered in Xero's envelope and validated against Xero's spec."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from adapters.qbo.translate.accounts import account_to_xero
from adapters.qbo.translate.banking import bank_transaction_to_xero, bank_transfer_to_xero
from adapters.qbo.translate.contacts import CUSTOMER, VENDOR, contact_to_xero, merge
from adapters.qbo.translate.currencies import currencies_to_xero
from adapters.qbo.translate.documents import BY_ENTITY, credit_note_to_xero, invoice_to_xero, status
from adapters.qbo.translate.items import item_to_xero
from adapters.qbo.translate.journals import journal_to_xero
from adapters.qbo.translate.organisation import organisation_to_xero
from adapters.qbo.translate.payments import payments_to_xero
from adapters.qbo.translate.tax import tax_rates_to_xero
from adapters.qbo.translate.tracking import tracking_categories_to_xero
from gateway.xero.envelope import build_envelope, to_json_bytes

from .translation_support import TENANT, account, entity, guid, rows, sample, tx

JSON = {"Content-Type": "application/json; charset=utf-8"}


def conforms(xero_spec, path: str, key: str, items: list) -> None:
    body = to_json_bytes(build_envelope(key, items, provider_name="test"))
    xero_spec.validate_response("GET", path, 200, body, JSON)


def test_accounts(xero_spec):
    t = tx()
    receivable = account_to_xero(entity("Account", "object_sample"), t)
    assert receivable.AccountID == guid("Account", "94") and receivable.Name == "MyJobs"
    assert (receivable.Type, receivable.Class, receivable.SystemAccount) == ("CURRENT", "ASSET", "DEBTORS")
    assert receivable.Status == "ACTIVE" and receivable.CurrencyCode == "USD" and receivable.Code is None
    assert receivable.UpdatedDateUTC == datetime(2014, 12, 31, 17, 29, 5, tzinfo=UTC)
    bank = account_to_xero(account("35", "Checking", "Bank", code="1000"), t)
    card = account_to_xero(account("41", "Mastercard", "Credit Card"), t)
    stock = account_to_xero(account("81", "Inventory Asset", "Other Current Asset", sub_type="Inventory"), t)
    old = account_to_xero(account("60", "Old costs", "Expense", active=False), t)
    assert (bank.Type, bank.BankAccountType, bank.Code, bank.Class) == ("BANK", "BANK", "1000", "ASSET")
    assert (card.Type, card.BankAccountType, card.Class) == ("BANK", "CREDITCARD", "LIABILITY")
    assert stock.Type == "INVENTORY" and old.Status == "ARCHIVED" and old.Type == "EXPENSE"
    assert account_to_xero(account("99", "Estimates", "Non-Posting"), t) is None
    conforms(xero_spec, "/Accounts", "Accounts", [receivable, bank, card, stock, old])


def test_contacts_customer_vendor_and_pair(xero_spec):
    t = tx()
    customer = contact_to_xero(entity("Customer", "object_sample_intuit"), CUSTOMER, t)
    assert customer.ContactID == guid("Customer", "2") and customer.Name == "Bill's Windsurf Shop"
    assert (customer.FirstName, customer.LastName, customer.EmailAddress) == ("Bill", "Lucchini", "Surf@Intuit.com")
    assert customer.IsCustomer and not customer.IsSupplier
    assert customer.Balances.AccountsReceivable.Outstanding == Decimal("85.0")
    assert [(p.PhoneType, p.PhoneNumber) for p in customer.Phones] == [("DEFAULT", "(415) 444-6538")]
    assert customer.Addresses[0].AddressType == "POBOX" and customer.Addresses[0].City == "Half Moon Bay"
    vendor = contact_to_xero(entity("Vendor", "read_response_intuit"), VENDOR, t)
    assert vendor.IsSupplier and vendor.AccountNumber == "1345" and vendor.ContactStatus == "ACTIVE"
    both = merge(customer, vendor.model_copy(update={"ContactID": customer.ContactID}))
    assert both.IsCustomer and both.IsSupplier and both.Name == "Bill's Windsurf Shop"
    assert both.Balances.AccountsPayable.Outstanding == Decimal("0")
    conforms(xero_spec, "/Contacts", "Contacts", [customer, vendor, both])


def test_invoice_sample():
    t = tx(items=[entity("Item", "object_sample")], taxcodes=rows("TaxCode"))
    invoice = invoice_to_xero(entity("Invoice", "object_sample"), BY_ENTITY["Invoice"], t)
    assert invoice.InvoiceID == guid("Invoice", "130") and invoice.Type == "ACCREC"
    assert invoice.InvoiceNumber == "1037" and invoice.Date == date(2014, 9, 19) and invoice.DueDate == date(2014,
                                                                                                            10, 19)
    assert (invoice.Total, invoice.TotalTax, invoice.SubTotal) == (Decimal("362.07"), Decimal("26.82"),
                                                                   Decimal("335.25"))
    assert invoice.AmountDue == Decimal("362.07") and invoice.AmountPaid == 0 and invoice.Status == "AUTHORISED"
    assert invoice.Contact.ContactID == guid("Customer", "24") and invoice.Contact.Name == "Sonnenschein Family Store"
    assert invoice.LineAmountTypes == "Exclusive" and invoice.CurrencyCode == "USD"  # a US realm
    assert len(invoice.LineItems) == 3  # the computed SubTotalLineDetail line is not a Xero line
    first = invoice.LineItems[0]
    assert (first.Description, first.Quantity, first.UnitAmount, first.LineAmount) == (
        "Rock Fountain", 1, 275, Decimal("275.0"))
    assert first.ItemCode == "Rock Fountain" and first.AccountID == guid("Account", "79") and first.TaxType == "OUTPUT"
    assert first.LineItemID == guid("Invoice", "130", "Line:1")


def test_voided_paid_and_purchase_documents(xero_spec):
    t = tx(accounts=[account("64", "Decks and Patios", "Expense", code="6410")])
    voided = invoice_to_xero(entity("Invoice", "void_response"), BY_ENTITY["Invoice"], t)
    assert voided.Status == "VOIDED" and voided.AmountDue == 0 and voided.Reference is None
    bill = invoice_to_xero(entity("Bill", "object_sample"), BY_ENTITY["Bill"], t)
    assert bill.Type == "ACCPAY" and bill.Status == "PAID" and bill.Contact.ContactID == guid("Vendor", "46")
    line = bill.LineItems[0]
    assert (line.AccountCode, line.AccountID, line.TaxType) == ("6410", guid("Account", "64"), "INPUT")
    memo = credit_note_to_xero(entity("CreditMemo", "object_sample"), BY_ENTITY["CreditMemo"], t)
    assert memo.Type == "ACCRECCREDIT" and memo.CreditNoteNumber == "1026" and memo.RemainingCredit == 0
    assert memo.Status == "PAID"
    credit = credit_note_to_xero(entity("VendorCredit", "object_sample"), BY_ENTITY["VendorCredit"], t)
    assert credit.Type == "ACCPAYCREDIT"
    conforms(xero_spec, "/Invoices", "Invoices", [voided, bill])
    conforms(xero_spec, "/CreditNotes", "CreditNotes", [memo, credit])


@pytest.mark.parametrize(("balance", "total", "note", "expected"), [
    (Decimal("10"), Decimal("10"), None, "AUTHORISED"), (Decimal("0"), Decimal("10"), None, "PAID"),
    (Decimal("0"), Decimal("0"), "Voided", "VOIDED"), (Decimal("0"), Decimal("0"), "Voided - PO 7", "VOIDED"),
    (Decimal("0"), Decimal("0"), "Refund", "PAID")])
def test_document_status_rule(balance, total, note, expected):
    row = {"Balance": balance, "TotalAmt": total, "PrivateNote": note}
    assert status(row, BY_ENTITY["Invoice"]) == expected


def test_payments(xero_spec):
    t = tx(accounts=[account("4", "Undeposited Funds", "Other Current Asset"),
                     account("35", "Checking", "Bank", code="1000")])
    (payment,) = payments_to_xero(entity("Payment", "object_sample"), "Payment", t,
                                  documents={("Invoice", "67"): {"Id": "67", "DocNumber": "1021"}})
    assert payment.PaymentID == guid("Payment", "125", "Invoice:67") and payment.Amount == 25
    assert payment.Invoice.InvoiceID == guid("Invoice", "67") and payment.Invoice.InvoiceNumber == "1021"
    assert payment.Account.AccountID == guid("Account", "4") and payment.PaymentType == "ACCRECPAYMENT"
    assert payment.Date == date(2014, 9, 14) and payment.Status == "AUTHORISED"
    (bill_payment,) = payments_to_xero(entity("BillPayment", "object_sample"), "BillPayment", t, documents={})
    assert bill_payment.PaymentType == "ACCPAYPAYMENT" and bill_payment.Account.Code == "1000"
    assert bill_payment.Reference == "Acct. 1JK90" and bill_payment.Invoice.Type == "ACCPAY"
    conforms(xero_spec, "/Payments", "Payments", [payment, bill_payment])


def test_bank_transactions_and_transfers(xero_spec):
    t = tx(accounts=[account("35", "Checking", "Bank", code="1000"), account("87", "Unapplied", "Income")])
    purchases = rows("Purchase", "query_response_intuit_excerpt")
    spends = [bank_transaction_to_xero(row, "Purchase", t) for row in purchases]
    assert spends[0].Type == "SPEND" and spends[0].Total == Decimal("250.0")
    assert spends[0].Contact.ContactID == guid("Vendor", "49") and spends[0].BankAccount.Code == "1000"
    assert spends[0].LineItems[0].TaxType == "NONE"
    refund = bank_transaction_to_xero({**purchases[0], "Credit": True}, "Purchase", t)
    assert refund.Type == "RECEIVE"
    deposit = bank_transaction_to_xero(entity("Deposit", "create_response_intuit"), "Deposit", t)
    assert deposit.Type == "RECEIVE" and deposit.BankAccount.AccountID == guid("Account", "35")
    assert deposit.LineItems[0].AccountID == guid("Account", "87") and deposit.Total == 20
    receipt = bank_transaction_to_xero(entity("SalesReceipt", "object_sample"), "SalesReceipt", t)
    assert receipt.Type == "RECEIVE" and receipt.Contact is not None
    transfer = bank_transfer_to_xero(entity("Transfer", "read_response_intuit"), t)
    assert transfer.BankTransferID == guid("Transfer", "170") and transfer.Amount == 120
    assert transfer.FromBankAccount.Code == "1000" and transfer.ToBankAccount.AccountID == guid("Account", "36")
    conforms(xero_spec, "/BankTransactions", "BankTransactions", [*spends, refund, deposit, receipt])
    conforms(xero_spec, "/BankTransfers", "BankTransfers", [transfer])


def test_manual_journal(xero_spec):
    journal = journal_to_xero(entity("JournalEntry", "object_sample"), tx())
    assert journal.ManualJournalID == guid("JournalEntry", "227") and journal.Status == "POSTED"
    assert [line.LineAmount for line in journal.JournalLines] == [Decimal("25.54"), Decimal("-25.54")]
    assert journal.JournalLines[0].AccountID == guid("Account", "65") and journal.Narration == "Journal 227"
    conforms(xero_spec, "/ManualJournals", "ManualJournals", [journal])


def test_items_tax_rates_tracking_currencies_organisation(xero_spec):
    t = tx(accounts=[account("79", "Sales of Product Income", "Income", code="4010"),
                     account("80", "Cost of Goods Sold", "Cost of Goods Sold", code="5000"),
                     account("81", "Inventory Asset", "Other Current Asset", code="1300")],
           taxcodes=rows("TaxCode"), taxrates=rows("TaxRate"), classes=rows("Class"),
           departments=rows("Department"), currencies=rows("CompanyCurrency"))
    item = item_to_xero(entity("Item", "object_sample"), t)
    assert (item.Code, item.IsTrackedAsInventory, item.QuantityOnHand) == ("Rock Fountain", True, 2)
    assert item.SalesDetails.AccountCode == "4010" and item.SalesDetails.UnitPrice == 275
    assert item.PurchaseDetails.AccountCode == "5000" and item.InventoryAssetAccountCode == "1300"
    rates = {r.TaxType: r for r in tax_rates_to_xero(t)}
    assert set(rates) == {"OUTPUT", "INPUT", "NONE", "TAX002", "TAX003"}
    assert rates["TAX003"].EffectiveRate == Decimal("9.1") and len(rates["TAX003"].TaxComponents) == 2
    assert rates["TAX002"].CanApplyToRevenue and not rates["TAX002"].CanApplyToExpenses
    categories = tracking_categories_to_xero(t, include_archived=False)
    assert [c.Name for c in categories] == ["Class", "Location"]  # Preferences.DepartmentTerminology
    assert {o.Name for o in categories[0].Options} >= {"Europe", "Sales Dept"}
    organisation = organisation_to_xero(t)
    assert organisation.OrganisationID == TENANT and organisation.Name == "Larry's Bakery"
    assert organisation.LineOfBusiness == "Bread and Bakery Product Manufacturing"
    assert organisation.PaysTax is True and organisation.Addresses[0].AddressType == "STREET"
    currencies = currencies_to_xero(t)
    assert currencies[0].Code == "USD" and len(currencies) > 1
    conforms(xero_spec, "/Items", "Items", [item])
    conforms(xero_spec, "/TaxRates", "TaxRates", list(rates.values()))
    conforms(xero_spec, "/TrackingCategories", "TrackingCategories", categories)
    conforms(xero_spec, "/Organisation", "Organisations", [organisation])
    conforms(xero_spec, "/Currencies", "Currencies", currencies)


def test_every_sample_of_every_entity_translates(xero_spec):
    """Robustness: every example of the translated entities (scraper-written ones included) gives a model that
    conforms to Xero's spec."""
    t = tx()
    cases = {"Invoice": ("/Invoices", "Invoices"), "Bill": ("/Invoices", "Invoices"),
             "CreditMemo": ("/CreditNotes", "CreditNotes"), "VendorCredit": ("/CreditNotes", "CreditNotes"),
             "Purchase": ("/BankTransactions", "BankTransactions"), "Deposit": ("/BankTransactions",
                                                                               "BankTransactions"),
             "SalesReceipt": ("/BankTransactions", "BankTransactions"), "JournalEntry": ("/ManualJournals",
                                                                                      "ManualJournals"),
             "Customer": ("/Contacts", "Contacts"), "Vendor": ("/Contacts", "Contacts"),
             "Transfer": ("/BankTransfers", "BankTransfers")}
    import json

    from tests.support.qbo import SAMPLES

    for name, (path, key) in cases.items():
        examples = json.loads((SAMPLES / f"{name}.json").read_text(), parse_float=Decimal)
        records = []
        for payload in examples.values():
            if isinstance(payload.get(name), dict) and "Id" in payload[name] and "status" not in payload[name]:
                records.append(payload[name])
            records.extend(r for r in (payload.get("QueryResponse") or {}).get(name) or [] if "Id" in r)
        assert records, name
        models = []
        for record in records:
            if name in BY_ENTITY:
                kind = BY_ENTITY[name]
                models.append((invoice_to_xero if key == "Invoices" else credit_note_to_xero)(record, kind, t))
            elif key == "BankTransactions":
                models.append(bank_transaction_to_xero(record, name, t))
            elif key == "ManualJournals":
                models.append(journal_to_xero(record, t))
            elif key == "Contacts":
                models.append(contact_to_xero(record, name, t))
            else:
                models.append(bank_transfer_to_xero(record, t))
        conforms(xero_spec, path, key, models)
    assert sample("Invoice", "object_sample")["Invoice"]["Id"] == "130"  # the samples are read, never edited


def test_a_page_of_documents_builds_the_company_once_and_no_unshown_tracking_ids():
    """Issue 10: per-record work is not repeated: the company facts are built once per loaded pair, and a line without
    Class or Department hands out no TrackingCategory GUID (none is shown)."""
    t = tx(items=[entity("Item", "object_sample")], taxcodes=rows("TaxCode"))
    company = t.refs.company
    invoice = invoice_to_xero(entity("Invoice", "object_sample"), BY_ENTITY["Invoice"], t)
    assert t.refs.company is company
    assert all(line.Tracking is None for line in invoice.LineItems)
    assert {kind for _guid, kind, _id, _part in t.emitted} == {"Invoice", "Customer", "Account"}
