"""Contacts as QBO keeps them: a Xero contact is a Customer, a Vendor, or both (upstream-contracts.md §4 hard case 1).

Shared by the operations that name a contact in an element (documents, payments, bank transactions):
:func:`party` finds (or creates) the record of the wanted entity, :func:`counterpart` creates the missing one of a
contact that exists only as the other entity and registers it as an alias of the same ContactID
(:meth:`adapters.qbo.ids.IdStore.add_alias`).
"""

from __future__ import annotations

import uuid
from typing import Any

from gateway.xero.errors import ValidationException
from gateway.xero.guids import is_guid

from .batch import Journal
from .errors import DUPLICATE_NAME
from .ids import QboRef
from .translate.common import text
from .translate.contacts import CUSTOMER, VENDOR
from .unit import QboUnit

#: Suffix added to the name of a counterpart record when the contact's name is taken (DisplayName is unique across
#: Customer, Vendor and Employee, Fault 6240).
COUNTERPART_SUFFIX = {CUSTOMER: " (customer)", VENDOR: " (supplier)"}


async def party(unit: QboUnit, contact: Any, wanted: str, element: dict[str, Any],
                journal: Journal, index: int) -> str:
    """The ``Id`` of the ``wanted`` record (Customer or Vendor) of a Xero contact, creating it when needed.

    A contact named by ``ContactID`` that exists only as the other entity gets a counterpart record of the
    wanted entity, registered as an alias of the same ContactID (upstream-contracts.md §4 hard case 1); a contact
    named only by ``Name`` is found by DisplayName, or created.

    Raises:
        ValidationException: no contact, or a ContactID the realm does not know.
    """
    if not isinstance(contact, dict) or not (text(contact.get("ContactID")) or text(contact.get("Name"))):
        raise ValidationException.single("A Contact must be specified for this type of transaction", element)
    t = await unit.tx("customers", "vendors")
    other = VENDOR if wanted == CUSTOMER else CUSTOMER
    names = {CUSTOMER: t.refs.customers, VENDOR: t.refs.vendors}
    contact_id = text(contact.get("ContactID"))
    if contact_id is not None:
        if not is_guid(contact_id):
            raise ValidationException.single(f"'{contact_id}' is not a valid ContactID", element)
        guid = str(uuid.UUID(contact_id))
        refs = {r.entity: r for r in await unit.resolve(guid) if r.entity in (CUSTOMER, VENDOR) and not r.part}
        if not refs:  # not handed out by this gateway yet: look among the cached records
            for entity in (CUSTOMER, VENDOR):
                for row in names[entity].rows:
                    if t.forward(entity, str(row["Id"]), "") == guid:
                        refs[entity] = QboRef(entity, str(row["Id"]))
        if wanted in refs:
            return refs[wanted].qbo_id
        if other not in refs:
            raise ValidationException.single(f"The contact with ContactID '{contact_id}' could not be found",
                                             element)
        source = names[other].get(refs[other].qbo_id) or {}
        return await counterpart(unit, guid, wanted, str(source.get("DisplayName") or contact_id), element,
                                      journal, index)
    name = str(contact.get("Name"))
    found = names[wanted].named(name)
    if found is not None:
        return str(found["Id"])
    twin = names[other].named(name)
    if twin is not None:
        guid = t.forward(other, str(twin["Id"]), "")
        return await counterpart(unit, guid, wanted, name, element, journal, index)
    row = await unit.create(wanted, {"DisplayName": name}, label=f"contact:{index}", element=element)
    journal.add(wanted, row)
    return str(row["Id"])

async def counterpart(unit: QboUnit, guid: str, entity: str, name: str,
                      element: dict[str, Any], journal: Journal, index: int) -> str:
    """Create the ``entity`` record of a contact that exists only as the other entity; register the alias.

    QBO's DisplayName is unique across Customer, Vendor and Employee, so the counterpart usually cannot take
    the contact's own name (Fault 6240): it is then named with :data:`COUNTERPART_SUFFIX`."""
    try:
        row = await unit.create(entity, {"DisplayName": name}, label=f"counterpart:{index}", element=element)
    except ValidationException as exc:
        if f"error {DUPLICATE_NAME}:" not in str(exc.elements):
            raise
        row = await unit.create(entity, {"DisplayName": name + COUNTERPART_SUFFIX[entity]},
                                label=f"counterpart-renamed:{index}", element=element)
    await unit.ids.add_alias(unit.realm_id, guid=guid, entity=entity, qbo_id=str(row["Id"]))
    journal.add(entity, row)
    return str(row["Id"])
