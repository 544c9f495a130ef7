"""Items ↔ Sage ``products`` and ``services`` (two endpoints, upstream-contracts.md §2 "Resources"); Currencies.

Read (swagger ``Product``/``Service``): ``ItemID`` ← GUID of the record (resource ``products`` or ``services``);
``Code`` ← ``item_code``; ``Name`` ← ``description`` (Sage's name of the product, its ``displayed_as``);
``Description`` ← ``notes`` and ``PurchaseDescription`` ← ``purchase_description`` (inferred pairing);
``SalesDetails`` ``{UnitPrice ← the first sales price (products: sales_prices[].price, services:
sales_rates[].rate), AccountCode ← sales_ledger_account, TaxType ← sales_tax_rate (output)}``; ``PurchaseDetails``
``{UnitPrice ← cost_price, AccountCode ← purchase_ledger_account, TaxType ← purchase_tax_rate (input)}``;
``IsSold``/``IsPurchased`` ← a sales / purchase ledger account is set; ``IsTrackedAsInventory`` false (stock items are a
third endpoint, not served); ``UpdatedDateUTC`` ← ``updated_at``.

Write (swagger ``postProducts``/``postServices``): a new item is a **service** when it is not purchased
(``IsPurchased`` false or no ``PurchaseDetails``: services need only a sales ledger account) and a **product**
otherwise (products need both ledger accounts); missing ledger accounts default to the business's defaults for the
resource (``business_settings.default_ledger_accounts``: ``product_sales_ledger_account``…). Prices:
``sales_prices``/``sales_rates`` are not written (their price types are business data: ``product_sales_price_types``,
``service_rate_types``); ``cost_price`` is.

Currencies (swagger ``GET /currencies``, ``FinancialSettings``): the base currency, and every currency Sage lists
when ``multi_currency_enabled``; ``Code`` ← ``id``, ``Description`` ← ``displayed_as``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.common import fields
from gateway.xero.errors import ValidationException
from gateway.xero.models import Currency
from gateway.xero.models.catalogue import Item, ItemDetails

from .. import messages
from ..codes import tables
from .accounts import account_code
from .common import Tx, money, ref_id, sage_datetime, xero_bool, xero_number, xero_text


def _code(ref: Any, tx: Tx) -> str | None:
    ledger = tx.refs.ledger_account(ref_id(ref))
    return account_code(ledger) if ledger else None


def item_from_sage(row: Mapping[str, Any], resource: str, tx: Tx) -> Item:
    """One product or service as a Xero Item."""
    t = tables()
    prices = row.get("sales_prices") if resource == "products" else row.get("sales_rates")
    first = next((p for p in prices or [] if isinstance(p, Mapping)), {})
    unit = money(first.get("price" if resource == "products" else "rate"))
    sales_ledger, purchase_ledger = row.get("sales_ledger_account"), row.get("purchase_ledger_account")
    return Item(
        ItemID=tx.guid(resource, row["id"]), Name=row.get("description") or row.get("displayed_as"),
        **ITEM_FIELDS.read(row),  # Code, Description, PurchaseDescription, UpdatedDateUTC
        SalesDetails=ItemDetails(UnitPrice=unit, AccountCode=_code(sales_ledger, tx),
                                 TaxType=t.xero_tax_type(ref_id(row.get("sales_tax_rate")), "output")),
        PurchaseDetails=ItemDetails(UnitPrice=money(row.get("cost_price")), AccountCode=_code(purchase_ledger, tx),
                                    TaxType=t.xero_tax_type(ref_id(row.get("purchase_tax_rate")), "input")),
        IsSold=ref_id(sales_ledger) is not None, IsPurchased=ref_id(purchase_ledger) is not None,
        IsTrackedAsInventory=False)


def resource_for_new_item(element: Mapping[str, Any]) -> str:
    """``products`` or ``services`` for a new item (module docstring)."""
    purchased = xero_bool(element, "IsPurchased")
    if purchased is False or (purchased is None and not isinstance(element.get("PurchaseDetails"), Mapping)):
        return "services"
    return "products"


def _ledger(details: Any, tx: Tx, element: Mapping[str, Any]) -> str | None:
    code = xero_text(details, "AccountCode") if isinstance(details, Mapping) else None
    if not code:
        return None
    ledger = tx.refs.ledger_account_by_code(code)
    if ledger is None:
        raise ValidationException.single(messages.ACCOUNT_CODE_INVALID.format(code=code), dict(element))
    return str(ledger["id"])


def _tax(details: Any, tx: Tx, element: Mapping[str, Any], direction: str) -> str | None:
    tax_type = xero_text(details, "TaxType") if isinstance(details, Mapping) else None
    if not tax_type:
        return None
    sage_id = tables().sage_tax_rate(tax_type)
    if tx.refs.tax_rate(sage_id) is None:
        raise ValidationException.single(messages.TAX_TYPE_INVALID.format(tax_type=tax_type), dict(element))
    return sage_id


def item_body(element: Mapping[str, Any], resource: str, tx: Tx, *, creating: bool) -> dict[str, Any]:
    """The unwrapped Sage body of a product or service.

    Raises:
        ValidationException: no Code on a create; unknown account codes or tax types.
    """
    code = xero_text(element, "Code")
    if creating and code is None:
        raise ValidationException.single(messages.ITEM_CODE_REQUIRED, dict(element))
    body: dict[str, Any] = {}
    if code is not None:
        body["item_code"] = code
    name = xero_text(element, "Name") or (code if creating else None)
    if name is not None:
        body["description"] = name
    for key, name_ in (("notes", "Description"), ("purchase_description", "PurchaseDescription")):
        value = xero_text(element, name_)
        if value is not None:
            body[key] = value
    sales, purchases = element.get("SalesDetails"), element.get("PurchaseDetails")
    defaults = tx.refs.obj("business_settings").get("default_ledger_accounts") or {}
    prefix = "product" if resource == "products" else "service"
    sales_ledger = _ledger(sales, tx, element)
    if sales_ledger is None and creating:
        sales_ledger = ref_id(defaults.get(f"{prefix}_sales_ledger_account"))
    if sales_ledger:
        body["sales_ledger_account_id"] = sales_ledger
    purchase_ledger = _ledger(purchases, tx, element)
    if purchase_ledger is None and creating and resource == "products":
        purchase_ledger = ref_id(defaults.get(f"{prefix}_purchase_ledger_account"))
    if purchase_ledger:
        body["purchase_ledger_account_id"] = purchase_ledger
    for key, details, direction in (("sales_tax_rate_id", sales, "output"),
                                    ("purchase_tax_rate_id", purchases, "input")):
        found = _tax(details, tx, element, direction)
        if found:
            body[key] = found
    cost = xero_number(purchases, "UnitPrice") if isinstance(purchases, Mapping) else None
    if cost is not None:
        body["cost_price"] = cost
    return body


def currencies_from_sage(rows: list[Mapping[str, Any]], settings: Mapping[str, Any]) -> list[Currency]:
    """The business's currencies (module docstring), base currency first."""
    base = ref_id(settings.get("base_currency"))
    names = {str(r.get("id")): r.get("displayed_as") for r in rows if r.get("id")}
    codes = [base] if base else []
    if settings.get("multi_currency_enabled"):
        codes += sorted(c for c in names if c != base)
    return [Currency(Code=c, Description=names.get(c) or c) for c in codes]


