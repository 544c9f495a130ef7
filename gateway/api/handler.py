"""The one generic Accounting API handler: authenticate, find the adapter method, build the request, render.

Order of checks (shared/notes/xero-contract.md §3, §8):

1. The operation: the route's, or its ``get…AsPdf`` sibling when ``Accept`` prefers ``application/pdf``.
2. The adapter for the source code: 404 for an unknown code, 503 naming the code and what the operator must
   register for a known but unconfigured source (no token can be valid there, so this comes first).
3. :func:`gateway.identity.guard.authenticate_api_call` with the operation's scopes and spec path (401/403);
   then an operation the adapter does not implement is a 501 ``OperationNotSupported`` naming the operation and
   the code.
4. Query and body parsing (400 ``ValidationException``/``QueryParseException``/``PostDataInvalidException``).
5. The adapter call; its :class:`Result` is rendered by :func:`gateway.api.render.render_result`.

Around steps 3-5: once the guard has named the tenant, the call is rate-limited (:func:`gateway.ratelimit.admitted`:
429 over Xero's limits, a concurrency slot held until the response is rendered); a PUT/POST with an
``Idempotency-Key`` runs step 5 at most once per key and request (:func:`gateway.api.idempotency.idempotent`).

With ``summarizeErrors=false`` a ``ValidationException`` from the adapter is answered as Xero does: HTTP 200, each
echoed element carrying ``StatusAttributeString: "ERROR"`` and its ``ValidationErrors``.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from adapters.base import SourceAdapter
from gateway.appkeys import SETTINGS, SOURCES
from gateway.identity.guard import authenticate_api_call
from gateway.ratelimit import admitted
from gateway.xero.errors import OperationNotSupported, ValidationException
from gateway.xero.request import RequestContext, Result, XeroRequest

from .body import read_elements
from .idempotency import idempotent
from .operations import Operation
from .params import list_query, raw_parameters, typed_parameters
from .render import render_result, speaks_xml, xml_error_response
from .routes import RouteBinding

#: ``Idempotency-Key`` is at most 128 characters (spec: the ``idempotencyKey`` header parameter).
MAX_IDEMPOTENCY_KEY = 128


def _idempotency_key(request: web.Request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and len(key) > MAX_IDEMPOTENCY_KEY:
        raise ValidationException.single(
            f"Idempotency-Key must be at most {MAX_IDEMPOTENCY_KEY} characters; it has {len(key)}")
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
        The rendered response (JSON envelope, bare object, binary content or 204).

    Raises:
        NotFound, SourceNotConfigured: unknown or unconfigured source code (404/503).
        Unauthorized, Forbidden: from the guard (401/403).
        OperationNotSupported: the adapter lacks the operation (501; answered directly as Xero's XML
            ``<ApiException>`` when the client speaks XML, as pyxero parses 501 bodies as XML).
        ValidationException, QueryParseException, PostDataInvalidException: bad query, header or body (400).
        XeroApiError: anything the adapter raises.
    """
    try:
        return await _serve(request, code, params, binding.select(request.headers.get("Accept")))
    except OperationNotSupported as exc:
        if speaks_xml(request):
            return xml_error_response(exc)
        raise


async def _serve(request: web.Request, code: str, params: dict[str, str], op: Operation) -> web.StreamResponse:
    adapter = await request.app[SOURCES].get(code)
    ctx = await authenticate_api_call(request, code, scopes=op.scopes, path=op.path)
    async with admitted(request, ctx):
        return await _call(request, ctx, adapter, params, op)


async def _call(request: web.Request, ctx: RequestContext, adapter: SourceAdapter, params: dict[str, str],
                op: Operation) -> web.StreamResponse:
    method = adapter.operation(op.id)
    if method is None:
        raise OperationNotSupported(op.id, ctx.source_code)

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

    async def call() -> web.StreamResponse:
        try:
            result: Result = await method(ctx, xero_request)
        except ValidationException as exc:
            if query.summarize_errors or not op.response_key:
                raise
            result = Result(items=_failed_elements(exc))
        if not isinstance(result, Result):
            raise TypeError(f"{type(adapter).__name__}.{op.snake_name} returned {type(result).__name__}, not Result")
        return render_result(result, op=op, provider_name=provider_name, summarize_errors=query.summarize_errors)

    return await idempotent(request, ctx, method=op.method, operation_id=op.id, key=xero_request.idempotency_key,
                            call=call)

