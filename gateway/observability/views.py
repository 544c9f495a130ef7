"""``/metrics`` (Prometheus text format), ``/healthz`` and ``/readyz``.

``/metrics`` is never public by default: it is served to a loopback client (127.0.0.0/8, ::1), and to any other
client only with ``Authorization: Bearer <token>`` equal to ``[observability] metrics_token`` (no token configured:
loopback only). Others get 404, so the endpoint is not advertised.

Several worker processes: prometheus_client's multiprocess mode
(https://prometheus.github.io/client_python/multiprocess/). Set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory
writable by every worker *before* the workers start (and empty it at each start); each process then writes its
samples there and ``/metrics``, in whichever worker answers, aggregates the directory with a
:class:`~prometheus_client.multiprocess.MultiProcessCollector`. Gauges declare how they aggregate
(``multiprocess_mode``, :mod:`.metrics`).

``/healthz`` answers 200 while the process serves. ``/readyz`` answers 200 when the gateway's database and the
database of each started adapter that has its own (the native ledger's) answer ``SELECT 1`` within
:data:`CHECK_TIMEOUT` seconds and, for a database the process migrates (``Database.migrations``), its version table
names the head of its migration tree (gateway.migrations), else 503; the JSON body names each check (``ok``,
``unreachable``, ``migrations pending``) and, under ``not_ready``, those that failed.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import os
from datetime import UTC, datetime

import structlog
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import text

from gateway import appkeys
from gateway.migrations.runner import revisions
from gateway.migrations.trees import TREES, Tree

from .gauges import read_gauges

log = structlog.get_logger("gateway.observability")

#: Seconds one readiness check may take before it counts as failed.
CHECK_TIMEOUT = 2.0


def _loopback(remote: str | None) -> bool:
    try:
        return remote is not None and ipaddress.ip_address(remote).is_loopback
    except ValueError:  # a Unix socket peer has no IP address
        return False


def metrics_allowed(request: web.Request) -> bool:
    """Whether ``request`` may read ``/metrics``: a loopback client, or the configured bearer token."""
    if _loopback(request.remote):
        return True
    token = request.app[appkeys.SETTINGS].observability.metrics_token.get_secret_value()
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def _registry() -> CollectorRegistry:
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    registry = CollectorRegistry()  # a fresh one per scrape, as prometheus_client's multiprocess guide says
    MultiProcessCollector(registry)
    return registry


async def metrics(request: web.Request) -> web.Response:
    """The Prometheus exposition of every metric of this process (or of all workers, multiprocess mode)."""
    if not metrics_allowed(request):
        raise web.HTTPNotFound()
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            await read_gauges(request.app[appkeys.DB], now=datetime.now(UTC))
    except Exception as exc:  # noqa: BLE001 - the other metrics are still worth serving; the gauges keep their value
        log.warning("metrics_gauges_unread", error=type(exc).__name__)
    body = generate_latest(_registry())
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


async def healthz(_request: web.Request) -> web.Response:
    """200 while the process serves."""
    return web.json_response({"status": "ok"})


async def _state(engine, tree: Tree | None) -> str:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            if tree is not None:
                current, heads = await revisions(engine, tree)
                if current != heads:  # an older release's schema, or one migrated by a newer release
                    log.warning("readiness_migrations_pending", tree=tree.name, current=current, heads=heads)
                    return "migrations pending"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready; logged, answered 503
        log.warning("readiness_check_failed", error=type(exc).__name__)
        return "unreachable"
    return "ok"


def _tree(database) -> Tree | None:
    name = getattr(database, "migrations", None)
    return TREES.get(name) if name else None


async def readyz(request: web.Request) -> web.Response:
    """200 when every database the gateway serves from is reachable and its migrations current, else 503 naming
    those that are not."""
    databases = {}
    db = request.app.get(appkeys.DB)
    if db is not None:
        databases["database"] = db
    sources = request.app.get(appkeys.SOURCES)
    for code, adapter in (sources.started() if sources is not None else {}).items():
        own = getattr(adapter, "db", None)  # the native ledger's own database; others use the gateway's
        if own is not None and own is not db and hasattr(own, "engine"):
            databases[f"{code} database"] = own
    results = await asyncio.gather(*(_state(d.engine, _tree(d)) for d in databases.values()))
    checks = dict(zip(databases, results, strict=True))
    not_ready = sorted(name for name, state in checks.items() if state != "ok")
    if db is None:
        not_ready.insert(0, "database")
        checks["database"] = "not started"
    return web.json_response({"status": "not ready" if not_ready else "ready", "checks": checks,
                              "not_ready": not_ready}, status=503 if not_ready else 200)


def setup(app: web.Application) -> None:
    """Register ``/metrics``, ``/healthz`` and ``/readyz`` (before the app's ``/{code}`` catch-all)."""
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
