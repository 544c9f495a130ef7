"""Organisation (and its key actions), Accounts, TaxRates, Currencies, TrackingCategories and Items on Sage 50
(reads).

Sources and field rules: :mod:`adapters.sage50.translate.settings`.
"""

from __future__ import annotations

from gateway.xero.models.catalogue import Action
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest
from mappings import load

from . import listing
from .codes import codes
from .ops_base import OpsBase
from .translate import settings as tr


class SettingsOps(OpsBase):
    async def get_organisations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Organisation`` ← ``COMPANY``."""
        books, headers = await self._books(ctx)
        return Result(items=[tr.organisation(books)], headers=headers)

    async def get_organisation_actions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Organisation/Actions``: each key action (``mappings/xero_organisation_actions.toml``) ALLOWED when
        this adapter serves every operation it needs and Sage 50 can do it (``mappings/sage50.toml [actions]``),
        else NOT-ALLOWED (spec ``Action.Status``)."""
        _, headers = await self._books(ctx)
        refused = codes().actions_not_allowed
        served = self.operation
        items = [Action(Name=name, Status="ALLOWED" if name not in refused and all(served(op) for op in ops)
                        else "NOT-ALLOWED")
                 for name, ops in load("xero_organisation_actions")["action"].items()]
        return Result(items=items, headers=headers)

    async def get_accounts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts`` ← ``NOMINAL_LEDGER`` + ``BANK``: ``where``, ``order``, ``If-Modified-Since``."""
        books, headers = await self._books(ctx)
        page = listing.select(tr.accounts(books), req.query, default_order=[OrderTerm("Code")])
        return Result(items=page.items, headers=headers)

    async def get_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts/{AccountID}``. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        wanted = req.path_params.get("AccountID", "").lower()
        return self._one([a for a in tr.accounts(books) if a.AccountID == wanted], headers)

    async def get_tax_rates(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TaxRates`` ← ``TAX_CODE`` (one rate per Xero tax type), ``where``/``order``, ``TaxType``."""
        books, headers = await self._books(ctx)
        tax_type = req.parameters.text("TaxType")
        page = listing.select(tr.tax_rates(books), req.query, default_order=[OrderTerm("Name")],
                              keep=lambda r: tax_type is None or r.TaxType == tax_type)
        return Result(items=page.items, headers=headers)

    async def get_tax_rate_by_tax_type(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TaxRates/{TaxType}``. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        wanted = req.path_params.get("TaxType", "")
        return self._one([r for r in tr.tax_rates(books) if r.TaxType == wanted], headers)

    async def get_currencies(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Currencies`` ← ``CURRENCY``."""
        books, headers = await self._books(ctx)
        page = listing.select(tr.currencies(books), req.query, default_order=[OrderTerm("Code")])
        return Result(items=page.items, headers=headers)

    async def get_tracking_categories(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TrackingCategories`` ← ``DEPARTMENT`` (one category, "Departments")."""
        books, headers = await self._books(ctx)
        page = listing.select(tr.tracking_categories(books), req.query, default_order=[OrderTerm("Name")])
        return Result(items=page.items, headers=headers)

    async def get_tracking_category(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TrackingCategories/{TrackingCategoryID}``. Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        wanted = req.path_params.get("TrackingCategoryID", "").lower()
        return self._one([c for c in tr.tracking_categories(books) if c.TrackingCategoryID == wanted], headers)

    async def get_items(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Items`` ← ``STOCK``: ``where``, ``order``, ``If-Modified-Since``."""
        books, headers = await self._books(ctx)
        page = listing.select(tr.items(books), req.query, default_order=[OrderTerm("Code")])
        return Result(items=page.items, headers=headers)

    async def get_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Items/{ItemID}`` (by id or code). Raises ``NotFound``."""
        books, headers = await self._books(ctx)
        wanted = req.path_params.get("ItemID", "")
        return self._one([i for i in tr.items(books) if wanted.lower() == i.ItemID or wanted == i.Code], headers)
