"""Document lines ↔ Sage ``invoice_lines`` / ``credit_note_lines`` (swagger ``SalesInvoiceLineItem``,
``PurchaseInvoiceLineItem``, ``…CreditNoteLineItem`` and the line objects of their post bodies).

Read: ``LineItemID`` ← GUID of the line (part ``line:{id}`` of the document); ``Description`` ← ``description``;
``Quantity`` ← ``quantity``; ``UnitAmount`` ← ``unit_price``; ``AccountCode``/``AccountID`` ← ``ledger_account``;
``TaxType`` ← ``tax_rate.id`` in the document's direction (``mappings/sage_tax.toml``); ``TaxAmount`` ←
``tax_amount``; ``DiscountAmount`` ← ``discount_amount``; ``ItemCode`` ← the ``product``/``service``'s
``item_code``; ``LineAmount`` ← ``net_amount`` (Exclusive, NoTax) or ``total_amount`` (Inclusive: Xero's line
amount includes tax then).

The document's ``LineAmountTypes`` (Sage has no document-level flag, upstream-contracts.md §4 hard case 4):
``Inclusive`` when every line has ``unit_price_includes_tax``, ``NoTax`` when no line carries tax and none names a
rate other than Xero's ``NONE``, else ``Exclusive``.

Write (:func:`line_body`): ``description`` (Sage requires one: the item's description, else ``"-"``),
``ledger_account_id`` (from ``AccountCode``/``AccountID``, else the item's sales/purchase ledger account),
``quantity`` (default 1), ``unit_price`` (``UnitAmount``, or ``LineAmount ÷ Quantity``), ``unit_price_includes_tax``,
``tax_rate_id``, ``tax_amount``/``net_amount``/``total_amount`` (:func:`.tax.line_amounts`),
``discount_amount`` (``DiscountAmount``) or ``discount_percentage`` (``DiscountRate``), ``product_id``/``service_id``
(``ItemCode``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from gateway.xero.errors import ValidationException
from gateway.xero.models import LineItem

from .. import messages
from ..codes import DocumentKind, tables
from .accounts import account_code
from .common import ZERO, Tx, money, ref_id, xero_number, xero_text
from .tax import line_amounts, rate_of
from .tracking import line_categories, line_tracking

LINE_AMOUNT_TYPES = ("Exclusive", "Inclusive", "NoTax")
NO_TAX = "NONE"
FOUR_DP = Decimal("0.0001")


def line_amount_types(lines: list[Mapping[str, Any]], kind_direction: str) -> str:
    """The Xero ``LineAmountTypes`` of a Sage document's lines (module docstring)."""
    if lines and all(line.get("unit_price_includes_tax") is True for line in lines):
        return "Inclusive"
    t = tables()
    taxed = any((money(line.get("tax_amount")) or ZERO) != 0 for line in lines)
    named = {t.xero_tax_type(ref_id(line.get("tax_rate")), kind_direction) for line in lines} - {None, NO_TAX}
    if lines and not taxed and not named:
        return "NoTax"
    return "Exclusive"


def _item_code(line: Mapping[str, Any], tx: Tx) -> str | None:
    for resource, key in (("products", "product"), ("services", "service")):
        sage_id = ref_id(line.get(key))
        if sage_id is None:
            continue
        item = tx.refs.item(resource, sage_id) or line.get(key)
        code = item.get("item_code") if isinstance(item, Mapping) else None
        if code:
            return str(code)
    return None


def line_from_sage(line: Mapping[str, Any], *, doc_resource: str, doc_id: str, direction: str, inclusive: bool,
                   tx: Tx) -> LineItem:
    """One Sage line as a Xero LineItem."""
    ledger_id = ref_id(line.get("ledger_account"))
    ledger = tx.refs.ledger_account(ledger_id) or line.get("ledger_account")
    amount_key = "total_amount" if inclusive else "net_amount"
    return LineItem(
        LineItemID=tx.guid(doc_resource, doc_id, f"line:{line.get('id')}") if line.get("id") else None,
        Description=line.get("description") or None,
        Quantity=money(line.get("quantity")),
        UnitAmount=money(line.get("unit_price")),
        AccountCode=account_code(ledger) if isinstance(ledger, Mapping) else None,
        AccountID=tx.guid("ledger_accounts", ledger_id) if ledger_id else None,
        TaxType=tables().xero_tax_type(ref_id(line.get("tax_rate")), direction),  # type: ignore[arg-type]
        TaxAmount=money(line.get("tax_amount")),
        LineAmount=money(line.get(amount_key)),
        DiscountAmount=money(line.get("discount_amount")) or None,
        ItemCode=_item_code(line, tx),
        Tracking=line_tracking(line, tx) or None,
    )


# Writes -----------------------------------------------------------------------------------------------------------

