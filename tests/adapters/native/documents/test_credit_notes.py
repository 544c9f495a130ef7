"""Credit notes: creation, numbering, ledger postings, status transitions, validation, summarizeErrors, lists."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.native import messages
from gateway.xero.errors import NotFound, QueryParseException, ValidationException

from .conftest import (
    CUSTOMER,
    SUPPLIER,
    assert_books_balance,
    balances,
    call,
    create_one,
    credit_note_element,
    journals_of,
    line,
    messages_of,
)


async def test_sales_credit_note_posts_the_reverse_of_an_invoice(adapter) -> None:
    before = await balances(adapter, "610", "200", "820")
    note = await create_one(adapter, "createCreditNotes", credit_note_element())
    assert (note.Type, note.Status, note.CreditNoteNumber) == ("ACCRECCREDIT", "AUTHORISED", "CN-0004")
    assert (note.SubTotal, note.TotalTax, note.Total, note.RemainingCredit) == (
        Decimal("50.00"), Decimal("10.00"), Decimal("60.00"), Decimal("60.00"))
    assert note.Contact.Name == CUSTOMER and note.LineItems[0].AccountCode == "200"
    after = await balances(adapter, "610", "200", "820")
    assert after["610"] - before["610"] == Decimal("-60.00")  # Cr Accounts Receivable
    assert after["200"] - before["200"] == Decimal("50.00")  # Dr Sales
    assert after["820"] - before["820"] == Decimal("10.00")  # Dr VAT
    (journal,) = await journals_of(adapter, note.CreditNoteID)
    assert journal.source_type == "ACCRECCREDIT"
    await assert_books_balance(adapter)


async def test_purchase_credit_note_posts_against_payables(adapter) -> None:
    before = await balances(adapter, "800", "429", "820")
    note = await create_one(adapter, "createCreditNotes", credit_note_element(
        Type="ACCPAYCREDIT", Contact={"Name": SUPPLIER}, CreditNoteNumber="SUP-CN-9",
        LineItems=[line("40.00", "429", "INPUT2")]))
    assert (note.CreditNoteNumber, note.Total) == ("SUP-CN-9", Decimal("48.00"))
    after = await balances(adapter, "800", "429", "820")
    assert after["800"] - before["800"] == Decimal("48.00")  # Dr Accounts Payable
    assert after["429"] - before["429"] == Decimal("-40.00")
    assert after["820"] - before["820"] == Decimal("-8.00")
    await assert_books_balance(adapter)


async def test_numbers_continue_and_must_be_unique(adapter) -> None:
    first = await create_one(adapter, "createCreditNotes", credit_note_element())
    second = await create_one(adapter, "createCreditNotes", credit_note_element(Status="DRAFT"))
    assert (first.CreditNoteNumber, second.CreditNoteNumber) == ("CN-0004", "CN-0005")
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createCreditNotes", elements=[credit_note_element(CreditNoteNumber="cn-0004")])
    assert messages_of(err.value) == [messages.CREDIT_NOTE_NUMBER_UNIQUE]


async def test_draft_posts_nothing_and_can_be_deleted(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element(Status="DRAFT"))
    assert note.Status == "DRAFT" and note.RemainingCredit == Decimal("60.00")
    assert await journals_of(adapter, note.CreditNoteID) == []
    (deleted,) = (await call(adapter, "updateCreditNote", path={"CreditNoteID": note.CreditNoteID},
                             elements=[{"Status": "DELETED"}])).items
    assert deleted.Status == "DELETED" and deleted.RemainingCredit == 0
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateCreditNote", path={"CreditNoteID": note.CreditNoteID},
                   elements=[{"Status": "AUTHORISED"}])
    assert messages_of(err.value) == [messages.CREDIT_NOTE_STATUS_MODIFICATION]


async def test_voiding_reverses_the_posting(adapter) -> None:
    before = await balances(adapter, "610", "200", "820")
    note = await create_one(adapter, "createCreditNotes", credit_note_element())
    (voided,) = (await call(adapter, "updateCreditNote", path={"CreditNoteID": note.CreditNoteID},
                            elements=[{"Status": "VOIDED"}])).items
    assert voided.Status == "VOIDED" and voided.RemainingCredit == 0
    assert await balances(adapter, "610", "200", "820") == before
    journals = await journals_of(adapter, note.CreditNoteID)
    assert len(journals) == 2 and journals[1].reverses == journals[0].id
    with pytest.raises(ValidationException):
        await call(adapter, "updateCreditNote", path={"CreditNoteID": note.CreditNoteID},
                   elements=[{"Status": "AUTHORISED"}])
    await assert_books_balance(adapter)


async def test_draft_cannot_be_voided_and_authorised_cannot_be_deleted(adapter) -> None:
    draft = await create_one(adapter, "createCreditNotes", credit_note_element(Status="DRAFT"))
    approved = await create_one(adapter, "createCreditNotes", credit_note_element())
    for note, status in ((draft, "VOIDED"), (approved, "DELETED")):
        with pytest.raises(ValidationException) as err:
            await call(adapter, "updateCreditNote", path={"CreditNoteID": note.CreditNoteID},
                       elements=[{"Status": status}])
        assert messages_of(err.value) == [messages.CREDIT_NOTE_STATUS_MODIFICATION]


async def test_editing_an_approved_credit_note_reposts_it(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element())
    before = await balances(adapter, "610")
    (edited,) = (await call(adapter, "updateOrCreateCreditNotes", elements=[{
        "CreditNoteID": note.CreditNoteID, "LineItems": [line("80.00", "200", "OUTPUT2")]}])).items
    assert edited.CreditNoteID == note.CreditNoteID and edited.Total == Decimal("96.00")
    assert edited.RemainingCredit == Decimal("96.00")
    assert (await balances(adapter, "610"))["610"] - before["610"] == Decimal("-36.00")
    assert len(await journals_of(adapter, note.CreditNoteID)) == 3  # posting, reversal, new posting
    (renamed,) = (await call(adapter, "updateCreditNote", path={"CreditNoteID": note.CreditNoteID},
                             elements=[{"Reference": "Only a reference"}])).items
    assert renamed.Reference == "Only a reference"
    assert len(await journals_of(adapter, note.CreditNoteID)) == 3  # nothing to re-post
    await assert_books_balance(adapter)


async def test_validation_messages(adapter) -> None:
    bad = [
        (credit_note_element(Type="ACCREC"), messages.CREDIT_NOTE_TYPE_INVALID),
        (credit_note_element(LineItems=[line("5", "999", "OUTPUT2")]),
         messages.ACCOUNT_CODE_INVALID.format(code="999")),
        (credit_note_element(LineItems=[line("5", "090", "NONE")]), messages.ACCOUNT_CODE_INVALID.format(code="090")),
        (credit_note_element(LineItems=[line("5", "200", "INPUT2")]),
         messages.TAX_TYPE_ACCOUNT.format(tax_type="INPUT2", code="200")),
        (credit_note_element(LineItems=[line("5", "200", "OUTPUT2", DiscountRate=10)]), messages.DISCOUNT_ACCPAY),
        (credit_note_element(LineItems=[line("-5", "200", "OUTPUT2")]), messages.CREDIT_NOTE_TOTAL_NEGATIVE),
        (credit_note_element(LineItems=[]), messages.CREDIT_NOTE_LINES_REQUIRED),
        (credit_note_element(LineItems=[{"Description": "No account", "UnitAmount": 5}]),
         messages.CREDIT_NOTE_LINE_ACCOUNT_REQUIRED),
        (credit_note_element(Contact={"EmailAddress": "x@y.example"}), messages.CONTACT_IDENTIFIER_REQUIRED),
        (credit_note_element(Status="PAID"), messages.CREDIT_NOTE_STATUS_CREATION),
        (credit_note_element(CurrencyCode="USD"), messages.CURRENCY_NOT_SUBSCRIBED.format(code="USD")),
    ]
    for element, message in bad:
        with pytest.raises(ValidationException) as err:
            await call(adapter, "createCreditNotes", elements=[element])
        assert message in messages_of(err.value), (element, messages_of(err.value))
    assert (await call(adapter, "getCreditNotes", where='Contact.Name=="Meridian University"')).items == []


async def test_purchase_rates_are_refused_on_sales_credit_notes(adapter) -> None:
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createCreditNotes", elements=[credit_note_element(
            LineItems=[line("5", "720", "INPUT2")])])  # an ASSET account: the class allows it, the side does not
    assert messages_of(err.value) == [messages.TAX_TYPE_INVALID.format(tax_type="INPUT2")]


async def test_put_with_existing_id_and_post_with_unknown_id(adapter) -> None:
    note = await create_one(adapter, "createCreditNotes", credit_note_element())
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createCreditNotes", elements=[credit_note_element(CreditNoteID=note.CreditNoteID)])
    assert messages_of(err.value) == [messages.CREDIT_NOTE_EXISTS.format(id=note.CreditNoteID)]
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateOrCreateCreditNotes", elements=[
            credit_note_element(CreditNoteID="00000000-0000-0000-0000-000000000001")])
    assert messages_of(err.value) == ["An existing Credit Note with the specified CreditNoteID could not be found"]
    with pytest.raises(NotFound):
        await call(adapter, "updateCreditNote", path={"CreditNoteID": "00000000-0000-0000-0000-000000000001"},
                   elements=[{"Reference": "x"}])
    (by_number,) = (await call(adapter, "updateOrCreateCreditNotes", elements=[{
        "Type": "ACCRECCREDIT", "CreditNoteNumber": note.CreditNoteNumber, "Reference": "By number"}])).items
    assert by_number.CreditNoteID == note.CreditNoteID and by_number.Reference == "By number"


async def test_summarize_errors_false_writes_the_valid_elements(adapter) -> None:
    result = await call(adapter, "createCreditNotes", summarize_errors=False, elements=[
        credit_note_element(Reference="good"), credit_note_element(Type="NOPE", Reference="bad")])
    good, bad = result.items
    assert (good.StatusAttributeString, bad.StatusAttributeString) == ("OK", "ERROR")
    assert [e.Message for e in bad.ValidationErrors] == [messages.CREDIT_NOTE_TYPE_INVALID]
    stored = (await call(adapter, "getCreditNotes", where='Reference=="good" OR Reference=="bad"')).items
    assert [n.Reference for n in stored] == ["good"]
    with pytest.raises(ValidationException):
        await call(adapter, "createCreditNotes", elements=[credit_note_element(Reference="all-or-nothing"),
                                                           credit_note_element(Type="NOPE")])
    assert (await call(adapter, "getCreditNotes", where='Reference=="all-or-nothing"')).items == []
    await assert_books_balance(adapter)


async def test_lists_filter_order_page_and_show_lines_when_paged(adapter) -> None:
    everything = (await call(adapter, "getCreditNotes")).items
    assert len(everything) >= 4 and all(n.LineItems == [] for n in everything)
    paged = await call(adapter, "getCreditNotes", page=1, page_size=2, order="CreditNoteNumber DESC")
    assert paged.pagination.itemCount == len(everything) and paged.pagination.pageCount == 2
    assert len(paged.items) == 2 and all(n.LineItems for n in paged.items)
    numbers = [n.CreditNoteNumber for n in paged.items]
    assert numbers == sorted(numbers, reverse=True)
    drafts = (await call(adapter, "getCreditNotes", where='Status=="DRAFT"')).items
    assert drafts and {n.Status for n in drafts} == {"DRAFT"}
    latest = max(n.UpdatedDateUTC for n in everything)
    assert (await call(adapter, "getCreditNotes", if_modified_since=latest)).items == []
    newer = await create_one(adapter, "createCreditNotes", credit_note_element())
    since = (await call(adapter, "getCreditNotes", if_modified_since=latest)).items
    assert [n.CreditNoteID for n in since] == [newer.CreditNoteID]
    (single,) = (await call(adapter, "getCreditNote", path={"CreditNoteID": newer.CreditNoteID}, unitdp=4)).items
    assert single.LineItems[0].UnitAmount == Decimal("50.0000")
    with pytest.raises(QueryParseException):
        await call(adapter, "getCreditNotes", where='NoSuchField=="x"')
    with pytest.raises(NotFound):
        await call(adapter, "getCreditNote", path={"CreditNoteID": "00000000-0000-0000-0000-000000000002"})


async def test_the_demo_has_credit_notes_of_every_kind(adapter) -> None:
    notes = (await call(adapter, "getCreditNotes")).items
    kinds = {(n.Type, n.Status) for n in notes}
    assert {("ACCRECCREDIT", "PAID"), ("ACCPAYCREDIT", "PAID"), ("ACCRECCREDIT", "DRAFT")} <= kinds
    allocated = [n for n in notes if n.Allocations]
    assert allocated and all(a.Invoice.InvoiceID and a.AllocationID for n in allocated for a in n.Allocations)
    refunded = [n for n in notes if n.Payments]
    assert refunded
