"""The ODBC tables the agent pushes to the gateway, in the order the gateway must receive them.

Source: the gateway↔agent protocol v1 (``POST /sync``): reference data before ledgers before transactions, rows
keyed by the table's primary key. The ODBC data dictionary (shared/contracts/sage50/odbc-schema.json) declares no
keys; these are the ones the stand-in declares (emulators/sage50/schema.py ``PRIMARY_KEYS``) and the gateway's replica
upserts on. ``AUDIT_JOURNAL`` repeats a split's ``TRAN_NUMBER`` once per nominal account, ``INVOICE_ITEM`` numbers its
items per invoice, hence their two-column keys.

``table_id`` is the table's 1-based position in the data dictionary, as the stand-in numbers ``DELETED_RECORDS``
(emulators/sage50/company.py). Sage's own numbering is not documented: check it on a real company (delete a test
customer, read ``DELETED_RECORDS``) before trusting deletions there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SyncedTable:
    """One table the agent syncs.

    Attributes:
        name: the ODBC table name.
        key: its primary-key columns; pages are keyed on them (never an offset: Sage is a live database).
        stamped: whether it carries ``RECORD_MODIFY_DATE``; a table without it is re-read in full and diffed by row
            hash.
        serial: a column numbered upwards as rows are added (the audit trail's ``TRAN_NUMBER``…): rows above the
            accepted maximum are sent even without a modification stamp (pySage50's change test, sage50.md §8).
        table_id: its ``DELETED_RECORDS.TABLE_ID``, where hard deletions of its rows are recorded, if any.
    """

    name: str
    key: tuple[str, ...]
    stamped: bool = True
    serial: str | None = None
    table_id: int | None = None

    @property
    def integer_key(self) -> bool:
        """Whether the (single) key is a number, so that ``DELETED_RECORDS.FOREIGN_REF`` text converts to int."""
        return len(self.key) == 1 and self.key[0] in _INTEGER_KEYS


_INTEGER_KEYS = frozenset({"NUMBER", "TAX_CODE_ID", "HEADER_NUMBER", "TRAN_NUMBER", "USAGE_NUMBER", "INVOICE_NUMBER"})


#: Protocol order: reference data, then ledgers, then transactions.
SYNCED_TABLES: tuple[SyncedTable, ...] = (
    SyncedTable("COMPANY", ("COMPANYID",), table_id=32),
    SyncedTable("NOMINAL_LEDGER", ("ACCOUNT_REF",), table_id=61),
    SyncedTable("TAX_CODE", ("TAX_CODE_ID",), stamped=False, table_id=99),
    SyncedTable("CURRENCY", ("NUMBER",), table_id=40),
    SyncedTable("DEPARTMENT", ("NUMBER",), table_id=42),
    SyncedTable("BANK", ("ACCOUNT_REF",), table_id=12),
    SyncedTable("STOCK", ("STOCK_CODE",), table_id=93),
    SyncedTable("SALES_LEDGER", ("ACCOUNT_REF",), table_id=89),
    SyncedTable("PURCHASE_LEDGER", ("ACCOUNT_REF",), table_id=82),
    SyncedTable("AUDIT_HEADER", ("HEADER_NUMBER",), serial="HEADER_NUMBER", table_id=3),
    SyncedTable("AUDIT_SPLIT", ("TRAN_NUMBER",), serial="TRAN_NUMBER", table_id=9),
    SyncedTable("AUDIT_USAGE", ("USAGE_NUMBER",), serial="USAGE_NUMBER", table_id=10),
    SyncedTable("AUDIT_JOURNAL", ("TRAN_NUMBER", "NOMINAL_CODE"), serial="TRAN_NUMBER", table_id=8),
    SyncedTable("INVOICE", ("INVOICE_NUMBER",), serial="INVOICE_NUMBER", table_id=58),
    SyncedTable("INVOICE_ITEM", ("INVOICE_NUMBER", "ITEM_NUMBER"), table_id=59),
)

BY_NAME: dict[str, SyncedTable] = {t.name: t for t in SYNCED_TABLES}
