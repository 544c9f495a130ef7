"""Xero-shaped error responses: one rendering for every failure, and the middleware that applies it.

Shapes (shared/notes/xero-contract.md §3): a JSON body for API errors (``ErrorNumber``/``Type``/``Message`` or
ProblemDetails for 401/403), plain text where Xero answers text (404). Every response carries a
``Xero-Correlation-Id``; an unexpected exception is logged with it and answered with Xero's 500 shape, never a stack
trace. A full database (disk) is answered 503 with ``Retry-After`` (:class:`~gateway.xero.errors.StorageFull`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable

import structlog
from aiohttp import web
from sqlalchemy.exc import OperationalError

from gateway.observability.context import REQUEST_ID
from gateway.store.db import is_storage_full
from gateway.xero.errors import RequestTooLarge, StorageFull, XeroApiError

log = structlog.get_logger("gateway")


def render_error(exc: XeroApiError) -> web.Response:
    """A Xero-shaped error response (JSON body, or plain text where Xero answers text)."""
    body = exc.body()
    headers = dict(exc.headers)
    if isinstance(body, str):
        return web.Response(status=exc.status, text=body, content_type="text/plain", headers=headers)
    return web.Response(status=exc.status, text=json.dumps(body), content_type="application/json",
                        headers=headers)


@web.middleware
async def error_middleware(request: web.Request,
                           handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    """Xero-shaped errors for every failure; never a stack trace to the client."""
    correlation_id = request.get(REQUEST_ID) or str(uuid.uuid4())  # the request id, when the app binds one
    try:
        response = await handler(request)
    except XeroApiError as exc:
        response = render_error(exc)
    except web.HTTPRequestEntityTooLarge:  # aiohttp's plain-text 413 when a body exceeds client_max_size
        response = render_error(RequestTooLarge(request.client_max_size))
    except web.HTTPException:
        raise
    except OperationalError as exc:
        if not is_storage_full(exc):
            log.exception("unhandled_error", path=request.path, method=request.method,
                          correlation_id=correlation_id)
            response = render_error(XeroApiError("An unhandled error occurred"))
        else:  # a full disk is the operator's to fix; the client may retry later
            log.error("storage_full", path=request.path, method=request.method, correlation_id=correlation_id)
            response = render_error(StorageFull())
    except Exception:  # noqa: BLE001 - last line of defence: log it, answer Xero's 500 shape
        log.exception("unhandled_error", path=request.path, method=request.method,
                      correlation_id=correlation_id)
        response = render_error(XeroApiError("An unhandled error occurred"))
    response.headers.setdefault("Xero-Correlation-Id", correlation_id)
    return response
