"""Reports: five computed from the emulator's transactions, the others recorded from the seeded samples."""

from __future__ import annotations

import json

import pytest

from emulators.qbo import xsd
from tests.emulators.qbo.conftest import CLIENT_ID, CLIENT_SECRET, SAMPLES, connect, invoice_body, seed_basics

PERIOD = {"start_date": "2024-01-01", "end_date": "2024-12-31"}


def cells(row: dict) -> list[str]:
    return [c["value"] for c in row["ColData"]]


def flatten(rows: list[dict], out: dict | None = None) -> dict[str, list[str]]:
    """Data rows by first cell, and section summaries by group."""
    out = {} if out is None else out
    for row in rows:
        if "ColData" in row:
            out[row["ColData"][0]["value"]] = cells(row)
        if "Rows" in row:
            flatten(row["Rows"]["Row"], out)
        if "Summary" in row:
            out["group:" + row.get("group", "")] = cells(row["Summary"])
    return out


@pytest.fixture
async def books(qbo):
    made = await seed_basics(qbo)
    invoice = await qbo.create("Invoice", invoice_body(made, 100.0, TxnDate="2024-03-01", DueDate="2024-03-31"))
    await qbo.create("Payment", {"CustomerRef": {"value": made["customer"]["Id"]}, "TotalAmt": 60,
                                 "TxnDate": "2024-03-10", "DepositToAccountRef": {"value": made["bank"]["Id"]},
                                 "Line": [{"Amount": 60, "LinkedTxn": [{"TxnId": invoice["Id"],
                                                                        "TxnType": "Invoice"}]}]})
    await qbo.create("Bill", {"VendorRef": {"value": made["vendor"]["Id"]}, "TxnDate": "2024-03-05",
                              "DueDate": "2024-04-04",
                              "Line": [{"Amount": 40, "DetailType": "AccountBasedExpenseLineDetail",
                                        "AccountBasedExpenseLineDetail": {"AccountRef": {
                                            "value": made["expense"]["Id"]}}}]})
    return made


async def report(qbo, name: str, **params) -> dict:
    body = await qbo.json(await qbo.get(f"/reports/{name}", **params))
    xsd.validate(body)
    return body


async def test_profit_and_loss(qbo, books):
    body = await report(qbo, "ProfitAndLoss", **PERIOD)
    assert body["Header"]["ReportName"] == "ProfitAndLoss"
    assert (body["Header"]["StartPeriod"], body["Header"]["EndPeriod"]) == ("2024-01-01", "2024-12-31")
    rows = flatten(body["Rows"]["Row"])
    assert rows["Sales"] == ["Sales", "100.00"]
    assert rows["Advertising"] == ["Advertising", "40.00"]
    assert rows["group:Income"] == ["Total Income", "100.00"]
    assert rows["group:GrossProfit"] == ["Gross Profit", "100.00"]
    assert rows["group:NetIncome"] == ["Net Income", "60.00"]
    assert body["Rows"]["Row"][0]["Rows"]["Row"][0]["ColData"][0]["id"] == books["income"]["Id"]
    before = await report(qbo, "ProfitAndLoss", start_date="2023-01-01", end_date="2023-12-31")
    assert flatten(before["Rows"]["Row"])["group:NetIncome"] == ["Net Income", "0.00"]
    assert {"Name": "NoReportData", "Value": "true"} in before["Header"]["Option"]


async def test_balance_sheet_balances(qbo, books):
    body = await report(qbo, "BalanceSheet", **PERIOD)
    rows = flatten(body["Rows"]["Row"])
    assert rows["Checking"] == ["Checking", "60.00"]
    assert rows["Accounts Receivable (A/R)"] == ["Accounts Receivable (A/R)", "40.00"]
    assert rows["Accounts Payable (A/P)"] == ["Accounts Payable (A/P)", "40.00"]
    assert rows["Net Income"] == ["Net Income", "60.00"]
    assert rows["group:TotalAssets"] == ["TOTAL ASSETS", "100.00"]
    assert rows["group:TotalLiabilitiesAndEquity"] == ["TOTAL LIABILITIES AND EQUITY", "100.00"]


async def test_trial_balance(qbo, books):
    body = await report(qbo, "TrialBalance", **PERIOD)
    assert [c["ColTitle"] for c in body["Columns"]["Column"]] == ["", "Debit", "Credit"]
    rows = flatten(body["Rows"]["Row"])
    assert rows["Checking"] == ["Checking", "60.00", ""]
    assert rows["Sales"] == ["Sales", "", "100.00"]
    assert rows["group:GrandTotal"] == ["TOTAL", "140.00", "140.00"]


async def test_aged_receivables_and_payables(qbo, books):
    body = await report(qbo, "AgedReceivables", report_date="2024-05-15")
    assert [c["ColTitle"] for c in body["Columns"]["Column"]] == [
        "", "Current", "1 - 30", "31 - 60", "61 - 90", "91 and over", "Total"]
    row = body["Rows"]["Row"][0]
    assert row["ColData"][0] == {"value": "Amy's Bird Sanctuary", "id": books["customer"]["Id"]}
    assert cells(row)[1:] == ["", "", "40.00", "", "", "40.00"]  # due 2024-03-31: 45 days overdue
    assert cells(body["Rows"]["Row"][-1]["Summary"]) == ["TOTAL", "0.00", "0.00", "40.00", "0.00", "0.00", "40.00"]
    payables = await report(qbo, "AgedPayables", report_date="2024-04-01")
    assert cells(payables["Rows"]["Row"][0])[1:] == ["40.00", "", "", "", "", "40.00"]


@pytest.mark.parametrize("emulator_config", [{
    "clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}], "seed_dir": str(SAMPLES)}])
async def test_recorded_reports(client):
    qbo = await connect(client)
    body = await qbo.json(await qbo.get("/reports/CashFlow"))
    sample = json.loads((SAMPLES / "reports" / "CashFlow.json").read_text())["object_sample"]
    assert body["Rows"] == sample["Rows"] and body["Columns"] == sample["Columns"]
    assert body["Header"]["ReportName"] == sample["Header"]["ReportName"]
    unknown = await qbo.json(await qbo.get("/reports/NoSuchReport"), 400)
    assert unknown["Fault"]["Error"][0]["Message"] == "Unsupported Operation"


async def test_bad_report_parameters(qbo):
    response = await qbo.json(await qbo.get("/reports/ProfitAndLoss", date_macro="Next Decade"), 400)
    assert response["Fault"]["type"] == "ValidationFault"
