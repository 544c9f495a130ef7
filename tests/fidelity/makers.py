"""First records for the resources the native demo company starts without, so that the fidelity audit sees their
fields (:func:`.stacks.served_records`).

Each maker writes through the public API, with the demo company's own names (its first user, supplier
"Greenfield Office Supplies", customer "Meridian University", accounts 429 General Expenses, 200 Sales and 090
the bank account), as the native tests' element helpers do.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tests.support.stack import Stack

SUPPLIER, CUSTOMER, EXPENSES, SALES, BANK = "Greenfield Office Supplies", "Meridian University", "429", "200", "090"


async def _put(stack: Stack, path: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    """The first element of a write's answer.

    Raises:
        AssertionError: the write does not answer 200.
    """
    answer = await stack.api("PUT", path, body=body, validate=False)
    assert answer.status == 200, (path, answer.status, answer.body)
    return answer.body[key][0]


def _document(kind: str, contact: str, account: str, tax: str) -> dict[str, Any]:
    return {"Type": kind, "Contact": {"Name": contact}, "Date": "2026-03-10", "DueDate": "2026-04-09",
            "Status": "AUTHORISED", "LineAmountTypes": "Exclusive",
            "LineItems": [{"Description": "Fidelity check", "Quantity": 1, "UnitAmount": 50, "AccountCode": account,
                           "TaxType": tax}]}


async def _receipt(stack: Stack) -> dict[str, Any]:
    users = await stack.api("GET", "/Users", validate=False)
    return await _put(stack, "/Receipts", "Receipts", {"Receipts": [{
        "User": {"UserID": users.body["Users"][0]["UserID"]}, "Contact": {"Name": SUPPLIER}, "Date": "2026-03-12",
        "Reference": "Taxi", "LineAmountTypes": "Exclusive",
        "LineItems": [{"Description": "Taxi", "Quantity": 2, "UnitAmount": 15, "AccountCode": EXPENSES,
                       "TaxType": "INPUT2"}]}]})


async def _expense_claim(stack: Stack) -> None:
    receipt = await _receipt(stack)
    await _put(stack, "/ExpenseClaims", "ExpenseClaims", {"ExpenseClaims": [{
        "Status": "SUBMITTED", "User": receipt["User"], "Receipts": [{"ReceiptID": receipt["ReceiptID"]}]}]})


async def _batch_payment(stack: Stack) -> None:
    invoice = await _put(stack, "/Invoices", "Invoices",
                         {"Invoices": [_document("ACCREC", CUSTOMER, SALES, "OUTPUT2")]})
    await _put(stack, "/BatchPayments", "BatchPayments", {"BatchPayments": [{
        "Account": {"Code": BANK}, "Date": "2026-03-15", "Reference": "Fidelity run",
        "Payments": [{"Invoice": {"InvoiceID": invoice["InvoiceID"]}, "Amount": 10}]}]})


async def _linked_transaction(stack: Stack) -> None:
    bill = await _put(stack, "/Invoices", "Invoices", {"Invoices": [_document("ACCPAY", SUPPLIER, EXPENSES, "INPUT2")]})
    await _put(stack, "/LinkedTransactions", "LinkedTransactions", {
        "SourceTransactionID": bill["InvoiceID"], "SourceLineItemID": bill["LineItems"][0]["LineItemID"]})


async def _employee(stack: Stack) -> None:
    await _put(stack, "/Employees", "Employees", {"Employees": [{"FirstName": "Fidelity", "LastName": "Check"}]})


async def _payment_service(stack: Stack) -> None:
    await _put(stack, "/PaymentServices", "PaymentServices", {"PaymentServices": [{
        "PaymentServiceName": "PayUp", "PaymentServiceUrl": "https://pay.example/?inv=[INVOICENUMBER]",
        "PayNowText": "Pay now"}]})


async def _receipt_only(stack: Stack) -> None:
    await _receipt(stack)


#: Resource → how to make its first record when a list answers none.
MAKERS: dict[str, Callable[[Stack], Awaitable[None]]] = {
    "Receipts": _receipt_only, "ExpenseClaims": _expense_claim, "BatchPayments": _batch_payment,
    "LinkedTransactions": _linked_transaction, "Employees": _employee, "PaymentServices": _payment_service,
}
