"""Explicit recipes that read the demo company: its lists (phase LOOKUP, which resolves the ids and facts every
other recipe uses: contacts, account codes by type, tax types by side, tracking options…), then single records
and reports (phase READ). Each single read checks that the answer is the record asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from .steps import Phase, RecipeFn, Registry, check_id, iso, today
from .walker import Walker

recipe = Registry()


# Phase LOOKUP: the demo company's lists ------------------------------------------------------------------------------

@recipe("getOrganisations", Phase.LOOKUP)
async def get_organisations(w: Walker) -> None:
    org = (await w.call("getOrganisations")).one()
    w.ids["OrganisationID"] = org["OrganisationID"]
    w.facts["base_currency"] = org["BaseCurrency"]


@recipe("getTaxRates", Phase.LOOKUP)
async def get_tax_rates(w: Walker) -> None:
    rates = (await w.call("getTaxRates")).items()
    active = [r for r in rates if r.get("Status") == "ACTIVE"]

    def pick(report: str, flag: str) -> str:
        # The side's report type where the source names one (UK VAT), else the side's flag (US sales tax has no
        # input tax); a rate of that side only, then a positive rate first, so that the walk's documents carry
        # tax where the source has it.
        other = "CanApplyToExpenses" if flag == "CanApplyToRevenue" else "CanApplyToRevenue"
        side = [r for r in active if r.get(flag) and r.get("ReportTaxType") in (report, None)]
        side.sort(key=lambda r: (r.get("ReportTaxType") != report, bool(r.get(other)),
                                 Decimal(str(r.get("EffectiveRate") or 0)) <= 0))
        assert side, f"no active tax rate applies to the {report} side"
        return side[0]["TaxType"]

    w.facts["output_tax"] = pick("OUTPUT", "CanApplyToRevenue")
    w.facts["input_tax"] = pick("INPUT", "CanApplyToExpenses")
    w.facts["no_tax"] = next(r["TaxType"] for r in active if r.get("ReportTaxType") == "NONE" or (
        r.get("ReportTaxType") is None and Decimal(str(r.get("EffectiveRate") or 0)) == 0
        and r.get("CanApplyToRevenue") and r.get("CanApplyToExpenses")))
    w.ids["TaxType"] = w.facts["output_tax"]
    w.facts["tax_rates"] = {r["TaxType"]: Decimal(str(r.get("EffectiveRate") or 0)) for r in active}
    filtered = (await w.call("getTaxRates", params={"where": 'Status=="ACTIVE"', "order": "Name DESC"})).items()
    assert filtered and all(r["Status"] == "ACTIVE" for r in filtered)


@recipe("getAccounts", Phase.LOOKUP)
async def get_accounts(w: Walker) -> None:
    accounts = [a for a in (await w.call("getAccounts")).items() if a.get("Status") == "ACTIVE"]
    w.ids["AccountID"] = accounts[0]["AccountID"]

    def pick(types: tuple[str, ...], tax: str) -> str:
        # The side's account carrying the side's tax type where the source sets one (else any of the side).
        side = [a for a in accounts if a["Type"] in types and a.get("Code") and not a.get("SystemAccount")]
        side.sort(key=lambda a: a.get("TaxType") != tax)
        assert side, f"the company has no active {'/'.join(types)} account with a code"
        return side[0]["Code"]

    w.facts["sales_account"] = pick(("REVENUE", "SALES"), w.facts["output_tax"])
    w.facts["expense_account"] = pick(("EXPENSE", "OVERHEADS", "DIRECTCOSTS"), w.facts["input_tax"])
    banks = (await w.call("getAccounts", params={"where": 'Type=="BANK"', "order": "Code"})).items()
    w.facts["banks"] = [a["Code"] for a in banks if a.get("Status") == "ACTIVE"]
    assert len(w.facts["banks"]) >= 2, "the walk's bank transfers need two bank accounts"
    w.facts["account_codes"] = {a["Code"] for a in accounts if a.get("Code")}


@recipe("getCurrencies", Phase.LOOKUP)
async def get_currencies(w: Walker) -> None:
    currencies = (await w.call("getCurrencies", params={"order": "Code"})).items()
    codes = {c["Code"] for c in currencies}
    assert w.facts["base_currency"] in codes
    w.facts["currencies"] = codes


@recipe("getContacts", Phase.LOOKUP)
async def get_contacts(w: Walker) -> None:
    contacts = (await w.call("getContacts", params={"page": "1", "pageSize": "100"})).items()
    customers = sorted((c for c in contacts if c.get("IsCustomer")), key=lambda c: not c.get("ContactNumber"))
    customer = customers[0]
    supplier = next(c for c in contacts if c.get("IsSupplier"))
    w.ids["ContactID"] = customer["ContactID"]
    if customer.get("ContactNumber"):
        w.ids["ContactNumber"] = customer["ContactNumber"]
    w.facts["customer"], w.facts["supplier"] = customer, supplier
    summary = (await w.call("getContacts", params={"summaryOnly": "true", "searchTerm": customer["Name"][:5]}))
    assert customer["ContactID"] in {c["ContactID"] for c in summary.items()}


@recipe("getInvoices", Phase.LOOKUP)
async def get_invoices(w: Walker) -> None:
    invoices = (await w.call("getInvoices", params={"page": "1", "where": 'Type=="ACCREC"',
                                                    "order": "Date DESC"})).items()
    w.ids["InvoiceID"] = invoices[0]["InvoiceID"]
    bills = (await w.call("getInvoices", params={"Statuses": "AUTHORISED,PAID", "where": 'Type=="ACCPAY"'})).items()
    assert bills and all(b["Type"] == "ACCPAY" for b in bills)


@recipe("getCreditNotes", Phase.LOOKUP)
async def get_credit_notes(w: Walker) -> None:
    notes = (await w.call("getCreditNotes", params={"page": "1", "order": "Date"})).items()
    w.ids["CreditNoteID"] = notes[0]["CreditNoteID"]


@recipe("getPayments", Phase.LOOKUP)
async def get_payments(w: Walker) -> None:
    payments = (await w.call("getPayments", params={"where": 'Status=="AUTHORISED"', "page": "1"})).items()
    w.ids["PaymentID"] = payments[0]["PaymentID"]


@recipe("getOverpayments", Phase.LOOKUP)
async def get_overpayments(w: Walker) -> None:
    w.ids["OverpaymentID"] = (await w.call("getOverpayments", params={"page": "1"})).items()[0]["OverpaymentID"]


@recipe("getPrepayments", Phase.LOOKUP)
async def get_prepayments(w: Walker) -> None:
    w.ids["PrepaymentID"] = (await w.call("getPrepayments", params={"page": "1"})).items()[0]["PrepaymentID"]


@recipe("getBankTransactions", Phase.LOOKUP)
async def get_bank_transactions(w: Walker) -> None:
    txs = (await w.call("getBankTransactions", params={"page": "1", "where": 'Type=="SPEND"'})).items()
    w.ids["BankTransactionID"] = txs[0]["BankTransactionID"]


@recipe("getBankTransfers", Phase.LOOKUP)
async def get_bank_transfers(w: Walker) -> None:
    w.ids["BankTransferID"] = (await w.call("getBankTransfers")).items()[0]["BankTransferID"]


@recipe("getManualJournals", Phase.LOOKUP)
async def get_manual_journals(w: Walker) -> None:
    journals = (await w.call("getManualJournals", params={"page": "1"})).items()
    w.ids["ManualJournalID"] = journals[0]["ManualJournalID"]


@recipe("getItems", Phase.LOOKUP)
async def get_items(w: Walker) -> None:
    w.ids["ItemID"] = (await w.call("getItems", params={"order": "Code"})).items()[0]["ItemID"]


@recipe("getQuotes", Phase.LOOKUP)
async def get_quotes(w: Walker) -> None:
    w.ids["QuoteID"] = (await w.call("getQuotes", params={"page": "1"})).items()[0]["QuoteID"]


@recipe("getPurchaseOrders", Phase.LOOKUP)
async def get_purchase_orders(w: Walker) -> None:
    order = (await w.call("getPurchaseOrders", params={"page": "1"})).items()[0]
    w.ids["PurchaseOrderID"] = order["PurchaseOrderID"]
    w.ids["PurchaseOrderNumber"] = order["PurchaseOrderNumber"]


@recipe("getLinkedTransactions", Phase.LOOKUP)
async def get_linked_transactions(w: Walker) -> None:
    await w.call("getLinkedTransactions", params={"page": "1"})


@recipe("getRepeatingInvoices", Phase.LOOKUP)
async def get_repeating_invoices(w: Walker) -> None:
    templates = (await w.call("getRepeatingInvoices")).items()
    assert templates, "the demo company has repeating invoices"
    w.ids["RepeatingInvoiceID"] = templates[0]["RepeatingInvoiceID"]
    if not w.implements("createRepeatingInvoices"):
        # A source that serves them read only: the walk's notes go on the demo template (its only change to it).
        w.own["RepeatingInvoiceID"] = templates[0]["RepeatingInvoiceID"]


@recipe("getContactGroups", Phase.LOOKUP)
async def get_contact_groups(w: Walker) -> None:
    groups = (await w.call("getContactGroups")).items()
    if w.has("demo_contact_groups"):
        w.ids["ContactGroupID"] = groups[0]["ContactGroupID"]


@recipe("getTrackingCategories", Phase.LOOKUP)
async def get_tracking_categories(w: Walker) -> None:
    categories = (await w.call("getTrackingCategories")).items()
    assert categories and categories[0]["Options"], "the demo company has tracking categories with options"
    w.ids["TrackingCategoryID"] = categories[0]["TrackingCategoryID"]
    w.ids["TrackingOptionID"] = categories[0]["Options"][0]["TrackingOptionID"]
    w.facts["tracking"] = {"Name": categories[0]["Name"], "Option": categories[0]["Options"][0]["Name"]}
    w.facts["tracking_categories"] = categories
    await w.call("getTrackingCategories", params={"includeArchived": "true"})


@recipe("getUsers", Phase.LOOKUP)
async def get_users(w: Walker) -> None:
    w.ids["UserID"] = (await w.call("getUsers")).items()[0]["UserID"]


@recipe("getBrandingThemes", Phase.LOOKUP)
async def get_branding_themes(w: Walker) -> None:
    w.ids["BrandingThemeID"] = (await w.call("getBrandingThemes")).items()[0]["BrandingThemeID"]


@recipe("getJournals", Phase.LOOKUP)
async def get_journals(w: Walker) -> None:
    journals = (await w.call("getJournals")).items()
    w.ids["JournalID"] = journals[0]["JournalID"]
    w.ids["JournalNumber"] = str(journals[0]["JournalNumber"])
    later = (await w.call("getJournals", params={"offset": str(journals[0]["JournalNumber"]),
                                                 "paymentsOnly": "false"})).items()
    assert all(j["JournalNumber"] > journals[0]["JournalNumber"] for j in later)


# Phase READ: single demo records and reports ------------------------------------------------------------------------

#: Path parameters whose values some sources' data lacks → the requirement naming it.
_KEYS_REQUIRING = {"ContactNumber": "contact_numbers", "ContactGroupID": "demo_contact_groups"}


def _read_one(operation_id: str, param: str) -> RecipeFn:
    """A recipe reading one demo record by the id the lists resolved, checking it is that record (the answer's
    field of the path parameter's name holds the requested value)."""
    async def run(w: Walker) -> None:
        if param in _KEYS_REQUIRING:
            w.require(_KEYS_REQUIRING[param], operation_id)
        check_id(await w.call(operation_id), param, w.ids[param])
    run.__name__ = f"read_{operation_id}"
    return run


for _op, _param in (
    ("getAccount", "AccountID"), ("getContact", "ContactID"), ("getContactByContactNumber", "ContactNumber"),
    ("getInvoice", "InvoiceID"), ("getCreditNote", "CreditNoteID"), ("getPayment", "PaymentID"),
    ("getOverpayment", "OverpaymentID"), ("getPrepayment", "PrepaymentID"),
    ("getBankTransaction", "BankTransactionID"), ("getBankTransfer", "BankTransferID"),
    ("getManualJournal", "ManualJournalID"), ("getItem", "ItemID"), ("getQuote", "QuoteID"),
    ("getPurchaseOrder", "PurchaseOrderID"), ("getPurchaseOrderByNumber", "PurchaseOrderNumber"),
    ("getContactGroup", "ContactGroupID"), ("getTrackingCategory", "TrackingCategoryID"), ("getUser", "UserID"),
    ("getBrandingTheme", "BrandingThemeID"), ("getJournal", "JournalID"), ("getJournalByNumber", "JournalNumber"),
    ("getTaxRateByTaxType", "TaxType"), ("getRepeatingInvoice", "RepeatingInvoiceID"),
):
    recipe(_op, Phase.READ)(_read_one(_op, _param))


@recipe("getBrandingThemePaymentServices", Phase.READ)
async def get_branding_theme_payment_services(w: Walker) -> None:
    await w.call("getBrandingThemePaymentServices")


@recipe("getOrganisationActions", Phase.READ)
async def get_organisation_actions(w: Walker) -> None:
    assert (await w.call("getOrganisationActions")).items("Actions")


@recipe("getOrganisationCISSettings", Phase.READ)
async def get_organisation_cis_settings(w: Walker) -> None:
    assert (await w.call("getOrganisationCISSettings")).items()


#: Reports built from every posting of the company.
_LEDGER_REPORTS = ("getReportProfitAndLoss", "getReportBalanceSheet", "getReportTrialBalance", "getReportBankSummary")


def _report(operation_id: str, params: Callable[[Walker], dict[str, str]],
            options: Callable[[Walker], dict[str, dict[str, str]]] = lambda w: {}) -> RecipeFn:
    """A recipe reading one report with documented query parameters; the answer holds exactly one report.

    ``options`` maps a requirement (``report_tracking``, ``report_periods``) to further parameters: a source
    providing it answers the report with them too, a source declaring it lacking answers Xero's 501 (or its 400
    when the parameter names an id the company cannot have).
    """
    async def run(w: Walker) -> None:
        if operation_id in _LEDGER_REPORTS:
            w.require("ledger_reports", operation_id)
        report = (await w.call(operation_id, params=params(w))).one("Reports")
        assert report.get("Rows") is not None, f"{operation_id}: the report has no Rows"
        for requirement, extra in options(w).items():
            if w.has(requirement):
                report = (await w.call(operation_id, params={**params(w), **extra})).one("Reports")
                assert report.get("Rows") is not None, f"{operation_id} with {extra}: the report has no Rows"
            else:
                # Xero's 501 for a parameter the source cannot serve, or its 400 for an id the company lacks.
                error = (await w.call(operation_id, params={**params(w), **extra}, expect=(400, 501))).json()
                assert error.get("Type") in ("NotImplementedException", "ValidationException"), error
    run.__name__ = f"report_{operation_id}"
    return run


def _year_ago(w: Walker) -> str:
    return iso(today() - dt.timedelta(days=365))


#: A well-formed GUID for a tracking parameter on a source without tracking categories (its answer is the 501).
_NO_TRACKING = "00000000-0000-0000-0000-0000000000c2"


def _tracking_category(w: Walker) -> dict[str, dict[str, str]]:
    return {"report_tracking": {"trackingCategoryID": w.ids.get("TrackingCategoryID", _NO_TRACKING)}}


def _balance_sheet_options(w: Walker) -> dict[str, dict[str, str]]:
    return {"report_periods": {"periods": "1", "timeframe": "MONTH"},
            "report_tracking": {"trackingOptionID1": w.ids.get("TrackingOptionID", _NO_TRACKING)}}


for _op, _params, _options in (
    ("getReportProfitAndLoss", lambda w: {"fromDate": _year_ago(w), "toDate": iso(today())}, _tracking_category),
    ("getReportBalanceSheet", lambda w: {"date": iso(today())}, _balance_sheet_options),
    ("getReportTrialBalance", lambda w: {"date": iso(today()), "paymentsOnly": "false"}, lambda w: {}),
    ("getReportAgedReceivablesByContact", lambda w: {"contactId": w.facts["customer"]["ContactID"],
                                                     "date": iso(today())}, lambda w: {}),
    ("getReportAgedPayablesByContact", lambda w: {"contactId": w.facts["supplier"]["ContactID"],
                                                  "fromDate": _year_ago(w), "toDate": iso(today())}, lambda w: {}),
    ("getReportBankSummary", lambda w: {"fromDate": _year_ago(w), "toDate": iso(today())}, lambda w: {}),
    ("getReportBudgetSummary", lambda w: {"date": iso(today()), "periods": "3", "timeframe": "1"}, lambda w: {}),
    ("getReportExecutiveSummary", lambda w: {"date": iso(today())}, lambda w: {}),
):
    recipe(_op, Phase.READ)(_report(_op, _params, _options))
