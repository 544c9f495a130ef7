"""The one generic Accounting API handler: authenticate, find the adapter method, build the request, render.

Order of checks (shared/notes/xero-contract.md §3, §8):

1. The operation: the route's, or its ``get…AsPdf`` sibling when ``Accept`` prefers ``application/pdf``.
2. The adapter for the source code: 404 for an unknown code, 503 naming the code and what the operator must
   register for a known but unconfigured source (no token can be valid there, so this comes first).
3. :func:`gateway.identity.guard.authenticate_api_call` with the operation's scopes and spec path (401/403);
   then an operation the adapter does not implement is a 501 ``OperationNotSupported`` naming the operation and
   the code.
4. Query and body parsing (400 ``ValidationException``/``QueryParseException``/``PostDataInvalidException``).
5. For a ``GET`` the adapter versions (:meth:`adapters.base.SourceAdapter.answer_version`), an answer kept under
   the same version and request is sent as is (:mod:`gateway.api.answer_cache`).
6. The adapter call; its :class:`Result` is rendered by :func:`gateway.api.render.render_result`, as Xero's XML
   or as JSON by the request's ``Accept`` (:func:`gateway.api.render.wants_xml`); an error in the spec's
   ``Error`` shape goes out as XML ``<ApiException>`` to the same clients
   (:func:`gateway.api.render.xml_error_wanted`).

Around steps 3-6: once the guard has named the tenant, the call is rate-limited (:func:`gateway.ratelimit.admitted`:
429 over Xero's limits, a concurrency slot held until the response is rendered); a PUT/POST with an
``Idempotency-Key`` runs step 5 at most once per key and request (:func:`gateway.api.idempotency.idempotent`);
after an unknown outcome it first asks the adapter for the write it may have committed
(:meth:`adapters.base.SourceAdapter.recorded_write`).
After a successful write, webhook events are queued (:func:`gateway.webhooks.writes.emit_write_events`).

With ``summarizeErrors=false`` a ``ValidationException`` from the adapter is answered as Xero does: HTTP 200, each
echoed element carrying ``StatusAttributeString: "ERROR"`` and its ``ValidationErrors``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from adapters.base import SourceAdapter
from gateway.appkeys import ANSWER_CACHE, SETTINGS, SOURCES
from gateway.identity.guard import authenticate_api_call
from gateway.observability.metrics import ANSWER_CACHE_HITS, ANSWER_CACHE_MISSES
from gateway.ratelimit import admitted
from gateway.webhooks.writes import emit_write_events
from gateway.xero.errors import OperationNotSupported, ValidationException, XeroApiError
from gateway.xero.request import RequestContext, Result, XeroRequest

from .answer_cache import answer_key
from .body import read_elements
from .idempotency import idempotent
from .operations import Operation
from .params import check_query_encoding, list_query, raw_parameters, typed_parameters
from .render import render_result, wants_xml, xml_error_response, xml_error_wanted
from .routes import RouteBinding

#: ``Idempotency-Key`` is at most 128 characters (spec: the ``idempotencyKey`` header parameter).
MAX_IDEMPOTENCY_KEY = 128


def _idempotency_key(request: web.Request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and len(key) > MAX_IDEMPOTENCY_KEY:
        raise ValidationException.single(
            f"Idempotency-Key must be at most {MAX_IDEMPOTENCY_KEY} characters; it has {len(key)}")
    # Printable ASCII only (the IETF draft's sf-string, draft-ietf-httpapi-idempotency-key-header): aiohttp hands a
    # raw \xff byte over as a lone surrogate, which no database can store.
    if key is not None and not all(" " <= ch <= "~" for ch in key):
        raise ValidationException.single("Idempotency-Key must be printable ASCII text")
    return key


def _failed_elements(exc: ValidationException) -> list[dict[str, Any]]:
    return [{**element, "StatusAttributeString": "ERROR"} for element in exc.elements]


async def handle(request: web.Request, code: str, params: dict[str, str], *, binding: RouteBinding
                 ) -> web.StreamResponse:
    """Serve one Accounting API call.

    Args:
        request: the HTTP request.
        code: the source code from the URL (``/{code}/api.xro/2.0/...``).
        params: path parameters, named as in the route's path (the spec's names, or the alias's).
        binding: what the matched route serves.

    Returns:
        The rendered response (XML or JSON envelope, bare object, binary content or 204); an error in the spec's
        ``Error`` shape is answered directly as Xero's XML ``<ApiException>`` when
        :func:`gateway.api.render.xml_error_wanted` (XML answers asked for, or a 501 to a client that sends XML:
        pyxero parses 501 bodies as XML).

    Raises:
        NotFound, SourceNotConfigured: unknown or unconfigured source code (404/503).
        Unauthorized, Forbidden: from the guard (401/403).
        OperationNotSupported: the adapter lacks the operation (501).
        ValidationException, QueryParseException, PostDataInvalidException: bad query, header or body (400).
        XeroApiError: anything the adapter raises.
    """
    op = binding.select(request.headers.get("Accept"))
    xml = wants_xml(request)
    try:
        return await _serve(request, code, params, op, xml=xml)
    except XeroApiError as exc:
        if xml_error_wanted(request, exc):
            return xml_error_response(exc, op=op)
        raise


async def _serve(request: web.Request, code: str, params: dict[str, str], op: Operation, *, xml: bool
                 ) -> web.StreamResponse:
    adapter = await request.app[SOURCES].get(code)
    ctx = await authenticate_api_call(request, code, scopes=op.scopes, path=op.path)
    async with admitted(request, ctx):
        return await _call(request, ctx, adapter, params, op, xml=xml)


async def _call(request: web.Request, ctx: RequestContext, adapter: SourceAdapter, params: dict[str, str],
                op: Operation, *, xml: bool) -> web.StreamResponse:
    method = adapter.operation(op.id)
    if method is None:
        raise OperationNotSupported(op.id, ctx.source_code)

    check_query_encoding(request.rel_url.raw_query_string)
    parameters = typed_parameters(request.query, op)
    query = list_query(parameters, request.headers, op)
    elements = await read_elements(request, op, params)
    xero_request = XeroRequest(
        operation_id=op.id,
        method=op.method,
        path_params=dict(params),
        query=query,
        params=raw_parameters(request.query),
        parameters=parameters,
        elements=elements,
        accept=request.headers.get("Accept") or "application/json",
        idempotency_key=_idempotency_key(request),
    )
    provider_name = ctx.app_name or request.app[SETTINGS].server.provider_name
    # A read the adapter versions: a kept answer for the same version, request and caller (gateway.api.answer_cache).
    # Here, after the guard, the rate limiter and the request's validation; errors are never kept.
    cache = request.app.get(ANSWER_CACHE)
    key = None
    if cache is not None and op.method == "GET":
        version = await adapter.answer_version(ctx, op.id)
        if version is not None:
            key = answer_key(request, ctx, version=version, operation_id=op.id, path_params=xero_request.path_params,
                             provider_name=provider_name)
            if (kept := cache.get(key) or await cache.wait(key)) is not None:
                ANSWER_CACHE_HITS.labels(ctx.source_code, op.id).inc()
                return kept
            ANSWER_CACHE_MISSES.labels(ctx.source_code, op.id).inc()

    async def answer(recovering: bool) -> web.StreamResponse:
        try:
            recorded = await adapter.recorded_write(ctx, xero_request) if recovering else None
            result: Result = recorded if recorded is not None else await method(ctx, xero_request)
        except ValidationException as exc:
            if query.summarize_errors or not op.response_key:
                raise
            result = Result(items=_failed_elements(exc))
        if not isinstance(result, Result):
            raise TypeError(f"{type(adapter).__name__}.{op.snake_name} returned {type(result).__name__}, not Result")
        await emit_write_events(request.app, op, ctx, xero_request, result)
        response = render_result(result, op=op, provider_name=provider_name,
                                 summarize_errors=query.summarize_errors, xml=xml)
        if key is not None:
            cache.put(key, response)
        return response

    async def call(recovering: bool) -> web.StreamResponse:
        try:
            return await answer(recovering)
        except XeroApiError as exc:
            # rendered here, not in handle(), so that an Idempotency-Key replays the XML error as first answered
            # (the key keeps a 4xx answer and drops a 5xx one, whichever way it was rendered)
            if xml_error_wanted(request, exc):
                return xml_error_response(exc, op=op)
            raise

    computing = key is not None and cache.computing(key)  # concurrent misses of this answer wait for this one
    try:
        return await idempotent(request, ctx, method=op.method, operation_id=op.id,
                                key=xero_request.idempotency_key, call=call)
    finally:
        if computing:
            cache.done(key)

