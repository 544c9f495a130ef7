"""The gateway's own state tables (identity server): partner apps, authorisation events, authorization codes,
refresh tokens and connections.

Secrets are never stored in clear: client secrets, refresh tokens and authorization codes are SHA-256 digests
(:func:`gateway.store.crypto.secret_hash`). Timestamps are stored as naive UTC and read back as aware UTC
(:class:`UTCDateTime`), so SQLite and PostgreSQL behave alike.

Vocabulary (Xero's, https://developer.xero.com/documentation/guides/oauth2/auth-flow):

- an *app* is an OAuth client (``client_id``); a *custom connection* is an app bound to one tenant of one source
  that uses the ``client_credentials`` grant;
- an *authorisation event* (``authentication_event_id`` claim, ``authEventId`` of ``/connections``) is one consent
  by one user for one app, or the standing authorisation of a custom connection; its refresh tokens form one grant;
- a *connection* is one tenant an app may reach for one user (Xero's ``/connections``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from .base import Base


class UTCDateTime(TypeDecorator):
    """Aware UTC ``datetime`` in Python, naive UTC in the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class App(Base):
    """A partner app (OAuth client) registered by an operator.

    ``secret_hash`` is ``None`` for public (PKCE) clients. ``scopes`` is the set the app may request (``None``: every
    known scope). Custom connections carry ``source_code`` and ``tenant_id``.
    """

    __tablename__ = "identity_apps"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    secret_hash: Mapped[str | None] = mapped_column(String(128), nullable=True)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    custom_connection: Mapped[bool] = mapped_column(Boolean, default=False)
    source_code: Mapped[str | None] = mapped_column(String(8), nullable=True)
    tenant_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    scopes: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    secret_rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: Operator lifecycle (issue 15): optional end of access, when its end was first noticed (the ``app_expired``
    #: activity row is written once), soft deletion (``restore`` undoes it), and the last authenticated use
    #: (written at most once a minute per app by :mod:`gateway.identity.usage`, never on the request path).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expiry_noted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def kind(self) -> str:
        """``custom_connection``, ``public`` (PKCE, no secret) or ``web`` (confidential OAuth app)."""
        return "custom_connection" if self.custom_connection else "public" if self.public else "web"


class AuthEvent(Base):
    """One authorisation: a user's consent for an app (``kind="consent"``) or a custom connection
    (``kind="custom_connection"``). Its ``id`` is the tokens' ``authentication_event_id``."""

    __tablename__ = "identity_auth_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    source_code: Mapped[str] = mapped_column(String(8))
    client_id: Mapped[str] = mapped_column(ForeignKey("identity_apps.client_id"), index=True)
    user_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    scope: Mapped[str] = mapped_column(Text)
    global_session_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    auth_time: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AuthorizationCode(Base):
    """A single-use authorization code (RFC 6749 §4.1.2), stored as a digest; ``used_at`` is set by the first
    exchange attempt."""

    __tablename__ = "identity_authorization_codes"

    code_hash: Mapped[str] = mapped_column(String(128), primary_key=True)
    auth_event_id: Mapped[str] = mapped_column(ForeignKey("identity_auth_events.id"))
    client_id: Mapped[str] = mapped_column(String(64))
    source_code: Mapped[str] = mapped_column(String(8))
    user_id: Mapped[str] = mapped_column(String(200))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    nonce: Mapped[str | None] = mapped_column(Text, nullable=True)
    code_challenge: Mapped[str | None] = mapped_column(String(128), nullable=True)
    code_challenge_method: Mapped[str | None] = mapped_column(String(16), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_identity_codes_client_nonce", "client_id", "nonce"),)


class RefreshToken(Base):
    """A refresh token, stored as a digest. ``rotated_at`` is set when it was first exchanged; it stays usable for
    the grace period after that. ``expires_at`` is the idle expiry (creation + 60 days by default)."""

    __tablename__ = "identity_refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(128), primary_key=True)
    auth_event_id: Mapped[str] = mapped_column(ForeignKey("identity_auth_events.id"), index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Connection(Base):
    """One tenant an app may reach for one user (``user_id`` ``None`` for a custom connection).

    One row per (source, app, user, tenant): a re-consent revives and updates it (``updatedDateUtc``); a
    disconnection sets ``deleted_at``.
    """

    __tablename__ = "identity_connections"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_code: Mapped[str] = mapped_column(String(8))
    client_id: Mapped[str] = mapped_column(ForeignKey("identity_apps.client_id"))
    user_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    tenant_id: Mapped[str] = mapped_column(String(36))
    tenant_type: Mapped[str] = mapped_column(String(32), default="ORGANISATION")
    tenant_name: Mapped[str] = mapped_column(String(300), default="")
    auth_event_id: Mapped[str] = mapped_column(ForeignKey("identity_auth_events.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: Last authenticated call through this connection (batched by :mod:`gateway.identity.usage`).
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_identity_connections_owner", "source_code", "client_id", "user_id", "tenant_id"),)


class IdentityGeneration(Base):
    """One row (``id`` 1) counting revocations: every transaction that disables an app, revokes an authorisation or
    deletes a connection adds one to ``value``, so that each gateway process learns with one cheap read that the
    identity rows it caches may be stale (:mod:`gateway.identity.cache`)."""

    __tablename__ = "identity_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger)


class ActivityEvent(Base):
    """One row of the operators' activity log (append-only; pruned only by age, ``[activity] retention_days``).

    ``kind`` is one of :data:`gateway.store.activity.KINDS`; ``actor`` who acted (``cli``, ``admin:<email>``, a
    partner ``client_id``, ``gateway``); ``detail`` a short human sentence. Never a secret or a token.
    """

    __tablename__ = "activity_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    actor: Mapped[str] = mapped_column(String(250), default="")
    client_address: Mapped[str] = mapped_column(String(64), default="")
    client_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    tenant_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    source_code: Mapped[str | None] = mapped_column(String(8), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class Operator(Base):
    """An operator of the web console (``xero-gateway admins create``): an argon2id password hash and a TOTP secret
    sealed with :class:`gateway.store.crypto.SecretBox`; ``totp_last_step`` refuses a code's reuse (RFC 6238 §5.2)."""

    __tablename__ = "console_operators"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret_sealed: Mapped[str] = mapped_column(Text)
    totp_last_step: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
