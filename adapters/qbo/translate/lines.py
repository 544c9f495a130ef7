"""Document lines: QBO ``Line`` (polymorphic by ``DetailType``) ↔ Xero ``LineItems``.

QBO line kinds (upstream-contracts.md §1 "Entity shapes"; Finance.xsd ``Line``):

- sales documents (Invoice, CreditMemo, SalesReceipt): ``SalesItemLineDetail`` {ItemRef, Qty, UnitPrice,
  TaxCodeRef, ClassRef, ItemAccountRef}, ``GroupLineDetail`` (nested lines, read flattened), ``DiscountLineDetail``
  (read as a line of minus the amount on its discount account), ``DescriptionOnly``, and the computed
  ``SubTotalLineDetail`` (skipped);
- purchase documents (Bill, VendorCredit, Purchase): ``AccountBasedExpenseLineDetail`` {AccountRef, TaxCodeRef,
  ClassRef} and ``ItemBasedExpenseLineDetail`` {ItemRef, Qty, UnitPrice, TaxCodeRef, ClassRef};
- deposits: ``DepositLineDetail`` {AccountRef, ClassRef, Entity}, and lines without DetailType that link a Payment
  (Deposit.json, verbatim Intuit sample).

Xero fields: ``LineItemID`` = GUID of the record and ``Line:{Id}``; ``ItemCode`` = the item's code
(:func:`.items.item_code`); ``AccountCode``/``AccountID`` = the line's account (for item lines the item's income or
expense account, or the line's ``ItemAccountRef``); ``TaxType`` by :mod:`.tax` with the document's direction;
``Tracking`` by :mod:`.tracking` (line Class, document Department); ``LineAmount`` = ``Amount`` (``TaxInclusiveAmt``
on tax-inclusive documents when QBO gives it). QBO keeps tax per document, not per line: ``TaxAmount`` is not
given.

Writes: a line with ``ItemCode`` becomes an item line, a line with only an account becomes an account line on
purchases and deposits; QBO sales lines always name an item, so a sales line given only an account uses an active
Service/NonInventory item whose income account is that account (the adapter creates one, named after the account,
when none exists: :func:`accounts_needing_items`). ``Amount`` = ``Quantity × UnitAmount`` rounded to cents (Xero's
``LineAmount`` when no unit amount is given); line discounts are not mapped and are refused. A ``TaxType`` of the
other direction (INPUT on a sales line, OUTPUT on a purchase line) is refused, as Xero refuses it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gateway.xero.errors import ValidationException
from gateway.xero.models import LineItem

from .. import codes
from .common import Tx, cents, compact, money, ref, ref_id, text, xero_number
from .items import item_code
from .tax import tax_code_id, tax_type
from .tracking import line_tracking, split_tracking

SALES_ITEM = "SalesItemLineDetail"
ACCOUNT_EXPENSE = "AccountBasedExpenseLineDetail"
ITEM_EXPENSE = "ItemBasedExpenseLineDetail"
DEPOSIT = "DepositLineDetail"
ITEM_TYPES_FOR_ACCOUNTS = ("Service", "NonInventory")


# Reads -----------------------------------------------------------------------------------------------------------

def _account_fields(t: Tx, account_id: str | None) -> dict[str, Any]:
    if account_id is None:
        return {}
    row = t.refs.accounts.get(account_id)
    return {"AccountID": t.guid("Account", account_id), "AccountCode": text(row.get("AcctNum")) if row else None}


def _line_id(t: Tx, entity: str, record: dict[str, Any], line: dict[str, Any], position: str) -> str:
    return t.guid(entity, record["Id"], f"Line:{line['Id']}" if line.get("Id") else f"Line:#{position}")


def lines_to_xero(record: dict[str, Any], entity: str, t: Tx, *, purchases: bool, inclusive: bool
                  ) -> list[LineItem]:
    """The Xero LineItems of a QBO document's ``Line`` (rules in the module docstring)."""
    department = record.get("DepartmentRef")
    out: list[LineItem] = []

    def walk(lines: list[Any], prefix: str) -> None:
        for index, line in enumerate(lines or [], start=1):
            if not isinstance(line, dict):
                continue
            kind = line.get("DetailType")
            detail = line.get(kind) if isinstance(kind, str) else None
            detail = detail if isinstance(detail, dict) else {}
            if kind == "SubTotalLineDetail":
                continue
            if kind == "GroupLineDetail":
                walk(detail.get("Line") or [], f"{prefix}{index}.")
                continue
            amount = money(line.get("Amount"))
            fields: dict[str, Any] = {
                "LineItemID": _line_id(t, entity, record, line, f"{prefix}{index}"),
                "Description": text(line.get("Description"))}
            if kind in (SALES_ITEM, ITEM_EXPENSE):
                item = t.refs.items.get(ref_id(detail.get("ItemRef")))
                account = ref_id(detail.get("ItemAccountRef"))
                if account is None and item is not None:
                    keys = ("ExpenseAccountRef", "COGSAccountRef") if kind == ITEM_EXPENSE else ("IncomeAccountRef",)
                    account = next((ref_id(item.get(k)) for k in keys if ref_id(item.get(k))), None)
                qty = money(detail.get("Qty"))
                unit = money(detail.get("UnitPrice"))
                gross = money(detail.get("TaxInclusiveAmt")) if inclusive else None
                fields.update(ItemCode=item_code(item) if item else None, Quantity=qty if qty is not None else
                              Decimal(1), UnitAmount=unit if unit is not None else amount,
                              LineAmount=gross if gross is not None else amount, **_account_fields(t, account))
            elif kind in (ACCOUNT_EXPENSE, DEPOSIT):
                fields.update(Quantity=Decimal(1), UnitAmount=amount, LineAmount=amount,
                              **_account_fields(t, ref_id(detail.get("AccountRef"))))
            elif kind == "DiscountLineDetail":
                negative = -amount if amount is not None else None
                fields.update(Quantity=Decimal(1), UnitAmount=negative, LineAmount=negative,
                              **_account_fields(t, ref_id(detail.get("DiscountAccountRef"))))
            elif kind is None and line.get("LinkedTxn"):  # a deposited payment (Deposit.json)
                linked = (line.get("LinkedTxn") or [{}])[0]
                fields.update(Description=fields["Description"] or
                              f"{linked.get('TxnType', 'Payment')} {linked.get('TxnId', '')}".strip(),
                              Quantity=Decimal(1), UnitAmount=amount, LineAmount=amount)
            elif kind not in ("DescriptionOnly", "DescriptionLineDetail"):
                fields.update(LineAmount=amount)
            fields["TaxType"] = tax_type(ref_id(detail.get("TaxCodeRef")), purchases=purchases)
            fields["Tracking"] = line_tracking(t, class_ref=detail.get("ClassRef"), department_ref=department)
            out.append(LineItem(**fields))

    walk(record.get("Line") or [], "")
    return out


