"""Organisation, Accounts, TaxRates, Currencies, TrackingCategories and Items of a QBO realm.

All of these are served from the per-realm reference cache (:mod:`adapters.qbo.refdata`): a warm read costs no
upstream unit. QBO cannot create or rename tax codes through its accounting entities, create tracking categories
(its two lists are fixed: Class and Department) or delete name-list records; those operations are not defined here
(501), except deletes, which deactivate (upstream-contracts.md §1 "CRUD").
"""

from __future__ import annotations

from typing import Any

from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.guids import is_guid
from gateway.xero.models import Account, Currency, TaxRate
from gateway.xero.models.catalogue import Item, TrackingCategory, TrackingOption
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import codes, refdata
from .batch import Journal, write_all
from .ops_base import OperationsBase, check_paths, memory_list, path_param
from .translate.accounts import account_to_qbo, account_to_xero
from .translate.common import Tx, text
from .translate.currencies import currencies_to_xero, currency_to_qbo
from .translate.items import item_to_qbo, item_to_xero
from .translate.organisation import organisation_to_xero
from .translate.tax import tax_rates_to_xero
from .translate.tracking import CLASS, categories, tracking_categories_to_xero

ACCOUNT_KINDS = ("accounts", "companyinfo", "preferences")
ITEM_KINDS = ("items", "accounts", "companyinfo", "preferences", "taxcodes")
TRACKING_KINDS = ("classes", "departments", "companyinfo", "preferences")


