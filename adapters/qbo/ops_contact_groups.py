"""ContactGroups on 1004: QBO has no contact groups, so the gateway keeps them (:mod:`adapters.qbo.contact_groups`,
tables ``qbo_contact_groups`` and ``qbo_contact_group_members``); members are QBO Customers/Vendors named by their
Xero ``ContactID``, checked and named from the realm's reference data."""

from __future__ import annotations

from typing import Any

from adapters.qbo.contact_groups import ContactGroups, Group
from gateway.xero.errors import ValidationException
from gateway.xero.guids import is_guid
from gateway.xero.models import Contact
from gateway.xero.models.catalogue import ContactGroup
from gateway.xero.request import RequestContext, Result, XeroRequest

from .contacts import CUSTOMER, VENDOR
from .ops_base import OperationsBase, path_param
from .translate.common import text
from .unit import QboUnit


class ContactGroupOperations(OperationsBase):
    """ContactGroups (gateway-kept)."""

    contact_groups: ContactGroups

    async def _members(self, unit: QboUnit, contact_ids: list[str]) -> list[Contact]:
        """The contacts behind ``contact_ids`` with their names (unknown ones left out)."""
        t = await unit.tx("customers", "vendors")
        out = []
        for contact_id in contact_ids:
            refs = [r for r in await unit.resolve(contact_id) if r.entity in (CUSTOMER, VENDOR) and not r.part]
            if not refs:
                continue
            names = t.refs.customers if refs[0].entity == CUSTOMER else t.refs.vendors
            row = names.get(refs[0].qbo_id)
            out.append(Contact(ContactID=contact_id, Name=text(row.get("DisplayName")) if row else None))
        return out

    @staticmethod
    def _model(group: Group, contacts: list[Contact] | None = None) -> ContactGroup:
        return ContactGroup(ContactGroupID=group.group_id, Name=group.name, Status=group.status,
                            Contacts=contacts if contacts is not None else [])

    async def get_contact_groups(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ContactGroups``: the active groups (``Contacts`` empty in lists, as Xero's examples)."""
        return Result(items=[self._model(g) for g in await self.contact_groups.list(ctx.tenant_id)])

    async def get_contact_group(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ContactGroups/{ContactGroupID}`` with its contacts. Raises NotFound."""
        group = await self.contact_groups.get(ctx.tenant_id, path_param(req, "ContactGroupID"))
        async with self.unit(ctx, req) as unit:
            return Result(items=[self._model(group, await self._members(unit, list(group.members)))])

    async def create_contact_group(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /ContactGroups``. Raises ValidationException."""
        made = [await self.contact_groups.create(ctx.tenant_id, _element(e)) for e in req.elements or [{}]]
        return Result(items=[self._model(g) for g in made])

    async def update_contact_group(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ContactGroups/{ContactGroupID}``: rename, or delete with ``Status`` DELETED."""
        key = path_param(req, "ContactGroupID")
        element = _element(req.elements[0] if req.elements else {})
        return Result(items=[self._model(await self.contact_groups.update(ctx.tenant_id, key, element))])

    async def create_contact_group_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /ContactGroups/{ContactGroupID}/Contacts``: add contacts; answers them. Raises NotFound,
        ValidationException (a contact the realm does not know: nothing added)."""
        key = path_param(req, "ContactGroupID")
        await self.contact_groups.get(ctx.tenant_id, key)
        wanted = [text(_element(e).get("ContactID")) or "" for e in req.elements]
        async with self.unit(ctx, req) as unit:
            for contact_id in wanted:
                if not is_guid(contact_id) or not [r for r in await unit.resolve(contact_id)
                                                   if r.entity in (CUSTOMER, VENDOR)]:
                    raise ValidationException.single(f"The contact '{contact_id}' could not be found")
            added = await self.contact_groups.add(ctx.tenant_id, key, wanted)
            return Result(items=await self._members(unit, added))

    async def delete_contact_group_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /ContactGroups/{ContactGroupID}/Contacts``: remove every member (204)."""
        await self.contact_groups.remove(ctx.tenant_id, path_param(req, "ContactGroupID"))
        return Result()

    async def delete_contact_group_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /ContactGroups/{ContactGroupID}/Contacts/{ContactID}`` (204). Raises NotFound,
        ValidationException (not a member)."""
        await self.contact_groups.remove(ctx.tenant_id, path_param(req, "ContactGroupID"),
                                         path_param(req, "ContactID"))
        return Result()


def _element(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationException.single("Each element must be an object")
    return value
