"""The aged, bank, executive and budget reports: their figures, against the ledger and the other reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.adapters.native.core.conftest import call, invoice_element

from .reading import report

ZERO = Decimal("0")


def _opening(aged) -> Decimal:
    """The Due of the "Opening Balance" row (its first cell is the date, the second the label)."""
    row = next(r for r in aged.rows() if r["Cells"][1]["Value"] == "Opening Balance")
    return Decimal(row["Cells"][-1]["Value"])


async def _customer(adapter, name: str = "Meridian University") -> str:
    contacts = (await call(adapter, "getContacts", include_archived=True)).items
    return next(c.ContactID for c in contacts if c.Name == name)


async def test_aged_receivables_lists_outstanding_invoices_as_in_the_spec(adapter) -> None:
    contact_id = await _customer(adapter)
    invoice = (await call(adapter, "createInvoices", elements=[invoice_element(
        Date="2026-01-05", DueDate="2026-02-04")])).items[0]
    aged = await report(adapter, "getReportAgedReceivablesByContact", contactId=contact_id)
    assert aged.data["ReportName"] == "Aged Receivables By Contact"
    assert aged.header == ["Date", "Number", "Due Date", "", "Total", "Paid", "Credited", "Due"]
    titles = aged.data["ReportTitles"]
    assert titles[0] == "Invoices" and titles[3] == "Showing payments to 18 March 2026"
    assert titles[2].endswith("to 18 March 2026")
    row = next(r for r in aged.rows() if r["Cells"][1]["Value"] == invoice.InvoiceNumber)
    assert [c["Value"] for c in row["Cells"]] == [
        "2026-01-05 00:00:00", invoice.InvoiceNumber, "2026-02-04 00:00:00", "42 days overdue", "240.00", "0.00",
        "0.00", "240.00"]
    assert all(c["Attributes"] == [{"Id": "invoiceID", "Value": invoice.InvoiceID}] for c in row["Cells"])
    assert _opening(aged) == ZERO


async def test_aged_report_as_at_an_earlier_date_counts_only_payments_made_by_then(adapter) -> None:
    contact_id = await _customer(adapter)
    invoice = (await call(adapter, "createInvoices", elements=[invoice_element(
        Date="2026-01-05", DueDate="2026-02-04")])).items[0]
    await call(adapter, "createPayment", elements=[{"Invoice": {"InvoiceID": invoice.InvoiceID},
                                                    "Account": {"Code": "090"}, "Date": "2026-03-01",
                                                    "Amount": "100.00"}])
    now = await report(adapter, "getReportAgedReceivablesByContact", contactId=contact_id)
    then = await report(adapter, "getReportAgedReceivablesByContact", contactId=contact_id, date="2026-02-15")

    def cells(aged):
        row = next(r for r in aged.rows() if r["Cells"][1]["Value"] == invoice.InvoiceNumber)
        return [c["Value"] for c in row["Cells"]][3:]

    assert cells(now) == ["42 days overdue", "240.00", "100.00", "0.00", "140.00"]
    assert cells(then) == ["11 days overdue", "240.00", "0.00", "0.00", "240.00"]
    # From a later start, the invoice moves into the opening balance.
    later = await report(adapter, "getReportAgedReceivablesByContact", contactId=contact_id,
                         fromDate="2026-01-06")
    assert not any(r["Cells"][1]["Value"] == invoice.InvoiceNumber for r in later.rows())
    opening = _opening(later)
    assert opening >= Decimal("140.00")
    assert later.amounts("Closing Balance")[-1] == opening + later.amounts("Total")[-1]
    assert later.amounts("Closing Balance")[-1] == now.amounts("Closing Balance")[-1]


async def test_aged_payables_show_the_suppliers_bills(adapter) -> None:
    supplier = await _customer(adapter, "Swift Couriers")
    bill = (await call(adapter, "createInvoices", elements=[invoice_element(
        Type="ACCPAY", InvoiceNumber="SC-77", Contact={"ContactID": supplier}, Date="2026-03-01",
        DueDate="2026-03-31", LineItems=[{"Description": "Courier", "Quantity": 1, "UnitAmount": 50,
                                          "AccountCode": "425", "TaxType": "INPUT2"}])])).items[0]
    aged = await report(adapter, "getReportAgedPayablesByContact", contactId=supplier)
    assert aged.data["ReportType"] == "AgedPayablesByContact"
    assert aged.header[1] == "Reference"
    row = next(r for r in aged.rows() if r["Cells"][1]["Value"] == "SC-77")
    assert [c["Value"] for c in row["Cells"]][2:] == ["2026-03-31 00:00:00", "", "60.00", "0.00", "0.00", "60.00"]
    bills = [b for b in (await call(adapter, "getInvoices")).items
             if b.Type == "ACCPAY" and b.Status == "AUTHORISED" and b.Contact.ContactID == supplier]
    assert bill.InvoiceID in {b.InvoiceID for b in bills}
    assert aged.amounts("Total")[-1] == sum((b.AmountDue for b in bills), ZERO)


async def test_bank_summary_period_and_figures(adapter) -> None:
    summary = await report(adapter, "getReportBankSummary", fromDate="2026-02-01", toDate="2026-02-28")
    assert summary.header == ["Bank Accounts", "Opening Balance", "Cash Received", "Cash Spent", "Closing Balance"]
    assert summary.data["ReportTitles"][2] == "From 1 February 2026 to 28 February 2026"
    bank = summary.find("Business Bank Account")
    assert bank["Cells"][0]["Attributes"][0]["Id"] == "accountID"
    assert bank["Cells"][2]["Attributes"][0]["Id"] == "account"
    opening, received, spent, closing = summary.amounts("Business Bank Account")
    january = await report(adapter, "getReportBankSummary", fromDate="2026-01-01", toDate="2026-01-31")
    assert january.amounts("Business Bank Account")[3] == opening
    bs = await report(adapter, "getReportBalanceSheet", date="2026-02-28")
    assert bs.amounts("Business Bank Account", "Bank") == [closing]
    assert received > 0 and spent > 0
    default = await report(adapter, "getReportBankSummary")
    assert default.data["ReportTitles"][2] == "From 1 March 2026 to 31 March 2026"


async def test_executive_summary_agrees_with_the_other_reports(adapter) -> None:
    summary = await report(adapter, "getReportExecutiveSummary", date="2026-02-10")
    assert summary.header == ["", "Feb 2026", "Jan 2026", "Variance"]
    assert summary.data["ReportTitles"][2] == "For the month of February 2026"
    assert [s["Title"] for s in summary.sections] == ["Cash", "Profitability", "Balance Sheet", "Income",
                                                      "Performance", "Position"]
    received, spent = summary.amounts("Cash received")[0], summary.amounts("Cash spent")[0]
    assert summary.amounts("Cash surplus (deficit)")[0] == received - spent
    bank = await report(adapter, "getReportBankSummary", fromDate="2026-02-01", toDate="2026-02-28")
    assert summary.amounts("Closing bank balance")[0] == bank.amounts("Total")[3]
    # Transfers between bank accounts are received and spent in the bank summary, neither here.
    assert received - spent == bank.amounts("Total")[1] - bank.amounts("Total")[2]
    assert received <= bank.amounts("Total")[1]
    pl = await report(adapter, "getReportProfitAndLoss", fromDate="2026-02-01", toDate="2026-02-28")
    assert summary.amounts("Profit (loss)", "Profitability")[0] == pl.amounts("Net Profit")[0]
    assert summary.amounts("Income", "Profitability")[0] == pl.amounts("Total Income", "Income")[0]
    bs = await report(adapter, "getReportBalanceSheet", date="2026-02-28")
    assert summary.amounts("Net assets")[0] == bs.amounts("Net Assets")[0]
    assert summary.amounts("Debtors")[0] == bs.amounts("Accounts Receivable", "Current Assets")[0]
    assert summary.amounts("Creditors")[0] == bs.amounts("Accounts Payable", "Current Liabilities")[0]
    invoices = [i for i in (await call(adapter, "getInvoices")).items
                if i.Type == "ACCREC" and i.Status in ("AUTHORISED", "PAID")
                and dt.date(2026, 2, 1) <= i.Date <= dt.date(2026, 2, 28)]
    assert summary.texts("Number of invoices issued")[0] == str(len(invoices))
    income = summary.amounts("Income", "Profitability")
    expected = (summary.amounts("Debtors")[0] / income[0] * 28).quantize(Decimal("0.0001"))
    assert Decimal(summary.texts("Average debtors days")[0]).quantize(Decimal("0.0001")) == expected
    variance = (income[0] - income[1]) / abs(income[1]) * 100
    assert summary.texts("Income", "Profitability")[2] == f"{variance.quantize(Decimal('0.1')):f}%"


async def test_budget_summary_has_xeros_shape_with_zero_budgets(adapter) -> None:
    summary = await report(adapter, "getReportBudgetSummary", date="2019-11-14", periods=12, timeframe=3)
    # The spec example's own columns and period for a report run on 14 November 2019.
    assert summary.header == ["Account", "Jan-20", "Apr-20", "Jul-20", "Oct-20", "Jan-21", "Apr-21", "Jul-21",
                              "Oct-21", "Jan-22", "Apr-22", "Jul-22", "Oct-22"]
    assert summary.data["ReportTitles"] == ["Overall Budget", "Budget Summary", "Demo Company (UK)",
                                            "November 2019 to October 2022"]
    for label in ("Gross Profit", "Total Expenses", "Net Profit"):
        assert summary.texts(label) == ["0.00"] * 12
    default = await report(adapter, "getReportBudgetSummary")
    assert default.header[1:3] == ["Mar-26", "Apr-26"] and len(default.header) == 13
