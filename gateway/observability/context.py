"""The request id: one per HTTP request, Xero's ``Xero-Correlation-Id``.

Xero answers ``Xero-Correlation-Id`` on every response (shared/notes/xero-contract.md §4); the gateway uses that
same value as its request id in every log line rather than inventing a second header. This module only names it,
so that the error middleware (:mod:`gateway.http.errors`) can read it without importing the middlewares.
"""

from __future__ import annotations

from aiohttp import web

#: The response header that carries the request id (Xero's name).
HEADER = "Xero-Correlation-Id"
#: The request id, set on the request by :func:`gateway.observability.requests.observe`.
REQUEST_ID: web.RequestKey[str] = web.RequestKey("request_id", str)
