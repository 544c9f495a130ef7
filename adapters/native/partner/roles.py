"""Firm roles of the native ledger's users: who may connect a partner API app (issue 16).

A user is ``owner``, ``admin`` or ``member`` of the firm (``users.role``); only an owner or an admin may consent
to an app on the partner API's authorization page. Users made before roles existed, and the demo user, are owners.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..tables.core import User

ROLES = ("owner", "admin", "member")
#: Roles whose consent the authorization endpoint accepts.
CONSENTING_ROLES = frozenset({"owner", "admin"})


async def role_of(session: AsyncSession, user_id: str) -> str | None:
    """The user's role, or ``None`` for an unknown user."""
    return await session.scalar(select(User.role).where(User.id == user_id))


async def set_role(session: AsyncSession, user_id: str, role: str) -> None:
    """Give ``user_id`` the firm role ``role``.

    Raises:
        ValueError: ``role`` is not one of :data:`ROLES`, or the user does not exist.
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    user = await session.get(User, user_id)
    if user is None:
        raise ValueError(f"no user {user_id}")
    user.role = role
