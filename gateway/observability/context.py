"""The request id: one per HTTP request, Xero's ``Xero-Correlation-Id``.

Xero answers ``Xero-Correlation-Id`` on every response (shared/notes/xero-contract.md §4); the gateway uses that
same value as its request id in every log line rather than inventing a second header. This module only names it,
so that the error middleware (:mod:`gateway.http.errors`) can read it without importing the middlewares.

It also names the request keys host mode (:mod:`gateway.hostmode`) sets, because its requests carry no source code
in their path (issue 12): the metrics middleware labels them by these as a ``/{code}/…`` request is labelled by its
path.
"""

from __future__ import annotations

from aiohttp import web

#: The response header that carries the request id (Xero's name).
HEADER = "Xero-Correlation-Id"
#: The request id, set on the request by :func:`gateway.observability.requests.observe`.
REQUEST_ID: web.RequestKey[str] = web.RequestKey("request_id", str)
#: Host mode: the path an Accounting API (or other ``/{code}`` route's) request is served at, as the tail of
#: ``/{code}`` (``/api.xro/2.0/Invoices``): its operation is resolved from it.
ROUTED_TAIL: web.RequestKey[str] = web.RequestKey("routed_tail", str)
#: Host mode: the source code the request was routed to (from its grant, token or ``xero-tenant-id``).
ROUTED_SOURCE: web.RequestKey[str] = web.RequestKey("routed_source", str)
#: Host mode: the route template of one of host mode's own routes (``/connect/token``, ``/connections/{id}``…).
ROUTED_OPERATION: web.RequestKey[str] = web.RequestKey("routed_operation", str)
