"""The upstream sources' HTTP 429s per tenant: recorded for the operators' console (issue 15, "Sources": per-tenant
upstream status, throttled).

The adapters' transport reports each 429 (:class:`adapters.base.ThrottleRecorder`, implemented by
:meth:`gateway.upstream.tokens.UpstreamTokens.throttled`); the last one is kept on the tenant's row
(``upstream_tenants.throttled_at``, ``retry_after``). A tenant counts as throttled until that 429's ``Retry-After``
has passed, or :data:`DEFAULT_RETRY_AFTER` seconds when the source sent none.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog
from sqlalchemy import update
from sqlalchemy.exc import SQLAlchemyError

from gateway.store.db import Database

from .models import UpstreamTenant

log = structlog.get_logger("gateway.upstream")

#: Seconds a 429 without ``Retry-After`` counts as throttled: what the QBO and Sage adapters tell clients to wait
#: then (adapters/qbo/errors.py: "On 429, back off (up to 60 s)"; adapters/sage_accounting/errors.py).
DEFAULT_RETRY_AFTER = 60


async def record_throttle(db: Database, *, code: str, tenant_id: str, at: datetime, retry_after: int | None) -> None:
    """Keep ``at`` (UTC) and ``retry_after`` (seconds, ``None`` when not sent) as the tenant's last 429.

    A database failure is logged, not raised: the caller is answering the client's call with Xero's 429.
    """
    try:
        async with db.session() as s:
            await s.execute(update(UpstreamTenant)
                            .where(UpstreamTenant.source_code == code, UpstreamTenant.tenant_id == tenant_id)
                            .values(throttled_at=at, retry_after=retry_after))
            await s.commit()
    except SQLAlchemyError as exc:
        log.warning("upstream_throttle_not_recorded", code=code, tenant_id=tenant_id, error=type(exc).__name__)


def throttled_until(throttled_at: datetime | None, retry_after: int | None) -> datetime | None:
    """When the last 429 stops counting (``None``: the source never answered 429 for the tenant)."""
    if throttled_at is None:
        return None
    return throttled_at + timedelta(seconds=DEFAULT_RETRY_AFTER if retry_after is None else retry_after)
