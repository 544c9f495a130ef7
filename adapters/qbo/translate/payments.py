"""Xero Payments ↔ QBO Payment and BillPayment.

A Xero Payment pays one invoice with one amount; a QBO Payment (customer) or BillPayment (supplier) pays several
documents through ``Line[{Amount, LinkedTxn[{TxnId, TxnType}]}]`` (upstream-contracts.md §4 hard case 6;
Payment.json, BillPayment.json). Each line linking an Invoice (Payment) or a Bill (BillPayment) is one Xero Payment
whose ``PaymentID`` is the GUID of the QBO record and the part ``"{TxnType}:{TxnId}"`` (:mod:`adapters.qbo.ids`), so a
QBO payment of two invoices is two Xero payments. Lines linking credit memos, and amounts left unapplied
(``UnappliedAmt``), are Xero allocations and overpayments, which this gateway does not serve for QBO.

Fields: ``Date`` ← ``TxnDate``; ``Amount`` ← the line's ``Amount``; ``Account`` ← ``DepositToAccountRef`` (Payment)
or ``CheckPayment.BankAccountRef`` / ``CreditCardPayment.CCAccountRef`` (BillPayment); ``Reference`` ↔
``PaymentRefNum`` (Payment) / ``PrivateNote`` (BillPayment); ``PaymentType`` by ``mappings/qbo_payments.toml``;
``Status`` AUTHORISED, or DELETED for a voided payment; ``CurrencyRate`` ↔ ``ExchangeRate`` (1 in the home currency).
Writes create a one-line Payment/BillPayment; the BillPayment's ``PayType`` (Check/CreditCard) follows the paying
account's type.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models import Contact, InvoiceRef
from gateway.xero.models.documents import Payment

from .. import codes
from .banking import account_ref, undeposited_funds
from .common import ZERO, Tx, compact, money, qbo_date, ref, ref_id, text, updated, xero_date, xero_number
from .documents import BY_ENTITY, is_voided

#: QBO payment entity → (the document type its lines pay, the contact entity, the contact reference).
PAYS = {"Payment": ("Invoice", "Customer", "CustomerRef"), "BillPayment": ("Bill", "Vendor", "VendorRef")}


def paying_account(row: dict[str, Any], entity: str) -> dict[str, Any] | None:
    """The ``ReferenceType`` of the account a QBO payment moves money in or out of (``None`` when it names none)."""
    if entity == "Payment":
        found = row.get("DepositToAccountRef")
    else:
        found = (row.get("CheckPayment") or {}).get("BankAccountRef") or (
            row.get("CreditCardPayment") or {}).get("CCAccountRef")
    return found if ref_id(found) is not None else None


def links(row: dict[str, Any], entity: str) -> list[tuple[str, Decimal]]:
    """``(document Id, amount)`` of every line paying a document of the payment's kind."""
    target = PAYS[entity][0]
    out = []
    for line in row.get("Line") or []:
        for linked in (line or {}).get("LinkedTxn") or []:
            if linked.get("TxnType") == target and linked.get("TxnId") not in (None, ""):
                out.append((str(linked["TxnId"]), money(line.get("Amount")) or ZERO))
    return out


def payments_to_xero(row: dict[str, Any], entity: str, t: Tx, *,
                     documents: dict[tuple[str, str], dict[str, Any]]) -> list[Payment]:
    """The Xero Payments of one QBO Payment/BillPayment.

    Args:
        documents: ``(entity, Id) → {Id, DocNumber}`` of the paid documents (read in one query per entity).
    """
    target, party, party_ref = PAYS[entity]
    table = codes.statuses().payment
    company = t.refs.company
    found = paying_account(row, entity)
    if found is None and entity == "Payment":
        # Payment.DepositToAccountRef: "If you do not specify this account, payment is applied to the Undeposited
        # Funds account" (Intuit's Payment reference), as a bank transaction without one is read.
        found = undeposited_funds(t)
    account = account_ref(t, found)
    currency = ref_id(row.get("CurrencyRef")) or company.home_currency
    rate = money(row.get("ExchangeRate")) or (Decimal(1) if currency == company.home_currency else None)
    party_id = ref_id(row.get(party_ref))
    contact = Contact(ContactID=t.guid(party, party_id), Name=text((row.get(party_ref) or {}).get("name"))) \
        if party_id else None
    reference = text(row.get("PaymentRefNum")) if entity == "Payment" else text(row.get("PrivateNote"))
    kind = BY_ENTITY[target]
    out = []
    for document_id, amount in links(row, entity):
        document = documents.get((target, document_id)) or {}
        out.append(Payment(
            PaymentID=t.guid(entity, row["Id"], f"{target}:{document_id}"),
            Invoice=InvoiceRef(InvoiceID=t.guid(target, document_id), InvoiceNumber=text(document.get("DocNumber")),
                               Type=kind.xero_type, Contact=contact, CurrencyCode=currency),
            Account=account,
            Date=qbo_date(row.get("TxnDate")),
            Amount=amount,
            BankAmount=amount,
            CurrencyRate=rate,
            Reference=reference,
            IsReconciled=False,
            Status=table["voided" if is_voided(row) else "posted"],
            PaymentType=codes.payments().xero_payment_type.get(f"{entity}:{target}"),
            UpdatedDateUTC=updated(row),
            HasAccount=account is not None,
            HasValidationErrors=False,
        ))
    return out


