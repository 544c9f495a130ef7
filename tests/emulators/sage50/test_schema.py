"""The company file has exactly the ODBC data dictionary's tables and columns, and stores values exactly."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

from emulators.sage50 import schema
from emulators.sage50.company import Company


def _dictionary() -> dict[str, list[str]]:
    raw = json.loads((schema.contracts_dir() / "odbc-schema.json").read_text(encoding="utf-8"))["tables"]
    return {table: [c["name"] for c in columns] for table, columns in raw.items()}


def test_every_table_and_column_of_the_dictionary_and_nothing_else(data_path: Path) -> None:
    expected = _dictionary()
    conn = sqlite3.connect(data_path / "sage50.db")
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == set(expected)
    assert len(tables) == 108
    for table, columns in expected.items():
        actual = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
        assert actual == columns, table
    assert sum(len(c) for c in expected.values()) == 2860


def test_declared_types_keep_amounts_as_text_and_dates_parseable(data_path: Path) -> None:
    conn = sqlite3.connect(data_path / "sage50.db")
    info = {row[1]: row[2] for row in conn.execute('PRAGMA table_info("AUDIT_SPLIT")')}
    assert info["NET_AMOUNT"] == "DOUBLE TEXT"
    assert info["TYPE"] == "VARCHAR(2)"
    assert info["TRAN_NUMBER"] == "INTEGER"
    assert info["DATE"] == "DATE"
    assert info["RECORD_MODIFY_DATE"] == "TIMESTAMP"
    header = {row[1]: row[2] for row in conn.execute('PRAGMA table_info("AUDIT_HEADER")')}
    assert header["RECORD_CREATE_DATE"] == "TIMESTAMP"  # typed DATE in the dictionary, but a date-time


def test_amounts_round_trip_exactly_and_dates_come_back_as_dates(tmp_path: Path) -> None:
    with Company(tmp_path, create=True) as company:
        company.insert("CURRENCY", {"NUMBER": 9, "CODE": "XTS", "RATE": Decimal("1.123456789012345678")})
        company.insert("AUDIT_USAGE", {"USAGE_NUMBER": 1, "AMOUNT": Decimal("-0.10"), "DATE": dt.date(2025, 2, 1)})
    conn = sqlite3.connect(tmp_path / "sage50.db", detect_types=sqlite3.PARSE_DECLTYPES)
    rate, stamp = conn.execute('SELECT "RATE", "RECORD_MODIFY_DATE" FROM "CURRENCY"').fetchone()
    assert rate == "1.123456789012345678"  # a REAL column would have rounded this
    assert isinstance(stamp, dt.datetime) and stamp.microsecond == 0
    amount, date = conn.execute('SELECT "AMOUNT", "DATE" FROM "AUDIT_USAGE"').fetchone()
    assert (amount, date) == ("-0.10", dt.date(2025, 2, 1))
    assert conn.execute('SELECT typeof("AMOUNT") FROM "AUDIT_USAGE"').fetchone() == ("text",)


def test_unset_columns_read_as_sage_defaults(tmp_path: Path) -> None:
    with Company(tmp_path, create=True) as company:
        row = company.insert("SALES_LEDGER", {"ACCOUNT_REF": "A1"})
    assert row["NAME"] == "" and row["BALANCE"] == "0" and row["CURRENCY"] == 0
    assert row["LAST_INV_DATE"] is None and row["RECORD_DELETED"] == 0
    assert row["RECORD_CREATE_DATE"] == row["RECORD_MODIFY_DATE"]


def test_tables_without_record_stamps_in_the_dictionary_have_none() -> None:
    assert not schema.has_stamps("TAX_CODE")
    assert schema.has_stamps("SALES_LEDGER") and schema.has_stamps("AUDIT_JOURNAL")
    missing = sorted(t for t in schema.tables() if not schema.has_stamps(t))
    assert len(missing) == 19 and "TAX_CODE" in missing


def test_unknown_columns_are_refused(tmp_path: Path) -> None:
    with Company(tmp_path, create=True) as company:
        try:
            company.insert("SALES_LEDGER", {"ACCOUNT_REF": "A1", "Name": "lower-case"})
        except KeyError as error:
            assert "Name" in str(error)
        else:
            raise AssertionError("an unknown column was accepted")
