"""The emulator's aiohttp application: OAuth, the data service behind QBO's gateway behaviour, and test hooks.

Request path of a ``/v3/company/{realmId}/…`` call (the order QBO's own layers imply):

1. the request log counts it (``METHOD /v3/company/{realmId}/path``);
2. fault injection (config or ``/_emulator/faults``): latency, a 5xx, a 401, a 429, or a malformed body;
3. ``Authorization: Bearer`` → 401 with Intuit's lower-case "Token expired" body when missing, unknown, expired or
   revoked; a token of another company → 403 AuthorizationFault (wording unconfirmed);
4. throttles (500/minute, 10 in flight, 40 batches/minute per realm) → 429 with QBO's XML ThrottleExceeded body;
5. ``requestid`` (≤ 50 characters, ≤ 36 on batch): a repeat answers the first response byte for byte and does not
   run again;
6. the operation; a :class:`~emulators.qbo.faults.QboFault` becomes the JSON Fault envelope; anything unexpected a
   SystemFault (never a stack trace).

Every data-service response carries an ``intuit_tid`` header (upstream-contracts.md §1 "Transport").

Test hooks (not QBO): ``GET/DELETE /_emulator/requests``, ``GET/PUT/DELETE /_emulator/faults``,
``POST /_emulator/clock {"advance": seconds}``, ``POST /_emulator/tokens/expire``, ``POST /_emulator/throttle/reset``,
``GET /_emulator/seed``.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import structlog
from aiohttp import web
from pydantic import TypeAdapter, ValidationError

from . import api, faults, oauth
from .config import EmulatorConfig, FaultRule
from .state import STATE, EmulatorState, build_state
from .store import Replay

log = structlog.get_logger("emulators.qbo")

MAX_REQUEST_ID = 50
MAX_BATCH_REQUEST_ID = 36
_PREFIX = "/v3/company/"


def _tail(request: web.Request) -> tuple[str, str]:
    """(realmId, the path after ``/v3/company/{realmId}``)."""
    rest = request.path[len(_PREFIX):]
    realm_id, _, tail = rest.partition("/")
    return realm_id, "/" + tail


def _xml(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text, content_type="application/xml", charset="UTF-8")


def _unauthorized(state: EmulatorState, token: str) -> web.Response:
    body = faults.token_expired_body(token or "", int(state.clock.time() * 1000))
    return web.Response(status=401, text=json.dumps(body), content_type="application/json", charset="UTF-8")


def _forbidden(state: EmulatorState) -> web.Response:
    fault = faults.QboFault([faults.FaultError(
        "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403",
        "The token does not grant access to this company", "3100")], type="AuthorizationFault", status=403)
    return api.fault_response(state, fault)


def _system_fault(state: EmulatorState) -> web.Response:
    fault = faults.QboFault([faults.FaultError(
        "An application error has occurred while processing your request",
        "System Failure Error: An unexpected error occurred", "10000")], type="SystemFault", status=500)
    return api.fault_response(state, fault)


@web.middleware
async def data_service(request: web.Request, handler: Any) -> web.StreamResponse:
    if not request.path.startswith(_PREFIX):
        return await handler(request)
    state = request.app[STATE]
    realm_id, tail = _tail(request)
    status = 0
    try:
        response = await _guarded(request, handler, state, realm_id, tail)
        status = response.status
        response.headers["intuit_tid"] = str(uuid.uuid4())
        return response
    finally:
        state.log.record({"method": request.method, "path": request.path, "query": request.query_string,
                          "status": status, "realmId": realm_id, "time": state.clock.response_time()})


async def _guarded(request: web.Request, handler: Any, state: EmulatorState, realm_id: str,
                   tail: str) -> web.StreamResponse:
    rule = state.injector.match(request.method, tail)
    if rule is not None:
        if rule.kind == "server_error":
            return _xml(rule.status, faults.server_error_xml(state.clock.response_time(), rule.status))
        elif rule.kind == "unauthorized":
            return _unauthorized(state, _bearer(request))
        elif rule.kind == "throttle":
            return _xml(429, faults.throttle_xml(state.clock.response_time()))

    token_value = _bearer(request)
    token = state.tokens.access_token(token_value)
    if token is None:
        return _unauthorized(state, token_value)
    realm = state.store.realm(realm_id)
    if realm is None or token.grant.realm_id != realm_id:
        return _forbidden(state)

    is_batch = tail.rstrip("/").lower() == "/batch"
    if not state.throttle.admit(realm_id, batch=is_batch):
        return _xml(429, faults.throttle_xml(state.clock.response_time()))
    try:
        if rule is not None and rule.kind == "latency":  # the request is in flight while it waits
            await asyncio.sleep(rule.latency_ms / 1000)
        response = await _idempotent(request, handler, state, realm, is_batch)
    finally:
        state.throttle.release(realm_id)
    if rule is not None and rule.kind == "malformed" and isinstance(response, web.Response) and response.body:
        body = bytes(response.body)
        return web.Response(status=200, body=body[: max(1, len(body) // 2)], content_type="application/json")
    return response


def _bearer(request: web.Request) -> str:
    value = request.headers.get("Authorization", "")
    return value[7:].strip() if value.lower().startswith("bearer ") else ""


async def _idempotent(request: web.Request, handler: Any, state: EmulatorState, realm: Any,
                      is_batch: bool) -> web.StreamResponse:
    request_id = request.query.get("requestid")
    if request_id is not None:
        limit = MAX_BATCH_REQUEST_ID if is_batch else MAX_REQUEST_ID
        if not request_id or len(request_id) > limit:
            return api.fault_response(state, faults.invalid_request(
                f"requestid must be 1 to {limit} characters", "requestid"))
        replay: Replay | None = realm.replays.get(request_id)
        if replay is not None:
            return web.Response(status=replay.status, body=replay.body, content_type=replay.content_type,
                                charset="UTF-8")
    response = await _run(request, handler, state, realm)
    if request_id is not None and isinstance(response, web.Response) and response.status < 500:
        realm.replays[request_id] = Replay(response.status, bytes(response.body or b""), response.content_type)
    return response


async def _run(request: web.Request, handler: Any, state: EmulatorState, realm: Any) -> web.StreamResponse:
    request[api.SERVICE] = api.DataService(state, realm)
    try:
        if request.match_info.http_exception is not None:
            raise faults.unsupported_operation(
                f"Could not find resource for relative : {request.path}")
        return await handler(request)
    except faults.QboFault as fault:
        return api.fault_response(state, fault)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("qbo_emulator_error", path=request.path)
        return _system_fault(state)


# ------------------------------------------------------------------------------------------------ admin


def _admin_json(body: Any, status: int = 200) -> web.Response:
    return web.Response(status=status, text=json.dumps(api.to_wire(body)), content_type="application/json")


async def admin_requests(request: web.Request) -> web.Response:
    state = request.app[STATE]
    if request.method == "DELETE":
        state.log.clear()
    return _admin_json(state.log.snapshot())


_RULES = TypeAdapter(list[FaultRule])


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


async def admin_clock(request: web.Request) -> web.Response:
    state = request.app[STATE]
    try:
        data = await request.json()
        state.clock.advance(float(data.get("advance", 0)))
    except (ValueError, TypeError, AttributeError) as error:
        return _admin_json({"error": str(error)}, 400)
    return _admin_json({"time": state.clock.response_time(), "offset": state.clock.offset})


async def admin_expire_tokens(request: web.Request) -> web.Response:
    return _admin_json({"expired": request.app[STATE].tokens.expire_access_tokens()})


async def admin_throttle_reset(request: web.Request) -> web.Response:
    request.app[STATE].throttle.reset()
    return _admin_json({"reset": True})


async def admin_seed(request: web.Request) -> web.Response:
    state = request.app[STATE]
    return _admin_json({"realmId": state.store.default_realm_id, "loaded": dict(state.seed.loaded),
                        "skipped": state.seed.skipped, "reports": sorted(state.seed.reports)})


# ------------------------------------------------------------------------------------------------ factory


def create_app(config: EmulatorConfig | dict[str, Any] | None = None) -> web.Application:
    """Build the emulator app (for ``aiohttp``'s test client or :func:`emulators.qbo.main`).

    Args:
        config: an :class:`EmulatorConfig`, or its fields as a dict; default settings when ``None``.

    Raises:
        ValueError: invalid settings. FileNotFoundError: a missing seed directory. RuntimeError: XSD checking
            requested without ``xmlschema``/the XSDs.
    """
    if not isinstance(config, EmulatorConfig):
        config = EmulatorConfig.model_validate(config or {})
    state = build_state(config)
    app = web.Application(middlewares=[data_service])
    app[STATE] = state
    app[oauth.OAUTH] = state.oauth
    app[oauth.DEFAULT_REALM] = state.store.default_realm_id
    oauth.add_routes(app)
    api.add_routes(app)
    app.router.add_route("GET", "/_emulator/requests", admin_requests)
    app.router.add_route("DELETE", "/_emulator/requests", admin_requests)
    for method in ("GET", "PUT", "POST", "DELETE"):
        app.router.add_route(method, "/_emulator/faults", admin_faults)
    app.router.add_post("/_emulator/clock", admin_clock)
    app.router.add_post("/_emulator/tokens/expire", admin_expire_tokens)
    app.router.add_post("/_emulator/throttle/reset", admin_throttle_reset)
    app.router.add_get("/_emulator/seed", admin_seed)
    return app
