"""Contacts: ``getContacts``, ``getContact``, ``createContacts``, ``updateOrCreateContacts``, ``updateContact``.

Lists go through :mod:`adapters.sage_accounting.listing` over ``GET /contacts`` (``where``/``IDs``/``searchTerm``/
``If-Modified-Since`` pushed down where Sage can filter; :mod:`adapters.sage_accounting.resources`); archived
contacts are listed only with ``includeArchived=true``, as Xero does (pushed as ``filter_inactive_contacts``). The
contact of a document is found and created by :mod:`adapters.sage_accounting.contacts`.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.models import Contact
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import listing, messages, resources
from .batch import Perform
from .contacts import CONTACT_KINDS, contact_named
from .ops_base import OpsBase, check_query, list_by_ids, plan_list
from .parents import has_attachments
from .translate.common import Tx, ref_id, xero_text
from .translate.contacts import contact_body, contact_from_sage
from .unit import SageUnit

#: Sage's filter hiding inactive contacts (swagger GET /contacts ``filter_inactive_contacts``), sent unless the client
#: asks ``includeArchived=true`` (Xero lists ARCHIVED contacts only then).
ARCHIVED_FILTER = "filter_inactive_contacts"


class ContactOps(OpsBase):
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    async def get_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts`` (``where``, ``order``, ``IDs``, ``searchTerm``, paging) over ``GET /contacts``."""
        async with self.unit(ctx, req) as unit:
            query = req.query
            check_query(query, Contact)
            tx = await unit.tx(*CONTACT_KINDS)
            collection = resources.CONTACTS
            contact_plan = await plan_list(unit, collection, query)
            if not query.include_archived:
                for stream in contact_plan.streams:
                    stream.params[ARCHIVED_FILTER] = "true"
            if query.ids:
                rows = await list_by_ids(unit, query.ids, ("contacts",))
                models = [contact_from_sage(row, tx) for _, row in rows]
                listed = listing.finish(models, contact_plan, query, search_paths=collection.search_paths)
            else:
                listed = await listing.run(unit, contact_plan, query, translate=partial(_contacts_from_rows, tx),
                                           search_paths=collection.search_paths)
            return Result(items=listed.items, pagination=listed.pagination)

    async def get_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactID}`` → ``GET /contacts/{id}``."""
        async with self.unit(ctx, req) as unit:
            ref = await unit.find(req.path_params.get("ContactID"), ("contacts",))
            if ref is None:
                raise NotFound()
            row = await unit.read("contacts", ref.sage_id)
            model = contact_from_sage(row, await unit.tx(*CONTACT_KINDS))
            model.HasAttachments = await has_attachments(unit, "contacts", ref.sage_id)
            return Result(items=[model])

    async def create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Contacts`` → ``POST /contacts`` per element."""
        return await self._write_contacts(ctx, req, upsert=False)

    async def update_or_create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Contacts``: ``PUT /contacts/{id}`` for elements with a known ``ContactID``, else ``POST``."""
        return await self._write_contacts(ctx, req, upsert=True)

    async def update_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Contacts/{ContactID}`` → ``PUT /contacts/{id}``."""
        return await self._write_contacts(ctx, req, upsert=True, contact_id=req.path_params.get("ContactID"))

    # Writes ------------------------------------------------------------------------------------------------

    async def _write_contacts(self, ctx: RequestContext, req: XeroRequest, *, upsert: bool,
                              contact_id: str | None = None) -> Result:
        return await self.write_batch(ctx, req, _prepare_contact, collection="Contacts", kinds=CONTACT_KINDS,
                                      upsert=upsert, contact_id=contact_id, new_names=set())


async def _contacts_from_rows(tx: Tx, rows: listing.Rows) -> list[Any]:
    return [contact_from_sage(row, tx) for _, row in rows]


async def _prepare_contact(unit: SageUnit, tx: Tx, index: int, element: dict[str, Any], *, upsert: bool,
                           contact_id: str | None, new_names: set[str]) -> Perform:
    """Validate and translate one contact (no write yet): an update of a known ``ContactID``, else a create.

    A contact name is unique, as in Xero: a create or a rename to the name of another Sage contact, or of a contact an
    earlier element of the request creates (``new_names``, lower-case), is refused.

    Raises:
        ValidationException: an unknown ContactID, a name in use, or an element Sage's contact cannot hold.
    """
    guid = contact_id or xero_text(element, "ContactID")
    if guid and (upsert or contact_id):
        ref = await unit.find(guid, ("contacts",))
        if ref is None:
            raise ValidationException.single(messages.CONTACT_ID_NOT_FOUND.format(id=guid), element)
        current = await unit.read("contacts", ref.sage_id)
        await _check_name_free(unit, element, new_names, current=current)
        types = {ref_id(t) for t in current.get("contact_types") or []} - {None}
        body = contact_body(element, tx, creating=False, current_types=types)  # type: ignore[arg-type]
        return partial(_update_contact, unit, tx, ref.sage_id, current, body, element)
    if not await unit.attempted(f"contact:{index}"):
        await _check_name_free(unit, element, new_names)
    body = contact_body(element, tx, creating=True)
    return partial(_create_contact, unit, tx, index, body, element)


async def _check_name_free(unit: SageUnit, element: dict[str, Any], new_names: set[str], *,
                           current: dict[str, Any] | None = None) -> None:
    """Refuse the element's ``Name`` when another contact has it (module rule of :func:`_prepare_contact`).

    Raises:
        ValidationException: ``CONTACT_NAME_EXISTS``.
    """
    name = xero_text(element, "Name")
    if not name or current is not None and name.lower() == str(current.get("name") or "").lower():
        return
    clash = name.lower() in new_names or await contact_named(unit, name) is not None
    if clash:
        raise ValidationException.single(messages.CONTACT_NAME_EXISTS, element)
    new_names.add(name.lower())


async def _update_contact(unit: SageUnit, tx: Tx, sage_id: str, current: dict[str, Any], body: dict[str, Any],
                          element: dict[str, Any]) -> Contact:
    """``PUT /contacts/{id}`` (nothing sent when the element changes nothing)."""
    made = await unit.update("contacts", "contact", sage_id, body, element=element) if body else current
    return contact_from_sage(made, tx)


async def _create_contact(unit: SageUnit, tx: Tx, index: int, body: dict[str, Any], element: dict[str, Any]) -> Contact:
    """``POST /contacts`` through the write ledger (label ``contact:{index}``)."""
    made = await unit.create("contacts", "contact", body, label=f"contact:{index}", element=element)
    return contact_from_sage(made, tx)
