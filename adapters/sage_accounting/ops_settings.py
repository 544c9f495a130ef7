"""Organisation, Accounts, TaxRates, Currencies and Items (reference data, served from the per-business cache).

Lists of these come from the cached reference data (:mod:`adapters.sage_accounting.refdata`), filtered with
``where``, ``If-Modified-Since`` and ordered with ``order`` in the gateway (their Xero operations are not paged).
Operations: ``getOrganisations``, ``getAccounts``, ``getAccount``, ``createAccount``, ``updateAccount``,
``getTaxRates``, ``getTaxRateByTaxType``, ``getCurrencies``, ``getItems``, ``getItem``, ``createItems``,
``updateOrCreateItems``, ``updateItem``, ``deleteItem``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from gateway.xero import query as xq
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.models import Account, Currency, Organisation, TaxRate
from gateway.xero.models.catalogue import Item
from gateway.xero.request import ListQuery, RequestContext, Result, XeroRequest

from . import messages
from .batch import Perform
from .listing import finish
from .ops_base import OpsBase, check_query
from .query import Plan
from .translate import accounts, items, tax
from .translate.common import Tx, ref_id, xero_text
from .translate.organisation import organisation_from_sage
from .unit import SageUnit

ACCOUNT_KINDS = ("ledger_accounts", "bank_accounts", "tax_rates")
ITEM_KINDS = ("products", "services", "ledger_accounts", "tax_rates", "business_settings")


def in_memory(models: list[Any], query: ListQuery, model: type) -> Result:
    """Filter (``where``, ``If-Modified-Since``) and order reference models in the gateway.

    Raises:
        QueryParseException: a ``where``/``order`` naming no field of ``model``, or comparing incompatible types.
    """
    check_query(query, model)
    residual = query.where
    if query.if_modified_since is not None and "UpdatedDateUTC" in model.model_fields:
        since = xq.Compare(">", xq.Path(("UpdatedDateUTC",)), xq.Literal(query.if_modified_since))
        residual = since if residual is None else xq.BoolOp("and", (residual, since))
    listed = finish(models, Plan(streams=[], residual=residual, sort=list(query.order)),
                    ListQuery(page=query.page, page_size=query.page_size))
    return Result(items=listed.items, pagination=listed.pagination)


class SettingsOps(OpsBase):
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    # Organisation ------------------------------------------------------------------------------------------

    async def get_organisations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Organisation`` from ``GET /businesses/{id}`` and ``GET /financial_settings`` (cached)."""
        async with self.unit(ctx, req) as unit:
            tx = await unit.tx("business", "financial_settings")
            org: Organisation = organisation_from_sage(tx.refs.obj("business"), tx.refs.obj("financial_settings"),
                                                       tenant_id=ctx.tenant_id)
            return Result(items=[org])

    # Accounts ----------------------------------------------------------------------------------------------

    async def get_accounts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts`` from the cached ``GET /ledger_accounts`` and ``GET /bank_accounts``."""
        async with self.unit(ctx, req) as unit:
            tx = await unit.tx(*ACCOUNT_KINDS)
            return in_memory(accounts.accounts_from_refs(tx), req.query, Account)

    async def _account_ref(self, unit: SageUnit, guid: str) -> tuple[str, str]:
        """``(resource, id)`` of an AccountID: a ledger account (BANK ones included) or a bank account."""
        ref = await unit.find(guid, ("ledger_accounts", "bank_accounts"))
        if ref is None:
            raise NotFound()
        return ref.resource, ref.sage_id

    async def _account_model(self, unit: SageUnit, resource: str, sage_id: str) -> Account:
        tx = await unit.tx(*ACCOUNT_KINDS)
        if resource == "ledger_accounts":
            row = tx.refs.ledger_account(sage_id)
            if row is None:
                row = await unit.get_one(f"/ledger_accounts/{sage_id}")
            return accounts.account_from_sage(row, tx)
        bank = tx.refs.bank_account(sage_id) or await unit.get_one(f"/bank_accounts/{sage_id}")
        ledger = tx.refs.ledger_account(ref_id(bank.get("ledger_account")))
        return accounts.account_from_sage(ledger, tx) if ledger else accounts.bank_only_account(bank, tx)

    async def get_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts/{AccountID}``: a ledger account or bank account (cache, else ``GET /…/{id}``)."""
        async with self.unit(ctx, req) as unit:
            resource, sage_id = await self._account_ref(unit, req.path_params.get("AccountID", ""))
            return Result(items=[await self._account_model(unit, resource, sage_id)])

    async def create_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Accounts`` → ``POST /ledger_accounts`` (``POST /bank_accounts`` for a BANK account)."""
        async with self.unit(ctx, req) as unit:
            element = req.elements[0] if req.elements else {}
            tx = await unit.tx(*ACCOUNT_KINDS)
            resource, wrapper, body = accounts.create_body(element, tx)
            made = await unit.create(resource, wrapper, body, label="account:0", element=element)
            if resource == "bank_accounts":
                ledger_id = ref_id(made.get("ledger_account"))
                await unit.tx(*ACCOUNT_KINDS)
                if ledger_id:
                    return Result(items=[await self._account_model(unit, "ledger_accounts", ledger_id)])
                return Result(items=[await self._account_model(unit, "bank_accounts", str(made["id"]))])
            tx = await unit.tx(*ACCOUNT_KINDS)
            return Result(items=[accounts.account_from_sage(made, tx)])

    async def update_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Accounts/{AccountID}`` → ``PUT /ledger_accounts/{id}`` or ``PUT /bank_accounts/{id}``."""
        return await self._update_account(ctx, req, req.elements[0] if req.elements else {})

    async def delete_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /Accounts/{AccountID}``: Sage cannot delete a ledger or bank account (the spec has no
        ``DELETE /ledger_accounts``), so the account is archived as :meth:`update_account` archives it (out of the
        chart, ``included_in_chart`` false; a bank account inactive) and answered ``ARCHIVED``, as the QBO adapter
        answers for accounts its source cannot delete."""
        return await self._update_account(ctx, req, {"Status": "ARCHIVED"})

    async def _update_account(self, ctx: RequestContext, req: XeroRequest, element: dict[str, Any]) -> Result:
        async with self.unit(ctx, req) as unit:
            resource, sage_id = await self._account_ref(unit, req.path_params.get("AccountID", ""))
            tx = await unit.tx(*ACCOUNT_KINDS)
            row = tx.refs.ledger_account(sage_id) if resource == "ledger_accounts" else None
            bank = tx.refs.bank_account(sage_id) if resource == "bank_accounts" else \
                tx.refs.bank_account_for_ledger(sage_id)
            if bank is not None and (row is None or ref_id(row.get("ledger_account_type")) == accounts.BANK):
                body = accounts.update_body(element, tx, bank=True)
                if body:
                    await unit.update("bank_accounts", "bank_account", str(bank["id"]), body, element=element)
            else:
                body = accounts.update_body(element, tx, bank=False)
                if body:
                    await unit.update("ledger_accounts", "ledger_account", sage_id, body, element=element)
            return Result(items=[await self._account_model(unit, resource, sage_id)])

    # Tax rates and currencies ------------------------------------------------------------------------------

    async def get_tax_rates(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TaxRates`` from the cached ``GET /tax_rates`` (one Xero rate per direction)."""
        async with self.unit(ctx, req) as unit:
            tx = await unit.tx("tax_rates")
            return in_memory(tax.tax_rates_from_sage(tx.refs.rows("tax_rates")), req.query, TaxRate)

    async def get_tax_rate_by_tax_type(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TaxRates/{TaxType}`` from the cached ``GET /tax_rates``."""
        async with self.unit(ctx, req) as unit:
            tx = await unit.tx("tax_rates")
            wanted = (req.path_params.get("TaxType") or "").upper()
            found = [r for r in tax.tax_rates_from_sage(tx.refs.rows("tax_rates"))
                     if (r.TaxType or "").upper() == wanted]
            if not found:
                raise NotFound()
            return Result(items=found)

    async def get_currencies(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Currencies`` from the cached ``GET /currencies`` and ``GET /financial_settings``."""
        async with self.unit(ctx, req) as unit:
            tx = await unit.tx("currencies", "financial_settings")
            models = items.currencies_from_sage(tx.refs.rows("currencies"), tx.refs.obj("financial_settings"))
            return in_memory(models, req.query, Currency)

    # Items -------------------------------------------------------------------------------------------------

    async def get_items(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Items`` from the cached ``GET /products`` and ``GET /services``."""
        async with self.unit(ctx, req) as unit:
            tx = await unit.tx(*ITEM_KINDS)
            models = [items.item_from_sage(row, resource, tx) for resource in ("products", "services")
                      for row in tx.refs.rows(resource)]
            return in_memory(models, req.query, Item)

    async def get_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Items/{ItemID}`` (an ItemID or a Code) from the cached products and services."""
        async with self.unit(ctx, req) as unit:
            resource, row = await item_ref(unit, req.path_params.get("ItemID", ""))
            return Result(items=[items.item_from_sage(row, resource, await unit.tx(*ITEM_KINDS))])

    async def _write_items(self, ctx: RequestContext, req: XeroRequest, *, upsert: bool,
                           item_key: str | None = None) -> Result:
        return await self.write_batch(ctx, req, _prepare_item, collection="Items", kinds=ITEM_KINDS, upsert=upsert,
                                      item_key=item_key, new_codes=set())

    async def create_items(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Items`` → ``POST /products`` or ``POST /services`` per element."""
        return await self._write_items(ctx, req, upsert=False)

    async def update_or_create_items(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Items``: ``PUT /products/{id}`` (``/services/{id}``) for known items, else ``POST``."""
        return await self._write_items(ctx, req, upsert=True)

    async def update_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Items/{ItemID}`` → ``PUT /products/{id}`` or ``PUT /services/{id}``."""
        return await self._write_items(ctx, req, upsert=True, item_key=req.path_params.get("ItemID"))

    async def delete_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /Items/{ItemID}`` → ``DELETE /products/{id}`` or ``DELETE /services/{id}``."""
        async with self.unit(ctx, req) as unit:
            resource, row = await item_ref(unit, req.path_params.get("ItemID", ""))
            await unit.delete(resource, str(row["id"]))
            return Result(status=204)


async def item_ref(unit: SageUnit, key: str) -> tuple[str, dict[str, Any]]:
    """``(resource, record)`` of an ItemID or an item Code (Xero's ``/Items/{ItemID}`` takes either).

    Raises:
        NotFound: neither a known ItemID nor the code of a product or service.
    """
    tx = await unit.tx(*ITEM_KINDS)
    ref = await unit.find(key, ("products", "services"))
    if ref is not None:
        row = tx.refs.item(ref.resource, ref.sage_id) or await unit.get_one(f"/{ref.resource}/{ref.sage_id}")
        return ref.resource, row
    found = tx.refs.item_by_code(key)
    if found is None:
        raise NotFound()
    return found


# Item writes: prepared for every element first, then performed (adapters.sage_accounting.batch) -------------------

async def _prepare_item(unit: SageUnit, tx: Tx, index: int, element: dict[str, Any], *, upsert: bool,
                        item_key: str | None, new_codes: set[str]) -> Perform:
    """Validate and translate one item (no write yet): a change of a known item (``item_key``, the path id, the
    element's ItemID or, when upserting, its Code), else a create.

    ``new_codes`` gathers the (lower-case) codes of the request's creates: every element is prepared before any is
    written, so a code an earlier element of the same request creates is refused here, as Xero refuses it once made.

    Raises:
        ValidationException: an unknown ItemID, a Code already used by another item, or fields Sage cannot hold.
    """
    key = item_key or xero_text(element, "ItemID")
    existing = None
    if key or upsert:
        try:
            existing = await item_ref(unit, key or xero_text(element, "Code") or "")
        except NotFound:
            if item_key or xero_text(element, "ItemID"):
                raise ValidationException.single(messages.ITEM_CODE_INVALID.format(code=key), element) from None
    elif xero_text(element, "Code"):
        code = str(element["Code"])
        if tx.refs.item_by_code(code) is not None or code.strip().lower() in new_codes:
            raise ValidationException.single(messages.ITEM_CODE_UNIQUE.format(code=code), element)
        new_codes.add(code.strip().lower())
    if existing is not None:
        resource, row = existing
        body = items.item_body(element, resource, tx, creating=False)
        return partial(_update_item, unit, resource, str(row["id"]), body, element)
    resource = items.resource_for_new_item(element)
    body = items.item_body(element, resource, tx, creating=True)
    return partial(_create_item, unit, resource, body, index, element)


async def _update_item(unit: SageUnit, resource: str, sage_id: str, body: dict[str, Any],
                       element: dict[str, Any]) -> Item:
    """``PUT /products/{id}`` or ``PUT /services/{id}``."""
    made = await unit.update(resource, resource[:-1], sage_id, body, element=element)
    return items.item_from_sage(made, resource, await unit.tx(*ITEM_KINDS))


async def _create_item(unit: SageUnit, resource: str, body: dict[str, Any], index: int,
                       element: dict[str, Any]) -> Item:
    """``POST /products`` or ``POST /services`` through the write ledger (label ``item:{index}``)."""
    made = await unit.create(resource, resource[:-1], body, label=f"item:{index}", element=element)
    return items.item_from_sage(made, resource, await unit.tx(*ITEM_KINDS))
