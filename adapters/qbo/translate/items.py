"""Xero Items ↔ QBO Item.

Fields: ``Code`` ↔ ``Sku`` (QBO's Name when the item has no Sku); ``Name`` ↔ ``Name`` (defaults to the Code on
create; QBO requires a unique Name); ``Description`` ↔ ``Description``; ``PurchaseDescription`` ↔ ``PurchaseDesc``;
``SalesDetails`` {UnitPrice ↔ ``UnitPrice``, AccountCode ↔ ``IncomeAccountRef``, TaxType ↔ ``SalesTaxCodeRef``};
``PurchaseDetails`` {UnitPrice ↔ ``PurchaseCost``, AccountCode ↔ ``ExpenseAccountRef``, TaxType ↔
``PurchaseTaxCodeRef``}; ``IsSold``/``IsPurchased`` ← an income/expense account is set; ``IsTrackedAsInventory`` ↔
``Type`` Inventory with ``TrackQtyOnHand``; ``QuantityOnHand`` ← ``QtyOnHand``; ``InventoryAssetAccountCode`` ↔
``AssetAccountRef``. An item created through the gateway is a ``Service`` item, or an ``Inventory`` item when it is
tracked (then QBO also needs ``InvStartDate`` and the asset account). Deleting a Xero item makes it inactive (QBO
cannot delete name-list entities, upstream-contracts.md §1 "CRUD"); inactive items are not listed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models.catalogue import Item, ItemDetails

from .common import Tx, compact, money, ref, ref_id, text, updated, xero_number
from .tax import tax_code_id, tax_type

MAX_CODE = 30  # Xero: "User defined item code (max length = 30)" (spec Item.Code)


def _account_code(t: Tx, account_ref: Any) -> str | None:
    row = t.refs.accounts.get(ref_id(account_ref))
    return text(row.get("AcctNum")) if row else None


def item_code(row: dict[str, Any]) -> str | None:
    """The Xero Code of a QBO item."""
    return text(row.get("Sku")) or text(row.get("Name"))


def item_to_xero(row: dict[str, Any], t: Tx) -> Item:
    """One QBO Item as a Xero Item."""
    inventory = row.get("Type") == "Inventory" and row.get("TrackQtyOnHand") is not False
    sold = ref_id(row.get("IncomeAccountRef")) is not None
    bought = ref_id(row.get("ExpenseAccountRef")) is not None or ref_id(row.get("COGSAccountRef")) is not None
    return Item(
        ItemID=t.guid("Item", row["Id"]),
        Code=item_code(row),
        IsSold=sold,
        IsPurchased=bought,
        IsTrackedAsInventory=inventory,
        InventoryAssetAccountCode=_account_code(t, row.get("AssetAccountRef")) if inventory else None,
        QuantityOnHand=money(row.get("QtyOnHand")) if inventory else None,
        SalesDetails=ItemDetails(UnitPrice=money(row.get("UnitPrice")),
                                 AccountCode=_account_code(t, row.get("IncomeAccountRef")),
                                 TaxType=tax_type(ref_id(row.get("SalesTaxCodeRef")), purchases=False))
        if sold else None,
        PurchaseDetails=ItemDetails(UnitPrice=money(row.get("PurchaseCost")),
                                    AccountCode=_account_code(t, row.get("ExpenseAccountRef")
                                                              or row.get("COGSAccountRef")),
                                    TaxType=tax_type(ref_id(row.get("PurchaseTaxCodeRef")), purchases=True))
        if bought else None,
        UpdatedDateUTC=updated(row),
        **ITEM_FIELDS.read(row),  # Name, Description, PurchaseDescription
    )


def _account_id(t: Tx, code: str | None, element: dict[str, Any]) -> str | None:
    if code is None:
        return None
    row = t.refs.accounts.coded(code)
    if row is None:
        raise ValidationException.single(f"Account code '{code}' is not a valid code", element)
    return str(row["Id"])


def item_to_qbo(element: dict[str, Any], t: Tx, *, current: dict[str, Any] | None, today: date) -> dict[str, Any]:
    """A Xero Item element as a QBO Item body (create, or the fields of a sparse update).

    Raises:
        ValidationException: no Code on create, too long a Code, unknown account codes, a tracked item without an
            inventory asset account.
    """
    code = text(element.get("Code"))
    if current is None and code is None:
        raise ValidationException.single("Item code is required", element)
    if code is not None and len(code) > MAX_CODE:
        raise ValidationException.single(f"Code must be at most {MAX_CODE} characters", element)
    body: dict[str, Any] = {"Sku": code, "Name": text(element.get("Name")) or (code if current is None else None),
                            "Description": text(element.get("Description")),
                            "PurchaseDesc": text(element.get("PurchaseDescription"))}
    sales = element.get("SalesDetails") or {}
    purchase = element.get("PurchaseDetails") or {}
    if isinstance(sales, dict):
        body["UnitPrice"] = xero_number(sales, "UnitPrice")
        income = _account_id(t, text(sales.get("AccountCode")), element)
        body["IncomeAccountRef"] = ref(income) if income else None
        tax = tax_code_id(text(sales.get("TaxType")))
        body["SalesTaxCodeRef"] = ref(tax) if tax and t.refs.company.has_global_tax_calculation else None
    if isinstance(purchase, dict):
        body["PurchaseCost"] = xero_number(purchase, "UnitPrice")
        expense = _account_id(t, text(purchase.get("AccountCode")), element)
        body["ExpenseAccountRef"] = ref(expense) if expense else None
        tax = tax_code_id(text(purchase.get("TaxType")))
        body["PurchaseTaxCodeRef"] = ref(tax) if tax and t.refs.company.has_global_tax_calculation else None
    tracked = element.get("IsTrackedAsInventory")
    if current is None:
        if tracked is True:
            asset = _account_id(t, text(element.get("InventoryAssetAccountCode")), element)
            if asset is None:
                raise ValidationException.single(
                    "InventoryAssetAccountCode is required for an item tracked as inventory", element)
            body.update({"Type": "Inventory", "TrackQtyOnHand": True, "QtyOnHand": 0,
                         "InvStartDate": today.isoformat(), "AssetAccountRef": ref(asset)})
        else:
            body["Type"] = "Service"
    return compact(body)


#: What :func:`item_to_xero` makes of every Xero Item field (docs/fields-1004.md).
ITEM_FIELDS = fields.FieldMap(
    "Items", Item,
    fields.computed("ItemID", "uuid5 of realmId/Item/Id (adapters/qbo/ids.py)"),
    fields.populated("Code", "Item.Sku, else Item.Name"),
    fields.read("Name", "Name", text, record="Item"),
    fields.read("Description", "Description", text, record="Item", condition="when the item has one"),
    fields.read("PurchaseDescription", "PurchaseDesc", text, record="Item", condition="when the item has one"),
    fields.computed("IsSold", "an IncomeAccountRef is set"),
    fields.computed("IsPurchased", "an ExpenseAccountRef or COGSAccountRef is set"),
    fields.computed("IsTrackedAsInventory", "Item.Type Inventory with TrackQtyOnHand"),
    fields.populated("InventoryAssetAccountCode", "Item.AssetAccountRef (its Account.AcctNum)",
                     condition="inventory items only"),
    fields.populated("QuantityOnHand", "Item.QtyOnHand", condition="inventory items only"),
    fields.populated("SalesDetails", "Item.UnitPrice, IncomeAccountRef, SalesTaxCodeRef", condition="sold items",
                     note="TaxType only in realms with GlobalTaxCalculation (a US realm's items carry none)"),
    fields.populated("PurchaseDetails", "Item.PurchaseCost, ExpenseAccountRef or COGSAccountRef, PurchaseTaxCodeRef",
                     condition="purchased items",
                     note="TaxType only in realms with GlobalTaxCalculation (a US realm's items carry none)"),
    fields.populated("UpdatedDateUTC", "MetaData.LastUpdatedTime"),
    fields.lost("TotalCostPool", reason="QBO exposes no inventory cost pool on the Item"),
    fields.write_outcome(Item),
)
