"""Explicit recipes that write: the walk's own records (phase CREATE), their updates (UPDATE), payments and
allocations on them (SETTLE) and, last, deletes (DELETE) that act only on records the walk created.

Rules the bodies respect (read in the native adapter): tax types on the side of the document
(:mod:`adapters.native.ledger.taxrules`: output VAT on sales, input VAT on purchases); allocations of at most the
remaining credit and the invoice's amount due, same contact (:mod:`adapters.native.resources.allocations`); a linked
transaction's source is an ``ACCPAY`` bill line and billed ones cannot be changed or deleted
(:mod:`adapters.native.resources.linked_transactions`); at most 2 active tracking categories, and only unused tracking
options and categories, and accounts without transactions, can be deleted
(:mod:`adapters.native.resources.tracking_categories`,
``ops_settings.delete_account``); currencies the ledger can name (:mod:`adapters.native.resources.settings_writes`).

The one change the walk makes to a demo record is temporary: ``createTrackingCategory`` archives a demo category to
make room and ``deleteTrackingCategory`` restores it.

The same bodies go to every source. Where a source's ledger differs in a way Xero allows (no draft documents, no
tracking, tax computed per transaction, accounts archived rather than deleted…), the recipe follows the source's
declaration in :mod:`tests.contract.requirements` and checks the documented alternative strictly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from adapters.native import codes
from tests.xero_spec import load_xero_spec

from .steps import Phase, RecipeFn, Registry, check_id, iso, line, remember, today
from .walker import Walker

recipe = Registry()


def tracking(w: Walker) -> dict[str, Any]:
    """A line item's ``Tracking`` on the company's first category option, where the source has categories."""
    return {"Tracking": [w.facts["tracking"]]} if w.implements("getTrackingCategories") else {}


def check_totals(w: Walker, document: dict[str, Any], subtotal: Decimal) -> None:
    """A sales document of one line at the source's output tax: its ``SubTotal`` is ``subtotal``, its ``Total``
    adds ``TotalTax`` and, where the source taxes each line at its TaxType's rate, ``TotalTax`` is that rate of
    ``subtotal``."""
    assert Decimal(str(document["SubTotal"])) == subtotal, document
    assert Decimal(str(document["Total"])) == subtotal + Decimal(str(document["TotalTax"])), document
    if w.has("line_tax_from_rate"):
        rate = w.facts["tax_rates"][w.facts["output_tax"]]
        assert Decimal(str(document["TotalTax"])) == subtotal * rate / 100, document


# Phase CREATE: the walk's own records -------------------------------------------------------------------------------

@recipe("createContacts", Phase.CREATE)
async def create_contacts(w: Walker) -> None:
    made = (await w.call("createContacts", json_body={"Contacts": [
        {"Name": "Conformance Walk Ltd", "ContactNumber": "CW-001", "FirstName": "Ada", "LastName": "Walker",
         "EmailAddress": "ada@conformance.example", "DefaultCurrency": w.facts["base_currency"]},
        {"Name": "Conformance Walk Partners", "ContactNumber": "CW-002"}]})).items()
    assert [c["Name"] for c in made] == ["Conformance Walk Ltd", "Conformance Walk Partners"]
    remember(w, "ContactID", made[0]["ContactID"])
    remember(w, "ContactID2", made[1]["ContactID"])


@recipe("createAccount", Phase.CREATE)
async def create_account(w: Walker) -> None:
    # A numeric code: some ledgers take only nominal numbers (Sage Accounting UK).
    code = next(str(n) for n in range(9100, 9200) if str(n) not in w.facts["account_codes"])
    account = (await w.call("createAccount", json_body={
        "Code": code, "Name": "Conformance walk costs", "Type": "EXPENSE", "TaxType": w.facts["input_tax"],
        "Description": "Created by the conformance walk"})).one()
    # Where the ledger pairs EXPENSE with OVERHEADS, the account reads back as OVERHEADS (both class EXPENSE).
    kind = "EXPENSE" if w.has("exact_account_types") else "OVERHEADS"
    assert account["Code"] == code and account["Type"] == kind and account["Class"] == "EXPENSE", account
    remember(w, "AccountID", account["AccountID"])


@recipe("createCurrency", Phase.CREATE)
async def create_currency(w: Walker) -> None:
    # A code of Xero's CurrencyCode enum that the ledger can name (adapters/native/resources/settings_writes.py) and the
    # demo company does not have yet.
    spec = load_xero_spec().spec["components"]["schemas"]["CurrencyCode"]
    known = codes.currency_names()
    code = next(c for c in spec["enum"] if c and c in known and c not in w.facts["currencies"])
    made = (await w.call("createCurrency", json_body={"Code": code, "Description": f"Currency {code}"})).one()
    assert made["Code"] == code


@recipe("createTaxRates", Phase.CREATE)
async def create_tax_rates(w: Walker) -> None:
    rate = (await w.call("createTaxRates", json_body={"TaxRates": [{
        "Name": "Conformance Levy", "ReportTaxType": "INPUT",
        "TaxComponents": [{"Name": "Levy", "Rate": 2.25}]}]})).one()
    assert rate["Name"] == "Conformance Levy" and Decimal(str(rate["EffectiveRate"])) == Decimal("2.25")
    remember(w, "TaxType", rate["TaxType"])


@recipe("createItems", Phase.CREATE)
async def create_items(w: Walker) -> None:
    item = (await w.call("createItems", json_body={"Items": [{
        "Code": "CW-ITEM", "Name": "Conformance widget", "Description": "Sold by the walk",
        "PurchaseDescription": "Bought by the walk",
        "SalesDetails": {"UnitPrice": 12.5, "AccountCode": w.facts["sales_account"], "TaxType": w.facts["output_tax"]},
        "PurchaseDetails": {"UnitPrice": 7.25, "AccountCode": w.facts["expense_account"],
                            "TaxType": w.facts["input_tax"]}}]})).one()
    assert item["Code"] == "CW-ITEM" and item["IsSold"] and item["IsPurchased"]
    remember(w, "ItemID", item["ItemID"])


@recipe("createContactGroup", Phase.CREATE)
async def create_contact_group(w: Walker) -> None:
    group = (await w.call("createContactGroup", json_body={"ContactGroups": [{"Name": "Conformance Walkers"}]})).one()
    assert group["Status"] == "ACTIVE"
    remember(w, "ContactGroupID", group["ContactGroupID"])


@recipe("createContactGroupContacts", Phase.CREATE)
async def create_contact_group_contacts(w: Walker) -> None:
    added = (await w.call("createContactGroupContacts", path={"ContactGroupID": w.owned("ContactGroupID")},
                          json_body={"Contacts": [{"ContactID": w.owned("ContactID")},
                                                  {"ContactID": w.owned("ContactID2")}]})).items()
    assert {c["ContactID"] for c in added} == {w.owned("ContactID"), w.owned("ContactID2")}


@recipe("createInvoices", Phase.CREATE)
async def create_invoices(w: Walker) -> None:
    due = iso(today() + dt.timedelta(days=30))
    sale = {"Type": "ACCREC", "Contact": {"ContactID": w.owned("ContactID")}, "Date": iso(today()), "DueDate": due,
            "Status": "AUTHORISED", "LineAmountTypes": "Exclusive", "Reference": "CW sale",
            "LineItems": [line(w, "sales", 100, 10, **tracking(w))]}
    bill = {"Type": "ACCPAY", "Contact": {"Name": w.facts["supplier"]["Name"]}, "Date": iso(today()), "DueDate": due,
            "Status": "AUTHORISED", "InvoiceNumber": "CW-BILL-1", "LineItems": [line(w, "purchases", 40)]}
    draft = {"Type": "ACCREC", "Contact": {"ContactID": w.owned("ContactID")}, "Date": iso(today()), "DueDate": due,
             "Status": "DRAFT", "LineItems": [line(w, "sales", 25)]}
    made = (await w.call("createInvoices", params={"unitdp": "4"},
                         json_body={"Invoices": [sale, bill, draft]})).items()
    # Where the source has no draft invoices, the draft is posted (AUTHORISED, with a warning).
    draft_status = "DRAFT" if w.has("draft_invoices") else "AUTHORISED"
    assert [(i["Type"], i["Status"]) for i in made] == [("ACCREC", "AUTHORISED"), ("ACCPAY", "AUTHORISED"),
                                                        ("ACCREC", draft_status)], made
    if draft_status != "DRAFT":
        assert made[2].get("Warnings"), f"a posted draft carries no warning: {made[2]}"
    check_totals(w, made[0], Decimal("1000"))  # 10 × 100 exclusive of tax (1200 with the demo's 20% VAT)
    remember(w, "InvoiceID", made[0]["InvoiceID"])
    remember(w, "BillID", made[1]["InvoiceID"])
    remember(w, "BillLineItemID", made[1]["LineItems"][0]["LineItemID"])
    remember(w, "DraftInvoiceID", made[2]["InvoiceID"])


@recipe("createCreditNotes", Phase.CREATE)
async def create_credit_notes(w: Walker) -> None:
    note = (await w.call("createCreditNotes", json_body={"CreditNotes": [{
        "Type": "ACCRECCREDIT", "Contact": {"ContactID": w.owned("ContactID")}, "Date": iso(today()),
        "Status": "AUTHORISED", "LineAmountTypes": "Exclusive", "LineItems": [line(w, "sales", 50)]}]})).one()
    check_totals(w, note, Decimal("50"))  # 60 with the demo's 20% VAT
    assert Decimal(str(note["RemainingCredit"])) == Decimal(str(note["Total"])), note
    remember(w, "CreditNoteID", note["CreditNoteID"])


@recipe("createBankTransactions", Phase.CREATE)
async def create_bank_transactions(w: Walker) -> None:
    bank = {"Code": w.facts["banks"][0]}
    spend = {"Type": "SPEND", "Contact": {"Name": w.facts["supplier"]["Name"]}, "BankAccount": bank,
             "Date": iso(today()), "LineAmountTypes": "Exclusive", "LineItems": [line(w, "purchases", 10)]}
    def overpayment() -> dict[str, Any]:
        return {"Type": "RECEIVE-OVERPAYMENT", "Contact": {"ContactID": w.owned("ContactID")}, "BankAccount": bank,
                "Date": iso(today()), "LineAmountTypes": "NoTax",
                "LineItems": [{"Description": "Paid twice", "LineAmount": 150}]}

    def prepayment() -> dict[str, Any]:
        return {"Type": "RECEIVE-PREPAYMENT", "Contact": {"ContactID": w.owned("ContactID")}, "BankAccount": bank,
                "Date": iso(today()), "LineAmountTypes": "Exclusive", "LineItems": [line(w, "sales", 100)]}
    # Over- and prepayments only where the source serves them (their reads and allocations) and can create them
    # from a bank transaction (built only then: a source without contacts has no walk contact).
    sent = [spend] + [element() for element, collection, requirement in (
        (overpayment, "Overpayments", "overpayments"), (prepayment, "Prepayments", "prepayments"))
        if w.implements(f"get{collection}") and w.has(requirement)]
    made = (await w.call("createBankTransactions", json_body={"BankTransactions": sent})).items()
    assert [t["Type"] for t in made] == [t["Type"] for t in sent]
    remember(w, "BankTransactionID", made[0]["BankTransactionID"])
    for element in made[1:]:
        key = "OverpaymentID" if element["Type"] == "RECEIVE-OVERPAYMENT" else "PrepaymentID"
        remember(w, key, element[key])


@recipe("createBankTransfer", Phase.CREATE)
async def create_bank_transfer(w: Walker) -> None:
    source, target = w.facts["banks"][:2]
    made = (await w.call("createBankTransfer", json_body={"BankTransfers": [
        {"FromBankAccount": {"Code": source}, "ToBankAccount": {"Code": target}, "Amount": "25.00",
         "Date": iso(today()), "Reference": "CW transfer 1"},
        {"FromBankAccount": {"Code": target}, "ToBankAccount": {"Code": source}, "Amount": "5.00",
         "Date": iso(today()), "Reference": "CW transfer 2"}]})).items()
    assert [Decimal(str(t["Amount"])) for t in made] == [Decimal("25"), Decimal("5")]
    remember(w, "BankTransferID", made[0]["BankTransferID"])
    remember(w, "BankTransferID2", made[1]["BankTransferID"])


def journal_body(w: Walker, status: str) -> dict[str, Any]:
    """A balanced two-line manual journal between the expense and the sales account, without tax."""
    return {"Narration": "Conformance walk reclassification", "Date": iso(today()), "Status": status,
            "JournalLines": [
                {"LineAmount": 30, "AccountCode": w.facts["expense_account"], "TaxType": w.facts["no_tax"],
                 "Description": "Debit"},
                {"LineAmount": -30, "AccountCode": w.facts["sales_account"], "TaxType": w.facts["no_tax"],
                 "Description": "Credit"}]}


@recipe("createManualJournals", Phase.CREATE)
async def create_manual_journals(w: Walker) -> None:
    # A draft where the source keeps drafts; else the journal is posted on creation.
    status = "DRAFT" if w.has("draft_manual_journals") else "POSTED"
    journal = (await w.call("createManualJournals", json_body={"ManualJournals": [journal_body(w, status)]})).one()
    assert journal["Status"] == status and len(journal["JournalLines"]) == 2, journal
    remember(w, "ManualJournalID", journal["ManualJournalID"])


@recipe("createQuotes", Phase.CREATE)
async def create_quotes(w: Walker) -> None:
    quote = (await w.call("createQuotes", json_body={"Quotes": [{
        "Contact": {"ContactID": w.owned("ContactID")}, "Date": iso(today()),
        "ExpiryDate": iso(today() + dt.timedelta(days=30)), "Title": "Conformance walk quote",
        "LineItems": [line(w, "sales", 40, 3)]}]})).one()
    assert quote["Status"] == "DRAFT"
    remember(w, "QuoteID", quote["QuoteID"])


@recipe("createPurchaseOrders", Phase.CREATE)
async def create_purchase_orders(w: Walker) -> None:
    order = (await w.call("createPurchaseOrders", json_body={"PurchaseOrders": [{
        "Contact": {"Name": w.facts["supplier"]["Name"]}, "Date": iso(today()),
        "DeliveryDate": iso(today() + dt.timedelta(days=7)), "AttentionTo": "Stores",
        "LineItems": [line(w, "purchases", "2.50", 10)]}]})).one()
    assert order["Status"] == ("DRAFT" if w.has("draft_purchase_orders") else "AUTHORISED"), order
    remember(w, "PurchaseOrderID", order["PurchaseOrderID"])


@recipe("createLinkedTransaction", Phase.CREATE)
async def create_linked_transaction(w: Walker) -> None:
    linked = (await w.call("createLinkedTransaction", json_body={
        "SourceTransactionID": w.owned("BillID"), "SourceLineItemID": w.owned("BillLineItemID"),
        "ContactID": w.owned("ContactID")})).one()
    assert linked["Status"] == "APPROVED" and linked["Type"] == "BILLABLEEXPENSE"
    remember(w, "LinkedTransactionID", linked["LinkedTransactionID"])


@recipe("createTrackingCategory", Phase.CREATE)
async def create_tracking_category(w: Walker) -> None:
    # The ledger allows 2 active categories and the demo has 2: archive the one the walk does not use on its
    # documents (restored by deleteTrackingCategory).
    spare = w.facts["tracking_categories"][-1]
    assert spare["TrackingCategoryID"] != w.ids["TrackingCategoryID"], "the demo needs two tracking categories"
    archived = (await w.call("updateTrackingCategory", path={"TrackingCategoryID": spare["TrackingCategoryID"]},
                             json_body={"Status": "ARCHIVED"})).one()
    assert archived["Status"] == "ARCHIVED"
    w.facts["archived_category"] = spare["TrackingCategoryID"]
    made = (await w.call("createTrackingCategory", json_body={"Name": "Conformance Project"})).one()
    assert made["Name"] == "Conformance Project" and made["Status"] == "ACTIVE"
    remember(w, "TrackingCategoryID", made["TrackingCategoryID"])


@recipe("createTrackingOptions", Phase.CREATE)
async def create_tracking_options(w: Walker) -> None:
    if not w.implements("createTrackingCategory"):
        # The option goes on a category of the company (the walk cannot create one on this source).
        w.own["TrackingCategoryID"] = w.ids["TrackingCategoryID"]
    option = (await w.call("createTrackingOptions", path={"TrackingCategoryID": w.owned("TrackingCategoryID")},
                           json_body={"Name": "Alpha"})).one("Options")
    assert option["Name"] == "Alpha"
    remember(w, "TrackingOptionID", option["TrackingOptionID"])


# Phase UPDATE: the walk's records -----------------------------------------------------------------------------------

@recipe("updateAccount", Phase.UPDATE)
async def update_account(w: Walker) -> None:
    answer = await w.call("updateAccount", path={"AccountID": w.owned("AccountID")},
                          json_body={"Accounts": [{"Name": "Conformance walk costs (renamed)"}]})
    assert check_id(answer, "AccountID", w.owned("AccountID"))["Name"] == "Conformance walk costs (renamed)"


@recipe("updateContact", Phase.UPDATE)
async def update_contact(w: Walker) -> None:
    answer = await w.call("updateContact", path={"ContactID": w.owned("ContactID")},
                          json_body={"Contacts": [{"EmailAddress": "accounts@conformance.example"}]})
    assert check_id(answer, "ContactID", w.owned("ContactID"))["EmailAddress"] == "accounts@conformance.example"


@recipe("updateOrCreateContacts", Phase.UPDATE)
async def update_or_create_contacts(w: Walker) -> None:
    made = (await w.call("updateOrCreateContacts", json_body={"Contacts": [
        {"ContactID": w.owned("ContactID2"), "FirstName": "Grace"}]})).one()
    assert made["ContactID"] == w.owned("ContactID2") and made["FirstName"] == "Grace"


@recipe("updateContactGroup", Phase.UPDATE)
async def update_contact_group(w: Walker) -> None:
    answer = await w.call("updateContactGroup", path={"ContactGroupID": w.owned("ContactGroupID")},
                          json_body={"ContactGroups": [{"Name": "Conformance Walkers (renamed)"}]})
    assert check_id(answer, "ContactGroupID", w.owned("ContactGroupID"))["Name"] == "Conformance Walkers (renamed)"


@recipe("updateItem", Phase.UPDATE)
async def update_item(w: Walker) -> None:
    answer = await w.call("updateItem", path={"ItemID": w.owned("ItemID")}, params={"unitdp": "4"},
                          json_body={"Items": [{"Code": "CW-ITEM", "Name": "Conformance widget (renamed)"}]})
    assert check_id(answer, "ItemID", w.owned("ItemID"))["Name"] == "Conformance widget (renamed)"


@recipe("updateOrCreateItems", Phase.UPDATE)
async def update_or_create_items(w: Walker) -> None:
    item = (await w.call("updateOrCreateItems", json_body={"Items": [
        {"Code": "CW-ITEM", "Description": "Upserted by code"}]})).one()
    assert item["ItemID"] == w.owned("ItemID") and item["Description"] == "Upserted by code"


@recipe("updateInvoice", Phase.UPDATE)
async def update_invoice(w: Walker) -> None:
    answer = await w.call("updateInvoice", path={"InvoiceID": w.owned("InvoiceID")},
                          json_body={"Invoices": [{"Reference": "CW sale (updated)"}]})
    assert check_id(answer, "InvoiceID", w.owned("InvoiceID"))["Reference"] == "CW sale (updated)"


async def _upsert_creates(w: Walker, operation_id: str, id_field: str, existing: str,
                          new: dict[str, Any]) -> None:
    """Where existing documents cannot be changed: an upsert naming ``existing`` answers Xero's 400
    ``ValidationException`` naming the element, and the upsert of ``new`` (no id) creates a document."""
    key = w.operations[operation_id].request_key
    refused = (await w.call(operation_id, json_body={key: [{id_field: existing, "Reference": new["Reference"]}]},
                            expect=400)).json()
    assert refused.get("Type") == "ValidationException", refused
    assert refused["Elements"][0].get("ValidationErrors"), refused
    made = (await w.call(operation_id, json_body={key: [new]})).one()
    assert made[id_field] != existing and made["Reference"] == new["Reference"], made


@recipe("updateOrCreateInvoices", Phase.UPDATE)
async def update_or_create_invoices(w: Walker) -> None:
    if not w.has("document_edits"):
        await _upsert_creates(w, "updateOrCreateInvoices", "InvoiceID", w.owned("DraftInvoiceID"), {
            "Type": "ACCREC", "Contact": {"ContactID": w.owned("ContactID")}, "Date": iso(today()),
            "DueDate": iso(today() + dt.timedelta(days=30)), "Status": "AUTHORISED", "Reference": "CW draft (upserted)",
            "LineItems": [line(w, "sales", 25)]})
        return
    made = (await w.call("updateOrCreateInvoices", json_body={"Invoices": [
        {"InvoiceID": w.owned("DraftInvoiceID"), "Reference": "CW draft (upserted)"}]})).one()
    assert made["InvoiceID"] == w.owned("DraftInvoiceID") and made["Reference"] == "CW draft (upserted)"


@recipe("updateCreditNote", Phase.UPDATE)
async def update_credit_note(w: Walker) -> None:
    answer = await w.call("updateCreditNote", path={"CreditNoteID": w.owned("CreditNoteID")},
                          json_body={"CreditNotes": [{"Reference": "CW credit (updated)"}]})
    assert check_id(answer, "CreditNoteID", w.owned("CreditNoteID"))["Reference"] == "CW credit (updated)"


@recipe("updateOrCreateCreditNotes", Phase.UPDATE)
async def update_or_create_credit_notes(w: Walker) -> None:
    if not w.has("document_edits"):
        await _upsert_creates(w, "updateOrCreateCreditNotes", "CreditNoteID", w.owned("CreditNoteID"), {
            "Type": "ACCRECCREDIT", "Contact": {"ContactID": w.owned("ContactID")}, "Date": iso(today()),
            "Status": "AUTHORISED", "Reference": "CW credit (upserted)", "LineItems": [line(w, "sales", 5)]})
        return
    made = (await w.call("updateOrCreateCreditNotes", json_body={"CreditNotes": [
        {"CreditNoteID": w.owned("CreditNoteID"), "Reference": "CW credit (upserted)"}]})).one()
    assert made["CreditNoteID"] == w.owned("CreditNoteID") and made["Reference"] == "CW credit (upserted)"


@recipe("updateBankTransaction", Phase.UPDATE)
async def update_bank_transaction(w: Walker) -> None:
    answer = await w.call("updateBankTransaction", path={"BankTransactionID": w.owned("BankTransactionID")},
                          json_body={"BankTransactions": [{"Reference": "CW spend (updated)"}]})
    assert check_id(answer, "BankTransactionID", w.owned("BankTransactionID"))["Reference"] == "CW spend (updated)"


@recipe("updateOrCreateBankTransactions", Phase.UPDATE)
async def update_or_create_bank_transactions(w: Walker) -> None:
    if not w.has("document_edits"):
        await _upsert_creates(w, "updateOrCreateBankTransactions", "BankTransactionID",
                              w.owned("BankTransactionID"), {
                                  "Type": "SPEND", "Contact": {"Name": w.facts["supplier"]["Name"]},
                                  "BankAccount": {"Code": w.facts["banks"][0]}, "Date": iso(today()),
                                  "Reference": "CW spend (upserted)", "LineItems": [line(w, "purchases", 5)]})
        return
    made = (await w.call("updateOrCreateBankTransactions", json_body={"BankTransactions": [
        {"BankTransactionID": w.owned("BankTransactionID"), "Reference": "CW spend (upserted)"}]})).one()
    assert made["BankTransactionID"] == w.owned("BankTransactionID") and made["Reference"] == "CW spend (upserted)"


@recipe("updateOrCreateManualJournals", Phase.UPDATE)
async def update_or_create_manual_journals(w: Walker) -> None:
    if not w.has("posted_manual_journal_edits"):
        # The walk's journal is posted and final: the upsert creates another one.
        sent = {**journal_body(w, "POSTED"), "Narration": "Conformance walk (upserted)"}
        made = (await w.call("updateOrCreateManualJournals", json_body={"ManualJournals": [sent]})).one()
        assert made["ManualJournalID"] != w.owned("ManualJournalID"), made
        assert made["Narration"] == "Conformance walk (upserted)", made
        w.own["ManualJournalID.upserted"] = made["ManualJournalID"]
        return
    made = (await w.call("updateOrCreateManualJournals", json_body={"ManualJournals": [
        {"ManualJournalID": w.owned("ManualJournalID"), "Narration": "Conformance walk (upserted)"}]})).one()
    assert made["ManualJournalID"] == w.owned("ManualJournalID") and made["Narration"] == "Conformance walk (upserted)"


@recipe("updateManualJournal", Phase.UPDATE)
async def update_manual_journal(w: Walker) -> None:
    # Post the walk's draft; a posted, final journal can only be deleted: the one the upsert made, when it made one,
    # so that the walk's own journal lives on for its history and attachments.
    status = "POSTED" if w.has("posted_manual_journal_edits") else "DELETED"
    target = w.owned("ManualJournalID") if status == "POSTED" else \
        w.own.get("ManualJournalID.upserted", w.owned("ManualJournalID"))
    answer = await w.call("updateManualJournal", path={"ManualJournalID": target},
                          json_body={"ManualJournals": [{"Status": status}]})
    assert check_id(answer, "ManualJournalID", target)["Status"] == status


@recipe("updateOrCreateQuotes", Phase.UPDATE)
async def update_or_create_quotes(w: Walker) -> None:
    made = (await w.call("updateOrCreateQuotes", json_body={"Quotes": [
        {"QuoteID": w.owned("QuoteID"), "Contact": {"ContactID": w.owned("ContactID")}, "Date": iso(today()),
         "Title": "Conformance walk quote (upserted)"}]})).one()
    assert made["QuoteID"] == w.owned("QuoteID") and made["Title"] == "Conformance walk quote (upserted)"


@recipe("updateQuote", Phase.UPDATE)
async def update_quote(w: Walker) -> None:
    answer = await w.call("updateQuote", path={"QuoteID": w.owned("QuoteID")},
                          json_body={"Quotes": [{"Status": "SENT"}]})
    assert check_id(answer, "QuoteID", w.owned("QuoteID"))["Status"] == "SENT"


@recipe("updateOrCreatePurchaseOrders", Phase.UPDATE)
async def update_or_create_purchase_orders(w: Walker) -> None:
    made = (await w.call("updateOrCreatePurchaseOrders", json_body={"PurchaseOrders": [
        {"PurchaseOrderID": w.owned("PurchaseOrderID"), "DeliveryInstructions": "Leave at reception"}]})).one()
    assert made["PurchaseOrderID"] == w.owned("PurchaseOrderID")
    assert made["DeliveryInstructions"] == "Leave at reception"


@recipe("updatePurchaseOrder", Phase.UPDATE)
async def update_purchase_order(w: Walker) -> None:
    answer = await w.call("updatePurchaseOrder", path={"PurchaseOrderID": w.owned("PurchaseOrderID")},
                          json_body={"PurchaseOrders": [{"Status": "AUTHORISED"}]})
    assert check_id(answer, "PurchaseOrderID", w.owned("PurchaseOrderID"))["Status"] == "AUTHORISED"


@recipe("updateLinkedTransaction", Phase.UPDATE)
async def update_linked_transaction(w: Walker) -> None:
    answer = await w.call("updateLinkedTransaction", path={"LinkedTransactionID": w.owned("LinkedTransactionID")},
                          json_body={"LinkedTransactions": [{"TargetTransactionID": w.owned("DraftInvoiceID")}]})
    linked = check_id(answer, "LinkedTransactionID", w.owned("LinkedTransactionID"))
    assert linked["TargetTransactionID"] == w.owned("DraftInvoiceID") and linked["Status"] == "ONDRAFT"


@recipe("getLinkedTransaction", Phase.UPDATE)
async def get_linked_transaction(w: Walker) -> None:
    # The demo company has no linked transaction: read the walk's own.
    answer = await w.call("getLinkedTransaction", path={"LinkedTransactionID": w.owned("LinkedTransactionID")})
    check_id(answer, "LinkedTransactionID", w.owned("LinkedTransactionID"))


@recipe("updateTaxRate", Phase.UPDATE)
async def update_tax_rate(w: Walker) -> None:
    rate = (await w.call("updateTaxRate", json_body={"TaxRates": [{
        "TaxType": w.owned("TaxType"), "Name": "Conformance Levy (renamed)", "ReportTaxType": "INPUT",
        "TaxComponents": [{"Name": "Levy", "Rate": 2.5}]}]})).one()
    assert rate["TaxType"] == w.owned("TaxType") and rate["Name"] == "Conformance Levy (renamed)"


@recipe("updateTrackingCategory", Phase.UPDATE)
async def update_tracking_category(w: Walker) -> None:
    answer = await w.call("updateTrackingCategory", path={"TrackingCategoryID": w.owned("TrackingCategoryID")},
                          json_body={"Name": "Conformance Project (renamed)"})
    assert check_id(answer, "TrackingCategoryID", w.owned("TrackingCategoryID"))["Name"] == (
        "Conformance Project (renamed)")


@recipe("updateTrackingOptions", Phase.UPDATE)
async def update_tracking_options(w: Walker) -> None:
    option = (await w.call("updateTrackingOptions", path={"TrackingCategoryID": w.owned("TrackingCategoryID"),
                                                          "TrackingOptionID": w.owned("TrackingOptionID")},
                           json_body={"Name": "Beta"})).one("Options")
    assert option["TrackingOptionID"] == w.owned("TrackingOptionID") and option["Name"] == "Beta"


# Phase SETTLE: payments and allocations on the walk's documents ----------------------------------------------------

def _payment(w: Walker, amount: int) -> dict[str, Any]:
    return {"Invoice": {"InvoiceID": w.owned("InvoiceID")}, "Account": {"Code": w.facts["banks"][0]},
            "Date": iso(today()), "Amount": amount, "Reference": "CW payment"}


@recipe("createPayments", Phase.SETTLE)
async def create_payments(w: Walker) -> None:
    payment = (await w.call("createPayments", json_body={"Payments": [_payment(w, 100)]})).one()
    assert payment["Status"] == "AUTHORISED" and Decimal(str(payment["Amount"])) == Decimal("100")
    remember(w, "PaymentID2", payment["PaymentID"])


@recipe("createPayment", Phase.SETTLE)
async def create_payment(w: Walker) -> None:
    payment = (await w.call("createPayment", json_body=_payment(w, 100))).one()
    assert payment["Invoice"]["InvoiceID"] == w.owned("InvoiceID")
    remember(w, "PaymentID", payment["PaymentID"])


def _allocate(operation_id: str, resource: str, param: str, amount: int, requirement: str | None = None) -> RecipeFn:
    """Allocate part of the walk's credit to the walk's invoice (within remaining credit and amount due).

    Where the source cannot create the credit (``requirement`` lacking: no over- or prepayment from a bank
    transaction), the company's own one (its list's first) is allocated to an open invoice of its contact, and the
    walk's later steps (history, deallocation) act on it.
    """
    async def run(w: Walker) -> None:
        credit: dict[str, Any] | None = None  # the company's own credit, when the walk cannot create one
        if requirement is None or w.has(requirement):
            invoice_id = w.owned("InvoiceID")
        else:
            w.own[param] = w.ids[param]
            credit = (await w.call(f"get{resource[:-1]}", path={param: w.ids[param]})).one()
            kind = "ACCREC" if credit["Type"].startswith("RECEIVE") else "ACCPAY"
            open_invoices = (await w.call("getInvoices", params={
                "ContactIDs": credit["Contact"]["ContactID"], "Statuses": "AUTHORISED", "where": f'Type=="{kind}"',
                "page": "1"})).items()
            invoice_id = next((i["InvoiceID"] for i in open_invoices if Decimal(str(i["AmountDue"])) >= amount), None)
            assert invoice_id, f"the company's {resource[:-1]} has no open invoice of its contact to allocate to"
        allocation = (await w.call(operation_id, path={param: w.owned(param)}, json_body={"Allocations": [
            {"Invoice": {"InvoiceID": invoice_id}, "Amount": amount, "Date": iso(today())}]})).one()
        assert Decimal(str(allocation["Amount"])) == amount
        if credit is not None:
            after = (await w.call(f"get{resource[:-1]}", path={param: w.owned(param)})).one()
            assert Decimal(str(after["RemainingCredit"])) == Decimal(str(credit["RemainingCredit"])) - amount, after
        remember(w, f"{resource}.AllocationID", allocation["AllocationID"])
    run.__name__ = f"allocate_{operation_id}"
    return run


recipe("createCreditNoteAllocation", Phase.SETTLE)(_allocate("createCreditNoteAllocation", "CreditNotes",
                                                             "CreditNoteID", 20))
recipe("createOverpaymentAllocations", Phase.SETTLE)(_allocate("createOverpaymentAllocations", "Overpayments",
                                                               "OverpaymentID", 50, "overpayments"))
recipe("createPrepaymentAllocations", Phase.SETTLE)(_allocate("createPrepaymentAllocations", "Prepayments",
                                                              "PrepaymentID", 50, "prepayments"))


# Phase DELETE: only records the walk created ------------------------------------------------------------------------

def _deallocate(operation_id: str, resource: str, param: str) -> RecipeFn:
    async def run(w: Walker) -> None:
        allocation_id = w.owned(f"{resource}.AllocationID")
        body = (await w.call(operation_id, path={param: w.owned(param), "AllocationID": allocation_id})).json()
        assert body["AllocationID"] == allocation_id and body["IsDeleted"] is True
    run.__name__ = f"deallocate_{operation_id}"
    return run


recipe("deleteCreditNoteAllocations", Phase.DELETE)(_deallocate("deleteCreditNoteAllocations", "CreditNotes",
                                                                "CreditNoteID"))
recipe("deleteOverpaymentAllocations", Phase.DELETE)(_deallocate("deleteOverpaymentAllocations", "Overpayments",
                                                                 "OverpaymentID"))
recipe("deletePrepaymentAllocations", Phase.DELETE)(_deallocate("deletePrepaymentAllocations", "Prepayments",
                                                                "PrepaymentID"))


@recipe("deletePayment", Phase.DELETE)
async def delete_payment(w: Walker) -> None:
    answer = await w.call("deletePayment", path={"PaymentID": w.owned("PaymentID")}, json_body={"Status": "DELETED"})
    assert check_id(answer, "PaymentID", w.owned("PaymentID"))["Status"] == "DELETED"


@recipe("deleteLinkedTransaction", Phase.DELETE)
async def delete_linked_transaction(w: Walker) -> None:
    answer = await w.call("deleteLinkedTransaction", path={"LinkedTransactionID": w.owned("LinkedTransactionID")})
    assert answer.body == b""
    await w.call("getLinkedTransaction", path={"LinkedTransactionID": w.owned("LinkedTransactionID")}, expect=404)


@recipe("deleteContactGroupContact", Phase.DELETE)
async def delete_contact_group_contact(w: Walker) -> None:
    await w.call("deleteContactGroupContact", path={"ContactGroupID": w.owned("ContactGroupID"),
                                                    "ContactID": w.owned("ContactID2")})
    group = (await w.call("getContactGroup", path={"ContactGroupID": w.owned("ContactGroupID")})).one()
    assert [c["ContactID"] for c in group["Contacts"]] == [w.owned("ContactID")]


@recipe("deleteContactGroupContacts", Phase.DELETE)
async def delete_contact_group_contacts(w: Walker) -> None:
    await w.call("deleteContactGroupContacts", path={"ContactGroupID": w.owned("ContactGroupID")})
    group = (await w.call("getContactGroup", path={"ContactGroupID": w.owned("ContactGroupID")})).one()
    assert group.get("Contacts", []) == []


@recipe("deleteItem", Phase.DELETE)
async def delete_item(w: Walker) -> None:
    await w.call("deleteItem", path={"ItemID": w.owned("ItemID")})
    await w.call("getItem", path={"ItemID": w.owned("ItemID")}, expect=404)


@recipe("deleteTrackingOptions", Phase.DELETE)
async def delete_tracking_options(w: Walker) -> None:
    answer = await w.call("deleteTrackingOptions", path={"TrackingCategoryID": w.owned("TrackingCategoryID"),
                                                         "TrackingOptionID": w.owned("TrackingOptionID")})
    option = answer.one("Options")
    assert option["TrackingOptionID"] == w.owned("TrackingOptionID") and option["Status"] == "DELETED"


@recipe("deleteTrackingCategory", Phase.DELETE)
async def delete_tracking_category(w: Walker) -> None:
    answer = await w.call("deleteTrackingCategory", path={"TrackingCategoryID": w.owned("TrackingCategoryID")})
    assert check_id(answer, "TrackingCategoryID", w.owned("TrackingCategoryID"))["Status"] == "DELETED"
    restored = (await w.call("updateTrackingCategory", path={"TrackingCategoryID": w.facts["archived_category"]},
                             json_body={"Status": "ACTIVE"})).one()
    assert restored["Status"] == "ACTIVE"


@recipe("deleteBankTransfer", Phase.DELETE)
async def delete_bank_transfer(w: Walker) -> None:
    answer = await w.call("deleteBankTransfer", path={"BankTransferID": w.owned("BankTransferID")},
                          json_body={"Status": "DELETED"})
    assert check_id(answer, "BankTransferID", w.owned("BankTransferID"))["Status"] == "DELETED"


@recipe("deleteBankTransfers", Phase.DELETE)
async def delete_bank_transfers(w: Walker) -> None:
    deleted = (await w.call("deleteBankTransfers", json_body={"BankTransfers": [
        {"BankTransferID": w.owned("BankTransferID2"), "Status": "DELETED"}]})).one()
    assert deleted["BankTransferID"] == w.owned("BankTransferID2") and deleted["Status"] == "DELETED"


@recipe("deleteAccount", Phase.DELETE)
async def delete_account(w: Walker) -> None:
    answer = await w.call("deleteAccount", path={"AccountID": w.owned("AccountID")})
    deleted = check_id(answer, "AccountID", w.owned("AccountID"))
    assert deleted["Status"] == ("DELETED" if w.has("account_deletion") else "ARCHIVED"), deleted


# Classic expenses and e-mailed invoices --------------------------------------------------------------------------
# A receipt's lines go to an account shown in expense claims (Xero offers only those); the claim groups the walk's
# second receipt, the first keeps its history and attachments (families, phase NOTES) as a DRAFT.

@recipe("createReceipt", Phase.CREATE)
async def create_receipt(w: Walker) -> None:
    accounts = (await w.call("getAccounts", params={"where": "ShowInExpenseClaims==true", "order": "Code"})).items()
    accounts.sort(key=lambda a: a.get("TaxType") != w.facts["input_tax"])
    assert accounts, "the company has no account shown in expense claims"
    receipt_line = {"Description": "Conformance walk taxi", "Quantity": 2, "UnitAmount": 15,
                    "AccountCode": accounts[0]["Code"], "TaxType": w.facts["input_tax"]}
    element = {"User": {"UserID": w.ids["UserID"]}, "Contact": {"ContactID": w.owned("ContactID")},
               "Date": iso(today()), "LineAmountTypes": "Exclusive", "LineItems": [receipt_line]}
    made = (await w.call("createReceipt", params={"unitdp": "4"}, json_body={"Receipts": [
        {**element, "Reference": "CW receipt"}, {**element, "Reference": "CW claimed receipt"}]})).items()
    assert [(r["Status"], r["User"]["UserID"]) for r in made] == [("DRAFT", w.ids["UserID"])] * 2, made
    assert Decimal(str(made[0]["SubTotal"])) == Decimal("30"), made[0]
    remember(w, "ReceiptID", made[0]["ReceiptID"])
    remember(w, "ClaimReceiptID", made[1]["ReceiptID"])


@recipe("getReceipts", Phase.UPDATE)
async def get_receipts(w: Walker) -> None:
    listed = (await w.call("getReceipts", params={"where": 'Reference.StartsWith("CW ")', "order": "ReceiptNumber",
                                                  "unitdp": "4"})).items()
    assert {r["ReceiptID"] for r in listed} == {w.owned("ReceiptID"), w.owned("ClaimReceiptID")}, listed


@recipe("getReceipt", Phase.UPDATE)
async def get_receipt(w: Walker) -> None:
    check_id(await w.call("getReceipt", path={"ReceiptID": w.owned("ReceiptID")}), "ReceiptID", w.owned("ReceiptID"))


@recipe("updateReceipt", Phase.UPDATE)
async def update_receipt(w: Walker) -> None:
    answer = await w.call("updateReceipt", path={"ReceiptID": w.owned("ReceiptID")},
                          json_body={"Receipts": [{"Reference": "CW receipt (edited)"}]})
    assert check_id(answer, "ReceiptID", w.owned("ReceiptID"))["Reference"] == "CW receipt (edited)"


@recipe("createExpenseClaims", Phase.UPDATE)
async def create_expense_claims(w: Walker) -> None:
    claim = (await w.call("createExpenseClaims", json_body={"ExpenseClaims": [{
        "Status": "SUBMITTED", "User": {"UserID": w.ids["UserID"]},
        "Receipts": [{"ReceiptID": w.owned("ClaimReceiptID")}]}]})).one()
    assert claim["Status"] == "SUBMITTED" and [r["Status"] for r in claim["Receipts"]] == ["SUBMITTED"], claim
    remember(w, "ExpenseClaimID", claim["ExpenseClaimID"])


@recipe("getExpenseClaims", Phase.UPDATE)
async def get_expense_claims(w: Walker) -> None:
    listed = (await w.call("getExpenseClaims", params={"where": 'Status=="SUBMITTED"'})).items()
    assert w.owned("ExpenseClaimID") in [c["ExpenseClaimID"] for c in listed], listed


@recipe("getExpenseClaim", Phase.UPDATE)
async def get_expense_claim(w: Walker) -> None:
    claim = check_id(await w.call("getExpenseClaim", path={"ExpenseClaimID": w.owned("ExpenseClaimID")}),
                     "ExpenseClaimID", w.owned("ExpenseClaimID"))
    assert [r["ReceiptID"] for r in claim["Receipts"]] == [w.owned("ClaimReceiptID")], claim


@recipe("updateExpenseClaim", Phase.SETTLE)
async def update_expense_claim(w: Walker) -> None:
    answer = await w.call("updateExpenseClaim", path={"ExpenseClaimID": w.owned("ExpenseClaimID")},
                          json_body={"ExpenseClaims": [{"Status": "AUTHORISED"}]})
    claim = check_id(answer, "ExpenseClaimID", w.owned("ExpenseClaimID"))
    assert claim["Status"] == "AUTHORISED" and claim["AmountDue"] == claim["Total"] > 0, claim


@recipe("emailInvoice", Phase.SETTLE)
async def email_invoice(w: Walker) -> None:
    # The walk's sale goes to its own contact, who has an e-mail address; the stack's SMTP server receives it
    # (the address the contact has now: updateContact may have changed it).
    mailbox = getattr(w.stack, "mailbox", None)
    before = len(mailbox.messages) if mailbox is not None else 0
    answer = await w.call("emailInvoice", path={"InvoiceID": w.owned("InvoiceID")}, json_body={})
    assert answer.body == b"", answer.excerpt()
    if mailbox is not None:
        contact = (await w.call("getContact", path={"ContactID": w.owned("ContactID")})).one()
        assert len(mailbox.messages) == before + 1
        assert mailbox.messages[-1].rcpt_tos == [contact["EmailAddress"]], contact
