"""The application factory: one aiohttp app, typed state, start-up/shut-down pairs in ``cleanup_ctx``.

Every gateway URL is ``/{code}/…`` where ``code`` is a source-software code; the rest of the path is resolved by
:class:`gateway.routing.Router` (case-insensitive, trailing-slash tolerant). Identity routes come from
``gateway.identity``; Accounting API routes from ``gateway.api``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

import structlog
from aiohttp import web

from . import appkeys
from .settings import SOURCE_CODES, Settings
from .sources import SourcePool
from .store.db import Database
from .xero.errors import NotFound, RequestTooLarge, XeroApiError

log = structlog.get_logger("gateway")

ROUTER: web.AppKey = web.AppKey("router")

#: Largest request body accepted, in bytes (aiohttp's ``client_max_size``). Xero's own cap is 3.5-10 MB
#: (shared/notes/xero-contract.md §2 "PUT vs POST").
CLIENT_MAX_SIZE = 10 * 1024 * 1024


def render_error(exc: XeroApiError) -> web.Response:
    """A Xero-shaped error response (JSON body, or plain text where Xero answers text)."""
    body = exc.body()
    headers = dict(exc.headers)
    if isinstance(body, str):
        return web.Response(status=exc.status, text=body, content_type="text/plain", headers=headers)
    return web.Response(status=exc.status, text=json.dumps(body), content_type="application/json",
                        headers=headers)


@web.middleware
async def error_middleware(request: web.Request, handler) -> web.StreamResponse:
    """Xero-shaped errors for every failure; never a stack trace to the client."""
    correlation_id = str(uuid.uuid4())
    try:
        response = await handler(request)
    except XeroApiError as exc:
        response = render_error(exc)
    except web.HTTPRequestEntityTooLarge:  # aiohttp's plain-text 413 when a body exceeds client_max_size
        response = render_error(RequestTooLarge(request.client_max_size))
    except web.HTTPException:
        raise
    except Exception:  # noqa: BLE001 - last line of defence: log it, answer Xero's 500 shape
        log.exception("unhandled_error", path=request.path, method=request.method,
                      correlation_id=correlation_id)
        response = render_error(XeroApiError("An unhandled error occurred"))
    response.headers.setdefault("Xero-Correlation-Id", correlation_id)
    return response


async def dispatch(request: web.Request) -> web.StreamResponse:
    code = request.match_info["code"]
    if code not in SOURCE_CODES:
        raise NotFound()
    tail = "/" + request.match_info.get("tail", "")
    router = request.app[ROUTER]
    route, params, known = router.resolve(request.method, tail)
    if route is None:
        if known:
            raise web.HTTPMethodNotAllowed(request.method, [])
        raise NotFound()
    return await route.handler(request, code, params)


def create_app(settings: Settings) -> web.Application:
    """Build the gateway application for ``settings`` (not yet started)."""
    from .api import setup as setup_api
    from .api.idempotency import setup as setup_idempotency
    from .identity import setup as setup_identity
    from .ratelimit import quota_headers
    from .ratelimit import setup as setup_rate_limits
    from .routing import Router
    from .store.runtime import setup as setup_runtime_db
    from .webhooks.dispatcher import setup as setup_webhooks

    # quota_headers wraps error_middleware so that error responses carry the rate-limit headers too.
    app = web.Application(middlewares=[quota_headers, error_middleware], client_max_size=CLIENT_MAX_SIZE)
    app[appkeys.SETTINGS] = settings
    router = Router()
    app[ROUTER] = router

    async def state(app: web.Application) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(settings.database_url)
        await db.create_all()
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
    setup_webhooks(app)  # after state (appkeys.DB); stopped before the database closes
    setup_identity(app, router)
    setup_api(app, router)
    app.router.add_route("*", "/{code}/{tail:.*}", dispatch)
    app.router.add_route("*", "/{code}", dispatch)
    return app