# Writes ----------------------------------------------------------------------------------------------------------

def _guid_map(t: Tx, entity: str, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {t.forward(entity, str(r["Id"]), ""): r for r in rows}


def resolve_account(t: Tx, line: dict[str, Any], element: dict[str, Any]) -> dict[str, Any] | None:
    """The QBO account a Xero line names (``AccountCode`` or ``AccountID``), or ``None`` when it names none.

    Raises:
        ValidationException: the code or id is not one of the realm's accounts.
    """
    code = text(line.get("AccountCode"))
    if code is not None:
        row = t.refs.accounts.coded(code)
        if row is None:
            raise ValidationException.single(f"Account code '{code}' is not a valid code for this document.",
                                             element)
        return row
    account_id = text(line.get("AccountID"))
    if account_id is not None:
        row = _guid_map(t, "Account", t.refs.accounts.rows).get(account_id.lower())
        if row is None:
            raise ValidationException.single(f"Account '{account_id}' does not exist.", element)
        return row
    return None


def resolve_item(t: Tx, line: dict[str, Any], element: dict[str, Any]) -> dict[str, Any] | None:
    """The QBO item a Xero line names by ``ItemCode``, or ``None``.

    Raises:
        ValidationException: an unknown item code.
    """
    code = text(line.get("ItemCode"))
    if code is None:
        return None
    row = t.refs.items.coded(code)
    if row is None:
        raise ValidationException.single(f"Item code '{code}' is not valid", element)
    return row


def item_for_account(t: Tx, account_id: str) -> dict[str, Any] | None:
    """The item the gateway uses for a sales line given only ``account_id``: the active Service/NonInventory item
    with that income account and the lowest Id, or ``None``."""
    candidates = [r for r in t.refs.items.rows
                  if r.get("Active", True) is not False and r.get("Type") in ITEM_TYPES_FOR_ACCOUNTS
                  and ref_id(r.get("IncomeAccountRef")) == account_id]
    candidates.sort(key=lambda r: (len(str(r["Id"])), str(r["Id"])))
    return candidates[0] if candidates else None


def accounts_needing_items(element: dict[str, Any], t: Tx) -> list[dict[str, Any]]:
    """Accounts of a sales document's lines that name an account but no item and have no usable item yet.

    Raises:
        ValidationException: an unknown account or item code.
    """
    out: dict[str, dict[str, Any]] = {}
    for line in element.get("LineItems") or []:
        if not isinstance(line, dict) or resolve_item(t, line, element) is not None:
            continue
        account = resolve_account(t, line, element)
        if account is not None and item_for_account(t, str(account["Id"])) is None:
            out[str(account["Id"])] = account
    return list(out.values())


def generated_item_name(account: dict[str, Any]) -> str:
    """The name of the item the gateway creates for a sales account (QBO item names are unique)."""
    code = text(account.get("AcctNum")) or str(account["Id"])
    return f"{account.get('Name')} (account {code})"


def _amounts(line: dict[str, Any], element: dict[str, Any]) -> tuple[Decimal | None, Decimal | None, Decimal]:
    """(Qty, UnitPrice, Amount) of a Xero line."""
    if xero_number(line, "DiscountRate") or xero_number(line, "DiscountAmount"):
        raise ValidationException.single("Line discounts (DiscountRate, DiscountAmount) are not supported by "
                                         "QuickBooks Online through the gateway", element)
    qty = xero_number(line, "Quantity")
    unit = xero_number(line, "UnitAmount")
    given = xero_number(line, "LineAmount")
    if unit is None and given is not None:
        qty = qty if qty not in (None, Decimal(0)) else Decimal(1)
        return qty, cents(given / qty), cents(given)
    if unit is None:
        return qty, None, Decimal(0)
    qty = qty if qty is not None else Decimal(1)
    return qty, unit, cents(qty * unit)


def _tax_ref(t: Tx, line: dict[str, Any], element: dict[str, Any], *,
             purchases: bool | None) -> dict[str, str] | None:
    """The QBO ``TaxCodeRef`` of a line's Xero TaxType. A US pseudo code serves one Xero type per direction
    (``TAX`` is OUTPUT on sales, INPUT on purchases: hard case 3), so on a document of known direction (``purchases``
    not ``None``) the other direction's type is refused, as Xero refuses input tax on a sales line."""
    xero = text(line.get("TaxType"))
    if xero is None:
        return None
    code_id = tax_code_id(xero)
    known = t.refs.tax.codes
    pseudo = codes.tax().pseudo.get(code_id or "")
    wrong_side = pseudo is not None and purchases is not None and xero != (
        pseudo.purchases if purchases else pseudo.sales)
    if code_id is None or (known.rows and known.get(code_id) is None) or wrong_side:
        raise ValidationException.single(f"The TaxType code '{xero}' does not exist or cannot be used for this "
                                         "type of transaction.", element)
    return ref(code_id)


def lines_to_qbo(element: dict[str, Any], t: Tx, *, mode: str) -> tuple[list[dict[str, Any]], str | None]:
    """A Xero element's ``LineItems`` (``JournalLines`` excluded) as QBO lines, and the document's Department.

    Args:
        mode: ``"sales"`` (item lines), ``"expense"`` (account or item expense lines) or ``"deposit"`` (deposit
            lines).

    Returns:
        ``(lines, department_id)``.

    Raises:
        ValidationException: no lines, a line without account or item, unknown codes, tracking QBO cannot hold.
    """
    raw = [line for line in element.get("LineItems") or [] if isinstance(line, dict)]
    if not raw:
        raise ValidationException.single("At least one line item is required", element)
    classes, department = split_tracking(t, raw, element)
    out = []
    for line, class_id in zip(raw, classes, strict=True):
        qty, unit, amount = _amounts(line, element)
        item = resolve_item(t, line, element)
        account = resolve_account(t, line, element)
        description = text(line.get("Description"))
        tax = _tax_ref(t, line, element, purchases={"sales": False, "expense": True}.get(mode))
        class_ref = ref(class_id) if class_id else None
        if item is None and account is None:
            if unit is None and not xero_number(line, "LineAmount"):
                out.append(compact({"DetailType": "DescriptionOnly", "Description": description,
                                    "DescriptionLineDetail": {}}))
                continue
            raise ValidationException.single("Each line item must have an AccountCode or an ItemCode", element)
        if mode == "sales":
            if item is None:
                item = item_for_account(t, str(account["Id"]))
                if item is None:  # the adapter creates these first (accounts_needing_items)
                    raise ValidationException.single(
                        f"No item uses account '{account.get('AcctNum') or account['Id']}'", element)
            detail = compact({"ItemRef": ref(item["Id"]), "Qty": qty, "UnitPrice": unit, "TaxCodeRef": tax,
                              "ClassRef": class_ref})
            if account is not None and ref_id(item.get("IncomeAccountRef")) != str(account["Id"]):
                detail["ItemAccountRef"] = ref(account["Id"])
            out.append(compact({"DetailType": SALES_ITEM, "Amount": amount, "Description": description,
                                SALES_ITEM: detail}))
        elif mode == "expense" and item is not None:
            out.append(compact({"DetailType": ITEM_EXPENSE, "Amount": amount, "Description": description,
                                ITEM_EXPENSE: compact({"ItemRef": ref(item["Id"]), "Qty": qty, "UnitPrice": unit,
                                                       "TaxCodeRef": tax, "ClassRef": class_ref})}))
        else:
            if account is None:
                raise ValidationException.single("Each line item must have an AccountCode", element)
            kind = ACCOUNT_EXPENSE if mode == "expense" else DEPOSIT
            out.append(compact({"DetailType": kind, "Amount": amount, "Description": description,
                                kind: compact({"AccountRef": ref(account["Id"]), "TaxCodeRef": tax,
                                               "ClassRef": class_ref})}))
    return out, department


def lines_total(lines: list[dict[str, Any]]) -> Decimal:
    """The sum of QBO line amounts (description-only lines carry none)."""
    return sum((money(line.get("Amount")) or Decimal(0) for line in lines), Decimal(0))

