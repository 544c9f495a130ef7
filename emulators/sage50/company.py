"""A Sage 50 company on disk: the data path (Sage's ``ACCDATA`` folder) holding the SQLite file of ODBC tables.

Layout of a data path ``P`` (the stand-in's own file names; Sage's ``.DTA`` files are not emulated):

- ``P/sage50.db``: the company, the dictionary's tables only (:mod:`.schema`), WAL mode so that a reader in another
  process (the connector's ODBC side) sees committed writes while the SDO fake writes.
- ``P/stand-in.json``: users and fault rules (:mod:`.control`); ``P/QUEUE.json``: who is logged on (:mod:`.sessions`).

Every write goes through :meth:`Company.insert`, :meth:`Company.update` or :meth:`Company.delete`, which stamp
``RECORD_CREATE_DATE``/``RECORD_MODIFY_DATE`` (on tables that have them) and record hard deletes in
``DELETED_RECORDS`` (``TABLE_ID`` = the table's 1-based position in the dictionary, ``FOREIGN_REF`` = the key as text,
``FOREIGN_REF_TYPE`` 0 for a text key and 1 for a numeric one: the stand-in's numbering, Sage's is not documented).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import schema

DB_FILE = "sage50.db"

Clock = Callable[[], dt.datetime]


def local_now() -> dt.datetime:
    """Sage stamps records with the PC's local time, to the second."""
    return dt.datetime.now().replace(microsecond=0)


def _names(table: str, *columns: str) -> str:
    """``table`` quoted, after checking it and ``columns`` against the dictionary (so SQL text never carries input).

    Raises:
        KeyError: a table or column the dictionary does not have.
    """
    known = schema.column_map(table)
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise KeyError(f"{table} has no column(s) {unknown}")
    return f'"{table}"'


def dec(value: Any) -> Decimal:
    """A stored amount (text, or a number from a seed) as ``Decimal``; NULL and ``''`` read as zero."""
    if value is None or value == "":
        return Decimal(0)
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


class Company:
    """One open company file.

    Args:
        data_path: the company's data folder (``ACCDATA``); must hold ``sage50.db`` unless ``create``.
        clock: the time stamping records (default: local time, whole seconds).
        create: create the file and the tables when missing.

    Raises:
        FileNotFoundError: no company file at ``data_path`` and not ``create``.
    """

    def __init__(self, data_path: Path | str, *, clock: Clock | None = None, create: bool = False) -> None:
        self.data_path = Path(data_path)
        self.db_path = self.data_path / DB_FILE
        if not self.db_path.is_file():
            if not create:
                raise FileNotFoundError(f"no Sage 50 company at {self.data_path}")
            self.data_path.mkdir(parents=True, exist_ok=True)
        self.clock: Clock = clock or local_now
        self.conn = sqlite3.connect(self.db_path, isolation_level=None, timeout=10)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")  # WAL stays consistent; a test company needs no fsync per write
        if create:
            for statement in schema.ddl():
                self.conn.execute(statement)
        self._depth = 0

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Company:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------- transactions

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write (nested calls join the outer one); ``BEGIN IMMEDIATE`` so writers queue, not fail."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    # ---------------------------------------------------------------------------------------------------- reads

    def rows(self, table: str, where: str = "", params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Rows of ``table`` as dicts (stored values: amounts as text, dates as ISO text)."""
        sql = f"SELECT * FROM {_names(table)}" + (f" WHERE {where}" if where else "")  # noqa: S608 - callers' SQL
        return [dict(row) for row in self.conn.execute(sql, params)]

    def row(self, table: str, **key: Any) -> dict[str, Any] | None:
        """The one row of ``table`` whose columns equal ``key``; ``None`` if there is none."""
        where = " AND ".join(f'"{name}" = ?' for name in key)
        _names(table, *key)
        found = self.rows(table, where, tuple(key.values()))
        return found[0] if found else None

    def company(self) -> dict[str, Any]:
        """The ``COMPANY`` row (a company file has exactly one)."""
        found = self.rows("COMPANY")
        if not found:
            raise LookupError("the company file has no COMPANY row")
        return found[0]

    def next_number(self, table: str, column: str) -> int:
        """One more than the largest ``column`` of ``table`` (1 for an empty table)."""
        sql = f'SELECT MAX("{column}") FROM {_names(table, column)}'  # noqa: S608 - dictionary names
        value = self.conn.execute(sql).fetchone()[0]
        return int(value or 0) + 1

    # --------------------------------------------------------------------------------------------------- writes

    def insert(self, table: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Insert one row: unset columns take their defaults, stamps are set; returns the stored row.

        Raises:
            KeyError: a column ``table`` does not have.
            sqlite3.IntegrityError: a duplicate key.
        """
        columns = schema.column_map(table)
        unknown = set(values) - set(columns)
        if unknown:
            raise KeyError(f"{table} has no column(s) {sorted(unknown)}")
        row = {name: column.default() for name, column in columns.items()}
        now = self.clock()
        if schema.has_stamps(table):
            row.update(RECORD_CREATE_DATE=now, RECORD_MODIFY_DATE=now, RECORD_DELETED=0)
        row.update(values)
        stored = {name: schema.to_storage(columns[name], value) for name, value in row.items()}
        names = ", ".join(f'"{n}"' for n in stored)
        marks = ", ".join("?" for _ in stored)
        sql = f"INSERT INTO {_names(table, *stored)} ({names}) VALUES ({marks})"  # noqa: S608 - dictionary names
        self.conn.execute(sql, tuple(stored.values()))
        return stored

    def update(self, table: str, key: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
        """Change columns of the row at ``key`` and bump ``RECORD_MODIFY_DATE``; returns the stored row.

        Raises:
            KeyError: an unknown column, or no row at ``key``.
        """
        columns = schema.column_map(table)
        unknown = set(changes) - set(columns)
        if unknown:
            raise KeyError(f"{table} has no column(s) {sorted(unknown)}")
        values = dict(changes)
        if schema.has_stamps(table):
            values["RECORD_MODIFY_DATE"] = self.clock()
        stored = {name: schema.to_storage(columns[name], value) for name, value in values.items()}
        sets = ", ".join(f'"{n}" = ?' for n in stored)
        where = " AND ".join(f'"{n}" = ?' for n in key)
        sql = f"UPDATE {_names(table, *stored, *key)} SET {sets} WHERE {where}"  # noqa: S608 - dictionary names
        cursor = self.conn.execute(sql, (*stored.values(), *key.values()))
        if cursor.rowcount == 0:
            raise KeyError(f"{table}: no row at {dict(key)}")
        found = self.row(table, **key)
        assert found is not None
        return found

    def delete(self, table: str, key: Mapping[str, Any]) -> None:
        """Hard-delete the row at ``key`` and record it in ``DELETED_RECORDS`` (master records only in Sage).

        Raises:
            KeyError: no row at ``key``.
        """
        where = " AND ".join(f'"{n}" = ?' for n in key)
        sql = f"DELETE FROM {_names(table, *key)} WHERE {where}"  # noqa: S608 - dictionary names
        cursor = self.conn.execute(sql, tuple(key.values()))
        if cursor.rowcount == 0:
            raise KeyError(f"{table}: no row at {dict(key)}")
        ref = ",".join(str(v) for v in key.values())
        numeric = all(isinstance(v, int) for v in key.values())
        self.insert("DELETED_RECORDS", {
            "TABLE_ID": schema.table_id(table), "FOREIGN_REF": ref,
            "DELETION_DATE_TIME": self.clock(), "FOREIGN_REF_TYPE": 1 if numeric else 0})
