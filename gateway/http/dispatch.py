"""The catch-all handler of ``/{code}/{tail}``: checks the source code and resolves the tail on the app's router.

aiohttp's own router is case-sensitive; Xero matches paths case-insensitively (:mod:`gateway.http.routing`).
"""

from __future__ import annotations

from aiohttp import web

from gateway import appkeys
from gateway.settings import SOURCE_CODES
from gateway.xero.errors import ApiNotSupported, NotFound
from mappings import load

#: First path segment (lower case) → name of each Xero API the gateway does not serve.
OTHER_APIS: dict[str, str] = {prefix.lower(): name for prefix, name in load("xero_other_apis")["apis"].items()}


async def dispatch(request: web.Request) -> web.StreamResponse:
    """Serve ``request`` with the route its method and tail resolve to.

    Raises:
        NotFound: an unknown source code or path (404).
        ApiNotSupported: a path of another Xero API (``/payroll.xro/…``, :data:`OTHER_APIS`): 501.
        web.HTTPMethodNotAllowed: the path exists for other methods (405).
    """
    code = request.match_info["code"]
    if code not in SOURCE_CODES:
        raise NotFound()
    return await serve_tail(request, code, "/" + request.match_info.get("tail", ""))


async def serve_tail(request: web.Request, code: str, tail: str) -> web.StreamResponse:
    """Serve ``tail`` (the path after ``/{code}``, e.g. ``/api.xro/2.0/Invoices``) for source ``code``; host mode
    (gateway/hostmode) calls it with the code it chose. Raises as :func:`dispatch`."""
    route, params, known = request.app[appkeys.ROUTER].resolve(request.method, tail)
    if route is None:
        if known:
            raise web.HTTPMethodNotAllowed(request.method, [])
        api = OTHER_APIS.get(tail.split("/", 2)[1].lower())
        if api is not None:
            raise ApiNotSupported(api, tail)
        raise NotFound()
    return await route.handler(request, code, params)
