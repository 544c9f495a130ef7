"""Xero ``JournalNumber`` s kept by the gateway for a source whose general ledger has no journal numbers.

Xero numbers journals 1, 2, 3… per organisation, and a client pages the feed with ``offset`` (the last number it
saw; spec ``getJournals``), so a number must never change once handed out. The adapter names each of its journals
by a key of its own (Sage: ``"{transaction id}:post"``/``":reverse"``) and :meth:`JournalNumbers.assign` gives keys
never seen before the next numbers, in the order given (the adapter orders them by when they happened), keeping
every number handed out earlier.

Table (declared on the adapter's ``MetaData`` by :func:`journal_numbers_table`): ``tenant_id`` (the Xero tenant),
``journal_key``, ``number``; unique per tenant both ways.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, Integer, MetaData, String, Table, UniqueConstraint, func, insert, select

from adapters.base import DatabaseHandle


def journal_numbers_table(metadata: MetaData, name: str) -> Table:
    """Declare the numbers table on an adapter's ``metadata``."""
    return Table(
        name, metadata,
        Column("tenant_id", String(36), primary_key=True),
        Column("journal_key", String(160), primary_key=True),
        Column("number", Integer, nullable=False),
        UniqueConstraint("tenant_id", "number", name=f"uq_{name}_number"),
    )


class JournalNumbers:
    """The numbers handed out, per tenant.

    Args:
        db: the gateway's database.
        table: the adapter's table (:func:`journal_numbers_table`).
    """

    def __init__(self, db: DatabaseHandle, table: Table) -> None:
        self.db = db
        self.table = table

    async def assign(self, tenant_id: str, keys: Sequence[str]) -> dict[str, int]:
        """The number of every key of ``keys``; new keys get the next numbers in the order given.

        Two calls numbering the same new keys at once cannot both succeed (the unique constraints): the loser's
        transaction fails and the caller's request errs, never a duplicate number.
        """
        t = self.table
        async with self.db.engine.begin() as conn:
            rows = (await conn.execute(select(t.c.journal_key, t.c.number).where(t.c.tenant_id == tenant_id))).all()
            known = {r.journal_key: r.number for r in rows}
            fresh = [k for k in dict.fromkeys(keys) if k not in known]
            if fresh:
                top = (await conn.execute(select(func.max(t.c.number)).where(t.c.tenant_id == tenant_id))).scalar()
                start = int(top or 0)
                values = [{"tenant_id": tenant_id, "journal_key": k, "number": start + i + 1}
                          for i, k in enumerate(fresh)]
                await conn.execute(insert(t), values)
                known.update({v["journal_key"]: v["number"] for v in values})
        return {k: known[k] for k in keys}
