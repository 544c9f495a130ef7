"""Bank transactions: spend and receive money, the overpayments and prepayments they create, edits, deletion,
validation and lists."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.native import messages
from gateway.xero.errors import NotFound, ValidationException

from .conftest import (
    CUSTOMER,
    assert_books_balance,
    balances,
    bank_element,
    call,
    create_one,
    journals_of,
    line,
    messages_of,
)


async def test_spend_money_posts_bank_against_lines_and_vat(adapter) -> None:
    before = await balances(adapter, "090", "429", "820")
    tx = await create_one(adapter, "createBankTransactions", bank_element())
    assert (tx.Type, tx.Status, tx.Total, tx.TotalTax) == ("SPEND", "AUTHORISED", Decimal("12.00"), Decimal("2.00"))
    assert tx.BankAccount.Code == "090" and tx.OverpaymentID is None and tx.PrepaymentID is None
    after = await balances(adapter, "090", "429", "820")
    assert after["090"] - before["090"] == Decimal("-12.00")
    assert after["429"] - before["429"] == Decimal("10.00")
    assert after["820"] - before["820"] == Decimal("2.00")
    (journal,) = await journals_of(adapter, tx.BankTransactionID)
    assert journal.source_type == "CASHPAID"
    await assert_books_balance(adapter)


async def test_receive_money_posts_the_mirror_image(adapter) -> None:
    before = await balances(adapter, "090", "200", "820")
    tx = await create_one(adapter, "createBankTransactions", bank_element(
        "RECEIVE", LineAmountTypes="Inclusive", LineItems=[line("24.00", "200", "OUTPUT2")]))
    assert (tx.SubTotal, tx.TotalTax, tx.Total) == (Decimal("20.00"), Decimal("4.00"), Decimal("24.00"))
    after = await balances(adapter, "090", "200", "820")
    assert after["090"] - before["090"] == Decimal("24.00")
    assert after["200"] - before["200"] == Decimal("-20.00")
    assert after["820"] - before["820"] == Decimal("-4.00")
    (journal,) = await journals_of(adapter, tx.BankTransactionID)
    assert journal.source_type == "CASHREC"


async def test_edit_reposts_and_delete_reverses(adapter) -> None:
    before = await balances(adapter, "090")
    tx = await create_one(adapter, "createBankTransactions", bank_element())
    (edited,) = (await call(adapter, "updateBankTransaction", path={"BankTransactionID": tx.BankTransactionID},
                            elements=[{"LineItems": [line("20.00", "429", "INPUT2")], "Reference": "Edited"}])).items
    assert (edited.Total, edited.Reference) == (Decimal("24.00"), "Edited")
    assert (await balances(adapter, "090"))["090"] - before["090"] == Decimal("-24.00")
    (deleted,) = (await call(adapter, "updateOrCreateBankTransactions", elements=[
        {"BankTransactionID": tx.BankTransactionID, "Status": "DELETED"}])).items
    assert deleted.Status == "DELETED"
    assert await balances(adapter, "090") == before
    assert len(await journals_of(adapter, tx.BankTransactionID)) == 4
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateBankTransaction", path={"BankTransactionID": tx.BankTransactionID},
                   elements=[{"Reference": "again"}])
    assert messages_of(err.value) == [messages.BANK_TRANSACTION_STATUS_MODIFICATION]
    await assert_books_balance(adapter)


async def test_validation_messages(adapter) -> None:
    cases = [
        (bank_element(Type="TRANSFER"), messages.BANK_TRANSACTION_TYPE_INVALID.format(type="TRANSFER")),
        (bank_element(Type="SPEND-TRANSFER"), messages.BANK_TRANSACTION_TYPE_READ_ONLY.format(type="SPEND-TRANSFER")),
        (bank_element(BankAccount={"Code": "200"}),
         messages.BANK_ACCOUNT_INVALID.format(field="BankAccount", code="200")),
        (bank_element(BankAccount=None), messages.BANK_ACCOUNT_REQUIRED.format(field="BankAccount")),
        (bank_element(Contact=None), messages.CONTACT_REQUIRED),
        (bank_element(Contact={}), messages.CONTACT_IDENTIFIER_REQUIRED),
        (bank_element(LineItems=[]), messages.BANK_TRANSACTION_LINES_REQUIRED),
        (bank_element(LineItems=[{"Description": "no account", "UnitAmount": 5}]),
         messages.BANK_TRANSACTION_LINE_ACCOUNT_REQUIRED),
        (bank_element(LineItems=[line("5", "610", "NONE")]), messages.ACCOUNT_CODE_INVALID.format(code="610")),
        (bank_element(LineItems=[line("-5", "429", "INPUT2")]), messages.BANK_TRANSACTION_TOTAL_NEGATIVE),
        (bank_element(Status="DELETED"), messages.BANK_TRANSACTION_STATUS_INVALID),
        (bank_element("RECEIVE-OVERPAYMENT", LineItems=[{"LineAmount": 5}, {"LineAmount": 6}]),
         messages.OVERPAYMENT_ONE_LINE),
        (bank_element("RECEIVE-PREPAYMENT", LineItems=[line("0", "200", "OUTPUT2")]),
         messages.CREDIT_TOTAL_POSITIVE.format(credit="prepayment")),
    ]
    for element, message in cases:
        with pytest.raises(ValidationException) as err:
            await call(adapter, "createBankTransactions", elements=[element])
        assert message in messages_of(err.value), (element, messages_of(err.value))
    with pytest.raises(NotFound):
        await call(adapter, "updateBankTransaction", path={"BankTransactionID": "00000000-0000-0000-0000-00000000000a"},
                   elements=[{"Reference": "x"}])
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateOrCreateBankTransactions",
                   elements=[bank_element(BankTransactionID="00000000-0000-0000-0000-00000000000a")])
    assert messages_of(err.value) == [messages.BANK_TRANSACTION_NOT_FOUND]


async def test_overpayment_is_coded_to_receivables_without_tax(adapter) -> None:
    before = await balances(adapter, "090", "610")
    tx = await create_one(adapter, "createBankTransactions", bank_element(
        "RECEIVE-OVERPAYMENT", Reference="Paid twice", LineItems=[{"Description": "Twice", "LineAmount": "75.50",
                                                                   "AccountCode": "200", "TaxType": "OUTPUT2"}]))
    assert tx.OverpaymentID and tx.OverpaymentID != tx.BankTransactionID
    assert (tx.LineAmountTypes, tx.TotalTax, tx.Total) == ("NoTax", Decimal("0.00"), Decimal("75.50"))
    assert (tx.LineItems[0].AccountCode, tx.LineItems[0].TaxType) == ("610", "NONE")
    after = await balances(adapter, "090", "610")
    assert after["090"] - before["090"] == Decimal("75.50")
    assert after["610"] - before["610"] == Decimal("-75.50")
    (over,) = (await call(adapter, "getOverpayment", path={"OverpaymentID": tx.OverpaymentID})).items
    assert (over.Type, over.Status, over.RemainingCredit, over.Reference) == (
        "RECEIVE-OVERPAYMENT", "AUTHORISED", Decimal("75.50"), "Paid twice")
    assert over.Contact.Name == CUSTOMER and over.LineItems[0].LineAmount == Decimal("75.50")
    (journal,) = await journals_of(adapter, tx.BankTransactionID)
    assert journal.source_type == "AROVERPAYMENT"
    with pytest.raises(NotFound):
        await call(adapter, "getPrepayment", path={"PrepaymentID": tx.OverpaymentID})


async def test_receive_prepayment_takes_an_invoice_number(adapter) -> None:
    tx = await create_one(adapter, "createBankTransactions", bank_element(
        "RECEIVE-PREPAYMENT", LineItems=[line("100.00", "200", "OUTPUT2")]))
    (pre,) = (await call(adapter, "getPrepayment", path={"PrepaymentID": tx.PrepaymentID})).items
    assert pre.InvoiceNumber and pre.InvoiceNumber.startswith("INV-") and pre.Reference == pre.InvoiceNumber
    assert (pre.Total, pre.TotalTax, pre.RemainingCredit) == (Decimal("120.00"), Decimal("20.00"),
                                                              Decimal("120.00"))
    found = (await call(adapter, "getPrepayments", invoice_numbers=[pre.InvoiceNumber.lower()])).items
    assert [p.PrepaymentID for p in found] == [tx.PrepaymentID]
    spend = await create_one(adapter, "createBankTransactions", bank_element(
        "SPEND-PREPAYMENT", Reference="Deposit", LineItems=[line("50.00", "429", "INPUT2")]))
    (supplier_pre,) = (await call(adapter, "getPrepayment", path={"PrepaymentID": spend.PrepaymentID})).items
    assert supplier_pre.InvoiceNumber is None and supplier_pre.Reference == "Deposit"


async def test_credits_cannot_be_edited_only_deleted_while_unused(adapter) -> None:
    tx = await create_one(adapter, "createBankTransactions", bank_element(
        "RECEIVE-OVERPAYMENT", LineItems=[{"LineAmount": "40.00"}]))
    path = {"BankTransactionID": tx.BankTransactionID}
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateBankTransaction", path=path, elements=[{"Reference": "new"}])
    assert messages_of(err.value) == [messages.CREDIT_READ_ONLY.format(credit="overpayment")]
    before = await balances(adapter, "090", "610")
    (deleted,) = (await call(adapter, "updateBankTransaction", path=path, elements=[{"Status": "DELETED"}])).items
    assert deleted.Status == "DELETED"
    (over,) = (await call(adapter, "getOverpayment", path={"OverpaymentID": tx.OverpaymentID})).items
    assert (over.Status, over.RemainingCredit) == ("VOIDED", Decimal("0.00"))
    after = await balances(adapter, "090", "610")
    assert after["090"] - before["090"] == Decimal("-40.00") and after["610"] - before["610"] == Decimal("40.00")
    await assert_books_balance(adapter)


async def test_a_used_credit_cannot_be_deleted(adapter) -> None:
    tx = await create_one(adapter, "createBankTransactions", bank_element(
        "RECEIVE-OVERPAYMENT", LineItems=[{"LineAmount": "40.00"}]))
    await call(adapter, "createPayments", elements=[{"Overpayment": {"OverpaymentID": tx.OverpaymentID},
                                                     "Account": {"Code": "090"}, "Date": "2026-03-14",
                                                     "Amount": "10.00"}])
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateBankTransaction", path={"BankTransactionID": tx.BankTransactionID},
                   elements=[{"Status": "DELETED"}])
    assert messages_of(err.value) == [messages.CREDIT_IN_USE.format(credit="overpayment")]


async def test_summarize_errors_false(adapter) -> None:
    result = await call(adapter, "createBankTransactions", summarize_errors=False,
                        elements=[bank_element(Reference="kept"), bank_element(Type="NOPE", Reference="lost")])
    assert [t.StatusAttributeString for t in result.items] == ["OK", "ERROR"]
    assert result.items[1].ValidationErrors[0].Message == messages.BANK_TRANSACTION_TYPE_INVALID.format(type="NOPE")
    kept = (await call(adapter, "getBankTransactions", where='Reference=="kept" OR Reference=="lost"')).items
    assert [t.Reference for t in kept] == ["kept"]


async def test_lists_filter_order_and_page(adapter) -> None:
    everything = (await call(adapter, "getBankTransactions")).items
    types = {t.Type for t in everything}
    assert {"SPEND", "RECEIVE", "SPEND-TRANSFER", "RECEIVE-TRANSFER", "RECEIVE-PREPAYMENT",
            "RECEIVE-OVERPAYMENT"} <= types
    assert all(t.LineItems == [] for t in everything)
    spends = (await call(adapter, "getBankTransactions", where='Type=="SPEND"', order="Total DESC")).items
    totals = [t.Total for t in spends]
    assert spends and totals == sorted(totals, reverse=True)
    page = await call(adapter, "getBankTransactions", page=2, page_size=3)
    assert page.pagination.itemCount == len(everything) and len(page.items) == min(3, len(everything) - 3)
    assert all(t.LineItems for t in page.items)
    by_bank = (await call(adapter, "getBankTransactions", where='BankAccount.Code=="091"')).items
    assert [t.Type for t in by_bank] == ["RECEIVE-TRANSFER"]
    latest = max(t.UpdatedDateUTC for t in everything)
    assert (await call(adapter, "getBankTransactions", if_modified_since=latest)).items == []
    overs = (await call(adapter, "getOverpayments", params={"References": '"Paid twice",Nope'})).items
    assert [o.Reference for o in overs] == ["Paid twice"]
    assert len((await call(adapter, "getOverpayments", params={"references": "nothing"})).items) == 0
