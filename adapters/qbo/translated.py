"""A bounded cache of translated QBO records, so that a warm list page does not translate the same records again.

Translating a page of 100 invoices was the largest share of the gateway's time on ``GET /1004/…/Invoices?page=1``
(issue 10's profile). A translation is a pure function of the record, the reference data in the
:class:`~adapters.qbo.translate.common.Tx` and the realm's GUID aliases, so an LRU (cachetools) keeps each result
under a key made of everything it depends on:

- the company (``realmId``) and the Xero tenant, the entity and the record's ``Id``;
- its ``SyncToken``, which QBO increments on every change of the entity (IntuitBaseTypes.xsd ``SyncToken``;
  upstream-contracts.md §1 "CRUD"), and a digest (BLAKE2b, 128 bits) of the whole record as QBO sent it: a change
  QBO makes without a new ``SyncToken`` (whether linking a payment bumps the invoice's is unconfirmed, the emulator
  notes; the ``name`` QBO writes into a reference after a rename) is a new key as well;
- the stamp of every reference kind the context holds (:meth:`adapters.common.refcache.RefCache.get_stamped`: a reload
  after the TTL or a write through the gateway is a new stamp) and the realm's alias version
  (:meth:`adapters.qbo.ids.IdStore.alias_version`).

So a change in QuickBooks or through the gateway is never served from the cache; an entry nobody asks for again is
evicted. A hit hands out the GUIDs the translation emitted (the reverse map records them, as a translation would).
A cached model keeps its JSON rendering (:func:`gateway.xero.models.core.remember_dump`), so that a warm page is not
rendered model by model again either.

Cached models are shared between calls: only list operations use this (their models are rendered, never changed);
single reads, which may mark a model (``HasAttachments``), translate afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import orjson
from cachetools import LRUCache

from gateway.xero.models import XeroModel
from gateway.xero.models.core import remember_dump

from .translate.common import Tx

#: Translated records kept per process (an invoice of a few lines is a few kB of models).
MAX_RECORDS = 20_000


def _number(value: Any) -> orjson.Fragment:
    # QBO numbers are Decimal (adapters/qbo/client.py); their own text keeps 10.5 and 10.50 apart.
    if isinstance(value, Decimal):
        return orjson.Fragment(str(value).encode())
    raise TypeError(type(value).__name__)


def digest(row: dict[str, Any]) -> bytes | None:
    """A 128-bit digest of a decoded QBO record (``None`` when it holds a value JSON cannot carry)."""
    try:
        return hashlib.blake2b(orjson.dumps(row, default=_number), digest_size=16).digest()
    except TypeError:
        return None


class TranslatedRecords:
    """The LRU of translated records of one adapter (module docstring).

    Args:
        maxsize: records kept; 0 keeps none (every record is translated).
    """

    def __init__(self, maxsize: int = MAX_RECORDS) -> None:
        self._lru: LRUCache[tuple[Any, ...], tuple[XeroModel, tuple[tuple[str, str, str, str], ...]]] | None = (
            LRUCache(maxsize) if maxsize > 0 else None)

    def translate(self, rows: Iterable[tuple[str, dict[str, Any]]], t: Tx,
                  translate: Callable[[str, dict[str, Any]], XeroModel]) -> list[XeroModel]:
        """``translate(entity, row)`` of every row, in order, from the cache where the key matches.

        Args:
            rows: ``(entity, record)`` as QBO answered them.
            t: the call's translation context (``translate`` reads it: its stamps and GUIDs are part of the key).
            translate: the pure translation of one record with ``t``.

        Returns:
            One model per row.
        """
        rows = list(rows)
        cache = self._lru
        if cache is None:
            return [translate(entity, row) for entity, row in rows]
        # Fixed for this synchronous loop: neither the context's reference data nor the aliases change inside it.
        context = (t.realm_id, t.tenant_id, tuple(sorted(t.stamps.items())), t.alias_version())
        out = []
        for entity, row in rows:
            fingerprint = digest(row)
            key = (context, entity, str(row.get("Id")), str(row.get("SyncToken")), fingerprint)
            hit = cache.get(key) if fingerprint is not None else None
            if hit is not None:
                model, emitted = hit
                t.emitted.extend(emitted)
                out.append(model)
                continue
            before = len(t.emitted)
            model = translate(entity, row)
            if fingerprint is not None:
                remember_dump(model)  # shared from now on, never changed: render it once
                cache[key] = (model, tuple(t.emitted[before:]))
            out.append(model)
        return out
