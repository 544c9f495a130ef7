"""Reading and writing the replica (:mod:`.tables`): sync pages in, a company's rows out.

- :meth:`Replica.ingest` upserts one page of one table (the connector's ``POST /agent/v1/sync``) and marks deleted
  keys, bumping the company's generation in the same transaction: all of a page or nothing.
- :meth:`Replica.apply` does the same for the rows a finished write job returned (read-your-writes).
- :meth:`Replica.rows` returns every live row of a company by table and key; :meth:`Replica.generation` is the one
  cheap read that tells a cached view whether it is current.

Row keys are the key columns of ``mappings/sage50.toml [tables]`` joined with U+001F; values as the agent sent them
(dates and datetimes ISO strings, amounts decimal strings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .codes import codes
from .tables import Sage50Company, Sage50Row

#: Rows per INSERT statement (SQLite allows 32,766 bound parameters; a row binds 6).
CHUNK = 500


def key_part(value: Any) -> str:
    """One key column's value as text (``42``, ``42.0`` and ``"42"`` are the same key)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def row_key(table: str, row: Mapping[str, Any]) -> str:
    """The replica key of ``row`` of ``table``.

    Raises:
        ValueError: unknown table, or a key column missing or empty.
    """
    columns = codes().tables.get(table)
    if columns is None:
        raise ValueError(f"table {table} is not synced")
    parts = []
    for column in columns:
        value = row.get(column)
        if value is None or key_part(value) == "":
            raise ValueError(f"a {table} row has no {column}")
        parts.append(key_part(value))
    return "\x1f".join(parts)


def deleted_key(table: str, value: Any) -> str:
    """The replica key of a deleted key value (a list for composite keys)."""
    columns = codes().tables.get(table)
    if columns is None:
        raise ValueError(f"table {table} is not synced")
    values = value if isinstance(value, list | tuple) else [value]
    if len(values) != len(columns):
        raise ValueError(f"a deleted {table} key needs {len(columns)} values")
    return "\x1f".join(key_part(v) for v in values)


def _modified(row: Mapping[str, Any]) -> datetime | None:
    text = row.get("RECORD_MODIFY_DATE")
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


class Replica:
    """The replica tables on one engine.

    Args:
        engine: the gateway database's engine (SQLite or PostgreSQL), migrated: the gateway's migration tree
            creates the replica's tables (``gateway.migrations.trees.GATEWAY`` names :data:`.tables.metadata`).
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.session = async_sessionmaker(engine, expire_on_commit=False, class_=AsyncSession)
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    async def ingest(self, *, tenant_id: str, company_key: str, table: str, rows: Sequence[Mapping[str, Any]],
                     deleted: Sequence[Any], watermark: str | None, final: bool, now: datetime) -> int:
        """Upsert one page and mark its deleted keys; returns the rows stored.

        Raises:
            ValueError: unknown table or a row without its key (nothing stored).
        """
        values = [{"tenant_id": tenant_id, "table_name": table, "row_key": row_key(table, row), "data": dict(row),
                   "modified": _modified(row), "deleted": bool(row.get("RECORD_DELETED") or 0)} for row in rows]
        gone = [deleted_key(table, value) for value in deleted]
        async with self.session() as s, s.begin():
            await self._upsert(s, values)
            if gone:
                await s.execute(update(Sage50Row).where(
                    Sage50Row.tenant_id == tenant_id, Sage50Row.table_name == table,
                    Sage50Row.row_key.in_(gone)).values(deleted=True))
            company = await s.get(Sage50Company, tenant_id, with_for_update=True)
            if company is None:
                company = Sage50Company(tenant_id=tenant_id, company_key=company_key, generation=0, watermarks={})
                s.add(company)
            company.generation = (company.generation or 0) + 1
            if final:
                company.watermarks = {**(company.watermarks or {}), table: watermark}
                company.last_sync_at = now.replace(tzinfo=None)
        return len(values)

    async def apply(self, *, tenant_id: str, company_key: str, rows: Mapping[str, Sequence[Mapping[str, Any]]],
                    now: datetime) -> None:
        """Upsert the rows a write job returned, every table in one transaction."""
        values = [{"tenant_id": tenant_id, "table_name": table, "row_key": row_key(table, row), "data": dict(row),
                   "modified": _modified(row), "deleted": False}
                  for table, table_rows in rows.items() for row in table_rows]
        async with self.session() as s, s.begin():
            await self._upsert(s, values)
            company = await s.get(Sage50Company, tenant_id, with_for_update=True)
            if company is None:
                s.add(Sage50Company(tenant_id=tenant_id, company_key=company_key, generation=1, watermarks={}))
            else:
                company.generation = (company.generation or 0) + 1

    async def _upsert(self, s: AsyncSession, values: list[dict[str, Any]]) -> None:
        for start in range(0, len(values), CHUNK):
            chunk = values[start:start + CHUNK]
            stmt = self._insert(Sage50Row).values(chunk)
            stmt = stmt.on_conflict_do_update(
                index_elements=["tenant_id", "table_name", "row_key"],
                set_={"data": stmt.excluded.data, "modified": stmt.excluded.modified,
                      "deleted": stmt.excluded.deleted})
            await s.execute(stmt)

    async def generation(self, tenant_id: str) -> int:
        """The company's generation (``0`` before its first sync page)."""
        async with self.session() as s:
            value = await s.scalar(select(Sage50Company.generation).where(Sage50Company.tenant_id == tenant_id))
        return int(value or 0)

    async def company(self, tenant_id: str) -> Sage50Company | None:
        async with self.session() as s:
            return await s.get(Sage50Company, tenant_id)

    async def rows(self, tenant_id: str, tables: Iterable[str] | None = None) -> dict[str, dict[str, dict[str, Any]]]:
        """Every live row of the company: ``{table: {row_key: row}}``."""
        query = select(Sage50Row.table_name, Sage50Row.row_key, Sage50Row.data).where(
            Sage50Row.tenant_id == tenant_id, Sage50Row.deleted.is_(False))
        if tables is not None:
            query = query.where(Sage50Row.table_name.in_(list(tables)))
        out: dict[str, dict[str, dict[str, Any]]] = {}
        async with self.session() as s:
            for table, key, data in (await s.execute(query)).all():
                out.setdefault(table, {})[key] = data
        return out

    async def count(self, tenant_id: str) -> int:
        async with self.session() as s:
            return int(await s.scalar(select(func.count()).select_from(Sage50Row).where(
                Sage50Row.tenant_id == tenant_id)) or 0)
