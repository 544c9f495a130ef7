"""Contact groups: reads, writes, membership, and the canonical models.

Rules (https://developer.xero.com/documentation/api/accounting/contactgroups; spec
``components.schemas.ContactGroup``):

- ``Name`` is required to create a group; names are unique among the organisation's active groups
  (case-insensitive; unconfirmed wording). An organisation has at most 100 groups (spec example of
  ``createContactGroup``: "You’ve reached the limit of 100 contact groups.").
- ``Status`` is ``ACTIVE`` or ``DELETED``; "to delete a contact group update the status to DELETED. Only contact
  groups with a status of ACTIVE are returned on GETs" (spec ``ContactGroup.Status``): a deleted group is gone
  for every operation (404) and its memberships are removed.
- ``Contacts`` (``ContactID`` and ``Name``) are "returned on GETs when the ContactGroupID is supplied in the URL"
  (spec ``ContactGroup.Contacts``); lists carry ``Contacts: []``, as in the spec's examples.
- ``PUT /ContactGroups/{id}/Contacts`` adds contacts by ``ContactID`` (already members stay members) and answers
  the contacts added; the two DELETE operations remove all members, or one (a contact not in the group: 400).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select

from gateway.xero import models as xm
from gateway.xero.errors import NotFound
from gateway.xero.guids import normalise_guid
from gateway.xero.models.catalogue import ContactGroup as GroupModel

from . import contacts, messages
from .books import Books
from .models import Contact
from .models_catalogue import ContactGroup, ContactGroupMember
from .validation import ElementInvalid, parse_element, provided, text

MAX_GROUPS = 100
STATUSES = ("ACTIVE", "DELETED")


async def active_groups(books: Books) -> list[ContactGroup]:
    """The company's ACTIVE groups."""
    return list(await books.session.scalars(
        select(ContactGroup).where(ContactGroup.company_id == books.company.id, ContactGroup.status == "ACTIVE")))


async def get_group(books: Books, group_id: str) -> ContactGroup:
    """An ACTIVE group of the company by id.

    Raises:
        NotFound: no such group, or a deleted one.
    """
    row = await books.session.get(ContactGroup, normalise_guid(group_id) or "")
    if row is None or row.company_id != books.company.id or row.status != "ACTIVE":
        raise NotFound()
    return row


async def members(books: Books, group_id: str) -> list[Contact]:
    """The contacts of a group, by name."""
    return list(await books.session.scalars(
        select(Contact).join(ContactGroupMember, ContactGroupMember.contact_id == Contact.id)
        .where(ContactGroupMember.group_id == group_id).order_by(Contact.name, Contact.id)))


async def groups_of(books: Books, contact_id: str) -> list[ContactGroup]:
    """The ACTIVE groups a contact belongs to, by name (spec ``Contact.ContactGroups``)."""
    return list(await books.session.scalars(
        select(ContactGroup).join(ContactGroupMember, ContactGroupMember.group_id == ContactGroup.id)
        .where(ContactGroupMember.contact_id == contact_id, ContactGroup.status == "ACTIVE")
        .order_by(ContactGroup.name, ContactGroup.id)))


def group_model(row: ContactGroup, *, contacts_in: list[Contact] | None = None) -> GroupModel:
    """A ``ContactGroup`` element; ``Contacts`` (``ContactID``, ``Name``) when ``contacts_in`` is given, else
    an empty list."""
    return GroupModel(ContactGroupID=row.id, Name=row.name, Status=row.status,
                      Contacts=[xm.Contact(ContactID=c.id, Name=c.name) for c in contacts_in or []])


async def write(books: Books, element: dict[str, Any], *, group_id: str | None = None) -> ContactGroup:
    """Create (``group_id`` ``None``) or update one group (``Name``; ``Status`` ``DELETED`` deletes it).

    Returns:
        The written row (flushed).

    Raises:
        ElementInvalid: the element is invalid (nothing written).
        NotFound: update of an unknown or deleted group.
    """
    model = parse_element(GroupModel, element)
    existing = await get_group(books, group_id) if group_id is not None else None
    errors: list[str] = []
    name = text(model.Name) if existing is None or provided(model, "Name") else existing.name
    if name is None:
        errors.append(messages.CONTACT_GROUP_NAME_REQUIRED)
    status = model.Status or "ACTIVE"
    if status not in STATUSES:
        errors.append(messages.CONTACT_GROUP_STATUS_INVALID)
    current = await active_groups(books)
    if name is not None and status == "ACTIVE" and any(
            g.name.strip().lower() == name.lower() and (existing is None or g.id != existing.id) for g in current):
        errors.append(messages.CONTACT_GROUP_NAME_UNIQUE)
    if existing is None and len(current) >= MAX_GROUPS:
        errors.append(messages.CONTACT_GROUP_LIMIT)
    if errors:
        raise ElementInvalid(errors)
    assert name is not None
    if existing is None:
        existing = ContactGroup(id=books.new_id("contact_group"), company_id=books.company.id, name=name,
                                status="ACTIVE")
        books.session.add(existing)
    existing.name, existing.status, existing.updated_utc = name, status, books.now()
    if status == "DELETED":
        await books.session.execute(delete(ContactGroupMember).where(ContactGroupMember.group_id == existing.id))
    await books.session.flush()
    return existing


async def add_contacts(books: Books, group_id: str, elements: list[dict[str, Any]]) -> list[Contact]:
    """Add contacts (by ``ContactID``) to a group.

    Returns:
        The contacts named, in request order.

    Raises:
        NotFound: no such group.
        ElementInvalid: a contact without ``ContactID`` or unknown (nothing written).
    """
    group = await get_group(books, group_id)
    errors: list[str] = []
    found: list[Contact] = []
    for element in elements:
        contact_id = text(parse_element(xm.Contact, element).ContactID)
        row = await contacts.get_by_id(books, normalise_guid(contact_id) or contact_id) if contact_id else None
        if row is None:
            errors.append(messages.CONTACT_ID_NOT_FOUND.format(id=contact_id or ""))
        else:
            found.append(row)
    if not elements:
        errors.append(messages.CONTACT_GROUP_CONTACTS_REQUIRED)
    if errors:
        raise ElementInvalid(errors)
    have = set(await books.session.scalars(
        select(ContactGroupMember.contact_id).where(ContactGroupMember.group_id == group.id)))
    for row in found:
        if row.id not in have:
            books.session.add(ContactGroupMember(group_id=group.id, contact_id=row.id))
            have.add(row.id)
    group.updated_utc = books.now()
    await books.session.flush()
    return found


async def remove_contacts(books: Books, group_id: str, contact_id: str | None = None) -> None:
    """Remove every contact from a group, or one (``contact_id``).

    Raises:
        NotFound: no such group.
        ElementInvalid: ``contact_id`` is not a member of the group.
    """
    group = await get_group(books, group_id)
    query = delete(ContactGroupMember).where(ContactGroupMember.group_id == group.id)
    if contact_id is not None:
        guid = normalise_guid(contact_id) or ""
        count = await books.session.scalar(
            select(func.count()).select_from(ContactGroupMember)
            .where(ContactGroupMember.group_id == group.id, ContactGroupMember.contact_id == guid))
        if not count:
            raise ElementInvalid([messages.CONTACT_GROUP_NOT_MEMBER])
        query = query.where(ContactGroupMember.contact_id == guid)
    await books.session.execute(query)
    group.updated_utc = books.now()
    await books.session.flush()
