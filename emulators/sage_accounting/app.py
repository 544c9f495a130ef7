"""The emulator's aiohttp application: OAuth, the ``/v3.1`` API, and test hooks.

Request path of a ``/v3.1/…`` call:

1. the request log counts it (``METHOD /v3.1/path``);
2. fault injection (config or ``/_emulator/faults``): a 5xx, a 401 or a 429 answers at once; latency and malformed
   bodies apply around the real answer;
3. ``Authorization: Bearer`` → 401 when missing, unknown or expired (:func:`errors.unauthorized`);
4. an unknown path → 404, a method the path does not serve → 405 (Sage's error body);
5. a write with a ``readonly`` token → 403 ``MultiUserAccessDenied`` (inferred from Sage's access-rights 403);
6. ``X-Business`` (every path but ``/businesses`` and ``/user``): a business of the user, else 403
   ``MultiUserAccessDenied``; missing → the lead business as Sage documents, or 422 in strict mode
   (``require_business_header``, the default);
7. the request limit per business → 429;
8. the operation; :class:`~emulators.sage_accounting.errors.SageError` becomes Sage's error array, anything
   unexpected a 500 ``UnexpectedError`` (never a stack trace).

Test hooks (not Sage): ``GET/DELETE /_emulator/requests``, ``GET/PUT/DELETE /_emulator/faults``,
``POST /_emulator/clock {"advance": seconds}``, ``POST /_emulator/tokens/expire``,
``POST /_emulator/throttle/reset``, ``PUT /_emulator/clients [{"client_id", "client_secret"}]``,
``GET /_emulator/seed``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import structlog
from aiohttp import web
from pydantic import TypeAdapter, ValidationError

from . import api, errors, oauth
from .catalogue import resource_specs
from .config import EmulatorConfig, FaultRule, OAuthClient
from .state import STATE, EmulatorState, build_state
from .store import Business

log = structlog.get_logger("emulators.sage_accounting")

WRITE_METHODS = ("POST", "PUT", "DELETE", "PATCH")


def _bearer(request: web.Request) -> str:
    value = request.headers.get("Authorization", "")
    return value[7:].strip() if value.lower().startswith("bearer ") else ""


@web.middleware
async def api_guard(request: web.Request, handler: Any) -> web.StreamResponse:
    if not (request.path == api.PREFIX or request.path.startswith(api.PREFIX + "/")):
        return await handler(request)
    state = request.app[STATE]
    status, business_id = 0, ""
    try:
        response = await _guarded(request, handler, state)
        status = response.status
        business_id = request[api.BUSINESS].id if api.BUSINESS in request else ""
        return response
    finally:
        state.log.record({"method": request.method, "path": request.path, "query": request.query_string,
                          "status": status, "business": business_id or request.headers.get("X-Business", ""),
                          "time": state.clock.stamp()})


async def _guarded(request: web.Request, handler: Any, state: EmulatorState) -> web.StreamResponse:
    tail = request.path[len(api.PREFIX):] or "/"
    rule = state.injector.match(request.method, tail)
    try:
        if rule is not None and rule.kind == "server_error":
            raise errors.unexpected_error(rule.status)
        if rule is not None and rule.kind == "unauthorized":
            raise errors.unauthorized()
        if rule is not None and rule.kind == "throttle":
            raise errors.too_many_requests(state.config.retry_after)
        token = state.tokens.access_token(_bearer(request))
        if token is None:
            raise errors.unauthorized()
        failure = request.match_info.http_exception
        if failure is not None:
            if failure.status == 405:
                raise errors.method_not_allowed(request.method)
            raise errors.unknown_endpoint(request.path)
        if request.method in WRITE_METHODS and token.grant.scope.split() == ["readonly"]:
            raise errors.access_denied()
        business = _resolve_business(request, state)
        request[api.BUSINESS] = business
        if not state.throttle.admit(business.id):
            raise errors.too_many_requests(state.config.retry_after)
        if rule is not None and rule.kind == "latency":
            await asyncio.sleep(rule.latency_ms / 1000)
        response = await handler(request)
    except errors.SageError as error:
        return api.error_response(error)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("sage_emulator_error", path=request.path)
        return api.error_response(errors.unexpected_error())
    if rule is not None and rule.kind == "malformed" and isinstance(response, web.Response) and response.body:
        body = bytes(response.body)
        return web.Response(status=200, body=body[: max(1, len(body) // 2)], content_type="application/json")
    return response


def _resolve_business(request: web.Request, state: EmulatorState) -> Business:
    """The business a request works on (see the module docstring, step 6)."""
    tail = request.path[len(api.PREFIX):]
    header = request.headers.get("X-Business", "").strip()
    unscoped = any(tail == p or tail.startswith(p + "/") for p in api.UNSCOPED)
    if not header:
        if state.config.require_business_header and not unscoped:
            raise errors.required("X-Business")
        return state.store.lead
    business = state.store.businesses.get(header)
    if business is None:
        if unscoped:
            return state.store.lead
        raise errors.access_denied()
    return business


# ------------------------------------------------------------------------------------------------ admin


def _admin_json(body: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, text=json.dumps(body, default=str), content_type="application/json")


async def admin_requests(request: web.Request) -> web.Response:
    state = request.app[STATE]
    if request.method == "DELETE":
        state.log.clear()
    return _admin_json(state.log.snapshot())


_RULES = TypeAdapter(list[FaultRule])
_CLIENTS = TypeAdapter(list[OAuthClient])


async def admin_faults(request: web.Request) -> web.Response:
    state = request.app[STATE]
    if request.method == "DELETE":
        state.injector.replace([])
    elif request.method in ("PUT", "POST"):
        try:
            data = await request.json()
            rules = _RULES.validate_python(data.get("faults", []) if isinstance(data, dict) else data)
        except (ValueError, ValidationError) as error:
            return _admin_json({"error": str(error)}, 400)
        state.injector.replace(rules)
    return _admin_json({"faults": [rule.model_dump() for rule in state.injector.rules]})


async def admin_clients(request: web.Request) -> web.Response:
    state = request.app[STATE]
    try:
        data = await request.json()
        clients = _CLIENTS.validate_python(data.get("clients", []) if isinstance(data, dict) else data)
    except (ValueError, ValidationError) as error:
        return _admin_json({"error": str(error)}, 400)
    state.tokens.set_clients(clients)
    return _admin_json({"clients": [c.client_id for c in clients]})


async def admin_clock(request: web.Request) -> web.Response:
    state = request.app[STATE]
    try:
        data = await request.json()
        state.clock.advance(float(data.get("advance", 0)))
    except (ValueError, TypeError, AttributeError) as error:
        return _admin_json({"error": str(error)}, 400)
    return _admin_json({"time": state.clock.stamp(), "offset": state.clock.offset})


async def admin_expire_tokens(request: web.Request) -> web.Response:
    return _admin_json({"expired": request.app[STATE].tokens.expire_access_tokens()})


async def admin_throttle_reset(request: web.Request) -> web.Response:
    request.app[STATE].throttle.reset()
    return _admin_json({"reset": True})


async def admin_seed(request: web.Request) -> web.Response:
    state = request.app[STATE]
    return _admin_json({"user_id": state.store.user["id"],
                        "businesses": [{"id": b.id, "name": b.record.get("name")}
                                       for b in state.store.businesses.values()],
                        "loaded": dict(state.seed.loaded), "skipped": state.seed.skipped})


# ------------------------------------------------------------------------------------------------ factory


def create_app(config: EmulatorConfig | dict[str, Any] | None = None) -> web.Application:
    """Build the emulator app (for aiohttp's test client or :func:`emulators.sage_accounting.main`).

    Args:
        config: an :class:`EmulatorConfig`, or its fields as a dict; default settings when ``None``.

    Raises:
        ValueError: invalid settings. FileNotFoundError: a missing seed directory. RuntimeError: request validation
            requested without the spec files.
    """
    if not isinstance(config, EmulatorConfig):
        config = EmulatorConfig.model_validate(config or {})
    state = build_state(config)
    app = web.Application(middlewares=[api_guard])
    app[STATE] = state
    app[oauth.OAUTH] = state.oauth
    oauth.add_routes(app)
    api.add_routes(app, resource_specs())
    app.router.add_route("GET", "/_emulator/requests", admin_requests)
    app.router.add_route("DELETE", "/_emulator/requests", admin_requests)
    for method in ("GET", "PUT", "POST", "DELETE"):
        app.router.add_route(method, "/_emulator/faults", admin_faults)
    app.router.add_put("/_emulator/clients", admin_clients)
    app.router.add_post("/_emulator/clock", admin_clock)
    app.router.add_post("/_emulator/tokens/expire", admin_expire_tokens)
    app.router.add_post("/_emulator/throttle/reset", admin_throttle_reset)
    app.router.add_get("/_emulator/seed", admin_seed)
    return app

