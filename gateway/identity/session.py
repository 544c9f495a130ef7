"""The browser session of the sign-in and consent pages.

An aiohttp-session ``EncryptedCookieStorage`` cookie (Fernet key in ``{data_dir}/keys/session.key``), HttpOnly,
``SameSite=Lax``, ``Secure`` when ``settings.identity.secure_cookies``. The storage is used directly by the identity
views (no global middleware), so the Accounting API never touches it.

Content: ``csrf`` (a per-session token embedded in every form and checked on every POST, OWASP's synchronizer token
pattern), per source code, the signed-in user (``u:{code}`` → ``{"uid", "sid", "at"}``), and ``up``: digests of the
upstream consents this browser started (at most :data:`MAX_PENDING`), so that a source's redirect completes only in
the browser that left for it (RFC 6749 §10.12).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from aiohttp import web
from aiohttp_session import Session
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.fernet import Fernet

from gateway.settings import Settings

COOKIE_NAME = "xero_gateway_session"
#: Seconds a sign-in (and its cookie) lasts.
SESSION_MAX_AGE = 12 * 3600
#: Upstream consents one browser may have under way at once (the oldest is forgotten first).
MAX_PENDING = 8


def make_storage(key: bytes, settings: Settings) -> EncryptedCookieStorage:
    """The cookie storage with the gateway's flags (HttpOnly, SameSite=Lax, Secure per settings)."""
    return EncryptedCookieStorage(Fernet(key), cookie_name=COOKIE_NAME, max_age=SESSION_MAX_AGE, path="/",
                                  httponly=True, samesite="Lax", secure=settings.identity.secure_cookies or None)


async def load(storage: EncryptedCookieStorage, request: web.Request) -> Session:
    """The request's session (a fresh one when the cookie is absent, expired or undecryptable)."""
    return await storage.load_session(request)


async def save(storage: EncryptedCookieStorage, request: web.Request, response: web.StreamResponse,
               session: Session) -> web.StreamResponse:
    """Write the session cookie onto ``response`` (unless the session is new and empty) and return it."""
    if session.new and session.empty:
        return response
    await storage.save_session(request, response, session)
    return response


def csrf_token(session: Session) -> str:
    """The session's CSRF token, created on first use."""
    token = session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def csrf_ok(session: Session, submitted: str | None) -> bool:
    """Constant-time check of a submitted form token against the session's."""
    expected = session.get("csrf")
    return bool(isinstance(expected, str) and expected and submitted
                and hmac.compare_digest(expected.encode(), submitted.encode()))


def signed_in(session: Session, code: str) -> dict[str, Any] | None:
    """``{"uid": user_id, "sid": global_session_id, "at": auth_time}`` of the user signed in for ``code``."""
    value = session.get(f"u:{code}")
    if isinstance(value, dict) and isinstance(value.get("uid"), str):
        return value
    return None


def sign_in(session: Session, code: str, *, user_id: str, auth_time: int) -> None:
    """Record a successful sign-in for ``code`` and rotate the CSRF token."""
    session[f"u:{code}"] = {"uid": user_id, "sid": secrets.token_hex(16), "at": auth_time}
    session["csrf"] = secrets.token_urlsafe(32)


def await_second_factor(session: Session, code: str, *, user_id: str, until: int) -> None:
    """Record that the password of ``user_id`` was right and the TOTP code is awaited until ``until`` (epoch
    seconds); not signed in yet."""
    session[f"2fa:{code}"] = {"uid": user_id, "until": until}


def second_factor_user(session: Session, code: str, *, now: float) -> str | None:
    """The user whose TOTP code is awaited for ``code``, or ``None`` (none, or its time ran out)."""
    pending = session.get(f"2fa:{code}")
    if not isinstance(pending, dict) or not isinstance(pending.get("uid"), str) or pending.get("until", 0) < now:
        return None
    return pending["uid"]


def forget_second_factor(session: Session, code: str) -> None:
    session.pop(f"2fa:{code}", None)


def sign_out(session: Session, code: str) -> None:
    session.pop(f"u:{code}", None)


def remember_pending(session: Session, digest: str) -> None:
    """Record that this browser started the upstream consent whose ``state`` digest is ``digest``."""
    pending = [d for d in session.get("up", []) if isinstance(d, str) and d != digest]
    session["up"] = [*pending, digest][-MAX_PENDING:]


def take_pending(session: Session, digest: str) -> bool:
    """Forget ``digest``; whether this browser had started that upstream consent."""
    pending = [d for d in session.get("up", []) if isinstance(d, str)]
    if digest not in pending:
        return False
    session["up"] = [d for d in pending if d != digest]
    return True
