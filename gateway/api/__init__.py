"""The Accounting API front end: every operation of Xero's ``xero_accounting.yaml`` under
``/{code}/api.xro/2.0/...``, answered by the source's adapter through one generic handler.

Modules, one job each: :mod:`.operations` (the operation table as typed objects), :mod:`.routes` (routes, GUID
guards, aliases, PDF by ``Accept``), :mod:`.params` (query → ``ListQuery``), :mod:`.body` (JSON/XML body →
elements), :mod:`.handler` (the generic handler), :mod:`.render` (Xero's envelope), :mod:`.answer_cache` (rendered
answers of reads kept under the tenant's data version).
"""

from __future__ import annotations

from aiohttp import web

from gateway.appkeys import ANSWER_CACHE, SETTINGS
from gateway.http.routing import Router

from .answer_cache import make_cache
from .handler import handle
from .operations import load_earlier_operations, load_operations
from .routes import register, register_earlier

__all__ = ["setup"]


def setup(app: web.Application, router: Router) -> None:
    """Register every Accounting API operation (235 spec operations plus aliases) on ``router``, and the operations
    of earlier spec versions that clients still call (:func:`.operations.load_earlier_operations`).

    Args:
        app: the application; it receives the answer cache (:mod:`.answer_cache`) unless it is turned off.
        router: the application's router below ``/{code}``.

    Raises:
        OperationTableError: the operation table is malformed or its collisions cannot be guarded.
    """
    if (cache := make_cache(app[SETTINGS].answer_cache)) is not None:
        app[ANSWER_CACHE] = cache
    register(router, load_operations(), handle)
    register_earlier(router, load_earlier_operations(), handle)
