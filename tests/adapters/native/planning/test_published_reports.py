"""Published reports on the native ledger: the demo's published balance sheet listed by GET /Reports and fetched
by its ReportID, frozen as published (later postings do not change it)."""

from __future__ import annotations

import json

import pytest

from gateway.xero.errors import NotFound

from .conftest import call, invoice_element


async def test_the_published_balance_sheet_is_a_snapshot(adapter) -> None:
    listed = (await call(adapter, "getReportsList")).items
    assert [(r.ReportType, r.Rows) for r in listed] == [("BalanceSheet", None)]
    assert listed[0].ReportID and listed[0].ReportTitles[-1] == "As at 28 February 2026"
    report = (await call(adapter, "getReportFromId", path={"ReportID": listed[0].ReportID})).items[0]
    assert report.ReportID == listed[0].ReportID and report.Rows
    await call(adapter, "createInvoices", elements=[invoice_element(Date="2026-02-10", DueDate="2026-02-20")])
    again = (await call(adapter, "getReportFromId", path={"ReportID": listed[0].ReportID})).items[0]
    assert again.model_dump() == report.model_dump()
    with pytest.raises(NotFound):
        await call(adapter, "getReportFromId", path={"ReportID": "00000000-0000-0000-0000-000000000001"})


async def test_published_reports_through_http(api) -> None:
    resp, body = await api.call("GET", "/Reports")
    assert resp.status == 200, body
    report_id = json.loads(body)["Reports"][0]["ReportID"]
    resp, body = await api.call("GET", f"/Reports/{report_id}")
    assert resp.status == 200 and json.loads(body)["Reports"][0]["ReportType"] == "BalanceSheet", body
    resp, body = await api.call("GET", "/Reports/BalanceSheet")  # the named report is not taken for an id
    assert resp.status == 200 and json.loads(body)["Reports"][0].get("ReportID") != report_id
