"""XML names that differ from the JSON names of Xero's spec."""

from gateway.xero.xmlbody import parse_xml_body


def test_pyxero_allocation_applied_amount_is_the_json_amount():
    body = (b"<Allocation><Invoice><InvoiceID>5b7e3b1e-0000-4000-8000-000000000001</InvoiceID></Invoice>"
            b"<AppliedAmount>24.00</AppliedAmount><Date>2026-11-21T00:00:00</Date></Allocation>")
    assert parse_xml_body(body) == {"Invoice": {"InvoiceID": "5b7e3b1e-0000-4000-8000-000000000001"},
                                    "Amount": "24.00", "Date": "2026-11-21T00:00:00"}


def test_an_explicit_amount_wins_and_other_objects_are_untouched():
    assert parse_xml_body(b"<Allocation><Amount>1</Amount><AppliedAmount>2</AppliedAmount></Allocation>") == {
        "Amount": "1", "AppliedAmount": "2"}
    assert parse_xml_body(b"<Payment><AppliedAmount>2</AppliedAmount></Payment>") == {"AppliedAmount": "2"}
