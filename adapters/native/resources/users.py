"""Local sign-in users of the native ledger (the ``SourceAdapter`` sign-in hooks' storage).

Passwords are hashed with Argon2id (argon2-cffi's ``PasswordHasher`` defaults, RFC 9106 parameters); e-mail
addresses compare case-insensitively. Hashing runs in a worker thread so that it never blocks the event loop.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.base import LedgerUser

from ..books import Clock
from ..tables.core import Company, User, UserCompany

_HASHER = PasswordHasher()


def normalise_email(email: str) -> str:
    """Trimmed, lower-case e-mail address (the stored form)."""
    return email.strip().lower()


async def _tenant_ids(session: AsyncSession, user_id: str) -> tuple[str, ...]:
    rows = await session.scalars(select(UserCompany.company_id).where(UserCompany.user_id == user_id)
                                 .order_by(UserCompany.company_id))
    return tuple(rows)


async def as_ledger_user(session: AsyncSession, user: User) -> LedgerUser:
    """The adapter-neutral view of a user, with the tenants it may connect to."""
    return LedgerUser(user_id=user.id, email=user.email, given_name=user.given_name, family_name=user.family_name,
                      tenant_ids=await _tenant_ids(session, user.id))


async def password_hash_of(session: AsyncSession, email: str) -> tuple[str, str] | None:
    """``(user_id, stored argon2 hash)`` of the user with ``email``, or ``None``."""
    row = (await session.execute(select(User.id, User.password_hash)
                                 .where(User.email == normalise_email(email)))).first()
    return (row[0], row[1]) if row is not None else None


async def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; argon2 runs in a worker thread (it takes tens of ms of CPU
    by design, RFC 9106), so the event loop keeps serving. Call it outside any lock."""
    try:
        return await asyncio.to_thread(_HASHER.verify, password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether argon2's parameters have changed since ``password_hash`` was made."""
    return _HASHER.check_needs_rehash(password_hash)


async def hash_password(password: str) -> str:
    """An argon2id hash of ``password``, computed in a worker thread (call it outside any lock)."""
    return await asyncio.to_thread(_HASHER.hash, password)


async def set_password_hash(session: AsyncSession, user_id: str, password_hash: str) -> None:
    """Store a new hash for the user (a rehash after a successful sign-in)."""
    user = await session.get(User, user_id)
    if user is not None:
        user.password_hash = password_hash


async def create(session: AsyncSession, *, user_id: str, email: str, password: str, tenant_ids: list[str],
                 given_name: str, family_name: str, now: Clock, password_hash: str | None = None) -> LedgerUser:
    """Add a user with access to ``tenant_ids``.

    ``password_hash`` (from :func:`hash_password`, computed before taking a lock) is stored when given; otherwise
    ``password`` is hashed here.

    Raises:
        ValueError: empty e-mail or password, e-mail already used, or a tenant id that is no company.
    """
    address = normalise_email(email)
    if not address or "@" not in address:
        raise ValueError(f"'{email}' is not an e-mail address")
    if not password:
        raise ValueError("the password must not be empty")
    if await session.scalar(select(User.id).where(User.email == address)):
        raise ValueError(f"a user with e-mail {address} already exists")
    known = set(await session.scalars(select(Company.id).where(Company.id.in_(tenant_ids))))
    unknown = [t for t in tenant_ids if t not in known]
    if unknown:
        raise ValueError(f"unknown tenant ids: {', '.join(unknown)}")
    user = User(id=user_id, email=address, password_hash=password_hash or await hash_password(password),
                given_name=given_name, family_name=family_name, created_utc=now())
    session.add(user)
    for tenant_id in dict.fromkeys(tenant_ids):
        session.add(UserCompany(user_id=user_id, company_id=tenant_id))
    await session.flush()
    return await as_ledger_user(session, user)


async def by_email(session: AsyncSession, email: str) -> LedgerUser | None:
    """A user by e-mail address (compared in its stored form), or ``None``."""
    user = await session.scalar(select(User).where(User.email == normalise_email(email)))
    return None if user is None else await as_ledger_user(session, user)


async def get(session: AsyncSession, user_id: str) -> LedgerUser | None:
    """A user by id, or ``None``."""
    user = await session.get(User, user_id)
    return None if user is None else await as_ledger_user(session, user)
