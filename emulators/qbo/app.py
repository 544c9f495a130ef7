"""The emulator's aiohttp application: OAuth, the data service behind QBO's gateway behaviour, and test hooks.

Request path of a ``/v3/company/{realmId}/…`` call (the order QBO's own layers imply):

1. the request log counts it (``METHOD /v3/company/{realmId}/path``);
2. fault injection (config or ``/_emulator/faults``): latency, a 5xx, a 401, a 429, a malformed body, or a
   connection dropped after the request was served (``disconnect``);
3. ``Authorization: Bearer`` → 401 with Intuit's lower-case "Token expired" body when missing, unknown, expired or
   revoked; a token of another company → 403 AuthorizationFault (wording unconfirmed);
4. throttles (500/minute, 10 in flight, 40 batches/minute per realm) → 429 with QBO's XML ThrottleExceeded body;
5. ``requestid`` (≤ 50 characters, ≤ 36 on batch): a repeat answers the first response byte for byte and does not
   run again;
6. the operation; a :class:`~emulators.qbo.faults.QboFault` becomes the JSON Fault envelope; anything unexpected a
   SystemFault (never a stack trace).

Every data-service response carries an ``intuit_tid`` header (upstream-contracts.md §1 "Transport").

Test hooks (not QBO): the common ones (:mod:`emulators.common.admin`); ``GET /_emulator/seed`` answers the realm and
what ``--seed`` loaded; ``GET/PUT /_emulator/webhooks`` registers the app's webhook URL and verifier token
(:mod:`emulators.qbo.webhooks`: every entity change is then sent as Intuit's notification).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import structlog
from aiohttp import web

from emulators.common import app as emulator_app
from emulators.common.injection import disconnect, malformed
from emulators.common.oauth import bearer

from . import api, attachments, faults, oauth, pdf, webhooks
from .config import EmulatorConfig
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
            return _unauthorized(state, bearer(request))
        elif rule.kind == "throttle":
            return _xml(429, faults.throttle_xml(state.clock.response_time()))

    token_value = bearer(request)
    token = state.tokens.access_token(token_value)
    if token is None:
        return _unauthorized(state, token_value)
    realm = state.store.realm(realm_id)
    if realm is None or token.grant.owner != realm_id:  # Intuit grants one company: the owner is a realmId
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
    if rule is not None and rule.kind == "disconnect":  # the write (and its requestid replay) is kept
        return disconnect(request, response)
    return malformed(response) if rule is not None and rule.kind == "malformed" else response


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


# ------------------------------------------------------------------------------------------------ factory


def _routes(app: web.Application, state: EmulatorState) -> None:
    oauth.add_routes(app, state.oauth)
    attachments.add_routes(app, STATE)
    pdf.add_routes(app)
    webhooks.add_routes(app, STATE)
    api.add_routes(app)


def create_app(config: EmulatorConfig | dict[str, Any] | None = None) -> web.Application:
    """Build the emulator app (for ``aiohttp``'s test client or :func:`emulators.qbo.main`).

    Args:
        config: an :class:`EmulatorConfig`, or its fields as a dict; default settings when ``None``.

    Raises:
        ValueError: invalid settings. FileNotFoundError: a missing seed directory. RuntimeError: XSD checking
            requested without ``xmlschema``/the XSDs.
    """
    return emulator_app.create_app(config, config_cls=EmulatorConfig, build_state=build_state, state_key=STATE,
                                   middleware=data_service, add_routes=_routes)
