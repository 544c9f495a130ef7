"""The journal feed: offset paging, If-Modified-Since, paymentsOnly (cash basis), single journals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from adapters.native.resources import journals_feed
from gateway.xero.errors import NotFound, ValidationException

from .conftest import all_journals, call, invoice_element


def _balanced(journal) -> bool:
    return sum((ln.NetAmount for ln in journal.JournalLines), Decimal(0)) == 0


async def test_offset_pages_of_at_most_100_in_number_order(adapter) -> None:
    first = (await call(adapter, "getJournals")).items
    assert len(first) == journals_feed.MAX_PER_CALL
    assert [j.JournalNumber for j in first] == list(range(1, 101))
    second = (await call(adapter, "getJournals", params={"offset": "100"})).items
    assert second[0].JournalNumber == 101 and all(j.JournalNumber > 100 for j in second)
    everything = await all_journals(adapter)
    numbers = [j.JournalNumber for j in everything]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 200
    assert (await call(adapter, "getJournals", params={"offset": str(numbers[-1])})).items == []


async def test_lines_are_balanced_and_complete(adapter) -> None:
    for journal in await all_journals(adapter):
        assert _balanced(journal), journal.JournalNumber
        for line in journal.JournalLines:
            assert line.GrossAmount == line.NetAmount + line.TaxAmount
            assert line.AccountCode is not None or line.AccountType == "BANK"
            assert line.AccountName and line.AccountType and line.JournalLineID
    sources = {j.SourceType for j in await all_journals(adapter)}
    assert {"ACCREC", "ACCPAY", "ACCRECPAYMENT", "ACCPAYPAYMENT", "MANJOURNAL"} <= sources


async def test_sales_journal_shape(adapter) -> None:
    (inv,) = (await call(adapter, "createInvoices", elements=[invoice_element()])).items
    (journal,) = [j for j in await all_journals(adapter) if j.SourceID == inv.InvoiceID]
    assert journal.SourceType == "ACCREC" and journal.JournalDate == dt.date(2026, 3, 10)
    assert journal.Reference == inv.InvoiceNumber
    lines = {ln.AccountCode: ln for ln in journal.JournalLines}
    assert (lines["200"].NetAmount, lines["200"].TaxAmount, lines["200"].GrossAmount) == (-200, -40, -240)
    assert (lines["200"].TaxType, lines["200"].TaxName) == ("OUTPUT2", "20% (VAT on Income)")
    assert lines["610"].NetAmount == 240 and lines["610"].AccountType == "CURRENT"
    assert lines["820"].NetAmount == -40
    (by_id,) = (await call(adapter, "getJournal", path={"JournalID": journal.JournalID})).items
    (by_number,) = (await call(adapter, "getJournalByNumber",
                               path={"JournalNumber": str(journal.JournalNumber)})).items
    assert by_id == by_number == journal


async def test_if_modified_since_is_on_created_date(adapter) -> None:
    everything = await all_journals(adapter)
    cut = everything[-5].CreatedDateUTC
    newer = (await call(adapter, "getJournals", if_modified_since=cut)).items
    assert newer and all(j.CreatedDateUTC > cut for j in newer)
    assert [j.JournalNumber for j in newer] == [j.JournalNumber for j in everything if j.CreatedDateUTC > cut]


async def test_payments_only_is_the_cash_basis(adapter) -> None:
    (inv,) = (await call(adapter, "createInvoices", elements=[invoice_element()])).items
    (payment,) = (await call(adapter, "createPayment", elements=[{
        "Invoice": {"InvoiceID": inv.InvoiceID}, "Account": {"Code": "090"}, "Date": "2026-03-12",
        "Amount": 60}])).items
    cash = await all_journals(adapter, paymentsOnly="true")
    assert not {"ACCREC", "ACCPAY"} & {j.SourceType for j in cash}
    assert all(_balanced(j) for j in cash)
    assert not [ln for j in cash if j.SourceType in ("ACCRECPAYMENT", "ACCPAYPAYMENT")
                for ln in j.JournalLines if ln.AccountCode in ("610", "800")]
    (mine,) = [j for j in cash if j.SourceID == payment.PaymentID]
    lines = {ln.AccountCode: ln for ln in mine.JournalLines}
    assert (lines["090"].NetAmount, lines["200"].NetAmount, lines["820"].NetAmount) == (60, -50, -10)
    assert lines["200"].TaxAmount == -10 and lines["200"].JournalLineID != lines["090"].JournalLineID
    accrual = {j.JournalNumber: j for j in await all_journals(adapter)}
    assert {ln.AccountCode for ln in accrual[mine.JournalNumber].JournalLines} == {"090", "610"}


async def test_cash_basis_rounding_keeps_the_journal_balanced(adapter) -> None:
    element = invoice_element(LineItems=[
        {"Description": "a", "Quantity": 1, "UnitAmount": "33.33", "AccountCode": "200", "TaxType": "OUTPUT2"},
        {"Description": "b", "Quantity": 1, "UnitAmount": "33.33", "AccountCode": "260", "TaxType": "OUTPUT2"},
        {"Description": "c", "Quantity": 1, "UnitAmount": "33.34", "AccountCode": "200", "TaxType": "RROUTPUT"}])
    (inv,) = (await call(adapter, "createInvoices", elements=[element])).items
    (payment,) = (await call(adapter, "createPayment", elements=[{
        "Invoice": {"InvoiceID": inv.InvoiceID}, "Account": {"Code": "090"}, "Date": "2026-03-12",
        "Amount": "10.01"}])).items
    (mine,) = [j for j in await all_journals(adapter, paymentsOnly="true") if j.SourceID == payment.PaymentID]
    assert _balanced(mine) and len(mine.JournalLines) == 5


@pytest.mark.parametrize("params", [{"offset": "-1"}, {"offset": "abc"}, {"paymentsOnly": "maybe"}])
async def test_bad_parameters(adapter, params) -> None:
    with pytest.raises(ValidationException):
        await call(adapter, "getJournals", params=params)


async def test_unknown_journals(adapter) -> None:
    with pytest.raises(NotFound):
        await call(adapter, "getJournal", path={"JournalID": "00000000-0000-0000-0000-000000000000"})
    with pytest.raises(NotFound):
        await call(adapter, "getJournalByNumber", path={"JournalNumber": "999999"})


@pytest.mark.parametrize("number", ["9266468130280966193152", str(2**63), "²"])
async def test_a_journal_number_no_journal_can_have_is_not_found(adapter, number) -> None:
    """Found by the spec fuzzer (tests/runtime/test_spec_fuzz.py): past SQL's 64-bit INTEGER the driver could not
    bind the number, and ``"²".isdigit()`` is true but ``int("²")`` fails; both were 500s."""
    with pytest.raises(NotFound):
        await call(adapter, "getJournalByNumber", path={"JournalNumber": number})
