"""Organisation, Accounts, TaxRates, Currencies and Items (reference data, served from the per-business cache).

Lists of these come from the cached reference data (:mod:`adapters.sage_accounting.refdata`), filtered with
``where``, ``If-Modified-Since`` and ordered with ``order`` in the gateway (their Xero operations are not paged).
Operations: ``getOrganisations``, ``getAccounts``, ``getAccount``, ``createAccount``, ``updateAccount``,
``getTaxRates``, ``getTaxRateByTaxType``, ``getCurrencies``, ``getItems``, ``getItem``, ``createItems``,
``updateOrCreateItems``, ``updateItem``, ``deleteItem``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gateway.xero import query as xq
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.models import Account, Currency, Organisation, TaxRate
from gateway.xero.models.catalogue import Item
from gateway.xero.request import ListQuery, RequestContext, Result, XeroRequest

from . import messages
from .batch import run_batch
from .listing import finish
from .query import Plan
from .translate import accounts, items, tax
from .translate.common import ref_id, xero_text
from .translate.organisation import organisation_from_sage

if TYPE_CHECKING:
    from .call import Call

ACCOUNT_KINDS = ("ledger_accounts", "bank_accounts", "tax_rates")
ITEM_KINDS = ("products", "services", "ledger_accounts", "tax_rates", "business_settings")


def in_memory(models: list[Any], query: ListQuery, model: type) -> Result:
    """Filter (``where``, ``If-Modified-Since``) and order reference models in the gateway.

    Raises:
        QueryParseException: a ``where``/``order`` naming no field of ``model``, or comparing incompatible types.
    """
    if query.where is not None:
        xq.check_fields(query.where, model)
    if query.order:
        xq.check_fields(query.order, model)
    residual = query.where
    if query.if_modified_since is not None and "UpdatedDateUTC" in model.model_fields:
        since = xq.Compare(">", xq.Path(("UpdatedDateUTC",)), xq.Literal(query.if_modified_since))
        residual = since if residual is None else xq.BoolOp("and", (residual, since))
    listed = finish(models, Plan(streams=[], residual=residual, sort=list(query.order)),
                    ListQuery(page=query.page, page_size=query.page_size))
    return Result(items=listed.items, pagination=listed.pagination)


class SettingsOps:
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    code: str

    if TYPE_CHECKING:
        def call(self, ctx: RequestContext, req: XeroRequest) -> Any: ...

    # Organisation ------------------------------------------------------------------------------------------

    async def get_organisations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            tx = await call.tx("business", "financial_settings")
            org: Organisation = organisation_from_sage(tx.refs.obj("business"), tx.refs.obj("financial_settings"),
                                                       tenant_id=ctx.tenant_id)
            return Result(items=[org])

    # Accounts ----------------------------------------------------------------------------------------------

    async def get_accounts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            tx = await call.tx(*ACCOUNT_KINDS)
            return in_memory(accounts.accounts_from_refs(tx), req.query, Account)

    async def _account_ref(self, call: Call, guid: str) -> tuple[str, str]:
        """``(resource, id)`` of an AccountID: a ledger account (BANK ones included) or a bank account."""
        ref = await call.find(guid, ("ledger_accounts", "bank_accounts"))
        if ref is None:
            raise NotFound()
        return ref.resource, ref.sage_id

    async def _account_model(self, call: Call, resource: str, sage_id: str) -> Account:
        tx = await call.tx(*ACCOUNT_KINDS)
        if resource == "ledger_accounts":
            row = tx.refs.ledger_account(sage_id)
            if row is None:
                row = await call.get_one(f"/ledger_accounts/{sage_id}")
            return accounts.account_from_sage(row, tx)
        bank = tx.refs.bank_account(sage_id) or await call.get_one(f"/bank_accounts/{sage_id}")
        ledger = tx.refs.ledger_account(ref_id(bank.get("ledger_account")))
        return accounts.account_from_sage(ledger, tx) if ledger else accounts.bank_only_account(bank, tx)

    async def get_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            resource, sage_id = await self._account_ref(call, req.path_params.get("AccountID", ""))
            return Result(items=[await self._account_model(call, resource, sage_id)])

    async def create_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            element = req.elements[0] if req.elements else {}
            tx = await call.tx(*ACCOUNT_KINDS)
            resource, wrapper, body = accounts.create_body(element, tx)
            made = await call.create(resource, wrapper, body, label="account:0", element=element)
            if resource == "bank_accounts":
                ledger_id = ref_id(made.get("ledger_account"))
                await call.tx(*ACCOUNT_KINDS)
                if ledger_id:
                    return Result(items=[await self._account_model(call, "ledger_accounts", ledger_id)])
                return Result(items=[await self._account_model(call, "bank_accounts", str(made["id"]))])
            tx = await call.tx(*ACCOUNT_KINDS)
            return Result(items=[accounts.account_from_sage(made, tx)])

    async def update_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            element = req.elements[0] if req.elements else {}
            resource, sage_id = await self._account_ref(call, req.path_params.get("AccountID", ""))
            tx = await call.tx(*ACCOUNT_KINDS)
            row = tx.refs.ledger_account(sage_id) if resource == "ledger_accounts" else None
            bank = tx.refs.bank_account(sage_id) if resource == "bank_accounts" else \
                tx.refs.bank_account_for_ledger(sage_id)
            if bank is not None and (row is None or ref_id(row.get("ledger_account_type")) == accounts.BANK):
                body = accounts.update_body(element, tx, bank=True)
                if body:
                    await call.update("bank_accounts", "bank_account", str(bank["id"]), body, element=element)
            else:
                body = accounts.update_body(element, tx, bank=False)
                if body:
                    await call.update("ledger_accounts", "ledger_account", sage_id, body, element=element)
            return Result(items=[await self._account_model(call, resource, sage_id)])

    # Tax rates and currencies ------------------------------------------------------------------------------

    async def get_tax_rates(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            tx = await call.tx("tax_rates")
            return in_memory(tax.tax_rates_from_sage(tx.refs.rows("tax_rates")), req.query, TaxRate)

    async def get_tax_rate_by_tax_type(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            tx = await call.tx("tax_rates")
            wanted = (req.path_params.get("TaxType") or "").upper()
            found = [r for r in tax.tax_rates_from_sage(tx.refs.rows("tax_rates"))
                     if (r.TaxType or "").upper() == wanted]
            if not found:
                raise NotFound()
            return Result(items=found)

    async def get_currencies(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            tx = await call.tx("currencies", "financial_settings")
            models = items.currencies_from_sage(tx.refs.rows("currencies"), tx.refs.obj("financial_settings"))
            return in_memory(models, req.query, Currency)

    # Items -------------------------------------------------------------------------------------------------

    async def get_items(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            tx = await call.tx(*ITEM_KINDS)
            models = [items.item_from_sage(row, resource, tx) for resource in ("products", "services")
                      for row in tx.refs.rows(resource)]
            return in_memory(models, req.query, Item)

    async def _item_ref(self, call: Call, key: str) -> tuple[str, dict[str, Any]]:
        """``(resource, record)`` of an ItemID or an item Code (Xero's ``/Items/{ItemID}`` takes either)."""
        tx = await call.tx(*ITEM_KINDS)
        ref = await call.find(key, ("products", "services"))
        if ref is not None:
            row = tx.refs.item(ref.resource, ref.sage_id) or await call.get_one(f"/{ref.resource}/{ref.sage_id}")
            return ref.resource, row
        found = tx.refs.item_by_code(key)
        if found is None:
            raise NotFound()
        return found

    async def get_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            resource, row = await self._item_ref(call, req.path_params.get("ItemID", ""))
            return Result(items=[items.item_from_sage(row, resource, await call.tx(*ITEM_KINDS))])

    async def _write_items(self, ctx: RequestContext, req: XeroRequest, *, upsert: bool,
                           item_key: str | None = None) -> Result:
        async with self.call(ctx, req) as call:
            tx = await call.tx(*ITEM_KINDS)

            async def prepare(index: int, element: dict[str, Any]):
                key = item_key or xero_text(element, "ItemID")
                existing = None
                if key or upsert:
                    try:
                        existing = await self._item_ref(call, key or xero_text(element, "Code") or "")
                    except NotFound:
                        if item_key or xero_text(element, "ItemID"):
                            raise ValidationException.single(messages.ITEM_CODE_INVALID.format(
                                code=key), element) from None
                elif xero_text(element, "Code") and tx.refs.item_by_code(element["Code"]) is not None:
                    raise ValidationException.single(messages.ITEM_CODE_UNIQUE.format(code=element["Code"]), element)
                if existing is not None:
                    resource, row = existing
                    body = items.item_body(element, resource, tx, creating=False)

                    async def perform_update() -> Item:
                        made = await call.update(resource, resource[:-1], str(row["id"]), body, element=element)
                        return items.item_from_sage(made, resource, await call.tx(*ITEM_KINDS))
                    return perform_update
                resource = items.resource_for_new_item(element)
                body = items.item_body(element, resource, tx, creating=True)

                async def perform_create() -> Item:
                    made = await call.create(resource, resource[:-1], body, label=f"item:{index}", element=element)
                    return items.item_from_sage(made, resource, await call.tx(*ITEM_KINDS))
                return perform_create

            out = await run_batch(call, req.elements, prepare, collection="Items",
                                  summarize_errors=req.query.summarize_errors)
            return Result(items=out)

    async def create_items(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_items(ctx, req, upsert=False)

    async def update_or_create_items(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_items(ctx, req, upsert=True)

    async def update_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_items(ctx, req, upsert=True, item_key=req.path_params.get("ItemID"))

    async def delete_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            resource, row = await self._item_ref(call, req.path_params.get("ItemID", ""))
            await call.delete(resource, str(row["id"]))
            return Result(status=204)
