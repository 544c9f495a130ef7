"""Case-insensitive routing under ``/{code}``.

Xero matches paths case-insensitively (xero-python calls ``/Connections``, pyxero ``/Organisations`` and lowercase
``/history``) and clients add trailing slashes (pyxero: ``…/Attachments/``). aiohttp's router is case-sensitive,
so the gateway mounts one catch-all route and resolves the rest of the path here.

A route is ``(method, template)`` with ``{Name}`` segments, e.g. ``GET /api.xro/2.0/Invoices/{InvoiceID}``;
templates match whole segments, case-insensitively, with an optional trailing slash. Among several matching
templates the most literal one wins (fewest parameters), then registration order, so ``/Reports/BalanceSheet``
beats ``/Reports/{ReportID}``. A route may carry a ``guard`` on its parameters (e.g. "is a GUID") to separate
``/Contacts/{ContactID}`` from ``/Contacts/{ContactNumber}``.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request, str, dict[str, str]], Awaitable[web.StreamResponse]]
Guard = Callable[[dict[str, str]], bool]

@dataclass
class Route:
    method: str
    template: str
    regex: re.Pattern[str]
    params: int
    handler: Handler
    guard: Guard | None
    extra: Any


class Router:
    """Routes below ``/{code}``; see the module docstring."""

    def __init__(self) -> None:
        self._routes: list[Route] = []

    def add(self, method: str, template: str, handler: Handler, *, guard: Guard | None = None,
            extra: Any = None) -> None:
        parts = [p for p in template.strip("/").split("/") if p]
        pattern = "".join(
            f"/(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") and p.endswith("}") else "/" + re.escape(p)
            for p in parts)
        regex = re.compile(f"^{pattern}/?$", re.IGNORECASE)
        params = sum(1 for p in parts if p.startswith("{"))
        self._routes.append(Route(method.upper(), template, regex, params, handler, guard, extra))
        # Stable: literal segments beat parameters, then registration order.
        self._routes.sort(key=lambda r: r.params)

    def resolve(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """Find the route for ``method`` and ``path`` (the part after ``/{code}``).

        Returns:
            ``(route, params, path_known)``: ``route`` is ``None`` when nothing matches; ``path_known`` tells a
            405 (path exists for another method) from a 404.
        """
        path_known = False
        for route in self._routes:
            m = route.regex.match(path)
            if not m:
                continue
            params = m.groupdict()
            if route.guard is not None and not route.guard(params):
                continue
            path_known = True
            if route.method == method.upper() or (method.upper() == "HEAD" and route.method == "GET"):
                return route, params, True
        return None, {}, path_known
