"""Items (products and services): lookups, the create/update write, delete, and the line defaults.

Rules (https://developer.xero.com/documentation/api/accounting/items; spec ``components.schemas.Item`` and
``Purchase``):

- ``Code`` is required (max 30 characters) and unique within the organisation, compared case-insensitively
  (spec example of ``createItems``: "Price List Item with Code ''abc'' already exists"); ``Name`` max 50,
  ``Description`` and ``PurchaseDescription`` max 4000 (spec ``maxLength``).
- ``IsSold`` and ``IsPurchased`` default to true; setting ``IsSold`` false nulls ``Description`` and
  ``SalesDetails``, setting ``IsPurchased`` false nulls ``PurchaseDescription`` and ``PurchaseDetails`` (spec
  ``Item.IsSold`` / ``Item.IsPurchased``).
- ``SalesDetails`` / ``PurchaseDetails``: ``AccountCode`` an active account that is neither a bank nor a system
  account; ``TaxType`` an active rate that can apply to the account's class; ``UnitPrice`` kept to 2 decimal
  places, or 4 with ``unitdp=4`` (spec ``Purchase.UnitPrice``).
- Tracked inventory (``InventoryAssetAccountCode``, ``COGSAccountCode``) is not kept by this ledger: such an
  element is refused with a validation message rather than silently stored as untracked;
  ``IsTrackedAsInventory`` is always false and ``QuantityOnHand`` / ``TotalCostPool`` are not reported.
- PUT creates only; POST /Items updates by ``ItemID``, else by ``Code``, else creates; ``GET`` and ``POST`` of
  ``/Items/{ItemID}`` also accept the item's ``Code`` in place of the id (Xero's docs: "ItemID or Code").
- An invoice line naming an ``ItemCode`` takes the item's description, unit price, account and tax type where
  the line omits them (sales details on sales documents, purchase details on purchase documents):
  :func:`line_defaults`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import func, select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid
from gateway.xero.models.catalogue import Item as ItemModel
from gateway.xero.models.catalogue import ItemDetails

from . import messages
from .books import Books
from .models import Account
from .models_catalogue import Item
from .taxmath import round_dp
from .validation import ElementInvalid, parse_element, provided, text

MAX_CODE = 30
MAX_NAME = 50
MAX_DESCRIPTION = 4000
Side = Literal["SALES", "PURCHASES"]


async def all_items(books: Books) -> list[Item]:
    """Every item of the company."""
    return list(await books.session.scalars(select(Item).where(Item.company_id == books.company.id)))


async def get_by_code(books: Books, code: str) -> Item | None:
    """An item of the company by ``Code`` (case-insensitive, trimmed), or ``None``."""
    return await books.session.scalar(
        select(Item).where(Item.company_id == books.company.id, func.lower(Item.code) == code.strip().lower()))


async def get_by_id_or_code(books: Books, key: str) -> Item | None:
    """An item by ``ItemID`` (GUID, any case, hyphens optional) or by ``Code``, or ``None``."""
    guid = normalise_guid(key)
    if guid:
        row = await books.session.get(Item, guid)
        if row is not None and row.company_id == books.company.id:
            return row
    return await get_by_code(books, key) if key.strip() else None


def _account(books: Books, code: str | None, errors: list[str]) -> Account | None:
    if not code:
        return None
    account = books.account_by_code(code)
    if account is None or account.status != "ACTIVE" or account.type == "BANK" or account.system_account:
        errors.append(messages.ITEM_ACCOUNT_INVALID.format(code=code))
        return None
    return account


def _tax_type(books: Books, tax_type: str | None, account: Account | None, errors: list[str]) -> None:
    if not tax_type:
        return
    rate = books.tax_rates.get(tax_type)
    if rate is None or rate.status != "ACTIVE":
        errors.append(messages.TAX_TYPE_INVALID.format(tax_type=tax_type))
    elif account is not None and books.account_class(account) not in (rate.applies_to or []):
        errors.append(messages.TAX_TYPE_ACCOUNT.format(tax_type=tax_type, code=account.code))


def _details(books: Books, details: ItemDetails | None, errors: list[str]
             ) -> tuple[Decimal | None, Account | None, str | None]:
    if details is None:
        return None, None, None
    if text(details.COGSAccountCode):
        errors.append(messages.ITEM_TRACKED_INVENTORY)
    account = _account(books, text(details.AccountCode), errors)
    tax_type = text(details.TaxType)
    _tax_type(books, tax_type, account, errors)
    return details.UnitPrice, account, tax_type


async def find_target(books: Books, model: ItemModel, *, mode: str, path_id: str | None) -> Item | None:
    """The existing item a write addresses, or ``None`` to create.

    Args:
        mode: ``"create"`` (PUT /Items), ``"upsert"`` (POST /Items: by ``ItemID``, else ``Code``) or
            ``"update"`` (POST /Items/{ItemID}).

    Raises:
        NotFound: ``update`` of an unknown item.
        ElementInvalid: PUT with the id of an existing item; POST with an unknown ``ItemID``.
    """
    if mode == "update":
        row = await get_by_id_or_code(books, path_id or "")
        if row is None:
            raise NotFound()
        return row
    item_id = text(model.ItemID)
    if item_id:
        guid = normalise_guid(item_id)
        row = await books.session.get(Item, guid) if guid else None
        row = row if row is not None and row.company_id == books.company.id else None
        if mode == "create":
            if row is not None:
                raise ElementInvalid([messages.ITEM_EXISTS.format(id=item_id)])
            return None
        if row is None:
            raise ElementInvalid([messages.ITEM_NOT_FOUND])
        return row
    code = text(model.Code)
    if mode == "upsert" and code:
        return await get_by_code(books, code)
    return None


async def write(books: Books, element: dict[str, Any], *, mode: str, path_id: str | None = None,
                unitdp: int = 2) -> Item:
    """Validate then create or update one item.

    Args:
        element: the request element (Xero field names).
        mode: ``"create"``, ``"upsert"`` or ``"update"`` (see :func:`find_target`).
        path_id: the ``ItemID`` (or ``Code``) of ``POST /Items/{ItemID}``.
        unitdp: decimal places kept on ``UnitPrice`` (2, or 4).

    Returns:
        The written row (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written).
        NotFound: ``update`` of an unknown item.
    """
    model = parse_element(ItemModel, element)
    existing = await find_target(books, model, mode=mode, path_id=path_id)
    errors: list[str] = []
    code = text(model.Code) if provided(model, "Code") else (existing.code if existing else None)
    if code is None:
        errors.append(messages.ITEM_CODE_REQUIRED)
    elif len(code) > MAX_CODE:
        errors.append(messages.ITEM_CODE_TOO_LONG)
    else:
        clash = await get_by_code(books, code)
        if clash is not None and (existing is None or clash.id != existing.id):
            errors.append(messages.ITEM_CODE_UNIQUE.format(code=code))
    if model.Name is not None and len(model.Name.strip()) > MAX_NAME:
        errors.append(messages.ITEM_NAME_TOO_LONG)
    for value in (model.Description, model.PurchaseDescription):
        if value is not None and len(value) > MAX_DESCRIPTION:
            errors.append(messages.ITEM_DESCRIPTION_TOO_LONG)
    if text(model.InventoryAssetAccountCode) or model.IsTrackedAsInventory:
        errors.append(messages.ITEM_TRACKED_INVENTORY)
    sales = _details(books, model.SalesDetails, errors) if provided(model, "SalesDetails") else None
    purchases = _details(books, model.PurchaseDetails, errors) if provided(model, "PurchaseDetails") else None
    if errors:
        raise ElementInvalid(list(dict.fromkeys(errors)))

    if existing is None:
        existing = Item(id=books.new_id("item"), company_id=books.company.id, is_sold=True, is_purchased=True)
        books.session.add(existing)
    existing.code = code or ""
    if provided(model, "Name"):
        existing.name = text(model.Name)
    if provided(model, "Description"):
        existing.description = model.Description
    if provided(model, "PurchaseDescription"):
        existing.purchase_description = model.PurchaseDescription
    places = 4 if unitdp == 4 else 2
    if sales is not None:
        price, account, tax_type = sales
        existing.sales_unit_price = round_dp(price, places) if price is not None else None
        existing.sales_account_id = account.id if account else None
        existing.sales_tax_type = tax_type
    if purchases is not None:
        price, account, tax_type = purchases
        existing.purchase_unit_price = round_dp(price, places) if price is not None else None
        existing.purchase_account_id = account.id if account else None
        existing.purchase_tax_type = tax_type
    if model.IsSold is not None:
        existing.is_sold = model.IsSold
    if model.IsPurchased is not None:
        existing.is_purchased = model.IsPurchased
    if not existing.is_sold:
        existing.description = None
        existing.sales_unit_price = existing.sales_account_id = existing.sales_tax_type = None
    if not existing.is_purchased:
        existing.purchase_description = None
        existing.purchase_unit_price = existing.purchase_account_id = existing.purchase_tax_type = None
    existing.updated_utc = books.now()
    await books.session.flush()
    return existing


async def delete(books: Books, key: str) -> None:
    """Delete an item (untracked items hold no stock, so nothing forbids it; lines keep their ``ItemCode``).

    Raises:
        NotFound: no such item.
    """
    row = await get_by_id_or_code(books, key)
    if row is None:
        raise NotFound()
    await books.session.delete(row)
    await books.session.flush()


def _details_model(books: Books, price: Decimal | None, account_id: str | None, tax_type: str | None,
                   unitdp: int) -> ItemDetails:
    account = books.accounts.get(account_id) if account_id else None
    return ItemDetails(UnitPrice=round_dp(price, 4 if unitdp == 4 else 2) if price is not None else None,
                       AccountCode=account.code if account else None, TaxType=tax_type)


def to_model(books: Books, row: Item, *, unitdp: int = 2) -> ItemModel:
    """``GET /Items`` element (spec ``Item``); empty details render as ``{}`` as in the spec's examples."""
    return ItemModel(
        ItemID=row.id, Code=row.code, Name=row.name, Description=row.description,
        PurchaseDescription=row.purchase_description, IsSold=row.is_sold, IsPurchased=row.is_purchased,
        IsTrackedAsInventory=False, UpdatedDateUTC=row.updated_utc,
        SalesDetails=_details_model(books, row.sales_unit_price, row.sales_account_id, row.sales_tax_type, unitdp),
        PurchaseDetails=_details_model(books, row.purchase_unit_price, row.purchase_account_id,
                                       row.purchase_tax_type, unitdp))


