"""Fault injection and the request log of an emulator (test hooks; not part of any upstream API).

Rules are each emulator's ``FaultRule`` (``kind``, ``path`` fnmatch pattern, ``method``, ``count``…); they come from
the config and can be replaced at run time through the admin endpoints (``/_emulator/faults``). The request log
counts every API request by ``"METHOD /path"`` (query string excluded) so tests can count upstream calls.
"""

from __future__ import annotations

import fnmatch
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class FaultInjector:
    """The live fault rules; :meth:`match` consumes one use of the first rule that applies."""

    rules: list[Any] = field(default_factory=list)

    def replace(self, rules: list[Any]) -> None:
        self.rules = [rule.model_copy() for rule in rules]

    def match(self, method: str, path: str) -> Any | None:
        """The first rule for ``method`` and ``path`` (below the API root) with uses left; ``None`` if none."""
        for rule in self.rules:
            if rule.count == 0:
                continue
            if rule.method not in ("*", method.upper()):
                continue
            if not fnmatch.fnmatchcase(path.lower(), rule.path.lower()):
                continue
            if rule.count > 0:
                rule.count -= 1
            return rule
        return None


def malformed(response: web.StreamResponse) -> web.StreamResponse:
    """The ``malformed`` fault: a buffered response's body cut in half, sent as HTTP 200 JSON; others as they are."""
    if not isinstance(response, web.Response) or not response.body:
        return response
    body = bytes(response.body)
    return web.Response(status=200, body=body[: max(1, len(body) // 2)], content_type="application/json")


def disconnect(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    """The ``disconnect`` fault: the request was served (a write committed) but the connection drops before the
    answer, as when a network path fails mid-response; the client sees a closed connection, never the answer."""
    if request.transport is not None:
        request.transport.abort()
    return response  # aiohttp ignores the write to the aborted transport (premature client disconnection)


@dataclass
class RequestLog:
    """Counters per ``"METHOD /path"`` and the last ``size`` requests."""

    size: int = 1000
    counts: Counter[str] = field(default_factory=Counter)
    entries: deque[dict[str, Any]] = field(default_factory=deque)

    def record(self, entry: dict[str, Any]) -> None:
        """Log one request: ``entry`` has at least ``method`` and ``path`` (plus the emulator's own keys)."""
        self.counts[f"{entry['method']} {entry['path']}"] += 1
        self.entries.append(entry)
        while len(self.entries) > self.size:
            self.entries.popleft()

    def snapshot(self) -> dict[str, Any]:
        return {"total": sum(self.counts.values()), "by_path": dict(self.counts), "log": list(self.entries)}

    def clear(self) -> None:
        self.counts.clear()
        self.entries.clear()
