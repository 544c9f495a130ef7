"""The optional TOTP second factor of users who sign in at the gateway (the native ledger's users).

Enrolment (``xero-gateway users totp-enroll --email E``) stores a fresh random secret, sealed with the gateway's
:class:`~gateway.store.crypto.SecretBox` (table ``identity_user_totp``, :mod:`gateway.store.models_totp`), and returns
the ``otpauth://`` provisioning URI to show once. Once enrolled, the login page asks for the current code after the
password (:mod:`.views_authorize`).

Codes are RFC 6238 TOTP as authenticator apps make them (pyotp: SHA-1, 6 digits, 30-second steps). A code is
accepted for the current step and one step either side (clock drift, RFC 6238 §5.2), and only once: a step at or
before the last accepted one is refused (the same section: "the verifier MUST NOT accept the second attempt of
the same OTP").
"""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp
from sqlalchemy import delete, or_, select, update

from gateway.store.crypto import SecretBox
from gateway.store.db import Database
from gateway.store.models_totp import UserTotp

__all__ = ["ISSUER", "STEP", "enroll", "enrolled", "verify"]

#: Issuer shown by authenticator apps beside the account.
ISSUER = "Xero Gateway"
#: Seconds per TOTP step (RFC 6238 default; what authenticator apps use).
STEP = 30
#: Steps accepted either side of the current one.
DRIFT = 1


async def enroll(db: Database, box: SecretBox, *, code: str, user_id: str, email: str, now: datetime) -> str:
    """Give the user a new TOTP secret (replacing any previous one).

    Args:
        code: the source code the user signs in at (``1000``).
        user_id: the user's id at that source.
        email: the account name the authenticator app shows.
        now: enrolment time (aware UTC).

    Returns:
        The ``otpauth://totp/…`` provisioning URI (holds the secret: show it once, never log it).
    """
    secret = pyotp.random_base32()
    async with db.write_session() as session:
        await session.execute(delete(UserTotp).where(UserTotp.source_code == code, UserTotp.user_id == user_id))
        session.add(UserTotp(source_code=code, user_id=user_id, secret=box.encrypt(secret), enrolled_at=now))
    return pyotp.TOTP(secret, interval=STEP).provisioning_uri(name=email, issuer_name=ISSUER)


async def enrolled(db: Database, *, code: str, user_id: str) -> bool:
    """Whether the user has a second factor."""
    async with db.session() as session:
        return await session.scalar(select(UserTotp.user_id).where(
            UserTotp.source_code == code, UserTotp.user_id == user_id)) is not None


async def verify(db: Database, box: SecretBox, *, code: str, user_id: str, otp: str, now: float) -> bool:
    """Check a submitted code and use it up.

    Args:
        otp: the code as typed (spaces ignored).
        now: the time, in seconds since the epoch.

    Returns:
        ``True`` when ``otp`` is the code of an accepted step not used before (the step is then recorded), else
        ``False`` (also when the user has no second factor).
    """
    otp = otp.replace(" ", "")
    async with db.session() as session:
        row = await session.get(UserTotp, (code, user_id))
    if row is None or not otp.isdigit():
        return False
    totp = pyotp.TOTP(box.decrypt(row.secret), interval=STEP)
    current = int(now // STEP)
    for step in range(current - DRIFT, current + DRIFT + 1):
        if hmac.compare_digest(totp.at(step * STEP), otp):
            async with db.write_session() as session:  # only a newer step wins, also against a concurrent request
                used = await session.execute(update(UserTotp).where(
                    UserTotp.source_code == code, UserTotp.user_id == user_id,
                    or_(UserTotp.last_step.is_(None), UserTotp.last_step < step)).values(last_step=step))
            return used.rowcount == 1
    return False
