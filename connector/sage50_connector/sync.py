"""Incremental sync of one company: ODBC rows → ``POST /sync`` pages, in protocol order.

Rules (protocol v1; sage50.md §3 lessons 2–4 and §8):

- A table is read only when a cheap probe says it changed: ``MAX(RECORD_MODIFY_DATE)`` above the accepted watermark,
  a row stamped exactly at it that was not sent then (a change within the same second), ``MAX`` of its serial
  number above the accepted one (the audit trail's ``TRAN_NUMBER``…), or newer ``DELETED_RECORDS``.
- Changed rows are those stamped after the watermark (at it too when a row joined that second: over-fetching is the safe
  side, the gateway upserts), without a stamp, or numbered above the accepted serial.
- Pages are keyed on the primary key (``key > last key``), never an offset, and one page is in memory at a time.
- The watermark moves only after the gateway accepted the table's final page, to the largest stamp sent (never the
  time of the sync). A refused page stops the company's cycle: later tables depend on earlier ones (ledgers on
  nominal codes, transactions on ledgers), so they wait for the next cycle.
- Tables without stamps (``TAX_CODE``) are read whole and diffed by row hash; only changed rows are sent.

Known blind spot, by design of whole-second stamps: a row already stamped at the watermark's second and changed
again within that same second is picked up only with the table's next change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sage50_connector.errors import GatewayError, InvalidAgentError
from sage50_connector.protocol import SyncBatch
from sage50_connector.reader import ReadConnection, select
from sage50_connector.state import StateStore, Watermark
from sage50_connector.tables import SYNCED_TABLES, SyncedTable
from sage50_connector.wire import as_datetime

log = logging.getLogger(__name__)

RunBlocking = Callable[..., Awaitable[Any]]
PostBatch = Callable[[SyncBatch], Awaitable[int]]

STAMP = "RECORD_MODIFY_DATE"


@dataclass(frozen=True)
class Probe:
    """A table's change test.

    Attributes:
        changed: something is to be sent.
        inclusive: rows stamped exactly at the watermark's second are to be read again (their count changed).
        deleted: keys deleted since the last accepted deletion, sent with the final page.
        deleted_mark: the newest deletion time seen, and the ``FOREIGN_REF`` values recorded at exactly that time.
    """

    changed: bool
    inclusive: bool = False
    deleted: list[Any] = field(default_factory=list)
    deleted_mark: Any = None
    deleted_at_mark: frozenset[str] = frozenset()


def _key_condition(key: tuple[str, ...], after: tuple[Any, ...]) -> tuple[str, list[Any]]:
    """``key > after`` in portable SQL (no row-value comparison): ``(A > ? OR (A = ? AND B > ?))``."""
    clauses, params = [], []
    for i, column in enumerate(key):
        equal = [f"{c} = ?" for c in key[:i]]
        clauses.append("(" + " AND ".join([*equal, f"{column} > ?"]) + ")")
        params.extend([*after[:i], after[i]])
    return "(" + " OR ".join(clauses) + ")", params


class TableReader:
    """The SQL of the sync, run on the agent's Sage thread."""

    def __init__(self, reader: ReadConnection, *, page_size: int = 500) -> None:
        self.reader = reader
        self.page_size = page_size

    def _changed_filter(self, table: SyncedTable, mark: Watermark, *, synced: bool,
                        inclusive: bool) -> tuple[str, list[Any]]:
        if not synced:
            return "", []
        parts, params = [], []
        if mark.modified is not None:
            parts.append(f"{STAMP} >= ?" if inclusive else f"{STAMP} > ?")
            params.append(mark.modified)
        parts.append(f"{STAMP} IS NULL")
        if table.serial and mark.serial is not None:
            parts.append(f"{table.serial} > ?")
            params.append(mark.serial)
        return "(" + " OR ".join(parts) + ")", params

    def probe(self, table: SyncedTable, mark: Watermark, *, synced: bool) -> Probe:
        """Whether ``table`` changed since ``mark``, and which of its rows were deleted since.

        Raises:
            SageReadError: the read failed.
        """
        deleted, deleted_mark, deleted_at_mark = self._deletions(table, mark, synced=synced)
        if not synced:
            return Probe(True, True, [], deleted_mark, deleted_at_mark)
        (newest,) = self.reader.scalars(select(table.name, f"MAX({STAMP})"))
        newest = as_datetime(newest)
        changed = newest is not None and (mark.modified is None or newest > mark.modified)
        inclusive = False
        if mark.modified is not None:
            at_mark = self.reader.rows(select(table.name, ", ".join(table.key), where=f"{STAMP} = ?"),
                                       [mark.modified])
            inclusive = not {_key_text(table, r) for r in at_mark} <= mark.at_mark  # a row joined that second
        if not changed and not inclusive and table.serial:
            (top,) = self.reader.scalars(select(table.name, f"MAX({table.serial})"))
            changed = top is not None and (mark.serial is None or int(top) > mark.serial)
        return Probe(changed or inclusive or bool(deleted), inclusive, deleted, deleted_mark, deleted_at_mark)

    def _deletions(self, table: SyncedTable, mark: Watermark, *,
                   synced: bool) -> tuple[list[Any], dt.datetime | None, frozenset[str]]:
        """Keys deleted since ``mark`` (never sent before), the newest deletion time, and the refs recorded at it."""
        if table.table_id is None:
            return [], None, frozenset()
        where, params = "TABLE_ID = ?", [table.table_id]
        if mark.deleted is not None:
            where += " AND DELETION_DATE_TIME >= ?"
            params.append(mark.deleted)
        rows = self.reader.rows(select("DELETED_RECORDS", "FOREIGN_REF, DELETION_DATE_TIME", where=where), params)
        stamped = [(str(r["FOREIGN_REF"]), as_datetime(r["DELETION_DATE_TIME"])) for r in rows]
        newest = max((when for _, when in stamped if when is not None), default=mark.deleted)
        at_newest = frozenset(ref for ref, when in stamped if when == newest)
        if newest == mark.deleted:
            at_newest |= mark.deleted_at_mark
        if not synced:  # rows deleted before the first sync never reached the gateway
            return [], newest, at_newest
        fresh = [ref for ref, when in stamped if mark.deleted is None or when is None or when > mark.deleted
                 or (when == mark.deleted and ref not in mark.deleted_at_mark)]
        return [self._deleted_key(table, ref) for ref in fresh], newest, at_newest

    @staticmethod
    def _deleted_key(table: SyncedTable, ref: str) -> Any:
        if len(table.key) > 1:
            return [p.strip() for p in str(ref).split(",")]
        return int(ref) if table.integer_key else ref

    def page(self, table: SyncedTable, mark: Watermark, after: tuple[Any, ...] | None, *,
             synced: bool, inclusive: bool = False) -> list[dict[str, Any]]:
        """Up to ``page_size + 1`` changed rows with a key above ``after`` (the extra row says "not final").

        Raises:
            SageReadError: the read failed.
        """
        where, params = self._changed_filter(table, mark, synced=synced, inclusive=inclusive)
        conditions = [where] if where else []
        if after is not None:
            keyset, key_params = _key_condition(table.key, after)
            conditions.append(keyset)
            params = [*params, *key_params]
        sql = select(table.name, where=" AND ".join(conditions), order=table.key)
        return self.reader.rows(sql, params, limit=self.page_size + 1)

    def whole(self, table: SyncedTable) -> list[dict[str, Any]]:
        """Every row of an unstamped table, in key order.

        Raises:
            SageReadError: the read failed.
        """
        return self.reader.rows(select(table.name, order=table.key))


