"""One company's books as the replica holds them, indexed for translation: :class:`Books`.

Built from every live replica row of the company (:meth:`adapters.sage50.replica.Replica.rows`) and kept in a
per-process LRU cache keyed by the company's generation (:class:`BooksCache`), so a steady read costs one
primary-key read of the generation and no row reads; any change (sync page, write job) bumps the generation and
the next call rebuilds. Money is ``Decimal`` from Sage's decimal strings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from cachetools import LRUCache

from . import ids
from .replica import Replica

Row = Mapping[str, Any]


def money(value: Any) -> Decimal:
    """A Sage amount (decimal string, number or empty) as ``Decimal``; empty → 0."""
    if value is None or value == "":
        return Decimal("0")
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal("0")


def sage_date(value: Any) -> date | None:
    """A Sage ``DATE`` (``YYYY-MM-DD``, possibly with a time) as ``date``; ``None`` when empty."""
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def sage_datetime(value: Any) -> datetime | None:
    """A Sage date-time (``YYYY-MM-DD HH:MM:SS``, Sage's clock, treated as UTC) as aware UTC."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    from datetime import UTC

    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def number(value: Any) -> int | None:
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return None


@dataclass
class Books:
    """The indexed rows of one company.

    Attributes:
        tenant_id: the Xero tenant.
        tables: ``{table: {row_key: row}}`` as the replica holds them.
        headers: AUDIT_HEADER rows by ``HEADER_NUMBER``, only those whose ``ITEM_COUNT`` splits (at least one)
            are in the replica; ``splits``: their AUDIT_SPLIT rows in ``TRAN_NUMBER``
            order; ``usages_by_split``: AUDIT_USAGE rows by the split they touch (both ends).
        by_guid: GUID → ``(kind, key)`` of every record that has one.
    """

    tenant_id: str
    tables: dict[str, dict[str, dict[str, Any]]]
    headers: dict[int, Row] = field(default_factory=dict)
    splits: dict[int, list[Row]] = field(default_factory=lambda: defaultdict(list))
    splits_by_number: dict[int, Row] = field(default_factory=dict)
    usages_by_split: dict[int, list[Row]] = field(default_factory=lambda: defaultdict(list))
    by_guid: dict[str, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row in self.rows("AUDIT_HEADER"):
            number_ = number(row.get("HEADER_NUMBER"))
            if number_ is not None:
                self.headers[number_] = row
                self.by_guid[self.guid("header", number_)] = ("header", str(number_))
        for row in sorted(self.rows("AUDIT_SPLIT"), key=lambda r: number(r.get("TRAN_NUMBER")) or 0):
            tran, header = number(row.get("TRAN_NUMBER")), number(row.get("HEADER_NUMBER"))
            if tran is not None:
                self.splits_by_number[tran] = row
            if header is not None:
                self.splits[header].append(row)
        # A posting whose splits have not all arrived yet (the connector syncs AUDIT_HEADER before AUDIT_SPLIT, one
        # page per table) stays out of sight until they have: never a half posting with zero totals.
        for number_, row in list(self.headers.items()):
            expected = number(row.get("ITEM_COUNT")) or 1
            if len(self.splits.get(number_, ())) < expected:
                del self.headers[number_]
                del self.by_guid[self.guid("header", number_)]
        for row in self.rows("AUDIT_USAGE"):
            for column in ("SPLIT_NUMBER", "SPLIT_CROSSREF"):
                split = number(row.get(column))
                if split is not None:
                    self.usages_by_split[split].append(row)
        for table in ("SALES_LEDGER", "PURCHASE_LEDGER"):
            for row in self.rows(table):
                ref = text(row.get("ACCOUNT_REF"))
                self.by_guid[self.guid("contact", ref)] = ("contact", ref)
        for row in self.rows("NOMINAL_LEDGER"):
            ref = text(row.get("ACCOUNT_REF"))
            self.by_guid[self.guid("account", ref)] = ("account", ref)
        for row in self.rows("INVOICE"):
            ref = text(row.get("INVOICE_NUMBER"))
            self.by_guid[self.guid("document", ref)] = ("document", ref)
        for row in self.rows("STOCK"):
            ref = text(row.get("STOCK_CODE"))
            self.by_guid[self.guid("stock", ref)] = ("stock", ref)
        for row in self.rows("DEPARTMENT"):
            ref = text(row.get("NUMBER"))
            self.by_guid[self.guid("department", ref)] = ("department", ref)

    def guid(self, kind: str, key: object) -> str:
        return ids.guid(self.tenant_id, kind, key)

    def rows(self, table: str) -> list[dict[str, Any]]:
        return list(self.tables.get(table, {}).values())

    def row(self, table: str, key: object) -> dict[str, Any] | None:
        return self.tables.get(table, {}).get(str(key).strip())

    @property
    def company(self) -> Row:
        rows = self.rows("COMPANY")
        return rows[0] if rows else {}

    def bank_codes(self) -> set[str]:
        return {text(r.get("ACCOUNT_REF")) for r in self.rows("BANK")}

    def tax_code_by_id(self, tax_id: Any) -> str:
        """``TAX_CODE`` text (``T1``) of a ``TAX_CODE_ID``/index, or ``T{n}`` when the table lacks it."""
        n = number(tax_id)
        for row in self.rows("TAX_CODE"):
            if number(row.get("TAX_CODE_ID")) == n:
                return text(row.get("TAX_CODE")) or f"T{n}"
        return f"T{n}" if n is not None else ""

    def headers_of(self, *types: str) -> list[Row]:
        """Headers of these ``TYPE`` codes, not deleted, in ``HEADER_NUMBER`` order."""
        wanted = set(types)
        return [row for number_, row in sorted(self.headers.items())
                if text(row.get("TYPE")) in wanted and not (number(row.get("DELETED_FLAG")) or 0)]

    def find(self, guid: str, kind: str) -> str | None:
        """The Sage key behind ``guid`` if it names a record of ``kind``."""
        found = self.by_guid.get(guid.lower())
        return found[1] if found is not None and found[0] == kind else None


class BooksCache:
    """Per-process cache of :class:`Books` by tenant, valid while the replica's generation is unchanged.

    Args:
        replica: the replica.
        size: companies kept.
    """

    def __init__(self, replica: Replica, *, size: int = 64) -> None:
        self.replica = replica
        self._cache: LRUCache[str, tuple[int, Books]] = LRUCache(maxsize=size)

    async def get(self, tenant_id: str) -> Books:
        generation = await self.replica.generation(tenant_id)
        cached = self._cache.get(tenant_id)
        if cached is not None and cached[0] == generation:
            return cached[1]
        books = Books(tenant_id=tenant_id, tables=await self.replica.rows(tenant_id))
        self._cache[tenant_id] = (generation, books)
        return books
