"""``/admin/connections``: every partner-app × tenant connection (who consented, when, scopes, last used, idle
days); delete one (a fresh TOTP code; revokes its authorisation and refresh tokens at once)."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from gateway.identity import connections
from gateway.xero.guids import normalise_guid

from .auth import FreshCodeRequired, actor, operator, require_fresh_code, see_other
from .render import page
from .state import CONSOLE
from .views_apps import FRESH_CODE_MESSAGE

log = logging.getLogger(__name__)


async def _people_and_names(request: web.Request, rows: list[dict[str, Any]]) -> None:
    """Add ``email`` (who consented) and fill empty ``tenant_name``s from each source; a source that cannot answer
    leaves the ids as they are (the page still lists its connections)."""
    sources = request.app[CONSOLE].identity.sources
    for code in {r["code"] for r in rows}:
        mine = [r for r in rows if r["code"] == code]
        try:
            adapter = await sources.get(code)
            names = {normalise_guid(t.tenant_id): t.name for t in await adapter.list_tenants()}
            people = {}
            for user_id in {r["user_id"] for r in mine if r["user_id"]}:
                user = await adapter.get_ledger_user(user_id)
                people[user_id] = user.email if user else None
        except Exception:  # the console shows what the gateway knows when a source is down or not configured
            log.info("console: source %s did not describe its connections", code, exc_info=True)
            continue
        for r in mine:
            r["tenant_name"] = r["tenant_name"] or names.get(r["tenant_id"], "")
            r["email"] = people.get(r["user_id"])


async def _listing(request: web.Request, *, error: str | None = None, status: int = 200) -> web.Response:
    state = request.app[CONSOLE]
    rows = await connections.operator_connections(state.db, now=state.identity.clock.now(),
                                                  client_id=request.query.get("client_id") or None)
    await _people_and_names(request, rows)
    return page(request, "connections.html", {"connections": rows, "error": error}, status=status)


@operator
async def list_connections(request: web.Request) -> web.StreamResponse:
    return await _listing(request)


@operator
async def delete(request: web.Request) -> web.StreamResponse:
    state = request.app[CONSOLE]
    try:
        await require_fresh_code(request)
        await connections.operator_delete_connection(state.db, request.match_info["connection_id"],
                                                     now=state.identity.clock.now(), **actor(request))
    except FreshCodeRequired:
        return await _listing(request, error=FRESH_CODE_MESSAGE, status=403)
    except LookupError as exc:
        return await _listing(request, error=str(exc), status=404)
    return see_other("/admin/connections")
