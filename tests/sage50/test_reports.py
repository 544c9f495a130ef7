"""Reports of a Sage 50 company computed from its AUDIT_JOURNAL, validated against Xero's spec and reconciled."""

from __future__ import annotations

from decimal import Decimal

from .test_pairing_and_reads import _get, _synced


def _cells(report: dict) -> list[list[str]]:
    out = []
    for section in report["Rows"]:
        for row in section.get("Rows") or []:
            out.append([c.get("Value") for c in row["Cells"]])
    return out


async def test_statements_reconcile(gw, partner, agent, xero_spec):
    token, tenant = await _synced(gw, partner, agent)
    _, tb = await _get(gw, token, tenant, "/Reports/TrialBalance", xero_spec, date="2026-11-30")
    total = next(r for r in _cells(tb["Reports"][0]) if r[0] == "Total")
    assert total[1] == total[2] and total[3] == total[4]  # debits == credits, month and year to date
    _, bs = await _get(gw, token, tenant, "/Reports/BalanceSheet", xero_spec, date="2026-11-30")
    rows = {r[0]: r[1] for r in _cells(bs["Reports"][0])}
    assert Decimal(rows["Total Assets"]) - Decimal(rows["Total Liabilities"]) == Decimal(rows["Total Equity"])
    assert Decimal(rows["Net Assets"]) == Decimal(rows["Total Equity"])
    _, pl = await _get(gw, token, tenant, "/Reports/ProfitAndLoss", xero_spec, fromDate="2026-10-01",
                       toDate="2026-11-30")
    pl_rows = {r[0]: r[1] for r in _cells(pl["Reports"][0])}
    assert Decimal(pl_rows["Total Income"]) == Decimal("12.56")  # the tax Sage stored is not income
    assert Decimal(pl_rows["Net Profit"]) == Decimal("12.56") - Decimal("100.00")
    assert Decimal(rows["Current Year Earnings"]) == Decimal(pl_rows["Net Profit"])


async def test_bank_summary_and_aged(gw, partner, agent, xero_spec):
    token, tenant = await _synced(gw, partner, agent)
    _, bank = await _get(gw, token, tenant, "/Reports/BankSummary", xero_spec, fromDate="2026-10-01",
                         toDate="2026-10-31")
    line = next(r for r in _cells(bank["Reports"][0]) if r[0] == "Bank Current Account")
    assert line[1:] == ["0.00", "10.00", "0.00", "10.00"]
    _, contacts = await _get(gw, token, tenant, "/Contacts")
    customer = next(c for c in contacts["Contacts"] if c["ContactNumber"] == "ABS001")
    _, aged = await _get(gw, token, tenant, "/Reports/AgedReceivablesByContact", xero_spec,
                         contactId=customer["ContactID"], date="2026-11-30")
    invoice = next(r for r in _cells(aged["Reports"][0]) if r[1] == "24")
    assert invoice[4:] == ["14.99", "10.00", "0.00", "4.99"]
