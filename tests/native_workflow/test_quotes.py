"""Quotes on the native ledger: numbering, defaults, status transitions, validation, filters, no posting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from adapters.native.models import Journal
from gateway.xero.errors import NotFound, ValidationException
from tests.front import xero_request
from tests.native.conftest import ctx

from .conftest import call, quote_element


async def _journal_count(adapter) -> int:
    async with adapter.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Journal)))


async def test_create_numbers_computes_and_never_posts(adapter) -> None:
    before = await _journal_count(adapter)
    highest = max(int(q.QuoteNumber[3:]) for q in (await call(adapter, "getQuotes")).items)  # the demo's quotes
    first = (await call(adapter, "createQuotes", elements=[quote_element()])).items[0]
    second = (await call(adapter, "createQuotes", elements=[quote_element(Status="SENT")])).items[0]
    assert (first.QuoteNumber, second.QuoteNumber) == (f"QU-{highest + 1:04d}", f"QU-{highest + 2:04d}")
    assert first.Status == "DRAFT" and second.Status == "SENT"
    assert (first.SubTotal, first.TotalTax, first.Total) == (Decimal("120.00"), Decimal("24.00"), Decimal("144.00"))
    assert first.LineAmountTypes == "EXCLUSIVE" and first.CurrencyCode == "GBP"
    assert first.Contact.Name == "Meridian University" and first.StatusAttributeString == "OK"
    assert await _journal_count(adapter) == before


async def test_explicit_number_must_be_unique_and_next_number_follows_it(adapter) -> None:
    await call(adapter, "createQuotes", elements=[quote_element(QuoteNumber="QU-0041")])
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createQuotes", elements=[quote_element(QuoteNumber="qu-0041")])
    assert "must be unique" in err.value.elements[0]["ValidationErrors"][0]["Message"]
    auto = (await call(adapter, "createQuotes", elements=[quote_element()])).items[0]
    assert auto.QuoteNumber == "QU-0042"


@pytest.mark.parametrize(("element", "message"), [
    ({"Contact": None}, "A Contact must be specified"),
    ({"LineItems": []}, "at least one line item"),
    ({"ExpiryDate": "2026-03-01"}, "ExpiryDate cannot be before"),
    ({"LineAmountTypes": "GROSS"}, "EXCLUSIVE, INCLUSIVE or NOTAX"),
    ({"Status": "INVOICED"}, "not of valid status for creation"),
    ({"Status": "WON"}, "Status must be one of"),
    ({"Title": "x" * 101}, "Title must be 100 characters or less."),
    ({"CurrencyCode": "JPY"}, "not subscribed to currency JPY"),
    ({"LineItems": [{"Quantity": 1, "UnitAmount": 5}]}, "Description or an ItemCode"),
    ({"LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 5, "AccountCode": "200",
                     "TaxType": "INPUT2"}]}, "The TaxType code 'INPUT2'"),
    ({"LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 5, "AccountCode": "999999"}]},
     "Account code '999999' is not a valid code"),
])
async def test_invalid_quotes_are_refused(adapter, element, message) -> None:
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createQuotes", elements=[quote_element(**element)])
    messages = [e["Message"] for e in err.value.elements[0]["ValidationErrors"]]
    assert any(message in m for m in messages), messages


async def test_line_amount_types_and_discounts(adapter) -> None:
    quote = (await call(adapter, "createQuotes", elements=[quote_element(
        LineAmountTypes="Inclusive",
        LineItems=[{"Description": "Bundle", "Quantity": 1, "UnitAmount": 120, "DiscountRate": 10,
                    "AccountCode": "200", "TaxType": "OUTPUT2"}])])).items[0]
    assert quote.LineAmountTypes == "INCLUSIVE"
    assert (quote.Total, quote.TotalTax, quote.TotalDiscount) == (Decimal("108.00"), Decimal("18.00"),
                                                                  Decimal("12.00"))


async def test_status_transitions(adapter) -> None:
    quote = (await call(adapter, "createQuotes", elements=[quote_element()])).items[0]
    path = {"QuoteID": quote.QuoteID}
    for status in ("SENT", "ACCEPTED", "INVOICED"):
        updated = (await call(adapter, "updateQuote", path=path, elements=[{"Status": status}])).items[0]
        assert updated.Status == status
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateQuote", path=path, elements=[{"Status": "DRAFT"}])
    assert err.value.elements[0]["ValidationErrors"][0]["Message"] == "Quote not of valid status for modification"
    history = (await call(adapter, "getQuoteHistory", path=path)).items
    assert [h.Changes for h in history] == ["Created", "Sent", "Accepted", "Invoiced"]
    assert all(h.User == "System Generated" for h in history)


async def test_deleted_quotes_are_locked(adapter) -> None:
    quote = (await call(adapter, "createQuotes", elements=[quote_element()])).items[0]
    await call(adapter, "updateQuote", path={"QuoteID": quote.QuoteID}, elements=[{"Status": "DELETED"}])
    with pytest.raises(ValidationException):
        await call(adapter, "updateQuote", path={"QuoteID": quote.QuoteID}, elements=[{"Title": "again"}])
    # The number of a deleted quote is free again.
    again = (await call(adapter, "createQuotes", elements=[quote_element(QuoteNumber=quote.QuoteNumber)])).items[0]
    assert again.QuoteNumber == quote.QuoteNumber


async def test_upsert_updates_by_id_and_number_and_keeps_lines(adapter) -> None:
    quote = (await call(adapter, "createQuotes", elements=[quote_element()])).items[0]
    by_id = (await call(adapter, "updateOrCreateQuotes", elements=[{"QuoteID": quote.QuoteID,
                                                                    "Reference": "R-1"}])).items[0]
    assert by_id.QuoteID == quote.QuoteID and by_id.Reference == "R-1"
    assert by_id.LineItems[0].LineItemID == quote.LineItems[0].LineItemID and by_id.Total == quote.Total
    by_number = (await call(adapter, "updateOrCreateQuotes", elements=[{"QuoteNumber": quote.QuoteNumber,
                                                                        "Terms": "30 days"}])).items[0]
    assert by_number.QuoteID == quote.QuoteID and by_number.Terms == "30 days"
    with pytest.raises(ValidationException):
        await call(adapter, "updateOrCreateQuotes",
                   elements=[{"QuoteID": "00000000-0000-0000-0000-0000000000aa", "Terms": "x"}])
    with pytest.raises(NotFound):
        await call(adapter, "updateQuote", path={"QuoteID": "00000000-0000-0000-0000-0000000000aa"},
                   elements=[{"Terms": "x"}])


async def test_partial_success_writes_only_valid_quotes(adapter) -> None:
    before = {q.QuoteID for q in (await call(adapter, "getQuotes")).items}
    result = await call(adapter, "createQuotes", summarize_errors=False,
                        elements=[quote_element(), quote_element(Contact=None)])
    assert [q.StatusAttributeString for q in result.items] == ["OK", "ERROR"]
    assert result.items[1].ValidationErrors
    listed = (await call(adapter, "getQuotes")).items
    assert {q.QuoteID for q in listed} - before == {result.items[0].QuoteID}


async def test_an_unknown_contact_name_creates_the_contact_only_when_the_quote_is_valid(adapter) -> None:
    result = await call(adapter, "createQuotes", summarize_errors=False,
                        elements=[quote_element(Contact={"Name": "Brand New Ltd"}, LineItems=[])])
    assert result.items[0].StatusAttributeString == "ERROR"
    contacts = (await call(adapter, "getContacts", where='Name=="Brand New Ltd"')).items
    assert contacts == []
    made = (await call(adapter, "createQuotes", elements=[quote_element(Contact={"Name": "Brand New Ltd"})])).items
    assert made[0].Contact.Name == "Brand New Ltd"


async def test_filters(adapter) -> None:
    a = (await call(adapter, "createQuotes", elements=[quote_element(Date="2026-02-01",
                                                                       ExpiryDate="2026-02-15")])).items[0]
    b = (await call(adapter, "createQuotes", elements=[quote_element(
        Date="2026-03-05", ExpiryDate="2026-03-30", Status="SENT", Contact={"Name": "Ivy Lane Bakery"})])).items[0]

    async def ids(**params: str) -> list[str]:  # among the two quotes made here (the demo has others)
        req = xero_request("getQuotes", params=params)
        return [q.QuoteID for q in (await adapter.get_quotes(ctx(), req)).items if q.QuoteID in (a.QuoteID, b.QuoteID)]

    assert await ids(DateFrom="2026-03-01") == [b.QuoteID]
    assert await ids(dateto="2026-02-01") == [a.QuoteID]
    assert await ids(ExpiryDateFrom="2026-03-01", ExpiryDateTo="2026-03-31") == [b.QuoteID]
    assert await ids(Status="sent") == [b.QuoteID]
    assert await ids(ContactID=b.Contact.ContactID) == [b.QuoteID]
    assert await ids(QuoteNumber=a.QuoteNumber.lower()) == [a.QuoteID]
    with pytest.raises(ValidationException):
        await ids(ExpiryDateTo="31/03/2026")
    with pytest.raises(ValidationException):
        await ids(ContactID="nope")


async def test_get_quote_and_paging(adapter) -> None:
    existing = len((await call(adapter, "getQuotes")).items)
    made = (await call(adapter, "createQuotes", elements=[quote_element() for _ in range(3)])).items
    one = (await call(adapter, "getQuote", path={"QuoteID": made[1].QuoteID.replace("-", "").upper()})).items[0]
    assert one.QuoteNumber == made[1].QuoteNumber and one.LineItems
    page = await call(adapter, "getQuotes", page=1, page_size=2, order=[])
    assert page.pagination.itemCount == existing + 3 and len(page.items) == 2
    ordered = await call(adapter, "getQuotes", order="QuoteNumber DESC")
    assert [q.QuoteNumber for q in ordered.items][:3] == [q.QuoteNumber for q in reversed(made)]
    with pytest.raises(NotFound):
        await call(adapter, "getQuote", path={"QuoteID": "00000000-0000-0000-0000-000000000000"})
