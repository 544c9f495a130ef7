"""The where/order compiler: what is pushed down, what falls back to memory, and the SQL it writes."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import sqlite

from adapters.native import sqlquery
from adapters.native.translate import fieldmaps
from gateway.xero import query as xq
from gateway.xero.request import OrderTerm

INV = fieldmaps.INVOICES


def _sql(clause) -> str:
    return str(clause.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


@pytest.mark.parametrize("where", [
    'Status == "AUTHORISED"',
    'Type == "ACCREC" AND Total > 100.50',
    'Contact.ContactID == Guid("0E64A623-A53D-4F5C-8A56-E5B7D4AF9C1A")',
    'Contact.ContactID == "0e64a623a53d4f5c8a56e5b7d4af9c1a"',
    "Date >= DateTime(2026, 1, 1) AND Date < DateTime(2026, 2, 1, 12, 0, 0)",
    'Date == "2026-01-15"',
    'Reference.Contains("PO") OR InvoiceNumber.StartsWith("INV") OR Contact.Name.EndsWith("Ltd")',
    'Contact.Name.ToLower() == "meridian university"',
    "NOT (AmountDue > 0) AND DueDate != null",
    "SentToContact AND IsDiscounted == false",
    "UpdatedDateUTC > DateTime(2026, 3, 1, 10, 30, 0)",
    'Total == "abc"',  # no coercion: false for every record
    "Total == AmountDue",
])
def test_pushed_down_entirely(where: str) -> None:
    compiled = sqlquery.compile_where(xq.parse_where(where), INV)
    assert compiled.exact and compiled.clause is not None
    _sql(compiled.clause)  # renders


@pytest.mark.parametrize("where", [
    "HasErrors == false",                 # not in the field map (computed by translate)
    'Reference == "0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a"',  # GUID-looking text vs free text: compared per record
    "InvoiceNumber == 5",                 # a number against text: parsed per record
    'Total > "abc"',                      # raises for every non-null Total: left to the evaluator
    "Total == 12345678901234567.25",      # beyond a double's exact range
    "Reference == InvoiceNumber",         # two free-text fields
    "Total.Contains(\"5\")",              # text method on a number
])
def test_not_pushed_down(where: str) -> None:
    compiled = sqlquery.compile_where(xq.parse_where(where), INV)
    assert not compiled.exact and compiled.residual is not None


def test_a_top_level_and_is_pushed_down_in_part_when_the_rest_cannot_raise() -> None:
    expr = xq.parse_where('Status == "PAID" AND HasErrors == false AND Total > 10')
    compiled = sqlquery.compile_where(expr, INV)
    assert compiled.clause is not None and compiled.residual is expr
    assert "status" in _sql(compiled.clause) and "total" in _sql(compiled.clause)
    # An unpushable conjunct that can raise (ordering on an unmapped field) keeps everything in memory, so that
    # the error is raised exactly when the evaluator raises it.
    risky = sqlquery.compile_where(xq.parse_where('Status == "PAID" AND AmountPaid > "x"'), INV)
    assert risky.clause is None and risky.residual is not None


def test_never_raises() -> None:
    assert sqlquery.never_raises(xq.parse_where('HasErrors == true OR Url.Contains("x")'))
    assert not sqlquery.never_raises(xq.parse_where("HasErrors"))  # a bare non-boolean may be null
    assert not sqlquery.never_raises(xq.parse_where("AmountPaid > 3"))
    assert not sqlquery.never_raises(xq.parse_where('Reference.ToLower() AND true'))


def test_null_semantics_are_two_valued() -> None:
    sql = _sql(sqlquery.compile_bool(xq.parse_where('NOT (DueDate < DateTime(2026,1,1))'), INV))
    assert "IS NOT NULL" in sql  # an ordering on null is false, so NOT of it is true
    assert " IS " in _sql(sqlquery.compile_bool(xq.parse_where('DueDate == null'), INV))
    assert "IS NOT" in _sql(sqlquery.compile_bool(xq.parse_where('Reference != "x"'), INV))


def test_dates_against_instants() -> None:
    # A date's UTC midnight is before 10:00 the same day: Date < 2026-01-05T10:00 ⇔ Date <= 2026-01-05.
    sql = _sql(sqlquery.compile_bool(xq.parse_where("Date < DateTime(2026,1,5,10,0,0)"), INV))
    assert "invoices.date <= '2026-01-05'" in sql
    assert _sql(sqlquery.compile_bool(xq.parse_where("Date == DateTime(2026,1,5,10,0,0)"), INV)) in ("0", "false")
    offset = xq.parse_where('Date >= DateTime.Parse("2026-01-05T00:00:00+05:00")')  # 2026-01-04T19:00Z
    assert "invoices.date > '2026-01-04'" in _sql(sqlquery.compile_bool(offset, INV))


def test_guids_are_normalised() -> None:
    clause = sqlquery.compile_bool(xq.parse_where('InvoiceID == "0E64A623A53D4F5C8A56E5B7D4AF9C1A"'), INV)
    params = clause.compile(dialect=sqlite.dialect()).params
    assert list(params.values()) == ["0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a"]


def test_text_functions_use_python_case_folding() -> None:
    sql = _sql(sqlquery.compile_bool(xq.parse_where('Reference.ToUpper().Contains("PO")'), INV))
    assert "xero_upper(" in sql and "instr(" in sql


def test_order() -> None:
    keys = sqlquery.compile_order([OrderTerm("Contact.Name", True), OrderTerm("Total")], INV)
    assert keys is not None
    rendered = [_sql(k) for k in keys]
    assert rendered[0].startswith("xero_lower(") and rendered[0].endswith("DESC")  # text orders case-insensitively
    assert rendered[1].endswith("ASC") and "xero_lower" not in rendered[1]
    assert sqlquery.compile_order([OrderTerm("HasErrors")], INV) is None


def test_field_kinds_are_checked() -> None:
    with pytest.raises(ValueError):
        sqlquery.Field(fieldmaps.Invoice.id, "uuid")  # type: ignore[arg-type]
