"""Bank transfers: creation, the two bank transaction sides, the ledger, deletion (single and batch), lists."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.native import messages
from adapters.native.resources import tracking
from gateway.xero.errors import NotFound, ValidationException

from .conftest import assert_books_balance, balances, call, create_one, journals_of, messages_of


def transfer(amount: str = "250.00", **overrides) -> dict:
    element = {"FromBankAccount": {"Code": "090"}, "ToBankAccount": {"Code": "091"}, "Amount": amount,
               "Date": "2026-03-13", "Reference": "To savings"}
    element.update(overrides)
    return element


async def test_transfer_moves_money_and_has_two_sides(adapter) -> None:
    before = await balances(adapter, "090", "091")
    made = await create_one(adapter, "createBankTransfer", transfer(FromIsReconciled=True))
    assert (made.Status, made.Amount, made.CurrencyRate) == ("AUTHORISED", Decimal("250.00"), Decimal("1"))
    assert (made.FromBankAccount.Code, made.ToBankAccount.Code) == ("090", "091")
    assert (made.FromIsReconciled, made.ToIsReconciled) == (True, False)
    assert made.CreatedDateUTC is not None and str(made.Date) == "2026-03-13"
    after = await balances(adapter, "090", "091")
    assert after["090"] - before["090"] == Decimal("-250.00")
    assert after["091"] - before["091"] == Decimal("250.00")
    (journal,) = await journals_of(adapter, made.BankTransferID)
    assert journal.source_type == "TRANSFER"
    (spend,) = (await call(adapter, "getBankTransaction",
                           path={"BankTransactionID": made.FromBankTransactionID})).items
    (receive,) = (await call(adapter, "getBankTransaction", path={"BankTransactionID": made.ToBankTransactionID})).items
    assert (spend.Type, spend.BankAccount.Code, spend.Total, spend.IsReconciled) == (
        "SPEND-TRANSFER", "090", Decimal("250.00"), True)
    assert (receive.Type, receive.BankAccount.Code, receive.LineItems[0].AccountCode) == (
        "RECEIVE-TRANSFER", "091", "090")
    with pytest.raises(ValidationException) as err:  # the sides are read-only through BankTransactions
        await call(adapter, "updateBankTransaction", path={"BankTransactionID": spend.BankTransactionID},
                   elements=[{"Reference": "x"}])
    assert messages_of(err.value) == [messages.BANK_TRANSACTION_TYPE_READ_ONLY.format(type="SPEND-TRANSFER")]
    await assert_books_balance(adapter)


async def test_delete_by_url_and_in_batch(adapter) -> None:
    before = await balances(adapter, "090", "091")
    first = await create_one(adapter, "createBankTransfer", transfer("10.00"))
    second = await create_one(adapter, "createBankTransfer", transfer("20.00"))
    (deleted,) = (await call(adapter, "deleteBankTransfer", path={"BankTransferID": first.BankTransferID},
                             elements=[{"Status": "DELETED"}])).items
    assert deleted.Status == "DELETED"
    (side,) = (await call(adapter, "getBankTransaction", path={"BankTransactionID": first.FromBankTransactionID})).items
    assert side.Status == "DELETED"
    result = await call(adapter, "deleteBankTransfers", summarize_errors=False, elements=[
        {"BankTransferID": second.BankTransferID, "Status": "DELETED"},
        {"BankTransferID": first.BankTransferID, "Status": "DELETED"},
        {"BankTransferID": "00000000-0000-0000-0000-00000000000c", "Status": "DELETED"},
        {"Status": "DELETED"}])
    # spec BankTransfer has no StatusAttributeString: failed elements carry their ValidationErrors only.
    assert [t.Status for t in result.items[:1]] == ["DELETED"]
    assert [[e.Message for e in t.ValidationErrors or []] for t in result.items] == [
        [], [messages.BANK_TRANSFER_ALREADY_DELETED], [messages.BANK_TRANSFER_NOT_FOUND],
        [messages.BANK_TRANSFER_ID_REQUIRED]]
    assert await balances(adapter, "090", "091") == before
    with pytest.raises(ValidationException) as err:
        await call(adapter, "deleteBankTransfer", path={"BankTransferID": second.BankTransferID},
                   elements=[{"Status": "AUTHORISED"}])
    assert messages.BANK_TRANSFER_DELETE_STATUS in messages_of(err.value)
    with pytest.raises(NotFound):
        await call(adapter, "deleteBankTransfer", path={"BankTransferID": "00000000-0000-0000-0000-00000000000c"},
                   elements=[{"Status": "DELETED"}])
    await assert_books_balance(adapter)


async def test_validation(adapter) -> None:
    cases = [
        (transfer(ToBankAccount={"Code": "090"}), messages.BANK_TRANSFER_SAME_ACCOUNT),
        (transfer(ToBankAccount={"Code": "200"}),
         messages.BANK_ACCOUNT_INVALID.format(field="ToBankAccount", code="200")),
        (transfer(FromBankAccount=None), messages.BANK_ACCOUNT_REQUIRED.format(field="FromBankAccount")),
        (transfer("0"), messages.BANK_TRANSFER_AMOUNT_POSITIVE),
        (transfer(FromTracking=[{"Name": "Nope", "Option": "x"}]),
         messages.TRACKING_CATEGORY_NOT_ACTIVE.format(name="Nope")),
    ]
    for element, message in cases:
        with pytest.raises(ValidationException) as err:
            await call(adapter, "createBankTransfer", elements=[element])
        assert message in messages_of(err.value), (element, messages_of(err.value))


async def test_tracking_on_each_side(adapter) -> None:
    categories = (await call(adapter, "getTrackingCategories")).items
    region = next(c for c in categories if c.Name == "Region")
    (option,) = (await call(adapter, "createTrackingOptions", path={"TrackingCategoryID": region.TrackingCategoryID},
                            elements=[{"Name": "Treasury"}])).items
    async with adapter.db.session() as session:
        assert not await tracking.in_use(session, ids=[option.TrackingOptionID])
    made = await create_one(adapter, "createBankTransfer", transfer(
        ToTracking=[{"TrackingCategoryID": region.TrackingCategoryID, "TrackingOptionID": option.TrackingOptionID}]))
    assert made.FromTracking == [] and [(t.Name, t.Option) for t in made.ToTracking] == [("Region", option.Name)]
    (journal,) = await journals_of(adapter, made.BankTransferID)
    tracked = [ln for ln in journal.lines if ln.tracking]
    assert len(tracked) == 1 and tracked[0].amount == Decimal("250.00")
    (receive,) = (await call(adapter, "getBankTransaction", path={"BankTransactionID": made.ToBankTransactionID})).items
    assert [t.TrackingOptionID for t in receive.LineItems[0].Tracking] == [option.TrackingOptionID]
    async with adapter.db.session() as session:  # the catalogue sees the option in use (it may not be deleted)
        assert await tracking.in_use(session, ids=[option.TrackingOptionID])


async def test_lists_hide_deleted_unless_asked(adapter) -> None:
    demo = (await call(adapter, "getBankTransfers")).items
    assert len(demo) >= 1
    made = await create_one(adapter, "createBankTransfer", transfer("5.00"))
    await call(adapter, "deleteBankTransfer", path={"BankTransferID": made.BankTransferID},
               elements=[{"Status": "DELETED"}])
    shown = (await call(adapter, "getBankTransfers")).items
    assert made.BankTransferID not in {t.BankTransferID for t in shown}
    everything = (await call(adapter, "getBankTransfers", params={"includeDeleted": "true"})).items
    assert made.BankTransferID in {t.BankTransferID for t in everything}
    big = (await call(adapter, "getBankTransfers", where="Amount > 100", order="Amount DESC")).items
    assert big and all(t.Amount > 100 for t in big)
    (single,) = (await call(adapter, "getBankTransfer", path={"BankTransferID": made.BankTransferID})).items
    assert single.Status == "DELETED"