def _ledger_for(line: Mapping[str, Any], item: tuple[str, Mapping[str, Any]] | None, kind: DocumentKind,
                tx: Tx, element: Mapping[str, Any], account_ids: Mapping[str, str]) -> str:
    code = xero_text(line, "AccountCode")
    if code:
        ledger = tx.refs.ledger_account_by_code(code)
        if ledger is None:
            raise ValidationException.single(messages.ACCOUNT_CODE_INVALID.format(code=code), dict(element))
        return str(ledger["id"])
    account_id = xero_text(line, "AccountID")
    if account_id:
        ledger_id = account_ids.get(account_id.lower())
        if ledger_id is None or tx.refs.ledger_account(ledger_id) is None:
            raise ValidationException.single(messages.ACCOUNT_CODE_INVALID.format(code=account_id), dict(element))
        return ledger_id
    if item is not None:
        key = "sales_ledger_account" if kind.is_sales else "purchase_ledger_account"
        ledger_id = ref_id(item[1].get(key))
        if ledger_id:
            return ledger_id
    raise ValidationException.single(messages.LINE_ACCOUNT_REQUIRED, dict(element))


def _tax_rate_for(line: Mapping[str, Any], item: tuple[str, Mapping[str, Any]] | None, ledger_id: str,
                  kind: DocumentKind, tx: Tx, element: Mapping[str, Any], no_tax: bool) -> str | None:
    t = tables()
    tax_type = xero_text(line, "TaxType")
    if tax_type is None and no_tax:
        tax_type = NO_TAX
    if tax_type:
        sage_id = t.sage_tax_rate(tax_type)
        shown = t.xero_tax_type(sage_id, kind.direction) or ""
        if tx.refs.tax_rate(sage_id) is None or shown.upper() != tax_type.upper():
            raise ValidationException.single(messages.TAX_TYPE_INVALID.format(tax_type=tax_type), dict(element))
        return sage_id
    if item is not None:
        found = ref_id(item[1].get("sales_tax_rate" if kind.is_sales else "purchase_tax_rate"))
        if found:
            return found
    ledger = tx.refs.ledger_account(ledger_id)
    return ref_id(ledger.get("tax_rate")) if ledger else None


def line_body(line: Mapping[str, Any], *, kind: DocumentKind, amount_types: str, tx: Tx,
              element: Mapping[str, Any], account_ids: Mapping[str, str]) -> dict[str, Any]:
    """The Sage line of a Xero LineItem.

    Args:
        line: the Xero line (a dict with Xero's names).
        kind: the document kind (direction, sales or purchases).
        amount_types: the document's ``LineAmountTypes``.
        element: the whole Xero element (echoed in errors).
        account_ids: lower-case Xero AccountID GUIDs the call resolved → Sage ledger account ids.

    Raises:
        ValidationException: unknown AccountCode, TaxType or ItemCode; no account; a non-numeric amount.
    """
    item = None
    code = xero_text(line, "ItemCode")
    if code:
        item = tx.refs.item_by_code(code)
        if item is None:
            raise ValidationException.single(messages.ITEM_CODE_INVALID.format(code=code), dict(element))
    ledger_id = _ledger_for(line, item, kind, tx, element, account_ids)
    no_tax = amount_types == "NoTax"
    tax_rate_id = _tax_rate_for(line, item, ledger_id, kind, tx, element, no_tax)
    quantity = xero_number(line, "Quantity")
    unit = xero_number(line, "UnitAmount")
    line_amount = xero_number(line, "LineAmount")
    if quantity is None:
        quantity = Decimal("1")
    if unit is None:
        unit = (line_amount / quantity).quantize(FOUR_DP, rounding=ROUND_HALF_UP) if line_amount is not None and \
            quantity != 0 else ZERO
    discount_amount = xero_number(line, "DiscountAmount")
    discount_rate = xero_number(line, "DiscountRate")
    gross = quantity * unit
    if discount_amount is not None:
        gross -= discount_amount
    elif discount_rate is not None:
        gross -= (gross * discount_rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    amounts = line_amounts(gross, rate_of(tx.refs.tax_rate(tax_rate_id)), inclusive=amount_types == "Inclusive",
                           no_tax=no_tax, tax_amount=xero_number(line, "TaxAmount"))
    description = xero_text(line, "Description")
    if description is None and item is not None:
        description = str(item[1].get("description") or "") or None
    body: dict[str, Any] = {
        "description": description or "-",
        "ledger_account_id": ledger_id,
        "quantity": quantity,
        "unit_price": unit,
        "unit_price_includes_tax": amount_types == "Inclusive",
        "net_amount": amounts.net,
        "tax_amount": amounts.tax,
        "total_amount": amounts.total,
    }
    if tax_rate_id:
        body["tax_rate_id"] = tax_rate_id
    if discount_amount is not None:
        body["discount_amount"] = discount_amount
    elif discount_rate is not None:
        body["discount_percentage"] = discount_rate
    if item is not None:
        body["product_id" if item[0] == "products" else "service_id"] = item[1]["id"]
    categories = line_categories(line, tx, element)
    if categories is not None:
        body["analysis_type_categories"] = categories
    return body
