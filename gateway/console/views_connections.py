"""``/admin/connections``: every partner-app × tenant connection (who consented, when, scopes, last used, idle
days); delete one (a fresh TOTP code; revokes its authorisation and refresh tokens at once)."""

from __future__ import annotations

from aiohttp import web

from gateway.identity import connections

from .auth import FreshCodeRequired, actor, operator, require_fresh_code, see_other
from .render import page
from .state import CONSOLE
from .views_apps import FRESH_CODE_MESSAGE


async def _listing(request: web.Request, *, error: str | None = None, status: int = 200) -> web.Response:
    state = request.app[CONSOLE]
    rows = await connections.operator_connections(state.db, now=state.identity.clock.now(),
                                                  client_id=request.query.get("client_id") or None)
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
