"""The Sage 50 UK ODBC data dictionary as SQLite DDL, generated at run time from ``odbc-schema.json``.

Source: ``shared/contracts/sage50/odbc-schema.json`` (108 tables, 2,860 columns; Zynk's Sage 50 UK schema pages,
v22-v26 era; SOURCE.txt there). The folder is ``$SAGE50_CONTRACTS_DIR`` or ``shared/contracts/sage50`` beside the
repository, as the other emulators find their contracts.

Tables and columns are exactly the dictionary's (UPPER_CASE, same order). Nineteen tables, ``TAX_CODE`` among them,
have no ``RECORD_*`` columns in the dictionary, so they have none here either: a reader must refresh them in full.

Storage choices (the SQLite file stands for what the ODBC driver returns; sage50.md §9.1):

- ``DOUBLE`` columns are declared ``DOUBLE TEXT`` and hold the decimal as text (``"12.56"``, ``"-150.00"``): TEXT
  affinity keeps the digits exactly (a REAL column would round them), and ``Decimal(str(value))`` reads text here and
  the driver's doubles in production alike. Amounts keep the sign Sage stores (see :mod:`.posting`).
- ``DATE`` holds ``YYYY-MM-DD``; ``TIME`` holds ``HH:MM:SS``; the untyped date-time columns (``RECORD_CREATE_DATE``,
  ``RECORD_MODIFY_DATE``, ``DELETION_DATE_TIME``…) are declared ``TIMESTAMP`` and hold ``YYYY-MM-DD HH:MM:SS`` (whole
  seconds, as Sage stamps them), which ``sqlite3``'s ``PARSE_DECLTYPES`` turns into ``date``/``datetime`` as pyodbc
  does. ``RECORD_CREATE_DATE``/``RECORD_MODIFY_DATE`` are date-times even where the dictionary types them ``DATE``.
- Integers are ``INTEGER``-affine (``SMALLINT``, ``INTEGER``, ``TINYINT``); text columns keep ``VARCHAR(n)``.

Keys: the dictionary declares none. :data:`PRIMARY_KEYS` names the stand-in's keys for the tables the SDO fake writes
and the gateway↔agent protocol syncs; they are declared ``PRIMARY KEY`` so a bad seed fails loudly.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

#: Columns that hold a date and time although the dictionary types them ``DATE`` or leaves the type empty.
RECORD_STAMPS = ("RECORD_CREATE_DATE", "RECORD_MODIFY_DATE")

#: The stand-in's primary keys (protocol v1: reference data, ledgers, AUDIT_* by TRAN_NUMBER / HEADER_NUMBER).
#: ``AUDIT_JOURNAL`` repeats a split's TRAN_NUMBER once per nominal account it touches, so its key adds NOMINAL_CODE.
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "COMPANY": ("COMPANYID",),
    "NOMINAL_LEDGER": ("ACCOUNT_REF",),
    "TAX_CODE": ("TAX_CODE_ID",),
    "CURRENCY": ("NUMBER",),
    "DEPARTMENT": ("NUMBER",),
    "BANK": ("ACCOUNT_REF",),
    "STOCK": ("STOCK_CODE",),
    "SALES_LEDGER": ("ACCOUNT_REF",),
    "PURCHASE_LEDGER": ("ACCOUNT_REF",),
    "AUDIT_HEADER": ("HEADER_NUMBER",),
    "AUDIT_SPLIT": ("TRAN_NUMBER",),
    "AUDIT_USAGE": ("USAGE_NUMBER",),
    "AUDIT_JOURNAL": ("TRAN_NUMBER", "NOMINAL_CODE"),
    "INVOICE": ("INVOICE_NUMBER",),
    "INVOICE_ITEM": ("INVOICE_NUMBER", "ITEM_NUMBER"),
    "CHART_LIST": ("CHART",),
    "CATEGORY": ("CHART", "CATEGORY"),
}


@dataclass(frozen=True)
class Column:
    """One dictionary column.

    Attributes:
        name: the ODBC column name (UPPER_CASE).
        odbc_type: the dictionary's type (``VARCHAR``, ``DOUBLE``, ``DATE``, ``""`` for date-times…).
        length: the dictionary's length (characters for text).
        kind: the stand-in's storage kind: ``text``, ``integer``, ``decimal``, ``date``, ``time`` or ``timestamp``.
    """

    name: str
    odbc_type: str
    length: int
    kind: str

    @property
    def declared(self) -> str:
        """The SQLite declared type (see the module docstring for why)."""
        if self.kind == "text":
            if self.odbc_type in ("CHAR", "LONG VARCHAR"):
                return f"CHAR({self.length})" if self.odbc_type == "CHAR" else "LONG VARCHAR"
            return f"VARCHAR({self.length})"
        return {"integer": self.odbc_type, "decimal": "DOUBLE TEXT", "date": "DATE", "time": "TIME",
                "timestamp": "TIMESTAMP"}[self.kind]

    def default(self) -> Any:
        """The value an unset column reads as (``''``, ``0``, ``"0"``, or NULL for dates)."""
        return {"text": "", "integer": 0, "decimal": "0"}.get(self.kind)


def _kind(name: str, odbc_type: str, length: int) -> str:
    if name in RECORD_STAMPS:
        return "timestamp"
    match odbc_type:
        case "SMALLINT" | "INTEGER" | "TINYINT":
            return "integer"
        case "DOUBLE":
            return "decimal"
        case "DATE":
            return "date"
        case "TIME":
            return "time"
        case "":  # untyped: the date-time stamps (length 8/16) or free text (DELETED_RECORDS.FOREIGN_REF, 255)
            return "timestamp" if length <= 16 else "text"
    return "text"


def contracts_dir() -> Path:
    """``$SAGE50_CONTRACTS_DIR`` or ``shared/contracts/sage50`` beside the repository."""
    env = os.environ.get("SAGE50_CONTRACTS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "contracts" / "sage50"


@cache
def tables() -> dict[str, tuple[Column, ...]]:
    """Every dictionary table → its columns, in the dictionary's order.

    Raises:
        FileNotFoundError: the contracts folder has no ``odbc-schema.json``.
    """
    raw = json.loads((contracts_dir() / "odbc-schema.json").read_text(encoding="utf-8"))["tables"]
    out: dict[str, tuple[Column, ...]] = {}
    for table, columns in raw.items():
        out[table] = tuple(
            Column(c["name"], c["type"], int(c["length"] or 0), _kind(c["name"], c["type"], int(c["length"] or 0)))
            for c in columns)
    return out


def column_map(table: str) -> dict[str, Column]:
    """``{column name: Column}`` of ``table``; ``KeyError`` for a table not in the dictionary."""
    return {c.name: c for c in tables()[table]}


def has_stamps(table: str) -> bool:
    """Whether ``table`` carries ``RECORD_CREATE_DATE``/``RECORD_MODIFY_DATE``/``RECORD_DELETED``."""
    names = column_map(table)
    return all(n in names for n in (*RECORD_STAMPS, "RECORD_DELETED"))


def table_id(table: str) -> int:
    """``DELETED_RECORDS.TABLE_ID`` of ``table``: its 1-based position in the dictionary (the stand-in's numbering;
    Sage's own is not documented), e.g. ``SALES_LEDGER`` → 89, ``PURCHASE_LEDGER`` → 82.

    Raises:
        ValueError: a table the dictionary does not have.
    """
    return list(tables()).index(table) + 1


def ddl() -> list[str]:
    """``CREATE TABLE IF NOT EXISTS`` statements for every dictionary table."""
    statements = []
    for table, columns in tables().items():
        parts = [f'"{c.name}" {c.declared}' for c in columns]
        key = PRIMARY_KEYS.get(table)
        if key:
            parts.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in key) + ")")
        statements.append(f'CREATE TABLE IF NOT EXISTS "{table}" (\n  ' + ",\n  ".join(parts) + "\n)")
    return statements


def to_storage(column: Column, value: Any) -> Any:
    """``value`` as the stand-in stores it in ``column``.

    Decimals become plain text (``Decimal("1E+1")`` → ``"10"``); floats go through ``repr`` so ``0.1`` stays ``0.1``;
    dates and date-times become ISO text with a space separator (whole seconds). Text lengths are the SDO layer's
    concern (a seed is stored as it is).

    Raises:
        ValueError: a value that does not fit the column's kind.
    """
    if value is None:
        return None
    if column.kind == "decimal":
        if isinstance(value, bool):
            raise ValueError(f"{column.name}: not a number: {value!r}")
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
        if not number.is_finite():
            raise ValueError(f"{column.name}: not a finite number: {value!r}")
        return format(number, "f")
    if column.kind == "integer":
        if isinstance(value, str):
            value = value.strip() or "0"
        return int(value)
    if column.kind == "date":
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    if column.kind == "timestamp":
        if isinstance(value, dt.datetime):
            return value.replace(microsecond=0, tzinfo=None).isoformat(" ")
        if isinstance(value, dt.date):
            return dt.datetime.combine(value, dt.time()).isoformat(" ")
        return dt.datetime.fromisoformat(str(value)).replace(microsecond=0, tzinfo=None).isoformat(" ")
    if column.kind == "time":
        return value.isoformat() if isinstance(value, dt.time) else str(value)
    return str(value)
