"""QBO reports → Xero's report shape (recorded report samples), and QBO faults in their three envelopes → Xero
errors."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from adapters.qbo.errors import QboFault, QboUnavailable, parse_fault, to_xero_error
from adapters.qbo.translate.reports import amount_text, bank_rows, movements, report_to_xero
from emulators.qbo import faults as emulator_faults
from gateway.xero.envelope import build_envelope, to_json_bytes
from gateway.xero.errors import (
    Forbidden,
    NotFound,
    QueryParseException,
    RateLimited,
    ValidationException,
)

from .translation_support import account, guid, sample, tx

NOW = datetime(2024, 4, 23, 10, 0, tzinfo=UTC)


def conforms(xero_spec, path: str, report) -> None:
    body = to_json_bytes(build_envelope("Reports", [report], provider_name="test"))
    xero_spec.validate_response("GET", path, 200, body, {"Content-Type": "application/json"})


def test_profit_and_loss_sample_flattens_like_xeros_own_example(xero_spec):
    t = tx(accounts=[account("48", "Fountains and Garden Lighting", "Income"),
                     account("54", "Pest Control Services", "Income")])
    report = report_to_xero(sample("reports/ProfitAndLoss", "query_response"), t, report_type="ProfitAndLoss",
                            name="Profit and Loss", period="1 June 2015 to 30 June 2015", now=NOW)
    assert report.ReportTitles == ["Profit and Loss", "Larry's Bakery", "1 June 2015 to 30 June 2015"]
    assert report.ReportDate == "23 April 2024" and report.ReportType == "ProfitAndLoss"
    rows = report.Rows
    assert rows[0].RowType == "Header" and [c.Value for c in rows[0].Cells] == ["", "Total"]
    flat = [(r.RowType, r.Title, [[c.Value for c in row.Cells] for row in r.Rows or []]) for r in rows[1:]]
    assert flat[:6] == [
        ("Section", "Income", []),
        ("Section", "Landscaping Services", []),
        ("Section", "Job Materials", [["Fountains and Garden Lighting", "275.00"], ["Plants and Soil", "150.00"],
                                      ["Total Job Materials", "425.00"]]),
        ("Section", "", [["Total Landscaping Services", "425.00"]]),
        ("Section", "", [["Pest Control Services", "-100.00"]]),
        ("Section", "", [["Total Income", "325.00"]])]
    assert ("Section", "", [["Net Income", "325.00"]]) in flat
    fountains = rows[3].Rows[0]
    assert [a.model_dump() for a in fountains.Cells[1].Attributes] == [{"Id": "account",
                                                                        "Value": guid("Account", "48")}]
    assert rows[3].Rows[1].Cells[0].Attributes is None  # account 49 is not one the realm knows
    assert rows[3].Rows[2].RowType == "SummaryRow"
    conforms(xero_spec, "/Reports/ProfitAndLoss", report)


def test_other_recorded_reports_convert(xero_spec):
    t = tx()
    for name, example, path in (("reports/BalanceSheet", "query_response", "/Reports/BalanceSheet"),
                                ("reports/TrialBalance", "query_response", "/Reports/TrialBalance"),
                                ("reports/AgedReceivables", "query_response", "/Reports/AgedReceivablesByContact"),
                                ("reports/AgedPayables", "query_response", "/Reports/AgedPayablesByContact")):
        report = report_to_xero(sample(name, example), t, report_type=path.rsplit("/", 1)[-1], name=name,
                                period="As at 31 December 2015", now=NOW)
        assert report.Rows[0].RowType == "Header" and len(report.Rows) > 1
        conforms(xero_spec, path, report)
    aged = report_to_xero(sample("reports/AgedReceivables", "query_response"), t,
                          report_type="AgedReceivablesByContact", name="Aged", period="", now=NOW)
    assert [c.Value for c in aged.Rows[0].Cells] == ["", "Current", "1 - 30", "31 - 60", "61 - 90", "91 and over",
                                                     "Total"]
    assert [c.Value for c in aged.Rows[1].Rows[0].Cells] == ["Jane Litigious", "", "", "", "", "37.50", "37.50"]


def test_bank_balances_and_movements_from_reports():
    balance_sheet = {"Rows": {"Row": [{"Rows": {"Row": [{"ColData": [{"id": "35", "value": "Checking"},
                                                                     {"value": "120.50"}]},
                                                        {"ColData": [{"id": "9", "value": "Other"},
                                                                     {"value": "1"}]}]}}]}}
    assert bank_rows(balance_sheet, {"35"}) == {"35": Decimal("120.50")}
    ledger = {"Columns": {"Column": [{"ColType": "tx_date"}, {"ColType": "subt_nat_amount"}]},
              "Rows": {"Row": [{"Header": {"ColData": [{"id": "35", "value": "Checking"}]}, "Rows": {"Row": [
                  {"ColData": [{"value": "2024-01-01"}, {"value": "100"}]},
                  {"ColData": [{"value": "2024-01-02"}, {"value": "-40.5"}]}]}}]}}
    assert movements(ledger, {"35"}) == {"35": (Decimal("100"), Decimal("40.5"))}
    assert [amount_text(v) for v in ("975.0", "-0.00", "", "n/a")] == ["975.00", "0.00", "", "n/a"]


def test_the_three_fault_envelopes():
    recorded = sample("platform/Fault", "validation_fault_duplicate_name_6240")
    import json

    duplicate = parse_fault(400, json.dumps(recorded))
    assert duplicate.type == "ValidationFault" and duplicate.codes == {"6240"}
    error = to_xero_error(duplicate, element={"Name": "Acme"})
    assert isinstance(error, ValidationException)
    assert error.elements[0]["Name"] == "Acme"
    assert error.elements[0]["ValidationErrors"][0]["Message"].startswith(
        "QuickBooks Online error 6240: Duplicate Name Exists Error: The name supplied already exists.")

    gateway_401 = parse_fault(401, json.dumps(sample("platform/Fault", "authentication_fault_401_gateway_lowercase")))
    assert gateway_401.type == "AUTHENTICATION" and gateway_401.codes == {"3200"}
    assert "Token expired" in gateway_401.text()

    throttle = parse_fault(429, emulator_faults.throttle_xml("2024-01-01T00:00:00.000-08:00"))
    assert throttle.codes == {"3001"} and "ThrottleExceeded" in throttle.text()
    limited = to_xero_error(throttle)
    assert isinstance(limited, RateLimited) and limited.headers == {"Retry-After": "60",
                                                                    "X-Rate-Limit-Problem": "minute"}
    told = to_xero_error(parse_fault(429, "", retry_after="12"))
    assert told.headers["Retry-After"] == "12"


def test_fault_mapping():
    not_found = parse_fault(400, '{"Fault": {"Error": [{"Message": "Object Not Found", "code": "610"}], '
                                 '"type": "ValidationFault"}}')
    assert isinstance(to_xero_error(not_found, reading_one=True), NotFound)
    assert isinstance(to_xero_error(not_found), ValidationException)
    query = parse_fault(400, '{"Fault": {"Error": [{"Message": "Error parsing query", "code": "4000"}]}}')
    assert isinstance(to_xero_error(query), QueryParseException)
    server = parse_fault(503, emulator_faults.server_error_xml("t", 503))
    assert isinstance(to_xero_error(server), QboUnavailable) and "3100" in to_xero_error(server).message
    forbidden = parse_fault(403, '{"Fault": {"Error": [{"Message": "denied", "code": "3100"}], '
                                 '"type": "AuthorizationFault"}}')
    assert isinstance(to_xero_error(forbidden), Forbidden)
    assert to_xero_error(forbidden).message.startswith("AuthorizationUnsuccessful")
    nonsense = parse_fault(502, b"<html>bad gateway</html>")
    assert nonsense.codes == {"502"} and isinstance(to_xero_error(nonsense), QboUnavailable)
    assert isinstance(QboFault(400), Exception) and str(QboFault(400)).startswith("QuickBooks Online error 400")