def _row_hash(row: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()


def _key_text(table: SyncedTable, row: dict[str, Any]) -> str:
    return json.dumps([row[k] for k in table.key])


@dataclass
class CompanySync:
    """Syncs one company's tables in protocol order.

    Attributes:
        company_key: the company's protocol key.
        tables: its :class:`TableReader` (used only through ``run``).
        state: the agent's state file (used only through ``run``).
        run: runs a blocking callable on the agent's Sage thread: ``await run(fn, *args, **kwargs)``.
        post: sends one page; returns the gateway's ``accepted`` count; raises ``GatewayError`` on refusal.
    """

    company_key: str
    tables: TableReader
    state: StateStore
    run: RunBlocking
    post: PostBatch

    async def sync(self) -> bool:
        """One cycle over every table; ``False`` when a page was refused (later tables then wait).

        Raises:
            SageReadError: a read failed (the cycle stops; watermarks already saved stay).
            InvalidAgentError: the gateway no longer knows this agent.
        """
        for table in SYNCED_TABLES:
            try:
                await self._sync_table(table)
            except InvalidAgentError:
                raise
            except GatewayError as exc:
                log.warning("sync of %s stopped at %s: gateway answered %s", self.company_key[:12], table.name,
                            exc.status)
                return False
        return True

    async def _sync_table(self, table: SyncedTable) -> None:
        synced = await self.run(self._is_synced, table.name)
        mark = await self.run(self.state.watermark, self.company_key, table.name)
        if not table.stamped:
            await self._sync_hashed(table, mark, synced=synced)
            return
        probe = await self.run(self.tables.probe, table, mark, synced=synced)
        if not probe.changed:
            return
        newest, serial, after, sent = mark.modified, mark.serial, None, []  # sent: (key text, stamp)
        while True:
            rows = await self.run(self.tables.page, table, mark, after, synced=synced, inclusive=probe.inclusive)
            final = len(rows) <= self.tables.page_size
            rows = rows[: self.tables.page_size]
            stamps = [s for s in (as_datetime(r.get(STAMP)) for r in rows) if s is not None]
            page_mark = max(stamps, default=None)
            await self.post(SyncBatch(
                company_key=self.company_key, table=table.name, rows=rows,
                deleted=probe.deleted if final else [], final=final,
                watermark=page_mark.isoformat() if page_mark else None))
            if page_mark is not None and (newest is None or page_mark > newest):
                newest = page_mark
            if table.serial:
                numbers = [int(r[table.serial]) for r in rows if r.get(table.serial) is not None]
                serial = max([*numbers, *([serial] if serial is not None else [])], default=None)
            sent.extend((_key_text(table, r), as_datetime(r.get(STAMP))) for r in rows)
            if final:
                break
            after = tuple(rows[-1][k] for k in table.key)
        at_mark = frozenset(k for k, stamp in sent if stamp is not None and stamp == newest)
        if newest == mark.modified and not probe.inclusive:
            at_mark |= mark.at_mark  # the watermark's second was not read again: its rows stay known
        await self.run(self.state.save_watermark, self.company_key, table.name,
                       Watermark(newest, at_mark, serial, probe.deleted_mark, None, probe.deleted_at_mark))
        log.info("synced %s rows of %s (company %s…)", len(sent), table.name, self.company_key[:12])

    async def _sync_hashed(self, table: SyncedTable, mark: Watermark, *, synced: bool) -> None:
        rows = await self.run(self.tables.whole, table)
        hashes = {_key_text(table, r): _row_hash(r) for r in rows}
        before = mark.hashes or {}
        changed = [r for r in rows if before.get(_key_text(table, r)) != hashes[_key_text(table, r)]]
        deleted = [json.loads(k) for k in before if k not in hashes]
        deleted = [k[0] if len(table.key) == 1 else k for k in deleted]
        if synced and not changed and not deleted:
            return
        size = self.tables.page_size
        pages = [changed[i:i + size] for i in range(0, len(changed), size)] or [[]]
        for number, page in enumerate(pages):
            final = number == len(pages) - 1
            await self.post(SyncBatch(company_key=self.company_key, table=table.name, rows=page,
                                      deleted=deleted if final else [], final=final, watermark=None))
        await self.run(self.state.save_watermark, self.company_key, table.name, Watermark(hashes=hashes))

    def _is_synced(self, table: str) -> bool:
        return table in self.state.watermarks(self.company_key)
