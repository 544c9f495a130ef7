"""Signing operators in and guarding the console's pages: the session cookie, CSRF tokens, fresh TOTP codes.

The session is an aiohttp-session ``EncryptedCookieStorage`` cookie of its own (``xero_gateway_console``, path
``/admin``, HttpOnly, ``SameSite=Strict``, ``Secure`` per ``[identity] secure_cookies``), keyed like the sign-in pages'
(gateway/identity/session.py). It holds the operator's id (``op``), the time of sign-in (``at``) and the CSRF token
(``csrf``, OWASP's synchronizer token pattern, checked on every POST).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp_session import Session
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.fernet import Fernet

from gateway.identity.session import csrf_ok, csrf_token
from gateway.settings import Settings

from . import operators
from .state import CONSOLE

COOKIE_NAME = "xero_gateway_console"
#: Per-request values: the loaded session, the signed-in operator, the form token of the page.
SESSION: web.RequestKey[Session] = web.RequestKey("console_session", Session)
OPERATOR: web.RequestKey[operators.OperatorRecord] = web.RequestKey("console_operator", operators.OperatorRecord)
CSRF: web.RequestKey[str] = web.RequestKey("console_csrf", str)
SIGN_IN_PATH = "/admin/sign-in"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class FreshCodeRequired(Exception):
    """A sensitive action was posted without a valid, unused TOTP code."""


def see_other(location: str) -> web.Response:
    """A 303 to ``location`` (after a POST, the browser GETs it)."""
    return web.Response(status=303, headers={"Location": location})


def make_storage(key: bytes, settings: Settings) -> EncryptedCookieStorage:
    return EncryptedCookieStorage(Fernet(key), cookie_name=COOKIE_NAME, max_age=settings.console.session_max_age,
                                  path="/admin", httponly=True, samesite="Strict",
                                  secure=settings.identity.secure_cookies or None)


async def session_of(request: web.Request) -> Session:
    if SESSION not in request:
        request[SESSION] = await request.app[CONSOLE].storage.load_session(request)
    return request[SESSION]


async def finish(request: web.Request, response: web.StreamResponse) -> web.StreamResponse:
    """Save the session onto ``response``; console pages are never cached (they may show a secret once)."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    session = await session_of(request)
    if not (session.new and session.empty):
        await request.app[CONSOLE].storage.save_session(request, response, session)
    return response


def operator(handler: Handler) -> Handler:
    """Require a signed-in operator (else redirect to the sign-in page) and, on POST, a valid CSRF token (else
    403). The operator is ``request[OPERATOR]``."""

    @functools.wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        state = request.app[CONSOLE]
        session = await session_of(request)
        op_id = session.get("op")
        signed = await operators.get_operator(state.db, op_id) if isinstance(op_id, str) else None
        if signed is None or time.time() - float(session.get("at", 0)) > state.settings.console.session_max_age:
            session.invalidate()
            return await finish(request, see_other(SIGN_IN_PATH))
        if request.method == "POST":
            form = await request.post()
            if not csrf_ok(session, form.get("csrf_token")):
                return await finish(request, web.Response(status=403, text="The form expired: reload the page."))
        request[OPERATOR] = signed
        request[CSRF] = csrf_token(session)
        return await finish(request, await handler(request))

    return guarded


async def require_fresh_code(request: web.Request) -> None:
    """Check the form's ``totp`` field: a TOTP code of the signed-in operator not used before.

    Raises:
        FreshCodeRequired: missing, wrong or reused code.
    """
    state = request.app[CONSOLE]
    form = await request.post()
    if not await operators.check_totp(state.db, state.box, request[OPERATOR].id, str(form.get("totp", "")),
                                      now=state.identity.clock.now()):
        raise FreshCodeRequired()


def actor(request: web.Request) -> dict[str, str]:
    """``actor`` and ``client_address`` keyword arguments for the lifecycle functions and the activity log."""
    return {"actor": f"admin:{request[OPERATOR].email}", "client_address": request.remote or ""}
