"""The TOTP second factor of users who sign in at the gateway (local sign-in sources: the native ledger).

One row per source code and user (:mod:`gateway.identity.totp`); the shared secret is sealed with the gateway's
:class:`gateway.store.crypto.SecretBox`, never stored in clear.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .models import UTCDateTime


class UserTotp(Base):
    """An enrolled authenticator (RFC 6238 TOTP, 6 digits, 30-second steps)."""

    __tablename__ = "identity_user_totp"

    source_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    #: the base32 secret, sealed (SecretBox token)
    secret: Mapped[str] = mapped_column(Text)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: time step of the last accepted code: a code is accepted once (RFC 6238 §5.2)
    last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
