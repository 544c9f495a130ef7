"""gateway.xero.fields: one set of readers for request elements (JSON values and XML text alike)."""

from datetime import date
from decimal import Decimal

import pytest

from gateway.xero.errors import ValidationException
from gateway.xero.fields import id_text, text, xero_bool, xero_date, xero_guid, xero_number, xero_text

G = "0e64a623-a53d-4f5c-8a56-e5b7d4af9c1a"


def message(exc: pytest.ExceptionInfo[ValidationException]) -> str:
    return exc.value.body()["Elements"][0]["ValidationErrors"][0]["Message"]


def test_text_is_stripped_and_blank_is_absent():
    assert text("  Acme Ltd \n") == "Acme Ltd"       # QBO's old reader kept the spaces
    assert text("   ") is None
    assert text("") is None
    assert text(None) is None
    assert text(200) == "200"                       # XML/JSON codes given as numbers
    assert xero_text({"Name": " Widget "}, "Name") == "Widget"
    assert xero_text({}, "Name") is None


@pytest.mark.parametrize("value, expected", [
    (2, Decimal(2)), ("2.50", Decimal("2.50")), (" 3.1 ", Decimal("3.1")), (Decimal("-1.25"), Decimal("-1.25")),
    (0.1, Decimal("0.1")), (None, None), ("", None),
])
def test_numbers_are_decimal(value, expected):
    got = xero_number({"Quantity": value}, "Quantity")
    assert got == expected
    assert got is None or isinstance(got, Decimal)


@pytest.mark.parametrize("value", ["NaN", "nan", "Infinity", "-Infinity", "sNaN", True, "ten", "1,000"])
def test_numbers_refuse_nan_infinity_booleans_and_words(value):
    with pytest.raises(ValidationException) as exc:
        xero_number({"UnitAmount": value}, "UnitAmount")
    assert message(exc) == "UnitAmount must be a number"


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), ("true", True), ("FALSE", False), (" True ", True), (None, None), ("", None),
])
def test_booleans(value, expected):
    assert xero_bool({"IsSupplier": value}, "IsSupplier") is expected


@pytest.mark.parametrize("value", ["yes", "1", 1, "t"])
def test_booleans_refuse_anything_else(value):
    with pytest.raises(ValidationException) as exc:
        xero_bool({"IsSupplier": value}, "IsSupplier")
    assert message(exc) == "IsSupplier must be true or false"


def test_guids_follow_the_guid_rule():
    assert xero_guid({"ContactID": "{" + G.upper() + "}"}, "ContactID") == G
    assert xero_guid({"ContactID": G.replace("-", "")}, "ContactID") == G
    assert xero_guid({"ContactID": "  "}, "ContactID") is None
    with pytest.raises(ValidationException) as exc:
        xero_guid({"ContactID": "urn:uuid:" + G}, "ContactID")
    assert message(exc) == f"ContactID must be a GUID; 'urn:uuid:{G}' is not"


def test_id_text_normalises_guids_and_keeps_other_ids():
    assert id_text(G.upper().replace("-", "")) == G
    assert id_text(" INV-0001 ") == "INV-0001"
    assert id_text("") is None
    assert id_text(None) is None


@pytest.mark.parametrize("value", ["/Date(1704153600000+0000)/", "2024-01-02", "2024-01-02T00:00:00"])
def test_dates(value):
    assert xero_date({"Date": value}, "Date") == date(2024, 1, 2)


def test_bad_date():
    with pytest.raises(ValidationException) as exc:
        xero_date({"DueDate": "soon"}, "DueDate")
    assert message(exc) == "DueDate is not a valid date"
