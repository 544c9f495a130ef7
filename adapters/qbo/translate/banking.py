"""Xero BankTransactions ↔ QBO Purchase, Deposit and SalesReceipt; Xero BankTransfers ↔ QBO Transfer.

BankTransactions (upstream-contracts.md §4 hard case 8):

- SPEND ↔ ``Purchase`` (money out of ``AccountRef``): ``PaymentType`` from the bank account's QBO type
  (``mappings/qbo_payments.toml``: Bank → Check, Credit Card → CreditCard); the contact is ``EntityRef`` (a Vendor or
  a Customer; an Employee has no Xero contact); expense lines. A Purchase with ``Credit: true`` is a credit-card
  refund: money in, read as RECEIVE.
- RECEIVE ↔ ``Deposit`` (``DepositToAccountRef``; ``DepositLineDetail`` lines, the contact from the first line's
  ``Entity``) when no line names an item, ``SalesReceipt`` (``DepositToAccountRef``, ``CustomerRef``, sales lines)
  when one does.
- ``BankTransactionID`` = GUID of the QBO record; ``BankAccount`` = the account (a receipt without one went to
  Undeposited Funds; Xero requires the field, so an empty account object stands in when the realm has no such
  account); ``Reference`` ↔ ``PrivateNote``;
  ``Status`` AUTHORISED, or VOIDED for a voided record; ``IsReconciled`` false (QBO's reconciliation state is not in
  the API); totals and ``LineAmountTypes`` as for invoices.

BankTransfers ↔ ``Transfer`` {FromAccountRef, ToAccountRef, Amount, TxnDate, PrivateNote} (Transfer.json):
``BankTransferID`` = GUID of the Transfer; ``Reference`` ↔ ``PrivateNote``; ``CreatedDateUTC`` ← ``CreateTime``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models import AccountRef, Contact
from gateway.xero.models.documents import BankTransaction, BankTransfer

from .. import codes
from .common import ZERO, Tx, compact, created, money, qbo_date, ref, ref_id, text, updated, xero_date, xero_number
from .documents import is_voided, reference
from .lines import lines_to_qbo, lines_to_xero
from .tax import global_tax_calculation, line_amount_types

BANK_ENTITIES = ("Purchase", "Deposit", "SalesReceipt")
#: QBO account types a bank transaction or transfer may use (Bank, Credit Card; Other Current Asset holds cash).
BANK_ACCOUNT_TYPES = ("Bank", "Credit Card", "Other Current Asset")


def account_ref(t: Tx, value: Any) -> AccountRef | None:
    """A Xero ``AccountRef`` (``AccountID``, ``Code``, ``Name``) for a QBO ``ReferenceType`` or account Id.

    ``Code`` is the account's ``AcctNum`` (absent where the realm does not number accounts); ``Name`` its ``Name``, or
    the reference's ``name`` when the account is not among the realm's accounts read (QBO's ``ReferenceType.name`` is
    the referenced record's display name, Finance.xsd).
    """
    account_id = value if isinstance(value, str) and value else ref_id(value)
    if account_id is None:
        return None
    row = t.refs.accounts.get(account_id) or {}
    named = text(value.get("name")) if isinstance(value, dict) else None
    return AccountRef(AccountID=t.guid("Account", account_id), Code=text(row.get("AcctNum")),
                      Name=text(row.get("Name")) or named)


def undeposited_funds(t: Tx) -> str | None:
    """The realm's Undeposited Funds account: where QBO puts money received without a deposit account
    (AccountSubType ``UndepositedFunds``, Finance.xsd)."""
    row = next((r for r in t.refs.accounts.rows if r.get("AccountSubType") == "UndepositedFunds"), None)
    return str(row["Id"]) if row else None


def _party(t: Tx, value: Any, entity: str | None) -> Contact | None:
    party_id = ref_id(value)
    if party_id is None or entity not in ("Customer", "Vendor"):
        return None
    return Contact(ContactID=t.guid(entity, party_id), Name=text((value or {}).get("name")))


def bank_transaction_to_xero(row: dict[str, Any], entity: str, t: Tx) -> BankTransaction:
    """A Purchase, Deposit or SalesReceipt as a Xero BankTransaction."""
    company = t.refs.company
    amounts = line_amount_types(row, has_global=company.has_global_tax_calculation)
    if entity == "Purchase":
        kind = "RECEIVE" if row.get("Credit") in (True, "true") else "SPEND"
        entity_ref = row.get("EntityRef") or {}
        contact = _party(t, entity_ref, entity_ref.get("type"))
        bank = row.get("AccountRef")
        purchases = True
    elif entity == "Deposit":
        kind = "RECEIVE"
        first = next((line.get("DepositLineDetail") or {} for line in row.get("Line") or []
                      if isinstance(line, dict) and line.get("DepositLineDetail")), {})
        party = first.get("Entity") or {}
        contact = _party(t, party, party.get("type"))
        bank = row.get("DepositToAccountRef")
        purchases = False
    else:
        kind = "RECEIVE"
        contact = _party(t, row.get("CustomerRef"), "Customer")
        bank = row.get("DepositToAccountRef")
        purchases = False
    if ref_id(bank) is None and entity != "Purchase":
        bank = undeposited_funds(t)
    total = money(row.get("TotalAmt")) or ZERO
    tax = money((row.get("TxnTaxDetail") or {}).get("TotalTax")) or ZERO
    currency = ref_id(row.get("CurrencyRef")) or company.home_currency
    rate = money(row.get("ExchangeRate")) or (Decimal(1) if currency == company.home_currency else None)
    return BankTransaction(
        BankTransactionID=t.guid(entity, row["Id"]),
        Type=kind,
        Contact=contact,
        BankAccount=account_ref(t, bank) or AccountRef(),
        LineItems=lines_to_xero(row, entity, t, purchases=purchases, inclusive=amounts == "Inclusive"),
        IsReconciled=False,
        Date=qbo_date(row.get("TxnDate")),
        Reference=reference(row),
        CurrencyCode=currency,
        CurrencyRate=rate,
        Status=codes.statuses().bank["voided" if is_voided(row) else "posted"],
        LineAmountTypes=amounts,
        SubTotal=total - tax,
        TotalTax=tax,
        Total=total,
        UpdatedDateUTC=updated(row),
        HasAttachments=None,  # known on single reads only (adapters/qbo/attachments.py)
    )


def bank_entity_for(element: dict[str, Any]) -> str:
    """The QBO entity a Xero BankTransaction becomes (rules in the module docstring).

    Raises:
        ValidationException: a Type other than SPEND or RECEIVE.
    """
    kind = str(element.get("Type") or "").upper()
    if kind == "SPEND":
        return "Purchase"
    if kind == "RECEIVE":
        lines = [line for line in element.get("LineItems") or [] if isinstance(line, dict)]
        return "SalesReceipt" if any(text(line.get("ItemCode")) for line in lines) else "Deposit"
    raise ValidationException.single(
        f"BankTransaction Type '{element.get('Type')}' is not supported for QuickBooks Online (SPEND or RECEIVE)",
        element)


def check_bank_account(account: dict[str, Any], element: dict[str, Any]) -> None:
    """Raise :class:`ValidationException` unless ``account`` can hold money (Bank, Credit Card, cash)."""
    if account.get("AccountType") not in BANK_ACCOUNT_TYPES:
        raise ValidationException.single(
            f"Account '{account.get('AcctNum') or account.get('Name')}' is not a bank account", element)


def bank_transaction_to_qbo(element: dict[str, Any], entity: str, t: Tx, *, bank: dict[str, Any] | None,
                            party: tuple[str, str] | None, create: bool) -> dict[str, Any]:
    """A Xero BankTransaction element as a Purchase, Deposit or SalesReceipt body.

    Args:
        bank: the bank account (QBO Account; ``None`` keeps the current one on an update).
        party: ``(entity, Id)`` of the contact (Customer or Vendor), if any.
        create: a create rather than a sparse update.

    Raises:
        ValidationException: no bank account on create, a bank account that cannot hold money, bad lines.
    """
    company = t.refs.company
    if create and bank is None:
        raise ValidationException.single("A bank account must be specified", element)
    if bank is not None:
        check_bank_account(bank, element)
    when = xero_date(element, "Date")
    body: dict[str, Any] = {"TxnDate": when.isoformat() if when else None,
                            "PrivateNote": text(element.get("Reference"))}
    amounts = text(element.get("LineAmountTypes"))
    if amounts is not None and company.has_global_tax_calculation:
        body["GlobalTaxCalculation"] = global_tax_calculation(amounts)
    if create or element.get("LineItems") is not None:
        mode = {"Purchase": "expense", "Deposit": "deposit", "SalesReceipt": "sales"}[entity]
        lines, department = lines_to_qbo(element, t, mode=mode)
        if entity == "Deposit" and party is not None:
            for line in lines:
                if "DepositLineDetail" in line:
                    line["DepositLineDetail"]["Entity"] = {"value": party[1], "type": party[0]}
        body["Line"] = lines
        if department is not None:
            body["DepartmentRef"] = ref(department)
    if entity == "Purchase":
        if bank is not None:
            body["AccountRef"] = ref(bank["Id"])
            body["PaymentType"] = codes.payments().purchase_payment_type.get(str(bank.get("AccountType")), "Cash")
        if party is not None:
            body["EntityRef"] = {"value": party[1], "type": party[0]}
    else:
        if bank is not None:
            body["DepositToAccountRef"] = ref(bank["Id"])
        if entity == "SalesReceipt" and party is not None:
            body["CustomerRef"] = ref(party[1])
    return compact(body)


def bank_transfer_to_xero(row: dict[str, Any], t: Tx) -> BankTransfer:
    """A QBO Transfer as a Xero BankTransfer."""
    return BankTransfer(
        BankTransferID=t.guid("Transfer", row["Id"]),
        FromBankAccount=account_ref(t, row.get("FromAccountRef")),
        ToBankAccount=account_ref(t, row.get("ToAccountRef")),
        Amount=money(row.get("Amount")) or ZERO,
        Date=qbo_date(row.get("TxnDate")),
        CurrencyRate=money(row.get("ExchangeRate")) or Decimal(1),
        FromIsReconciled=False,
        ToIsReconciled=False,
        Reference=reference(row),
        HasAttachments=None,  # known on single reads only (adapters/qbo/attachments.py)
        CreatedDateUTC=created(row),
        Status=codes.statuses().bank["posted"],
    )


def bank_transfer_to_qbo(element: dict[str, Any], *, source: dict[str, Any], target: dict[str, Any]
                         ) -> dict[str, Any]:
    """A Xero BankTransfer element as a QBO Transfer create body.

    Raises:
        ValidationException: a non-positive amount, the same account twice, accounts that cannot hold money.
    """
    amount = xero_number(element, "Amount")
    if amount is None or amount <= 0:
        raise ValidationException.single("The amount must be greater than zero", element)
    if str(source["Id"]) == str(target["Id"]):
        raise ValidationException.single("The From and To bank accounts must be different", element)
    check_bank_account(source, element)
    check_bank_account(target, element)
    when = xero_date(element, "Date")
    return compact({"FromAccountRef": ref(source["Id"]), "ToAccountRef": ref(target["Id"]), "Amount": amount,
                    "TxnDate": when.isoformat() if when else None, "PrivateNote": text(element.get("Reference"))})


#: What :func:`bank_transaction_to_xero` makes of every Xero BankTransaction field (docs/fields-1004.md).
BANK_TRANSACTION_FIELDS = fields.FieldMap(
    "BankTransactions", BankTransaction,
    fields.computed("BankTransactionID", "uuid5 of realmId/Purchase|Deposit|SalesReceipt/Id"),
    fields.computed("Type", "Purchase SPEND (RECEIVE when Credit), Deposit and SalesReceipt RECEIVE"),
    fields.populated("Contact", "Purchase.EntityRef / Deposit Line.DepositLineDetail.Entity / "
                                "SalesReceipt.CustomerRef", condition="when a Customer or Vendor is named"),
    fields.populated("LineItems", "Line (adapters/qbo/translate/lines.py)",
                     note="an account line (DepositLineDetail, AccountBasedExpenseLineDetail) keeps its Amount only: "
                          "it reads as Quantity 1, UnitAmount the LineAmount"),
    fields.populated("BankAccount", "Purchase.AccountRef / DepositToAccountRef (else Undeposited Funds)"),
    fields.computed("IsReconciled", "false: QBO's reconciliation state is not in its API"),
    fields.populated("Date", "TxnDate"),
    fields.populated("Reference", "PrivateNote", condition="when set"),
    fields.populated("CurrencyCode", "CurrencyRef (the home currency when absent)"),
    fields.populated("CurrencyRate", "ExchangeRate (1 in the home currency)"),
    fields.computed("Status", "AUTHORISED, VOIDED when TotalAmt 0 with a Voided PrivateNote"),
    fields.populated("LineAmountTypes", "GlobalTaxCalculation"),
    fields.computed("SubTotal", "TotalAmt - TxnTaxDetail.TotalTax"),
    fields.populated("TotalTax", "TxnTaxDetail.TotalTax"),
    fields.populated("Total", "TotalAmt"),
    fields.populated("UpdatedDateUTC", "MetaData.LastUpdatedTime"),
    fields.computed("HasAttachments", "an Attachable linked to the record", condition="single reads of one with files"),
    fields.lost("Url", reason="QBO records have no source URL field"),
    fields.lost("PrepaymentID", "OverpaymentID", reason="QBO has no prepayments or overpayments as records"),
    fields.write_outcome(BankTransaction),
)


#: What :func:`bank_transfer_to_xero` makes of every Xero BankTransfer field (docs/fields-1004.md).
BANK_TRANSFER_FIELDS = fields.FieldMap(
    "BankTransfers", BankTransfer,
    fields.populated("FromBankAccount", "Transfer.FromAccountRef: the Account's Id, AcctNum and Name"),
    fields.populated("ToBankAccount", "Transfer.ToAccountRef: the Account's Id, AcctNum and Name"),
    fields.populated("Amount", "Transfer.Amount"),
    fields.populated("Date", "Transfer.TxnDate"),
    fields.computed("BankTransferID", "uuid5 of realmId/Transfer/Id"),
    fields.populated("CurrencyRate", "Transfer.ExchangeRate (1 in the home currency)"),
    fields.computed("FromIsReconciled", "false: QBO's reconciliation state is not in its API"),
    fields.computed("ToIsReconciled", "false: QBO's reconciliation state is not in its API"),
    fields.populated("Reference", "Transfer.PrivateNote", condition="when set"),
    fields.computed("HasAttachments", "an Attachable linked to the transfer",
                    condition="single reads of one with files"),
    fields.populated("CreatedDateUTC", "Transfer.MetaData.CreateTime"),
    fields.computed("Status", "AUTHORISED: a QBO Transfer is posted when saved"),
    fields.lost("FromBankTransactionID", "ToBankTransactionID",
                reason="a QBO Transfer is one record, with no bank transaction on either side"),
    fields.lost("FromTracking", "ToTracking", reason="a QBO Transfer carries no Class or Department"),
    fields.write_outcome(BankTransfer),
)
