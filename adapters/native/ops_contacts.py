"""Native-ledger operations: Contacts and ContactGroups.

Mixed into :class:`adapters.native.adapter.NativeLedgerAdapter` (:mod:`adapters.native.ops_base`); the rules are in
:mod:`adapters.native.resources.contacts` and :mod:`adapters.native.resources.contact_groups`. Lists of Contacts run
their ``where``, ``order``, paging and ``If-Modified-Since`` in SQL (:func:`adapters.native.listing.select_sql`),
falling back to memory for what does not translate exactly.

Default orders (a client's ``order`` sorts first; these break ties): Contacts by ``Name`` then id; ContactGroups by
``Name``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound, ValidationException, element_with_errors
from gateway.xero.guids import normalise_guid
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from . import batch, listing
from .books import Books
from .ops_base import OperationsBase, all_or_nothing, invalid, page_result, single_element
from .resources import (
    contact_groups,
    contacts,
)
from .tables.core import Contact
from .translate import core as translate
from .translate import fieldmaps
from .validation import ElementInvalid

_ORDER_CONTACTS = [OrderTerm("Name"), OrderTerm("ContactID")]
_ORDER_GROUPS = [OrderTerm("Name"), OrderTerm("ContactGroupID")]


class ContactOperations(OperationsBase):
    """Operations on Contacts and ContactGroups."""

    # Contacts ---------------------------------------------------------------------------------------------------------

    async def _contact_models(self, books: Books, rows: list[Contact], *, summary: bool,
                              with_balances: bool) -> list[xm.Contact]:
        facts = await contacts.contact_facts(books, contact_ids=[r.id for r in rows])
        empty = contacts.ContactFacts()
        out = []
        for row in rows:
            f = facts.get(row.id, empty)
            out.append(translate.contact(row, is_customer=f.is_customer, is_supplier=f.is_supplier,
                                         balances=f.balances() if with_balances else None, summary=summary))
        return out

    async def get_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts``: ``IDs``, ``includeArchived`` (archived contacts are hidden unless asked for, or
        unless ``where`` mentions ``ContactStatus``), ``searchTerm`` (Name, FirstName, LastName, ContactNumber,
        EmailAddress, CompanyNumber; case-insensitive contains), ``summaryOnly``,
        ``where``, ``order``, paging, ``If-Modified-Since``
        (:func:`adapters.native.translate.fieldmaps.contact_filters`).
        ``Balances`` are included on paged lists only (as Xero does)."""
        q = req.query

        async def work(books: Books) -> Result:
            async def to_models(rows: list[Contact]) -> list[xm.Contact]:
                return await self._contact_models(books, rows, summary=q.summary_only,
                                                  with_balances=q.page is not None)
            statement = select(Contact).where(Contact.company_id == books.company.id,
                                              *fieldmaps.contact_filters(q))
            return page_result(await listing.select_sql(
                books.session, statement, q, fields=fieldmaps.CONTACTS, default_order=_ORDER_CONTACTS,
                to_models=to_models, pushdown=self.sql_pushdown))
        return await self._read(ctx, work)

    async def get_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactID}`` (with ``Balances``). Raises ``NotFound``."""
        contact_id = normalise_guid(req.path_params.get("ContactID", "")) or ""

        async def work(books: Books) -> Result:
            row = await contacts.get_by_id(books, contact_id) if contact_id else None
            if row is None:
                raise NotFound()
            return Result(items=await self._contact_models(books, [row], summary=False, with_balances=True))
        return await self._read(ctx, work)

    async def get_contact_by_contact_number(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactNumber}``. Raises ``NotFound``."""
        number = req.path_params.get("ContactNumber", "")

        async def work(books: Books) -> Result:
            row = await contacts.get_by_number(books, number) if number else None
            if row is None:
                raise NotFound()
            return Result(items=await self._contact_models(books, [row], summary=False, with_balances=True))
        return await self._read(ctx, work)

    async def _write_contacts(self, ctx: RequestContext, req: XeroRequest, *, mode: str,
                              path_id: str | None = None) -> Result:
        async def apply(books: Books, el: Any) -> xm.Contact:
            row = await contacts.write(books, el, mode=mode, path_id=path_id, client_id=ctx.client_id)
            return (await self._contact_models(books, [row], summary=False, with_balances=False))[0]
        return await self._write_batch(ctx, req, apply, model=xm.Contact)

    async def create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Contacts``: create only. Raises ``ValidationException`` (summarizeErrors)."""
        return await self._write_contacts(ctx, req, mode="create")

    async def update_or_create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Contacts``: update by ``ContactID`` or ``ContactNumber``, else create."""
        return await self._write_contacts(ctx, req, mode="upsert")

    async def update_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Contacts/{ContactID}``. Raises ``NotFound``, ``ValidationException``."""
        req.query.summarize_errors = True
        return await self._write_contacts(ctx, req, mode="update", path_id=req.path_params.get("ContactID", ""))

    # Contact groups ---------------------------------------------------------------------------------------------------

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
            return Result(items=list(await all_or_nothing(req.elements, apply)))
        return await self._write(ctx, req, work)

    async def update_contact_group(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ContactGroups/{ContactGroupID}`` (``Name``; ``Status`` ``DELETED`` deletes). Raises
        ``NotFound``, ``ValidationException``."""
        element = single_element(req)
        group_id = req.path_params.get("ContactGroupID", "")

        async def work(books: Books) -> Result:
            row = await batch.run_single(element, lambda el: contact_groups.write(books, el, group_id=group_id))
            return Result(items=[contact_groups.group_model(row)])
        return await self._write(ctx, req, work)

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
        return await self._write(ctx, req, work)

    async def delete_contact_group_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /ContactGroups/{ContactGroupID}/Contacts`` → 204. Raises ``NotFound``."""
        group_id = req.path_params.get("ContactGroupID", "")

        async def work(books: Books) -> Result:
            await contact_groups.remove_contacts(books, group_id)
            return Result()
        return await self._write(ctx, req, work)

    async def delete_contact_group_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /ContactGroups/{ContactGroupID}/Contacts/{ContactID}`` → 204. Raises ``NotFound``,
        ``ValidationException`` (not a member)."""
        group_id = req.path_params.get("ContactGroupID", "")
        contact_id = req.path_params.get("ContactID", "")

        async def work(books: Books) -> Result:
            try:
                await contact_groups.remove_contacts(books, group_id, contact_id)
            except ElementInvalid as exc:
                raise invalid({"ContactID": contact_id}, exc) from None
            return Result()
        return await self._write(ctx, req, work)
