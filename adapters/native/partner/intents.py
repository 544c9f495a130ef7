"""Accounting intents of the partner API → the Xero documents the native ledger already posts (issue 16).

Each intent is written by the native adapter's own Xero operation, so the posting rules
(:mod:`adapters.native.ledger.posting`), validation and lock dates (:mod:`adapters.native.ledger.lockdates`) are the
ones the Xero API uses, and the posting is visible through both APIs at once:

======================  =========================================================================================
partner intent          Xero document (operation)
======================  =========================================================================================
``purchase``            BankTransaction ``Type: SPEND``, ``Status: AUTHORISED`` (``createBankTransactions``)
``deposit``             BankTransaction ``Type: RECEIVE`` (``createBankTransactions``)
``transfer``            BankTransfer (``createBankTransfer``)
``bill_payment``        Payment on an ACCPAY invoice (``createPayment``)
``journal_entry``       ManualJournal ``Status: POSTED`` (``createManualJournals``)
======================  =========================================================================================

Request shapes (``adapters/native/partner/web/openapi.json``): money is integer cents, dates ``YYYY-MM-DD``.
Purchases and deposits carry ``lines`` (``accountId``, ``amountCents`` > 0, optional ``description``,
``taxType``); with a ``taxType`` on any line the amounts include tax (Xero ``LineAmountTypes: Inclusive``), else
``NoTax``. Journal entry lines are signed (debit > 0, credit < 0) and must balance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import PartnerError
from .wire import from_cents, parse_date


@dataclass(frozen=True)
class Intent:
    """One kind of posting.

    Attributes:
        name: the partner name (``purchase``…), also the path (``/purchases``…).
        operation_id: the Xero operation that writes it.
        element: partner request body → the one Xero element of the operation.
        id_field: the field of the written document's id in the operation's answer.
    """

    name: str
    operation_id: str
    element: Callable[[dict[str, Any]], dict[str, Any]]
    id_field: str


def _text(body: dict[str, Any], field: str, *, required: bool = False) -> str | None:
    value = body.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise PartnerError("validation_failed", f"'{field}' must be a non-empty string")
    return value.strip()


def _positive(body: dict[str, Any], field: str) -> Any:
    amount = from_cents(body.get(field), field=field)
    if amount <= 0:
        raise PartnerError("validation_failed", f"'{field}' must be greater than zero")
    return amount


def _lines(body: dict[str, Any]) -> list[dict[str, Any]]:
    lines = body.get("lines")
    if not isinstance(lines, list) or not lines or not all(isinstance(line, dict) for line in lines):
        raise PartnerError("validation_failed", "'lines' must be a non-empty list of objects")
    return lines


def _contact(body: dict[str, Any]) -> dict[str, str]:
    contact_id, name = _text(body, "contactId"), _text(body, "contactName")
    if contact_id is None and name is None:
        raise PartnerError("validation_failed", "One of 'contactId' and 'contactName' is required")
    return {"ContactID": contact_id} if contact_id is not None else {"Name": name or ""}


def _money_transaction(kind: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def element(body: dict[str, Any]) -> dict[str, Any]:
        lines = _lines(body)
        items = [{"Description": _text(line, "description") or "", "Quantity": 1,
                  "UnitAmount": _positive(line, "amountCents"), "AccountID": _text(line, "accountId", required=True),
                  **({"TaxType": _text(line, "taxType")} if line.get("taxType") is not None else {})}
                 for line in lines]
        taxed = any(line.get("taxType") is not None for line in lines)
        out = {"Type": kind, "Status": "AUTHORISED", "Contact": _contact(body),
               "BankAccount": {"AccountID": _text(body, "bankAccountId", required=True)},
               "Date": parse_date(body.get("date"), field="date").isoformat(),
               "LineAmountTypes": "Inclusive" if taxed else "NoTax", "LineItems": items}
        if (reference := _text(body, "reference")) is not None:
            out["Reference"] = reference
        return out

    return element


def _transfer(body: dict[str, Any]) -> dict[str, Any]:
    out = {"FromBankAccount": {"AccountID": _text(body, "fromBankAccountId", required=True)},
           "ToBankAccount": {"AccountID": _text(body, "toBankAccountId", required=True)},
           "Amount": _positive(body, "amountCents"), "Date": parse_date(body.get("date"), field="date").isoformat()}
    if (reference := _text(body, "reference")) is not None:
        out["Reference"] = reference
    return out


def _bill_payment(body: dict[str, Any]) -> dict[str, Any]:
    out = {"Invoice": {"InvoiceID": _text(body, "billId", required=True)},
           "Account": {"AccountID": _text(body, "bankAccountId", required=True)},
           "Amount": _positive(body, "amountCents"), "Date": parse_date(body.get("date"), field="date").isoformat()}
    if (reference := _text(body, "reference")) is not None:
        out["Reference"] = reference
    return out


def _journal_entry(body: dict[str, Any]) -> dict[str, Any]:
    lines = []
    for line in _lines(body):
        amount = from_cents(line.get("amountCents"), field="amountCents")
        if amount == 0:
            raise PartnerError("validation_failed", "'amountCents' of a journal line must not be zero")
        lines.append({"LineAmount": amount, "AccountID": _text(line, "accountId", required=True),
                      "Description": _text(line, "description") or ""})
    if sum(line["LineAmount"] for line in lines) != 0:
        raise PartnerError("validation_failed", "The journal entry's lines must balance (debits = credits)")
    return {"Narration": _text(body, "memo", required=True), "Status": "POSTED",
            "Date": parse_date(body.get("date"), field="date").isoformat(), "JournalLines": lines}


INTENTS: dict[str, Intent] = {intent.name: intent for intent in (
    Intent("purchase", "createBankTransactions", _money_transaction("SPEND"), "BankTransactionID"),
    Intent("deposit", "createBankTransactions", _money_transaction("RECEIVE"), "BankTransactionID"),
    Intent("transfer", "createBankTransfer", _transfer, "BankTransferID"),
    Intent("bill_payment", "createPayment", _bill_payment, "PaymentID"),
    Intent("journal_entry", "createManualJournals", _journal_entry, "ManualJournalID"),
)}
