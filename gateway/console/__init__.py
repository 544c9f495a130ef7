"""The operators' web console at ``/admin`` (issue 15): server-rendered pages (aiohttp-jinja2), plain forms with
CSRF tokens, sign-in with a password and a TOTP code; partner apps, connections, sources and the activity log.

:func:`setup` mounts it (one line in :func:`gateway.app.create_app`) when ``[console] enabled``, with its start-up
(the session cookies' storage, the secret box). The app lifecycle's background work it shows ("last used", the
expiry sweep, the activity log's pruning) is the gateway's own, started whatever the console
(:mod:`gateway.housekeeping`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from gateway import appkeys
from gateway.appkeys import IDENTITY
from gateway.identity.keys import load_session_key
from gateway.store.crypto import SecretBox

from . import render, views_activity, views_apps, views_auth, views_connections, views_sources
from .auth import make_storage, see_other
from .state import CONSOLE, ConsoleState

__all__ = ["setup"]

STATIC = Path(__file__).resolve().parent / "static"


async def _context(app: web.Application) -> AsyncIterator[None]:
    settings = app[appkeys.SETTINGS]
    identity = app[IDENTITY]
    key, box = await asyncio.to_thread(
        lambda: (load_session_key(settings.data_dir), SecretBox.from_data_dir(settings.data_dir)))
    app[CONSOLE] = ConsoleState(settings=settings, db=identity.db, identity=identity, box=box,
                                storage=make_storage(key, settings))
    yield


async def _home(request: web.Request) -> web.Response:
    return see_other("/admin/apps")


def setup(app: web.Application) -> None:
    """Mount ``/admin`` and its start-up when ``[console] enabled`` (nothing otherwise). Call after the identity
    server's setup (its state is read at start) and before the ``/{code}`` catch-all routes."""
    settings = app[appkeys.SETTINGS]
    if not settings.console.enabled:
        return
    app.cleanup_ctx.append(_context)
    render.setup(app)
    r = app.router
    r.add_get("/admin", _home)
    r.add_get("/admin/sign-in", views_auth.sign_in_form)
    r.add_post("/admin/sign-in", views_auth.sign_in_submit)
    r.add_post("/admin/sign-out", views_auth.sign_out)
    r.add_get("/admin/apps", views_apps.list_apps)
    r.add_post("/admin/apps", views_apps.create)
    for name, handler in views_apps.ACTIONS.items():
        r.add_post(f"/admin/apps/{{client_id}}/{name}", handler)
    r.add_get("/admin/connections", views_connections.list_connections)
    r.add_post("/admin/connections/{connection_id}/delete", views_connections.delete)
    r.add_get("/admin/sources", views_sources.list_sources)
    r.add_post("/admin/sources", views_sources.set_source)
    r.add_get("/admin/activity", views_activity.list_activity)
    r.add_get("/admin/activity.csv", views_activity.export_csv)
    r.add_static("/admin/static", STATIC)
