"""List parameters: where, order, paging, If-Modified-Since, IDs/ContactIDs/InvoiceNumbers/Statuses, searchTerm,
includeArchived, summaryOnly."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from gateway.xero.errors import NotFound, QueryParseException

from .conftest import SEED_TIME, call, invoice_element


async def test_where_filters(adapter) -> None:
    every = (await call(adapter, "getInvoices")).items
    authorised = (await call(adapter, "getInvoices", where='Status=="AUTHORISED" AND Type=="ACCREC"')).items
    assert authorised and len(authorised) == sum(1 for i in every if (i.Status, i.Type) == ("AUTHORISED",
                                                                                            "ACCREC"))
    big = (await call(adapter, "getInvoices", where="Total > 5000")).items
    assert big and all(i.Total > 5000 for i in big)
    contact_id = every[0].Contact.ContactID
    theirs = (await call(adapter, "getInvoices", where=f'Contact.ContactID==Guid("{contact_id}")')).items
    assert theirs and all(i.Contact.ContactID == contact_id for i in theirs)
    since = dt.date(SEED_TIME.year, SEED_TIME.month, 1)
    recent = (await call(adapter, "getInvoices",
                         where=f"Date >= DateTime({since.year},{since.month:02d},01)")).items
    assert recent and all(i.Date >= since for i in recent)
    with pytest.raises(QueryParseException):
        await call(adapter, "getInvoices", where="Total > ")


async def test_order(adapter) -> None:
    by_total = (await call(adapter, "getInvoices", order="Total DESC")).items
    totals = [i.Total for i in by_total]
    assert totals == sorted(totals, reverse=True)
    default = (await call(adapter, "getInvoices")).items
    keys = [(i.UpdatedDateUTC, i.InvoiceID) for i in default]
    assert keys == sorted(keys)
    contacts = (await call(adapter, "getContacts", order="Name DESC")).items
    assert [c.Name.lower() for c in contacts] == sorted((c.Name.lower() for c in contacts), reverse=True)
    accounts = (await call(adapter, "getAccounts")).items
    assert [a.Code for a in accounts] == sorted(a.Code for a in accounts)


async def test_paging_and_line_items(adapter) -> None:
    every = (await call(adapter, "getInvoices")).items
    assert all(i.LineItems is None for i in every)  # unpaged lists carry no line items
    page1 = await call(adapter, "getInvoices", page=1, page_size=50)
    page2 = await call(adapter, "getInvoices", page=2, page_size=50)
    assert len(page1.items) == 50 and all(i.LineItems for i in page1.items)
    p = page1.pagination
    assert (p.page, p.pageSize, p.itemCount, p.pageCount) == (1, 50, len(every), math.ceil(len(every) / 50))
    assert [i.InvoiceID for i in page1.items + page2.items] == [i.InvoiceID for i in every[:100]]
    beyond = await call(adapter, "getInvoices", page=99, page_size=100)
    assert beyond.items == [] and beyond.pagination.itemCount == len(every)
    assert (await call(adapter, "getInvoices")).pagination is None


async def test_if_modified_since_is_strictly_after(adapter) -> None:
    every = (await call(adapter, "getInvoices")).items
    pivot = sorted(i.UpdatedDateUTC for i in every)[len(every) // 2]
    newer = (await call(adapter, "getInvoices", if_modified_since=pivot)).items
    assert newer and all(i.UpdatedDateUTC > pivot for i in newer)
    assert len(newer) == sum(1 for i in every if i.UpdatedDateUTC > pivot)
    (created,) = (await call(adapter, "createInvoices", elements=[invoice_element()])).items
    latest = (await call(adapter, "getInvoices", if_modified_since=SEED_TIME)).items
    assert [i.InvoiceID for i in latest] == [created.InvoiceID]
    contacts = (await call(adapter, "getContacts", if_modified_since=SEED_TIME)).items
    assert contacts == []


async def test_list_filters(adapter) -> None:
    every = (await call(adapter, "getInvoices")).items
    picked = [every[3].InvoiceID, every[10].InvoiceID.upper()]
    assert {i.InvoiceID for i in (await call(adapter, "getInvoices", ids=picked)).items} == {
        every[3].InvoiceID, every[10].InvoiceID}
    paid = (await call(adapter, "getInvoices", statuses=["PAID", "voided"])).items
    assert paid and {i.Status for i in paid} == {"PAID", "VOIDED"}
    contact_id = every[0].Contact.ContactID
    theirs = (await call(adapter, "getInvoices", contact_ids=[contact_id])).items
    assert theirs and {i.Contact.ContactID for i in theirs} == {contact_id}
    numbered = [i.InvoiceNumber for i in every if i.InvoiceNumber][:3]
    assert sorted(i.InvoiceNumber for i in (await call(adapter, "getInvoices", invoice_numbers=numbered)).items
                  ) == sorted(numbered)
    found = (await call(adapter, "getInvoices", search_term=numbered[0].lower())).items
    assert numbered[0] in {i.InvoiceNumber for i in found}


async def test_summary_only_and_unitdp(adapter) -> None:
    summary = (await call(adapter, "getInvoices", page=1, summary_only=True)).items
    assert all(i.LineItems is None and i.Payments is None for i in summary)
    four = (await call(adapter, "getInvoices", page=1, unitdp=4)).items
    assert all(li.UnitAmount == li.UnitAmount.quantize(Decimal("0.0001")) for i in four for li in i.LineItems)
    contacts = (await call(adapter, "getContacts", summary_only=True)).items
    assert all(c.Addresses is None for c in contacts)


async def test_contacts_archived_search_and_balances(adapter) -> None:
    active = (await call(adapter, "getContacts")).items
    everyone = (await call(adapter, "getContacts", include_archived=True)).items
    archived = [c for c in everyone if c.ContactStatus == "ARCHIVED"]
    assert archived and len(everyone) == len(active) + len(archived)
    assert all(c.ContactStatus == "ACTIVE" for c in active)
    via_where = (await call(adapter, "getContacts", where='ContactStatus=="ARCHIVED"')).items
    assert [c.ContactID for c in via_where] == [c.ContactID for c in archived]
    for term in ("bennett", "cust-002", "ASHGROVE", "oliver.bennett@"):
        found = (await call(adapter, "getContacts", search_term=term)).items
        assert [c.Name for c in found] == ["Ashgrove Dental Practice"], term
    paged = (await call(adapter, "getContacts", page=1)).items
    assert all(c.Balances is not None for c in paged)
    assert any(c.Balances.AccountsReceivable.Outstanding > 0 for c in paged)
    assert any(c.IsCustomer for c in paged) and any(c.IsSupplier for c in paged)
    ids = (await call(adapter, "getContacts", ids=[active[0].ContactID])).items
    assert [c.ContactID for c in ids] == [active[0].ContactID]


async def test_settings_lists(adapter) -> None:
    banks = (await call(adapter, "getAccounts", where='Type=="BANK"')).items
    assert {a.Code for a in banks} == {"090", "091"}
    (rate,) = (await call(adapter, "getTaxRateByTaxType", path={"TaxType": "OUTPUT2"})).items
    assert rate.Name == "20% (VAT on Income)"
    rates = (await call(adapter, "getTaxRates", order="Name DESC", where="EffectiveRate > 0")).items
    assert [r.Name for r in rates] == sorted((r.Name for r in rates), key=str.lower, reverse=True)
    assert all(r.EffectiveRate > 0 for r in rates)
    with pytest.raises(NotFound):
        await call(adapter, "getTaxRateByTaxType", path={"TaxType": "GST"})
    (account,) = (await call(adapter, "getAccount", path={"AccountID": banks[0].AccountID})).items
    assert account.Code == banks[0].Code
    with pytest.raises(NotFound):
        await call(adapter, "getAccount", path={"AccountID": "00000000-0000-0000-0000-000000000000"})
    (contact,) = (await call(adapter, "getContactByContactNumber", path={"ContactNumber": "SUPP-019"})).items
    assert contact.IsSupplier is True
    with pytest.raises(NotFound):
        await call(adapter, "getContactByContactNumber", path={"ContactNumber": "NOPE"})
    with pytest.raises(NotFound):
        await call(adapter, "getContact", path={"ContactID": "not-a-guid"})
