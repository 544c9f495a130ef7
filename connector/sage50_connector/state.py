"""The agent's local state: sync watermarks and the job journal, in one SQLite file readable by its owner only.

The journal is what makes a write happen at most once. A job is recorded ``started`` (committed) before SDO is
called, ``applied`` with its result as soon as Sage accepted it, and ``reported`` once the gateway took the result.
After a crash, a ``started`` job has an unknown outcome: the agent looks for its posting by reference before it
posts anything again (:mod:`sage50_connector.jobs`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS watermark (
    company_key TEXT NOT NULL,
    table_name  TEXT NOT NULL,
    modified    TEXT,              -- max RECORD_MODIFY_DATE the gateway accepted (ISO)
    at_mark     TEXT,              -- keys (JSON list) of the rows stamped exactly `modified` when it was accepted
    serial      INTEGER,           -- max serial number (TRAN_NUMBER…) accepted
    deleted     TEXT,              -- max DELETED_RECORDS.DELETION_DATE_TIME accepted (ISO)
    deleted_at_mark TEXT,          -- FOREIGN_REFs (JSON list) deleted exactly at `deleted`, already sent
    hashes      TEXT,              -- unstamped tables: {key: row hash} accepted
    PRIMARY KEY (company_key, table_name)
);
CREATE TABLE IF NOT EXISTS job (
    job_id          TEXT PRIMARY KEY,
    company_key     TEXT NOT NULL,
    idempotency_key TEXT,
    state           TEXT NOT NULL,     -- started | applied | reported
    started_at      TEXT NOT NULL,     -- Sage clock (this PC) when SDO was first called, ISO
    result          TEXT,              -- the JobResult JSON once known
    updated_at      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS job_idempotency ON job (company_key, idempotency_key);
CREATE TABLE IF NOT EXISTS company_status (
    company_key  TEXT PRIMARY KEY,
    name         TEXT,
    last_sync_at TEXT,
    error        TEXT
);
"""


@dataclass(frozen=True)
class Watermark:
    """What the gateway accepted last for one table of one company (all empty before the first sync).

    ``at_mark`` holds the keys (JSON text) of the rows stamped exactly at ``modified``: a row that joins that second
    later is told apart from them without re-reading the second every time; ``deleted_at_mark`` does the same for
    the ``DELETED_RECORDS.FOREIGN_REF`` values recorded exactly at ``deleted``.
    """

    modified: dt.datetime | None = None
    at_mark: frozenset[str] = frozenset()
    serial: int | None = None
    deleted: dt.datetime | None = None
    hashes: dict[str, str] | None = None
    deleted_at_mark: frozenset[str] = frozenset()


@dataclass(frozen=True)
class JournalEntry:
    """One journal row: ``state`` is ``started``, ``applied`` or ``reported``; ``result`` the JobResult JSON."""

    job_id: str
    company_key: str
    idempotency_key: str | None
    state: str
    started_at: dt.datetime
    result: dict[str, Any] | None


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(" ") if value is not None else None


