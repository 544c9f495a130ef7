"""The application factory: one aiohttp app, typed state, start-up/shut-down pairs in ``cleanup_ctx``.

Every gateway URL is ``/{code}/…`` where ``code`` is a source-software code; the rest of the path is resolved by
:class:`gateway.http.routing.Router` (case-insensitive, trailing-slash tolerant) in
:func:`gateway.http.dispatch.dispatch`; errors are rendered by :mod:`gateway.http.errors`. Identity routes come from
``gateway.identity``; Accounting API routes from ``gateway.api``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from adapters.registry import web_extensions

from . import appkeys
from .agents import setup as setup_agents
from .api import setup as setup_api
from .api.capabilities import setup as setup_capabilities
from .api.idempotency import setup as setup_idempotency
from .api.online import setup as setup_online
from .console import setup as setup_console
from .hostmode import setup as setup_host_mode
from .housekeeping import setup as setup_housekeeping
from .http.dispatch import dispatch
from .http.errors import error_middleware
from .http.routing import Router
from .identity import setup as setup_identity
from .migrations.runner import upgrade as migrate
from .migrations.trees import GATEWAY
from .observability.requests import observe
from .observability.views import setup as setup_observability
from .ratelimit import quota_headers
from .ratelimit import setup as setup_rate_limits
from .settings import Settings
from .sources import SourcePool
from .store.db import STATEMENTS, Database
from .store.files import writable_data_dir
from .store.runtime import setup as setup_runtime_db
from .webhooks import setup as setup_webhooks

#: Largest request body accepted, in bytes (aiohttp's ``client_max_size``). Xero's own cap is 3.5-10 MB
#: (shared/notes/xero-contract.md §2 "PUT vs POST").
CLIENT_MAX_SIZE = 10 * 1024 * 1024


def create_app(settings: Settings) -> web.Application:
    """Build the gateway application for ``settings`` (not yet started)."""
    # observe (request id, metrics) wraps everything, so that it sees every answer; quota_headers wraps
    # error_middleware so that error responses carry the rate-limit headers too.
    app = web.Application(middlewares=[observe, quota_headers, error_middleware], client_max_size=CLIENT_MAX_SIZE)
    app[appkeys.SETTINGS] = settings
    router = Router()
    app[appkeys.ROUTER] = router

    async def state(app: web.Application) -> AsyncIterator[None]:
        writable_data_dir(settings.data_dir)  # 0700; a read-only one stops the start with DataDirectoryError
        db = Database(settings.database_url, migrations=GATEWAY.name)
        await migrate(db.engine, GATEWAY)  # creates, adopts or upgrades the schema (gateway.migrations.runner)
        app[appkeys.DB] = db
        sources = SourcePool(settings, db=db)
        app[appkeys.SOURCES] = sources
        await sources.get("1000")  # the embedded default is always served
        yield
        await sources.close()
        await db.dispose()

    app.cleanup_ctx.append(state)
    setup_runtime_db(app)  # after state (appkeys.DB); rate limits and idempotency keys live there
    setup_rate_limits(app)
    setup_idempotency(app)
    setup_agents(app, router)  # after state: the source pool receives the agents' link
    setup_webhooks(app)  # after state (appkeys.DB); stopped before the database closes
    setup_identity(app, router)
    setup_housekeeping(app)  # after the identity setup (it reads its state at start); runs whatever the console
    setup_api(app, router)
    setup_online(router)
    setup_capabilities(router)
    setup_observability(app)  # /metrics, /healthz, /readyz: before the /{code} catch-all
    for setup_extension in web_extensions():  # e.g. the native ledger's partner API at /ledger/api
        setup_extension(app)  # before the /{code} catch-all
    setup_console(app)  # /admin (after the identity setup: it reads its state at start), before the catch-all
    if STATEMENTS is not None:  # opt-in benchmark hook (gateway.store.db), registered before the catch-all
        app.router.add_get("/_debug/statements", lambda _request: web.json_response(dict(STATEMENTS)))
    # host mode (gateway/hostmode): Xero's paths at the root for Xero's hostnames, /{code} as ever otherwise
    catch_all = setup_host_mode(app, dispatch) if settings.host_mode.enabled else dispatch
    app.router.add_route("*", "/{code}/{tail:.*}", catch_all)
    app.router.add_route("*", "/{code}", catch_all)
    return app
