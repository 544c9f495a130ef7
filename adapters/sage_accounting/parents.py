"""The Sage record behind the parent of a Xero History or Attachments call (``mappings/sage_parents.toml``).

A parent is named by its Xero GUID in the path (``/Invoices/{InvoiceID}/History``); the GUID map
(:mod:`adapters.sage_accounting.ids`) says which Sage record (or part of one: a Payment is one allocated artefact of a
contact payment) it is. The table says which Sage collections each Xero collection may name and the attachment
context type of each Sage collection.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict

import mappings
from gateway.xero.errors import NotFound

from .query import normalise_guid
from .unit import SageUnit


class ParentKind(BaseModel):
    """One ``[[parent]]`` row."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    xero: str
    id_param: str
    resources: tuple[str, ...]
    part: bool = False
    attachments: bool = False
    online: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParentTable:
    """The table, indexed by Xero collection; ``context_types``: Sage collection → attachment context type id."""

    kinds: dict[str, ParentKind]
    context_types: dict[str, str]

    def xero_collection(self, resource: str) -> str | None:
        """The Xero collection a Sage collection's records appear in (``other_payments`` → ``BankTransactions``)."""
        return next((k.xero for k in self.kinds.values() if resource in k.resources), None)


@cache
def parent_table() -> ParentTable:
    """Load and check ``mappings/sage_parents.toml`` (once per process).

    Raises:
        ValueError, pydantic.ValidationError: a malformed table (an attachment parent whose resource has no context
            type, or an online resource outside the parent's).
    """
    data = mappings.load("sage_parents")
    kinds = {row["xero"]: ParentKind.model_validate(row) for row in data["parent"]}
    contexts = dict(data["context_types"])
    for kind in kinds.values():
        if kind.attachments and not set(kind.resources) <= set(contexts):
            raise ValueError(f"sage_parents: {kind.xero} has a resource without an attachment context type")
        if not set(kind.online) <= set(kind.resources):
            raise ValueError(f"sage_parents: {kind.xero}: online resources must be among its resources")
    return ParentTable(kinds=kinds, context_types=contexts)


@dataclass(frozen=True)
class Parent:
    """The record a History/Attachments call is about.

    Attributes:
        xero: the Xero collection (``Invoices``).
        guid: its Xero GUID (lower-case, hyphenated).
        resource: the Sage collection (``sales_invoices``).
        sage_id: the Sage record id.
        record: the Sage record as read.
    """

    xero: str
    guid: str
    resource: str
    sage_id: str
    record: dict[str, Any]

    @property
    def context_type(self) -> str:
        """The attachment context type id of the record's collection."""
        return parent_table().context_types[self.resource]

    def moment(self, member: str) -> datetime | None:
        """``created_at``/``updated_at`` of the record as an aware UTC datetime (``None`` when absent or unreadable)."""
        value = self.record.get(member)
        if not isinstance(value, str) or not value:
            return None
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


async def find_parent(unit: SageUnit, xero: str, guid: str | None) -> Parent:
    """The Sage record behind ``guid`` of the Xero collection ``xero``, read from Sage.

    Raises:
        NotFound: not a GUID, not one this business handed out for ``xero``, or Sage no longer has the record.
    """
    kind = parent_table().kinds[xero]
    key = normalise_guid(guid or "")
    if not key:
        raise NotFound()
    for ref in await unit.resolve(key):
        if ref.resource in kind.resources and (kind.part or not ref.part):
            record = await unit.read(ref.resource, ref.sage_id)
            return Parent(xero=xero, guid=key, resource=ref.resource, sage_id=ref.sage_id, record=record)
    raise NotFound()


async def has_attachments(unit: SageUnit, resource: str, sage_id: str) -> bool:
    """Whether Sage holds a file on the record (``GET /attachments`` on its context, one call); ``False`` for a
    collection Sage attaches nothing to.

    Sage's records carry no attachment flag (swagger ``SalesInvoice``… have no such member; the lists' own
    ``has_attachments`` parameter only filters), so Xero's ``HasAttachments`` is read this way on single reads.
    """
    context = parent_table().context_types.get(resource)
    if context is None:
        return False
    rows = await unit.list_all("/attachments", {"attachment_context_type_id": context,
                                                "attachment_context_id": sage_id}, max_pages=1)
    return bool(rows)
