"""Every Accounting API operation as a route below ``/{code}``, with collision guards and client aliases.

Route template = ``/api.xro/2.0`` + spec path. The router (:mod:`gateway.http.routing`) already matches
case-insensitively, tolerates a trailing slash (pyxero's ``…/history/``) and prefers literal segments
(``/Reports/BalanceSheet`` beats ``/Reports/{ReportID}``). This module adds:

- **GUID guards** where two routes of one method differ only in a parameter's name (spec paths, see
  shared/notes/xero-contract.md §5): ``/Contacts/{ContactID|ContactNumber}``, ``/Journals/{JournalID|JournalNumber}``,
  ``/PurchaseOrders/{PurchaseOrderID|PurchaseOrderNumber}``, ``…/Attachments/{AttachmentID|FileName}``. The
  parameter named ``…ID`` takes GUID-shaped values (with or without hyphens), the other one everything else.
  Guards are derived from the table, never listed by hand.
- **Aliases** (:data:`ALIASES`): ``GET /Organisations`` and ``/Organisations/Actions`` (pyxero's manager name,
  pyxero 0.9.5 ``xero/basemanager.py``), and ``GET /Invoices/{InvoiceNumber}`` for a non-GUID segment (Xero's
  docs: https://developer.xero.com/documentation/api/accounting/invoices, "GET /Invoices/{InvoiceNumber}").
- **PDF by Accept**: ``GET /Invoices/{id}``, ``/CreditNotes/{id}``, ``/PurchaseOrders/{id}`` and ``/Quotes/{id}``
  with ``Accept: application/pdf`` serve the ``get…AsPdf`` operation of the spec's ``…/{id}/pdf`` path, as
  xero-python's ``get_*_as_pdf`` calls the plain URL (xero-python 15.2.0,
  ``xero_python/accounting/api/accounting_api.py``).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from gateway.http.routing import Guard, Router
from gateway.xero.guids import is_guid

from .operations import API_PREFIX, Operation, OperationTable, OperationTableError

PDF = "application/pdf"

#: (method, spec-style path, operationId): extra spellings real clients use.
ALIASES: tuple[tuple[str, str, str], ...] = (
    ("GET", "/Organisations", "getOrganisations"),
    ("GET", "/Organisations/Actions", "getOrganisationActions"),
    ("GET", "/Invoices/{InvoiceNumber}", "getInvoice"),
)


@dataclass(frozen=True)
class RouteBinding:
    """What one route serves.

    Attributes:
        operation: the operation called.
        pdf_operation: the operation served instead when the client prefers ``application/pdf``.
        path: the path the route was registered under (the spec path, or the alias path).
    """

    operation: Operation
    pdf_operation: Operation | None = None
    path: str = ""

    def select(self, accept: str | None) -> Operation:
        """The operation for this ``Accept`` header: :attr:`pdf_operation` when PDF is preferred."""
        if self.pdf_operation is not None and prefers(accept, PDF):
            return self.pdf_operation
        return self.operation


def prefers(accept: str | None, media_type: str) -> bool:
    """Whether ``media_type`` is the first of the highest-quality types in an ``Accept`` header.

    ``"application/pdf"`` → True for PDF; ``"application/json"``, ``"*/*"`` or no header → False.
    """
    best: tuple[float, str] | None = None
    for part in (accept or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, fields[0].lower())
    return best is not None and best[1] == media_type


@dataclass(frozen=True)
class RouteEntry:
    """One route to register: method, template below ``/{code}``, guard and binding."""

    method: str
    template: str
    binding: RouteBinding
    guard: Guard | None = None


def _segments(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/") if s]


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def _shape(path: str) -> tuple[str, ...]:
    return tuple("{}" if _is_param(s) else s.lower() for s in _segments(path))


def _guid_guard(name: str, *, guid: bool) -> Guard:
    def guard(params: dict[str, str]) -> bool:
        return is_guid(params.get(name, "")) is guid

    guard.__name__ = f"{'guid' if guid else 'not_guid'}_{name}"
    return guard


def _guards(bindings: list[tuple[str, RouteBinding]]) -> dict[int, Guard]:
    """Guards for routes of one method that share a shape (index in ``bindings`` → guard).

    Raises:
        OperationTableError: the colliding routes cannot be told apart by GUID shape.
    """
    by_shape: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, (path, _) in enumerate(bindings):
        by_shape[_shape(path)].append(index)
    guards: dict[int, Guard] = {}
    for shape, indexes in by_shape.items():
        if len(indexes) == 1:
            continue
        paths = [_segments(bindings[i][0]) for i in indexes]
        differing = [pos for pos in range(len(shape)) if len({p[pos] for p in paths}) > 1]
        names = [[p[pos][1:-1] for pos in differing] for p in paths]
        id_like = [i for i, n in zip(indexes, names, strict=True) if len(n) == 1 and n[0].endswith("ID")]
        if len(indexes) != 2 or len(differing) != 1 or len(id_like) != 1:
            listing = ", ".join(bindings[i][0] for i in indexes)
            raise OperationTableError(f"routes cannot be told apart by GUID shape: {listing}")
        for index, name in zip(indexes, names, strict=True):
            guards[index] = _guid_guard(name[0], guid=index in id_like)
    return guards


def route_entries(table: OperationTable) -> list[RouteEntry]:
    """Every route: the spec's operations (in spec order), then :data:`ALIASES`, with guards and PDF bindings.

    Raises:
        OperationTableError: an alias names an unknown operation, or a collision cannot be guarded.
    """
    def pdf_for(op: Operation) -> Operation | None:
        if op.method != "GET":
            return None
        return table.find("GET", op.path + "/pdf")

    by_method: dict[str, list[tuple[str, RouteBinding]]] = defaultdict(list)
    for op in table.values():
        by_method[op.method].append((op.path, RouteBinding(op, pdf_for(op), op.path)))
    for method, path, operation_id in ALIASES:
        if operation_id not in table:
            raise OperationTableError(f"alias {method} {path} names unknown operation {operation_id}")
        op = table[operation_id]
        by_method[method].append((path, RouteBinding(op, pdf_for(op), path)))

    entries: list[RouteEntry] = []
    for method, bindings in by_method.items():
        guards = _guards(bindings)
        for index, (path, binding) in enumerate(bindings):
            entries.append(RouteEntry(method, API_PREFIX + path, binding, guards.get(index)))
    return entries


OperationHandler = Callable[..., Awaitable[web.StreamResponse]]


def register(router: Router, table: OperationTable, handler: OperationHandler) -> list[RouteEntry]:
    """Add every route of :func:`route_entries` to ``router``.

    Args:
        router: the application's router (below ``/{code}``).
        table: the operation table.
        handler: ``async def handler(request, code, params, *, binding)``; bound per route with
            ``functools.partial``.

    Returns:
        The registered entries.
    """
    entries = route_entries(table)
    for entry in entries:
        router.add(entry.method, entry.template, functools.partial(handler, binding=entry.binding),
                   guard=entry.guard, extra=entry.binding)
    return entries


def register_earlier(router: Router, table: OperationTable, handler: OperationHandler) -> None:
    """Add the routes of operations from earlier spec versions (:data:`.operations.EARLIER_TABLES`): one route per
    operation, no aliases, no PDF; their paths share no template with the spec's, so they need no guard."""
    for op in table.values():
        binding = RouteBinding(op, None, op.path)
        router.add(op.method, op.route_template, functools.partial(handler, binding=binding), extra=binding)
