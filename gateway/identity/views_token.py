"""Token and revocation endpoints (``POST /{code}/connect/token``, ``/{code}/identity/connect/token``,
``/{code}/connect/revocation``), answered by Authlib.

Token success: HTTP 200 JSON ``{"access_token", "expires_in", "token_type": "Bearer", "scope", ["refresh_token"],
["id_token"]}`` with ``Cache-Control: no-store`` (RFC 6749 §5.1; xero-contract.md §1.2). Errors: RFC 6749 §5.2 JSON
``{"error", "error_description"?}``, HTTP 400 (401 for ``invalid_client`` authenticated with Basic).
Revocation success: HTTP 200 with an empty body (RFC 7009 §2.2; xero-python treats any other status as failure).
"""

from __future__ import annotations

import json

import structlog
from aiohttp import web
from authlib.oauth2 import OAuth2Error

from gateway.appkeys import IDENTITY

from .requests import snapshot
from .server import OAuthResponse, run_core

log = structlog.get_logger("gateway.identity")

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _json_response(result: OAuthResponse) -> web.Response:
    headers = {k: v for k, v in result.headers if k.lower() != "content-type"}
    headers.update(_NO_STORE)
    body = result.body if isinstance(result.body, (dict, list)) else {"error": "server_error"}
    return web.Response(status=result.status, text=json.dumps(body), content_type="application/json",
                        charset="utf-8", headers=headers)


async def token(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /{code}/connect/token``: ``authorization_code``, ``refresh_token`` or ``client_credentials``."""
    state = request.app[IDENTITY]
    server = state.servers[code]
    snap = await snapshot(request, public_url=state.settings.public_url)
    try:
        result = await run_core(lambda: server.create_token_response(snap))
    except OAuth2Error as error:  # raised before Authlib's own handling (e.g. plain http on a public host)
        result = OAuthResponse(*error())
    error = result.body.get("error") if isinstance(result.body, dict) else None
    log.info("token_request", code=code, grant_type=snap.form.get("grant_type"), status=result.status, error=error)
    return _json_response(result)


async def revocation(request: web.Request, code: str, params: dict[str, str]) -> web.StreamResponse:
    """``POST /{code}/connect/revocation``: revoke a refresh token, its authorisation and its connections."""
    state = request.app[IDENTITY]
    server = state.servers[code]
    snap = await snapshot(request, public_url=state.settings.public_url)
    try:
        result = await run_core(lambda: server.create_endpoint_response("revocation", snap))
    except OAuth2Error as error:
        result = OAuthResponse(*error())
    log.info("revocation_request", code=code, status=result.status)
    if result.status == 200:
        return web.Response(status=200, headers=_NO_STORE)
    return _json_response(result)
