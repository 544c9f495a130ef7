"""One adapter instance per source code, created on first use and closed at shut-down.

The front end calls :meth:`SourcePool.get` with the code from the URL; it never names a concrete adapter.

A source is *configured* when :mod:`adapters.registry` has its adapter and, for an adapter whose users sign in at
the source (``sign_in == "upstream"``), the operator registered the gateway's developer app there
(``xero-gateway sources set CODE``, :mod:`gateway.upstream.registry`). Otherwise :meth:`SourcePool.get` answers
503 naming that command. Upstream adapters receive their collaborators at construction, as
``services=AdapterServices(credentials=…, db=…, default_scope=…)`` (:class:`adapters.base.AdapterServices`): the
pool's :class:`~gateway.upstream.tokens.UpstreamTokens`, the gateway's database and the source's consent scopes.
"""

from __future__ import annotations

import asyncio

from adapters.base import AdapterServices, SourceAdapter
from adapters.registry import AdapterNotAvailable, adapter_class

from .settings import SOURCE_CODES, Settings
from .store.db import Database
from .upstream import registry as upstream_registry
from .upstream.defaults import source_defaults
from .upstream.tokens import UpstreamTokens
from .xero.errors import NotFound, SourceNotConfigured


def _register_hint(code: str) -> str:
    return (f"the operator must register this source system's developer app "
            f"(xero-gateway sources set {code} --client-id … --client-secret …)")


class SourcePool:
    """Lazily started adapters, keyed by source code.

    Args:
        settings: gateway settings.
        db: the gateway's database (registrations and upstream tokens). Without it the pool opens its own engine on
            ``settings.database_url`` when an upstream source is first used, and disposes it in :meth:`close`.
    """

    def __init__(self, settings: Settings, *, db: Database | None = None) -> None:
        self._settings = settings
        self._db = db
        self._own_db: Database | None = None
        self._upstream: UpstreamTokens | None = None
        self._adapters: dict[str, SourceAdapter] = {}
        #: The agents' link (:class:`gateway.agents.AgentLinkImpl`), set at start-up by :mod:`gateway.agents`.
        self.agent_link = None
        self._lock = asyncio.Lock()

    @property
    def database(self) -> Database:
        """The database of registrations and upstream tokens."""
        if self._db is None:
            if self._own_db is None:
                self._own_db = Database(self._settings.database_url)
            return self._own_db
        return self._db

    @property
    def upstream(self) -> UpstreamTokens:
        """The process's upstream token provider (created on first use)."""
        if self._upstream is None:
            self._upstream = UpstreamTokens(self._settings, self.database)
        return self._upstream

    async def get(self, code: str) -> SourceAdapter:
        """The started adapter for ``code``.

        Raises:
            NotFound: ``code`` is not a source code (HTTP 404).
            SourceNotConfigured: a known code whose adapter is unavailable, or whose upstream developer app is not
                registered (HTTP 503, naming the code and ``xero-gateway sources set CODE``).
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
                    code, SOURCE_CODES[code], f"{exc}; {_register_hint(code)} in a build that includes its adapter"
                ) from exc
            upstream = cls.signs_in_upstream()
            if upstream and not await upstream_registry.is_registered(self.database, code):
                raise SourceNotConfigured(code, SOURCE_CODES[code],
                                          f"no developer app is registered for it; {_register_hint(code)}")
            if upstream:
                services = AdapterServices(credentials=self.upstream, db=self.database,
                                           default_scope=tuple(source_defaults(code).scope))
                adapter = cls(code=code, settings=self._settings, services=services)
            elif cls.sign_in == "agent":
                adapter = cls(code=code, settings=self._settings,
                              services=AdapterServices(db=self.database, agents=self.agent_link))
            else:
                adapter = cls(code=code, settings=self._settings)
            await adapter.startup()
            self._adapters[code] = adapter
            return adapter

    def started(self) -> dict[str, SourceAdapter]:
        """The adapters started so far, by code."""
        return dict(self._adapters)

    async def close(self) -> None:
        """Shut every started adapter down and dispose the pool's own engine."""
        for adapter in self._adapters.values():
            await adapter.shutdown()
        self._adapters.clear()
        if self._own_db is not None:
            await self._own_db.dispose()
            self._own_db = None
