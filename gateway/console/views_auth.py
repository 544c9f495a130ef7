"""``GET/POST /admin/sign-in`` (password and TOTP code) and ``POST /admin/sign-out``."""

from __future__ import annotations

import secrets
import time

from aiohttp import web

from gateway.identity.throttle import THROTTLED_MESSAGE
from gateway.store import activity

from . import operators
from .auth import finish, operator, see_other, session_of
from .render import page
from .state import CONSOLE


async def sign_in_form(request: web.Request) -> web.StreamResponse:
    session = await session_of(request)
    if not isinstance(session.get("pre"), str):
        session["pre"] = secrets.token_urlsafe(32)  # CSRF token of the sign-in form itself
    return await finish(request, page(request, "sign_in.html", {"csrf": session["pre"], "error": None}))


async def sign_in_submit(request: web.Request) -> web.StreamResponse:
    state = request.app[CONSOLE]
    session = await session_of(request)
    form = await request.post()
    email = str(form.get("email", "")).strip().lower()
    address = request.remote or ""
    throttle = state.identity.sign_in_throttle
    expected = session.get("pre")
    if not isinstance(expected, str) or not secrets.compare_digest(expected, str(form.get("csrf_token", ""))):
        error, status = "The form expired: try again.", 400
    elif throttle is not None and throttle.blocked(account=f"admin:{email}", address=address):
        error, status = THROTTLED_MESSAGE, 429
    else:
        now = state.identity.clock.now()
        signed = await operators.sign_in(state.db, state.box, email=email, password=str(form.get("password", "")),
                                         code=str(form.get("totp", "")), now=now)
        if signed is not None:
            session.clear()
            session["op"], session["at"] = signed.id, time.time()
            await activity.record(state.db, "operator_signed_in", actor=f"admin:{signed.email}", at=now,
                                  client_address=address, detail="console sign-in")
            return await finish(request, see_other("/admin/apps"))
        if throttle is not None:
            throttle.failed(account=f"admin:{email}", address=address)
        await activity.record(state.db, "sign_in_failed", actor=email[:250] or "unknown", at=now,
                              client_address=address, detail="console sign-in: wrong e-mail, password or code")
        error, status = "Wrong e-mail address, password or code.", 401
    session["pre"] = secrets.token_urlsafe(32)
    return await finish(request, page(request, "sign_in.html", {"csrf": session["pre"], "error": error},
                                      status=status))


@operator
async def sign_out(request: web.Request) -> web.StreamResponse:
    (await session_of(request)).invalidate()
    return see_other("/admin/sign-in")
