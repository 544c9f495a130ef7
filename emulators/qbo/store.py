"""In-memory companies (realms): entities by type and Id, deletion tombstones for CDC, and ``requestid`` replays.

QBO facts kept here (upstream-contracts.md §1):

- Ids are numeric strings, unique per realm **per entity type**; a new one is the next number of that type.
- ``SyncToken`` is a string version number, ``"0"`` on create, incremented by every change.
- Deleted transactions come back from CDC as ``{"status": "Deleted", "Id", "domain", "MetaData":
  {"LastUpdatedTime"}}`` (samples/platform/ChangeDataCapture.json).
- ``requestid`` is unique per realm; a retry with the same id gets the original response (Intuit developer blog,
  2015-04-06 "Request ID update for QuickBooks Online integration"). The replay store is bounded (cachetools).

Records are plain dicts in QBO's JSON shape with ``Decimal`` numbers; the emulator runs on one event loop, and a
request's changes are made without awaiting in between, so each request is atomic.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from cachetools import LRUCache


@dataclass(frozen=True)
class Replay:
    """A stored response: what a repeated ``requestid`` answers."""

    status: int
    body: bytes
    content_type: str


@dataclass
class Realm:
    """One QBO company.

    Attributes:
        realm_id: the company id (``realmId``).
        entities: entity name → Id → record.
        tombstones: entity name → Id → the CDC stub of a deleted record.
        replays: ``requestid`` → the first response.
        files: the bytes of uploaded attachments.
    """

    realm_id: str
    entities: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    tombstones: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    replays: LRUCache = field(default_factory=lambda: LRUCache(maxsize=10_000))
    counters: dict[str, int] = field(default_factory=dict)
    #: Attachable Id → (download token, Content-Type, bytes) of uploaded files (:mod:`emulators.qbo.attachments`).
    files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)

    # Reading ---------------------------------------------------------------------------------------------------

    def get(self, entity: str, entity_id: str) -> dict[str, Any] | None:
        """The live record, or ``None``."""
        return self.entities.get(entity, {}).get(str(entity_id))

    def all(self, entity: str) -> list[dict[str, Any]]:
        """Every live record of ``entity``, in Id order (numeric where Ids are numeric)."""
        rows = list(self.entities.get(entity, {}).values())
        return sorted(rows, key=lambda row: _id_key(row.get("Id")))

    # Writing ---------------------------------------------------------------------------------------------------

    def next_id(self, entity: str) -> str:
        """The next Id of ``entity``: one more than the highest numeric Id it ever had in this realm."""
        known = [*self.entities.get(entity, {}), *self.tombstones.get(entity, {})]
        highest = max((int(i) for i in known if str(i).isdigit()), default=0)
        highest = max(highest, self.counters.get(entity, 0))
        self.counters[entity] = highest + 1
        return str(highest + 1)

    def put(self, entity: str, record: dict[str, Any]) -> None:
        """Store ``record`` (it must carry ``Id``) as the live version."""
        self.entities.setdefault(entity, {})[str(record["Id"])] = record
        self.tombstones.get(entity, {}).pop(str(record["Id"]), None)

    def delete(self, entity: str, entity_id: str, *, stamp: str) -> dict[str, Any]:
        """Remove a record and keep its CDC stub.

        Returns:
            the stub ``{"status": "Deleted", "domain": "QBO", "Id", "MetaData": {"LastUpdatedTime"}}``.
        """
        self.entities.get(entity, {}).pop(str(entity_id), None)
        stub = {"status": "Deleted", "domain": "QBO", "Id": str(entity_id), "MetaData": {"LastUpdatedTime": stamp}}
        self.tombstones.setdefault(entity, {})[str(entity_id)] = stub
        return stub


def _id_key(value: Any) -> tuple[int, int, str]:
    text = str(value or "")
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


class Store:
    """All realms of one emulator.

    Args:
        realm_ids: the companies to create (the first is the default).
    """

    def __init__(self, realm_ids: list[str]) -> None:
        self.default_realm_id = realm_ids[0]
        self.realms: dict[str, Realm] = {realm_id: Realm(realm_id) for realm_id in realm_ids}

    def realm(self, realm_id: str) -> Realm | None:
        return self.realms.get(realm_id)

    @property
    def default(self) -> Realm:
        return self.realms[self.default_realm_id]


def clone(record: dict[str, Any]) -> dict[str, Any]:
    """A deep copy (records handed out must never alias the stored ones)."""
    return copy.deepcopy(record)
