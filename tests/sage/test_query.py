"""Xero ``where``/paging → Sage list parameters (:mod:`adapters.sage_accounting.query`, ``listing.cover``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from adapters.sage_accounting import resources
from adapters.sage_accounting.listing import cover, finish
from adapters.sage_accounting.query import guid_literals, plan
from gateway.xero.models import Contact
from gateway.xero.query import parse_order, parse_where
from gateway.xero.request import ListQuery

CONTACT = str(uuid.uuid4())
SAGE_CONTACT = "c" * 32


def planned(where: str | None = None, collection=resources.INVOICES, **query):
    q = ListQuery(where=parse_where(where) if where else None, **query)
    resolved = {CONTACT: ("contacts", SAGE_CONTACT)}
    return plan(collection, q, resolved=resolved)


def live(result) -> dict[str, dict[str, str]]:
    return {s.resource: {k: v for k, v in s.params.items() if k not in ("attributes", "show_payments_allocations")}
            for s in result.live}


def test_discriminator_selects_streams():
    result = planned('Type=="ACCPAY"')
    assert live(result) == {"purchase_invoices": {}} and result.exact
    result = planned('Type=="ACCREC" OR Type=="ACCPAY"')
    assert set(live(result)) == {"sales_invoices", "purchase_invoices"} and result.exact


def test_contact_and_dates_are_exact():
    result = planned(f'Contact.ContactID==Guid("{CONTACT}") AND Date>=DateTime(2025,1,1) AND Date<DateTime(2025,2,1)')
    assert live(result)["sales_invoices"] == {"contact_id": SAGE_CONTACT, "from_date": "2025-01-01",
                                              "to_date": "2025-01-31"}
    assert result.exact


def test_unknown_contact_matches_nothing():
    result = planned(f'Contact.ContactID==Guid("{uuid.uuid4()}")')
    assert result.live == [] and result.exact


def test_status_pushdown():
    assert live(planned('Status=="DRAFT"'))["sales_invoices"] == {"status_id": "DRAFT"}
    assert live(planned('Status=="VOIDED"'))["purchase_invoices"] == {"status_id": "VOID"}
    authorised = planned('Status=="AUTHORISED"')
    assert live(authorised)["sales_invoices"] == {} and not authorised.exact  # two Sage statuses: residual
    assert planned('Status=="DELETED"').live == []
    assert live(planned(statuses=["PAID"]))["sales_invoices"] == {"status_id": "PAID"}


def test_text_is_a_superset_kept_residual():
    result = planned('Reference=="PO-1"')
    assert live(result)["sales_invoices"] == {"search": "PO-1"} and result.residual is not None
    contacts = planned('Name.Contains("Acme") AND IsSupplier==true', collection=resources.CONTACTS)
    assert live(contacts)["contacts"] == {"search": "Acme", "contact_type_id": "VENDOR"}
    assert not contacts.exact


def test_conflicting_values_stay_residual():
    result = planned('IsCustomer==true AND IsSupplier==true', collection=resources.CONTACTS)
    assert live(result)["contacts"] == {"contact_type_id": "CUSTOMER"} and not result.exact


def test_if_modified_since_is_inclusive_at_sage_so_residual():
    since = datetime(2025, 3, 1, 12, 30, 5, tzinfo=UTC)
    result = planned(if_modified_since=since)
    assert live(result)["sales_invoices"] == {"updated_or_created_since": "2025-03-01T12:30:05Z"}
    assert not result.exact
    exact = planned("UpdatedDateUTC>=DateTime(2025,3,1)")
    assert exact.exact and live(exact)["purchase_invoices"] == {"updated_or_created_since": "2025-03-01T00:00:00Z"}


def test_everything_else_is_residual_and_order_forces_gateway_sort():
    result = planned('Total>100 AND NOT(Status=="PAID")', order=parse_order("Date DESC"))
    assert not result.exact and result.sort and live(result)["sales_invoices"] == {}
    assert guid_literals(parse_where(f'Contact.ContactID==Guid("{CONTACT}")'), resources.INVOICES) == [
        ("contact.contactid", CONTACT)]


def test_collection_params_are_always_sent():
    stream = planned().streams[0]
    assert stream.params["attributes"] == "all" and stream.params["show_payments_allocations"] == "true"
    assert stream.key() == "attributes=all&show_payments_allocations=true"


@pytest.mark.parametrize(("start", "length", "calls"), [
    (0, 100, [(1, 100)]),
    (100, 100, [(2, 100)]),
    (900, 100, [(10, 100)]),
    (30, 100, [(1, 130)]),
    (150, 100, [(2, 125)]),
    (0, 1000, [(1, 200), (2, 200), (3, 200), (4, 200), (5, 200)]),
    (399, 2, [(134, 3)]),
    (150, 200, [(1, 200), (2, 200)]),
    (5, 0, []),
])
def test_cover_uses_one_call_whenever_possible(start, length, calls):
    got = cover(start, length)
    assert got == calls
    assert all(size <= 200 for _, size in got)
    covered = {i for page, size in got for i in range((page - 1) * size, page * size)}
    assert set(range(start, start + length)) <= covered


def test_finish_filters_sorts_and_pages_in_the_gateway():
    models = [Contact(Name=n, EmailAddress=f"{n.lower()}@x.test", IsCustomer=i % 2 == 0)
              for i, n in enumerate(["Delta", "alpha", "Charlie", "Bravo", "echo"])]
    q = ListQuery(where=parse_where("IsCustomer==true"), order=parse_order("Name"), page=1, page_size=2)
    result = planned("IsCustomer==true", collection=resources.CONTACTS, order=parse_order("Name"))
    result.residual = q.where
    listed = finish(models, result, q)
    assert [m.Name for m in listed.items] == ["Charlie", "Delta"]
    assert (listed.pagination.itemCount, listed.pagination.pageCount) == (3, 2)
    result.keep_search, result.residual, result.sort = "ALP", None, []
    assert [m.Name for m in finish(models, result, ListQuery(), search_paths=("Name",)).items] == ["alpha"]
