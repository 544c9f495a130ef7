"""The outermost middleware: a request id bound to every log line, and the request metrics.

For each request :func:`observe`

1. draws the request id (a UUID), stores it on the request (:data:`~.context.REQUEST_ID`) and binds it as
   ``request_id`` in structlog's context variables, so that every log line written while the request is served
   carries it; the binding is undone when the request ends;
2. answers it in ``Xero-Correlation-Id`` (:data:`~.context.HEADER`) on every response, errors and aiohttp's own
   exceptions included;
3. counts the request in :data:`~.metrics.REQUESTS` and times it in :data:`~.metrics.REQUEST_DURATION`, and counts a
   rate-limit refusal (a 429 carrying Xero's ``X-Rate-Limit-Problem``, shared/notes/xero-contract.md §4) in
   :data:`~.metrics.RATE_LIMIT_REJECTIONS`. The limiter itself (:mod:`gateway.ratelimit`) is not touched.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable, Mapping

import structlog
from aiohttp import web

from gateway import appkeys
from gateway.settings import SOURCE_CODES

from .context import HEADER, REQUEST_ID, ROUTED_OPERATION, ROUTED_SOURCE, ROUTED_TAIL
from .metrics import RATE_LIMIT_REJECTIONS, REQUEST_DURATION, REQUESTS

#: Label of a request no route matched (keeps the label set bounded).
UNMATCHED = "unmatched"
#: ``source`` label of a request outside ``/{code}/…``.
NO_SOURCE = "none"


def _routed(request: web.Request) -> tuple[str | None, str | None]:
    """``(source code, tail)`` of ``/{code}/{tail}``, or what host mode routed a request at Xero's path to
    (:data:`~.context.ROUTED_SOURCE`, :data:`~.context.ROUTED_TAIL`); ``None`` for what is not known."""
    code = request.match_info.get("code")
    if code in SOURCE_CODES:
        return code, "/" + request.match_info.get("tail", "")
    return request.get(ROUTED_SOURCE), request.get(ROUTED_TAIL)


def source_label(request: web.Request) -> str:
    """The request's source code, or ``none`` (an unknown code is not a label value: it would be unbounded)."""
    code, _tail = _routed(request)
    return code if code in SOURCE_CODES else NO_SOURCE


def operation_label(request: web.Request) -> str:
    """The Xero ``operationId`` of an Accounting API call, or the route template of any other route.

    The tail is resolved again on the app's router as :func:`gateway.http.dispatch.dispatch` resolved it; an
    Accounting API route's ``extra`` is its :class:`gateway.api.routes.RouteBinding`, whose ``select`` picks the
    ``…AsPdf`` sibling the handler served for ``Accept: application/pdf``. A host-mode request is labelled by the
    template of host mode's own route, or resolved at the path host mode served it at (:mod:`.context`).
    """
    if request.match_info.get("code") is None:  # a route of aiohttp's own router (/metrics, /healthz…)
        resource = request.match_info.route.resource
        return resource.canonical if resource is not None else UNMATCHED
    if ROUTED_OPERATION in request:  # one of host mode's own routes
        return request[ROUTED_OPERATION]
    _code, tail = _routed(request)
    router = request.app.get(appkeys.ROUTER)
    if tail is None or router is None:
        return UNMATCHED
    route, _params, _known = router.resolve(request.method, tail)
    if route is None:
        return UNMATCHED
    select = getattr(route.extra, "select", None)
    return select(request.headers.get("Accept")).id if select is not None else route.template


def _record(request: web.Request, status: int | str, headers: Mapping[str, str], started: float) -> None:
    source, operation = source_label(request), operation_label(request)
    REQUESTS.labels(source=source, operation=operation, status=str(status)).inc()
    REQUEST_DURATION.labels(source=source, operation=operation).observe(time.perf_counter() - started)
    problem = headers.get("X-Rate-Limit-Problem")
    if status == 429 and problem:
        RATE_LIMIT_REJECTIONS.labels(source=source, problem=problem.lower()).inc()


@web.middleware
async def observe(request: web.Request,
                  handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    """Serve ``request`` with its request id bound and answered, and record its metrics (module docstring)."""
    request_id = str(uuid.uuid4())
    request[REQUEST_ID] = request_id
    started = time.perf_counter()
    with structlog.contextvars.bound_contextvars(request_id=request_id):
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # aiohttp's own answers (405, redirects) are responses too
            exc.headers[HEADER] = request_id
            _record(request, exc.status, exc.headers, started)
            raise
        except BaseException:  # the error middleware answers every failure: this request was cancelled
            _record(request, "cancelled", {}, started)
            raise
        if not response.prepared:  # a streamed response has sent its headers already
            response.headers[HEADER] = request_id
        _record(request, response.status, response.headers, started)
        return response
