"""The unit of work of one Xero call against one upstream tenant.

``async with SomeUnit(...) as unit:`` (each adapter subclasses :class:`Unit` in its ``unit.py``):

- opens a :class:`~adapters.common.http.CallTally` for the call and reads the tenant's credentials ONCE
  (:class:`~adapters.common.http.TenantAuth`): every upstream request of the call uses them, and they are renewed
  only after the source answered 401 (the adapter contract, :mod:`adapters.base`). A warm call therefore costs one
  credentials read however many upstream requests it makes;
- learns the tenant key (QBO ``realmId``, Sage business id) from those credentials and loads what the GUID map needs
  (:meth:`adapters.common.ids.StableIds.load`) once;
- collects the GUIDs the call hands out (:meth:`Unit.emitted`) and saves the new ones in one batched write at close;
- logs the upstream-call tally at close (event ``{log_prefix}_call``) and appends
  ``(operationId, upstream requests, {"METHOD /path": n})`` to the adapter's ``recent`` deque.

A unit takes its collaborators (client, GUID map, cache…), never the adapter: the adapter builds units, units do not
reach back into it.
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Iterable
from types import TracebackType
from typing import Any, Self

import structlog

from gateway.xero.request import RequestContext, XeroRequest

from .http import CallTally, TenantAuth, UpstreamClient
from .ids import Emitted, StableIds

log = structlog.get_logger("adapters.common")

#: ``(operationId, upstream requests, {"METHOD /path": n})`` of one finished call.
CallRecord = tuple[str, int, dict[str, int]]


class Unit:
    """One Xero call (module docstring).

    Args:
        client: the adapter's upstream client.
        ids: the adapter's GUID map.
        ctx: the caller's context (``tenant_id`` already checked).
        req: the Xero request.
        recent: where finished calls are appended (the adapter's ``recent_calls``), or ``None``.

    Attributes:
        auth: the call's credentials (read once).
        tenant_key: the tenant at the source, known after :meth:`open`.
        tally: the call's upstream requests.
    """

    def __init__(self, *, client: UpstreamClient, ids: StableIds, ctx: RequestContext, req: XeroRequest,
                 recent: deque[CallRecord] | None = None) -> None:
        self.client = client
        self.ids = ids
        self.ctx = ctx
        self.req = req
        self.recent = recent
        self.auth: TenantAuth = client.auth(ctx.tenant_id)
        self.tenant_key = ""
        self.tally = CallTally(req.operation_id)
        self._tally_scope: contextlib.ExitStack | None = None

    # Lifecycle ------------------------------------------------------------------------------------------------------

    async def open(self) -> None:
        """Read the credentials (once for the call) and load the GUID map's needs for the tenant."""
        self.tenant_key = (await self.auth.current()).tenant_key
        await self.ids.load(self.tenant_key)

    def emitted(self) -> Iterable[Emitted]:
        """The GUIDs handed out during the call, ``(guid, kind, upstream id, part)`` (subclasses collect them)."""
        return ()

    def emitted_saved(self) -> None:
        """Called after :meth:`emitted` was saved (subclasses clear their list)."""

    async def close(self) -> None:
        """Save the new GUIDs in one batched write and log the tally."""
        refs = list(self.emitted())
        if refs and self.tenant_key:
            await self.ids.record(self.tenant_key, refs)
            self.emitted_saved()
        log.info(f"{self.client.log_prefix}_call", operation=self.tally.operation_id, upstream_calls=self.tally.calls,
                 by_path=dict(self.tally.by_path), credential_reads=self.auth.reads)

    async def __aenter__(self) -> Self:
        stack = contextlib.ExitStack()
        self.tally = stack.enter_context(self.client.tally(self.req.operation_id))
        self._tally_scope = stack
        try:
            await self.open()
        except BaseException:
            self._finish()
            raise
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        try:
            await self.close()
        finally:
            self._finish()

    def _finish(self) -> None:
        if self._tally_scope is not None:
            self._tally_scope.close()
            self._tally_scope = None
        if self.recent is not None:
            self.recent.append((self.tally.operation_id, self.tally.calls, dict(self.tally.by_path)))

    # Helpers --------------------------------------------------------------------------------------------------------

    async def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """One upstream request with the call's credentials (:meth:`UpstreamClient.request`)."""
        return await self.client.request(self.auth, method, path, **kwargs)
