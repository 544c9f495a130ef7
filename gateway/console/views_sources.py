"""``/admin/sources``: the developer apps registered for the upstream sources (QuickBooks Online 1004, Sage
Business Cloud Accounting 1009; the client secret is write-only), the paired Sage 50 connectors (last seen, sync lag,
queued writes: gateway/agents), and each upstream tenant's status (its consent active or needing re-authorisation,
and throttled while the source's last HTTP 429 holds: gateway/upstream). Registering a source app asks for a fresh
TOTP code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web
from sqlalchemy import select

from adapters.registry import ADAPTERS, gateway_sign_in_codes
from gateway.agents.store import AgentStore
from gateway.settings import SOURCE_CODES
from gateway.store import activity
from gateway.upstream import registry
from gateway.upstream.models import UpstreamAuthorization, UpstreamTenant
from gateway.upstream.throttling import throttled_until

from .auth import FreshCodeRequired, actor, operator, require_fresh_code, see_other
from .render import page
from .state import CONSOLE
from .views_apps import FRESH_CODE_MESSAGE


async def _tenant_status(db: Any, *, now: datetime) -> list[dict[str, Any]]:
    """Each upstream tenant's consent status, and whether the source throttles it at ``now`` (its last HTTP 429's
    ``Retry-After`` not yet passed: :mod:`gateway.upstream.throttling`)."""
    async with db.session() as s:
        rows = (await s.execute(select(UpstreamTenant, UpstreamAuthorization)
                                .join(UpstreamAuthorization,
                                      UpstreamAuthorization.id == UpstreamTenant.authorization_id)
                                .order_by(UpstreamTenant.source_code, UpstreamTenant.tenant_name))).all()
    out = []
    for t, a in rows:
        until = throttled_until(t.throttled_at, t.retry_after)
        out.append({"code": t.source_code, "tenant_id": t.tenant_id, "tenant_name": t.tenant_name, "status": a.status,
                    "refreshed_at": a.refreshed_at, "refresh_expires_at": a.refresh_expires_at,
                    "throttled": until is not None and now < until, "throttled_until": until,
                    "throttled_at": t.throttled_at, "retry_after": t.retry_after})
    return out


async def _listing(request: web.Request, *, error: str | None = None, notice: str | None = None,
                   status: int = 200) -> web.Response:
    state = request.app[CONSOLE]
    agents = AgentStore(state.db, offline_after=state.settings.agents.offline_after)
    now = state.identity.clock.now()
    connectors = [{"agent": a, "companies": [
        {"info": c, "lag": int((now - c.last_sync_at).total_seconds()) if c.last_sync_at else None}
        for c in a.companies]} for a in await agents.summaries()]
    upstream_codes = [c for c in SOURCE_CODES if c not in gateway_sign_in_codes() and c != "1000"]
    return page(request, "sources.html", {
        "sources": await registry.list_sources(state.db, state.settings, adapter_codes=ADAPTERS),
        "connectors": connectors, "tenants": await _tenant_status(state.db, now=now), "codes": SOURCE_CODES,
        "upstream_codes": upstream_codes, "error": error, "notice": notice}, status=status)


@operator
async def list_sources(request: web.Request) -> web.StreamResponse:
    return await _listing(request)


@operator
async def set_source(request: web.Request) -> web.StreamResponse:
    state = request.app[CONSOLE]
    form = await request.post()
    code = str(form.get("code", ""))
    try:
        await require_fresh_code(request)
        shown = await registry.set_source(
            state.db, state.settings, code=code, client_id=str(form.get("client_id", "")).strip(),
            client_secret=str(form.get("client_secret", "")), environment=str(form.get("environment", "")) or None,
            adapter_codes=ADAPTERS, gateway_sign_in=gateway_sign_in_codes())
    except FreshCodeRequired:
        return await _listing(request, error=FRESH_CODE_MESSAGE, status=403)
    except ValueError as exc:
        return await _listing(request, error=str(exc), status=400)
    await activity.record(state.db, "source_registered", at=state.identity.clock.now(), source_code=code,
                          detail=f"developer app {shown['client_id']} registered for source {code}",
                          **actor(request))
    return see_other("/admin/sources")
