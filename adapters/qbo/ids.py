"""Stable Xero GUIDs for QBO records, and the persisted reverse map.

Every Xero id the adapter hands out is ``uuid5(NAMESPACE, "{realmId}/{Entity}/{Id}[/{part}]")``: the same QBO record
always gets the same GUID, in every gateway process and after restarts, without storing anything
(:func:`stable_guid`). ``part`` names a piece of a record that Xero shows as an object of its own (a QBO Payment
line linking one invoice is one Xero Payment: part ``"Invoice:45"``; a document line: ``"Line:3"``).

A GUID cannot be inverted, so the reverse map is persisted in the gateway's database (:class:`QboIdRow`, table
``qbo_ids`` on :class:`gateway.store.db.Base`): every GUID the adapter answers with is recorded (once per process, in
one statement per Xero call, ``INSERT … ON CONFLICT DO NOTHING``), and :meth:`IdStore.resolve` finds the QBO record
behind a GUID a client sends back.

Aliases: a Xero contact can be both customer and supplier, while QBO keeps Customer and Vendor apart
(upstream-contracts.md §4 hard case 1). When the gateway creates the missing counterpart of a contact (a Vendor for
a customer that receives a bill, or the reverse), the new record is registered as an *alias* of the original
ContactID: its rows carry ``alias = true`` and its forward id is the original's GUID (:meth:`IdStore.forward`), so the
contact keeps one ContactID. Aliases are few: every Xero call reads its realm's aliases again (one indexed query on
the gateway's own database, no upstream call), so that a counterpart created by another gateway process is seen by
all at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from cachetools import LRUCache
from sqlalchemy import Boolean, Index, String, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from gateway.store.db import Base, Database

#: Namespace of the adapter's GUIDs (a fixed random UUID; changing it would change every id ever handed out).
NAMESPACE = uuid.UUID("6f1d7c3e-2b8a-5e4f-9a1c-0d3b7e5f8a21")
#: How many GUIDs a process remembers as already recorded / resolved.
MEMORY_SIZE = 200_000
#: Rows per INSERT statement (6 bound values each: well under SQLite's variable limit).
INSERT_CHUNK = 500


def stable_guid(realm_id: str, entity: str, qbo_id: str, part: str = "") -> str:
    """The Xero GUID of a QBO record (or of a ``part`` of it): lower-case, hyphenated.

    Args:
        realm_id: the company (``realmId``).
        entity: QBO's entity name (``Invoice``, ``Customer``…), or a gateway-defined key (``TrackingCategory``).
        qbo_id: the record's ``Id``.
        part: a piece of the record shown by Xero as its own object (see the module docstring).
    """
    key = f"{realm_id}/{entity}/{qbo_id}" + (f"/{part}" if part else "")
    return str(uuid.uuid5(NAMESPACE, key))


class QboIdRow(Base):
    """One GUID the adapter has answered with, and the QBO record behind it."""

    __tablename__ = "qbo_ids"
    __table_args__ = (Index("ix_qbo_ids_guid", "guid"), Index("ix_qbo_ids_alias", "realm_id", "alias"))

    realm_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    qbo_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    part: Mapped[str] = mapped_column(String(80), primary_key=True, default="")
    guid: Mapped[str] = mapped_column(String(36))
    alias: Mapped[bool] = mapped_column(Boolean, default=False)


@dataclass(frozen=True)
class QboRef:
    """A QBO record (or part) behind a Xero GUID."""

    entity: str
    qbo_id: str
    part: str = ""
    alias: bool = False


class IdStore:
    """Forward ids (pure, plus aliases), and the persisted reverse map.

    Args:
        db: the gateway's database (the ``qbo_ids`` table is created by ``Database.create_all`` and, idempotently,
            by :meth:`ensure_table`).
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._recorded: LRUCache[tuple[str, str, str, str], bool] = LRUCache(MEMORY_SIZE)
        self._resolved: LRUCache[tuple[str, str], tuple[QboRef, ...]] = LRUCache(MEMORY_SIZE)
        self._aliases: dict[str, dict[tuple[str, str], str]] = {}

    async def ensure_table(self) -> None:
        """Create ``qbo_ids`` if missing (a gateway database created before this adapter existed)."""
        async with self.db.engine.begin() as conn:
            await conn.run_sync(lambda sync: QboIdRow.__table__.create(sync, checkfirst=True))

    # Forward ------------------------------------------------------------------------------------------------

    async def load_aliases(self, realm_id: str) -> dict[tuple[str, str], str]:
        """Read the realm's aliases ``(entity, qbo_id) → GUID`` from the database (every Xero call does, so that all
        processes agree)."""
        async with self.db.session() as s:
            rows = (await s.execute(select(QboIdRow.entity, QboIdRow.qbo_id, QboIdRow.guid).where(
                QboIdRow.realm_id == realm_id, QboIdRow.alias.is_(True)))).all()
        known = {(entity, qbo_id): guid for entity, qbo_id, guid in rows}
        self._aliases[realm_id] = known
        return known

    def forward(self, realm_id: str, entity: str, qbo_id: str, part: str = "") -> str:
        """The GUID of a record: its alias when it has one (load them first with :meth:`load_aliases`), else
        :func:`stable_guid`."""
        if not part:
            alias = self._aliases.get(realm_id, {}).get((entity, qbo_id))
            if alias:
                return alias
        return stable_guid(realm_id, entity, qbo_id, part)

    def has_aliases(self, realm_id: str, entity: str | None = None) -> bool:
        """Whether the realm has aliases (of ``entity``), as loaded."""
        return any(entity is None or e == entity for e, _ in self._aliases.get(realm_id, {}))

    def aliased(self, realm_id: str, entity: str) -> dict[str, str]:
        """``qbo_id → GUID`` of the realm's aliases of ``entity``."""
        return {i: g for (e, i), g in self._aliases.get(realm_id, {}).items() if e == entity}

    # Reverse ------------------------------------------------------------------------------------------------

    async def record(self, realm_id: str, refs: Iterable[tuple[str, str, str, str]]) -> int:
        """Persist ``(guid, entity, qbo_id, part)`` rows not recorded yet (one statement; none when all known).

        Returns:
            How many rows were new to this process.
        """
        fresh = []
        for guid, entity, qbo_id, part in refs:
            key = (realm_id, entity, qbo_id, part)
            if key in self._recorded:
                continue
            self._recorded[key] = True
            fresh.append({"realm_id": realm_id, "entity": entity, "qbo_id": qbo_id, "part": part, "guid": guid,
                          "alias": False})
        if not fresh:
            return 0
        unique = list({(r["entity"], r["qbo_id"], r["part"]): r for r in fresh}.values())
        async with self.db.session() as s, s.begin():
            for start in range(0, len(unique), INSERT_CHUNK):
                await s.execute(self._insert(unique[start:start + INSERT_CHUNK]))
        return len(unique)

    async def add_alias(self, realm_id: str, *, guid: str, entity: str, qbo_id: str) -> None:
        """Register ``entity``/``qbo_id`` (a counterpart the gateway created) as ``guid``'s alias."""
        async with self.db.session() as s, s.begin():
            await s.execute(self._insert([{"realm_id": realm_id, "entity": entity, "qbo_id": qbo_id, "part": "",
                                            "guid": guid, "alias": True}], replace=True))
        self._aliases.setdefault(realm_id, {})[(entity, qbo_id)] = guid
        self._resolved.pop((realm_id, guid), None)
        self._recorded[(realm_id, entity, qbo_id, "")] = True

    async def resolve(self, realm_id: str, guid: str) -> tuple[QboRef, ...]:
        """The QBO records behind ``guid`` in ``realm_id`` (several for a contact with an alias); empty when the
        adapter never answered with it.

        Args:
            guid: any GUID spelling (hyphens optional, any case).
        """
        try:
            key = str(uuid.UUID(str(guid)))
        except ValueError:
            return ()
        cached = self._resolved.get((realm_id, key))
        if cached is not None:
            return cached
        async with self.db.session() as s:
            rows = (await s.scalars(select(QboIdRow).where(QboIdRow.guid == key,
                                                           QboIdRow.realm_id == realm_id))).all()
        refs = tuple(QboRef(r.entity, r.qbo_id, r.part, r.alias) for r in rows)
        if refs:
            self._resolved[(realm_id, key)] = refs
        return refs

    def _insert(self, rows: list[dict], *, replace: bool = False):
        """``INSERT … ON CONFLICT DO NOTHING`` (``replace``: ``DO UPDATE`` the GUID and alias flag)."""
        insert = pg_insert if self.db.engine.dialect.name == "postgresql" else sqlite_insert
        statement = insert(QboIdRow).values(rows)
        if replace:
            return statement.on_conflict_do_update(
                index_elements=["realm_id", "entity", "qbo_id", "part"],
                set_={"guid": statement.excluded.guid, "alias": statement.excluded.alias})
        return statement.on_conflict_do_nothing()