class SettingsOperations(OperationsBase):
    """Organisation, Accounts, TaxRates, Currencies, TrackingCategories, Items."""

    # Organisation --------------------------------------------------------------------------------------------

    async def get_organisations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Organisation`` from CompanyInfo + Preferences (:mod:`.translate.organisation`)."""
        async with self.unit(ctx, req) as unit:
            t = await unit.tx("companyinfo", "preferences")
            return Result(items=[organisation_to_xero(t)])

    # Accounts ------------------------------------------------------------------------------------------------

    async def get_accounts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts`` (every account, archived ones included, as Xero lists them)."""
        check_paths(req.query, Account)
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*ACCOUNT_KINDS)
            models = [m for row in t.refs.accounts.rows if (m := account_to_xero(row, t)) is not None]
            return memory_list(models, req.query, default_order=[OrderTerm("Code"), OrderTerm("AccountID")])

    async def get_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts/{AccountID}``. Raises NotFound."""
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*ACCOUNT_KINDS)
            return Result(items=[self._account(t, path_param(req, "AccountID"))[1]])

    def _account(self, t: Tx, account_id: str) -> tuple[dict[str, Any], Account]:
        for row in t.refs.accounts.rows:
            if t.forward("Account", str(row["Id"]), "") == account_id.lower():
                model = account_to_xero(row, t)
                if model is not None:
                    return row, model
        raise NotFound()

    async def create_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Accounts``: one Account (Xero takes one element per request)."""
        async with self.unit(ctx, req) as unit:
            element = req.elements[0] if req.elements else {}
            t = await unit.tx(*ACCOUNT_KINDS)
            row = await unit.create("Account", account_to_qbo(element, t), label="main:0", element=element)
            return Result(items=[account_to_xero(row, t)])

    async def update_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Accounts/{AccountID}``: a sparse update."""
        async with self.unit(ctx, req) as unit:
            element = req.elements[0] if req.elements else {}
            t = await unit.tx(*ACCOUNT_KINDS)
            current, _ = self._account(t, path_param(req, "AccountID"))
            current = await unit.read("Account", str(current["Id"]))
            changes = account_to_qbo(element, t, current=current)
            row = await unit.update("Account", current, changes, label="main:0", element=element) if changes \
                else current
            return Result(items=[account_to_xero(row, t)])

    async def delete_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /Accounts/{AccountID}``: QBO cannot delete accounts; the account is made inactive (ARCHIVED)."""
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*ACCOUNT_KINDS)
            current, _ = self._account(t, path_param(req, "AccountID"))
            current = await unit.read("Account", str(current["Id"]))
            row = await unit.update("Account", current, {"Active": False}, label="main:0")
            return Result(items=[account_to_xero(row, t)])

    # Tax rates -----------------------------------------------------------------------------------------------

    async def get_tax_rates(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TaxRates`` from TaxCode + TaxRate (:mod:`.translate.tax`)."""
        check_paths(req.query, TaxRate)
        async with self.unit(ctx, req) as unit:
            t = await unit.tx("taxcodes", "taxrates")
            return memory_list(tax_rates_to_xero(t), req.query,
                               default_order=[OrderTerm("Name"), OrderTerm("TaxType")])

    async def get_tax_rate_by_tax_type(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TaxRates/{TaxType}``. Raises NotFound."""
        wanted = path_param(req, "TaxType").upper()
        async with self.unit(ctx, req) as unit:
            t = await unit.tx("taxcodes", "taxrates")
            found = [r for r in tax_rates_to_xero(t) if (r.TaxType or "").upper() == wanted]
            if not found:
                raise NotFound()
            return Result(items=found)

    # Currencies ----------------------------------------------------------------------------------------------

    async def get_currencies(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Currencies``: the home currency and, in a multicurrency realm
        (``Preferences.CurrencyPrefs.MultiCurrencyEnabled``), the active CompanyCurrency records (a realm without
        multicurrency is not asked for them)."""
        check_paths(req.query, Currency)
        async with self.unit(ctx, req) as unit:
            t = await unit.tx("companyinfo", "preferences")
            if (t.refs.company.prefs.get("CurrencyPrefs") or {}).get("MultiCurrencyEnabled"):
                t = await unit.tx("currencies")
            else:
                t.refs.values["currencies"] = refdata.build("currencies", [])
            return memory_list(currencies_to_xero(t), req.query, default_order=[])

    async def create_currency(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Currencies``: a CompanyCurrency (QBO refuses it when multicurrency is off)."""
        async with self.unit(ctx, req) as unit:
            element = req.elements[0] if req.elements else {}
            body = currency_to_qbo(element)
            row = await unit.create("CompanyCurrency", body, label="main:0", element=element)
            name = codes.currency_names().get(body["Code"]) or text(row.get("Name")) or body["Code"]
            return Result(items=[Currency(Code=body["Code"], Description=name)])

    # Tracking ------------------------------------------------------------------------------------------------

    async def get_tracking_categories(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TrackingCategories``: Class and Department (:mod:`.translate.tracking`)."""
        check_paths(req.query, TrackingCategory)
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*TRACKING_KINDS)
            models = tracking_categories_to_xero(t, include_archived=req.query.include_archived)
            return memory_list(models, req.query, default_order=[OrderTerm("Name")])

    async def get_tracking_category(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TrackingCategories/{TrackingCategoryID}``. Raises NotFound."""
        wanted = path_param(req, "TrackingCategoryID").lower()
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*TRACKING_KINDS)
            found = [c for c in tracking_categories_to_xero(t, include_archived=True)
                     if c.TrackingCategoryID == wanted]
            if not found:
                raise NotFound()
            return Result(items=found)

    def _category(self, t: Tx, req: XeroRequest) -> str:
        wanted = path_param(req, "TrackingCategoryID").lower()
        for category in categories(t):
            if category.category_id == wanted:
                return category.entity
        raise NotFound()

    def _option_row(self, t: Tx, entity: str, option_id: str) -> dict[str, Any]:
        rows = (t.refs.classes if entity == CLASS else t.refs.departments).rows
        for row in rows:
            if t.forward(entity, str(row["Id"]), "") == option_id.lower():
                return row
        raise NotFound()

    def _option(self, t: Tx, entity: str, row: dict[str, Any]) -> TrackingOption:
        category = next(c for c in categories(t) if c.entity == entity)
        active = row.get("Active", True) is not False
        return TrackingOption(TrackingOptionID=t.guid(entity, row["Id"]),
                              Name=str(row.get("FullyQualifiedName") or row.get("Name")),
                              Status="ACTIVE" if active else "ARCHIVED", TrackingCategoryID=category.category_id)

    async def create_tracking_options(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /TrackingCategories/{id}/Options``: a new Class or Department."""
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*TRACKING_KINDS)
            entity = self._category(t, req)
            element = req.elements[0] if req.elements else {}
            name = text(element.get("Name"))
            if name is None:
                raise ValidationException.single("The tracking option name is required", element)
            row = await unit.create(entity, {"Name": name}, label="main:0", element=element)
            return Result(items=[self._option(t, entity, row)])

    async def update_tracking_options(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /TrackingCategories/{id}/Options/{optionId}``: rename (sparse update of the Class/Department)."""
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*TRACKING_KINDS)
            entity = self._category(t, req)
            current = self._option_row(t, entity, path_param(req, "TrackingOptionID"))
            element = req.elements[0] if req.elements else {}
            changes: dict[str, Any] = {}
            if text(element.get("Name")):
                changes["Name"] = text(element.get("Name"))
            if text(element.get("Status")):
                changes["Active"] = str(element["Status"]).upper() == "ACTIVE"
            current = await unit.read(entity, str(current["Id"]))
            row = await unit.update(entity, current, changes, label="main:0", element=element) if changes \
                else current
            return Result(items=[self._option(t, entity, row)])

    async def delete_tracking_options(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /TrackingCategories/{id}/Options/{optionId}``: the Class/Department is made inactive."""
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*TRACKING_KINDS)
            entity = self._category(t, req)
            current = self._option_row(t, entity, path_param(req, "TrackingOptionID"))
            current = await unit.read(entity, str(current["Id"]))
            row = await unit.update(entity, current, {"Active": False}, label="main:0")
            option = self._option(t, entity, row)
            option.Status = "DELETED"
            return Result(items=[option])

    # Items ---------------------------------------------------------------------------------------------------

    async def get_items(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Items`` (active items; deleted Xero items are inactive QBO items)."""
        check_paths(req.query, Item)
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*ITEM_KINDS)
            models = [item_to_xero(row, t) for row in t.refs.items.rows if row.get("Active", True) is not False
                      and row.get("Type") not in ("Category",)]
            return memory_list(models, req.query, default_order=[OrderTerm("Code"), OrderTerm("ItemID")])

    def _item_row(self, t: Tx, item_id: str) -> dict[str, Any]:
        """The active item behind an ItemID or Code (an inactive one is a deleted Xero item: 404, as get_items
        leaves it out). Raises NotFound."""
        key = item_id.lower()
        for row in t.refs.items.rows:
            if row.get("Active") is False:
                continue
            if (is_guid(item_id) and t.forward("Item", str(row["Id"]), "") == key) or (
                    not is_guid(item_id) and (text(row.get("Sku")) or text(row.get("Name")) or "").lower() == key):
                return row
        raise NotFound()

    async def get_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Items/{ItemID}`` (an ItemID or an item Code). Raises NotFound."""
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*ITEM_KINDS)
            return Result(items=[item_to_xero(self._item_row(t, path_param(req, "ItemID")), t)])

    async def create_items(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Items``: creates only; a Code already in use is refused with the spec example's message
        (createItems: "Price List Item with Code ''abc'' already exists")."""
        return await self._write_items(ctx, req, create_only=True)

    async def update_or_create_items(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Items``: elements with an ItemID (or a known Code) update, others create."""
        return await self._write_items(ctx, req)

    async def update_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Items/{ItemID}``."""
        elements = [{**e, "ItemID": path_param(req, "ItemID")} for e in req.elements] or [
            {"ItemID": path_param(req, "ItemID")}]
        req.elements = elements
        return await self._write_items(ctx, req)

    async def _write_items(self, ctx: RequestContext, req: XeroRequest, *, create_only: bool = False) -> Result:
        async with self.unit(ctx, req) as unit:
            async def one(index: int, element: dict[str, Any], journal: Journal) -> Item:
                t = await unit.tx(*ITEM_KINDS)
                current = None
                key = text(element.get("ItemID")) or None
                if key is not None:
                    current = self._item_row(t, key)
                elif text(element.get("Code")) and t.refs.items.coded(text(element.get("Code"))):
                    if create_only:
                        raise ValidationException.single(
                            f"Price List Item with Code ''{text(element.get('Code'))}'' already exists", element)
                    current = t.refs.items.coded(text(element.get("Code")))
                if current is not None:
                    current = await unit.read("Item", str(current["Id"]))
                    changes = item_to_qbo(element, t, current=current, today=self.today())
                    row = await unit.update("Item", current, changes, label=f"main:{index}", element=element) \
                        if changes else current
                else:
                    body = item_to_qbo(element, t, current=None, today=self.today())
                    row = await unit.create("Item", body, label=f"main:{index}", element=element)
                    journal.add("Item", row)
                return item_to_xero(row, t)

            items = await write_all(unit, req.elements, one, model=Item)
            return Result(items=items)

    async def delete_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /Items/{ItemID}``: the item is made inactive (204)."""
        async with self.unit(ctx, req) as unit:
            t = await unit.tx(*ITEM_KINDS)
            current = await unit.read("Item", str(self._item_row(t, path_param(req, "ItemID"))["Id"]))
            await unit.update("Item", current, {"Active": False}, label="main:0")
            return Result(status=204)

