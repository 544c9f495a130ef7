"""The emulator's aiohttp application: OAuth, the ``/v3.1`` API, and test hooks.

Request path of a ``/v3.1/…`` call:

1. the request log counts it (``METHOD /v3.1/path``);
2. fault injection (config or ``/_emulator/faults``): a 5xx, a 401 or a 429 answers at once; latency and malformed
   bodies apply around the real answer; ``disconnect`` drops the connection after the request was served;
3. ``Authorization: Bearer`` → 401 when missing, unknown or expired (:func:`errors.unauthorized`);
4. an unknown path → 404, a method the path does not serve → 405 (Sage's error body);
5. a write with a ``readonly`` token → 403 ``MultiUserAccessDenied`` (inferred from Sage's access-rights 403);
6. ``X-Business`` (every path but ``/businesses`` and ``/user``): a business of the user, else 403
   ``MultiUserAccessDenied``; missing → the lead business as Sage documents, or 422 in strict mode
   (``require_business_header``, the default);
7. the request limit per business → 429;
8. the operation; :class:`~emulators.sage_accounting.errors.SageError` becomes Sage's error array, anything
   unexpected a 500 ``UnexpectedError`` (never a stack trace).

Test hooks (not Sage): the common ones (:mod:`emulators.common.admin`) with ``PUT /_emulator/clients``;
``GET /_emulator/seed`` answers the user, the businesses and what ``--seed`` loaded.
"""

from __future__ import annotations

import asyncio
from typing import Any

import structlog
from aiohttp import web

from emulators.common import app as emulator_app
from emulators.common.injection import disconnect, malformed
from emulators.common.oauth import bearer

from . import api, errors, oauth
from .catalogue import resource_specs
from .config import EmulatorConfig, OAuthClient
from .state import STATE, EmulatorState, build_state
from .store import Business

log = structlog.get_logger("emulators.sage_accounting")

WRITE_METHODS = ("POST", "PUT", "DELETE", "PATCH")


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
        token = state.tokens.access_token(bearer(request))
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
    if rule is not None and rule.kind == "disconnect":  # the record was made; the client never hears of it
        return disconnect(request, response)
    return malformed(response) if rule is not None and rule.kind == "malformed" else response


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


# ------------------------------------------------------------------------------------------------ factory


#: The largest request body: an attachment of the spec's maximum ``file_size`` (2,621,440 bytes) in base64 (4/3)
#: with its JSON wrapper.
MAX_BODY = 4 * 1024 ** 2


def _routes(app: web.Application, state: EmulatorState) -> None:
    oauth.add_routes(app, state.oauth)
    api.add_routes(app, resource_specs())


def create_app(config: EmulatorConfig | dict[str, Any] | None = None) -> web.Application:
    """Build the emulator app (for aiohttp's test client or :func:`emulators.sage_accounting.main`).

    Args:
        config: an :class:`EmulatorConfig`, or its fields as a dict; default settings when ``None``.

    Raises:
        ValueError: invalid settings. FileNotFoundError: a missing seed directory. RuntimeError: request validation
            requested without the spec files.
    """
    return emulator_app.create_app(config, config_cls=EmulatorConfig, build_state=build_state, state_key=STATE,
                                   middleware=api_guard, add_routes=_routes, client_model=OAuthClient,
                                   client_max_size=MAX_BODY)
