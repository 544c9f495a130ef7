"""Gateway-kept contact groups, for upstream adapters whose source has none (QBO; any other upstream may use it).

Rules are Xero's (https://developer.xero.com/documentation/api/accounting/contactgroups; spec
``components.schemas.ContactGroup``), as the native ledger applies them:

- ``Name`` is required to create a group and unique among the tenant's active groups (case-insensitive); at most
  :data:`MAX_GROUPS` groups (spec example of ``createContactGroup``: "You’ve reached the limit of 100 contact
  groups.").
- ``Status`` is ``ACTIVE`` or ``DELETED``; a group set to DELETED is gone for every operation and its memberships are
  removed ("Only contact groups with a status of ACTIVE are returned on GETs").
- Members are Xero ``ContactID``s (the adapter checks that they exist upstream); adding a member twice keeps one.

Storage: two tables on the adapter's own ``MetaData`` (:func:`contact_group_tables`), scoped by Xero ``tenantId``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Column, Integer, MetaData, String, Table, and_, delete, func, insert, select, update

from adapters.base import DatabaseHandle
from gateway.xero.errors import NotFound, ValidationException

MAX_GROUPS = 100
STATUSES = ("ACTIVE", "DELETED")
NAME_REQUIRED = "The Name of a contact group is required."
NAME_TAKEN = "A contact group with the name '{name}' already exists."
LIMIT = "You’ve reached the limit of 100 contact groups."
STATUS_INVALID = "'{status}' is not a valid contact group Status: use ACTIVE or DELETED."
NOT_A_MEMBER = "The contact '{contact_id}' is not in this contact group."


@dataclass(frozen=True)
class Group:
    """One active contact group; ``members`` in the order they were added."""

    group_id: str
    name: str
    status: str
    members: tuple[str, ...] = ()


def contact_group_tables(metadata: MetaData, prefix: str) -> tuple[Table, Table]:
    """Declare ``{prefix}_contact_groups`` and ``{prefix}_contact_group_members`` on an adapter's ``metadata``."""
    groups = Table(
        f"{prefix}_contact_groups", metadata,
        Column("group_id", String(36), primary_key=True),
        Column("tenant_id", String(64), nullable=False, index=True),
        Column("name", String(255), nullable=False),
        Column("status", String(10), nullable=False),
    )
    members = Table(
        f"{prefix}_contact_group_members", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("group_id", String(36), nullable=False, index=True),
        Column("contact_id", String(36), nullable=False),
    )
    return groups, members


class ContactGroups:
    """The contact groups an adapter keeps (module docstring).

    Args:
        db: the gateway's database (the adapter creates the tables at start-up).
        tables: ``(groups, members)`` from :func:`contact_group_tables`.
    """

    def __init__(self, db: DatabaseHandle, tables: tuple[Table, Table]) -> None:
        self.db = db
        self.groups, self.members = tables

    async def list(self, tenant_id: str) -> list[Group]:
        """The tenant's active groups, by name (members not loaded)."""
        g = self.groups
        async with self.db.engine.connect() as conn:
            rows = (await conn.execute(select(g).where(g.c.tenant_id == tenant_id, g.c.status == "ACTIVE")
                                       .order_by(g.c.name, g.c.group_id))).all()
        return [Group(r.group_id, r.name, r.status) for r in rows]

    async def get(self, tenant_id: str, group_id: str) -> Group:
        """An active group with its members. Raises NotFound."""
        guid = _guid(group_id)
        g, m = self.groups, self.members
        async with self.db.engine.connect() as conn:
            row = (await conn.execute(select(g).where(g.c.tenant_id == tenant_id, g.c.group_id == guid,
                                                      g.c.status == "ACTIVE"))).first()
            if row is None:
                raise NotFound()
            members = (await conn.scalars(select(m.c.contact_id).where(m.c.group_id == guid).order_by(m.c.id))).all()
        return Group(row.group_id, row.name, row.status, tuple(members))

    async def create(self, tenant_id: str, element: dict[str, object]) -> Group:
        """A new group from a ``ContactGroup`` element. Raises ValidationException."""
        name = _name(element)
        async with self.db.engine.begin() as conn:
            g = self.groups
            active = (await conn.execute(select(func.count()).select_from(g).where(
                g.c.tenant_id == tenant_id, g.c.status == "ACTIVE"))).scalar_one()
            if active >= MAX_GROUPS:
                raise ValidationException.single(LIMIT, element)
            await self._unique(conn, tenant_id, name, None, element)
            group_id = str(uuid.uuid4())
            await conn.execute(insert(g).values(group_id=group_id, tenant_id=tenant_id, name=name, status="ACTIVE"))
        return Group(group_id, name, "ACTIVE")

    async def update(self, tenant_id: str, group_id: str, element: dict[str, object]) -> Group:
        """Rename a group, or delete it (``Status`` DELETED). Raises NotFound, ValidationException."""
        current = await self.get(tenant_id, group_id)
        status = str(element.get("Status") or current.status).upper()
        if status not in STATUSES:
            raise ValidationException.single(STATUS_INVALID.format(status=status), element)
        name = _name(element) if element.get("Name") is not None else current.name
        async with self.db.engine.begin() as conn:
            if status == "ACTIVE":
                await self._unique(conn, tenant_id, name, current.group_id, element)
            else:
                await conn.execute(delete(self.members).where(self.members.c.group_id == current.group_id))
            await conn.execute(update(self.groups).where(self.groups.c.group_id == current.group_id)
                               .values(name=name, status=status))
        return Group(current.group_id, name, status, current.members if status == "ACTIVE" else ())

    async def add(self, tenant_id: str, group_id: str, contact_ids: Iterable[str]) -> list[str]:
        """Add members (already members stay once); returns the ids asked for, in order. Raises NotFound."""
        current = await self.get(tenant_id, group_id)
        wanted = list(dict.fromkeys(_guid(c) for c in contact_ids))
        async with self.db.engine.begin() as conn:
            for contact_id in wanted:
                if contact_id not in current.members:
                    await conn.execute(insert(self.members).values(group_id=current.group_id, contact_id=contact_id))
        return wanted

    async def remove(self, tenant_id: str, group_id: str, contact_id: str | None = None) -> None:
        """Remove one member, or every member (``contact_id`` ``None``). Raises NotFound, ValidationException (the
        contact is not a member)."""
        current = await self.get(tenant_id, group_id)
        m = self.members
        condition = m.c.group_id == current.group_id
        if contact_id is not None:
            guid = _guid(contact_id)
            if guid not in current.members:
                raise ValidationException.single(NOT_A_MEMBER.format(contact_id=contact_id))
            condition = and_(condition, m.c.contact_id == guid)
        async with self.db.engine.begin() as conn:
            await conn.execute(delete(m).where(condition))

    async def _unique(self, conn: object, tenant_id: str, name: str, own_id: str | None,
                      element: dict[str, object]) -> None:
        g = self.groups
        rows = (await conn.execute(select(g.c.group_id, g.c.name).where(  # type: ignore[attr-defined]
            g.c.tenant_id == tenant_id, g.c.status == "ACTIVE"))).all()
        if any(r.name.lower() == name.lower() and r.group_id != own_id for r in rows):
            raise ValidationException.single(NAME_TAKEN.format(name=name), element)


def _name(element: dict[str, object]) -> str:
    name = str(element.get("Name") or "").strip()
    if not name:
        raise ValidationException.single(NAME_REQUIRED, element)
    return name[:255]


def _guid(value: str) -> str:
    """A GUID in canonical form. Raises NotFound for anything else (an unknown id)."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise NotFound() from None
