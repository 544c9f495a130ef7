"""Report parameters: dates and their defaults, periods and timeframes, bases, and bad values (400 naming them)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gateway.xero.errors import ValidationException

from .reading import report

ZERO = Decimal("0")


async def test_profit_and_loss_defaults_to_the_current_month(adapter) -> None:
    pl = await report(adapter, "getReportProfitAndLoss")
    assert pl.data["ReportTitles"] == ["Profit & Loss", "Demo Company (UK)", "1 March 2026 to 31 March 2026"]
    assert pl.header == ["", "31 Mar 2026"]
    assert pl.data["ReportDate"] == "18 March 2026"
    only_to = await report(adapter, "getReportProfitAndLoss", toDate="2026-02-20")
    assert only_to.data["ReportTitles"][2] == "1 February 2026 to 20 February 2026"
    only_from = await report(adapter, "getReportProfitAndLoss", fromDate="2026-02-10")
    assert only_from.data["ReportTitles"][2] == "10 February 2026 to 28 February 2026"


async def test_profit_and_loss_comparison_periods(adapter) -> None:
    pl = await report(adapter, "getReportProfitAndLoss", fromDate="2026-01-01", toDate="2026-01-31", periods=2,
                      timeframe="MONTH")
    assert pl.header == ["", "31 Jan 2026", "31 Dec 2025", "30 Nov 2025"]
    months = [("2026-01-01", "2026-01-31"), ("2025-12-01", "2025-12-31"), ("2025-11-01", "2025-11-30")]
    for column, (start, end) in enumerate(months):
        single = await report(adapter, "getReportProfitAndLoss", fromDate=start, toDate=end)
        assert single.amounts("Net Profit") == [pl.amounts("Net Profit")[column]]
    assert len(set(pl.amounts("Net Profit"))) == 3  # three different months of trading

    quarters = await report(adapter, "getReportProfitAndLoss", fromDate="2026-01-01", toDate="2026-03-31",
                            periods=1, timeframe="quarter")
    assert quarters.header == ["", "31 Mar 2026", "31 Dec 2025"]
    q4 = await report(adapter, "getReportProfitAndLoss", fromDate="2025-10-01", toDate="2025-12-31")
    assert quarters.amounts("Net Profit")[1] == q4.amounts("Net Profit")[0]

    years = await report(adapter, "getReportProfitAndLoss", fromDate="2025-05-01", toDate="2025-05-31", periods=1,
                         timeframe="YEAR")
    assert years.header == ["", "31 May 2025", "31 May 2024"]
    assert years.amounts("Net Profit")[1] == ZERO  # before the books began


async def test_balance_sheet_dates_and_comparisons(adapter) -> None:
    bs = await report(adapter, "getReportBalanceSheet")
    assert bs.data["ReportTitles"] == ["Balance Sheet", "Demo Company (UK)", "As at 31 March 2026"]
    assert bs.header == ["", "31 Mar 2026"]
    compared = await report(adapter, "getReportBalanceSheet", date="2026-02-28", periods=2, timeframe="QUARTER")
    assert compared.header == ["", "28 Feb 2026", "30 Nov 2025", "31 Aug 2025"]
    for column, day in enumerate(("2026-02-28", "2025-11-30", "2025-08-31")):
        single = await report(adapter, "getReportBalanceSheet", date=day)
        assert single.amounts("Net Assets") == [compared.amounts("Net Assets")[column]]
        assert single.amounts("Current Year Earnings", "Equity") == [
            compared.amounts("Current Year Earnings", "Equity")[column]]
    # Current Year Earnings runs from each column's own financial year start (year end 31 December).
    cells = compared.find("Current Year Earnings", "Equity")["Cells"][1:]
    attributes = [{a["Id"]: a["Value"] for a in c["Attributes"]} for c in cells]
    assert [(a["fromDate"], a["toDate"]) for a in attributes] == [
        ("1/1/2026", "2/28/2026"), ("1/1/2025", "11/30/2025"), ("1/1/2025", "8/31/2025")]


async def test_prior_years_profit_moves_to_retained_earnings(adapter) -> None:
    december = await report(adapter, "getReportBalanceSheet", date="2025-12-31")
    january = await report(adapter, "getReportBalanceSheet", date="2026-01-01")
    earned_2025 = december.amounts("Current Year Earnings", "Equity")[0]
    assert earned_2025 != ZERO
    assert january.amounts("Retained Earnings", "Equity")[0] == earned_2025
    pl_2025 = await report(adapter, "getReportProfitAndLoss", fromDate="2025-01-01", toDate="2025-12-31")
    assert pl_2025.amounts("Net Profit") == [earned_2025]


async def test_trial_balance_defaults_to_today_with_month_and_year_columns(adapter) -> None:
    tb = await report(adapter, "getReportTrialBalance")
    assert tb.data["ReportTitles"][2] == "As at 18 March 2026"
    assert tb.header == ["Account", "Debit", "Credit", "YTD Debit", "YTD Credit"]
    march = await report(adapter, "getReportProfitAndLoss", fromDate="2026-03-01", toDate="2026-03-18")
    ytd = await report(adapter, "getReportProfitAndLoss", fromDate="2026-01-01", toDate="2026-03-18")
    sales = tb.amounts("Sales (200)", "Revenue")
    assert sales[1] == march.amounts("Sales", "Income")[0]
    assert sales[3] == ytd.amounts("Sales", "Income")[0]
    retained = tb.find("Retained Earnings (960)", "Equity")["Cells"][1]["Attributes"]
    assert {a["Id"]: a["Value"] for a in retained}["toDate"] == "12/31/2025"


async def test_parameter_names_are_case_insensitive_and_booleans_accept_python_spelling(adapter) -> None:
    lower = await report(adapter, "getReportProfitAndLoss", fromdate="2026-01-01", TODATE="2026-01-31",
                         PaymentsOnly="True", standardlayout="FALSE")
    exact = await report(adapter, "getReportProfitAndLoss", fromDate="2026-01-01", toDate="2026-01-31",
                         paymentsOnly="true")
    assert lower.data["Rows"] == exact.data["Rows"]
    assert lower.data["ReportTitles"][2] == "1 January 2026 to 31 January 2026"


@pytest.mark.parametrize(("operation", "params", "named"), [
    ("getReportProfitAndLoss", {"fromDate": "2026-13-01"}, "fromDate"),
    ("getReportProfitAndLoss", {"toDate": "yesterday"}, "toDate"),
    ("getReportProfitAndLoss", {"fromDate": "2026-03-10", "toDate": "2026-03-01"}, "fromDate"),
    ("getReportProfitAndLoss", {"periods": "13"}, "periods"),
    ("getReportProfitAndLoss", {"periods": "two"}, "periods"),
    ("getReportProfitAndLoss", {"timeframe": "WEEK"}, "timeframe"),
    ("getReportProfitAndLoss", {"paymentsOnly": "maybe"}, "paymentsOnly"),
    ("getReportProfitAndLoss", {"standardLayout": "1"}, "standardLayout"),
    ("getReportProfitAndLoss", {"trackingCategoryID": "not-a-guid"}, "trackingCategoryID"),
    ("getReportProfitAndLoss", {"trackingCategoryID": "0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a"},
     "trackingCategoryID"),
    ("getReportProfitAndLoss", {"trackingOptionID2": "0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a"},
     "trackingOptionID2"),
    ("getReportBalanceSheet", {"date": "31/03/2026"}, "date"),
    ("getReportBalanceSheet", {"periods": "-1"}, "periods"),
    ("getReportBalanceSheet", {"timeframe": "DAY"}, "timeframe"),
    ("getReportBalanceSheet", {"trackingOptionID1": "0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a"},
     "trackingOptionID1"),
    ("getReportTrialBalance", {"date": "2026-02-30"}, "date"),
    ("getReportTrialBalance", {"paymentsOnly": "yes"}, "paymentsOnly"),
    ("getReportAgedReceivablesByContact", {}, "contactId"),
    ("getReportAgedReceivablesByContact", {"contactId": "0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a"}, "contactId"),
    ("getReportAgedPayablesByContact", {"contactId": "nobody"}, "contactId"),
    ("getReportBankSummary", {"fromDate": "2026-04-01", "toDate": "2026-03-01"}, "fromDate"),
    ("getReportExecutiveSummary", {"date": "March"}, "date"),
    ("getReportBudgetSummary", {"timeframe": "2"}, "timeframe"),
    ("getReportBudgetSummary", {"periods": "0"}, "periods"),
])
async def test_bad_parameters_answer_a_validation_exception_naming_them(adapter, operation, params, named) -> None:
    with pytest.raises(ValidationException) as raised:
        await report(adapter, operation, **params)
    body = raised.value.body()
    assert body["Type"] == "ValidationException"
    message = body["Elements"][0]["ValidationErrors"][0]["Message"]
    assert named in message