def payment_to_qbo(element: dict[str, Any], t: Tx, *, document: dict[str, Any], document_entity: str,
                   account: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A Xero Payment element as a QBO Payment or BillPayment create body.

    Args:
        document: the paid Invoice/Bill as QBO holds it.
        document_entity: ``Invoice`` or ``Bill``.
        account: the paying/receiving account (QBO Account).

    Returns:
        ``(entity, body)``.

    Raises:
        ValidationException: no positive amount, a bill paid from an account that is neither Bank nor Credit Card.
    """
    amount = xero_number(element, "Amount")
    if amount is None or amount <= 0:
        raise ValidationException.single("Payment amount must be greater than zero", element)
    when = xero_date(element, "Date")
    line = {"Amount": amount, "LinkedTxn": [{"TxnId": str(document["Id"]), "TxnType": document_entity}]}
    common = {"TotalAmt": amount, "TxnDate": when.isoformat() if when else None, "Line": [line]}
    rate = xero_number(element, "CurrencyRate")
    if ref_id(document.get("CurrencyRef")) and ref_id(document.get("CurrencyRef")) != t.refs.company.home_currency:
        common["CurrencyRef"] = document["CurrencyRef"]
        common["ExchangeRate"] = rate
    if document_entity == "Invoice":
        return "Payment", compact({"CustomerRef": ref(ref_id(document.get("CustomerRef"))),
                                   "DepositToAccountRef": ref(account["Id"]),
                                   "PaymentRefNum": text(element.get("Reference")), **common})
    pay_type = codes.payments().bill_payment_type.get(str(account.get("AccountType")))
    if pay_type is None:
        raise ValidationException.single(
            f"Account '{account.get('AcctNum') or account.get('Name')}' cannot pay a bill: QuickBooks Online pays "
            "bills from a bank or credit card account", element)
    detail = {"CheckPayment": {"BankAccountRef": ref(account["Id"])}} if pay_type == "Check" else {
        "CreditCardPayment": {"CCAccountRef": ref(account["Id"])}}
    return "BillPayment", compact({"VendorRef": ref(ref_id(document.get("VendorRef"))), "PayType": pay_type,
                                   "PrivateNote": text(element.get("Reference")), **detail, **common})


#: What the Payment translation above makes of every Xero Payment field (docs/fields-1004.md).
PAYMENT_FIELDS = fields.FieldMap(
    "Payments", Payment,
    fields.computed("PaymentID", "uuid5 of realmId/Payment|BillPayment/Id/{TxnType}:{TxnId} (one per linked line)"),
    fields.populated("Invoice", "Line.LinkedTxn (Invoice or Bill: its DocNumber, the payment's party and currency)"),
    fields.populated("Account", "Payment.DepositToAccountRef (else Undeposited Funds) / BillPayment "
                                "CheckPayment.BankAccountRef or CreditCardPayment.CCAccountRef: the account's Id, "
                                "AcctNum and Name", condition="when the payment names one or the realm has "
                                                              "Undeposited Funds"),
    fields.populated("Date", "TxnDate"),
    fields.populated("CurrencyRate", "ExchangeRate (1 in the home currency)"),
    fields.populated("Amount", "Line.Amount"),
    fields.populated("BankAmount", "Line.Amount (QBO keeps no separate bank amount)"),
    fields.populated("Reference", "Payment.PaymentRefNum / BillPayment.PrivateNote", condition="when set"),
    fields.computed("IsReconciled", "false: QBO's API does not expose reconciliation"),
    fields.computed("Status", "AUTHORISED, DELETED when voided (TotalAmt 0 with a Voided PrivateNote)"),
    fields.computed("PaymentType", "the entity and linked type (mappings/qbo_payments.toml)"),
    fields.populated("UpdatedDateUTC", "MetaData.LastUpdatedTime"),
    fields.computed("HasAccount", "an account ref is present"),
    fields.lost("BatchPaymentID", reason="BatchPayments are not served on QBO yet"),
    fields.lost("InvoiceNumber", "Code",
                reason="Xero's flat write-side fields; reads carry them in Invoice and Account"),
    fields.lost("CreditNote", "CreditNoteNumber", "Prepayment", "Overpayment",
                reason="QBO lines linking credit memos and unapplied amounts are not served as payments"),
    fields.write_outcome(Payment),
)
