"""Contacts: ``getContacts``, ``getContact``, ``createContacts``, ``updateOrCreateContacts``, ``updateContact``.

Lists go through :mod:`adapters.sage_accounting.listing` over ``GET /contacts`` (``where``/``IDs``/``searchTerm``/
``If-Modified-Since`` pushed down where Sage can filter; :mod:`adapters.sage_accounting.collections`); archived
contacts are listed only with ``includeArchived=true``, as Xero does (pushed as ``filter_inactive_contacts``). A
contact is also found by name for documents that name their contact without an id (:meth:`ContactOps.find_contact`),
as Xero does — and created when none has that name (:meth:`ContactOps.ensure_contact`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gateway.xero import query as xq
from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.guids import normalise_guid
from gateway.xero.models import Contact
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import collections, listing, messages
from .batch import run_batch
from .query import guid_literals, plan
from .translate.common import ref_id, xero_text
from .translate.contacts import contact_body, contact_from_sage

if TYPE_CHECKING:
    from .call import Call

CONTACT_KINDS = ("ledger_accounts", "tax_rates")
#: Sage's filter hiding inactive contacts (swagger GET /contacts ``filter_inactive_contacts``), sent unless the client
#: asks ``includeArchived=true`` (Xero lists ARCHIVED contacts only then).
ARCHIVED_FILTER = "filter_inactive_contacts"


async def resolve_guids(call: Call, guids: list[str]) -> dict[str, tuple[str, str] | None]:
    """lower-case GUID → ``(resource, sage id)`` of whole records (``None`` when unknown)."""
    out: dict[str, tuple[str, str] | None] = {}
    for guid in guids:
        key = normalise_guid(guid)
        if not key or key in out:
            continue
        refs = [r for r in await call.resolve(key) if not r.part]
        out[key] = (refs[0].resource, refs[0].sage_id) if refs else None
    return out


async def list_by_ids(call: Call, ids: list[str], resources: tuple[str, ...]) -> list[tuple[str, dict[str, Any]]]:
    """``(resource, record)`` of each GUID in ``ids`` that names one of ``resources`` (one read each; unknown
    GUIDs are skipped, as Xero answers only the ids it has)."""
    out = []
    for guid in dict.fromkeys(ids):
        ref = await call.find(guid, resources)
        if ref is None:
            continue
        try:
            out.append((ref.resource, await call.read(ref.resource, ref.sage_id)))
        except NotFound:
            continue
    return out


class ContactOps:
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    if TYPE_CHECKING:
        def call(self, ctx: RequestContext, req: XeroRequest) -> Any: ...

    async def get_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            query = req.query
            if query.where is not None:
                xq.check_fields(query.where, Contact)
            if query.order:
                xq.check_fields(query.order, Contact)
            tx = await call.tx(*CONTACT_KINDS)

            async def translate(rows: listing.Rows) -> list[Any]:
                return [contact_from_sage(row, tx) for _, row in rows]

            collection = collections.CONTACTS
            resolved = await resolve_guids(call, [g for _, g in guid_literals(query.where, collection)])
            contact_plan = plan(collection, query, resolved=resolved)
            if not query.include_archived:
                for stream in contact_plan.streams:
                    stream.params[ARCHIVED_FILTER] = "true"
            if query.ids:
                rows = await list_by_ids(call, query.ids, ("contacts",))
                models = [contact_from_sage(row, tx) for _, row in rows]
                listed = listing.finish(models, contact_plan, query, search_paths=collection.search_paths)
            else:
                listed = await listing.run(call, contact_plan, query, translate=translate,
                                           search_paths=collection.search_paths)
            return Result(items=listed.items, pagination=listed.pagination)

    async def get_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.call(ctx, req) as call:
            ref = await call.find(req.path_params.get("ContactID"), ("contacts",))
            if ref is None:
                raise NotFound()
            row = await call.read("contacts", ref.sage_id)
            return Result(items=[contact_from_sage(row, await call.tx(*CONTACT_KINDS))])

    async def find_contact(self, call: Call, element: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
        """The Sage contact a document's ``Contact`` names: by ``ContactID``, else by exact ``Name`` (case-insensitive,
        through Sage's ``search``). Returns ``(record or None, name)``; ``None`` when a name matches no contact (the
        caller then creates it, as Xero creates the contact of a document named by ``Name`` only).

        Raises:
            ValidationException: no contact at all, or an unknown ContactID.
        """
        contact = element.get("Contact") if isinstance(element.get("Contact"), dict) else {}
        guid = xero_text(contact, "ContactID")
        name = xero_text(contact, "Name")
        if guid:
            ref = await call.find(guid, ("contacts",))
            if ref is None:
                raise ValidationException.single(messages.CONTACT_ID_NOT_FOUND.format(id=guid), element)
            return await call.read("contacts", ref.sage_id), name or ""
        if not name:
            raise ValidationException.single(messages.CONTACT_REQUIRED, element)
        candidates = await call.list_all("/contacts", {"search": name, "attributes": "all"}, max_pages=5)
        return next((c for c in candidates if str(c.get("name") or "").lower() == name.lower()), None), name

    async def ensure_contact(self, call: Call, found: tuple[dict[str, Any] | None, str], *, needed_type: str,
                             label: str, element: dict[str, Any]) -> str:
        """The Sage contact id for a document: the one found, given ``needed_type`` when it lacks it (a customer on
        a bill becomes a supplier too: one contact may be both, upstream-contracts.md §2), or a new contact."""
        row, name = found
        if row is None:
            tx = await call.tx(*CONTACT_KINDS)
            body = contact_body({"Name": name}, tx, creating=True, needed_type=needed_type)
            made = await call.create("contacts", "contact", body, label=f"{label}:contact", element=element)
            return str(made["id"])
        types = {ref_id(t) for t in row.get("contact_types") or []} - {None}
        if needed_type not in types:
            await call.update("contacts", "contact", str(row["id"]),
                              {"contact_type_ids": sorted(types | {needed_type})}, element=element)  # type: ignore[type-var]
        return str(row["id"])

    async def _write_contacts(self, ctx: RequestContext, req: XeroRequest, *, upsert: bool,
                              contact_id: str | None = None) -> Result:
        async with self.call(ctx, req) as call:
            tx = await call.tx(*CONTACT_KINDS)

            async def prepare(index: int, element: dict[str, Any]):
                guid = contact_id or xero_text(element, "ContactID")
                if guid and (upsert or contact_id):
                    ref = await call.find(guid, ("contacts",))
                    if ref is None:
                        raise ValidationException.single(messages.CONTACT_ID_NOT_FOUND.format(id=guid), element)
                    current = await call.read("contacts", ref.sage_id)
                    types = {ref_id(t) for t in current.get("contact_types") or []} - {None}
                    body = contact_body(element, tx, creating=False, current_types=types)  # type: ignore[arg-type]

                    async def perform_update() -> Contact:
                        made = await call.update("contacts", "contact", ref.sage_id, body, element=element) \
                            if body else current
                        return contact_from_sage(made, tx)
                    return perform_update
                body = contact_body(element, tx, creating=True)

                async def perform_create() -> Contact:
                    made = await call.create("contacts", "contact", body, label=f"contact:{index}", element=element)
                    return contact_from_sage(made, tx)
                return perform_create

            out = await run_batch(call, req.elements, prepare, collection="Contacts",
                                  summarize_errors=req.query.summarize_errors)
            return Result(items=out)

    async def create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_contacts(ctx, req, upsert=False)

    async def update_or_create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_contacts(ctx, req, upsert=True)

    async def update_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        return await self._write_contacts(ctx, req, upsert=True, contact_id=req.path_params.get("ContactID"))
