"""Native-ledger operations: the Organisation (and its Actions and CIS settings), TaxRates, Currencies, Accounts,
Items, TrackingCategories and Options, Users, BrandingThemes and the Journals feed.

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`). The rules of each
resource are in its module (:mod:`.resources.accounts`, :mod:`.resources.settings_writes`, :mod:`.resources.items`,
:mod:`.resources.tracking_categories`, :mod:`.resources.org_users`, :mod:`.resources.branding_themes`,
:mod:`.resources.journals_feed`).

Lists of Accounts and TaxRates run their ``where``, ``order`` and ``If-Modified-Since`` in SQL
(:func:`adapters.native.listing.select_sql` with the field maps of :mod:`adapters.native.translate.fieldmaps`),
falling back to memory for what does not translate exactly.

Default orders (stable; a client's ``order`` sorts first and these break ties): Accounts by ``Code`` then id;
TaxRates by ``Name`` then ``TaxType``; Currencies by ``Code``; Items by ``Code``; TrackingCategories by ``Name``;
Users by creation (``UpdatedDateUTC``); Journals by ``JournalNumber``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid
from gateway.xero.models.catalogue import Item as ItemModel
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import batch, listing
from .books import Books
from .ops_base import OperationsBase, all_or_nothing, invalid, page_result, single_element
from .resources import (
    accounts,
    branding_themes,
    items,
    journals_feed,
    org_users,
    settings_writes,
    tracking_categories,
)
from .tables.core import Account, Currency, TaxRate
from .translate import core as translate
from .translate import fieldmaps
from .validation import ElementInvalid

#: The largest number a SQL ``INTEGER`` column holds (SQLite and PostgreSQL ``BIGINT``: signed 64 bits).
SQL_MAX_INTEGER = 2**63 - 1

_ORDER_ACCOUNTS = [OrderTerm("Code"), OrderTerm("AccountID")]
_ORDER_TAX_RATES = [OrderTerm("Name"), OrderTerm("TaxType")]
_ORDER_CURRENCIES = [OrderTerm("Code")]
_ORDER_ITEMS = [OrderTerm("Code"), OrderTerm("ItemID")]
_ORDER_TRACKING = [OrderTerm("Name"), OrderTerm("TrackingCategoryID")]
_ORDER_USERS = [OrderTerm("UpdatedDateUTC"), OrderTerm("UserID")]




class SettingsOperations(OperationsBase):
    """Operations on the Organisation, TaxRates, Currencies, Accounts, Items, TrackingCategories and
    Options, Users, BrandingThemes and the Journals feed."""

    # Organisation -----------------------------------------------------------------------------------------------------

    async def get_organisations(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Organisation``: the tenant's organisation (collection key ``Organisations``)."""
        async def work(books: Books) -> Result:
            return Result(items=[translate.organisation(books.company)])
        return await self._read(ctx, work)

    async def get_organisation_actions(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Organisation/Actions``: each key action ALLOWED when this ledger implements it."""
        async def work(books: Books) -> Result:
            return Result(items=list(settings_writes.actions(lambda op: self.operation(op) is not None)))
        return await self._read(ctx, work)

    async def get_organisation_cis_settings(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Organisation/{OrganisationID}/CISSettings`` (the tenant's own id only). Raises ``NotFound``."""
        org_id = normalise_guid(req.path_params.get("OrganisationID", "")) or ""

        async def work(books: Books) -> Result:
            if org_id != books.company.id:
                raise NotFound()
            return Result(items=[settings_writes.cis_settings()])
        return await self._read(ctx, work)

    # Tax rates and currencies -----------------------------------------------------------------------------------------

    async def get_tax_rates(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TaxRates`` with ``where`` and ``order``."""
        async def work(books: Books) -> Result:
            async def to_models(rows: list[TaxRate]) -> list[xm.TaxRate]:
                return [translate.tax_rate(r) for r in rows]
            statement = select(TaxRate).where(TaxRate.company_id == books.company.id)
            return page_result(await listing.select_sql(
                books.session, statement, req.query, fields=fieldmaps.TAX_RATES, default_order=_ORDER_TAX_RATES,
                to_models=to_models, pushdown=self.sql_pushdown))
        return await self._read(ctx, work)

    async def get_tax_rate_by_tax_type(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TaxRates/{TaxType}``. Raises ``NotFound``."""
        tax_type = req.path_params.get("TaxType", "").upper()

        async def work(books: Books) -> Result:
            row = books.tax_rates.get(tax_type)
            if row is None:
                raise NotFound()
            return Result(items=[translate.tax_rate(row)])
        return await self._read(ctx, work)

    async def _write_tax_rates(self, ctx: RequestContext, req: XeroRequest, *, create: bool) -> Result:
        async def work(books: Books) -> Result:
            async def apply(el: Any) -> xm.TaxRate:
                row = await (settings_writes.create_tax_rate(books, el) if create
                             else settings_writes.update_tax_rate(books, el))
                return translate.tax_rate(row)
            return Result(items=list(await all_or_nothing(req.elements, apply)))
        return await self._write(ctx, req, work)

    async def create_tax_rates(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /TaxRates``: one or more rates, all or nothing. Raises ``ValidationException``."""
        return await self._write_tax_rates(ctx, req, create=True)

    async def update_tax_rate(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /TaxRates``: update rates named by ``TaxType`` or ``Name``, all or nothing. Raises
        ``ValidationException``."""
        return await self._write_tax_rates(ctx, req, create=False)

    async def get_currencies(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Currencies``: the currencies enabled for the organisation."""
        async def work(books: Books) -> Result:
            rows = await books.session.scalars(select(Currency).where(Currency.company_id == books.company.id))
            return page_result(listing.select([translate.currency(r) for r in rows], req.query,
                                        default_order=_ORDER_CURRENCIES))
        return await self._read(ctx, work)

    async def create_currency(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Currencies`` (one currency). Raises ``ValidationException``."""
        element = single_element(req)

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: settings_writes.add_currency(books, el))
            return Result(items=[translate.currency(row)])
        return await self._write(ctx, req, work)

    # Accounts ---------------------------------------------------------------------------------------------------------

    async def get_accounts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts`` (archived accounts included, as Xero does) with ``where``, ``order`` and
        ``If-Modified-Since``."""
        async def work(books: Books) -> Result:
            async def to_models(rows: list[Account]) -> list[xm.Account]:
                return [translate.account(a) for a in rows]
            statement = select(Account).where(Account.company_id == books.company.id)
            return page_result(await listing.select_sql(
                books.session, statement, req.query, fields=fieldmaps.ACCOUNTS, default_order=_ORDER_ACCOUNTS,
                to_models=to_models, pushdown=self.sql_pushdown))
        return await self._read(ctx, work)

    async def get_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Accounts/{AccountID}``. Raises ``NotFound``."""
        account_id = normalise_guid(req.path_params.get("AccountID", "")) or ""

        async def work(books: Books) -> Result:
            row = books.accounts.get(account_id)
            if row is None:
                raise NotFound()
            return Result(items=[translate.account(row)])
        return await self._read(ctx, work)

    async def create_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Accounts`` (one element). Raises ``ValidationException``."""
        element = single_element(req)

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: accounts.write(books, el))
            return Result(items=[translate.account(row)])
        return await self._write(ctx, req, work)

    async def update_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Accounts/{AccountID}`` (one element). Raises ``NotFound``, ``ValidationException``."""
        element = single_element(req)
        account_id = req.path_params.get("AccountID", "")

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: accounts.write(books, el, account_id=account_id))
            return Result(items=[translate.account(row)])
        return await self._write(ctx, req, work)

    async def delete_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /Accounts/{AccountID}``: an account without transactions. Raises ``NotFound``,
        ``ValidationException`` (system account, or in use: archive it instead)."""
        account_id = normalise_guid(req.path_params.get("AccountID", "")) or ""

        async def work(books: Books) -> Result:
            try:
                return Result(items=[await settings_writes.delete_account(books, account_id)])
            except ElementInvalid as exc:
                raise invalid(xm.dump(translate.account(books.accounts[account_id])), exc) from None
        return await self._write(ctx, req, work)

    # Items ------------------------------------------------------------------------------------------------------------

    async def get_items(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Items`` with ``where``, ``order``, ``If-Modified-Since`` and ``unitdp``."""
        async def work(books: Books) -> Result:
            rows = await items.all_items(books)
            models = [items.to_model(books, r, unitdp=req.query.unitdp) for r in rows]
            page = listing.select(models, req.query, default_order=_ORDER_ITEMS)
            return Result(items=list(page.items), pagination=page.pagination)
        return await self._read(ctx, work)

    async def get_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Items/{ItemID}`` (or the item's ``Code``). Raises ``NotFound``."""
        key = req.path_params.get("ItemID", "")

        async def work(books: Books) -> Result:
            row = await items.get_by_id_or_code(books, key)
            if row is None:
                raise NotFound()
            return Result(items=[items.to_model(books, row, unitdp=req.query.unitdp)])
        return await self._read(ctx, work)

    async def _write_items(self, ctx: RequestContext, req: XeroRequest, *, mode: str,
                           path_id: str | None = None) -> Result:
        unitdp = req.query.unitdp

        async def apply(books: Books, el: Any) -> ItemModel:
            row = await items.write(books, el, mode=mode, path_id=path_id, unitdp=unitdp)
            return items.to_model(books, row, unitdp=unitdp)
        return await self._write_batch(ctx, req, apply, model=ItemModel)

    async def create_items(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Items``: create only. Raises ``ValidationException`` (summarizeErrors)."""
        return await self._write_items(ctx, req, mode="create")

    async def update_or_create_items(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Items``: update by ``ItemID`` or ``Code``, else create."""
        return await self._write_items(ctx, req, mode="upsert")

    async def update_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Items/{ItemID}``. Raises ``NotFound``, ``ValidationException``."""
        req.query.summarize_errors = True
        return await self._write_items(ctx, req, mode="update", path_id=req.path_params.get("ItemID", ""))

    async def delete_item(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /Items/{ItemID}`` → 204. Raises ``NotFound``."""
        key = req.path_params.get("ItemID", "")

        async def work(books: Books) -> Result:
            await items.delete(books, key)
            return Result()
        return await self._write(ctx, req, work)

    # Tracking categories ----------------------------------------------------------------------------------------------

    async def get_tracking_categories(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TrackingCategories``: active categories and options; ``includeArchived`` (or a ``where`` on
        ``Status``) adds archived ones. ``where`` and ``order``."""
        q = req.query
        show_archived = q.include_archived or (q.where_text is not None and "status" in q.where_text.lower())

        async def work(books: Books) -> Result:
            rows = await tracking_categories.categories(books)
            models = [tracking_categories.category_model(r, include_archived=show_archived) for r in rows
                      if r.status == "ACTIVE" or (show_archived and r.status == "ARCHIVED")]
            page = listing.select(models, q, default_order=_ORDER_TRACKING)
            return Result(items=list(page.items), pagination=page.pagination)
        return await self._read(ctx, work)

    async def get_tracking_category(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /TrackingCategories/{TrackingCategoryID}`` with every option. Raises ``NotFound``."""
        category_id = req.path_params.get("TrackingCategoryID", "")

        async def work(books: Books) -> Result:
            row = await tracking_categories.get_category(books, category_id)
            return Result(items=[tracking_categories.category_model(row)])
        return await self._read(ctx, work)

    async def create_tracking_category(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /TrackingCategories`` (one category). Raises ``ValidationException``."""
        element = single_element(req)

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: tracking_categories.write_category(books, el))
            return Result(items=[tracking_categories.category_model(row)])
        return await self._write(ctx, req, work)

    async def update_tracking_category(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /TrackingCategories/{TrackingCategoryID}`` (``Name``, ``Status``). Raises ``NotFound``,
        ``ValidationException``."""
        element = single_element(req)
        category_id = req.path_params.get("TrackingCategoryID", "")

        async def work(books: Books) -> Result:
            row = await batch.run_single(
                element, lambda el: tracking_categories.write_category(books, el, category_id=category_id))
            return Result(items=[tracking_categories.category_model(row)])
        return await self._write(ctx, req, work)

    async def delete_tracking_category(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /TrackingCategories/{TrackingCategoryID}`` (unused categories only). Raises ``NotFound``,
        ``ValidationException``."""
        category_id = req.path_params.get("TrackingCategoryID", "")

        async def work(books: Books) -> Result:
            try:
                answer = await tracking_categories.delete_category(books, category_id)
            except ElementInvalid as exc:
                row = await tracking_categories.get_category(books, category_id)
                raise invalid(xm.dump(tracking_categories.category_model(row)), exc) from None
            return Result(items=[answer])
        return await self._write(ctx, req, work)

    async def create_tracking_options(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /TrackingCategories/{TrackingCategoryID}/Options``: one option, or an ``Options`` list. Raises
        ``NotFound``, ``ValidationException``."""
        element = single_element(req)
        category_id = req.path_params.get("TrackingCategoryID", "")

        async def work(books: Books) -> Result:
            try:
                rows = await tracking_categories.create_options(books, category_id, element)
            except ElementInvalid as exc:
                raise invalid(element, exc) from None
            return Result(items=[tracking_categories.option_model(r) for r in rows])
        return await self._write(ctx, req, work)

    async def update_tracking_options(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /TrackingCategories/{TrackingCategoryID}/Options/{TrackingOptionID}``. Raises ``NotFound``,
        ``ValidationException``."""
        element = single_element(req)
        category_id = req.path_params.get("TrackingCategoryID", "")
        option_id = req.path_params.get("TrackingOptionID", "")

        async def work(books: Books) -> Result:
            row = await batch.run_single(
                element, lambda el: tracking_categories.update_option(books, category_id, option_id, el))
            return Result(items=[tracking_categories.option_model(row)])
        return await self._write(ctx, req, work)

    async def delete_tracking_options(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /TrackingCategories/{TrackingCategoryID}/Options/{TrackingOptionID}`` (unused options only).
        Raises ``NotFound``, ``ValidationException``."""
        category_id = req.path_params.get("TrackingCategoryID", "")
        option_id = req.path_params.get("TrackingOptionID", "")

        async def work(books: Books) -> Result:
            try:
                answer = await tracking_categories.delete_option(books, category_id, option_id)
            except ElementInvalid as exc:
                category = await tracking_categories.get_category(books, category_id)
                option = tracking_categories.get_option(category, option_id)
                raise invalid(xm.dump(tracking_categories.option_model(option)), exc) from None
            return Result(items=[answer])
        return await self._write(ctx, req, work)

    # Users and branding themes ----------------------------------------------------------------------------------------

    async def get_users(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Users`` with ``where``, ``order`` and ``If-Modified-Since``."""
        async def work(books: Books) -> Result:
            page = listing.select(await org_users.users(books), req.query, default_order=_ORDER_USERS)
            return Result(items=list(page.items), pagination=page.pagination)
        return await self._read(ctx, work)

    async def get_user(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Users/{UserID}``. Raises ``NotFound``."""
        user_id = normalise_guid(req.path_params.get("UserID", "")) or ""

        async def work(books: Books) -> Result:
            found = [u for u in await org_users.users(books) if u.UserID == user_id]
            if not found:
                raise NotFound()
            return Result(items=found)
        return await self._read(ctx, work)

    async def get_branding_themes(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BrandingThemes``: the organisation's "Standard" theme."""
        async def work(books: Books) -> Result:
            return Result(items=list(branding_themes.themes(books.company)))
        return await self._read(ctx, work)

    async def get_branding_theme(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BrandingThemes/{BrandingThemeID}``. Raises ``NotFound``."""
        theme_id = normalise_guid(req.path_params.get("BrandingThemeID", "")) or ""

        async def work(books: Books) -> Result:
            theme = branding_themes.find(books.company, theme_id)
            if theme is None:
                raise NotFound()
            return Result(items=[theme])
        return await self._read(ctx, work)

    # Journals ---------------------------------------------------------------------------------------------------------

    async def get_journals(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Journals``: ``offset``, ``paymentsOnly``, ``If-Modified-Since`` (on ``CreatedDateUTC``); at
        most 100 per call in ``JournalNumber`` order. Raises ``ValidationException`` (bad ``offset`` or
        ``paymentsOnly``)."""
        offset = req.parameters.integer("offset", low=0) or 0
        payments_only = bool(req.parameters.boolean("paymentsOnly"))

        async def work(books: Books) -> Result:
            return Result(items=list(await journals_feed.feed(
                books, offset=offset, since=req.query.if_modified_since, payments_only=payments_only)))
        return await self._read(ctx, work)

    async def get_journal(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Journals/{JournalID}``. Raises ``NotFound``."""
        journal_id = normalise_guid(req.path_params.get("JournalID", "")) or ""

        async def work(books: Books) -> Result:
            row = await journals_feed.by_id(books, journal_id) if journal_id else None
            if row is None:
                raise NotFound()
            return Result(items=[journals_feed.journal_model(books, row)])
        return await self._read(ctx, work)

    async def get_journal_by_number(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Journals/{JournalNumber}``. Raises ``NotFound`` (also for a number no journal can have)."""
        raw = req.path_params.get("JournalNumber", "").strip()

        async def work(books: Books) -> Result:
            number = int(raw) if raw.isascii() and raw.isdigit() else None  # "²".isdigit() too
            # past SQL's 64-bit INTEGER no journal can have the number (and the driver cannot bind it)
            known = number is not None and number <= SQL_MAX_INTEGER
            row = await journals_feed.by_number(books, number) if known else None
            if row is None:
                raise NotFound()
            return Result(items=[journals_feed.journal_model(books, row)])
        return await self._read(ctx, work)
