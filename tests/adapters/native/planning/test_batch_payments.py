"""Batch payments on the native ledger: one bank line paying several invoices, each payment posted by the payment
rules (bank and control-account balances), carrying its BatchPaymentID; delete reverses them all."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from adapters.native.ledger.posting import account_balances
from gateway.xero.errors import NotFound, ValidationException

from .conftest import TENANT, call, invoice_element

BANK = "090"


async def _balances(adapter) -> dict[str, Decimal]:
    async with adapter._session() as session:
        by_id = await account_balances(session, TENANT)
    accounts = (await call(adapter, "getAccounts")).items
    return {(BANK if a.Code == BANK else a.SystemAccount): by_id.get(a.AccountID, Decimal(0)) for a in accounts
            if a.Code == BANK or a.SystemAccount in ("DEBTORS", "CREDITORS")}


async def _two_invoices(adapter) -> list:
    made = (await call(adapter, "createInvoices", elements=[invoice_element(), invoice_element(
        Contact={"Name": "Ivy Lane Bakery"})])).items
    assert [i.Total for i in made] == [Decimal("240.00"), Decimal("240.00")]
    return made


async def test_a_batch_pays_several_invoices_as_one_bank_line(adapter) -> None:
    first, second = await _two_invoices(adapter)
    before = await _balances(adapter)
    batch = (await call(adapter, "createBatchPayment", elements=[{
        "Account": {"Code": BANK}, "Date": "2026-03-15", "Reference": "March run", "Payments": [
            {"Invoice": {"InvoiceID": first.InvoiceID}, "Amount": 240},
            {"Invoice": {"InvoiceNumber": second.InvoiceNumber}, "Amount": 100}]}])).items[0]
    assert batch.Type == "RECBATCH" and batch.Status == "AUTHORISED" and batch.TotalAmount == Decimal("340.00")
    assert batch.IsReconciled is False and batch.Account.Code == BANK
    assert [p.BatchPaymentID for p in batch.Payments] == [batch.BatchPaymentID] * 2
    assert [p.Amount for p in batch.Payments] == [Decimal("240.00"), Decimal("100.00")]
    assert all(p.Reference == "March run" and str(p.Date) == "2026-03-15" for p in batch.Payments)
    after = await _balances(adapter)
    assert after[BANK] - before[BANK] == Decimal("340.00")
    assert after["DEBTORS"] - before["DEBTORS"] == Decimal("-340.00")
    invoices = {i.InvoiceID: i for i in (await call(adapter, "getInvoices", ids=[first.InvoiceID,
                                                                                  second.InvoiceID])).items}
    assert invoices[first.InvoiceID].Status == "PAID" and invoices[second.InvoiceID].AmountDue == Decimal("140.00")
    listed = (await call(adapter, "getBatchPayments", where='Type=="RECBATCH"')).items
    assert [b.BatchPaymentID for b in listed] == [batch.BatchPaymentID]
    # Xero shows the batch on each of its payments, in the payments' own list and read.
    paid = {p.PaymentID: p.BatchPaymentID for p in (await call(adapter, "getPayments")).items}
    assert [paid[p.PaymentID] for p in batch.Payments] == [batch.BatchPaymentID] * 2
    assert sum(1 for b in paid.values() if b) == 2
    one = (await call(adapter, "getPayment", path={"PaymentID": batch.Payments[0].PaymentID})).items[0]
    assert one.BatchPaymentID == batch.BatchPaymentID

    # Deleting the batch reverses every payment and reopens the invoices.
    deleted = (await call(adapter, "deleteBatchPayment", elements=[
        {"BatchPaymentID": batch.BatchPaymentID, "Status": "DELETED"}])).items[0]
    assert deleted.Status == "DELETED" and all(p.Status == "DELETED" for p in deleted.Payments)
    assert await _balances(adapter) == before
    invoices = (await call(adapter, "getInvoices", ids=[first.InvoiceID])).items
    assert invoices[0].Status == "AUTHORISED" and invoices[0].AmountDue == Decimal("240.00")
    with pytest.raises(ValidationException):
        await call(adapter, "deleteBatchPaymentByUrlParam", path={"BatchPaymentID": batch.BatchPaymentID},
                   elements=[{"Status": "DELETED"}])
    history = (await call(adapter, "getBatchPaymentHistory", path={"BatchPaymentID": batch.BatchPaymentID})).items
    assert [h.Changes for h in history] == ["Created", "Deleted"]


async def test_bills_make_a_paybatch_and_delete_by_url(adapter) -> None:
    bill = (await call(adapter, "createInvoices", elements=[invoice_element(
        Type="ACCPAY", Contact={"Name": "Greenfield Office Supplies"}, InvoiceNumber="B-1",
        LineItems=[{"Description": "Paper", "Quantity": 1, "UnitAmount": 50, "AccountCode": "429",
                    "TaxType": "INPUT2"}])])).items[0]
    before = await _balances(adapter)
    batch = (await call(adapter, "createBatchPayment", elements=[{
        "Account": {"Code": BANK}, "Date": "2026-03-16", "Payments": [
            {"Invoice": {"InvoiceID": bill.InvoiceID}, "Amount": 60}]}])).items[0]
    assert batch.Type == "PAYBATCH"
    after = await _balances(adapter)
    assert after[BANK] - before[BANK] == Decimal("-60.00") and after["CREDITORS"] - before["CREDITORS"] == 60
    await call(adapter, "deleteBatchPaymentByUrlParam", path={"BatchPaymentID": batch.BatchPaymentID},
               elements=[{"Status": "DELETED"}])
    assert await _balances(adapter) == before


async def test_invalid_batches_write_nothing(adapter) -> None:
    first, _ = await _two_invoices(adapter)
    bill = (await call(adapter, "createInvoices", elements=[invoice_element(
        Type="ACCPAY", Contact={"Name": "Greenfield Office Supplies"}, InvoiceNumber="B-2",
        LineItems=[{"Description": "Paper", "Quantity": 1, "UnitAmount": 50, "AccountCode": "429",
                    "TaxType": "INPUT2"}])])).items[0]
    before = await _balances(adapter)
    cases = [
        ({"Account": {"Code": "200"}, "Date": "2026-03-15",
          "Payments": [{"Invoice": {"InvoiceID": first.InvoiceID}, "Amount": 10}]}, "bank account"),
        ({"Account": {"Code": BANK}, "Date": "2026-03-15", "Payments": []}, "at least one payment"),
        ({"Account": {"Code": BANK}, "Date": "2026-03-15", "Payments": [
            {"Invoice": {"InvoiceID": first.InvoiceID}, "Amount": 10},
            {"Invoice": {"InvoiceID": bill.InvoiceID}, "Amount": 10}]}, "all for sales invoices"),
        ({"Account": {"Code": BANK}, "Date": "2026-03-15", "Payments": [
            {"Invoice": {"InvoiceID": first.InvoiceID}, "Amount": 10},
            {"Invoice": {"InvoiceID": first.InvoiceID}, "Amount": 1000}]}, "exceeds"),
    ]
    for element, expected in cases:
        with pytest.raises(ValidationException) as caught:
            await call(adapter, "createBatchPayment", elements=[element])
        assert expected in json.dumps(caught.value.body()), caught.value.body()
    assert await _balances(adapter) == before
    assert (await call(adapter, "getBatchPayments")).items == []
    with pytest.raises(NotFound):
        await call(adapter, "getBatchPayment", path={"BatchPaymentID": "00000000-0000-0000-0000-000000000001"})


async def test_batch_payments_through_http(api) -> None:
    resp, body = await api.call("PUT", "/Invoices", json={"Invoices": [invoice_element()]})
    invoice = json.loads(body)["Invoices"][0]
    resp, body = await api.call("PUT", "/BatchPayments", json={"BatchPayments": [{
        "Account": {"Code": BANK}, "Date": "2026-03-15", "Reference": "HTTP run",
        "Payments": [{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": 240}]}]})
    assert resp.status == 200, body
    batch = json.loads(body)["BatchPayments"][0]
    assert batch["Payments"][0]["BatchPaymentID"] == batch["BatchPaymentID"] and batch["DateString"]
    resp, body = await api.call("GET", f"/BatchPayments/{batch['BatchPaymentID']}")
    assert resp.status == 200 and json.loads(body)["BatchPayments"][0]["TotalAmount"] == 240
    resp, body = await api.call("PUT", f"/BatchPayments/{batch['BatchPaymentID']}/History",
                                json={"HistoryRecords": [{"Details": "Sent to the bank"}]})
    assert resp.status == 200, body
    resp, body = await api.call("POST", "/BatchPayments",
                                json={"BatchPaymentID": batch["BatchPaymentID"], "Status": "DELETED"})
    assert resp.status == 200 and json.loads(body)["BatchPayments"][0]["Status"] == "DELETED", body
