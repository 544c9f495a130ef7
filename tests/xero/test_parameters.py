"""gateway.xero.parameters: query parameters typed by the spec, read case-insensitively, one rule per kind."""

import datetime as dt

import pytest

from gateway.api.operations import load_operations
from gateway.api.params import typed_parameters
from gateway.xero.errors import ValidationException
from gateway.xero.parameters import Parameters, parse_parameters

G = "0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a"
TYPES = {"fromDate": "date", "contactId": "uuid", "periods": "integer", "paymentsOnly": "boolean",
         "timeframe": ("MONTH", "QUARTER", "YEAR"), "IDs": "array:uuid", "References": "array", "Status": "string"}


def parse(pairs, types=None) -> Parameters:
    return parse_parameters(pairs, TYPES if types is None else types)


def message(exc: pytest.ExceptionInfo[ValidationException]) -> str:
    return exc.value.body()["Elements"][0]["ValidationErrors"][0]["Message"]


def test_values_are_typed_and_names_case_insensitive():
    p = parse([("FROMDATE", "2026-03-01"), ("contactid", G.upper().replace("-", "")), ("Periods", " 3 "),
               ("paymentsonly", "True"), ("TimeFrame", "quarter"), ("ids", G), ("IDs", "{" + G + "}"),
               ("references", "A, B"), ("References", "C"), ("status", " draft ")])
    assert p["fromDate"] == dt.date(2026, 3, 1) and p.date("fromdate") == dt.date(2026, 3, 1)
    assert p["contactId"] == G
    assert p["periods"] == 3 and p.integer("PERIODS", low=0, high=12) == 3
    assert p["paymentsOnly"] is True and p.boolean("paymentsOnly") is True
    assert p["timeframe"] == "QUARTER"                      # the spec's spelling of the enum value
    assert p["IDs"] == [G, G]                                # repeated and braced, one GUID rule
    assert p.items_of("references") == ["A", "B", "C"]
    assert p.text("Status") == "draft"
    assert set(p) == {"fromDate", "contactId", "periods", "paymentsOnly", "timeframe", "IDs", "References", "Status"}


def test_dates_take_iso_date_times_and_ms_dates_as_their_calendar_day():
    assert parse([("fromDate", "2026-03-01T00:00:00")])["fromDate"] == dt.date(2026, 3, 1)
    assert parse([("fromDate", "/Date(1772323200000+0000)/")])["fromDate"] == dt.date(2026, 3, 1)


def test_blank_values_are_absent():
    p = parse([("fromDate", "  "), ("paymentsOnly", ""), ("Status", " ")])
    assert "fromDate" not in p and p.date("fromDate") is None
    assert p.boolean("paymentsOnly") is None and p.boolean("paymentsOnly", False) is False
    assert p.text("Status") is None and len(p) == 0


@pytest.mark.parametrize(("pairs", "expected"), [
    ([("fromDate", "2026-02-31")], "fromDate must be a date (YYYY-MM-DD); '2026-02-31' is not"),
    ([("contactId", "urn:uuid:" + G)], f"'urn:uuid:{G}' in contactId is not a valid GUID"),
    ([("periods", "two")], "periods must be a whole number; 'two' is not"),
    ([("periods", "1.5")], "periods must be a whole number; '1.5' is not"),
    ([("paymentsOnly", "maybe")], "paymentsOnly must be true or false; 'maybe' is not"),
    ([("paymentsOnly", "1")], "paymentsOnly must be true or false; '1' is not"),  # no silent false
    ([("timeframe", "WEEK")], "timeframe must be one of MONTH, QUARTER, YEAR; 'WEEK' is not"),
    ([("IDs", f"{G},nope")], "'nope' in IDs is not a valid GUID"),
])
def test_bad_values_answer_a_400_naming_the_parameter(pairs, expected):
    with pytest.raises(ValidationException) as exc:
        parse(pairs)
    assert message(exc) == expected


def test_undeclared_parameters_stay_text_and_accessors_apply_the_same_rules():
    p = parse([("trackingCategoryID", G.upper()), ("offset", "-1"), ("DateFrom", "2026-01-02")], types={})
    assert p["trackingCategoryID"] == G.upper()
    assert p.guid("trackingCategoryID") == G
    assert p.date("DateFrom") == dt.date(2026, 1, 2)
    with pytest.raises(ValidationException) as exc:
        p.integer("offset", low=0)
    assert message(exc) == "offset must be a whole number of at least 0; '-1' is not"
    with pytest.raises(ValidationException) as exc:
        parse([("trackingOptionID", "north")], types={}).guid("trackingOptionID")
    assert message(exc) == "'north' in trackingOptionID is not a valid GUID"


def test_integer_bounds():
    p = parse([("periods", "13")])
    with pytest.raises(ValidationException) as exc:
        p.integer("periods", low=0, high=12)
    assert message(exc) == "periods must be a whole number from 0 to 12; '13' is not"


def test_types_come_from_the_spec_through_the_operation_table():
    ops = load_operations()
    balance_sheet = ops["getReportBalanceSheet"].parameter_types
    assert balance_sheet["date"] == "date" and balance_sheet["periods"] == "integer"
    assert balance_sheet["timeframe"] == ("MONTH", "QUARTER", "YEAR")
    assert balance_sheet["trackingOptionID1"] == "string"     # the spec leaves it untyped
    assert ops["getReportBudgetSummary"].parameter_types["timeframe"] == "integer"
    assert ops["getInvoices"].parameter_types["IDs"] == "array:uuid"
    assert ops["getJournals"].parameter_types == {"offset": "integer", "paymentsOnly": "boolean"}
    typed = typed_parameters({"PaymentsOnly": "TRUE", "offset": "7"}, ops["getJournals"])
    assert typed["paymentsOnly"] is True and typed["offset"] == 7
