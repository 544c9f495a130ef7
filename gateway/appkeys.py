"""Typed application state (``web.AppKey``): the only way modules share process-wide objects.

Every key is declared here, so that one file lists what the running app holds; the modules that create the
objects set them at start-up (``cleanup_ctx``), in the order :func:`gateway.app.create_app` gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from .settings import Settings

if TYPE_CHECKING:
    from .agents.state import AgentState
    from .api.answer_cache import AnswerCache
    from .hostmode.lookup import SourceLookup
    from .http.routing import Router
    from .identity.state import IdentityState
    from .ratelimit.limiter import RateLimiter
    from .sources import SourcePool
    from .store.db import Database
    from .store.idempotency import IdempotencyStore
    from .webhooks.dispatcher import Dispatcher

SETTINGS: web.AppKey[Settings] = web.AppKey("settings", Settings)
#: The gateway's database (identity, upstream consent, adapters' id maps); durable commits.
DB: web.AppKey[Database] = web.AppKey("db")  # type: ignore[arg-type]
#: The same database through a second engine for runtime state (rate limits, idempotency keys): commits that do
#: not wait for the disk (:mod:`gateway.store.runtime`).
RUNTIME_DB: web.AppKey[Database] = web.AppKey("runtime_db")  # type: ignore[arg-type]
SOURCES: web.AppKey[SourcePool] = web.AppKey("sources")  # type: ignore[arg-type]
#: Routes below ``/{code}`` (identity and Accounting API).
ROUTER: web.AppKey[Router] = web.AppKey("router")  # type: ignore[arg-type]
IDENTITY: web.AppKey[IdentityState] = web.AppKey("identity")  # type: ignore[arg-type]
#: Host mode's source of a grant, token or tenant (:mod:`gateway.hostmode.lookup`); only with host mode on.
HOST_MODE_LOOKUP: web.AppKey[SourceLookup] = web.AppKey("host_mode_lookup")  # type: ignore[arg-type]
#: Absent when ``[rate_limits] enabled = false``.
RATE_LIMITER: web.AppKey[RateLimiter] = web.AppKey("rate_limiter")  # type: ignore[arg-type]
#: Rendered answers of reads (:mod:`gateway.api.answer_cache`); absent when ``[answer_cache] enabled = false``.
ANSWER_CACHE: web.AppKey[AnswerCache] = web.AppKey("answer_cache")  # type: ignore[arg-type]
IDEMPOTENCY: web.AppKey[IdempotencyStore] = web.AppKey("idempotency")  # type: ignore[arg-type]
#: On-premise agents (Sage 50): their store and job queue (:mod:`gateway.agents`).
AGENTS: web.AppKey[AgentState] = web.AppKey("agents")  # type: ignore[arg-type]
#: The webhook delivery worker (:mod:`gateway.webhooks.dispatcher`); it exists even with ``[webhooks] enabled =
#: false`` (writes still queue events), running only when enabled.
WEBHOOKS: web.AppKey[Dispatcher] = web.AppKey("webhooks")  # type: ignore[arg-type]
