"""The shared part of the upstream adapters' change feeds (:class:`adapters.common.changes.ChangeFeed`): the
tenant's credentials read once per poll, no call when no kind is asked for, the GUIDs recorded in the adapter's
reverse map (so that a receiver can read a record the gateway never answered with before), oldest first.

A subclass implements :meth:`UpstreamFeed.read` (the source's own calls: QBO CDC, Sage lists).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime

from adapters.base import upstream_tenant_id

from .changes import SourceChange
from .http import TenantAuth, UpstreamClient
from .ids import StableIds


class UpstreamFeed(ABC):
    """A change feed over an upstream's API.

    Args:
        code: the gateway source code.
        client: the adapter's transport.
        ids: the adapter's GUID map.
    """

    def __init__(self, *, code: str, client: UpstreamClient, ids: StableIds) -> None:
        self.code = code
        self.client = client
        self.ids = ids

    def tenant_id_of(self, tenant_key: str) -> str:
        """The ``tenantId`` of an upstream tenant key (QBO ``realmId``, Sage business id)."""
        return upstream_tenant_id(self.code, tenant_key)

    async def changes_since(self, tenant_id: str, since: datetime, kinds: Sequence[str]) -> list[SourceChange]:
        """Every change of ``kinds`` at or after ``since``, oldest first (:class:`~.changes.ChangeFeed`).

        Raises:
            the adapter's upstream errors and ``Unauthorized``: the source refused or could not be reached.
        """
        if not kinds:
            return []
        auth = self.client.auth(tenant_id)
        tenant_key = (await auth.current()).tenant_key
        changes = await self.read(auth, tenant_key, since, kinds)
        await self.ids.record(tenant_key, [(c.resource_id, c.kind, c.upstream_id, "") for c in changes])
        return sorted(changes, key=lambda c: c.changed_at)

    @abstractmethod
    async def read(self, auth: TenantAuth, tenant_key: str, since: datetime, kinds: Sequence[str]
                   ) -> list[SourceChange]:
        """The source's changes of ``kinds`` at or after ``since`` in the tenant ``tenant_key``, any order."""
