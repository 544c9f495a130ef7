"""Storage of the partner API's OAuth state in the ledger's database: clients, codes and tokens (issue 16).

Only digests of secrets, codes and tokens are kept (:func:`gateway.store.crypto.secret_hash`). Codes are single use:
:meth:`OAuthStore.claim_code` deletes the row it returns. A refresh rotates: the old token row is revoked when the
new one is saved (RFC 9700 §4.14.2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.store.crypto import secret_hash

from .tables import PartnerClient, PartnerCode, PartnerToken


class OAuthStore:
    """The partner API's OAuth rows.

    Args:
        session: makes a session on the ledger's database (``NativeLedgerAdapter._session``).
        now: aware-UTC clock.
    """

    def __init__(self, session: Callable[[], AsyncSession], *, now: Callable[[], dt.datetime]) -> None:
        self._session = session
        self.now = now

    async def save_client(self, *, client_id: str, client_secret: str | None, client_name: str,
                          metadata: dict[str, Any], issued_at: int) -> PartnerClient:
        row = PartnerClient(client_id=client_id, secret_hash=secret_hash(client_secret) if client_secret else None,
                            client_name=client_name, metadata_json=metadata, issued_at=issued_at)
        async with self._session() as session, session.begin():
            session.add(row)
        return row

    async def get_client(self, client_id: str) -> PartnerClient | None:
        async with self._session() as session:
            return await session.get(PartnerClient, client_id)

    async def save_code(self, *, code: str, client_id: str, user_id: str, redirect_uri: str, scope: str,
                        code_challenge: str | None, code_challenge_method: str | None, lifetime: int) -> None:
        now = self.now()
        async with self._session() as session, session.begin():
            session.add(PartnerCode(code_hash=secret_hash(code), client_id=client_id, user_id=user_id,
                                    redirect_uri=redirect_uri, scope=scope, code_challenge=code_challenge,
                                    code_challenge_method=code_challenge_method, auth_time=int(now.timestamp()),
                                    expires_utc=now + dt.timedelta(seconds=lifetime)))

    async def claim_code(self, code: str, *, client_id: str) -> PartnerCode | None:
        """The unexpired code of ``client_id``, deleted as it is read (single use); ``None`` otherwise."""
        async with self._session() as session, session.begin():
            row = await session.get(PartnerCode, secret_hash(code))
            if row is None:
                return None
            await session.delete(row)
        if row.client_id != client_id or row.expires_utc <= self.now():
            return None
        return row

    async def save_token(self, *, access_token: str, refresh_token: str | None, client_id: str, user_id: str,
                         scope: str, expires_in: int) -> None:
        async with self._session() as session, session.begin():
            session.add(PartnerToken(access_hash=secret_hash(access_token),
                                     refresh_hash=secret_hash(refresh_token) if refresh_token else None,
                                     client_id=client_id, user_id=user_id, scope=scope,
                                     issued_at=int(self.now().timestamp()), expires_in=expires_in, revoked=False))

    async def find_access_token(self, token: str) -> PartnerToken | None:
        """The live (unexpired, unrevoked) token row of an access token, or ``None``."""
        async with self._session() as session:
            row = await session.get(PartnerToken, secret_hash(token))
        if row is None or row.revoked or row.issued_at + row.expires_in <= self.now().timestamp():
            return None
        return row

    async def find_refresh_token(self, token: str) -> PartnerToken | None:
        async with self._session() as session:
            row = await session.scalar(select(PartnerToken).where(PartnerToken.refresh_hash == secret_hash(token)))
        return None if row is None or row.revoked else row

    async def revoke_refresh_token(self, token_hash: str) -> None:
        """Revoke the grant of a used refresh token (its digest): the token and its access token."""
        async with self._session() as session, session.begin():
            await session.execute(update(PartnerToken).where(PartnerToken.refresh_hash == token_hash)
                                  .values(revoked=True))
