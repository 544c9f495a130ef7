"""Stable Xero GUIDs for Sage records, and the persisted reverse map.

Sage ids are 32 hexadecimal characters, unique per business and resource (upstream-contracts.md §2); some
reference ids are readable codes (``GB_STANDARD``). Every Xero id the adapter hands out is
``uuid5(NAMESPACE, "{business_id}/{resource}/{sage_id}[/{part}]")`` (:func:`stable_guid`): the same Sage record always
gets the same GUID, in every gateway process and after restarts, without storing anything. ``part`` names a piece of
a record that Xero shows as an object of its own: a document line (``"line:{line id}"``), one allocated artefact of
a contact payment (a Xero Payment pays one document: ``"artefact:{artefact id}"``).

A GUID cannot be inverted, so the reverse map is persisted in the gateway's database (table ``sage_ids``,
:class:`adapters.sage_accounting.models.SageIdRow`): every GUID the adapter answers with is recorded (once per
process, one ``INSERT … ON CONFLICT DO NOTHING`` per Xero call), and :meth:`IdStore.resolve` finds the Sage record
behind a GUID a client sends back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from cachetools import LRUCache
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from gateway.store.db import Database

from .models import SageIdRow, SageWriteRow

#: Namespace of the adapter's GUIDs (a fixed random UUID; changing it would change every id ever handed out).
NAMESPACE = uuid.UUID("9d2f4a61-7c3b-5e08-b1d4-6a8e0f2c7b95")
#: GUIDs a process remembers as recorded / resolved.
MEMORY_SIZE = 200_000
#: Rows per INSERT statement (5 bound values each: well under SQLite's variable limit).
INSERT_CHUNK = 500


def stable_guid(business_id: str, resource: str, sage_id: str, part: str = "") -> str:
    """The Xero GUID of a Sage record (or of a ``part`` of it): lower-case, hyphenated.

    Args:
        business_id: the Sage business (the tenant key).
        resource: the Sage collection (``sales_invoices``, ``contacts``…).
        sage_id: the record's ``id``.
        part: a piece of the record shown by Xero as its own object (module docstring).
    """
    key = f"{business_id}/{resource}/{sage_id}" + (f"/{part}" if part else "")
    return str(uuid.uuid5(NAMESPACE, key))


@dataclass(frozen=True)
class SageRef:
    """A Sage record (or part) behind a Xero GUID."""

    resource: str
    sage_id: str
    part: str = ""


class IdStore:
    """Forward ids (pure) and the persisted reverse map.

    Args:
        db: the gateway's database.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._recorded: LRUCache[tuple[str, str, str, str], bool] = LRUCache(MEMORY_SIZE)
        self._resolved: LRUCache[tuple[str, str], tuple[SageRef, ...]] = LRUCache(MEMORY_SIZE)

    async def ensure_tables(self) -> None:
        """Create ``sage_ids`` and ``sage_writes`` when missing."""
        async with self.db.engine.begin() as conn:
            for table in (SageIdRow.__table__, SageWriteRow.__table__):
                await conn.run_sync(lambda sync, t=table: t.create(sync, checkfirst=True))

    async def record(self, business_id: str, refs: Iterable[tuple[str, str, str, str]]) -> int:
        """Persist ``(guid, resource, sage_id, part)`` rows not recorded yet (one statement per chunk; none when all
        are known to this process).

        Returns:
            How many rows were new to this process.
        """
        fresh: dict[tuple[str, str, str], dict[str, str]] = {}
        for guid, resource, sage_id, part in refs:
            key = (business_id, resource, sage_id, part)
            if key in self._recorded:
                continue
            self._recorded[key] = True
            fresh[(resource, sage_id, part)] = {"business_id": business_id, "resource": resource, "sage_id": sage_id,
                                                "part": part, "guid": guid}
        if not fresh:
            return 0
        rows = list(fresh.values())
        insert = pg_insert if self.db.engine.dialect.name == "postgresql" else sqlite_insert
        async with self.db.session() as s, s.begin():
            for start in range(0, len(rows), INSERT_CHUNK):
                await s.execute(insert(SageIdRow).values(rows[start:start + INSERT_CHUNK]).on_conflict_do_nothing())
        return len(rows)

    async def resolve(self, business_id: str, guid: str) -> tuple[SageRef, ...]:
        """The Sage records behind ``guid`` in ``business_id``; empty when the adapter never answered with it.

        Args:
            guid: any GUID spelling (hyphens optional, any case).
        """
        try:
            key = str(uuid.UUID(str(guid)))
        except ValueError:
            return ()
        cached = self._resolved.get((business_id, key))
        if cached is not None:
            return cached
        async with self.db.session() as s:
            rows = (await s.scalars(select(SageIdRow).where(SageIdRow.business_id == business_id,
                                                            SageIdRow.guid == key))).all()
        refs = tuple(SageRef(r.resource, r.sage_id, r.part) for r in rows)
        if refs:
            self._resolved[(business_id, key)] = refs
        return refs
