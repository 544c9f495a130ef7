"""Explicit recipes of the planning and organisation-service operations: repeating invoices (their history and
attachments are the families' of :mod:`tests.contract.families`), batch payments, budgets, published reports,
invoice reminders, CIS settings of a contact, payment services, the 1099 report, online invoices and the setup of
an organisation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .steps import Phase, Registry, iso, line, remember, today
from .walker import Walker

recipe = Registry()


# Repeating invoices ---------------------------------------------------------------------------------------------------

def _template(w: Walker, **extra: object) -> dict[str, object]:
    start = today().replace(day=1) + dt.timedelta(days=40)
    return {"Type": "ACCREC", "Contact": {"ContactID": w.facts["customer"]["ContactID"]}, "Status": "DRAFT",
            "Reference": "CW retainer", "LineAmountTypes": "Exclusive",
            "Schedule": {"Period": 1, "Unit": "MONTHLY", "DueDate": 20, "DueDateType": "OFFOLLOWINGMONTH",
                         "StartDate": iso(start)},
            "LineItems": [line(w, "sales", 50, 2)], **extra}


@recipe("createRepeatingInvoices", Phase.CREATE)
async def create_repeating_invoices(w: Walker) -> None:
    made = (await w.call("createRepeatingInvoices", json_body={"RepeatingInvoices": [_template(w)]})).one()
    assert made["Status"] == "DRAFT" and Decimal(str(made["SubTotal"])) == 100, made
    assert made["Schedule"]["NextScheduledDate"] == made["Schedule"]["StartDate"], made
    remember(w, "RepeatingInvoiceID", made["RepeatingInvoiceID"])


@recipe("updateOrCreateRepeatingInvoices", Phase.UPDATE)
async def update_or_create_repeating_invoices(w: Walker) -> None:
    made = (await w.call("updateOrCreateRepeatingInvoices", json_body={"RepeatingInvoices": [
        {"RepeatingInvoiceID": w.owned("RepeatingInvoiceID"), "Reference": "CW retainer (upserted)"}]})).one()
    assert made["RepeatingInvoiceID"] == w.owned("RepeatingInvoiceID"), made
    assert made["Reference"] == "CW retainer (upserted)", made


@recipe("updateRepeatingInvoice", Phase.UPDATE)
async def update_repeating_invoice(w: Walker) -> None:
    made = (await w.call("updateRepeatingInvoice", path={"RepeatingInvoiceID": w.owned("RepeatingInvoiceID")},
                         json_body={"RepeatingInvoices": [{"Status": "AUTHORISED", "MarkAsSent": True}]})).one()
    assert made["Status"] == "AUTHORISED" and made["MarkAsSent"] is True, made


# Organisation services ------------------------------------------------------------------------------------------------

@recipe("getInvoiceReminders", Phase.READ)
async def get_invoice_reminders(w: Walker) -> None:
    reminders = (await w.call("getInvoiceReminders")).items()
    assert len(reminders) == 1 and isinstance(reminders[0].get("Enabled"), bool), reminders


@recipe("getContactCISSettings", Phase.READ)
async def get_contact_cis_settings(w: Walker) -> None:
    settings = (await w.call("getContactCISSettings")).items()
    assert len(settings) == 1 and isinstance(settings[0].get("CISEnabled"), bool), settings


@recipe("getReportTenNinetyNine", Phase.READ)
async def get_report_ten_ninety_nine(w: Walker) -> None:
    reports = (await w.call("getReportTenNinetyNine", params={"reportYear": str(today().year - 1)})).items()
    assert isinstance(reports, list)


@recipe("getPaymentServices", Phase.LOOKUP)
async def get_payment_services(w: Walker) -> None:
    w.facts["payment_services"] = (await w.call("getPaymentServices")).items()


@recipe("createPaymentService", Phase.CREATE)
async def create_payment_service(w: Walker) -> None:
    made = (await w.call("createPaymentService", json_body={"PaymentServices": [
        {"PaymentServiceName": "CW Pay", "PaymentServiceUrl": "https://pay.example/cw", "PayNowText": "Pay"}]})).one()
    assert made["PaymentServiceType"] == "CUSTOM", made
    remember(w, "PaymentServiceID", made["PaymentServiceID"])


@recipe("createBrandingThemePaymentServices", Phase.UPDATE)
async def create_branding_theme_payment_services(w: Walker) -> None:
    attached = (await w.call("createBrandingThemePaymentServices", json_body={
        "PaymentServices": [{"PaymentServiceID": w.owned("PaymentServiceID")}]})).items()
    assert [s["PaymentServiceID"] for s in attached] == [w.owned("PaymentServiceID")], attached
    listed = (await w.call("getBrandingThemePaymentServices")).items()
    assert w.owned("PaymentServiceID") in [s["PaymentServiceID"] for s in listed], listed




# Batch payments -------------------------------------------------------------------------------------------------------

@recipe("getBatchPayments", Phase.LOOKUP)
async def get_batch_payments(w: Walker) -> None:
    batches = (await w.call("getBatchPayments")).items()
    assert all(b.get("Type") in ("PAYBATCH", "RECBATCH") for b in batches), batches


@recipe("createBatchPayment", Phase.SETTLE)
async def create_batch_payment(w: Walker) -> None:
    due = iso(today() + dt.timedelta(days=30))
    customer = {"ContactID": w.facts["customer"]["ContactID"]}
    invoice = (await w.call("createInvoices", json_body={"Invoices": [{
        "Type": "ACCREC", "Contact": customer, "Date": iso(today()), "DueDate": due, "Status": "AUTHORISED",
        "LineItems": [line(w, "sales", 100)]}]})).one()
    payments = [{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": 30}]
    batches = (await w.call("createBatchPayment", json_body={"BatchPayments": [
        {"Account": {"Code": w.facts["banks"][0]}, "Date": iso(today()), "Reference": f"CW batch {n}",
         "Payments": payments} for n in (1, 2)]})).items()
    assert [b["Type"] for b in batches] == ["RECBATCH", "RECBATCH"], batches
    assert all(Decimal(str(b["TotalAmount"])) == 30 for b in batches), batches
    assert all(p["BatchPaymentID"] == b["BatchPaymentID"] for b in batches for p in b["Payments"]), batches
    remember(w, "BatchPaymentID", batches[0]["BatchPaymentID"])
    remember(w, "BatchPaymentID2", batches[1]["BatchPaymentID"])


@recipe("getBatchPayment", Phase.SETTLE)
async def get_batch_payment(w: Walker) -> None:
    batch = (await w.call("getBatchPayment", path={"BatchPaymentID": w.owned("BatchPaymentID")})).one()
    assert batch["BatchPaymentID"] == w.owned("BatchPaymentID"), batch


@recipe("deleteBatchPaymentByUrlParam", Phase.DELETE)
async def delete_batch_payment_by_url_param(w: Walker) -> None:
    batch = (await w.call("deleteBatchPaymentByUrlParam", path={"BatchPaymentID": w.owned("BatchPaymentID")},
                          json_body={"Status": "DELETED"})).one()
    assert batch["Status"] == "DELETED", batch


@recipe("deleteBatchPayment", Phase.DELETE)
async def delete_batch_payment(w: Walker) -> None:
    batch = (await w.call("deleteBatchPayment", json_body={"BatchPaymentID": w.owned("BatchPaymentID2"),
                                                           "Status": "DELETED"})).one()
    assert batch["Status"] == "DELETED", batch


# Budgets --------------------------------------------------------------------------------------------------------------

@recipe("getBudgets", Phase.LOOKUP)
async def get_budgets(w: Walker) -> None:
    budgets = (await w.call("getBudgets")).items()
    assert budgets and budgets[0]["Type"] == "OVERALL", budgets
    w.ids["BudgetID"] = budgets[0]["BudgetID"]


@recipe("getBudget", Phase.READ)
async def get_budget(w: Walker) -> None:
    year_ago = iso(today() - dt.timedelta(days=365))
    budget = (await w.call("getBudget", params={"DateFrom": year_ago, "DateTo": iso(today())})).one()
    assert budget["BudgetID"] == w.ids["BudgetID"] and budget["BudgetLines"], budget


# Published reports ----------------------------------------------------------------------------------------------------

@recipe("getReportsList", Phase.LOOKUP)
async def get_reports_list(w: Walker) -> None:
    reports = (await w.call("getReportsList")).items()
    assert reports and all(r.get("ReportID") for r in reports), reports
    w.ids["ReportID"] = reports[0]["ReportID"]


@recipe("getReportFromId", Phase.READ)
async def get_report_from_id(w: Walker) -> None:
    report = (await w.call("getReportFromId")).one()
    assert report["ReportID"] == w.ids["ReportID"] and report.get("Rows"), report


# Setup ----------------------------------------------------------------------------------------------------------------

@recipe("postSetup", Phase.READ)
async def post_setup(w: Walker) -> None:
    if not w.has("empty_organisation"):
        # A company with transactions: Xero's 400 naming why, and nothing written.
        error = (await w.call("postSetup", json_body={"Accounts": [], "ConversionBalances": []},
                              expect=400)).json()
        assert error.get("Type") == "ValidationException", error
        w.require("empty_organisation", "postSetup")
    summary = (await w.call("postSetup", json_body={"ConversionDate": {"Month": today().month, "Year": today().year},
                                                    "ConversionBalances": []})).json()
    assert summary["ImportSummary"]["Accounts"]["Total"] > 0, summary


# Online invoices ------------------------------------------------------------------------------------------------------

@recipe("getOnlineInvoice", Phase.UPDATE)
async def get_online_invoice(w: Walker) -> None:
    online = (await w.call("getOnlineInvoice", path={"InvoiceID": w.owned("InvoiceID")})).one()
    assert online["OnlineInvoiceUrl"].startswith("http"), online
