"""The where/order compiler: what is pushed down, what falls back to memory, and the SQL it writes."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from adapters.native import sqlquery
from adapters.native.translate import fieldmaps
from gateway.xero import query as xq
from gateway.xero.request import OrderTerm

INV = fieldmaps.INVOICES


def _sql(clause) -> str:
    return str(clause.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def _pg(clause) -> str:
    return str(clause.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


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
    order = sqlquery.compile_order([OrderTerm("Contact.Name", True), OrderTerm("Total")], INV)
    assert order is not None and order.exact_if is None  # SQLite sorts with Python's own str.lower
    rendered = [_sql(k) for k in order.keys]
    assert rendered[0].startswith("xero_lower(") and rendered[0].endswith("DESC")  # text orders case-insensitively
    assert rendered[1].endswith("ASC") and "xero_lower" not in rendered[1]
    assert sqlquery.compile_order([OrderTerm("HasErrors")], INV) is None


def test_field_kinds_are_checked() -> None:
    with pytest.raises(ValueError):
        sqlquery.Field(fieldmaps.Invoice.id, "uuid")  # type: ignore[arg-type]


# PostgreSQL (the agreement test runs these on a real cluster; here: what is pushed and how it is spelled) ------


def test_postgresql_compares_text_in_code_point_order() -> None:
    sql = _pg(sqlquery.compile_bool(xq.parse_where('Reference < "b" AND Contact.Name.EndsWith("Ltd")'), INV,
                                    dialect="postgresql"))
    assert """(coalesce(invoices.reference, '')) COLLATE "C" < 'b'""" in sql
    assert "right(" in sql and "substr(" not in sql  # PostgreSQL's substr takes no negative start


def test_postgresql_leaves_python_case_mapping_to_memory() -> None:
    expr = xq.parse_where('Contact.Name.ToLower() == "i̇stanbul" AND Status == "PAID"')
    compiled = sqlquery.compile_where(expr, INV, dialect="postgresql")
    assert compiled.residual is expr and "status" in _pg(compiled.clause)  # the other conjunct still pre-filters
    assert sqlquery.compile_where(expr, INV).exact  # SQLite runs Python's str.lower itself


def test_postgresql_compares_numbers_as_numeric() -> None:
    where = xq.parse_where("Total > 12345678901234567890.5")
    assert not sqlquery.compile_where(where, INV).exact  # beyond a double: memory on SQLite
    assert "12345678901234567890.5" in _pg(sqlquery.compile_bool(where, INV, dialect="postgresql"))
    with pytest.raises(sqlquery.NotPushable):
        sqlquery.compile_bool(xq.Compare(">", xq.Path(("Total",)), xq.Literal("1e5000")), INV, dialect="postgresql")


def test_postgresql_order_spells_nulls_and_guards_ascii() -> None:
    order = sqlquery.compile_order([OrderTerm("Contact.Name", True), OrderTerm("DueDate"), OrderTerm("InvoiceID")],
                                   INV, dialect="postgresql")
    assert order is not None and order.exact_if is not None
    rendered = [_pg(k) for k in order.keys]
    assert rendered[0].startswith("lower((") and rendered[0].endswith("DESC NULLS LAST")
    assert rendered[1].endswith("ASC NULLS FIRST") and 'COLLATE "C"' in rendered[2]
    assert "~" in _pg(order.exact_if)
    dates = sqlquery.compile_order([OrderTerm("DueDate")], INV, dialect="postgresql")
    assert dates is not None and dates.exact_if is None


def test_postgresql_refuses_nul_in_text() -> None:
    with pytest.raises(sqlquery.NotPushable):
        sqlquery.compile_bool(xq.Compare("==", xq.Path(("Reference",)), xq.Literal("a\x00")), INV,
                              dialect="postgresql")