#: What :func:`item_from_sage` makes of every Xero Item field (docs/fields-1009.md).
ITEM_FIELDS = fields.FieldMap(
    "Items", Item,
    fields.computed("ItemID", "uuid5 of business_id/products|services/id"),
    fields.read("Code", "item_code", fields.or_none),
    fields.populated("Name", "description (else displayed_as)"),
    fields.read("Description", "notes", fields.or_none, condition="when set"),
    fields.read("PurchaseDescription", "purchase_description", fields.or_none, condition="when set"),
    fields.computed("IsSold", "a sales_ledger_account is set"),
    fields.computed("IsPurchased", "a purchase_ledger_account is set"),
    fields.computed("IsTrackedAsInventory", "false: stock_items are not served"),
    fields.populated("SalesDetails", "sales_prices[0].price / sales_rates[0].rate, sales_ledger_account, "
                                     "sales_tax_rate",
                     note="writes do not set sales prices (their price types are business data): a written "
                          "UnitPrice does not read back"),
    fields.populated("PurchaseDetails", "cost_price, purchase_ledger_account, purchase_tax_rate"),
    fields.read("UpdatedDateUTC", "updated_at", sage_datetime),
    fields.lost("InventoryAssetAccountCode", "TotalCostPool", "QuantityOnHand",
                reason="stock_items (Sage's tracked stock) are not served"),
    fields.write_outcome(Item),
)


#: What :func:`currencies_from_sage` makes of every Xero Currency field (docs/fields-1009.md).
CURRENCY_FIELDS = fields.FieldMap(
    "Currencies", Currency,
    fields.populated("Code", "financial_settings.base_currency, currencies.id (multi-currency businesses)"),
    fields.populated("Description", "currencies.displayed_as"),
)
