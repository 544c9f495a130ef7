"""The operations on a business's resources, shared by the HTTP layer and the seeders.

:class:`Engine` pairs each served collection (``data/resources.toml``) with its handler and gives the write
operations one entry point each: create, update, delete, release. The HTTP layer adds envelopes, rendering and
errors; the seeders call the same operations, so seeded data is computed and posted exactly as API writes are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import errors
from .catalogue import ResourceSpec, resource_specs
from .clock import Clock
from .context import Context
from .handlers import Handler, handler_for
from .store import Business, IdFactory


class Engine:
    """Handlers of every served collection, over one clock and id factory.

    Args:
        clock: the emulator's clock.
        ids: the id factory.
    """

    def __init__(self, clock: Clock, ids: IdFactory) -> None:
        self.clock = clock
        self.ids = ids
        self.specs: dict[str, ResourceSpec] = resource_specs()
        self.handlers: dict[str, Handler] = {name: handler_for(spec) for name, spec in self.specs.items()}

    def context(self, business: Business) -> Context:
        return Context(business, self.clock, self.ids)

    def handler(self, collection: str) -> Handler:
        return self.handlers[collection]

    def find(self, business: Business, collection: str, record_id: str) -> dict[str, Any]:
        """A live record.

        Raises:
            SageError: 404 RecordNotFound.
        """
        record = business.get(collection, record_id)
        if record is None:
            raise errors.record_not_found("key")
        return record

    def create(self, business: Business, collection: str, body: dict[str, Any], *,
               record_id: str | None = None) -> dict[str, Any]:
        """Create a record from the unwrapped body (required members checked first).

        Args:
            business: the business.
            collection: the collection name.
            body: the unwrapped request body.
            record_id: the id to give the record (seeding), else a new one.

        Raises:
            SageError: 422 for invalid input (nothing is stored).
        """
        spec = self.specs[collection]
        missing = [m for m in spec.required if body.get(m) in (None, "", [])]
        if missing:
            raise errors.invalid_items([(errors.REQUIRED, m) for m in missing])
        ctx = self.context(business)
        if record_id:
            ctx.forced_ids[collection] = record_id
        return self.handlers[collection].create(ctx, body)

    def update(self, business: Business, collection: str, record_id: str, body: dict[str, Any]) -> dict[str, Any]:
        record = self.find(business, collection, record_id)
        return self.handlers[collection].update(self.context(business), record, body)

    def delete(self, business: Business, collection: str, record_id: str,
               params: Mapping[str, str]) -> dict[str, Any] | None:
        record = self.find(business, collection, record_id)
        return self.handlers[collection].delete(self.context(business), record, params)

    def release(self, business: Business, collection: str, record_id: str) -> dict[str, Any]:
        record = self.find(business, collection, record_id)
        return self.handlers[collection].release(self.context(business), record)
