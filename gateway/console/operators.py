"""Operator accounts of the web console: e-mail, password (argon2id, argon2-cffi's ``PasswordHasher`` defaults, as the
native ledger's users) and a TOTP second factor (RFC 6238 through ``pyotp``: 6 digits, 30-second steps, one step of
clock drift accepted either way), its secret sealed at rest with :class:`gateway.store.crypto.SecretBox`.

A TOTP code is accepted once: each operator keeps the last step used, and a code of that step or an earlier one is
refused (RFC 6238 §5.2). Sensitive console actions ask for a fresh code through :func:`check_totp`.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update

from gateway.store.crypto import SecretBox
from gateway.store.db import Database
from gateway.store.models import Operator

_HASHER = PasswordHasher()
#: Issuer shown by authenticator apps next to the account.
TOTP_ISSUER = "Xero Gateway console"
#: Shortest password accepted (NIST SP 800-63B §5.1.1.2: at least 8 characters).
MIN_PASSWORD = 8
#: RFC 6238 time step, seconds.
STEP = 30
# A hash to verify against when the e-mail is unknown, so that both cases cost the same time.
_DUMMY_HASH = _HASHER.hash("unknown operator")


@dataclass(frozen=True)
class OperatorRecord:
    id: str
    email: str


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254 or " " in email:
        raise ValueError(f"{email!r} is not an e-mail address")
    return email


async def create_operator(db: Database, box: SecretBox, *, email: str, password: str, now: datetime) -> str:
    """Add an operator.

    Returns:
        The TOTP provisioning URI (``otpauth://totp/…``) to show once, for the operator's authenticator app.

    Raises:
        ValueError: not an e-mail address, a password shorter than :data:`MIN_PASSWORD`, or an e-mail already used.
    """
    email = _normalise_email(email)
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password must have at least {MIN_PASSWORD} characters")
    secret = pyotp.random_base32()
    password_hash = await asyncio.to_thread(_HASHER.hash, password)
    async with db.session() as s, s.begin():
        if await s.scalar(select(func.count()).select_from(Operator).where(Operator.email == email)):
            raise ValueError(f"an operator {email} exists already")
        s.add(Operator(id=str(uuid.uuid4()), email=email, password_hash=password_hash,
                       totp_secret_sealed=box.encrypt(secret), totp_last_step=0, created_at=now))
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=TOTP_ISSUER)


async def _claim_step(db: Database, box: SecretBox, operator: Operator, code: str, now: datetime) -> bool:
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(box.decrypt(operator.totp_secret_sealed))
    current = int(now.timestamp()) // STEP
    for step in (current - 1, current, current + 1):
        if step > operator.totp_last_step and totp.verify(code, for_time=step * STEP):
            async with db.session() as s, s.begin():
                claimed = await s.execute(update(Operator).where(Operator.id == operator.id,
                                                                 Operator.totp_last_step < step)
                                          .values(totp_last_step=step))
            return claimed.rowcount == 1
    return False


async def sign_in(db: Database, box: SecretBox, *, email: str, password: str, code: str,
                  now: datetime) -> OperatorRecord | None:
    """The operator when password and TOTP code both match (and the code was not used before), else ``None``."""
    try:
        email = _normalise_email(email)
    except ValueError:
        return None
    async with db.session() as s:
        operator = await s.scalar(select(Operator).where(Operator.email == email, Operator.disabled_at.is_(None)))
    try:
        await asyncio.to_thread(_HASHER.verify, operator.password_hash if operator else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if operator is None or not await _claim_step(db, box, operator, code, now):
        return None
    async with db.session() as s, s.begin():
        await s.execute(update(Operator).where(Operator.id == operator.id).values(last_sign_in_at=now))
    return OperatorRecord(id=operator.id, email=operator.email)


async def check_totp(db: Database, box: SecretBox, operator_id: str, code: str, *, now: datetime) -> bool:
    """Whether ``code`` is a fresh TOTP code of the operator (consumes its step)."""
    async with db.session() as s:
        operator = await s.get(Operator, operator_id)
    if operator is None or operator.disabled_at is not None:
        return False
    return await _claim_step(db, box, operator, code, now)


async def get_operator(db: Database, operator_id: str) -> OperatorRecord | None:
    """The enabled operator ``operator_id``, or ``None``."""
    async with db.session() as s:
        operator = await s.get(Operator, operator_id)
    if operator is None or operator.disabled_at is not None:
        return None
    return OperatorRecord(id=operator.id, email=operator.email)
