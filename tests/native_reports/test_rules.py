"""The date rules, text forms and section table the reports are built from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from adapters.native import codes
from adapters.native.reports import layout, periods, sections
from adapters.native.reports.periods import Period
from gateway.api.operations import load_operations
from gateway.api.params import typed_parameters
from gateway.xero.errors import ValidationException

D = dt.date


def report_params(raw: dict[str, str]):
    """ProfitAndLoss query parameters, typed as the front end types them."""
    return typed_parameters(raw, load_operations()["getReportProfitAndLoss"])


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2019, 4, 30), -1, D(2019, 3, 31)),
    (D(2019, 3, 31), -1, D(2019, 2, 28)),
    (D(2020, 2, 29), -12, D(2019, 2, 28)),
    (D(2019, 2, 28), 12, D(2020, 2, 29)),  # a month end stays a month end
    (D(2019, 1, 30), 1, D(2019, 2, 28)),  # other days are clamped
    (D(2019, 1, 15), -3, D(2018, 10, 15)),
    (D(2019, 12, 1), 1, D(2020, 1, 1)),
])
def test_add_months(day, months, expected) -> None:
    assert periods.add_months(day, months) == expected


@pytest.mark.parametrize(("day", "end_day", "end_month", "expected"), [
    (D(2026, 3, 18), 31, 12, D(2026, 1, 1)),
    (D(2026, 1, 1), 31, 12, D(2026, 1, 1)),
    (D(2025, 12, 31), 31, 12, D(2025, 1, 1)),
    (D(2019, 4, 30), 31, 3, D(2019, 4, 1)),  # the spec's BalanceSheet example: "4/1/2019"
    (D(2019, 3, 31), 31, 3, D(2018, 4, 1)),  # … and "4/1/2018" for its 31 March column
    (D(2024, 3, 1), 29, 2, D(2024, 3, 1)),
    (D(2023, 2, 28), 29, 2, D(2022, 3, 1)),  # a 29 February year end falls on the 28th in other years
])
def test_financial_year_start(day, end_day, end_month, expected) -> None:
    assert periods.financial_year_start(day, end_day=end_day, end_month=end_month) == expected


def test_comparisons_run_newest_first() -> None:
    base = Period(D(2026, 1, 1), D(2026, 1, 31))
    assert periods.comparisons(base, periods=2, months=1) == [
        base, Period(D(2025, 12, 1), D(2025, 12, 31)), Period(D(2025, 11, 1), D(2025, 11, 30))]
    assert periods.comparisons(Period(None, D(2019, 4, 30)), periods=2, months=1) == [
        Period(None, D(2019, 4, 30)), Period(None, D(2019, 3, 31)), Period(None, D(2019, 2, 28))]


def test_date_range_defaults() -> None:
    today = D(2019, 4, 23)
    assert periods.date_range(report_params({}), today=today) == Period(D(2019, 4, 1), D(2019, 4, 30))
    assert periods.date_range(report_params({"toDate": "2019-02-10"}), today=today) == Period(D(2019, 2, 1),
                                                                                              D(2019, 2, 10))
    assert periods.date_range(report_params({"FromDate": "2019-02-10T00:00:00"}), today=today) == Period(
        D(2019, 2, 10), D(2019, 2, 28))
    with pytest.raises(ValidationException):
        periods.date_range(report_params({"fromDate": "2019-02-10", "toDate": "2019-02-09"}), today=today)


def test_params_read_case_insensitively_and_ignore_empty_values() -> None:
    params = report_params({"PERIODS": "3", "timeframe": "quarter", "paymentsonly": "True", "date": " "})
    assert params.integer("periods", low=0, high=12) == 3
    assert periods.timeframe_months(params) == 3
    assert params.boolean("paymentsOnly") is True
    assert params.date("date") is None
    assert params.guid("x") is None
    assert report_params({"id": "0E64A623A53D4F5C8A56E5B7D4AF9C1A"}).guid("id") == (
        "0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a")


@pytest.mark.parametrize(("value", "text"), [
    (Decimal("1234.5"), "1234.50"), (Decimal("-1850"), "-1850.00"), (Decimal("-0.001"), "0.00"),
    (Decimal("0.005"), "0.01"), (Decimal("-0.005"), "-0.01"), (Decimal("154355.7249"), "154355.72"),
])
def test_money_text(value, text) -> None:
    assert layout.money(value) == text


def test_date_and_percent_texts() -> None:
    day = D(2019, 4, 1)
    assert layout.long_date(day) == "1 April 2019"
    assert layout.short_date(D(2019, 4, 30)) == "30 Apr 2019"
    assert layout.month_year(D(2019, 11, 14)) == "Nov 2019"
    assert layout.budget_month(D(2020, 1, 31)) == "Jan-20"
    assert layout.us_date(day) == "4/1/2019" and layout.us_date(None) == ""
    assert layout.document_date(D(2018, 5, 13)) == "2018-05-13 00:00:00"
    assert layout.percent(Decimal("-21.78")) == "-21.8%"
    assert layout.percent(Decimal("-0.01")) == "0.0%"


def test_sections_cover_every_account_type_once() -> None:
    table = sections.load()
    types = codes.class_by_type()
    pl_types = [t for s in table.profit_and_loss for t in s.types]
    bs_types = [t for s in table.balance_sheet for t in s.types]
    assert sorted(pl_types + bs_types) == sorted(types)
    assert all(types[t] in ("REVENUE", "EXPENSE") for t in pl_types)
    assert table.equity.title == "Equity"
    assert sections.natural_sign("BANK") == 1 and sections.natural_sign("CURRLIAB") == -1
    assert sections.natural_sign("SALES") == -1 and sections.natural_sign("OVERHEADS") == 1
