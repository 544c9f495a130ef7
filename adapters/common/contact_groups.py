"""Gateway-kept ContactGroups for upstream adapters whose source has no contact groups (Sage Accounting).

Rules (https://developer.xero.com/documentation/api/accounting/contactgroups; spec ``components.schemas.ContactGroup``),
as the native ledger applies them (:mod:`adapters.native.contact_groups`, the reference adapter):

- ``Name`` is required to create a group and unique among the tenant's active groups (case-insensitive); a tenant has
  at most :data:`MAX_GROUPS` groups (spec example of ``createContactGroup``: "You’ve reached the limit of 100 contact
  groups.").
- ``Status`` is ``ACTIVE`` or ``DELETED``; a deleted group is gone for every operation (404) and loses its members
  ("Only contact groups with a status of ACTIVE are returned on GETs", spec ``ContactGroup.Status``).
- Members are contacts by their Xero ``ContactID``; the adapter checks that each names a contact of its source before
  adding it, and reads the names from the source.

Tables (declared on the adapter's own ``MetaData`` by :func:`contact_group_tables`, created with its other tables):
``{prefix}_contact_groups`` (``tenant_id``, ``group_id``, ``name``, ``status``, ``updated_utc``) and
``{prefix}_contact_group_members`` (``tenant_id``, ``group_id``, ``contact_id``, ``added``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Index, Integer, MetaData, String, Table, delete, insert, select, update

from adapters.base import DatabaseHandle
from gateway.xero.models.catalogue import ContactGroup

from . import fields

MAX_GROUPS = 100
STATUSES = ("ACTIVE", "DELETED")
#: (seen) spec example of createContactGroup.
LIMIT = "You’ve reached the limit of 100 contact groups."
#: (unconfirmed) spec ContactGroup.Name: "Required when creating a new contact group"; the native ledger's wording.
NAME_REQUIRED = "The contact group Name must be specified."
#: (unconfirmed) the native ledger's wording.
NAME_UNIQUE = "A contact group with this name already exists."
#: (unconfirmed) spec ContactGroup.Status enum; the native ledger's wording.
STATUS_INVALID = "Status must be ACTIVE or DELETED."
#: (unconfirmed) the native ledger's wording.
CONTACTS_REQUIRED = "At least one Contact must be specified."
#: (unconfirmed) the native ledger's wording.
NOT_MEMBER = "The contact is not a member of this contact group."


@dataclass(frozen=True)
class Group:
    """One kept group."""

    group_id: str
    name: str
    status: str


@dataclass(frozen=True)
class GroupTables:
    groups: Table
    members: Table


def contact_group_tables(metadata: MetaData, prefix: str) -> GroupTables:
    """Declare the two tables (module docstring) on an adapter's ``metadata``."""
    groups = Table(
        f"{prefix}_contact_groups", metadata,
        Column("tenant_id", String(36), primary_key=True),
        Column("group_id", String(36), primary_key=True),
        Column("name", String(255), nullable=False),
        Column("status", String(16), nullable=False),
        Column("updated_utc", DateTime, nullable=False),
    )
    members = Table(
        f"{prefix}_contact_group_members", metadata,
        Column("tenant_id", String(36), primary_key=True),
        Column("group_id", String(36), primary_key=True),
        Column("contact_id", String(36), primary_key=True),
        Column("added", Integer, nullable=False),
        Index(f"ix_{prefix}_contact_group_members_contact", "tenant_id", "contact_id"),
    )
    return GroupTables(groups, members)


