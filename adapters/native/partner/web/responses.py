"""The partner API's error answers: ``{"error": {"code", "message", "retryable"}}`` from a
:class:`~adapters.native.partner.errors.PartnerError` (with ``WWW-Authenticate`` for ``invalid_token``, RFC 6750 §3)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from adapters.native.partner.errors import PartnerError

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error_response(exc: PartnerError) -> web.Response:
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if exc.code == "invalid_token" else None
    return web.json_response(exc.body(), status=exc.status, headers=headers)


def answers_errors(handler: Handler) -> Handler:
    """Render a :class:`PartnerError` in the partner API's error shape."""
    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except PartnerError as exc:
            return error_response(exc)

    return wrapped
