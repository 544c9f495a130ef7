"""Contacts: QBO Customers and Vendors (:mod:`.translate.contacts`; one ContactID per record, a record and the
counterpart the gateway created for it read as one contact).

Lists push their filters to both entities (:data:`adapters.qbo.resources.CONTACTS`); a realm where the gateway has
created counterparts is listed in the gateway (the pair must be merged before paging). ``searchTerm`` looks in Name,
FirstName, LastName, EmailAddress and AccountNumber (Xero's documented fields for contacts' searchTerm), in the
gateway. ``summaryOnly`` answers the same fields (QBO gives them all at no extra cost). A new contact becomes a
Customer, or a Vendor when it says only ``IsSupplier: true``.
"""

from __future__ import annotations

from typing import Any

from gateway.xero.errors import NotFound, ValidationException
from gateway.xero.guids import is_guid
from gateway.xero.models import Contact
from gateway.xero.request import RequestContext, Result, XeroRequest

from . import attachments, listing
from .batch import Journal, write_all
from .ops_base import OperationsBase, path_param, plan_for
from .resources import CONTACTS
from .translate.common import text
from .translate.contacts import CUSTOMER, VENDOR, contact_to_qbo, contact_to_xero, merge, party_entity, search_fields
from .unit import QboUnit


class ContactOperations(OperationsBase):
    """Contacts."""

    async def _contacts(self, unit: QboUnit, rows: list[tuple[str, dict[str, Any]]]) -> list[Contact]:
        t = await unit.tx()
        aliases = {(e, i) for e in (CUSTOMER, VENDOR) for i in unit.ids.aliased(unit.realm_id, e)}
        out: dict[str, Contact] = {}
        order: list[str] = []
        for entity, row in rows:
            model = contact_to_xero(row, entity, t)
            key = model.ContactID or ""
            if key in out:
                alias = (entity, str(row["Id"])) in aliases
                out[key] = merge(out[key], model) if alias else merge(model, out[key])
            else:
                out[key] = model
                order.append(key)
        return [out[k] for k in order]

    async def get_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts`` (module docstring for the rules)."""
        query = req.query
        async with self.unit(ctx, req) as unit:
            plan = await plan_for(unit, query, CONTACTS, Contact)
            keep = None
            if query.search_term:
                needle = query.search_term.lower()

                def keep(contact: Contact) -> bool:
                    return any(needle in v.lower() for v in search_fields(contact) if v)
            if unit.ids.has_aliases(unit.realm_id) and keep is None:
                def keep(contact: Contact) -> bool:  # a filter that keeps all, so that the gateway pages: a record
                    return True                      # and its counterpart must be merged before paging

            async def translate(rows: list[tuple[str, dict[str, Any]]]) -> list[Contact]:
                return await self._contacts(unit, rows)

            listed = await listing.run(unit, plan, query, translate=translate, keep=keep)
            return Result(items=listed.items, pagination=listed.pagination)

    async def _read_contact(self, unit: QboUnit, contact_id: str) -> tuple[list[tuple[str, dict[str, Any]]], Contact]:
        if not is_guid(contact_id):
            raise NotFound()
        refs = [r for r in await unit.resolve(contact_id) if r.entity in (CUSTOMER, VENDOR) and not r.part]
        if not refs:
            raise NotFound()
        rows = [(r.entity, await unit.read(r.entity, r.qbo_id)) for r in refs]
        contacts = await self._contacts(unit, rows)
        return rows, contacts[0]

    async def get_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /Contacts/{ContactID}``. Raises NotFound."""
        async with self.unit(ctx, req) as unit:
            rows, contact = await self._read_contact(unit, path_param(req, "ContactID"))
            entity, row = sorted(rows, key=lambda pair: pair[0] != CUSTOMER)[0]  # files go on the Customer first
            return Result(items=[await attachments.mark_one(unit, contact, resource="Contacts", entity=entity,
                                                            qbo_id=str(row["Id"]), api_root=self.api_root())])

    async def create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /Contacts``."""
        return await self._write_contacts(ctx, req)

    async def update_or_create_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Contacts``: elements with a ContactID update, others create."""
        return await self._write_contacts(ctx, req)

    async def update_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /Contacts/{ContactID}``."""
        contact_id = path_param(req, "ContactID")
        req.elements = [{**e, "ContactID": contact_id} for e in req.elements] or [{"ContactID": contact_id}]
        return await self._write_contacts(ctx, req)

    async def _write_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        async with self.unit(ctx, req) as unit:
            async def one(index: int, element: dict[str, Any], journal: Journal) -> Contact:
                contact_id = text(element.get("ContactID"))
                if contact_id is not None:
                    try:
                        rows, _ = await self._read_contact(unit, contact_id)
                    except NotFound:
                        raise ValidationException.single(
                            f"The contact with ContactID '{contact_id}' could not be found", element) from None
                    changes = contact_to_qbo(element, CUSTOMER, create=False)
                    written = []
                    for position, (entity, current) in enumerate(rows):
                        body = dict(changes)
                        if position and "DisplayName" in body:
                            body.pop("DisplayName")  # the counterpart keeps its own unique name
                        row = await unit.update(entity, current, body, label=f"main:{index}:{entity}",
                                                element=element) if body else current
                        written.append((entity, row))
                    return (await self._contacts(unit, written))[0]
                entity = party_entity(element)
                row = await unit.create(entity, contact_to_qbo(element, entity, create=True), label=f"main:{index}",
                                        element=element)
                journal.add(entity, row)
                return (await self._contacts(unit, [(entity, row)]))[0]

            contacts = await write_all(unit, req.elements, one, model=Contact)
            return Result(items=contacts)
