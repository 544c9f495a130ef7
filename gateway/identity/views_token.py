"""Token and revocation endpoints (``POST /{code}/connect/token``, ``/{code}/identity/connect/token``,
``/{code}/connect/revocation``), answered by Authlib.

Token success: HTTP 200 JSON ``{"access_token", "expires_in", "token_type": "Bearer", "scope", ["refresh_token"],
["id_token"]}`` with ``Cache-Control: no-store`` (RFC 6749 §5.1; xero-contract.md §1.2). Errors: RFC 6749 §5.2 JSON
``{"error", "error_description"?}``, HTTP 400 (401 for ``invalid_client`` authenticated with Basic).
Revocation success: HTTP 200 with an empty body (RFC 7009 §2.2; xero-python treats any other status as failure).
"""

from __future__ import annotations

import base64
import json
from urllib.parse import unquote

import structlog
from aiohttp import web
from authlib.oauth2 import OAuth2Error

from gateway.appkeys import IDENTITY
from gateway.store.activity import record as record_activity
from gateway.store.models import App

from .apps import note_expired
from .requests import RequestSnapshot, snapshot
from .server import OAuthResponse, run_core
from .state import HOST_ISSUER
from .throttle import THROTTLED_MESSAGE, WINDOW_S

log = structlog.get_logger("gateway.identity")

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _json_response(result: OAuthResponse) -> web.Response:
    headers = {k: v for k, v in result.headers if k.lower() != "content-type"}
    headers.update(_NO_STORE)
    body = result.body if isinstance(result.body, (dict, list)) else {"error": "server_error"}
    return web.Response(status=result.status, text=json.dumps(body), content_type="application/json",
                        charset="utf-8", headers=headers)


def _client_id(snap: RequestSnapshot) -> str:
    """The ``client_id`` a token request names: HTTP Basic (RFC 6749 §2.3.1) or the form; ``""`` when none."""
    auth = snap.headers.get("Authorization", "")
    if auth[:6].lower() == "basic ":
        try:
            return unquote(base64.b64decode(auth[6:].strip(), validate=True).decode("utf-8").partition(":")[0])
        except (ValueError, UnicodeDecodeError):
            return ""
    return snap.form.get("client_id", "")


async def token(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /{code}/connect/token``: ``authorization_code``, ``refresh_token`` or ``client_credentials``.

    Failed client authentications (``invalid_client``) are throttled per ``client_id`` and per client address
    (:mod:`.throttle`): over the limit, HTTP 429 with ``Retry-After`` and ``error_description`` saying why, before
    the secret is checked.
    """
    state = request.app[IDENTITY]
    host_issuer = request.get(HOST_ISSUER)
    server = state.server(code, issuer=host_issuer)
    snap = await snapshot(request, public_url=host_issuer or state.settings.public_url)
    throttle, client_id, address = state.client_throttle, _client_id(snap), request.remote or ""
    if throttle is not None and throttle.blocked(account=f"{code}:{client_id}", address=address):
        log.warning("token_request_throttled", code=code, client_id=client_id)
        result = OAuthResponse(429, {"error": "invalid_client", "error_description": THROTTLED_MESSAGE},
                               [("Retry-After", str(WINDOW_S))])
        return _json_response(result)
    try:
        result = await run_core(lambda: server.create_token_response(snap))
    except OAuth2Error as error:  # raised before Authlib's own handling (e.g. plain http on a public host)
        result = OAuthResponse(*error())
    error = result.body.get("error") if isinstance(result.body, dict) else None
    if error == "invalid_client" and throttle is not None:
        throttle.failed(account=f"{code}:{client_id}", address=address)
    if error is not None:
        result = await _failed_exchange(state, result, code=code, client_id=client_id, address=address,
                                        grant_type=snap.form.get("grant_type", ""))
    log.info("token_request", code=code, grant_type=snap.form.get("grant_type"), status=result.status, error=error)
    return _json_response(result)


#: ``error_description`` of a token request by an app whose operator-set expiry has passed (issue 15).
EXPIRED_MESSAGE = "The app's access expired at {at} (an expiry set by the gateway's operator); ask them to extend it"


async def _failed_exchange(state, result: OAuthResponse, *, code: str, client_id: str, address: str,
                           grant_type: str) -> OAuthResponse:
    """Log a failed token request in the activity log (which client, why) and, when the app's expiry has passed,
    say so in ``error_description`` (Authlib's own says only that the client is unknown). Only the failure path
    reads the app: a successful exchange costs nothing more."""
    error, description = result.body.get("error", ""), str(result.body.get("error_description", "") or "")
    if error == "invalid_client" and client_id:
        now = state.clock.now()
        async with state.db.session() as s:
            app = await s.get(App, client_id[:64])
        if app is not None and app.expires_at is not None and app.expires_at <= now and app.disabled_at is None:
            description = EXPIRED_MESSAGE.format(at=app.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
            result = OAuthResponse(result.status, {**result.body, "error_description": description}, result.headers)
            await note_expired(state.db, now=now)
    await record_activity(state.db, "token_exchange_failed", actor=client_id or "anonymous", at=state.clock.now(),
                          client_address=address, client_id=client_id or None, source_code=code,
                          detail=f"grant_type={grant_type or '?'}: {error}" + (f": {description}" if description
                                                                                else ""))
    return result


async def revocation(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /{code}/connect/revocation``: revoke a refresh token, its authorisation and its connections."""
    state = request.app[IDENTITY]
    host_issuer = request.get(HOST_ISSUER)
    server = state.server(code, issuer=host_issuer)
    snap = await snapshot(request, public_url=host_issuer or state.settings.public_url)
    try:
        result = await run_core(lambda: server.create_endpoint_response("revocation", snap))
    except OAuth2Error as error:
        result = OAuthResponse(*error())
    log.info("revocation_request", code=code, status=result.status)
    if result.status == 200:
        return web.Response(status=200, headers=_NO_STORE)
    return _json_response(result)
