"""The read side: one DB-API connection per Sage company, and the only SQL the agent runs.

Production uses pyodbc with the ``SageLine50vNN`` driver (a DSN, or ``Driver={Sage Line 50 vNN};…;DIR=<ACCDATA>``);
tests and demos open the stand-in's SQLite file with :mod:`sqlite3`. The SQL is the same for both: qmark parameters,
UPPER_CASE names, no ``LIMIT``/``TOP`` (page size is a ``fetchmany``; sage50.md §8).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sage50_connector.errors import SageReadError
from sage50_connector.wire import row_to_wire

_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


def name(identifier: str) -> str:
    """``identifier`` if it is an UPPER_CASE ODBC name (tables and columns come from the code, never from input).

    Raises:
        ValueError: anything else.
    """
    if not _NAME.match(identifier):
        raise ValueError(f"not an ODBC name: {identifier!r}")
    return identifier


def select(table: str, columns: str = "*", *, where: str = "", order: tuple[str, ...] = ()) -> str:
    """``SELECT columns FROM table [WHERE where] [ORDER BY order]``; ``where`` uses qmark parameters only.

    ``columns`` is ``*``, a comma-separated list of names, or aggregates of names (``COUNT(*), MAX(X)``).
    """
    for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", columns):
        if word not in ("COUNT", "MAX", "MIN"):
            name(word)
    sql = f"SELECT {columns} FROM {name(table)}"  # noqa: S608 - names checked above; values are parameters
    if where:
        sql += f" WHERE {where}"
    if order:
        sql += " ORDER BY " + ", ".join(name(c) for c in order)
    return sql


@dataclass
class ReadConnection:
    """A DB-API connection to one company plus how it binds date-time parameters.

    Attributes:
        connection: the DB-API connection (pyodbc or sqlite3), used from one thread only.
        text_datetimes: bind ``datetime`` parameters as ``YYYY-MM-DD HH:MM:SS`` text (the stand-in stores them so;
            pyodbc binds ``datetime`` natively as ``SQL_TIMESTAMP``).
    """

    connection: Any
    text_datetimes: bool = False

    def _bind(self, params: Sequence[Any]) -> list[Any]:
        if not self.text_datetimes:
            return list(params)
        return [p.isoformat(" ") if isinstance(p, dt.datetime) else p for p in params]

    def rows(self, sql: str, params: Sequence[Any] = (), *, limit: int | None = None) -> list[dict[str, Any]]:
        """Run a SELECT and return up to ``limit`` rows as ``{column: wire value}``.

        Raises:
            SageReadError: the driver failed (bad data path, password, locked files…).
        """
        cursor = self._execute(sql, params)
        try:
            columns = [d[0].upper() for d in cursor.description]
            fetched = cursor.fetchall() if limit is None else cursor.fetchmany(limit)
            return [row_to_wire(columns, tuple(r)) for r in fetched]
        finally:
            cursor.close()

    def scalars(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
        """Run a one-row SELECT (aggregates) and return its raw values.

        Raises:
            SageReadError: the driver failed.
        """
        cursor = self._execute(sql, params)
        try:
            row = cursor.fetchone()
            return tuple(row) if row is not None else ()
        finally:
            cursor.close()

    def _execute(self, sql: str, params: Sequence[Any]) -> Any:
        try:
            cursor = self.connection.cursor()
            cursor.execute(sql, self._bind(params))
            return cursor
        except Exception as exc:  # the DB-API exception classes differ by driver
            raise SageReadError(str(exc)) from exc

    def close(self) -> None:
        """Close the connection (also on error paths: the ODBC driver holds a Sage logon)."""
        try:
            self.connection.close()
        except Exception:  # noqa: S110 - closing a broken connection has nothing left to report
            pass


def connect_sqlite(path: str) -> ReadConnection:
    """Open the stand-in's SQLite company read-only, with its ``DATE``/``TIMESTAMP`` columns typed as pyodbc's.

    Raises:
        SageReadError: the file does not exist or is not a database.
    """
    try:
        uri = "file:" + path.replace("?", "%3f").replace("#", "%23") + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, detect_types=sqlite3.PARSE_DECLTYPES, check_same_thread=False)
        conn.execute("SELECT 1 FROM COMPANY").fetchall()
    except sqlite3.Error as exc:
        raise SageReadError(f"cannot open the company database {path}: {exc}") from exc
    return ReadConnection(conn, text_datetimes=True)


def connect_odbc(connection_string: str) -> ReadConnection:
    """Open the Sage ODBC driver (``pip install sage50-connector[odbc]``).

    Raises:
        SageReadError: pyodbc is missing or the driver refused the connection.
    """
    try:
        import pyodbc  # noqa: PLC0415 - optional extra
    except ImportError as exc:
        raise SageReadError("pyodbc is not installed: pip install 'sage50-connector[odbc]'") from exc
    try:
        return ReadConnection(pyodbc.connect(connection_string, autocommit=True, readonly=True))
    except pyodbc.Error as exc:
        raise SageReadError(f"the Sage ODBC driver refused the connection: {exc.args[-1]}") from exc
