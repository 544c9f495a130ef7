"""``Idempotency-Key`` for every adapter: a key's first known outcome is replayed, never produced twice.

Xero's rule (spec ``components.parameters.idempotencyKey`` on every PUT and POST: "This allows you to safely retry
requests without the risk of duplicate processing. 128 character max."; shared/notes/xero-contract.md §2: the same
key with a different body answers 400, details unconfirmed):

- Only ``PUT`` and ``POST`` Accounting calls that send the header take part; the key is scoped to the calling app
  (``client_id``), the tenant and the source code.
- The request is fingerprinted: SHA-256 over method, path, the query (sorted name/value pairs) and the SHA-256 of
  the raw body. The same key with another fingerprint is answered with a 400 ``ValidationException`` (message
  wording unconfirmed: Xero's text is not published in the spec).
- The record is written ``in_progress`` *before* the adapter call, by one atomic
  ``INSERT … ON CONFLICT DO UPDATE … WHERE expires_at <= now`` (a live record is left alone, an expired one is
  replaced): of concurrent identical requests exactly one calls the adapter. It is completed *after* the call:

  - a response below 500, or an adapter error with a 4xx status other than 429, is stored (status, body, content
    type) and replayed to every later request with the same key and fingerprint, without calling the adapter;
  - a 5xx, a 429 from the source system, or any other exception is an *unknown outcome*: nothing is stored as a
    result, the record becomes ``unknown`` and the next request with the same key calls the adapter again, passing
    the same ``req.idempotency_key``; the gateway never turns an unknown outcome into a success.

  Before calling the adapter again for an unknown outcome, the gateway asks it whether the earlier call's write
  committed (:meth:`adapters.base.SourceAdapter.recorded_write`, through ``call(recovering=True)``): the source's
  own commit may have happened just before the gateway lost track of it (a crash between the two databases'
  commits), and only the source can tell. Its answer is stored and replayed like a first answer.

  Guarantee for adapters (the Sage adapter relies on it): when an adapter receives ``req.idempotency_key``, this
  request owns that key's record, which was committed ``in_progress`` before the adapter was called and is
  completed only after it returns; no other request with the key reaches an adapter meanwhile (for at most
  ``in_progress_timeout`` seconds, after which the owner is presumed dead). A second call with
  the same key means the earlier ones ended with an unknown outcome, so an adapter whose source system can find its
  own earlier write by that key reconciles there instead of writing again.

- A concurrent duplicate (same key and fingerprint while the first call is in progress) waits for the outcome, at
  most ``[idempotency] wait`` seconds (default 10), and replays it; if the first call has not finished by then it
  is answered 409 :class:`~gateway.store.idempotency.IdempotentRequestInProgress` and may retry later. Waiting
  first spares well-behaved clients (a retry after a client-side timeout usually arrives while the first call still
  runs) a spurious error; the bound keeps a stuck upstream from holding connections open.
- A record still ``in_progress`` after ``[idempotency] in_progress_timeout`` seconds (its process died mid-call)
  counts as an unknown outcome.
- Keys are kept in the gateway's database (they survive a restart and are shared by every process on it) for
  ``[idempotency] retention`` seconds after the call ended, default 86,400 (24 hours). Xero keeps its keys a few
  minutes (xero-contract.md §2, unconfirmed); the gateway keeps them longer because its upstreams can be slow and
  an unknown outcome must stay detectable while a client is still retrying with backoff; a key is a small row, and
  operators wanting Xero's window set ``retention = 360``.

This module is the aiohttp glue (:func:`idempotent`, :func:`setup`); the records live in
:mod:`gateway.store.idempotency`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web

from gateway import appkeys
from gateway.appkeys import IDEMPOTENCY
from gateway.http.errors import render_error
from gateway.observability.metrics import IDEMPOTENT_REPLAYS
from gateway.store.idempotency import IdempotencyStore, KeyScope, StoredResponse, fingerprint
from gateway.xero.errors import XeroApiError
from gateway.xero.request import RequestContext

#: Methods whose calls take part (spec: ``idempotencyKey`` is a parameter of every PUT and POST).
METHODS = ("PUT", "POST")


async def request_fingerprint(request: web.Request) -> str:
    """SHA-256 (hex) of method, path, sorted query pairs and the SHA-256 of the raw body (read once and cached by
    aiohttp)."""
    return fingerprint(request.method, request.path, list(request.query.items()), await request.read())


def stored_form(response: web.StreamResponse) -> StoredResponse | None:
    """The storable form of a rendered response; ``None`` for a streamed one (not replayable)."""
    if not isinstance(response, web.Response) or response.prepared:
        return None
    body = response.body
    if body is not None and not isinstance(body, bytes):
        return None
    return StoredResponse(status=response.status, content_type=response.headers.get("Content-Type") if body else None,
                          body=body or None)


def replay(stored: StoredResponse) -> web.Response:
    """The response to send again for a stored one."""
    headers = {"Content-Type": stored.content_type} if stored.content_type else None
    return web.Response(status=stored.status, body=stored.body, headers=headers)


def _replayable_error(exc: XeroApiError) -> bool:
    """A client error the source system answered knowingly (4xx but not 429: a rate limit did no work)."""
    return 400 <= exc.status < 500 and exc.status != 429


async def idempotent(request: web.Request, ctx: RequestContext, *, method: str, operation_id: str,
                     key: str | None, call: Callable[[bool], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    """Run ``call`` (the adapter call and its rendering) under the request's ``Idempotency-Key``.

    Args:
        request: the HTTP request (its body is fingerprinted).
        ctx: the authenticated caller (the key's scope).
        method: the operation's HTTP method (only ``PUT``/``POST`` take part).
        operation_id: the operation's ``operationId`` (stored with the key).
        key: the validated ``Idempotency-Key`` header; ``None`` or empty: no key.
        call: renders the response; called at most once per key outcome, with ``True`` (recovering) when an
            earlier call with the key ended with an unknown outcome (it asks the adapter for that call's committed
            write first).

    Returns:
        ``call``'s response, or the stored response of an earlier call with the same key and request.

    Raises:
        ValidationException: the key was used with a different request (400).
        IdempotentRequestInProgress: a concurrent call with the key did not finish within the wait (409).
        XeroApiError: whatever ``call`` raises (a 4xx is stored first and replayed to later requests).
    """
    store = request.app.get(IDEMPOTENCY)
    if store is None or not key or method not in METHODS:
        return await call(False)
    scope = KeyScope(source_code=ctx.source_code, client_id=ctx.client_id, tenant_id=ctx.tenant_id, key=key)
    begun = await store.begin(scope, fingerprint=await request_fingerprint(request), operation_id=operation_id)
    if isinstance(begun, StoredResponse):
        IDEMPOTENT_REPLAYS.labels(source=ctx.source_code, operation=operation_id).inc()
        return replay(begun)
    stored: StoredResponse | None = None
    try:
        response = await call(begun.attempts > 1)
        stored = stored_form(response)
        if stored is not None and stored.status >= 500:
            stored = None
        return response
    except XeroApiError as exc:
        if _replayable_error(exc):
            stored = stored_form(render_error(exc))  # the app's own rendering, so that replays are identical
        raise
    finally:
        await store.finish(scope, stored, attempts=begun.attempts)


def setup(app: web.Application) -> None:
    """Create the key store at start-up (it needs :data:`gateway.appkeys.RUNTIME_DB`: call this after
    ``gateway.store.runtime.setup``)."""

    async def idempotency(app: web.Application) -> AsyncIterator[None]:
        app[IDEMPOTENCY] = IdempotencyStore(app[appkeys.RUNTIME_DB], app[appkeys.SETTINGS].idempotency)
        yield

    app.cleanup_ctx.append(idempotency)
