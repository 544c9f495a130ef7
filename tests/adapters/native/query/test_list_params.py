"""The list parameters of GET /Invoices, /Contacts, /Accounts, /Payments and /TaxRates, as Xero defines them (spec
``components.parameters``), pushed down and in memory alike."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from sqlalchemy import select

from adapters.native.tables.core import Contact, Invoice
from gateway.xero.errors import QueryParseException

from .conftest import CLIENT_ID, call, invoice_element

BOTH = pytest.mark.parametrize("pushdown", [True, False], ids=["sql", "memory"])


@BOTH
async def test_if_modified_since_is_strictly_after(adapter, pushdown) -> None:
    every = (await call(adapter, "getInvoices", pushdown=pushdown)).items
    pivot = sorted(i.UpdatedDateUTC for i in every)[len(every) // 2]
    assert pivot.microsecond == 0  # the demo writes on whole minutes
    newer = (await call(adapter, "getInvoices", pushdown=pushdown, if_modified_since=pivot)).items
    assert {i.InvoiceID for i in newer} == {i.InvoiceID for i in every if i.UpdatedDateUTC > pivot}
    just_before = (await call(adapter, "getInvoices", pushdown=pushdown,
                              if_modified_since=pivot - dt.timedelta(seconds=1))).items
    assert len(just_before) == len(newer) + sum(1 for i in every if i.UpdatedDateUTC == pivot)
    contacts = (await call(adapter, "getContacts", pushdown=pushdown, include_archived=True,
                           if_modified_since=pivot)).items
    assert all(c.UpdatedDateUTC > pivot for c in contacts)
    payments = (await call(adapter, "getPayments", pushdown=pushdown, if_modified_since=pivot)).items
    assert payments and all(p.UpdatedDateUTC > pivot for p in payments)
    accounts = (await call(adapter, "getAccounts", pushdown=pushdown, if_modified_since=pivot)).items
    assert accounts == []  # the chart was created with the company, before any document


@BOTH
async def test_ids_contact_ids_numbers_statuses(adapter, pushdown) -> None:
    every = (await call(adapter, "getInvoices")).items
    picked = [every[3].InvoiceID.upper(), every[10].InvoiceID]
    found = (await call(adapter, "getInvoices", pushdown=pushdown, ids=picked)).items
    assert {i.InvoiceID for i in found} == {every[3].InvoiceID, every[10].InvoiceID}
    contact = every[0].Contact.ContactID
    theirs = (await call(adapter, "getInvoices", pushdown=pushdown, contact_ids=[contact.upper()])).items
    assert theirs and {i.Contact.ContactID for i in theirs} == {contact}
    numbered = [i.InvoiceNumber for i in every if i.InvoiceNumber.startswith("INV-")][:3]
    by_number = (await call(adapter, "getInvoices", pushdown=pushdown,
                            invoice_numbers=[n.lower() for n in numbered])).items
    assert sorted(i.InvoiceNumber for i in by_number) == sorted(numbered)
    voided = (await call(adapter, "getInvoices", pushdown=pushdown, statuses=["VOIDED", "deleted"])).items
    assert voided and {i.Status for i in voided} == {"VOIDED", "DELETED"}
    both = (await call(adapter, "getInvoices", pushdown=pushdown, statuses=["PAID"], contact_ids=[contact],
                       where='Type == "ACCREC"')).items
    assert all(i.Status == "PAID" and i.Contact.ContactID == contact and i.Type == "ACCREC" for i in both)


@BOTH
async def test_invoice_search_term(adapter, pushdown) -> None:
    await call(adapter, "createInvoices", elements=[invoice_element(Reference="Order Ref-Ünïque 77")])
    found = (await call(adapter, "getInvoices", pushdown=pushdown, search_term="ref-üNÏque")).items
    assert [i.Reference for i in found] == ["Order Ref-Ünïque 77"]
    number = (await call(adapter, "getInvoices", where='Type == "ACCREC"')).items[0].InvoiceNumber
    by_number = (await call(adapter, "getInvoices", pushdown=pushdown, search_term=number.lower())).items
    assert number in {i.InvoiceNumber for i in by_number}
    # The spec names InvoiceNumber and Reference only: a contact's name is not searched.
    assert (await call(adapter, "getInvoices", pushdown=pushdown, search_term="Meridian University")).items == []


@BOTH
async def test_contacts_search_term_and_archived(adapter, pushdown) -> None:
    for term in ("bennett", "CUST-002", "ashgrove", "oliver.bennett@"):
        found = (await call(adapter, "getContacts", pushdown=pushdown, search_term=term)).items
        assert [c.Name for c in found] == ["Ashgrove Dental Practice"], term
    active = (await call(adapter, "getContacts", pushdown=pushdown)).items
    everyone = (await call(adapter, "getContacts", pushdown=pushdown, include_archived=True)).items
    archived = [c for c in everyone if c.ContactStatus == "ARCHIVED"]
    assert archived and all(c.ContactStatus == "ACTIVE" for c in active)
    assert len(everyone) == len(active) + len(archived)
    asked = (await call(adapter, "getContacts", pushdown=pushdown, where='ContactStatus == "ARCHIVED"')).items
    assert [c.ContactID for c in asked] == [c.ContactID for c in archived]
    assert (await call(adapter, "getContacts", pushdown=pushdown, search_term="old mill")).items == []
    assert (await call(adapter, "getContacts", pushdown=pushdown, search_term="old mill",
                       include_archived=True)).items[0].ContactStatus == "ARCHIVED"


@BOTH
async def test_summary_only(adapter, pushdown) -> None:
    invoices = (await call(adapter, "getInvoices", pushdown=pushdown, page=1, summary_only=True)).items
    assert invoices and all(i.LineItems is None and i.Payments is None for i in invoices)
    full = (await call(adapter, "getInvoices", pushdown=pushdown, page=1)).items
    assert all(i.LineItems for i in full) and any(i.Payments for i in full)
    contacts = (await call(adapter, "getContacts", pushdown=pushdown, page=1, summary_only=True)).items
    assert all(c.Addresses is None and c.Balances is None and c.ContactPersons is None for c in contacts)
    assert all(c.Name and c.ContactStatus for c in contacts)


async def test_unitdp(adapter) -> None:
    element = invoice_element(LineItems=[{"Description": "Bolts", "Quantity": 3, "UnitAmount": "1.2345",
                                          "AccountCode": "200", "TaxType": "OUTPUT2"}])
    (created,) = (await call(adapter, "createInvoices", elements=[element], unitdp=4)).items
    four = (await call(adapter, "getInvoices", ids=[created.InvoiceID], page=1, unitdp=4)).items
    two = (await call(adapter, "getInvoices", ids=[created.InvoiceID], page=1)).items
    assert four[0].LineItems[0].UnitAmount == Decimal("1.2345")
    assert two[0].LineItems[0].UnitAmount == Decimal("1.23")


@BOTH
async def test_created_by_my_app(adapter, pushdown) -> None:
    assert (await call(adapter, "getInvoices", pushdown=pushdown, created_by_my_app=True)).items == []  # demo
    new_contact = invoice_element(Contact={"Name": "Brand New Customer Ltd"})
    (mine,) = (await call(adapter, "createInvoices", elements=[new_contact])).items
    (theirs,) = (await call(adapter, "createInvoices", elements=[invoice_element()], client_id="other-app")).items
    found = (await call(adapter, "getInvoices", pushdown=pushdown, created_by_my_app=True)).items
    assert [i.InvoiceID for i in found] == [mine.InvoiceID]
    other = (await call(adapter, "getInvoices", pushdown=pushdown, created_by_my_app=True,
                        client_id="other-app")).items
    assert [i.InvoiceID for i in other] == [theirs.InvoiceID]
    everything = (await call(adapter, "getInvoices", pushdown=pushdown)).items
    assert {mine.InvoiceID, theirs.InvoiceID} <= {i.InvoiceID for i in everything}
    async with adapter.db.session() as session:  # the contact created by name records its creator too
        row = await session.scalar(select(Contact).where(Contact.name == "Brand New Customer Ltd"))
        assert row is not None and row.created_by_app == CLIENT_ID
        assert (await session.get(Invoice, mine.InvoiceID)).created_by_app == CLIENT_ID
    (contact,) = (await call(adapter, "createContacts", elements=[{"Name": "Made By Other"}],
                             client_id="other-app")).items
    async with adapter.db.session() as session:
        assert (await session.get(Contact, contact.ContactID)).created_by_app == "other-app"


@BOTH
async def test_paging_counts_the_filtered_set(adapter, pushdown) -> None:
    where = 'Type == "ACCREC" AND Status != "DELETED"'
    every = (await call(adapter, "getInvoices", pushdown=pushdown, where=where)).items
    pages = [await call(adapter, "getInvoices", pushdown=pushdown, where=where, page=n, page_size=25)
             for n in (1, 2, 99)]
    for n, result in zip((1, 2, 99), pages, strict=True):
        p = result.pagination
        assert (p.page, p.pageSize, p.itemCount, p.pageCount) == (n, 25, len(every), math.ceil(len(every) / 25))
    assert [i.InvoiceID for i in pages[0].items + pages[1].items] == [i.InvoiceID for i in every[:50]]
    assert pages[2].items == []


@BOTH
async def test_order_and_default_order(adapter, pushdown) -> None:
    by_total = (await call(adapter, "getInvoices", pushdown=pushdown, order="Total DESC, InvoiceNumber")).items
    keys = [(-i.Total, i.InvoiceNumber.lower()) for i in by_total]
    assert keys == sorted(keys)
    default = (await call(adapter, "getInvoices", pushdown=pushdown)).items
    assert [(i.UpdatedDateUTC, i.InvoiceID) for i in default] == sorted((i.UpdatedDateUTC, i.InvoiceID)
                                                                         for i in default)
    names = [c.Name for c in (await call(adapter, "getContacts", pushdown=pushdown, order="Name DESC")).items]
    assert names == sorted(names, key=str.lower, reverse=True)
    rates = (await call(adapter, "getTaxRates", pushdown=pushdown, order="EffectiveRate DESC, Name")).items
    assert [(-r.EffectiveRate, r.Name.lower()) for r in rates] == sorted((-r.EffectiveRate, r.Name.lower())
                                                                         for r in rates)
    payments = (await call(adapter, "getPayments", pushdown=pushdown, order="Amount",
                           where="Amount >= 1000")).items
    assert payments and [p.Amount for p in payments] == sorted(p.Amount for p in payments)


@pytest.mark.parametrize(("operation", "type_name"), [
    ("getInvoices", "Invoice"), ("getContacts", "Contact"), ("getAccounts", "Account"), ("getPayments", "Payment"),
    ("getTaxRates", "TaxRate")])
@BOTH
async def test_unknown_fields_are_refused_as_xero_does(adapter, operation, type_name, pushdown) -> None:
    with pytest.raises(QueryParseException) as err:
        await call(adapter, operation, pushdown=pushdown, where='Foo == "x"')
    assert err.value.message == f"No property or field 'Foo' exists in type '{type_name}'"
    with pytest.raises(QueryParseException) as err:
        await call(adapter, operation, pushdown=pushdown, order="Bar DESC")
    assert err.value.message == f"No property or field 'Bar' exists in type '{type_name}'"


async def test_unknown_nested_field_and_search_term_in_where(adapter) -> None:
    with pytest.raises(QueryParseException) as err:
        await call(adapter, "getInvoices", where='Contact.Nickname == "x"')
    assert err.value.message == "No property or field 'Nickname' exists in type 'Contact'"
    with pytest.raises(QueryParseException) as err:  # seen: Xero-NetStandard issue 512
        await call(adapter, "getInvoices", where='SearchTerm == "abc"')
    assert err.value.message == "No property or field 'SearchTerm' exists in type 'Invoice'"
