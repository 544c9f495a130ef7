"""Native-ledger operations: Items, TrackingCategories and Options, ContactGroups, Users, BrandingThemes, Currencies
and TaxRates writes, Accounts delete, Organisation actions and CIS settings, and the Journals feed.

A mixin of :class:`adapters.native.adapter.NativeLedgerAdapter`: its methods are Xero operations (snake-cased
``operationId``, signature ``(self, ctx, req) -> Result``) and use the adapter's session helpers
(``self._read``, ``self._write``). The rules of each resource are in its module (:mod:`.items`,
:mod:`.tracking_categories`, :mod:`.contact_groups`, :mod:`.org_users`, :mod:`.branding_themes`,
:mod:`.settings_writes`, :mod:`.journals_feed`).

Default orders (a client's ``order`` sorts first; these break ties): Items by ``Code``; TrackingCategories and
ContactGroups by ``Name``; Users by creation (``UpdatedDateUTC``); Journals by ``JournalNumber``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from gateway.xero import models as xm
from gateway.xero.errors import NotFound, ValidationException, element_with_errors
from gateway.xero.guids import normalise_guid
from gateway.xero.models.catalogue import Item as ItemModel
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import (
    batch,
    branding_themes,
    contact_groups,
    items,
    journals_feed,
    listing,
    messages,
    org_users,
    settings_writes,
    tracking_categories,
    translate,
)
from . import models_catalogue as _tables  # noqa: F401  (registers the catalogue tables before create_all)
from .books import Books
from .validation import ElementInvalid

T = TypeVar("T")

_ORDER_ITEMS = [OrderTerm("Code"), OrderTerm("ItemID")]
_ORDER_TRACKING = [OrderTerm("Name"), OrderTerm("TrackingCategoryID")]
_ORDER_GROUPS = [OrderTerm("Name"), OrderTerm("ContactGroupID")]
_ORDER_USERS = [OrderTerm("UpdatedDateUTC"), OrderTerm("UserID")]


def _single(req: XeroRequest) -> dict[str, Any]:
    """The one element of a single-object body.

    Raises:
        ValidationException: no element, or more than one.
    """
    if len(req.elements) != 1:
        raise ValidationException.single(
            messages.SINGLE_ELEMENT.format(operation=req.operation_id, count=len(req.elements)))
    return req.elements[0]


def _invalid(element: dict[str, Any], exc: ElementInvalid) -> ValidationException:
    return ValidationException([element_with_errors(element, exc.messages)])


async def _all_or_nothing(elements: list[dict[str, Any]], apply: Callable[[Any], Awaitable[T]]) -> list[T]:
    """Apply every element in order inside the caller's transaction (operations without ``summarizeErrors``).

    Raises:
        ValidationException: any element is invalid; every element is echoed, the invalid ones with their
            ``ValidationErrors`` (the caller's transaction rolls back, so nothing is written).
    """
    out: list[T] = []
    failures: list[list[str]] = []
    for element in elements:
        try:
            out.append(await apply(element))
            failures.append([])
        except ElementInvalid as exc:
            failures.append(exc.messages)
    if any(failures):
        raise ValidationException([element_with_errors(el if isinstance(el, dict) else {}, errs)
                                   for el, errs in zip(elements, failures, strict=True)])
    return out


class CatalogueOperations:
    """Operations on Items, TrackingCategories and Options, ContactGroups, Users, BrandingThemes, Currencies and
    TaxRates writes, Accounts delete, Organisation actions and CIS settings, and the Journals feed."""

    # Provided by NativeLedgerAdapter.
    _read: Callable[..., Awaitable[Any]]
    _write: Callable[..., Awaitable[Any]]

    # Items -------------------------------------------------------------------------------------------------

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

        async def work(books: Books) -> Result:
            async def apply(el: Any) -> ItemModel:
                row = await items.write(books, el, mode=mode, path_id=path_id, unitdp=unitdp)
                return items.to_model(books, row, unitdp=unitdp)
            out = await batch.run_batch(req.elements, apply, model=ItemModel,
                                        summarize_errors=req.query.summarize_errors)
            return Result(items=list(out))
        return await self._write(ctx, work)

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
        return await self._write(ctx, work)

    # Tracking categories ---------------------------------------------------------------------------------

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
        element = _single(req)

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: tracking_categories.write_category(books, el))
            return Result(items=[tracking_categories.category_model(row)])
        return await self._write(ctx, work)

    async def update_tracking_category(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /TrackingCategories/{TrackingCategoryID}`` (``Name``, ``Status``). Raises ``NotFound``,
        ``ValidationException``."""
        element = _single(req)
        category_id = req.path_params.get("TrackingCategoryID", "")

        async def work(books: Books) -> Result:
            row = await batch.run_single(
                element, lambda el: tracking_categories.write_category(books, el, category_id=category_id))
            return Result(items=[tracking_categories.category_model(row)])
        return await self._write(ctx, work)

    async def delete_tracking_category(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /TrackingCategories/{TrackingCategoryID}`` (unused categories only). Raises ``NotFound``,
        ``ValidationException``."""
        category_id = req.path_params.get("TrackingCategoryID", "")

        async def work(books: Books) -> Result:
            try:
                answer = await tracking_categories.delete_category(books, category_id)
            except ElementInvalid as exc:
                row = await tracking_categories.get_category(books, category_id)
                raise _invalid(xm.dump(tracking_categories.category_model(row)), exc) from None
            return Result(items=[answer])
        return await self._write(ctx, work)

    async def create_tracking_options(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /TrackingCategories/{TrackingCategoryID}/Options``: one option, or an ``Options`` list. Raises
        ``NotFound``, ``ValidationException``."""
        element = _single(req)
        category_id = req.path_params.get("TrackingCategoryID", "")

        async def work(books: Books) -> Result:
            try:
                rows = await tracking_categories.create_options(books, category_id, element)
            except ElementInvalid as exc:
                raise _invalid(element, exc) from None
            return Result(items=[tracking_categories.option_model(r) for r in rows])
        return await self._write(ctx, work)

    async def update_tracking_options(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /TrackingCategories/{TrackingCategoryID}/Options/{TrackingOptionID}``. Raises ``NotFound``,
        ``ValidationException``."""
        element = _single(req)
        category_id = req.path_params.get("TrackingCategoryID", "")
        option_id = req.path_params.get("TrackingOptionID", "")

        async def work(books: Books) -> Result:
            row = await batch.run_single(
                element, lambda el: tracking_categories.update_option(books, category_id, option_id, el))
            return Result(items=[tracking_categories.option_model(row)])
        return await self._write(ctx, work)

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
                raise _invalid(xm.dump(tracking_categories.option_model(option)), exc) from None
            return Result(items=[answer])
        return await self._write(ctx, work)

    # Contact groups ----------------------------------------------------------------------------------------

    async def get_contact_groups(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ContactGroups``: ACTIVE groups (``Contacts`` empty), ``where`` and ``order``."""
        async def work(books: Books) -> Result:
            models = [contact_groups.group_model(g) for g in await contact_groups.active_groups(books)]
            page = listing.select(models, req.query, default_order=_ORDER_GROUPS)
            return Result(items=list(page.items), pagination=page.pagination)
        return await self._read(ctx, work)

    async def get_contact_group(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ContactGroups/{ContactGroupID}`` with its ``Contacts``. Raises ``NotFound``."""
        group_id = req.path_params.get("ContactGroupID", "")

        async def work(books: Books) -> Result:
            row = await contact_groups.get_group(books, group_id)
            return Result(items=[contact_groups.group_model(
                row, contacts_in=await contact_groups.members(books, row.id))])
        return await self._read(ctx, work)

    async def create_contact_group(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /ContactGroups``: one or more groups, all or nothing. Raises ``ValidationException``."""
        async def work(books: Books) -> Result:
            async def apply(el: Any) -> Any:
                return contact_groups.group_model(await contact_groups.write(books, el))
            return Result(items=list(await _all_or_nothing(req.elements, apply)))
        return await self._write(ctx, work)

    async def update_contact_group(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ContactGroups/{ContactGroupID}`` (``Name``; ``Status`` ``DELETED`` deletes). Raises
        ``NotFound``, ``ValidationException``."""
        element = _single(req)
        group_id = req.path_params.get("ContactGroupID", "")

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: contact_groups.write(books, el, group_id=group_id))
            return Result(items=[contact_groups.group_model(row)])
        return await self._write(ctx, work)

    async def create_contact_group_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /ContactGroups/{ContactGroupID}/Contacts``: add contacts by ``ContactID``. Raises ``NotFound``,
        ``ValidationException``."""
        group_id = req.path_params.get("ContactGroupID", "")

        async def work(books: Books) -> Result:
            try:
                rows = await contact_groups.add_contacts(books, group_id, req.elements)
            except ElementInvalid as exc:
                raise ValidationException([element_with_errors(el, exc.messages) for el in req.elements]
                                          or [element_with_errors({}, exc.messages)]) from None
            return Result(items=[xm.Contact(ContactID=r.id, Name=r.name) for r in rows])
        return await self._write(ctx, work)

    async def delete_contact_group_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /ContactGroups/{ContactGroupID}/Contacts`` → 204. Raises ``NotFound``."""
        group_id = req.path_params.get("ContactGroupID", "")

        async def work(books: Books) -> Result:
            await contact_groups.remove_contacts(books, group_id)
            return Result()
        return await self._write(ctx, work)

    async def delete_contact_group_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /ContactGroups/{ContactGroupID}/Contacts/{ContactID}`` → 204. Raises ``NotFound``,
        ``ValidationException`` (not a member)."""
        group_id = req.path_params.get("ContactGroupID", "")
        contact_id = req.path_params.get("ContactID", "")

        async def work(books: Books) -> Result:
            try:
                await contact_groups.remove_contacts(books, group_id, contact_id)
            except ElementInvalid as exc:
                raise _invalid({"ContactID": contact_id}, exc) from None
            return Result()
        return await self._write(ctx, work)

    # Users and branding themes -----------------------------------------------------------------------------

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

    async def get_branding_theme_payment_services(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /BrandingThemes/{BrandingThemeID}/PaymentServices``: none — the native ledger offers no payment
        services (spec ``PaymentServices``), so every theme answers an empty list. Raises ``NotFound``."""
        theme_id = normalise_guid(req.path_params.get("BrandingThemeID", "")) or ""

        async def work(books: Books) -> Result:
            if branding_themes.find(books.company, theme_id) is None:
                raise NotFound()
            return Result(items=[])
        return await self._read(ctx, work)

    # Settings ----------------------------------------------------------------------------------------------

    async def create_currency(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Currencies`` (one currency). Raises ``ValidationException``."""
        element = _single(req)

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: settings_writes.add_currency(books, el))
            return Result(items=[translate.currency(row)])
        return await self._write(ctx, work)

    async def _write_tax_rates(self, ctx: RequestContext, req: XeroRequest, *, create: bool) -> Result:
        async def work(books: Books) -> Result:
            async def apply(el: Any) -> xm.TaxRate:
                row = await (settings_writes.create_tax_rate(books, el) if create
                             else settings_writes.update_tax_rate(books, el))
                return translate.tax_rate(row)
            return Result(items=list(await _all_or_nothing(req.elements, apply)))
        return await self._write(ctx, work)

    async def create_tax_rates(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /TaxRates``: one or more rates, all or nothing. Raises ``ValidationException``."""
        return await self._write_tax_rates(ctx, req, create=True)

    async def update_tax_rate(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /TaxRates``: update rates named by ``TaxType`` or ``Name``, all or nothing. Raises
        ``ValidationException``."""
        return await self._write_tax_rates(ctx, req, create=False)

    async def delete_account(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /Accounts/{AccountID}``: an account without transactions. Raises ``NotFound``,
        ``ValidationException`` (system account, or in use: archive it instead)."""
        account_id = normalise_guid(req.path_params.get("AccountID", "")) or ""

        async def work(books: Books) -> Result:
            try:
                return Result(items=[await settings_writes.delete_account(books, account_id)])
            except ElementInvalid as exc:
                raise _invalid(xm.dump(translate.account(books.accounts[account_id])), exc) from None
        return await self._write(ctx, work)

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

    # Journals ----------------------------------------------------------------------------------------------

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
        """``GET /Journals/{JournalNumber}``. Raises ``NotFound``."""
        raw = req.path_params.get("JournalNumber", "").strip()

        async def work(books: Books) -> Result:
            row = await journals_feed.by_number(books, int(raw)) if raw.isdigit() else None
            if row is None:
                raise NotFound()
            return Result(items=[journals_feed.journal_model(books, row)])
        return await self._read(ctx, work)
