"""One adapter instance per source code, created on first use and closed at shut-down.

The front end calls :meth:`SourcePool.get` with the code from the URL; it never names a concrete adapter.
"""

from __future__ import annotations

import asyncio

from adapters.base import SourceAdapter
from adapters.registry import AdapterNotAvailable, adapter_class

from .settings import SOURCE_CODES, Settings
from .xero.errors import NotFound, SourceNotConfigured


class SourcePool:
    """Lazily started adapters, keyed by source code."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._adapters: dict[str, SourceAdapter] = {}
        self._lock = asyncio.Lock()

    async def get(self, code: str) -> SourceAdapter:
        """The started adapter for ``code``.

        Raises:
            NotFound: ``code`` is not a source code (HTTP 404).
            SourceNotConfigured: a known code whose adapter is unavailable or not set up (HTTP 503, naming the
                code and what the operator must register).
        """
        adapter = self._adapters.get(code)
        if adapter is not None:
            return adapter
        if code not in SOURCE_CODES:
            raise NotFound()
        async with self._lock:
            if code in self._adapters:
                return self._adapters[code]
            try:
                cls = adapter_class(code)
            except AdapterNotAvailable as exc:
                raise SourceNotConfigured(
                    code, SOURCE_CODES[code],
                    f"{exc}; the operator must register this source system's developer app "
                    f"(xero-gateway sources set {code} --client-id … --client-secret …) in a build that "
                    f"includes its adapter") from exc
            adapter = cls(code=code, settings=self._settings)
            await adapter.startup()
            self._adapters[code] = adapter
            return adapter

    def started(self) -> dict[str, SourceAdapter]:
        return dict(self._adapters)

    async def close(self) -> None:
        for adapter in self._adapters.values():
            await adapter.shutdown()
        self._adapters.clear()