class InvalidGroup(ValueError):
    """A write the rules refuse; ``messages`` are Xero's validation messages."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class ContactGroupStore:
    """The kept groups of every tenant of one adapter.

    Args:
        db: the gateway's database.
        tables: the adapter's tables (:func:`contact_group_tables`).
    """

    def __init__(self, db: DatabaseHandle, tables: GroupTables) -> None:
        self.db = db
        self.t = tables

    async def active(self, tenant_id: str) -> list[Group]:
        """The tenant's ACTIVE groups, by name."""
        g = self.t.groups
        async with self.db.engine.connect() as conn:
            rows = (await conn.execute(select(g.c.group_id, g.c.name, g.c.status)
                                       .where(g.c.tenant_id == tenant_id, g.c.status == "ACTIVE")
                                       .order_by(g.c.name, g.c.group_id))).all()
        return [Group(r.group_id, r.name, r.status) for r in rows]

    async def get(self, tenant_id: str, group_id: str) -> Group | None:
        """An ACTIVE group by id (any GUID spelling), or ``None``."""
        key = _guid(group_id)
        return next((g for g in await self.active(tenant_id) if g.group_id == key), None)

    async def write(self, tenant_id: str, *, name: str | None, status: str | None,
                    group_id: str | None = None) -> Group:
        """Create (``group_id`` ``None``) or update a group; ``Status`` ``DELETED`` deletes it and its members.

        Args:
            name: the new name (``None``: required to create, kept on update).
            status: ``ACTIVE``/``DELETED`` (``None``: ``ACTIVE``).
            group_id: the group to update (it must be ACTIVE; check with :meth:`get` first).

        Raises:
            InvalidGroup: a missing or duplicate name, a bad status, or the 100-group limit.
        """
        current = await self.active(tenant_id)
        existing = next((g for g in current if g.group_id == _guid(group_id or "")), None)
        errors: list[str] = []
        name = (name or "").strip() or (existing.name if existing is not None else "")
        if not name:
            errors.append(NAME_REQUIRED)
        status = (status or "ACTIVE").upper()
        if status not in STATUSES:
            errors.append(STATUS_INVALID)
        if name and status == "ACTIVE" and any(
                g.name.strip().lower() == name.lower() and (existing is None or g.group_id != existing.group_id)
                for g in current):
            errors.append(NAME_UNIQUE)
        if existing is None and len(current) >= MAX_GROUPS:
            errors.append(LIMIT)
        if errors:
            raise InvalidGroup(errors)
        g, m = self.t.groups, self.t.members
        async with self.db.engine.begin() as conn:
            if existing is None:
                key = str(uuid.uuid4())
                await conn.execute(insert(g).values(tenant_id=tenant_id, group_id=key, name=name, status=status,
                                                    updated_utc=_now()))
            else:
                key = existing.group_id
                await conn.execute(update(g).where(g.c.tenant_id == tenant_id, g.c.group_id == key)
                                   .values(name=name, status=status, updated_utc=_now()))
            if status == "DELETED":
                await conn.execute(delete(m).where(m.c.tenant_id == tenant_id, m.c.group_id == key))
        return Group(key, name, status)

    async def members(self, tenant_id: str, group_id: str) -> list[str]:
        """The ``ContactID`` s of a group, in the order they were added."""
        m = self.t.members
        async with self.db.engine.connect() as conn:
            rows = (await conn.execute(select(m.c.contact_id)
                                       .where(m.c.tenant_id == tenant_id, m.c.group_id == _guid(group_id))
                                       .order_by(m.c.added, m.c.contact_id))).all()
        return [r.contact_id for r in rows]

    async def add(self, tenant_id: str, group_id: str, contact_ids: list[str]) -> None:
        """Add contacts (already members stay members)."""
        key = _guid(group_id)
        have = set(await self.members(tenant_id, key))
        fresh = [c for c in dict.fromkeys(_guid(c) for c in contact_ids) if c not in have]
        if not fresh:
            return
        m, stamp = self.t.members, int(_now().timestamp() * 1_000_000)
        async with self.db.engine.begin() as conn:
            await conn.execute(insert(m), [{"tenant_id": tenant_id, "group_id": key, "contact_id": c,
                                            "added": stamp + i} for i, c in enumerate(fresh)])

    async def remove(self, tenant_id: str, group_id: str, contact_id: str | None = None) -> None:
        """Remove every member, or one.

        Raises:
            InvalidGroup: ``contact_id`` is not a member.
        """
        key, m = _guid(group_id), self.t.members
        query = delete(m).where(m.c.tenant_id == tenant_id, m.c.group_id == key)
        if contact_id is not None:
            if _guid(contact_id) not in await self.members(tenant_id, key):
                raise InvalidGroup([NOT_MEMBER])
            query = query.where(m.c.contact_id == _guid(contact_id))
        async with self.db.engine.begin() as conn:
            await conn.execute(query)


def _guid(value: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return str(value).strip().lower()


def field_map(*, groups: str, members: str, contact_name: str) -> fields.FieldMap:
    """The fidelity declaration of gateway-kept ContactGroups (:mod:`adapters.common.fields`): every field is kept
    in the gateway's own tables, none comes from the source.

    Args:
        groups: the adapter's group table (``qbo_contact_groups``). members: its membership table.
        contact_name: the source field a member's ``Name`` is read from (``Customer/Vendor.DisplayName``).
    """
    return fields.FieldMap(
        "ContactGroups", ContactGroup,
        fields.kept("ContactGroupID", f"{groups} (a uuid4 per group)"),
        fields.kept("Name", groups),
        fields.kept("Status", groups),
        fields.kept("Contacts", f"{members} (ContactID); Name from {contact_name}",
                    condition="single reads (empty in lists)"),
    )
