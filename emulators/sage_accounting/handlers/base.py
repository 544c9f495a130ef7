"""The write contract every resource handler follows, and the read-only handlers.

A handler owns one collection (a :class:`~emulators.sage_accounting.catalogue.ResourceSpec`). The HTTP layer unwraps
the body (``{"<singular>": {...}}``), checks the spec's required members, then calls:

- :meth:`Handler.create` ``(ctx, body) -> record``: validate, compute, store, post to the ledger; answered 201.
- :meth:`Handler.update` ``(ctx, record, body) -> record``: a partial update (members absent from ``body`` keep
  their value); answered 200.
- :meth:`Handler.delete` ``(ctx, record, params) -> record | None``: ``None`` answers 204 (spec: "Deletes a …");
  a record answers 200 with it (sales artefacts: "Voids a …").
- :meth:`Handler.release` ``(ctx, record) -> record``: ``POST …/{key}/release``; answered 201 (spec).
- :meth:`Handler.present` ``(business, record, params) -> record``: computed-on-read members (balances) added to a
  copy before rendering.

Every method either completes or raises :class:`~emulators.sage_accounting.errors.SageError` before changing any
stored record (checks first, then writes), so a failed request leaves no half-written data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import errors
from ..catalogue import ResourceSpec
from ..context import Context
from ..store import Business


class Handler:
    """Base handler: reads only; every write answers 405 (the route is not in the spec)."""

    def __init__(self, spec: ResourceSpec) -> None:
        self.spec = spec
        self.collection = spec.name

    def create(self, ctx: Context, body: dict[str, Any]) -> dict[str, Any]:
        raise errors.method_not_allowed("POST")

    def update(self, ctx: Context, record: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        raise errors.method_not_allowed("PUT")

    def delete(self, ctx: Context, record: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any] | None:
        raise errors.method_not_allowed("DELETE")

    def release(self, ctx: Context, record: dict[str, Any]) -> dict[str, Any]:
        raise errors.method_not_allowed("POST")

    def present(self, business: Business, record: dict[str, Any], params: Mapping[str, str]) -> dict[str, Any]:
        """``record`` as answered (a shallow copy with computed-on-read members); the default adds nothing."""
        return record

    def remove(self, ctx: Context, record: dict[str, Any]) -> None:
        """Delete ``record`` from the collection, leaving a tombstone for ``deleted_since``."""
        ctx.business.remove(self.collection, record["id"], stamp=ctx.stamp())


class ReadOnly(Handler):
    """Enumerations, ``ledger_entries`` and ``transactions``: GET only."""
