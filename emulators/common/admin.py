"""The test hooks every emulator serves under ``/_emulator`` (not part of any upstream API).

- ``GET/DELETE /_emulator/requests``: the request log (``DELETE`` clears it first);
- ``GET/PUT/POST/DELETE /_emulator/faults``: the fault rules (``PUT``/``POST`` replace them with a list of
  :class:`~emulators.common.config.FaultRule`, bare or as ``{"faults": […]}``; ``DELETE`` clears them);
- ``POST /_emulator/clock {"advance": seconds}``: moves the clock forward;
- ``POST /_emulator/tokens/expire``: expires every access token;
- ``POST /_emulator/throttle/reset``: forgets every rate-limit window;
- ``GET /_emulator/seed``: what the emulator loaded (:meth:`~emulators.common.state.EmulatorState.seed_summary`);
- ``PUT /_emulator/clients [{"client_id", "client_secret"}]`` where the emulator enables it: the accepted apps.

Bad input answers 400 ``{"error": …}``.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from pydantic import TypeAdapter, ValidationError

from .config import FaultRule, OAuthClient
from .state import EmulatorState


def json_response(body: Any, status: int = 200) -> web.Response:
    """A hook's answer (values JSON cannot hold are written as strings)."""
    return web.Response(status=status, text=json.dumps(body, default=str), content_type="application/json")


_RULES = TypeAdapter(list[FaultRule])


def _listed(data: Any, key: str) -> Any:
    """``data[key]`` of an object body, or a bare list body as is."""
    return data.get(key, []) if isinstance(data, dict) else data


class Hooks:
    """The handlers over one emulator's state.

    Args:
        key: the application key of the emulator's :class:`EmulatorState`.
        client_model: the emulator's developer-app model; enables ``PUT /_emulator/clients``.
    """

    def __init__(self, key: web.AppKey[Any], client_model: type[OAuthClient] | None = None) -> None:
        self.key = key
        self.clients = TypeAdapter(list[client_model]) if client_model is not None else None

    def state(self, request: web.Request) -> EmulatorState:
        """The emulator's state behind ``request``."""
        return request.app[self.key]

    async def requests(self, request: web.Request) -> web.Response:
        """``GET/DELETE /_emulator/requests``: the log snapshot (after clearing, for ``DELETE``)."""
        state = self.state(request)
        if request.method == "DELETE":
            state.log.clear()
        return json_response(state.log.snapshot())

    async def faults(self, request: web.Request) -> web.Response:
        """``GET/PUT/POST/DELETE /_emulator/faults``: the live rules after the change."""
        state = self.state(request)
        if request.method == "DELETE":
            state.injector.replace([])
        elif request.method in ("PUT", "POST"):
            try:
                rules = _RULES.validate_python(_listed(await request.json(), "faults"))
            except (ValueError, ValidationError) as error:
                return json_response({"error": str(error)}, 400)
            state.injector.replace(rules)
        return json_response({"faults": [rule.model_dump() for rule in state.injector.rules]})

    async def set_clients(self, request: web.Request) -> web.Response:
        """``PUT /_emulator/clients``: the accepted client ids."""
        assert self.clients is not None  # routed only with a client model
        try:
            clients = self.clients.validate_python(_listed(await request.json(), "clients"))
        except (ValueError, ValidationError) as error:
            return json_response({"error": str(error)}, 400)
        self.state(request).tokens.set_clients(clients)
        return json_response({"clients": [c.client_id for c in clients]})

    async def clock(self, request: web.Request) -> web.Response:
        """``POST /_emulator/clock``: the moved clock's time (the upstream's format) and offset in seconds."""
        state = self.state(request)
        try:
            data = await request.json()
            state.clock.advance(float(data.get("advance", 0)))
        except (ValueError, TypeError, AttributeError) as error:
            return json_response({"error": str(error)}, 400)
        return json_response({"time": state.clock.log_time(), "offset": state.clock.offset})

    async def expire_tokens(self, request: web.Request) -> web.Response:
        """``POST /_emulator/tokens/expire``: how many access tokens were live."""
        return json_response({"expired": self.state(request).tokens.expire_access_tokens()})

    async def throttle_reset(self, request: web.Request) -> web.Response:
        """``POST /_emulator/throttle/reset``."""
        self.state(request).throttle.reset()
        return json_response({"reset": True})

    async def seed(self, request: web.Request) -> web.Response:
        """``GET /_emulator/seed``."""
        return json_response(self.state(request).seed_summary())


def add_routes(app: web.Application, key: web.AppKey[Any], *, client_model: type[OAuthClient] | None = None) -> None:
    """Serve the hooks over ``app[key]`` (``PUT /_emulator/clients`` only with a ``client_model``)."""
    hooks = Hooks(key, client_model)
    for method in ("GET", "DELETE"):
        app.router.add_route(method, "/_emulator/requests", hooks.requests)
    for method in ("GET", "PUT", "POST", "DELETE"):
        app.router.add_route(method, "/_emulator/faults", hooks.faults)
    if client_model is not None:
        app.router.add_put("/_emulator/clients", hooks.set_clients)
    app.router.add_post("/_emulator/clock", hooks.clock)
    app.router.add_post("/_emulator/tokens/expire", hooks.expire_tokens)
    app.router.add_post("/_emulator/throttle/reset", hooks.throttle_reset)
    app.router.add_get("/_emulator/seed", hooks.seed)