def _dt(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _private_file(path: Path) -> None:
    """Create ``path`` as 0600 (or tighten it): it holds what was written to the books."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


class StateStore:
    """The state file. Used from the agent's Sage thread only (one connection, committed per change)."""

    def __init__(self, path: Path) -> None:
        _private_file(path)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA synchronous=FULL")  # a journal entry must survive a power cut
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    # watermarks -------------------------------------------------------------------------------------------------

    def watermark(self, company_key: str, table: str) -> Watermark:
        """The accepted watermark of ``table`` (an empty one before the first accepted final page)."""
        row = self._db.execute(
            "SELECT modified, at_mark, serial, deleted, hashes, deleted_at_mark FROM watermark "
            "WHERE company_key = ? AND table_name = ?", (company_key, table)).fetchone()
        if row is None:
            return Watermark()
        return Watermark(_dt(row[0]), frozenset(json.loads(row[1]) if row[1] else ()), row[2], _dt(row[3]),
                         json.loads(row[4]) if row[4] else None, frozenset(json.loads(row[5]) if row[5] else ()))

    def save_watermark(self, company_key: str, table: str, mark: Watermark) -> None:
        """Store ``mark``: call only after the gateway accepted the table's final page."""
        self._db.execute(
            "INSERT INTO watermark (company_key, table_name, modified, at_mark, serial, deleted, hashes, "
            "deleted_at_mark) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (company_key, table_name) DO UPDATE SET "
            "modified = excluded.modified, at_mark = excluded.at_mark, serial = excluded.serial, "
            "deleted = excluded.deleted, hashes = excluded.hashes, deleted_at_mark = excluded.deleted_at_mark",
            (company_key, table, _iso(mark.modified), json.dumps(sorted(mark.at_mark)), mark.serial,
             _iso(mark.deleted), json.dumps(mark.hashes, sort_keys=True) if mark.hashes is not None else None,
             json.dumps(sorted(mark.deleted_at_mark))))

    def watermarks(self, company_key: str) -> dict[str, Watermark]:
        """Every table's watermark of one company (for ``status``)."""
        names = [r[0] for r in self._db.execute(
            "SELECT table_name FROM watermark WHERE company_key = ?", (company_key,))]
        return {n: self.watermark(company_key, n) for n in names}

    # company status ---------------------------------------------------------------------------------------------

    def set_status(self, company_key: str, *, name: str | None = None, last_sync_at: dt.datetime | None = None,
                   error: str | None = None, clear_error: bool = False) -> None:
        """Record a company's last full sync (aware UTC) and its current Sage condition code."""
        self._db.execute("INSERT OR IGNORE INTO company_status (company_key) VALUES (?)", (company_key,))
        if name is not None:
            self._db.execute("UPDATE company_status SET name = ? WHERE company_key = ?", (name, company_key))
        if last_sync_at is not None:
            self._db.execute("UPDATE company_status SET last_sync_at = ? WHERE company_key = ?",
                             (last_sync_at.isoformat(), company_key))
        if error is not None or clear_error:
            self._db.execute("UPDATE company_status SET error = ? WHERE company_key = ?", (error, company_key))

    def statuses(self) -> dict[str, dict[str, str | None]]:
        """``{company_key: {"name", "last_sync_at", "error"}}``."""
        return {r[0]: {"name": r[1], "last_sync_at": r[2], "error": r[3]}
                for r in self._db.execute("SELECT company_key, name, last_sync_at, error FROM company_status")}

    # job journal ------------------------------------------------------------------------------------------------

    def job(self, job_id: str) -> JournalEntry | None:
        """The journal entry of ``job_id``, if the agent has seen it."""
        return self._entry(self._db.execute(
            "SELECT job_id, company_key, idempotency_key, state, started_at, result FROM job WHERE job_id = ?",
            (job_id,)).fetchone())

    def job_by_idempotency_key(self, company_key: str, key: str) -> JournalEntry | None:
        """An earlier job of the same company with the same client ``Idempotency-Key`` that reached Sage."""
        return self._entry(self._db.execute(
            "SELECT job_id, company_key, idempotency_key, state, started_at, result FROM job "
            "WHERE company_key = ? AND idempotency_key = ? AND state != 'started' ORDER BY started_at LIMIT 1",
            (company_key, key)).fetchone())

    def start_job(self, job_id: str, company_key: str, idempotency_key: str | None, started_at: dt.datetime) -> None:
        """Record that SDO is about to be called for ``job_id`` (committed before the call)."""
        now = dt.datetime.now(dt.UTC).isoformat()
        self._db.execute(
            "INSERT INTO job (job_id, company_key, idempotency_key, state, started_at, updated_at) "
            "VALUES (?, ?, ?, 'started', ?, ?) ON CONFLICT (job_id) DO UPDATE SET updated_at = excluded.updated_at",
            (job_id, company_key, idempotency_key, started_at.isoformat(" "), now))

    def finish_job(self, job_id: str, result: dict[str, Any]) -> None:
        """Record the outcome (``applied``): from here on the job is never sent to SDO again."""
        self._set(job_id, "applied", result)

    def mark_reported(self, job_id: str) -> None:
        """Record that the gateway accepted the job's result."""
        self._set(job_id, "reported", None)

    def forget_job(self, job_id: str) -> None:
        """Drop a ``started`` entry whose SDO call certainly did not write (a failed logon, a refused Update)."""
        self._db.execute("DELETE FROM job WHERE job_id = ? AND state = 'started'", (job_id,))

    def journal_counts(self) -> dict[str, int]:
        """``{state: number of jobs}`` (for ``status``)."""
        return dict(self._db.execute("SELECT state, COUNT(*) FROM job GROUP BY state").fetchall())

    def _set(self, job_id: str, state: str, result: dict[str, Any] | None) -> None:
        now = dt.datetime.now(dt.UTC).isoformat()
        if result is None:
            self._db.execute("UPDATE job SET state = ?, updated_at = ? WHERE job_id = ?", (state, now, job_id))
        else:
            self._db.execute("UPDATE job SET state = ?, result = ?, updated_at = ? WHERE job_id = ?",
                             (state, json.dumps(result), now, job_id))

    @staticmethod
    def _entry(row: tuple[Any, ...] | None) -> JournalEntry | None:
        if row is None:
            return None
        return JournalEntry(row[0], row[1], row[2], row[3], dt.datetime.fromisoformat(row[4]),
                            json.loads(row[5]) if row[5] else None)
