"""In-memory state: the user, their businesses, and each business's records and deletion tombstones.

Sage facts kept here:

- Record ids are 32 lower-case hex characters (e.g. ``401aa0e1424242ea98de55608dacf869``, pagination guide);
  enumeration ids are codes (``GB_STANDARD``, ``SALES``; upstream-contracts.md §2).
- A record's ``$path`` is its collection path without the version prefix: ``/sales_quotes/401aa…`` (pagination
  guide).
- A user owns one or more businesses; the first is the *lead* business (Authentication guide: "if not set, the API
  will return data of the user's lead business"; ``/businesses/lead``).
- Deleted records answer ``deleted_since`` list calls (spec parameter), so a deletion leaves a tombstone.

Records are plain dicts in Sage's response shape with ``Decimal`` money; keys starting with ``_`` are the emulator's
bookkeeping and never leave it. The emulator runs on one event loop and a request's changes are made without
awaiting in between, so each request is atomic.
"""

from __future__ import annotations

import copy
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: The namespace of deterministic ids (the built-in seed): uuid5(NAMESPACE, "<scope>:<n>").
NAMESPACE = uuid.UUID("6f1c1c1e-5a9e-4d5b-9b8e-5a6765000031")


class IdFactory:
    """New record ids: random (uuid4) normally, deterministic (uuid5 over a counter) while seeding."""

    def __init__(self) -> None:
        self.scope: str | None = None
        self.counter = 0

    def new(self) -> str:
        """A fresh 32-hex-character id."""
        if self.scope is None:
            return uuid.uuid4().hex
        self.counter += 1
        return uuid.uuid5(NAMESPACE, f"{self.scope}:{self.counter}").hex

    def deterministic(self, scope: str) -> None:
        """Switch to ids derived from ``scope`` and a counter (same scope, same ids)."""
        self.scope, self.counter = scope, 0

    def random(self) -> None:
        self.scope = None


@dataclass
class Business:
    """One Sage business and its data.

    Attributes:
        id: the business id (``X-Business``).
        record: the ``Business`` record (swagger.user_business.v3.1.json).
        collections: collection name → id → record.
        tombstones: collection name → id → ``{id, displayed_as, $path, deleted_at}``.
        settings: ``financial_settings`` and ``business_settings`` records.
        numbers: the last number used per numbering series (``SI-``, ``SCN-`` …).
        revision: bumped by every change (``put``, ``remove``, :meth:`changed`); keys :meth:`memoised`.
        memo: derived data per revision (usage sets, ledger totals).
    """

    id: str
    record: dict[str, Any]
    collections: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    tombstones: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    numbers: Counter[str] = field(default_factory=Counter)
    revision: int = 0
    memo: dict[str, tuple[int, Any]] = field(default_factory=dict)

    def get(self, name: str, record_id: str) -> dict[str, Any] | None:
        """The live record, or ``None``."""
        return self.collections.get(name, {}).get(str(record_id))

    def all(self, name: str) -> list[dict[str, Any]]:
        """Every live record of ``name`` in creation order."""
        return list(self.collections.get(name, {}).values())

    def put(self, name: str, record: dict[str, Any]) -> dict[str, Any]:
        """Store ``record`` (it must carry ``id``) as the live version; returns it."""
        self.collections.setdefault(name, {})[str(record["id"])] = record
        self.tombstones.get(name, {}).pop(str(record["id"]), None)
        self.revision += 1
        return record

    def remove(self, name: str, record_id: str, *, stamp: str) -> dict[str, Any]:
        """Delete a record and keep its tombstone ``{id, displayed_as, $path, deleted_at}``."""
        record = self.collections.get(name, {}).pop(str(record_id))
        stone = {"id": record["id"], "displayed_as": record.get("displayed_as", ""),
                 "$path": record.get("$path", f"/{name}/{record['id']}"), "deleted_at": stamp}
        self.tombstones.setdefault(name, {})[str(record_id)] = stone
        self.revision += 1
        return stone

    def changed(self) -> None:
        """Note an in-place change of a stored record."""
        self.revision += 1

    def memoised(self, key: str, compute: Any) -> Any:
        """``compute()`` cached until the next change of the business (list calls present many records)."""
        found = self.memo.get(key)
        if found is not None and found[0] == self.revision:
            return found[1]
        value = compute()
        self.memo[key] = (self.revision, value)
        return value

    def next_number(self, series: str) -> int:
        """The next number of a numbering series (``SI-`` → 1, 2, …)."""
        self.numbers[series] += 1
        return self.numbers[series]


@dataclass
class Store:
    """The user and their businesses (the first is the lead business)."""

    user: dict[str, Any]
    businesses: dict[str, Business] = field(default_factory=dict)

    @property
    def lead(self) -> Business:
        return next(iter(self.businesses.values()))

    def business(self, business_id: str) -> Business | None:
        """A business of the user by id (``lead`` names the lead business, as ``/businesses/lead`` does)."""
        if business_id == "lead":
            return self.lead if self.businesses else None
        return self.businesses.get(business_id)

    def add(self, business: Business) -> Business:
        self.businesses[business.id] = business
        return business


def clone(record: Any) -> Any:
    """A deep copy (records handed out must never alias the stored ones)."""
    return copy.deepcopy(record)
