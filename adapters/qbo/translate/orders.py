"""Xero Quotes ↔ QBO Estimate and Xero PurchaseOrders ↔ QBO PurchaseOrder (pure translation).

Quote fields: ``QuoteNumber`` ↔ ``DocNumber``; ``Date`` ↔ ``TxnDate``; ``ExpiryDate`` ↔ ``ExpirationDate``; ``Title``
↔ ``CustomerMemo`` (the text the customer reads on the estimate); ``Reference`` ↔ ``PrivateNote``; ``Contact`` ↔
``CustomerRef``; status by ``mappings/qbo_statuses.toml`` ``[quote]`` (``TxnStatus``, ``EmailStatus`` EmailSent for
SENT). An estimate has no place for Xero's ``Summary`` or ``Terms``: they are not kept (Xero's ``Quote`` carries no
``Warnings`` to say so; :func:`unkept_warning` names them where the model has).

Purchase order fields: ``PurchaseOrderNumber`` ↔ ``DocNumber``; ``Date`` ↔ ``TxnDate``; ``DeliveryDate`` ↔
``DueDate``; ``ExpectedArrivalDate`` ↔ ``ExpectedDate``; ``DeliveryInstructions`` ↔ ``Memo`` (the message to the
vendor); ``Reference`` ↔ ``PrivateNote``; ``DeliveryAddress`` ↔ ``ShipAddr`` (one address line per text line, at
most five); ``SentToContact`` ← ``EmailStatus`` EmailSent; ``Contact`` ↔ ``VendorRef``; status by ``[purchase_order]``
(``POStatus``). ``AttentionTo`` and ``Telephone`` have no place on a QBO purchase order (warned about).

Both: ``CurrencyCode``/``CurrencyRate`` ↔ ``CurrencyRef``/``ExchangeRate``; ``LineAmountTypes`` ↔
``GlobalTaxCalculation`` (:mod:`.tax`); ``Total`` ← ``TotalAmt``, ``TotalTax`` ← ``TxnTaxDetail.TotalTax``,
``SubTotal`` = Total − TotalTax; ``UpdatedDateUTC`` ← ``MetaData.LastUpdatedTime``; lines by :mod:`.lines` (sales
item lines for estimates, expense lines for purchase orders).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from adapters.common import fields
from gateway.xero.models.workflow import PurchaseOrder, Quote

from .. import codes
from .common import ZERO, Tx, compact, money, qbo_date, ref, ref_id, text, updated, xero_date, xero_number
from .documents import DocKind, contact_of
from .lines import lines_to_qbo, lines_to_xero
from .tax import line_amount_types

ESTIMATE = DocKind("Estimate", "QUOTE", True, "Customer", "CustomerRef", False)
PURCHASE_ORDER = DocKind("PurchaseOrder", "PURCHASEORDER", False, "Vendor", "VendorRef", False)
EMAIL_SENT = "EmailSent"
#: Xero fields each record has no place for at QBO.
UNKEPT = {"Estimate": ("Summary", "Terms"), "PurchaseOrder": ("AttentionTo", "Telephone")}
MAX_ADDRESS_LINES = 5


def _money_fields(row: dict[str, Any], kind: DocKind, t: Tx) -> dict[str, Any]:
    company = t.refs.company
    amounts = line_amount_types(row, has_global=company.has_global_tax_calculation)
    total = money(row.get("TotalAmt")) or ZERO
    tax = money((row.get("TxnTaxDetail") or {}).get("TotalTax")) or ZERO
    currency = ref_id(row.get("CurrencyRef")) or company.home_currency
    rate = money(row.get("ExchangeRate")) or (Decimal(1) if currency == company.home_currency else None)
    return {"Contact": contact_of(row, kind, t), "Date": qbo_date(row.get("TxnDate")), "LineAmountTypes": amounts,
            "LineItems": lines_to_xero(row, kind.entity, t, purchases=not kind.sales,
                                       inclusive=amounts == "Inclusive"),
            "SubTotal": total - tax, "TotalTax": tax, "Total": total, "CurrencyCode": currency,
            "CurrencyRate": rate, "Reference": text(row.get("PrivateNote")), "UpdatedDateUTC": updated(row)}


def quote_status(row: dict[str, Any]) -> str:
    """The Xero status of an Estimate (``[quote]``)."""
    table = codes.statuses().quote
    found = table.read.get(str(row.get("TxnStatus") or "Pending"), table.read["Pending"])
    if found == table.read["Pending"] and row.get("EmailStatus") == EMAIL_SENT:
        return table.sent
    return found


def quote_to_xero(row: dict[str, Any], t: Tx) -> Quote:
    """An Estimate as a Xero Quote."""
    memo = row.get("CustomerMemo")
    fields = _money_fields(row, ESTIMATE, t)
    # Xero's quotes spell LineAmountTypes in capitals (spec QuoteLineAmountTypes: EXCLUSIVE, INCLUSIVE, NOTAX).
    fields["LineAmountTypes"] = fields["LineAmountTypes"].upper() if fields["LineAmountTypes"] else None
    return Quote(QuoteID=t.guid("Estimate", row["Id"]), QuoteNumber=text(row.get("DocNumber")),
                 ExpiryDate=qbo_date(row.get("ExpirationDate")), Status=quote_status(row),
                 Title=text(memo.get("value")) if isinstance(memo, dict) else text(memo), **fields)


def purchase_order_to_xero(row: dict[str, Any], t: Tx) -> PurchaseOrder:
    """A QBO PurchaseOrder as a Xero PurchaseOrder."""
    table = codes.statuses().purchase_order
    ship = row.get("ShipAddr") if isinstance(row.get("ShipAddr"), dict) else {}
    address = "\n".join(str(ship[f"Line{i}"]) for i in range(1, MAX_ADDRESS_LINES + 1) if ship.get(f"Line{i}"))
    return PurchaseOrder(PurchaseOrderID=t.guid("PurchaseOrder", row["Id"]),
                         PurchaseOrderNumber=text(row.get("DocNumber")), DeliveryDate=qbo_date(row.get("DueDate")),
                         ExpectedArrivalDate=qbo_date(row.get("ExpectedDate")),
                         DeliveryInstructions=text(row.get("Memo")), DeliveryAddress=address or None,
                         Status=table.get(str(row.get("POStatus") or "Open"), table["Open"]),
                         SentToContact=row.get("EmailStatus") == EMAIL_SENT,
                         **_money_fields(row, PURCHASE_ORDER, t))


def _shared_to_qbo(element: dict[str, Any], kind: DocKind, t: Tx, *, party_id: str | None, number_field: str,
                   create: bool) -> dict[str, Any]:
    company = t.refs.company
    body: dict[str, Any] = {
        kind.party_ref: ref(party_id) if party_id else None,
        "TxnDate": _iso(xero_date(element, "Date")),
        "DocNumber": text(element.get(number_field)),
        "PrivateNote": text(element.get("Reference")),
    }
    currency = text(element.get("CurrencyCode"))
    if currency is not None and currency.upper() != company.home_currency:
        body["CurrencyRef"] = ref(currency.upper())
        body["ExchangeRate"] = xero_number(element, "CurrencyRate")
    if create or element.get("LineItems") is not None:
        lines, department = lines_to_qbo(element, t, mode=kind.mode)
        body["Line"] = lines
        if department is not None:
            body["DepartmentRef"] = ref(department)
    return body


def quote_to_qbo(element: dict[str, Any], t: Tx, *, party_id: str | None, tx_status: str | None, sent: bool,
                 create: bool) -> dict[str, Any]:
    """A Xero Quote element as an Estimate body (create, or the fields of a sparse update).

    Args:
        party_id: the Customer ``Id`` (``None`` keeps the current one).
        tx_status: the ``TxnStatus`` the element's status asks for (``None``: unchanged, Pending on create).
        sent: the element asks for SENT (``EmailStatus`` EmailSent).

    Raises:
        ValidationException: no lines on a create, unknown accounts, items, tax types or tracking options.
    """
    body = _shared_to_qbo(element, ESTIMATE, t, party_id=party_id, number_field="QuoteNumber", create=create)
    title = text(element.get("Title"))
    body.update({"ExpirationDate": _iso(xero_date(element, "ExpiryDate")),
                 "CustomerMemo": {"value": title} if title is not None else None,
                 "TxnStatus": tx_status or ("Pending" if create else None),
                 "EmailStatus": EMAIL_SENT if sent else None})
    return compact(body)


def purchase_order_to_qbo(element: dict[str, Any], t: Tx, *, party_id: str | None, po_status: str | None,
                          create: bool) -> dict[str, Any]:
    """A Xero PurchaseOrder element as a QBO PurchaseOrder body (create, or a sparse update's fields).

    Raises:
        ValidationException: no lines on a create, unknown accounts, items, tax types or tracking options.
    """
    body = _shared_to_qbo(element, PURCHASE_ORDER, t, party_id=party_id, number_field="PurchaseOrderNumber",
                          create=create)
    address = text(element.get("DeliveryAddress"))
    lines = [line.strip() for line in (address or "").splitlines() if line.strip()][:MAX_ADDRESS_LINES]
    body.update({"DueDate": _iso(xero_date(element, "DeliveryDate")),
                 "ExpectedDate": _iso(xero_date(element, "ExpectedArrivalDate")),
                 "Memo": text(element.get("DeliveryInstructions")),
                 "ShipAddr": {f"Line{i}": line for i, line in enumerate(lines, 1)} if lines else None,
                 "POStatus": po_status or ("Open" if create else None)})
    return compact(body)


def unkept_warning(element: dict[str, Any], entity: str) -> list[str]:
    """The warning for Xero fields sent that QBO has no place for (:data:`UNKEPT`)."""
    sent = [name for name in UNKEPT.get(entity, ()) if text(element.get(name)) is not None]
    if not sent:
        return []
    return [f"QuickBooks Online keeps no {', '.join(sent)} on a {entity}: not kept"]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


#: What :func:`quote_to_xero` makes of every Xero Quote field (docs/fields-1004.md).
QUOTE_FIELDS = fields.FieldMap(
    "Quotes", Quote,
    fields.computed("QuoteID", "uuid5 of realmId/Estimate/Id"),
    fields.populated("QuoteNumber", "Estimate.DocNumber"),
    fields.populated("Reference", "Estimate.PrivateNote", condition="when set"),
    fields.populated("Contact", "Estimate.CustomerRef"),
    fields.populated("LineItems", "Estimate.Line (adapters/qbo/translate/lines.py)"),
    fields.populated("Date", "Estimate.TxnDate"),
    fields.populated("ExpiryDate", "Estimate.ExpirationDate", condition="when set"),
    fields.populated("Status", "Estimate.TxnStatus, EmailStatus EmailSent (mappings/qbo_statuses.toml [quote])"),
    fields.populated("CurrencyCode", "Estimate.CurrencyRef (the home currency when absent)"),
    fields.populated("CurrencyRate", "Estimate.ExchangeRate (1 in the home currency)"),
    fields.computed("SubTotal", "TotalAmt - TxnTaxDetail.TotalTax"),
    fields.populated("TotalTax", "Estimate.TxnTaxDetail.TotalTax"),
    fields.populated("Total", "Estimate.TotalAmt"),
    fields.populated("Title", "Estimate.CustomerMemo", condition="when set"),
    fields.populated("UpdatedDateUTC", "Estimate.MetaData.LastUpdatedTime"),
    fields.populated("LineAmountTypes", "Estimate.GlobalTaxCalculation, in Xero's quote capitals"),
    fields.lost("Terms", "Summary", reason="an Estimate has no place for them (not kept on writes)"),
    fields.lost("TotalDiscount", reason="QBO's discount line is read as a line item, not a total"),
    fields.lost("BrandingThemeID", reason="QBO custom form styles are not in its API"),
    fields.write_outcome(Quote),
)

#: What :func:`purchase_order_to_xero` makes of every Xero PurchaseOrder field (docs/fields-1004.md).
PURCHASE_ORDER_FIELDS = fields.FieldMap(
    "PurchaseOrders", PurchaseOrder,
    fields.computed("PurchaseOrderID", "uuid5 of realmId/PurchaseOrder/Id"),
    fields.populated("PurchaseOrderNumber", "PurchaseOrder.DocNumber"),
    fields.populated("Contact", "PurchaseOrder.VendorRef"),
    fields.populated("LineItems", "PurchaseOrder.Line (adapters/qbo/translate/lines.py)",
                     note="an account line (AccountBasedExpenseLineDetail) keeps its Amount only: it reads as "
                          "Quantity 1, UnitAmount the LineAmount"),
    fields.populated("Date", "PurchaseOrder.TxnDate"),
    fields.populated("DeliveryDate", "PurchaseOrder.DueDate", condition="when set"),
    fields.populated("LineAmountTypes", "PurchaseOrder.GlobalTaxCalculation"),
    fields.populated("Reference", "PurchaseOrder.PrivateNote", condition="when set"),
    fields.populated("CurrencyCode", "PurchaseOrder.CurrencyRef (the home currency when absent)"),
    fields.populated("Status", "PurchaseOrder.POStatus (mappings/qbo_statuses.toml [purchase_order])"),
    fields.computed("SentToContact", "PurchaseOrder.EmailStatus is EmailSent"),
    fields.populated("DeliveryAddress", "PurchaseOrder.ShipAddr Line1-Line5, one per text line",
                     condition="when set"),
    fields.populated("DeliveryInstructions", "PurchaseOrder.Memo", condition="when set"),
    fields.populated("ExpectedArrivalDate", "PurchaseOrder.ExpectedDate", condition="when set"),
    fields.populated("CurrencyRate", "PurchaseOrder.ExchangeRate (1 in the home currency)"),
    fields.computed("SubTotal", "TotalAmt - TxnTaxDetail.TotalTax"),
    fields.populated("TotalTax", "PurchaseOrder.TxnTaxDetail.TotalTax"),
    fields.populated("Total", "PurchaseOrder.TotalAmt"),
    fields.populated("UpdatedDateUTC", "PurchaseOrder.MetaData.LastUpdatedTime"),
    fields.computed("HasAttachments", "an Attachable linked to the order",
                    condition="single reads of one with files"),
    fields.computed("Attachments", "the Attachables linked to the order (adapters/qbo/attachments.py)",
                    condition="single reads of one with files"),
    fields.lost("AttentionTo", "Telephone", reason="a QBO PurchaseOrder has no place for them (warned on writes)"),
    fields.lost("TotalDiscount", reason="QBO purchase orders have no discount"),
    fields.lost("BrandingThemeID", reason="QBO custom form styles are not in its API"),
    fields.write_outcome(PurchaseOrder),
)
