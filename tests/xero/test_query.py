"""The where/order language: parsing, errors and evaluation over Xero-named records."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from gateway.xero.errors import QueryParseException
from gateway.xero.models import Invoice
from gateway.xero.query import (
    BoolOp,
    Compare,
    Literal,
    Path,
    check_fields,
    matches,
    parse_order,
    parse_where,
    sort_records,
)
from gateway.xero.request import OrderTerm

INV = {
    "InvoiceID": "3e1a5b0c-6f7d-4c1e-9b1a-2d9f0c8e7a61",
    "Type": "ACCREC",
    "Status": "AUTHORISED",
    "Total": Decimal("120.00"),
    "Date": date(2024, 3, 15),
    "UpdatedDateUTC": datetime(2024, 3, 16, 10, 0, tzinfo=UTC),
    "Reference": None,
    "HasAttachments": False,
    "Contact": {"ContactID": "9f1c2d3e-0000-4000-8000-000000000001", "Name": "Bayside Club"},
}


def test_tree_shape():
    expr = parse_where('Status=="AUTHORISED" AND Total>100')
    assert expr == BoolOp("and", (Compare("==", Path(("Status",)), Literal("AUTHORISED")),
                                  Compare(">", Path(("Total",)), Literal(Decimal("100")))))


@pytest.mark.parametrize("where, expected", [
    ('Status=="AUTHORISED"', True),
    ('Status == "DRAFT"', False),
    ('Type=="ACCREC" && Status!="PAID"', True),
    ('Type=="ACCPAY" || Total>=120', True),
    ('Type=="ACCPAY" OR Total>120', False),
    ('NOT (Type=="ACCPAY")', True),
    ('Contact.ContactID==Guid("9F1C2D3E-0000-4000-8000-000000000001")', True),
    ('Contact.ContactID==GUID("9f1c2d3e000040008000000000000001")', True),
    ('Contact.Name.Contains("Bay")', True),
    ('Contact.Name.contains("bay")', False),
    ('Contact.Name.ToLower().contains("bay")', True),
    ('Contact.Name.StartsWith("Bays") and Contact.Name.EndsWith("Club")', True),
    ('Contact.Name.ToUpper()=="BAYSIDE CLUB"', True),
    ("Date>=DateTime(2024,03,01) AND Date<DateTime(2024,4,1)", True),
    ("Date==DateTime(2024,3,15)", True),
    ('UpdatedDateUTC>DateTime.Parse("2024-03-16T09:00:00")', True),
    ("UpdatedDateUTC>DateTime(2024,3,16,10,0,0)", False),
    ("Reference==null", True),
    ("Reference!=null", False),
    ("HasAttachments==false", True),
    ("Total==120", True),
    ("Total<120.01", True),
    ("InvoiceID=Guid(\"3e1a5b0c-6f7d-4c1e-9b1a-2d9f0c8e7a61\")", True),
])
def test_matches(where, expected):
    assert matches(parse_where(where), INV) is expected


@pytest.mark.parametrize("where, fragment", [
    ('Status=="AUTHORISED" AND', "Expression expected (at index 24)"),
    ('(Status=="AUTHORISED"', "')' expected"),
    ('Status=="AUTHORISED', "Unterminated string literal (at index 8)"),
    ('Name.Frobnicate("x")', "No applicable method 'Frobnicate'"),
    ('Contact.ContactID==Guid("nope")', "'nope' is not a valid Guid"),
    ("Date==DateTime(2024,13,1)", "Invalid DateTime"),
    ("Date==DateTime(2024,1)", "DateTime takes"),
    ("Status==\"A\" Status", "Syntax error (at index 12)"),
    ("", "Expression expected"),
    ("Total # 3", "Syntax error '#'"),
])
def test_parse_errors_point_at_the_fault(where, fragment):
    with pytest.raises(QueryParseException) as err:
        parse_where(where)
    assert fragment in err.value.message
    assert err.value.status == 400 and err.value.body()["Type"] == "QueryParseException"


def test_non_boolean_where_is_rejected():
    with pytest.raises(QueryParseException):
        matches(parse_where("Total"), INV)


def test_check_fields_against_model():
    check_fields(parse_where('Contact.Name=="x" AND Total>1'), Invoice)
    with pytest.raises(QueryParseException, match="No property or field 'Colour' exists in type 'Invoice'"):
        check_fields(parse_where('Colour=="red"'), Invoice)
    with pytest.raises(QueryParseException, match="exists in type 'Contact'"):
        check_fields(parse_order("Contact.Shoe DESC"), Invoice)


def test_order_parse_and_sort():
    assert parse_order("Name ASC, UpdatedDateUTC desc") == [
        OrderTerm("Name"), OrderTerm("UpdatedDateUTC", descending=True)]
    assert parse_order("Contact.Name") == [OrderTerm("Contact.Name")]
    with pytest.raises(QueryParseException):
        parse_order("Name SIDEWAYS")
    rows = [{"Name": "beta", "N": 2}, {"Name": "Alpha", "N": 2}, {"Name": None, "N": 1}, {"Name": "gamma", "N": 1}]
    assert [r["Name"] for r in sort_records(rows, parse_order("Name"))] == [None, "Alpha", "beta", "gamma"]
    assert [r["Name"] for r in sort_records(rows, parse_order("N DESC, Name"))] == ["Alpha", "beta", None, "gamma"]


@pytest.mark.parametrize("where", ['Total > "NaN"', 'Total > "Infinity"', 'Date > "/Date(99999999999999999)/"'])
def test_values_that_are_not_amounts_or_dates_are_400_not_500(where):
    with pytest.raises(QueryParseException, match="incompatible"):
        matches(parse_where(where), INV)


@pytest.mark.parametrize("where", ["(" * 166 + 'Name=="a"' + ")" * 166, "!" * 1200 + "true",
                                   'Name.Contains(' * 40 + '"a"' + ")" * 40])
def test_nesting_is_bounded(where):
    """Deep nesting is a QueryParseException (400), not a RecursionError (500) (issue 11, item 7)."""
    with pytest.raises(QueryParseException, match="nested deeper than 32"):
        parse_where(where)


def test_nesting_within_the_bound_parses():
    assert parse_where("(" * 32 + 'Name=="a"' + ")" * 32) == parse_where('Name=="a"')
    assert parse_where("!" * 32 + "true") is not None
