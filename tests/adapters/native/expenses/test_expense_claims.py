"""Expense claims on the native ledger: grouping receipts, approval posting to the ledger, voiding reversing it,
deleting releasing the receipts, and the rules on receipts and statuses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gateway.xero.errors import NotFound, ValidationException
from tests.adapters.native.core.conftest import ctx
from tests.adapters.native.reports.reading import report
from tests.front import xero_request

from .conftest import USER_ID, call, receipt_element

TODAY = "2026-03-31"


def _messages(err: pytest.ExceptionInfo[ValidationException]) -> list[str]:
    return [m["Message"] for el in err.value.elements for m in el.get("ValidationErrors", [])]


async def _receipts(adapter, *overrides: dict) -> list[str]:
    made = (await call(adapter, "createReceipt", elements=[receipt_element(**o) for o in overrides])).items
    return [r.ReceiptID for r in made]


def _claim(*receipt_ids: str, status: str = "SUBMITTED") -> dict:
    return {"Status": status, "User": {"UserID": USER_ID}, "Receipts": [{"ReceiptID": r} for r in receipt_ids]}


async def _trial_balance(adapter) -> dict[str, Decimal]:
    """Account row label → debit − credit (year to date) of the trial balance."""
    tb = await report(adapter, "getReportTrialBalance", date=TODAY)
    out: dict[str, Decimal] = {}
    for section in tb.sections:
        for row in section["Rows"]:
            if row["RowType"] == "Row":
                cells = [c["Value"] for c in row["Cells"]]
                out[cells[0]] = Decimal(cells[3] or "0") - Decimal(cells[4] or "0")
    return out


async def _journals(adapter) -> list:
    """Every journal of the ledger (``GET /Journals`` page by page, at most 50 pages)."""
    found: list = []
    for _ in range(50):
        req = xero_request("getJournals", params={"offset": str(found[-1].JournalNumber if found else 0)})
        page = (await adapter.operation("getJournals")(ctx(), req)).items
        if not page:
            return found
        found += page
    raise AssertionError("more journals than expected")


async def test_submit_approve_post_and_void(adapter) -> None:
    ids = await _receipts(adapter, {}, {"LineItems": [{"Description": "Train", "Quantity": 1, "UnitAmount": 40,
                                                        "AccountCode": "493", "TaxType": "NONE"}]})
    before = await _trial_balance(adapter)
    claim = (await call(adapter, "createExpenseClaims", elements=[_claim(*ids)])).items[0]
    assert claim.Status == "SUBMITTED" and claim.User.UserID == USER_ID
    assert (claim.Total, claim.AmountDue, claim.AmountPaid) == (Decimal("76.00"), Decimal("76.00"), Decimal("0"))
    assert [r.Status for r in claim.Receipts] == ["SUBMITTED", "SUBMITTED"]
    assert await _trial_balance(adapter) == before  # a submitted claim posts nothing

    path = {"ExpenseClaimID": claim.ExpenseClaimID}
    approved = (await call(adapter, "updateExpenseClaim", path=path, elements=[{"Status": "AUTHORISED"}])).items[0]
    assert approved.Status == "AUTHORISED" and approved.ReportingDate is not None
    assert [r.Status for r in approved.Receipts] == ["AUTHORISED", "AUTHORISED"]
    after = await _trial_balance(adapter)
    moved = {label: after.get(label, Decimal(0)) - before.get(label, Decimal(0)) for label in after}
    assert moved["General Expenses (429)"] == Decimal("30.00")
    assert moved["Travel - National (493)"] == Decimal("40.00")
    assert moved["VAT (820)"] == Decimal("6.00")
    assert moved["Unpaid Expense Claims (801)"] == Decimal("-76.00")
    assert sum(moved.values()) == 0

    journals = [j for j in await _journals(adapter) if j.SourceID == claim.ExpenseClaimID]
    assert [j.SourceType for j in journals] == ["EXPCLAIM"]

    voided = (await call(adapter, "updateExpenseClaim", path=path, elements=[{"Status": "VOIDED"}])).items[0]
    assert voided.Status == "VOIDED" and voided.AmountDue == 0
    assert [r.Status for r in voided.Receipts] == ["VOIDED", "VOIDED"]
    assert await _trial_balance(adapter) == before  # the reversal nets every account back (zero rows drop)
    records = (await call(adapter, "getExpenseClaimHistory", path=path)).items
    assert [r.Changes for r in records] == ["Created", "Approved", "Voided"]


async def test_created_authorised_posts_at_once(adapter) -> None:
    ids = await _receipts(adapter, {})
    before = await _trial_balance(adapter)
    claim = (await call(adapter, "createExpenseClaims", elements=[_claim(*ids, status="AUTHORISED")])).items[0]
    after = await _trial_balance(adapter)
    assert after["Unpaid Expense Claims (801)"] - before.get("Unpaid Expense Claims (801)", Decimal(0)) == \
        -claim.Total


async def test_delete_releases_the_receipts(adapter) -> None:
    ids = await _receipts(adapter, {})
    claim = (await call(adapter, "createExpenseClaims", elements=[_claim(*ids)])).items[0]
    with pytest.raises(ValidationException) as err:  # on a claim already
        await call(adapter, "createExpenseClaims", elements=[_claim(*ids)], summarize_errors=True)
    assert f"Receipt {ids[0]} is already on an expense claim." in _messages(err)
    deleted = (await call(adapter, "updateExpenseClaim", path={"ExpenseClaimID": claim.ExpenseClaimID},
                          elements=[{"Status": "DELETED"}])).items[0]
    assert deleted.Status == "DELETED" and deleted.Receipts == [] and deleted.Total == 0
    receipt = (await call(adapter, "getReceipt", path={"ReceiptID": ids[0]})).items[0]
    assert receipt.Status == "DRAFT"
    again = (await call(adapter, "createExpenseClaims", elements=[_claim(*ids)])).items[0]
    assert [r.ReceiptID for r in again.Receipts] == ids


async def test_a_claimed_receipt_is_frozen_and_may_be_declined(adapter) -> None:
    ids = await _receipts(adapter, {}, {"Reference": "Second"})
    claim = (await call(adapter, "createExpenseClaims", elements=[_claim(*ids)])).items[0]
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateReceipt", path={"ReceiptID": ids[0]}, elements=[{"Reference": "late edit"}])
    assert "A receipt in status SUBMITTED cannot be edited; only DRAFT and DECLINED receipts can." in _messages(err)
    declined = (await call(adapter, "updateReceipt", path={"ReceiptID": ids[1]},
                           elements=[{"Status": "DECLINED"}])).items[0]
    assert declined.Status == "DECLINED"
    read = (await call(adapter, "getExpenseClaim", path={"ExpenseClaimID": claim.ExpenseClaimID})).items[0]
    assert [r.ReceiptID for r in read.Receipts] == ids[:1] and read.Total == Decimal("36.00")


@pytest.mark.parametrize(("element", "message"), [
    ({"Status": "SUBMITTED", "User": {"UserID": USER_ID}, "Receipts": []},
     "An expense claim must have at least one receipt."),
    ({"Status": "SUBMITTED", "User": {"UserID": USER_ID},
      "Receipts": [{"ReceiptID": "00000000-0000-0000-0000-000000000001"}]},
     "Receipt 00000000-0000-0000-0000-000000000001 could not be found."),
    ({"Status": "SUBMITTED", "Receipts": []}, "A valid User must be specified for an expense claim."),
    ({"Status": "PAID", "User": {"UserID": USER_ID}, "Receipts": []},
     "An expense claim can only be created as SUBMITTED or AUTHORISED."),
])
async def test_invalid_claims(adapter, element, message) -> None:
    with pytest.raises(ValidationException) as err:
        await call(adapter, "createExpenseClaims", elements=[element], summarize_errors=True)
    assert message in _messages(err)


async def test_status_changes_and_lists(adapter) -> None:
    ids = await _receipts(adapter, {})
    claim = (await call(adapter, "createExpenseClaims", elements=[_claim(*ids, status="AUTHORISED")])).items[0]
    path = {"ExpenseClaimID": claim.ExpenseClaimID}
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateExpenseClaim", path=path, elements=[{"Status": "SUBMITTED"}])
    assert "An expense claim in status AUTHORISED cannot be changed to SUBMITTED." in _messages(err)
    with pytest.raises(ValidationException) as err:
        await call(adapter, "updateExpenseClaim", path=path, elements=[{"Receipts": [{"ReceiptID": ids[0]}]}])
    assert "The receipts of an expense claim in status AUTHORISED cannot be changed." in _messages(err)
    with pytest.raises(NotFound):
        await call(adapter, "getExpenseClaim", path={"ExpenseClaimID": "00000000-0000-0000-0000-000000000001"})
    listed = (await call(adapter, "getExpenseClaims", where='Status=="AUTHORISED"')).items
    assert [c.ExpenseClaimID for c in listed] == [claim.ExpenseClaimID]
    assert (await call(adapter, "getExpenseClaims", where='Status=="SUBMITTED"')).items == []
