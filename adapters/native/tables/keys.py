"""Keyed writes of the native ledger: the ``Idempotency-Key`` of each write, committed with the write itself.

The gateway completes a key's record in its own database only after the adapter returned; a crash in between
leaves the outcome unknown there. This table is written in the ledger's own write transaction, so a key is present
here exactly when its write committed (:mod:`adapters.native.keyed`).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import NativeBase, UTCDateTime


class KeyedWrite(NativeBase):
    """One committed write made under an ``Idempotency-Key``, scoped as the gateway scopes the key (app, tenant,
    source code; ``gateway/store/models_runtime.py`` ``IdempotencyRecord``).

    ``result`` is the answer of the write (JSON text, :func:`adapters.native.keyed.result_to_json`), replayed
    when the gateway asks for the outcome of a call it lost track of.
    """

    __tablename__ = "native_keyed_writes"

    source_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    operation_id: Mapped[str] = mapped_column(String(100))
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)  # purged by age
