"""``GET /{code}/gateway/capabilities``: what source ``code``'s adapter serves, machine-readable (issue 14).

The body, JSON::

    {"SourceCode": "1004", "SourceName": "QuickBooks Online",
     "OperationsSupported": 62, "OperationsTotal": 235,
     "Operations": [{"OperationId": "getInvoices", "Method": "GET", "Path": "/Invoices", "Supported": true}, …],
     "Resources": [{"Resource": "Invoices", "Model": "Invoice",
                    "Counts": {"populated": 14, "computed": 12, "kept": 0, "lost": 10, "total": 36},
                    "Fields": [{"XeroField": "InvoiceNumber", "Kind": "populated", "Source": "DocNumber"}, …]}, …]}

Operations come from the same data as ``docs/coverage.md`` (the spec's operation table and
``SourceAdapter.supported_operations`` of the registered adapter class), fields from the translators' field maps
(``adapters.registry.field_maps``, as ``docs/fields-<code>.md``). Neither names a concrete adapter here: the registry
hands both over, and the adapter is not started (a source whose upstream app is not registered yet can still be
described).

Auth: none. The document describes the source software's adapter, the same for every tenant, and carries no
tenant's data; it is public like OpenID discovery (``/.well-known/openid-configuration``) and cached alike.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from adapters.registry import AdapterNotAvailable, adapter_class, field_maps
from gateway.http.routing import Router
from gateway.settings import SOURCE_CODES
from gateway.xero.errors import SourceNotConfigured

from .operations import load_operations

PATH = "/gateway/capabilities"
#: As the discovery document: the answer changes only with a new build.
CACHE_CONTROL = "public, max-age=3600"


def capabilities_document(code: str) -> dict[str, Any]:
    """The capabilities of source ``code`` (shape in the module docstring).

    Raises:
        SourceNotConfigured: ``code`` has no loadable adapter in this build (HTTP 503).
    """
    try:
        cls = adapter_class(code)
        maps = field_maps(code)
    except AdapterNotAvailable as exc:
        raise SourceNotConfigured(code, SOURCE_CODES[code], str(exc)) from exc
    table = load_operations()
    supported = cls.supported_operations(list(table))
    return {
        "SourceCode": code,
        "SourceName": SOURCE_CODES[code],
        "OperationsSupported": len(supported),
        "OperationsTotal": len(table),
        "Operations": [{"OperationId": op.id, "Method": op.method, "Path": op.path, "Supported": op.id in supported}
                       for op in table.values()],
        "Resources": [fmap.as_json() for fmap in maps.values()],
    }


async def capabilities(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``GET /{code}/gateway/capabilities``. Raises SourceNotConfigured (503) for a code without an adapter."""
    return web.Response(text=json.dumps(capabilities_document(code)), content_type="application/json",
                        charset="utf-8", headers={"Cache-Control": CACHE_CONTROL})


def setup(router: Router) -> None:
    """Register the route on the app's router below ``/{code}`` (:class:`gateway.http.routing.Router`)."""
    router.add("GET", PATH, capabilities)
