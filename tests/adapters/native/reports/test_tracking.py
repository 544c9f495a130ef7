"""Reports by tracking: ProfitAndLoss split or filtered by option, BalanceSheet filtered by option."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gateway.xero.errors import ValidationException
from tests.adapters.native.core.conftest import call, invoice_element

from .reading import report
from .test_reconciliation import assert_balance_sheet_balances

ZERO = Decimal("0")
JUNE = {"fromDate": "2026-06-01", "toDate": "2026-06-30"}


async def _category(adapter, name: str, options: list[str], *, other_than: str = "") -> tuple[str, dict[str, str]]:
    """An active category named ``name`` (or, when ``name`` is empty, any active one but ``other_than``) with
    the ``options``, created where missing (the demo company may already have tracking categories)."""
    existing = (await call(adapter, "getTrackingCategories")).items
    found = next((c for c in existing if c.Status == "ACTIVE" and c.TrackingCategoryID != other_than
                  and (c.Name == name or not name)), None)
    if found is None:
        found = (await call(adapter, "createTrackingCategory", elements=[{"Name": name or "Team"}])).items[0]
    category_id = found.TrackingCategoryID
    ids = {o.Name: o.TrackingOptionID for o in found.Options or [] if o.Status == "ACTIVE"}
    for option in options or list(ids)[:1]:
        if option not in ids:
            created = await call(adapter, "createTrackingOptions", path={"TrackingCategoryID": category_id},
                                 elements=[{"Name": option}])
            ids[option] = created.items[0].TrackingOptionID
    return category_id, ids


def _line(amount: int, account: str, tracking: list[dict[str, str]] | None = None) -> dict:
    line = {"Description": "Tracked", "Quantity": 1, "UnitAmount": amount, "AccountCode": account,
            "TaxType": "OUTPUT2" if account == "200" else "INPUT2"}
    if tracking:
        line["Tracking"] = tracking
    return line


@pytest.fixture
async def tracked(adapter):
    """A Region category (North, South, …) and a second category; June sales and costs (after the demo's
    books end) tracked to them."""
    region, options = await _category(adapter, "Region", ["North", "South"])
    other, other_options = await _category(adapter, "", [], other_than=region)
    other_name = next(c.Name for c in (await call(adapter, "getTrackingCategories")).items
                      if c.TrackingCategoryID == other)
    red_name, red = next(iter(other_options.items()))
    north = [{"Name": "Region", "Option": "North"}]
    south = [{"Name": "Region", "Option": "South"}]
    invoice = (await call(adapter, "createInvoices", elements=[invoice_element(
        Date="2026-06-10", DueDate="2026-07-10", LineItems=[
            _line(300, "200", [*north, {"Name": other_name, "Option": red_name}]), _line(100, "200", south),
            _line(40, "200")])])).items[0]
    await call(adapter, "createInvoices", elements=[invoice_element(
        Type="ACCPAY", InvoiceNumber="TRK-1", Contact={"Name": "Swift Couriers"}, Date="2026-06-11",
        DueDate="2026-07-11", LineItems=[_line(70, "425", north)])])
    names = [o.Name for c in (await call(adapter, "getTrackingCategories")).items if c.TrackingCategoryID == region
             for o in c.Options or [] if o.Status != "DELETED"]
    return {"region": region, "team": other, "north": options["North"], "south": options["South"],
            "red": red, "red_name": red_name, "invoice": invoice, "region_options": sorted(names)}


async def test_profit_and_loss_split_by_category(adapter, tracked) -> None:
    split = await report(adapter, "getReportProfitAndLoss", trackingCategoryID=tracked["region"], **JUNE)
    assert split.header == ["", *tracked["region_options"], "Unassigned", "Total"]
    north, south = (split.header.index(name) - 1 for name in ("North", "South"))
    whole = await report(adapter, "getReportProfitAndLoss", **JUNE)
    for row in split.rows():
        if row["RowType"] in ("Row", "SummaryRow"):
            values = [Decimal(c["Value"]) for c in row["Cells"][1:]]
            assert sum(values[:-1], ZERO) == values[-1], row["Cells"][0]["Value"]
    assert split.amounts("Net Profit")[-1] == whole.amounts("Net Profit")[0]
    sales = split.amounts("Sales", "Income")
    assert (sales[north], sales[south], sales[-2]) == (Decimal("300.00"), Decimal("100.00"), Decimal("40.00"))
    courier = split.amounts("Postage, Freight & Courier", "Less Operating Expenses")
    assert (courier[north], courier[south]) == (Decimal("70.00"), ZERO)
    net = split.amounts("Net Profit")
    assert (net[north], net[south]) == (Decimal("230.00"), Decimal("100.00"))


async def test_profit_and_loss_filtered_by_options(adapter, tracked) -> None:
    north = await report(adapter, "getReportProfitAndLoss", trackingCategoryID=tracked["region"],
                         trackingOptionID=tracked["north"], **JUNE)
    assert north.header == ["", "30 Jun 2026"]
    assert north.amounts("Net Profit") == [Decimal("230.00")]
    by_option_only = await report(adapter, "getReportProfitAndLoss", trackingOptionID=tracked["north"], **JUNE)
    assert by_option_only.data["Rows"] == north.data["Rows"]
    both = await report(adapter, "getReportProfitAndLoss", trackingOptionID=tracked["north"],
                        trackingCategoryID2=tracked["team"], trackingOptionID2=tracked["red"], **JUNE)
    assert both.amounts("Net Profit") == [Decimal("300.00")]  # only the sales line carries both options
    split_red = await report(adapter, "getReportProfitAndLoss", trackingOptionID=tracked["north"],
                             trackingCategoryID2=tracked["team"], **JUNE)
    red = split_red.header.index(tracked["red_name"]) - 1
    net = split_red.amounts("Net Profit")
    assert (net[red], net[-2], net[-1]) == (Decimal("300.00"), Decimal("-70.00"), Decimal("230.00"))
    assert sum(net[:-2], ZERO) == Decimal("300.00")


async def test_cash_basis_split_follows_the_paid_share(adapter, tracked) -> None:
    await call(adapter, "createPayment", elements=[{"Invoice": {"InvoiceID": tracked["invoice"].InvoiceID},
                                                    "Account": {"Code": "090"}, "Date": "2026-06-12",
                                                    "Amount": "264.00"}])  # half of 528.00
    split = await report(adapter, "getReportProfitAndLoss", trackingCategoryID=tracked["region"],
                         paymentsOnly="true", **JUNE)
    north, south = (split.header.index(name) - 1 for name in ("North", "South"))
    sales = split.amounts("Sales", "Income")
    assert (sales[north], sales[south], sales[-2]) == (Decimal("150.00"), Decimal("50.00"), Decimal("20.00"))


async def test_balance_sheet_by_option_balances_through_tracking_transfers(adapter, tracked) -> None:
    bs = await report(adapter, "getReportBalanceSheet", trackingOptionID1=tracked["north"], date="2026-06-30")
    assert_balance_sheet_balances(bs)
    north_pl = await report(adapter, "getReportProfitAndLoss", trackingOptionID=tracked["north"],
                            fromDate="2026-01-01", toDate="2026-06-30")
    assert bs.amounts("Current Year Earnings", "Equity") == north_pl.amounts("Net Profit")
    assert bs.has("Tracking Transfers", "Current Liabilities")
    may = await report(adapter, "getReportBalanceSheet", trackingOptionID1=tracked["north"], date="2026-05-31")
    # June's tracked lines are all profit: their 230.00 of earnings sit against Tracking Transfers.
    assert (bs.amounts("Current Year Earnings", "Equity")[0] - may.amounts("Current Year Earnings", "Equity")[0]
            == Decimal("230.00"))
    assert (bs.amounts("Tracking Transfers", "Current Liabilities")[0]
            - may.amounts("Tracking Transfers", "Current Liabilities")[0]) == Decimal("-230.00")
    both = await report(adapter, "getReportBalanceSheet", trackingOptionID1=tracked["north"],
                        trackingOptionID2=tracked["red"], date="2026-06-30")
    both_pl = await report(adapter, "getReportProfitAndLoss", trackingOptionID=tracked["north"],
                           trackingCategoryID2=tracked["team"], trackingOptionID2=tracked["red"],
                           fromDate="2026-01-01", toDate="2026-06-30")
    assert both.amounts("Current Year Earnings", "Equity") == both_pl.amounts("Net Profit")
    assert_balance_sheet_balances(both)


@pytest.mark.parametrize(("params", "named"), [
    ({"trackingCategoryID": "region", "trackingCategoryID2": "team"}, "trackingCategoryID2"),
    ({"trackingCategoryID": "region", "periods": "1"}, "periods"),
    ({"trackingCategoryID": "team", "trackingOptionID": "north"}, "trackingOptionID"),
    ({"trackingCategoryID2": "region", "trackingOptionID2": "red"}, "trackingOptionID2"),
])
async def test_tracking_parameters_that_cannot_be_served(adapter, tracked, params, named) -> None:
    with pytest.raises(ValidationException) as raised:
        await report(adapter, "getReportProfitAndLoss", **{k: tracked.get(v, v) for k, v in params.items()})
    assert named in raised.value.body()["Elements"][0]["ValidationErrors"][0]["Message"]