async def line_defaults(books: Books, line: xm.LineItem, *, side: Side, errors: list[str],
                        kept: bool = False) -> xm.LineItem:
    """A document line with its item's defaults filled in where the line leaves them out.

    Args:
        line: the request line; unchanged when it names no ``ItemCode``.
        side: ``"SALES"`` (ACCREC invoices and credit notes, receive-money lines) takes ``Description`` and
            ``SalesDetails``; ``"PURCHASES"`` takes ``PurchaseDescription`` and ``PurchaseDetails``.
        errors: an unknown ``ItemCode`` is reported here.
        kept: the line is a stored line re-sent with the ``ItemCode`` it already carries: an item deleted since
            is then no error (deleting an item leaves the documents that used it alone).

    Returns:
        A copy of the line: ``Description`` when ``None``; ``UnitAmount`` when both it and ``LineAmount`` are
        ``None``; ``AccountCode`` when neither ``AccountCode`` nor ``AccountID`` is given; ``TaxType`` when
        ``None``; ``ItemCode`` as the item spells it.
    """
    code = text(line.ItemCode)
    if code is None:
        return line
    row = await get_by_code(books, code)
    if row is None:
        if not kept:
            errors.append(messages.ITEM_CODE_INVALID.format(code=code))
        return line
    if side == "SALES":
        description, price, account_id, tax_type = (row.description, row.sales_unit_price, row.sales_account_id,
                                                    row.sales_tax_type)
    else:
        description, price, account_id, tax_type = (row.purchase_description, row.purchase_unit_price,
                                                    row.purchase_account_id, row.purchase_tax_type)
    update: dict[str, Any] = {"ItemCode": row.code}
    if line.Description is None and description is not None:
        update["Description"] = description
    if line.UnitAmount is None and line.LineAmount is None and price is not None:
        update["UnitAmount"] = price
    account = books.accounts.get(account_id) if account_id else None
    if not text(line.AccountCode) and not text(line.AccountID) and account is not None:
        update["AccountCode"] = account.code
    if line.TaxType is None and tax_type is not None:
        update["TaxType"] = tax_type
    return line.model_copy(update=update)
