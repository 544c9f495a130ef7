"""Translation rules of the Sage 50 writes and contact reads that the contract walk found wrong (unit level)."""

from __future__ import annotations

from datetime import date

from adapters.sage50.codes import codes
from adapters.sage50.translate.contacts import contact
from adapters.sage50.translate.writes import document_number, next_reference
from adapters.sage50.unit import Books


def _books(**tables: dict[str, dict]) -> Books:
    return Books(tenant_id="00000000-0000-0000-0000-000000000001", tables=tables)


def test_a_tax_type_of_the_other_side_has_no_sage_code() -> None:
    # T1 serves both sides in Sage, but Xero refuses input VAT on a sales line (and output VAT on a purchase).
    assert codes().sage_tax("OUTPUT2", "output") == "T1"
    assert codes().sage_tax("INPUT2", "input") == "T1"
    assert codes().sage_tax("INPUT2", "output") is None
    assert codes().sage_tax("OUTPUT2", "input") is None
    assert codes().sage_tax("NONE", "input") == "T9"


def test_references_are_numbered_past_posted_and_taken_ones() -> None:
    books = _books(AUDIT_HEADER={"1": {"HEADER_NUMBER": 1, "TYPE": "SI", "INV_REF": "INV-0001", "ITEM_COUNT": 1}},
                   AUDIT_SPLIT={"1": {"TRAN_NUMBER": 1, "HEADER_NUMBER": 1}})
    assert next_reference(books, "ACCREC") == "INV-0002"
    assert next_reference(books, "ACCREC", {"INV-0002"}) == "INV-0003"
    assert next_reference(books, "SPEND") == "BP-0001"
    # A bill without InvoiceNumber still gets a reference the connector can find its posting by.
    assert document_number(books, {"Type": "ACCPAY"}, kind="ACCPAY", number_field="InvoiceNumber") == "PI-0001"
    assert document_number(books, {"InvoiceNumber": "B-7"}, kind="ACCPAY", number_field="InvoiceNumber") == "B-7"


def test_the_contact_name_reads_back_as_first_and_last_name() -> None:
    books = _books(SALES_LEDGER={"ADA1": {"ACCOUNT_REF": "ADA1", "NAME": "Ada Ltd", "CONTACT_NAME": "Ada Walker"},
                                 "GRA1": {"ACCOUNT_REF": "GRA1", "NAME": "Grace Ltd", "CONTACT_NAME": "Grace"}})
    ada = contact(books, "ADA1", today=date(2026, 12, 7))
    grace = contact(books, "GRA1", today=date(2026, 12, 7))
    assert (ada.FirstName, ada.LastName) == ("Ada", "Walker")
    assert (grace.FirstName, grace.LastName) == ("Grace", None)
