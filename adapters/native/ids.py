"""Identifier factories: random GUIDs for API writes, uuid5 sequences for the deterministic demo company.

An id factory is called with a record kind (``"invoice"``, ``"line"``…) and returns a lower-case hyphenated
GUID string, the form Xero shows (:func:`gateway.xero.guids.normalise_guid` reads a GUID a client sent).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable

#: Fixed namespace of every deterministic id of the native ledger (tenant ids, demo records, demo user).
NATIVE_NAMESPACE = uuid.UUID("6f1c9a52-3c1e-5d7b-9a43-1e0c2b7d4f10")

IdFactory = Callable[[str], str]


def random_id(kind: str) -> str:
    """A fresh ``uuid4`` for a record created through the API (``kind`` is ignored)."""
    return str(uuid.uuid4())


def stable_id(*parts: str) -> str:
    """``uuid5`` of :data:`NATIVE_NAMESPACE` and ``parts`` joined by ``/``: the same parts, the same id."""
    return str(uuid.uuid5(NATIVE_NAMESPACE, "/".join(parts)))


class SequentialIds:
    """Deterministic id factory: the n-th id of a kind under ``scope`` is ``stable_id(scope, kind, n)``."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self._counts: Counter[str] = Counter()

    def __call__(self, kind: str) -> str:
        self._counts[kind] += 1
        return stable_id(self.scope, kind, str(self._counts[kind]))

