"""Stable Xero GUIDs for upstream records, and the persisted reverse map.

Every Xero id an upstream adapter hands out is ``uuid5(namespace, "{tenant key}/{kind}/{upstream id}[/{part}]")``
(:func:`stable_guid`): the same upstream record always gets the same GUID, in every gateway process and after
restarts, without storing anything. The value is memoised (a bounded LRU, :data:`GUID_MEMO_SIZE`): a list page hands
out the same few hundred GUIDs on every call, and hashing them again cost a tenth of the call (issue 10's profile).
``part`` names a piece of a record that Xero shows as an object of its own (a
document line, one allocation of a payment). Each adapter has its own namespace, a fixed random UUID: changing it
would change every id ever handed out.

A GUID cannot be inverted, so :class:`StableIds` persists the reverse map in a table of the adapter's own
(:func:`ids_table`, on the adapter's own ``MetaData``): every GUID a Xero call answered with is recorded at the end
of the call in one batched ``INSERT … ON CONFLICT DO NOTHING`` (none when the process already recorded them all:
an LRU remembers), and :meth:`StableIds.resolve` finds the record behind a GUID a client sends back (LRU-cached).

Column names are the upstream's own (QBO ``realm_id``/``entity``/``qbo_id``, Sage
``business_id``/``resource``/``sage_id``): the table says which through :class:`IdColumns`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cachetools import LRUCache
from sqlalchemy import Boolean, Column, Index, MetaData, String, Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from adapters.base import DatabaseHandle
from gateway.xero.guids import normalise_guid

#: How many GUIDs a process remembers as already recorded / resolved.
MEMORY_SIZE = 200_000
#: How many forward GUIDs a process keeps computed (about 200 bytes each).
GUID_MEMO_SIZE = 100_000
#: Rows per INSERT statement (at most 6 bound values each: well under SQLite's variable limit).
INSERT_CHUNK = 500

#: ``(guid, kind, upstream id, part)``: one GUID handed out.
Emitted = tuple[str, str, str, str]


@lru_cache(maxsize=GUID_MEMO_SIZE)
def stable_guid(namespace: uuid.UUID, tenant_key: str, kind: str, upstream_id: str, part: str = "") -> str:
    """The Xero GUID of an upstream record (or of a ``part`` of it): lower-case, hyphenated; memoised.

    Args:
        namespace: the adapter's namespace.
        tenant_key: the tenant at the source (QBO ``realmId``, Sage business id).
        kind: the upstream's record kind (QBO entity, Sage resource) or a gateway-defined key.
        upstream_id: the record's id at the source.
        part: a piece of the record shown by Xero as its own object.
    """
    key = f"{tenant_key}/{kind}/{upstream_id}" + (f"/{part}" if part else "")
    return str(uuid.uuid5(namespace, key))


@dataclass(frozen=True)
class IdColumns:
    """The upstream's names of the reverse map's key columns.

    Attributes:
        tenant: the tenant key column (``realm_id``).
        kind: the record kind column (``entity``).
        upstream_id: the record id column (``qbo_id``).
    """

    tenant: str
    kind: str
    upstream_id: str


def ids_table(metadata: MetaData, name: str, columns: IdColumns, *, tenant_length: int = 64, kind_length: int = 40,
              part_length: int = 120, alias: bool = False, guid_index: tuple[str, ...] = ("guid",)) -> Table:
    """Declare a reverse-map table on the adapter's ``metadata``.

    Args:
        name: the table name (``qbo_ids``).
        columns: the key columns' names.
        tenant_length, kind_length, part_length: column sizes.
        alias: add the boolean ``alias`` column (QBO's contact counterparts).
        guid_index: the columns of the GUID look-up index (column names; ``"tenant"`` stands for ``columns.tenant``).

    Returns:
        The table: primary key ``(tenant, kind, upstream_id, part)``, plus ``guid`` (and ``alias``).
    """
    cols = [
        Column(columns.tenant, String(tenant_length), primary_key=True),
        Column(columns.kind, String(kind_length), primary_key=True),
        Column(columns.upstream_id, String(64), primary_key=True),
        Column("part", String(part_length), primary_key=True, default=""),
        Column("guid", String(36), nullable=False),
    ]
    if alias:
        cols.append(Column("alias", Boolean, nullable=False, default=False))
    index_cols = [columns.tenant if c == "tenant" else c for c in guid_index]
    extra: list[Any] = [Index(f"ix_{name}_guid", *index_cols)]
    if alias:
        extra.append(Index(f"ix_{name}_alias", columns.tenant, "alias"))
    return Table(name, metadata, *cols, *extra)


class StableIds:
    """Forward GUIDs (pure) and the persisted reverse map of one adapter.

    Args:
        db: the gateway's database.
        table: from :func:`ids_table`.
        columns: its key columns' names.
        namespace: the adapter's GUID namespace.
    """

    def __init__(self, db: DatabaseHandle, *, table: Table, columns: IdColumns, namespace: uuid.UUID) -> None:
        self.db = db
        self.table = table
        self.columns = columns
        self.namespace = namespace
        self._recorded: LRUCache[tuple[str, str, str, str], bool] = LRUCache(MEMORY_SIZE)
        self._resolved: LRUCache[tuple[str, str], tuple[Any, ...]] = LRUCache(MEMORY_SIZE)

    async def ensure_table(self) -> None:
        """Create the table (and its indexes) when missing; the adapter calls it at start-up."""
        async with self.db.engine.begin() as conn:
            await conn.run_sync(lambda sync: self.table.create(sync, checkfirst=True))

    async def load(self, tenant_key: str) -> None:
        """Load what a Xero call needs of the map before its first forward id (default: nothing)."""

    def guid(self, tenant_key: str, kind: str, upstream_id: str, part: str = "") -> str:
        """:func:`stable_guid` in this adapter's namespace."""
        return stable_guid(self.namespace, tenant_key, kind, upstream_id, part)

    # Reverse ------------------------------------------------------------------------------------------------------

    def _row(self, tenant_key: str, guid: str, kind: str, upstream_id: str, part: str) -> dict[str, Any]:
        row = {self.columns.tenant: tenant_key, self.columns.kind: kind, self.columns.upstream_id: upstream_id,
               "part": part, "guid": guid}
        if "alias" in self.table.c:
            row["alias"] = False
        return row

    async def record(self, tenant_key: str, refs: Iterable[Emitted]) -> int:
        """Persist ``(guid, kind, upstream_id, part)`` rows not recorded yet by this process, in one batched write.

        Returns:
            How many rows were new to this process.
        """
        fresh: dict[tuple[str, str, str], dict[str, Any]] = {}
        for guid, kind, upstream_id, part in refs:
            key = (tenant_key, kind, upstream_id, part)
            if key in self._recorded:
                continue
            self._recorded[key] = True
            fresh[(kind, upstream_id, part)] = self._row(tenant_key, guid, kind, upstream_id, part)
        if not fresh:
            return 0
        rows = list(fresh.values())
        async with self.db.engine.begin() as conn:  # Core: a Session would add only its own bookkeeping
            for start in range(0, len(rows), INSERT_CHUNK):
                await conn.execute(self.insert(rows[start:start + INSERT_CHUNK]))
        return len(rows)

    async def resolve(self, tenant_key: str, guid: str) -> tuple[Any, ...]:
        """The upstream records behind ``guid`` in ``tenant_key`` (:meth:`make_ref` of each row); empty when the
        adapter never answered with it.

        Args:
            guid: any GUID spelling (hyphens optional, any case).
        """
        key = normalise_guid(guid)
        if key is None:
            return ()
        cached = self._resolved.get((tenant_key, key))
        if cached is not None:
            return cached
        t = self.table
        async with self.db.engine.connect() as conn:
            rows = (await conn.execute(select(t).where(t.c.guid == key,
                                                       t.c[self.columns.tenant] == tenant_key))).mappings().all()
        refs = tuple(self.make_ref(row) for row in rows)
        if refs:
            self._resolved[(tenant_key, key)] = refs
        return refs

    def make_ref(self, row: Mapping[str, Any]) -> Any:
        """The adapter's reference object for one row (default: ``(kind, upstream_id, part)``)."""
        return (row[self.columns.kind], row[self.columns.upstream_id], row["part"])

    def forget_resolved(self, tenant_key: str, guid: str) -> None:
        """Drop a cached resolution (after the map changed for ``guid``)."""
        self._resolved.pop((tenant_key, guid), None)

    def mark_recorded(self, tenant_key: str, kind: str, upstream_id: str, part: str = "") -> None:
        """Remember a row as persisted (written by another statement)."""
        self._recorded[(tenant_key, kind, upstream_id, part)] = True

    def insert(self, rows: list[dict[str, Any]], *, replace: Iterable[str] = ()):
        """``INSERT … ON CONFLICT DO NOTHING`` on this table (``replace``: ``DO UPDATE`` those columns)."""
        insert = pg_insert if self.db.engine.dialect.name == "postgresql" else sqlite_insert
        statement = insert(self.table).values(rows)
        updated = list(replace)
        if updated:
            return statement.on_conflict_do_update(
                index_elements=[self.columns.tenant, self.columns.kind, self.columns.upstream_id, "part"],
                set_={name: statement.excluded[name] for name in updated})
        return statement.on_conflict_do_nothing()
