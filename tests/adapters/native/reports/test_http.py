"""The reports through the real app and the real native adapter: every answer validates against Xero's spec; bad
parameters answer Xero's 400; the report list and reports by id answer 501; xero-python reads them."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from decimal import Decimal

import pytest

from tests.adapters.native.core.conftest import TENANT

from .conftest import API, TOKEN


async def _get(http, xero_spec, headers, path: str, **params):
    resp = await http.get(API + path, headers=headers, params={k: str(v) for k, v in params.items()})
    body = await resp.read()
    xero_spec.validate_response("GET", str(resp.url), resp.status, body, dict(resp.headers))
    return resp, json.loads(body) if body else None


async def _contact_id(http, xero_spec, headers, name: str) -> str:
    _, body = await _get(http, xero_spec, headers, "/Contacts", where=f'Name=="{name}"')
    return body["Contacts"][0]["ContactID"]


async def test_every_report_validates_against_the_spec(http, xero_spec, headers) -> None:
    customer = await _contact_id(http, xero_spec, headers, "Meridian University")
    supplier = await _contact_id(http, xero_spec, headers, "Swift Couriers")
    calls = [
        ("/Reports/ProfitAndLoss", {}, "ProfitAndLoss"),
        ("/Reports/ProfitAndLoss", {"fromDate": "2026-01-01", "toDate": "2026-01-31", "periods": 11,
                                    "timeframe": "MONTH", "paymentsOnly": "true", "standardLayout": "true"},
         "ProfitAndLoss"),
        ("/Reports/BalanceSheet", {"date": "2026-02-28", "periods": 3, "timeframe": "QUARTER"}, "BalanceSheet"),
        ("/Reports/BalanceSheet", {"paymentsOnly": "true"}, "BalanceSheet"),
        ("/Reports/TrialBalance", {"date": "2026-03-18"}, "TrialBalance"),
        ("/Reports/AgedReceivablesByContact", {"contactId": customer}, "AgedReceivablesByContact"),
        ("/Reports/AgedPayablesByContact", {"contactId": supplier, "date": "2026-02-01"}, "AgedPayablesByContact"),
        ("/Reports/BankSummary", {"fromDate": "2026-01-01", "toDate": "2026-03-31"}, "BankSummary"),
        ("/Reports/ExecutiveSummary", {"date": "2026-02-14"}, "ExecutiveSummary"),
        ("/Reports/BudgetSummary", {"date": "2026-03-18", "periods": 4, "timeframe": 3}, "BudgetSummary"),
    ]
    for path, params, report_type in calls:
        resp, body = await _get(http, xero_spec, headers, path, **params)
        assert resp.status == 200, (path, body)
        assert resp.headers["Content-Type"].startswith("application/json")
        assert body["Status"] == "OK" and len(body["Reports"]) == 1
        report = body["Reports"][0]
        assert report["ReportType"] == report_type and report["ReportID"] == report_type
        assert report["UpdatedDateUTC"].startswith("/Date(") and report["Fields"] == []
        assert report["Rows"][0]["RowType"] == "Header"
        assert all(isinstance(c["Value"], str) for r in report["Rows"] for c in r.get("Cells", []))


async def test_month_comparison_spans_a_year(http, xero_spec, headers) -> None:
    _, body = await _get(http, xero_spec, headers, "/Reports/ProfitAndLoss", fromDate="2026-03-01",
                         toDate="2026-03-31", periods=11, timeframe="MONTH")
    header = [c["Value"] for c in body["Reports"][0]["Rows"][0]["Cells"]]
    assert header[1] == "31 Mar 2026" and header[-1] == "30 Apr 2025" and len(header) == 13


@pytest.mark.parametrize(("path", "params", "named"), [
    ("/Reports/ProfitAndLoss", {"fromDate": "2026-02-31"}, "fromDate"),
    ("/Reports/BalanceSheet", {"timeframe": "FORTNIGHT"}, "timeframe"),
    ("/Reports/TrialBalance", {"paymentsOnly": "perhaps"}, "paymentsOnly"),
    ("/Reports/AgedReceivablesByContact", {}, "contactId"),
    ("/Reports/BudgetSummary", {"periods": "20"}, "periods"),
])
async def test_bad_parameters_answer_xeros_400(http, xero_spec, headers, path, params, named) -> None:
    resp, body = await _get(http, xero_spec, headers, path, **params)
    assert resp.status == 400
    assert body["Type"] == "ValidationException" and body["ErrorNumber"] == 10
    assert named in body["Elements"][0]["ValidationErrors"][0]["Message"]


async def test_stored_reports_are_the_published_ones(http, xero_spec, headers) -> None:
    # Published reports are served since issue 12 (before: 501); the demo publishes its month-end balance sheet.
    resp, body = await _get(http, xero_spec, headers, "/Reports")
    assert resp.status == 200 and [r["ReportType"] for r in body["Reports"]] == ["BalanceSheet"]
    resp = await http.get(API + "/Reports/0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a", headers=headers)
    assert resp.status == 404


async def test_xero_python_reads_the_reports(http, xero_spec) -> None:
    from xero_python.accounting import AccountingApi
    from xero_python.api_client import ApiClient, Configuration
    from xero_python.api_client.oauth2 import OAuth2Token

    token = {"access_token": TOKEN, "refresh_token": "", "token_type": "Bearer", "expires_in": 1800,
             "expires_at": time.time() + 1800, "scope": ["accounting.reports.read"], "id_token": None}
    api_client = ApiClient(Configuration(oauth2_token=OAuth2Token(client_id="c", client_secret="s")),
                           pool_threads=1, oauth2_token_getter=lambda: token, oauth2_token_saver=lambda t: None)
    accounting = AccountingApi(api_client, base_url=str(http.make_url(API)))

    pl = await asyncio.to_thread(accounting.get_report_profit_and_loss, TENANT, from_date=dt.date(2026, 1, 1),
                                 to_date=dt.date(2026, 3, 18), payments_only=False, standard_layout=True)
    report = pl.reports[0]
    assert report.report_type == "ProfitAndLoss"
    assert report.report_titles[2] == "1 January 2026 to 18 March 2026"
    net = next(r for r in report.rows if r.rows and r.rows[0].cells[0].value == "Net Profit")
    bs = await asyncio.to_thread(accounting.get_report_balance_sheet, TENANT, date=dt.date(2026, 3, 18),
                                 periods=1, timeframe="MONTH", payments_only=False)
    equity = next(r for r in bs.reports[0].rows if r.title == "Equity")
    earnings = next(r for r in equity.rows if r.cells[0].value == "Current Year Earnings")
    assert Decimal(earnings.cells[1].value) == Decimal(net.rows[0].cells[1].value)
    assert [a.id for a in earnings.cells[1].attributes] == ["account", "fromDate", "toDate"]
    tb = await asyncio.to_thread(accounting.get_report_trial_balance, TENANT, date=dt.date(2026, 3, 18),
                                 payments_only=True)
    total = tb.reports[0].rows[-1].rows[0]
    assert total.row_type.value == "SummaryRow" and total.cells[1].value == total.cells[2].value
    bank = await asyncio.to_thread(accounting.get_report_bank_summary, TENANT, from_date=dt.date(2026, 3, 1),
                                   to_date=dt.date(2026, 3, 31))
    assert bank.reports[0].report_titles[2] == "From 1 March 2026 to 31 March 2026"
    summary = await asyncio.to_thread(accounting.get_report_executive_summary, TENANT, date=dt.date(2026, 3, 18))
    assert summary.reports[0].updated_date_utc is not None
    budget = await asyncio.to_thread(accounting.get_report_budget_summary, TENANT, date=dt.date(2026, 3, 18),
                                     periods=2, timeframe=3)
    assert [c.value for c in budget.reports[0].rows[0].cells] == ["Account", "May-26", "Aug-26"]
