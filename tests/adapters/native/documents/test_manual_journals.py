"""Manual journals: balance, tax on lines, statuses and their ledger effect, warnings, validation, lists."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.native import messages
from gateway.xero.errors import NotFound, ValidationException

from .conftest import assert_books_balance, balances, call, create_one, journals_of, messages_of


def journal(*lines: tuple[str, str], **overrides) -> dict:
    element = {"Narration": "Reclassify", "Date": "2026-03-09",
               "JournalLines": [{"LineAmount": amount, "AccountCode": code, "Description": f"{code} line"}
                                for amount, code in (lines or (("100.00", "710"), ("-100.00", "720")))]}
    element.update(overrides)
    return element


async def test_draft_by_default_and_posting_on_approval(adapter) -> None:
    before = await balances(adapter, "710", "720")
    draft = await create_one(adapter, "createManualJournals", journal())
    assert (draft.Status, draft.LineAmountTypes, draft.ShowOnCashBasisReports) == ("DRAFT", "NoTax", True)
    assert [(ln.LineAmount, ln.TaxType, ln.TaxAmount) for ln in draft.JournalLines] == [
        (Decimal("100.00"), "NONE", Decimal("0.00")), (Decimal("-100.00"), "NONE", Decimal("0.00"))]
    assert await journals_of(adapter, draft.ManualJournalID) == []
    (posted,) = (await call(adapter, "updateManualJournal", path={"ManualJournalID": draft.ManualJournalID},
                            elements=[{"Status": "POSTED"}])).items
    assert posted.Status == "POSTED"
    after = await balances(adapter, "710", "720")
    assert after["710"] - before["710"] == Decimal("100.00")
    assert after["720"] - before["720"] == Decimal("-100.00")
    (entry,) = await journals_of(adapter, draft.ManualJournalID)
    assert entry.source_type == "MANJOURNAL"
    (voided,) = (await call(adapter, "updateManualJournal", path={"ManualJournalID": draft.ManualJournalID},
                            elements=[{"Status": "VOIDED"}])).items
    assert voided.Status == "VOIDED" and await balances(adapter, "710", "720") == before
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateManualJournal", path={"ManualJournalID": draft.ManualJournalID},
                   elements=[{"Status": "POSTED"}])
    assert messages_of(err.value) == [messages.MANUAL_JOURNAL_STATUS_MODIFICATION]
    await assert_books_balance(adapter)


async def test_lines_must_balance_with_xeros_message(adapter) -> None:
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createManualJournals", elements=[journal(("100.00", "710"), ("-10.00", "720"))])
    assert messages_of(err.value) == ["The total debits (100.00) must equal total credits (-10.00)"]


async def test_exclusive_tax_is_added_and_posted_to_vat(adapter) -> None:
    before = await balances(adapter, "429", "820", "090")
    made = await create_one(adapter, "createManualJournals", journal(
        ("100.00", "429"), ("-120.00", "090"), LineAmountTypes="Exclusive", Status="POSTED"))
    assert [(ln.TaxType, ln.TaxAmount) for ln in made.JournalLines] == [
        ("INPUT2", Decimal("20.00")), ("NONE", Decimal("0.00"))]
    after = await balances(adapter, "429", "820", "090")
    assert (after["429"] - before["429"], after["820"] - before["820"], after["090"] - before["090"]) == (
        Decimal("100.00"), Decimal("20.00"), Decimal("-120.00"))
    inclusive = await create_one(adapter, "createManualJournals", journal(
        ("120.00", "429"), ("-120.00", "090"), LineAmountTypes="Inclusive", Status="POSTED"))
    assert inclusive.JournalLines[0].TaxAmount == Decimal("20.00")
    await assert_books_balance(adapter)


async def test_unknown_account_on_a_draft_is_dropped_with_a_warning(adapter) -> None:
    draft = await create_one(adapter, "createManualJournals", journal(("50.00", "476"), ("-50.00", "720")))
    assert [w.Message for w in draft.Warnings] == [
        "Account code '476' has been removed as it does not match a recognised account."]
    assert draft.JournalLines[0].AccountCode is None
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateManualJournal", path={"ManualJournalID": draft.ManualJournalID},
                   elements=[{"Status": "POSTED"}])
    assert messages.MANUAL_JOURNAL_LINE_ACCOUNT_REQUIRED in messages_of(err.value)
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createManualJournals", elements=[journal(("50.00", "476"), ("-50.00", "720"),
                                                                      Status="POSTED")])
    assert messages.ACCOUNT_CODE_INVALID.format(code="476") in messages_of(err.value)


async def test_validation(adapter) -> None:
    cases = [
        (journal(Narration=""), messages.MANUAL_JOURNAL_NARRATION_REQUIRED),
        (journal(("0.00", "710"), Status="POSTED"), messages.MANUAL_JOURNAL_LINES_REQUIRED),
        (journal(("10.00", "610"), ("-10.00", "720")), messages.MANUAL_JOURNAL_ACCOUNT_INVALID.format(code="610")),
        (journal(Status="VOIDED"), messages.MANUAL_JOURNAL_STATUS_CREATION),
        (journal(LineAmountTypes="Gross"), messages.LINE_AMOUNT_TYPES_INVALID),
        ({"Narration": "x", "JournalLines": [{"AccountCode": "710"}]}, messages.MANUAL_JOURNAL_LINE_AMOUNT_REQUIRED),
        (journal(JournalLines=[{"LineAmount": 5, "AccountCode": "710", "TaxType": "BOGUS"},
                               {"LineAmount": -5, "AccountCode": "720"}]),
         messages.TAX_TYPE_INVALID.format(tax_type="BOGUS")),
    ]
    for element, message in cases:
        with pytest.raises(ValidationException) as err:
            await call(adapter, "createManualJournals", elements=[element])
        assert message in messages_of(err.value), (element, messages_of(err.value))


async def test_delete_draft_and_edit_posted(adapter) -> None:
    draft = await create_one(adapter, "createManualJournals", journal())
    (deleted,) = (await call(adapter, "updateOrCreateManualJournals", elements=[
        {"ManualJournalID": draft.ManualJournalID, "Status": "DELETED"}])).items
    assert deleted.Status == "DELETED"
    posted = await create_one(adapter, "createManualJournals", journal(Status="POSTED"))
    before = await balances(adapter, "710")
    with pytest.raises(ValidationException):
        await call(adapter, "updateManualJournal", path={"ManualJournalID": posted.ManualJournalID},
                   elements=[{"Status": "DELETED"}])
    (edited,) = (await call(adapter, "updateManualJournal", path={"ManualJournalID": posted.ManualJournalID},
                            elements=[{"JournalLines": [{"LineAmount": 30, "AccountCode": "710"},
                                                        {"LineAmount": -30, "AccountCode": "720"}]}])).items
    assert edited.Status == "POSTED" and edited.Narration == "Reclassify"
    assert (await balances(adapter, "710"))["710"] - before["710"] == Decimal("-70.00")
    assert len(await journals_of(adapter, posted.ManualJournalID)) == 3
    with pytest.raises(NotFound):
        await call(adapter, "updateManualJournal", path={"ManualJournalID": "00000000-0000-0000-0000-00000000000d"},
                   elements=[{"Narration": "x"}])
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateOrCreateManualJournals",
                   elements=[journal(ManualJournalID="00000000-0000-0000-0000-00000000000d")])
    assert messages_of(err.value) == [messages.MANUAL_JOURNAL_NOT_FOUND]
    await assert_books_balance(adapter)


async def test_summarize_errors_and_lists(adapter) -> None:
    result = await call(adapter, "createManualJournals", summarize_errors=False, elements=[
        journal(Narration="kept"), journal(("1.00", "710"), Narration="unbalanced")])
    assert [j.StatusAttributeString for j in result.items] == ["OK", "ERROR"]
    everything = (await call(adapter, "getManualJournals")).items
    assert {j.Narration for j in everything} >= {"kept", "Monthly depreciation - office equipment",
                                                  "Accrued audit fee"}
    assert "unbalanced" not in {j.Narration for j in everything}
    assert all(j.JournalLines == [] for j in everything)
    drafts = (await call(adapter, "getManualJournals", where='Status=="DRAFT"', order="Narration")).items
    assert [j.Narration for j in drafts] == sorted(j.Narration for j in drafts)
    page = await call(adapter, "getManualJournals", page=1, page_size=1)
    assert page.pagination.itemCount == len(everything) and page.items[0].JournalLines
    (single,) = (await call(adapter, "getManualJournal",
                            path={"ManualJournalID": result.items[0].ManualJournalID})).items
    assert len(single.JournalLines) == 2
    latest = max(j.UpdatedDateUTC for j in everything)
    assert (await call(adapter, "getManualJournals", if_modified_since=latest)).items == []
