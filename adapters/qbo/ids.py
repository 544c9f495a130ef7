"""Stable Xero GUIDs for QBO records, and the persisted reverse map (over :mod:`adapters.common.ids`).

Every Xero id the adapter hands out is ``uuid5(NAMESPACE, "{realmId}/{Entity}/{Id}[/{part}]")``
(:func:`stable_guid`). ``part`` names a piece of a record that Xero shows as an object of its own (a QBO Payment
line linking one invoice is one Xero Payment: part ``"Invoice:45"``; a document line: ``"Line:3"``). The reverse map
is the table ``qbo_ids`` (:mod:`adapters.qbo.tables`).

Aliases: a Xero contact can be both customer and supplier, while QBO keeps Customer and Vendor apart
(upstream-contracts.md §4 hard case 1). When the gateway creates the missing counterpart of a contact (a Vendor for
a customer that receives a bill, or the reverse), the new record is registered as an *alias* of the original
ContactID: its rows carry ``alias = true`` and its forward id is the original's GUID (:meth:`IdStore.forward`), so the
contact keeps one ContactID. Aliases are few: a Xero call reads its realm's aliases at its start (:meth:`IdStore.load`:
one indexed query on the gateway's own database, no upstream call) unless this process read them less than
:data:`ALIAS_FRESHNESS` seconds ago, so that a warm read costs no database statement (issue 10) while a counterpart
created by another gateway process is seen by all within that second (the issue's bound for changes made elsewhere;
one made in this process is seen at once, :meth:`IdStore.add_alias`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cachetools import TTLCache
from sqlalchemy import select

from adapters.base import DatabaseHandle
from adapters.common import ids as common_ids
from adapters.common.ids import StableIds

from .tables import QBO_ID_COLUMNS, QBO_IDS

#: Namespace of the adapter's GUIDs (a fixed random UUID; changing it would change every id ever handed out).
NAMESPACE = uuid.UUID("6f1d7c3e-2b8a-5e4f-9a1c-0d3b7e5f8a21")
#: Seconds a realm's aliases read from the database serve this process's calls without reading them again.
ALIAS_FRESHNESS = 1.0
#: Realms whose freshness this process tracks at once.
FRESH_REALMS = 100_000


def stable_guid(realm_id: str, entity: str, qbo_id: str, part: str = "") -> str:
    """The Xero GUID of a QBO record (or of a ``part`` of it): lower-case, hyphenated.

    Args:
        realm_id: the company (``realmId``).
        entity: QBO's entity name (``Invoice``, ``Customer``…), or a gateway-defined key (``TrackingCategory``).
        qbo_id: the record's ``Id``.
        part: a piece of the record shown by Xero as its own object (see the module docstring).
    """
    return common_ids.stable_guid(NAMESPACE, realm_id, entity, qbo_id, part)


@dataclass(frozen=True)
class QboRef:
    """A QBO record (or part) behind a Xero GUID."""

    entity: str
    qbo_id: str
    part: str = ""
    alias: bool = False


class IdStore(StableIds):
    """Forward ids (pure, plus aliases), and the persisted reverse map ``qbo_ids``.

    Args:
        db: the gateway's database (the adapter creates ``qbo_ids`` at start-up, :meth:`ensure_table`).
    """

    def __init__(self, db: DatabaseHandle, *, freshness: float = ALIAS_FRESHNESS,
                 timer: Callable[[], float] = time.monotonic) -> None:
        super().__init__(db, table=QBO_IDS, columns=QBO_ID_COLUMNS, namespace=NAMESPACE)
        self._aliases: dict[str, dict[tuple[str, str], str]] = {}
        # Bumped whenever a realm's aliases change, so that a cache of translated records never serves a ContactID
        # computed before (:meth:`alias_version`, :mod:`adapters.qbo.translated`).
        self._alias_versions: dict[str, int] = {}
        # Realms whose aliases were read less than ``freshness`` seconds ago (the mark expires, the aliases stay).
        self._fresh: TTLCache[str, bool] = TTLCache(FRESH_REALMS, freshness, timer=timer)

    def make_ref(self, row: Mapping[str, Any]) -> QboRef:
        return QboRef(row["entity"], row["qbo_id"], row["part"], bool(row["alias"]))

    # Forward --------------------------------------------------------------------------------------------------------

    async def load(self, tenant_key: str) -> None:
        """At the start of a Xero call (:mod:`adapters.common.unit`): read the realm's aliases unless this process
        read them less than :data:`ALIAS_FRESHNESS` seconds ago."""
        if tenant_key not in self._fresh:
            await self.load_aliases(tenant_key)

    async def load_aliases(self, realm_id: str) -> dict[tuple[str, str], str]:
        """Read the realm's aliases ``(entity, qbo_id) → GUID`` from the database (:meth:`load` does at most once
        per :data:`ALIAS_FRESHNESS` seconds, so that all processes agree within that time)."""
        t = self.table
        async with self.db.engine.connect() as conn:
            rows = (await conn.execute(select(t.c.entity, t.c.qbo_id, t.c.guid).where(
                t.c.realm_id == realm_id, t.c.alias.is_(True)))).all()
        known = {(entity, qbo_id): guid for entity, qbo_id, guid in rows}
        if self._aliases.get(realm_id) != known:
            self._alias_versions[realm_id] = self._alias_versions.get(realm_id, 0) + 1
        self._aliases[realm_id] = known
        self._fresh[realm_id] = True
        return known

    def forward(self, realm_id: str, entity: str, qbo_id: str, part: str = "") -> str:
        """The GUID of a record: its alias when it has one (loaded by :meth:`load`), else :func:`stable_guid`."""
        if not part:
            alias = self._aliases.get(realm_id, {}).get((entity, qbo_id))
            if alias:
                return alias
        return stable_guid(realm_id, entity, qbo_id, part)

    def alias_version(self, realm_id: str) -> int:
        """A number that changes whenever the realm's aliases (hence some forward GUIDs) change in this process."""
        return self._alias_versions.get(realm_id, 0)

    def has_aliases(self, realm_id: str, entity: str | None = None) -> bool:
        """Whether the realm has aliases (of ``entity``), as loaded."""
        return any(entity is None or e == entity for e, _ in self._aliases.get(realm_id, {}))

    def aliased(self, realm_id: str, entity: str) -> dict[str, str]:
        """``qbo_id → GUID`` of the realm's aliases of ``entity``."""
        return {i: g for (e, i), g in self._aliases.get(realm_id, {}).items() if e == entity}

    async def add_alias(self, realm_id: str, *, guid: str, entity: str, qbo_id: str) -> None:
        """Register ``entity``/``qbo_id`` (a counterpart the gateway created) as ``guid``'s alias."""
        row = {"realm_id": realm_id, "entity": entity, "qbo_id": qbo_id, "part": "", "guid": guid, "alias": True}
        async with self.db.engine.begin() as conn:
            await conn.execute(self.insert([row], replace=("guid", "alias")))
        self._aliases.setdefault(realm_id, {})[(entity, qbo_id)] = guid
        self._alias_versions[realm_id] = self._alias_versions.get(realm_id, 0) + 1
        self.forget_resolved(realm_id, guid)
        self.mark_recorded(realm_id, entity, qbo_id)

    async def resolve(self, realm_id: str, guid: str) -> tuple[QboRef, ...]:
        """The QBO records behind ``guid`` in ``realm_id`` (several for a contact with an alias); empty when the
        adapter never answered with it.

        Args:
            guid: any GUID spelling (hyphens optional, any case).
        """
        return await super().resolve(realm_id, guid)
