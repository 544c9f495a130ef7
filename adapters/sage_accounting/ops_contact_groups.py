"""ContactGroups: kept by the gateway (Sage Business Cloud Accounting v3.1 has no contact groups).

A mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter`. Groups and their members live in the
adapter's tables ``sage_contact_groups``/``sage_contact_group_members`` per Xero tenant
(:mod:`adapters.common.contact_groups`, which states Xero's rules); members are Sage contacts by their Xero
``ContactID``: each is checked against Sage (``GET /contacts/{id}``) before it is added, and a group's ``Contacts``
are read back from Sage (``ContactID``, ``Name``), leaving out contacts Sage no longer has.
"""

from __future__ import annotations

from typing import Any

from adapters.common import contact_groups as kept
from adapters.common import listing as common_listing
from gateway.xero import models as xm
from gateway.xero.errors import NotFound, ValidationException, element_with_errors
from gateway.xero.models.catalogue import ContactGroup
from gateway.xero.request import OrderTerm, RequestContext, Result, XeroRequest

from .ops_base import OpsBase, check_query
from .query import normalise_guid
from .unit import SageUnit

#: Default order of ``GET /ContactGroups`` (the native ledger's).
ORDER = [OrderTerm("Name"), OrderTerm("ContactGroupID")]
#: (unconfirmed) the native ledger's wording. Format with the id.
CONTACT_ID_NOT_FOUND = "Contact with ContactID '{id}' could not be found"


def _model(group: kept.Group, contacts: list[xm.Contact] | None = None) -> ContactGroup:
    return ContactGroup(ContactGroupID=group.group_id, Name=group.name, Status=group.status, Contacts=contacts or [])


def _text(element: dict[str, Any], name: str) -> str | None:
    value = element.get(name)
    return value if isinstance(value, str) else None


class ContactGroupOps(OpsBase):
    """Mixin of :class:`adapters.sage_accounting.adapter.SageAccountingAdapter` (module docstring)."""

    contact_groups: kept.ContactGroupStore

    async def _group(self, ctx: RequestContext, req: XeroRequest) -> kept.Group:
        group = await self.contact_groups.get(ctx.tenant_id, req.path_params.get("ContactGroupID", ""))
        if group is None:
            raise NotFound()
        return group

    async def _contact(self, unit: SageUnit, contact_id: str) -> xm.Contact | None:
        ref = await unit.find(normalise_guid(contact_id), ("contacts",))
        if ref is None:
            return None
        try:
            row = await unit.read("contacts", ref.sage_id)
        except NotFound:
            return None
        return xm.Contact(ContactID=normalise_guid(contact_id), Name=row.get("name") or row.get("displayed_as"))

    async def get_contact_groups(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ContactGroups``: the ACTIVE groups (``Contacts`` empty), ``where`` and ``order``."""
        check_query(req.query, ContactGroup)
        models = [_model(g) for g in await self.contact_groups.active(ctx.tenant_id)]
        listed = common_listing.finish(models, req.query, residual=req.query.where,
                                       sort=[*req.query.order, *ORDER])
        return Result(items=listed.items, pagination=listed.pagination)

    async def get_contact_group(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``GET /ContactGroups/{ContactGroupID}`` with its ``Contacts`` read from Sage. Raises ``NotFound``."""
        group = await self._group(ctx, req)
        async with self.unit(ctx, req) as unit:
            contacts = [c for c in [await self._contact(unit, cid)
                                    for cid in await self.contact_groups.members(ctx.tenant_id, group.group_id)]
                        if c is not None]
        contacts.sort(key=lambda c: ((c.Name or "").lower(), c.ContactID or ""))
        return Result(items=[_model(group, contacts)])

    async def create_contact_group(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /ContactGroups``: one or more groups, all or nothing. Raises ``ValidationException``."""
        if not req.elements:
            raise ValidationException.single(kept.NAME_REQUIRED)
        failures = []
        names: list[str] = []
        for element in req.elements:
            name = (_text(element, "Name") or "").strip()
            problems = [] if name else [kept.NAME_REQUIRED]
            if name and name.lower() in names:
                problems.append(kept.NAME_UNIQUE)
            names.append(name.lower())
            failures.append(problems)
        if any(failures):
            raise ValidationException([element_with_errors(e, f) for e, f in zip(req.elements, failures, strict=True)])
        out = []
        for element in req.elements:
            try:
                group = await self.contact_groups.write(ctx.tenant_id, name=_text(element, "Name"),
                                                        status=_text(element, "Status"))
            except kept.InvalidGroup as exc:
                raise ValidationException([element_with_errors(element, exc.messages)]) from None
            out.append(_model(group))
        return Result(items=out)

    async def update_contact_group(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``POST /ContactGroups/{ContactGroupID}`` (``Name``; ``Status`` ``DELETED`` deletes). Raises ``NotFound``,
        ``ValidationException``."""
        if len(req.elements) != 1:
            raise ValidationException.single(kept.NAME_REQUIRED)
        element = req.elements[0]
        group = await self._group(ctx, req)
        try:
            written = await self.contact_groups.write(ctx.tenant_id, name=_text(element, "Name"),
                                                      status=_text(element, "Status"), group_id=group.group_id)
        except kept.InvalidGroup as exc:
            raise ValidationException([element_with_errors(element, exc.messages)]) from None
        return Result(items=[_model(written)])

    async def create_contact_group_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``PUT /ContactGroups/{ContactGroupID}/Contacts``: add Sage contacts by ``ContactID``; answers them.

        Raises:
            NotFound: no such group. ValidationException: no contact, or one Sage does not have (nothing added).
        """
        group = await self._group(ctx, req)
        if not req.elements:
            raise ValidationException.single(kept.CONTACTS_REQUIRED)
        found: list[xm.Contact | None] = []
        async with self.unit(ctx, req) as unit:
            for element in req.elements:
                contact_id = _text(element, "ContactID") or ""
                found.append(await self._contact(unit, contact_id) if normalise_guid(contact_id) else None)
        if any(c is None for c in found):
            raise ValidationException([
                element_with_errors(e, [] if c else [CONTACT_ID_NOT_FOUND.format(id=_text(e, "ContactID") or "")])
                for e, c in zip(req.elements, found, strict=True)])
        contacts = [c for c in found if c is not None]
        await self.contact_groups.add(ctx.tenant_id, group.group_id, [c.ContactID or "" for c in contacts])
        return Result(items=contacts)

    async def delete_contact_group_contacts(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /ContactGroups/{ContactGroupID}/Contacts`` → 204. Raises ``NotFound``."""
        group = await self._group(ctx, req)
        await self.contact_groups.remove(ctx.tenant_id, group.group_id)
        return Result()

    async def delete_contact_group_contact(self, ctx: RequestContext, req: XeroRequest) -> Result:
        """``DELETE /ContactGroups/{ContactGroupID}/Contacts/{ContactID}`` → 204. Raises ``NotFound``,
        ``ValidationException`` (not a member)."""
        group = await self._group(ctx, req)
        contact_id = req.path_params.get("ContactID", "")
        try:
            await self.contact_groups.remove(ctx.tenant_id, group.group_id, contact_id)
        except kept.InvalidGroup as exc:
            raise ValidationException([element_with_errors({"ContactID": contact_id}, exc.messages)]) from None
        return Result()
